package render

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// credit is the content's licence and the credit it asks for, in every
// JSON form that carries content.
type credit struct {
	License     *catalog.Link `json:"license,omitempty"`
	Attribution string        `json:"attribution,omitempty"`
}

func contentCredit() credit {
	return credit{License: &catalog.License, Attribution: catalog.Attribution()}
}

// codesJSON is /codes.json: every code, with the content's licence.
type codesJSON struct {
	credit
	Codes []codeJSON `json:"codes"`
}

type codeJSON struct {
	Code     int         `json:"code"`
	Name     string      `json:"name"`
	Class    string      `json:"class"`
	URL      string      `json:"url"`
	Assigned bool        `json:"assigned"`
	TreatAs  int         `json:"treat_as,omitempty"`
	Entries  []entryJSON `json:"entries"`
	// Guides are the guides the code belongs to.
	Guides []guideLinkJSON `json:"guides"`
	// Clients is what real clients did in the scenarios that concern
	// the code.
	Clients *clientsJSON `json:"clients,omitempty"`
	credit
}

type entryJSON struct {
	Name       string           `json:"name"`
	Registered bool             `json:"registered"`
	Status     catalog.Status   `json:"status"`
	Vendor     string           `json:"vendor,omitempty"`
	Aliases    []string         `json:"aliases"`
	Summary    string           `json:"summary"`
	Spec       catalog.Link     `json:"spec"`
	Sources    []catalog.Link   `json:"sources"`
	Headers    []catalog.Header `json:"headers"`
	Cacheable  bool             `json:"cacheable"`
	Retry      string           `json:"retry"`
	Constants  constantsJSON    `json:"constants"`
	Related    []int            `json:"related"`
	Example    string           `json:"example,omitempty"`
	Body       string           `json:"body"`
}

// constantsJSON is the constants of a meaning by library, in the order
// of catalog.Libraries, each list with the current names first; a library
// without a constant for the meaning is left out.
type constantsJSON struct {
	Go     []constantJSON `json:"go,omitempty"`
	Python []constantJSON `json:"python,omitempty"`
	Java   []constantJSON `json:"java,omitempty"`
	DotNet []constantJSON `json:"dotnet,omitempty"`
	Rust   []constantJSON `json:"rust,omitempty"`
}

// of returns the list of the library with the given key.
func (j *constantsJSON) of(key string) *[]constantJSON {
	switch key {
	case "go":
		return &j.Go
	case "python":
		return &j.Python
	case "java":
		return &j.Java
	case "dotnet":
		return &j.DotNet
	}
	return &j.Rust
}

// constantJSON is one constant as code writes it ("HttpStatus.OK"), its
// state (current, deprecated, removed) and the library releases that
// added, deprecated and removed it.
type constantJSON struct {
	Name        string        `json:"name"`
	State       catalog.State `json:"state"`
	Since       string        `json:"since,omitempty"`
	Deprecated  string        `json:"deprecated,omitempty"`
	Replacement string        `json:"replacement,omitempty"`
	Removed     string        `json:"removed,omitempty"`
}

func constantsJSONOf(c catalog.Constants) constantsJSON {
	var j constantsJSON
	for _, lib := range catalog.Libraries {
		list := j.of(lib.Key)
		for _, k := range c.Of(lib.Key) {
			r := constantJSON{Name: lib.Prefix + k.Name, State: k.State(), Since: k.Since, Deprecated: k.Deprecated, Removed: k.Removed}
			if k.Replacement != "" {
				r.Replacement = lib.Prefix + k.Replacement
			}
			*list = append(*list, r)
		}
	}
	return j
}

