package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// ClientsPath is the path of the page of every scenario and client.
const ClientsPath = "/clients"

// clientsTable is what real clients did in some scenarios: the section
// "What clients do" of a code page, and the whole matrix of /clients.
type clientsTable struct {
	Clients   []clientView
	Scenarios []scenarioView
	Checked   string // the dates of the runs: "2026-12-05", or "2026-12-01 to 2026-12-05"
}

// clientView is a client as a table heads it.
type clientView struct {
	catalog.Client
	Version string // the versions observed, joined by ", "
	Options string // how the harness turns on its options: "follows redirects with -L, ..."
}

// scenarioView is a scenario with what each client did, in the order of
// the clients.
type scenarioView struct {
	*catalog.ScenarioFile
	Request string // the first request: "POST /status/307"
	Asks    string // what else the client was asked: " with a body, following redirects"
	Cells   []cellView
}

// cellView is what one client did in one scenario, in a few words.
type cellView struct {
	Text string // "follows, GET"
	// Varies is set when the client did something else in other runs
	// (catalog.Observation.AlsoSeen).
	Varies bool
}

// clientsTableOf builds the table of scns, or nil when there is none.
func clientsTableOf(clients []catalog.Client, scns []*catalog.ScenarioFile) *clientsTable {
	if len(scns) == 0 {
		return nil
	}
	t := &clientsTable{}
	versions := make([][]string, len(clients))
	var dates []string
	for _, f := range scns {
		v := scenarioView{ScenarioFile: f, Request: f.Scenario.Method + " " + f.Scenario.Path, Asks: askWords(f.Scenario)}
		for i, o := range f.Observations {
			c := cellView{Text: behaviour(f.Scenario, o)}
			for _, r := range o.AlsoSeen {
				if behaviourOf(f.Scenario, o, r) != c.Text {
					c.Varies = true
				}
			}
			v.Cells = append(v.Cells, c)
			if i < len(versions) && !slices.Contains(versions[i], o.Version) {
				versions[i] = append(versions[i], o.Version)
			}
		}
		t.Scenarios = append(t.Scenarios, v)
		dates = append(dates, f.Checked)
	}
	for i, c := range clients {
		t.Clients = append(t.Clients, clientView{Client: c, Version: strings.Join(versions[i], ", "), Options: clientOptions(c)})
	}
	slices.Sort(dates)
	t.Checked = dates[0]
	if last := dates[len(dates)-1]; last != dates[0] {
		t.Checked += " to " + last
	}
	return t
}

// askWords says what else than its request the clients were asked to do
// in a scenario: " with a body, following redirects", or "".
func askWords(s catalog.Scenario) string {
	var w string
	if s.Body != "" {
		w += " with a body"
	}
	for _, h := range s.Headers {
		name, _, _ := strings.Cut(h, ":")
		w += " with " + name
	}
	for _, o := range []struct {
		on   bool
		what string
	}{{s.Follow, "following redirects"}, {s.Retry, "with the client's retries on"}, {s.Credentials, "with a user name and password"}} {
		if o.on {
			w += ", " + o.what
		}
	}
	return w
}

// behaviour says in a few words what a client did: "follows, GET",
// "302 shown", "error: reset", "retries after 5 s", "no answer in 8 s".
func behaviour(s catalog.Scenario, o catalog.Observation) string {
	return behaviourOf(s, o, o.Result)
}

