package render

import (
	"fmt"
	"html/template"
	"strconv"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Notice is the sentence every class page and code page carries: the guide
// explains statuses, it does not answer with them.
const Notice = "This is an educational guide. The pages linked here are documentation pages served as 200 OK, even when the HTTP status code being explained is an error response."

// base is the data every HTML page has.
type base struct {
	Title       string
	Description string
	Path        string
	Class       string // "5xx" for the class colour, or ""
	Crumbs      []crumb
	Query       string
}

type crumb struct{ Name, URL string }

// codeLink is one row of a code table or list of results.
type codeLink struct {
	Code    int
	Name    string
	Summary string
	Class   string
	URL     string
	Status  catalog.Status
	Vendor  string
}

func linkTo(k *catalog.Code, e *catalog.Entry) codeLink {
	return codeLink{Code: k.Code, Name: e.Name, Summary: e.Summary, Class: k.Class(), URL: "/" + strconv.Itoa(k.Code), Status: e.Status, Vendor: e.Vendor}
}

type constant struct{ Lang, Name string }

type entryView struct {
	*catalog.Entry
	Label     string
	BodyHTML  template.HTML
	Related   []codeLink
	Constants []constant
	Anchor    string
}

type codePage struct {
	base
	Code       int
	ClassName  string
	ClassTitle string
	Notice     string
	Entries    []entryView
	Prev, Next *codeLink
	TreatAs    int // for an unassigned code: the x00 of its class
	TreatName  string
}

type classPage struct {
	base
	Info   *catalog.Class
	Notice string
	Rows   []codeLink
}

type homePage struct {
	base
	Notice  string
	Classes []*catalog.Class
	Rows    []codeLink
}

type searchPage struct {
	base
	Results []codeLink
}

type notFoundPage struct {
	base
	Suggestions []codeLink
}

// Label describes the status of a meaning in a few words:
// "Standard", "Unofficial (nginx)".
func Label(e *catalog.Entry) string {
	switch e.Status {
	case catalog.Standard:
		return "Standard"
	case catalog.Temporary:
		return "Temporary registration"
	case catalog.Obsoleted:
		return "Obsoleted"
	case catalog.Unused:
		return "Unused (reserved)"
	case catalog.Unofficial:
		return "Unofficial (" + e.Vendor + ")"
	}
	return string(e.Status)
}

func constants(c catalog.Constants) []constant {
	var out []constant
	for _, k := range []constant{
		{"Go (net/http)", c.Go},
		{"Python (http.HTTPStatus)", c.Python},
		{"Java (Spring HttpStatus)", c.Java},
		{".NET (System.Net.HttpStatusCode)", c.DotNet},
		{"Rust (http::StatusCode)", c.Rust},
	} {
		if k.Name != "" {
			out = append(out, k)
		}
	}
	return out
}

// codeData builds the page data of any number: a code of the catalog, or an
// unassigned number from 100 to 599. Other numbers are catalog.ErrNotFound.
func (r *Renderer) codeData(code int) (*codePage, error) {
	cls := catalog.ClassOf(code)
	p := &codePage{Code: code, ClassName: cls, Notice: Notice}
	p.Path = "/" + strconv.Itoa(code)
	if k, err := r.cat.Class(cls); err == nil {
		p.ClassTitle = k.Title
		p.Class = cls
		p.Crumbs = []crumb{{"Home", "/"}, {cls, "/" + cls}, {strconv.Itoa(code), ""}}
	} else {
		p.ClassTitle = "outside the standard range (RFC 9110 §15 allows 100 to 599)"
		p.Crumbs = []crumb{{"Home", "/"}, {strconv.Itoa(code), ""}}
	}
	k, err := r.cat.Lookup(code)
	if err != nil {
		if !catalog.InRange(code) {
			return nil, err
		}
		p.TreatAs = code / 100 * 100
		if x, err := r.cat.Lookup(p.TreatAs); err == nil {
			p.TreatName = x.Primary().Name
		}
		p.Title = fmt.Sprintf("%d: unassigned %s status code", code, cls)
		p.Description = fmt.Sprintf("No meaning is assigned to %d. Clients treat it as %d.", code, p.TreatAs)
	} else {
		e := k.Primary()
		p.Title = fmt.Sprintf("%d %s", code, e.Name)
		p.Description = e.Summary
		for i := range k.Entries {
			e := &k.Entries[i]
			v := entryView{Entry: e, Label: Label(e), Constants: constants(e.Constants)}
			if len(k.Entries) > 1 {
				v.Anchor = fmt.Sprintf("meaning-%d", i+1)
			}
			for _, n := range e.Related {
				if rk, err := r.cat.Lookup(n); err == nil {
					v.Related = append(v.Related, linkTo(rk, rk.Primary()))
				}
			}
			p.Entries = append(p.Entries, v)
		}
	}
	prev, next := r.neighbours(code)
	if prev != nil {
		l := linkTo(prev, prev.Primary())
		p.Prev = &l
	}
	if next != nil {
		l := linkTo(next, next.Primary())
		p.Next = &l
	}
	return p, nil
}

// neighbours returns the codes of the catalog just before and after code.
func (r *Renderer) neighbours(code int) (prev, next *catalog.Code) {
	for _, k := range r.cat.Codes() {
		if k.Code < code {
			prev = k
		}
		if k.Code > code {
			return prev, k
		}
	}
	return prev, nil
}

func (r *Renderer) classData(name string) (*classPage, error) {
	k, err := r.cat.Class(name)
	if err != nil {
		return nil, err
	}
	p := &classPage{Info: k, Notice: Notice}
	p.Title = name + " HTTP Status Codes"
	p.Description = k.Lead
	p.Path = "/" + name
	p.Class = name
	p.Crumbs = []crumb{{"Home", "/"}, {name, ""}}
	for _, c := range r.cat.InClass(name) {
		p.Rows = append(p.Rows, linkTo(c, c.Primary()))
	}
	return p, nil
}

func (r *Renderer) homeData() *homePage {
	p := &homePage{Classes: r.cat.Classes(), Notice: Notice}
	p.Title = "HTTP Status Codes"
	p.Description = "A reference of every HTTP status code: registered, unofficial and vendor-specific, with the RFCs, headers, caching and retry rules."
	p.Path = "/"
	for _, k := range r.cat.Codes() {
		for i := range k.Entries {
			p.Rows = append(p.Rows, linkTo(k, &k.Entries[i]))
		}
	}
	return p
}