// linkJSON is a code in a list or a result of a search. A guide among
// search results has no code, the status "guide" and its name in guide.
type linkJSON struct {
	Code    int    `json:"code,omitempty"`
	Guide   string `json:"guide,omitempty"`
	Name    string `json:"name"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
	Vendor  string `json:"vendor,omitempty"`
	URL     string `json:"url"`
}

// classJSON is a class page in the seed's shape, as the HTML and text
// forms show it: the title ("5xx HTTP Status Codes"), the lead, the notice
// that the guide's pages are served 200 OK, what the class means, where its
// responses appear, implementation notes, and every meaning of its codes.
// Name is the class in words ("Server error").
type classJSON struct {
	Class   string     `json:"class"`
	Title   string     `json:"title"`
	Name    string     `json:"name"`
	Lead    string     `json:"lead"`
	Notice  string     `json:"notice"`
	Means   string     `json:"means"`
	Appears []string   `json:"appears"`
	Notes   []string   `json:"notes"`
	Codes   []linkJSON `json:"codes"`
	credit
}

type searchJSON struct {
	Query   string     `json:"query"`
	Results []linkJSON `json:"results"`
	credit
}

type notFoundJSON struct {
	Error       string     `json:"error"`
	Path        string     `json:"path"`
	Suggestions []linkJSON `json:"suggestions"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func codeJSONOf(p *codePage) codeJSON {
	j := codeJSON{credit: contentCredit(), Code: p.Code, Class: p.ClassName, URL: p.Path, Assigned: len(p.Entries) > 0, TreatAs: p.TreatAs, Entries: []entryJSON{}, Guides: guideJSONLinks(p.Guides), Clients: clientsJSONOf(p.Clients)}
	for _, v := range p.Entries {
		e := v.Entry
		if j.Name == "" {
			j.Name = e.Name
		}
		j.Entries = append(j.Entries, entryJSON{
			Name: e.Name, Registered: e.Status.Registered(), Status: e.Status, Vendor: e.Vendor,
			Aliases: nonNil(e.Aliases), Summary: e.Summary, Spec: e.Spec, Sources: nonNil(e.Sources),
			Headers: nonNil(e.Headers), Cacheable: e.Cacheable, Retry: e.Retry, Constants: constantsJSONOf(e.Constants),
			Related: nonNil(e.Related), Example: e.Example, Body: e.Body,
		})
	}
	return j
}

func jsonLinks(ls []codeLink) []linkJSON {
	out := []linkJSON{}
	for _, l := range ls {
		out = append(out, linkJSON{Code: l.Code, Guide: l.Guide, Name: l.Name, Summary: l.Summary, Status: string(l.Status), Vendor: l.Vendor, URL: l.URL})
	}
	return out
}

func classJSONOf(p *classPage) classJSON {
	k := p.Info
	return classJSON{credit: contentCredit(), Class: k.Name, Title: p.Title, Name: k.Title, Lead: k.Lead, Notice: p.Notice, Means: k.Means, Appears: k.Appears, Notes: k.Notes, Codes: jsonLinks(p.Rows)}
}

func searchJSONOf(p *searchPage) searchJSON {
	return searchJSON{credit: contentCredit(), Query: p.Query, Results: jsonLinks(p.Results)}
}

// marshal encodes v as indented JSON with a final newline, leaving <, >
// and & as they are.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return buf.Bytes(), nil
}

// A JSONForm is one kind of JSON document the site serves: a name and
// description for documents that describe the site (its OpenAPI
// description), and a value of its Go type, from which a JSON Schema of it
// can be generated. A field added to the type is in the schema.
type JSONForm struct {
	Name        string
	Description string
	Value       any
}

// JSONForms returns the JSON forms of the site's pages, and the names of
// the types they hold that a document should name (CodeLink, not the
// linkJSON of this package).
func JSONForms() []JSONForm {
	return []JSONForm{
		{"Code", "One status code: every meaning it has, the registered or best-known one first; an unassigned number from 100 to 599 has none, and treat_as names the code clients treat it as.", codeJSON{}},
		{"CodeList", "Every code of the catalog, each as /{code}.json gives it, with the content's licence and credit said once for the list.", codesJSON{}},
		{"Class", "One class of status codes (1xx to 5xx): what it means, where it appears, and its codes.", classJSON{}},
		{"Search", "The results of a search, best first.", searchJSON{}},
		{"NotFound", "The answer to a path that names nothing, with the codes closest to what it says.", notFoundJSON{}},
		{"Entry", "One meaning of a status code.", entryJSON{}},
		{"CodeLink", "A link to the page of one meaning of a code, as tables and search results list it.", linkJSON{}},
		{"Guide", "One guide: choosing a status (a decision tree) or a comparison of codes people confuse (a table), with its codes and sources.", guideJSON{}},
		{"GuideList", "Every guide, with the content's licence and credit.", guidesJSON{}},
		{"GuideLink", "A guide in a list: its name, title, summary, page and codes.", guideLinkJSON{}},
		{"Clients", "What real HTTP clients did in each scenario against the live endpoint: the clients with their versions, the scenarios, and every observation, with the date checked; the content's licence and credit.", clientsPageJSON{}},
		{"ClientTable", "The client observations of one code's page: its scenarios, the clients and what each did.", clientsJSON{}},
	}
}
