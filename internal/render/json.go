package render

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

type codeJSON struct {
	Code     int         `json:"code"`
	Name     string      `json:"name"`
	Class    string      `json:"class"`
	URL      string      `json:"url"`
	Assigned bool        `json:"assigned"`
	TreatAs  int         `json:"treat_as,omitempty"`
	Entries  []entryJSON `json:"entries"`
}

type entryJSON struct {
	Name       string            `json:"name"`
	Registered bool              `json:"registered"`
	Status     catalog.Status    `json:"status"`
	Vendor     string            `json:"vendor,omitempty"`
	Aliases    []string          `json:"aliases"`
	Summary    string            `json:"summary"`
	Spec       catalog.Link      `json:"spec"`
	Sources    []catalog.Link    `json:"sources"`
	Headers    []catalog.Header  `json:"headers"`
	Cacheable  bool              `json:"cacheable"`
	Retry      string            `json:"retry"`
	Constants  catalog.Constants `json:"constants"`
	Related    []int             `json:"related"`
	Example    string            `json:"example,omitempty"`
	Body       string            `json:"body"`
}

type linkJSON struct {
	Code    int    `json:"code"`
	Name    string `json:"name"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
	Vendor  string `json:"vendor,omitempty"`
	URL     string `json:"url"`
}

type classJSON struct {
	Class   string     `json:"class"`
	Title   string     `json:"title"`
	Lead    string     `json:"lead"`
	Means   string     `json:"means"`
	Appears []string   `json:"appears"`
	Notes   []string   `json:"notes"`
	Codes   []linkJSON `json:"codes"`
}

type searchJSON struct {
	Query   string     `json:"query"`
	Results []linkJSON `json:"results"`
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
	j := codeJSON{Code: p.Code, Class: p.ClassName, URL: p.Path, Assigned: len(p.Entries) > 0, TreatAs: p.TreatAs, Entries: []entryJSON{}}
	for _, v := range p.Entries {
		e := v.Entry
		if j.Name == "" {
			j.Name = e.Name
		}
		j.Entries = append(j.Entries, entryJSON{
			Name: e.Name, Registered: e.Status.Registered(), Status: e.Status, Vendor: e.Vendor,
			Aliases: nonNil(e.Aliases), Summary: e.Summary, Spec: e.Spec, Sources: nonNil(e.Sources),
			Headers: nonNil(e.Headers), Cacheable: e.Cacheable, Retry: e.Retry, Constants: e.Constants,
			Related: nonNil(e.Related), Example: e.Example, Body: e.Body,
		})
	}
	return j
}

func jsonLinks(ls []codeLink) []linkJSON {
	out := []linkJSON{}
	for _, l := range ls {
		out = append(out, linkJSON{Code: l.Code, Name: l.Name, Summary: l.Summary, Status: string(l.Status), Vendor: l.Vendor, URL: l.URL})
	}
	return out
}

func classJSONOf(p *classPage) classJSON {
	k := p.Info
	return classJSON{Class: k.Name, Title: k.Title, Lead: k.Lead, Means: k.Means, Appears: k.Appears, Notes: k.Notes, Codes: jsonLinks(p.Rows)}
}

func searchJSONOf(p *searchPage) searchJSON {
	return searchJSON{Query: p.Query, Results: jsonLinks(p.Results)}
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
		{"CodeList", "Every code of the catalog, each as /{code}.json gives it.", []codeJSON{}},
		{"Class", "One class of status codes (1xx to 5xx): what it means, where it appears, and its codes.", classJSON{}},
		{"Search", "The results of a search, best first.", searchJSON{}},
		{"NotFound", "The answer to a path that names nothing, with the codes closest to what it says.", notFoundJSON{}},
		{"Entry", "One meaning of a status code.", entryJSON{}},
		{"CodeLink", "A link to the page of one meaning of a code, as tables and search results list it.", linkJSON{}},
	}
}