func behaviourOf(s catalog.Scenario, o catalog.Observation, r catalog.ClientResult) string {
	var parts []string
	reqs := slices.DeleteFunc(slices.Clone(r.Requests), func(q catalog.ClientRequest) bool { return q.Method == "OPTIONS" })
	hops, retries := walkRequests(reqs)
	if len(hops) > 0 {
		parts = append(parts, hopWords(reqs[0], hops))
	}
	if s.Credentials && len(reqs) > 0 {
		parts = append(parts, credentialWords(reqs))
		if !reqs[0].Auth {
			// The request again with credentials is the answer to the
			// challenge, not a retry.
			retries = slices.DeleteFunc(retries, func(q catalog.ClientRequest) bool { return q.Auth })
		}
	}
	if len(retries) > 0 {
		parts = append(parts, retryWords(retries))
	}
	for _, opt := range o.Options {
		if before, ok := strings.CutPrefix(opt, "no option for "); ok {
			what, _, _ := strings.Cut(before, ":")
			parts = append(parts, "no option for "+what)
		}
	}
	switch r.Outcome {
	case catalog.OutcomeNone:
		parts = append(parts, fmt.Sprintf("no answer in %d s", r.Seconds))
	case catalog.OutcomeError:
		parts = append(parts, errorWords(r.Error))
	default:
		parts = append(parts, responseWords(s, r)...)
	}
	if r.Outcome != catalog.OutcomeNone && r.Seconds > 0 && len(retries) == 0 {
		parts[len(parts)-1] += fmt.Sprintf(" after %d s", r.Seconds)
	}
	return strings.Join(parts, ", ")
}

// walkRequests splits the requests after the first into hops (a request
// for another URL: a redirect followed) and retries (the same request
// again).
func walkRequests(reqs []catalog.ClientRequest) (hops, retries []catalog.ClientRequest) {
	for i := 1; i < len(reqs); i++ {
		p, q := reqs[i-1], reqs[i]
		if q.Method == p.Method && q.Path == p.Path && q.Origin == p.Origin {
			retries = append(retries, q)
		} else {
			hops = append(hops, q)
		}
	}
	return hops, retries
}

// hopWords describes the redirects a client followed.
func hopWords(first catalog.ClientRequest, hops []catalog.ClientRequest) string {
	if len(hops) > 1 {
		return fmt.Sprintf("follows %d redirects", len(hops))
	}
	h := hops[0]
	w := "follows, " + h.Method
	switch {
	case h.Body > 0:
		w += " with the body"
	case first.Body > 0 && h.Method != "GET":
		w += " without the body"
	}
	if h.Origin != "" && first.Auth {
		if h.Auth {
			w += ", keeps Authorization"
		} else {
			w += ", drops Authorization"
		}
	}
	return w
}

// credentialWords says when a client given credentials sent an
// Authorization header. (The harness sees no Proxy-Authorization.)
func credentialWords(reqs []catalog.ClientRequest) string {
	if reqs[0].Auth {
		return "Authorization up front"
	}
	n := 0
	for _, q := range reqs[1:] {
		if q.Auth {
			n++
		}
	}
	switch n {
	case 0:
		return "no Authorization sent"
	case 1:
		return "Authorization after the challenge"
	}
	return fmt.Sprintf("Authorization after the challenge, %d times", n)
}

// retryWords describes the repeats of a request and the waits before
// them.
func retryWords(retries []catalog.ClientRequest) string {
	waits := make([]string, len(retries))
	same := true
	for i, q := range retries {
		waits[i] = strconv.Itoa(q.After)
		same = same && q.After == retries[0].After
	}
	n, w := len(retries), retries[0].After
	switch {
	case n == 1 && w == 0:
		return "retries at once"
	case n == 1:
		return fmt.Sprintf("retries after %d s", w)
	case same && w == 0:
		return fmt.Sprintf("retries %d times at once", n)
	case same:
		return fmt.Sprintf("retries %d times, %d s apart", n, w)
	}
	return fmt.Sprintf("retries %d times, after %s s", n, strings.Join(waits, ", "))
}

// responseWords describes the response a client returned: its status,
// for a fault the body it kept, and the error it raised with it.
func responseWords(s catalog.Scenario, r catalog.ClientResult) []string {
	if r.Error == "urllib.error.HTTPError" {
		return []string{strconv.Itoa(r.Status) + " raised as HTTPError"}
	}
	parts := []string{strconv.Itoa(r.Status) + " shown"}
	if s.Fault != "" && r.BodyBytes > 0 {
		parts = append(parts, strconv.Itoa(r.BodyBytes)+" bytes of body")
	}
	if r.Error != "" {
		parts = append(parts, errorWords(r.Error))
	}
	return parts
}

