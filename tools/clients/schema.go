// Command clients runs real HTTP clients (curl, wget, Go, Python, Node,
// Java, Chromium, Firefox) against the live endpoint of "httpstatus serve"
// and against a few harness servers, and records what each client did in
// every scenario as data: the files of content/clients.
//
//	go run ./tools/clients               rewrite content/clients (make clients)
//	go run ./tools/clients -check        compare with content/clients, fail on a difference (run twice)
//	go run ./tools/clients -only 302     run the scenarios whose ID contains "302", print the results
//	go run ./tools/clients -fresh        rewrite, dropping the results also seen in earlier runs
//
// The integration test TestIntegrationClients runs the same check in
// "make test".
//
// # The data
//
// content/clients holds one file per scenario, named by its ID
// ("redirect-302-post.json"), and clients.json, which lists the clients.
// A scenario file is a [ScenarioFile]: the scenario (what was asked, of
// which server, which status pages it concerns), the date of the run
// that wrote it, and one [Observation] per client, in the order of
// clients.json. An observation holds the client, its version as the
// client itself reported it, the options the harness gave it, and the
// [Result]: the outcome, the final status the client returned, the error
// it raised, the requests the server saw, and the whole seconds it took.
//
// Results are deterministic: durations are rounded (see Result.Seconds
// and Request.After);
// errors are kinds (an exit status, an exception class, an error code),
// never messages with ports or times; requests to /favicon.ico are not
// recorded.
package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ClientsFile is the name, in the data directory, of the file that lists
// the clients ([]ClientInfo).
const ClientsFile = "clients.json"

// ClientInfo describes one client and the options the harness gives it
// when a scenario asks for redirects to be followed, for retries, or for
// credentials. An empty option means the client has none.
type ClientInfo struct {
	ID          string `json:"id"`          // "curl", "python-requests", ...
	Name        string `json:"name"`        // "curl", "Python requests", ...
	Follow      string `json:"follow"`      // how following redirects is turned on ("-L"), or "default" when it is on by default
	Retry       string `json:"retry"`       // how retries are turned on ("--retry 2")
	Credentials string `json:"credentials"` // how a user name and password are given ("-u user:pass")
}

// ScenarioFile is the content of one scenario's file: the scenario, the
// date of the run that wrote the file (YYYY-MM-DD), and what each client
// did.
type ScenarioFile struct {
	Scenario     Scenario      `json:"scenario"`
	Checked      string        `json:"checked"`
	Observations []Observation `json:"observations"`
}

// Scenario is one request (or one exchange) put to every client.
type Scenario struct {
	ID    string `json:"id"`    // lower-case words and digits joined by "-", the file's name
	Title string `json:"title"` // one line for a table
	// Codes are the status codes whose pages this scenario concerns.
	Codes []int `json:"codes"`
	// Server is "live" (httpstatus serve's /status endpoint) or
	// "harness" (a server of this tool, for what the live endpoint
	// cannot express yet).
	Server string `json:"server"`
	// Method and Path are the first request; Path is relative to the
	// server (the live endpoint's, or the harness's own).
	Method string `json:"method"`
	Path   string `json:"path"`
	// Body is sent with the first request, as a form
	// (application/x-www-form-urlencoded).
	Body string `json:"body,omitempty"`
	// Headers are sent with the first request, "Name: value".
	Headers []string `json:"headers,omitempty"`
	// Follow, Retry and Credentials ask for the clients' options of
	// ClientInfo; without them, every client runs with its defaults.
	Follow      bool `json:"follow,omitempty"`
	Retry       bool `json:"retry,omitempty"`
	Credentials bool `json:"credentials,omitempty"`
	// Fault names the live endpoint's fault option this scenario stands
	// for, when the harness plays it itself.
	Fault string `json:"fault,omitempty"`
	// Response says what the server answers, in words.
	Response string `json:"response"`
	// Limit is how many seconds a client gets before the harness stops
	// it and records the outcome "none".
	Limit int `json:"limit"`
}

// Observation is what one client did in one scenario.
type Observation struct {
	Client  string `json:"client"`  // a ClientInfo.ID
	Version string `json:"version"` // as the client reports it
	// Options are the options the harness gave the client for this
	// scenario (from ClientInfo), or a note that it has none.
	Options []string `json:"options,omitempty"`
	Result  Result   `json:"result"`
	// AlsoSeen are other results the same version of the client gave in
	// other runs: its behaviour depends on timing (which of two
	// connections wins, say, or a busy machine). The check accepts any
	// of them. Rewriting the data keeps Result and adds a new result
	// here while the version stays the same.
	AlsoSeen []Result `json:"also_seen,omitempty"`
}

// Outcomes of a Result.
const (
	// OutcomeResponse: the client returned a response (it may also have
	// raised an error carrying it, as urllib does for 4xx and 5xx).
	OutcomeResponse = "response"
	// OutcomeError: the client failed without a response.
	OutcomeError = "error"
	// OutcomeNone: nothing within the scenario's limit; the harness
	// stopped the client.
	OutcomeNone = "none"
)

