package catalog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// What real HTTP clients did against the live endpoint is content too: the
// folder ClientDir holds ClientsFile, the clients in the order of every
// table, and one ScenarioFile per scenario, named by its ID
// ("redirect-302-post.json"). The harness tools/clients writes them
// ("make clients") and checks them ("make test"); the catalog loads and
// validates them like any other content file.

// ClientDir is the folder of the content that holds the clients' data.
const ClientDir = "clients"

// ClientsFile is the name, in ClientDir, of the file that lists the
// clients ([]Client).
const ClientsFile = "clients.json"

// Client describes one client and the options the harness gives it when
// a scenario asks for redirects to be followed, for retries, or for
// credentials. An empty option means the client has none.
type Client struct {
	ID          string `json:"id"`          // "curl", "python-requests", ...
	Name        string `json:"name"`        // "curl", "Python requests", ...
	Follow      string `json:"follow"`      // how following redirects is turned on ("-L"), or "default" when it is on by default
	Retry       string `json:"retry"`       // how retries are turned on ("--retry 2")
	Credentials string `json:"credentials"` // how a user name and password are given ("-u user:pass")
}

// ScenarioFile is the content of one scenario's file: the scenario, the
// date of the run that wrote the file (YYYY-MM-DD), and what each client
// did, in the order of the clients.
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
	// "harness" (a server of the harness, for what the live endpoint
	// cannot express).
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
	// Client; without them, every client runs with its defaults.
	Follow      bool `json:"follow,omitempty"`
	Retry       bool `json:"retry,omitempty"`
	Credentials bool `json:"credentials,omitempty"`
	// Fault names the live endpoint's fault option the scenario plays.
	Fault string `json:"fault,omitempty"`
	// Response says what the server answers, in words.
	Response string `json:"response"`
	// Limit is how many seconds a client gets before the harness stops
	// it and records the outcome "none".
	Limit int `json:"limit"`
}

// Observation is what one client did in one scenario.
type Observation struct {
	Client  string `json:"client"`  // a Client.ID
	Version string `json:"version"` // as the client reports it
	// Options are the options the harness gave the client for this
	// scenario (from Client), or a note that it has none.
	Options []string     `json:"options,omitempty"`
	Result  ClientResult `json:"result"`
	// AlsoSeen are other results the same version of the client gave in
	// other runs: its behaviour depends on timing (which of two
	// connections wins, say, or a busy machine). The harness's check
	// accepts any of them.
	AlsoSeen []ClientResult `json:"also_seen,omitempty"`
}

// Outcomes of a ClientResult.
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

// SecondsStep is the rounding of ClientResult.Seconds.
const SecondsStep = 5

// ClientResult is the normalised outcome of one client in one scenario.
type ClientResult struct {
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
	Requests []ClientRequest `json:"requests"`
	// Seconds is the time from the request to the outcome, rounded down
	// to a multiple of SecondsStep: coarse, so that it stays the same on
	// a busy machine. For outcome "none" it is the limit.
	Seconds int `json:"seconds"`
}

// ClientRequest is one request as the server saw it.
type ClientRequest struct {
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
	// waited. A wait is never shorter than asked, and a busy machine
	// only adds to it, so rounding down keeps it stable.
	After int `json:"after,omitempty"`
}