// errorKinds name the kinds of error clients raise in a few words, by
// what their error says, the first match winning.
var errorKinds = []struct {
	says []string
	word string
}{
	{[]string{"timeout", "timed out"}, "timeout"},
	{[]string{"empty_response", "remotedisconnected", "received no bytes", "socket hang up"}, "empty reply"},
	{[]string{"reset"}, "reset"},
	{[]string{"redirect"}, "too many redirects"},
	{[]string{"incompleteread", "bytes received", "unexpected eof", "terminated", "error aborted", "exceeds response body"}, "incomplete body"},
	{[]string{"parse error", "protocolerror"}, "protocol error"},
	{[]string{"err_aborted", "binding_aborted", "aborterror"}, "aborted"},
	{[]string{"und_err_socket"}, "socket error"},
	{[]string{"failed to fetch", "networkerror"}, "network error"},
	{[]string{"fetch failed"}, "fetch failed"},
	{[]string{"authentication attempts"}, "too many auth attempts"},
	{[]string{"invalid_auth_credentials"}, "invalid credentials"},
	{[]string{"unexpected_proxy_auth"}, "unexpected proxy auth"},
	{[]string{"retryerror"}, "retries exhausted"},
	{[]string{"eof", "closedchannel"}, "closed"},
}

// errorWords says in a few words what a client's error means: "error:
// reset". An exit status is kept as it is ("exit 52"): it is what a
// script sees.
func errorWords(e string) string {
	switch {
	case strings.HasPrefix(e, "exit "):
		return e
	case e == "EOF": // Go's word for a connection closed before any byte
		return "error: empty reply"
	}
	low := strings.ToLower(e)
	for _, k := range errorKinds {
		for _, s := range k.says {
			if strings.Contains(low, s) {
				return "error: " + k.word
			}
		}
	}
	return "error: " + e
}

// clientsPage is /clients: every scenario and client.
type clientsPage struct {
	base
	Table *clientsTable
}

func (r *Renderer) clientsData() *clientsPage {
	p := &clientsPage{Table: clientsTableOf(r.cat.Clients(), r.cat.Scenarios())}
	p.Title = "What clients do"
	p.Description = "What real HTTP clients (curl, wget, Go, Python, Node, Java, Chromium, Firefox) did with each status and fault of the live endpoint, with their versions."
	p.Path = ClientsPath
	p.Crumbs = []crumb{{"Home", "/"}, {"Clients", ""}}
	return p
}

// Clients renders /clients in format f: every scenario, what each client
// did in it, and the clients with their versions and options.
func (r *Renderer) Clients(f Format) ([]byte, error) {
	p := r.clientsData()
	switch f {
	case JSON:
		return marshal(clientsPageJSON{clientsJSON: clientsJSONOf(p.Table), credit: contentCredit()})
	case Text:
		return clientsText(p), nil
	}
	return r.execute("clients", p)
}

// clientsJSON is the JSON of a clientsTable: the clients, the scenarios,
// and each observation as data.
type clientsJSON struct {
	Checked      string            `json:"checked"`
	URL          string            `json:"url"`
	Clients      []clientJSON      `json:"clients"`
	Scenarios    []scenarioJSON    `json:"scenarios"`
	Observations []observationJSON `json:"observations"`
}

// clientsPageJSON is /clients.json.
type clientsPageJSON struct {
	*clientsJSON
	credit
}

// clientJSON is a client with the versions observed.
type clientJSON struct {
	catalog.Client
	Version string `json:"version"`
}

// scenarioJSON is a scenario with the date it was checked.
type scenarioJSON struct {
	catalog.Scenario
	Checked string `json:"checked"`
}