// Result is the normalised outcome of one client in one scenario.
type Result struct {
	Outcome string `json:"outcome"`
	// Status is the final status the client returned (Outcome
	// "response").
	Status int `json:"status,omitempty"`
	// BodyBytes is the length of the body the client returned.
	BodyBytes int `json:"body_bytes,omitempty"`
	// Error is the kind of error the client raised or exited with:
	// "exit 52", "requests.exceptions.ConnectionError", "TypeError:
	// fetch failed (UND_ERR_SOCKET)", "net::ERR_EMPTY_RESPONSE".
	Error string `json:"error,omitempty"`
	// Requests are the requests the servers saw, in order.
	Requests []Request `json:"requests"`
	// Seconds is the time from the request to the outcome, rounded down
	// to a multiple of 5 (0, 5, 10, ...): coarse, so that it stays the
	// same on a busy machine. For outcome "none" it is the limit.
	Seconds int `json:"seconds"`
}

// Request is one request as the server saw it.
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Origin is "other" for a request to the second origin of a
	// cross-origin scenario; empty otherwise.
	Origin string `json:"origin,omitempty"`
	// Body is the length of the request's body.
	Body int `json:"body,omitempty"`
	// Auth says the request carried an Authorization header.
	Auth bool `json:"auth,omitempty"`
	// After is, for a repeat of the previous request (a retry), the time
	// since it in whole seconds, rounded down: how long the client
	// waited. A wait is
	// never shorter than asked, and a busy machine only adds to it, so
	// rounding down keeps it stable.
	After int `json:"after,omitempty"`
}

// String is the request in one line: "POST /status/307 body=3 auth".
func (r Request) String() string {
	var b strings.Builder
	b.WriteString(r.Method + " " + r.Path)
	if r.Origin != "" {
		b.WriteString(" origin=" + r.Origin)
	}
	if r.Body > 0 {
		fmt.Fprintf(&b, " body=%d", r.Body)
	}
	if r.Auth {
		b.WriteString(" auth")
	}
	if r.After > 0 {
		fmt.Fprintf(&b, " after=%ds", r.After)
	}
	return b.String()
}

// String is the result in one line, for messages and -v.
func (r Result) String() string {
	var b strings.Builder
	b.WriteString(r.Outcome)
	if r.Status != 0 {
		fmt.Fprintf(&b, " status=%d", r.Status)
	}
	if r.BodyBytes != 0 {
		fmt.Fprintf(&b, " body=%d", r.BodyBytes)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, " error=%q", r.Error)
	}
	fmt.Fprintf(&b, " in=%ds requests=[", r.Seconds)
	for i, q := range r.Requests {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(q.String())
	}
	b.WriteString("]")
	return b.String()
}

var scenarioID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports every problem of a scenario file at once, or nil.
// clients are the known client IDs, in order; each must be observed once,
// in that order.
func (f ScenarioFile) Validate(clients []string) error {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	s := f.Scenario
	if !scenarioID.MatchString(s.ID) {
		bad("scenario.id %q: want lower-case words joined by -", s.ID)
	}
	if s.Title == "" {
		bad("scenario.title: required")
	}
	if len(s.Codes) == 0 {
		bad("scenario.codes: at least one")
	}
	for _, c := range s.Codes {
		if c < 100 || c > 599 {
			bad("scenario.codes: %d is not a status code", c)
		}
	}
	if s.Server != "live" && s.Server != "harness" {
		bad("scenario.server %q: want live or harness", s.Server)
	}
	if s.Method == "" || !strings.HasPrefix(s.Path, "/") {
		bad("scenario: method and an absolute path required")
	}
	if s.Response == "" {
		bad("scenario.response: required")
	}
	if s.Limit < 1 {
		bad("scenario.limit: at least 1 second")
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(f.Checked) {
		bad("checked %q: want YYYY-MM-DD", f.Checked)
	}
	var got []string
	for _, o := range f.Observations {
		got = append(got, o.Client)
		if o.Version == "" {
			bad("%s: version required", o.Client)
		}
		for _, r := range append([]Result{o.Result}, o.AlsoSeen...) {
			if err := r.validate(s.Limit); err != nil {
				bad("%s: %v", o.Client, err)
			}
		}
	}
	if !slices.Equal(got, clients) {
		bad("observations: clients %v, want %v", got, clients)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (r Result) validate(limit int) error {
	switch r.Outcome {
	case OutcomeResponse:
		if r.Status < 100 || r.Status > 599 {
			return fmt.Errorf("outcome response: status %d", r.Status)
		}
	case OutcomeError:
		if r.Error == "" || r.Status != 0 {
			return fmt.Errorf("outcome error: want an error and no status")
		}
	case OutcomeNone:
		if r.Seconds != limit {
			return fmt.Errorf("outcome none after %ds, not the limit of %ds", r.Seconds, limit)
		}
	default:
		return fmt.Errorf("outcome %q: want response, error or none", r.Outcome)
	}
	if r.Seconds < 0 || r.BodyBytes < 0 || (r.Outcome != OutcomeNone && r.Seconds%secondsStep != 0) {
		return fmt.Errorf("seconds %d: want a multiple of %d; body_bytes %d: want 0 or more", r.Seconds, secondsStep, r.BodyBytes)
	}
	for _, q := range r.Requests {
		if q.Method == "" || !strings.HasPrefix(q.Path, "/") {
			return fmt.Errorf("request %q: method and path required", q.String())
		}
	}
	return nil
}