// String is the request in one line: "POST /status/307 body=3 auth".
func (r ClientRequest) String() string {
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

// String is the result in one line, for messages.
func (r ClientResult) String() string {
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

// Clients returns the clients of the observations, in the order of every
// table. The caller must not modify the result.
func (c *Catalog) Clients() []Client { return c.clients }

// Scenarios returns every scenario with what each client did, by their
// first code, then by ID. The caller must not modify the result.
func (c *Catalog) Scenarios() []*ScenarioFile { return c.scenarios }

// ScenariosFor returns the scenarios that concern code, in the order of
// Scenarios.
func (c *Catalog) ScenariosFor(code int) []*ScenarioFile {
	var out []*ScenarioFile
	for _, s := range c.scenarios {
		if slices.Contains(s.Scenario.Codes, code) {
			out = append(out, s)
		}
	}
	return out
}

// LoadClients reads the clients' data in fsys, a folder laid out as
// ClientDir: ClientsFile and one ScenarioFile per other *.json file,
// strictly (an unknown field is an error), each file named by its
// scenario's ID. It checks nothing else: Load validates the data with the
// rest of the content. The scenarios come in the order of Scenarios.
func LoadClients(fsys fs.FS) ([]Client, []*ScenarioFile, error) {
	var clients []Client
	if err := readStrict(fsys, ClientsFile, &clients); err != nil {
		return nil, nil, err
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, nil, err
	}
	var files []*ScenarioFile
	for _, name := range names {
		if name == ClientsFile {
			continue
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		f := &ScenarioFile{}
		if err := decodeStrict(name, b, f); err != nil {
			return nil, nil, err
		}
		if want := f.Scenario.ID + ".json"; name != want {
			return nil, nil, fmt.Errorf("%s: holds scenario %q, want the file named %s", name, f.Scenario.ID, want)
		}
		files = append(files, f)
	}
	sortScenarios(files)
	return clients, files, nil
}

func readStrict(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return decodeStrict(name, b, v)
}

func decodeStrict(name string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// loadClientDir reads the clients' data of the content in fsys, if it
// has any (content without ClientDir has no observations).
func loadClientDir(fsys fs.FS) ([]Client, []*ScenarioFile, error) {
	if names, err := fs.Glob(fsys, path.Join(ClientDir, "*.json")); err != nil || len(names) == 0 {
		return nil, nil, err
	}
	sub, err := fs.Sub(fsys, ClientDir)
	if err != nil {
		return nil, nil, err
	}
	clients, files, err := LoadClients(sub)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", ClientDir, err)
	}
	return clients, files, nil
}

// sortScenarios puts scenarios by their first code, then by ID.
func sortScenarios(files []*ScenarioFile) {
	slices.SortFunc(files, func(a, b *ScenarioFile) int {
		return cmp.Or(cmp.Compare(firstCode(a), firstCode(b)), strings.Compare(a.Scenario.ID, b.Scenario.ID))
	})
}

func firstCode(f *ScenarioFile) int {
	if len(f.Scenario.Codes) == 0 {
		return 0
	}
	return f.Scenario.Codes[0]
}

// idRE matches the ID of a client or a scenario.
var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkClients checks the clients and every scenario file: each
// scenario's fields, its codes in the catalog, and an observation of
// every client, in order.
func (c *Catalog) checkClients(p *problems) {
	file := ClientDir + "/" + ClientsFile
	if len(c.scenarios) > 0 && len(c.clients) == 0 {
		p.add(file, "clients", "none, but %d scenarios observe some", len(c.scenarios))
	}
	var ids []string
	for i, k := range c.clients {
		field := fmt.Sprintf("clients[%d]", i)
		if !idRE.MatchString(k.ID) {
			p.add(file, field+".id", "%q: want lower-case words joined by -", k.ID)
		}
		if slices.Contains(ids, k.ID) {
			p.add(file, field+".id", "%q is listed twice", k.ID)
		}
		if k.Name == "" {
			p.add(file, field+".name", "required")
		}
		ids = append(ids, k.ID)
	}
	for _, f := range c.scenarios {
		name := ClientDir + "/" + f.Scenario.ID + ".json"
		f.check(p, name, ids)
		for _, code := range f.Scenario.Codes {
			if _, ok := c.byCode[code]; !ok && InRange(code) {
				p.add(name, "scenario.codes", "%d is not a code of the catalog", code)
			}
		}
	}
}

// Validate reports every problem of a scenario file at once, or nil.
// clients are the known client IDs, in order; each must be observed
// once, in that order. It does not check that the codes are the
// catalog's (Load does).
func (f *ScenarioFile) Validate(clients []string) error {
	var p problems
	f.check(&p, f.Scenario.ID+".json", clients)
	return errors.Join(p...)
}

func (f *ScenarioFile) check(p *problems, file string, clients []string) {
	s := f.Scenario
	if !idRE.MatchString(s.ID) {
		p.add(file, "scenario.id", "%q: want lower-case words joined by -", s.ID)
	}
	if s.Title == "" {
		p.add(file, "scenario.title", "required")
	}
	if len(s.Codes) == 0 {
		p.add(file, "scenario.codes", "at least one")
	}
	for _, c := range s.Codes {
		if !InRange(c) {
			p.add(file, "scenario.codes", "%d is not a status code", c)
		}
	}
	if s.Server != "live" && s.Server != "harness" {
		p.add(file, "scenario.server", "%q: want live or harness", s.Server)
	}
	if s.Method == "" || !strings.HasPrefix(s.Path, "/") {
		p.add(file, "scenario", "method and an absolute path required")
	}
	if s.Response == "" {
		p.add(file, "scenario.response", "required")
	}
	if s.Limit < 1 {
		p.add(file, "scenario.limit", "at least 1 second")
	}
	if _, err := time.Parse(time.DateOnly, f.Checked); err != nil {
		p.add(file, "checked", "%q: want YYYY-MM-DD", f.Checked)
	}
	var got []string
	for _, o := range f.Observations {
		got = append(got, o.Client)
		if o.Version == "" {
			p.add(file, o.Client, "version required")
		}
		for _, r := range append([]ClientResult{o.Result}, o.AlsoSeen...) {
			if err := r.validate(s.Limit); err != nil {
				p.add(file, o.Client, "%v", err)
			}
		}
	}
	if !slices.Equal(got, clients) {
		p.add(file, "observations", "clients %v, want those of %s: %v", got, ClientsFile, clients)
	}
}

func (r ClientResult) validate(limit int) error {
	switch r.Outcome {
	case OutcomeResponse:
		if !InRange(r.Status) {
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
	if r.Seconds < 0 || r.BodyBytes < 0 || (r.Outcome != OutcomeNone && r.Seconds%SecondsStep != 0) {
		return fmt.Errorf("seconds %d: want a multiple of %d; body_bytes %d: want 0 or more", r.Seconds, SecondsStep, r.BodyBytes)
	}
	for _, q := range r.Requests {
		if q.Method == "" || !strings.HasPrefix(q.Path, "/") {
			return fmt.Errorf("request %q: method and path required", q.String())
		}
	}
	return nil
}