// observationJSON is what one client did in one scenario: the data, and
// in Summary the words the pages show.
type observationJSON struct {
	Client   string                 `json:"client"`
	Version  string                 `json:"version"`
	Scenario string                 `json:"scenario"`
	Summary  string                 `json:"summary"`
	Options  []string               `json:"options,omitempty"`
	Result   catalog.ClientResult   `json:"result"`
	AlsoSeen []catalog.ClientResult `json:"also_seen,omitempty"`
}

// clientsJSONOf returns the JSON of t, or nil for none.
func clientsJSONOf(t *clientsTable) *clientsJSON {
	if t == nil {
		return nil
	}
	j := &clientsJSON{Checked: t.Checked, URL: ClientsPath, Clients: []clientJSON{}, Scenarios: []scenarioJSON{}, Observations: []observationJSON{}}
	for _, c := range t.Clients {
		j.Clients = append(j.Clients, clientJSON{Client: c.Client, Version: c.Version})
	}
	for _, s := range t.Scenarios {
		j.Scenarios = append(j.Scenarios, scenarioJSON{Scenario: s.Scenario, Checked: s.Checked})
		for i, o := range s.Observations {
			j.Observations = append(j.Observations, observationJSON{
				Client: o.Client, Version: o.Version, Scenario: s.Scenario.ID, Summary: s.Cells[i].Text,
				Options: o.Options, Result: o.Result, AlsoSeen: o.AlsoSeen,
			})
		}
	}
	return j
}

// clientsLead is the sentence before a table of what clients did.
const clientsLead = "What real HTTP clients did when the server answered as each scenario says, with their default settings unless the scenario asks for an option."

// clientsTableText writes the scenarios of t, each with what every
// client did.
func clientsTableText(w *textWriter, t *clientsTable) {
	for _, s := range t.Scenarios {
		w.wrap("", "", s.Scenario.Title)
		w.wrap("  ", "  ", "The client: "+s.Request+s.Asks+". The server"+serverWords(s.Scenario)+": "+s.Scenario.Response+".")
		for i, c := range t.Clients {
			cell := s.Cells[i]
			text := cell.Text
			if cell.Varies {
				text += " (varies)"
			}
			w.wrap("  - ", "    ", c.Name+" "+s.Observations[i].Version+": "+text)
		}
		w.blank()
	}
}

// serverWords names the server of a scenario that the harness plays.
func serverWords(s catalog.Scenario) string {
	if s.Server == "harness" {
		return " (the harness's own)"
	}
	return ""
}

// codeClientsText writes the section "What clients do" of a code page.
func codeClientsText(w *textWriter, t *clientsTable) {
	if t == nil {
		return
	}
	w.heading("What clients do")
	w.para("", "", clientsLead+" Checked "+t.Checked+"; every scenario and client: "+ClientsPath)
	clientsTableText(w, t)
}

func clientsText(p *clientsPage) []byte {
	w := &textWriter{}
	w.title(p.Title)
	w.para("", "", p.Description)
	if p.Table == nil {
		w.para("", "", "No observations yet.")
		w.credit()
		return done(w)
	}
	w.para("", "", clientsLead+" Checked "+p.Table.Checked+".")
	w.heading("Clients")
	for _, c := range p.Table.Clients {
		line := c.Name + " " + c.Version
		if c.Options != "" {
			line += "; " + c.Options
		}
		w.wrap("- ", "  ", line)
	}
	w.heading("Scenarios")
	clientsTableText(w, p.Table)
	w.credit()
	return done(w)
}

// clientOptions lists the options the harness gives a client when a
// scenario asks for them: "follows redirects with -L, retries with
// --retry 2".
func clientOptions(c catalog.Client) string {
	var opts []string
	for _, o := range []struct{ what, how string }{{"follows redirects with", c.Follow}, {"retries with", c.Retry}, {"credentials with", c.Credentials}} {
		switch o.how {
		case "":
		case "default":
			opts = append(opts, strings.TrimSuffix(o.what, " with")+" by default")
		default:
			opts = append(opts, o.what+" "+o.how)
		}
	}
	return strings.Join(opts, ", ")
}
