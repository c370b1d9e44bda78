package render

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"

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
	Guide   string // a guide's name, when the link is to a guide
}

func linkTo(k *catalog.Code, e *catalog.Entry) codeLink {
	return codeLink{Code: k.Code, Name: e.Name, Summary: e.Summary, Class: k.Class(), URL: "/" + strconv.Itoa(k.Code), Status: e.Status, Vendor: e.Vendor}
}

// statusUnassigned is the status a search result gives a number from 100
// to 599 that has no meaning in the catalog.
const statusUnassigned catalog.Status = "unassigned"

// unassignedLink returns the link to the page of s when s is a number from
// 100 to 599 with no meaning in the catalog ("299").
func (r *Renderer) unassignedLink(s string) (codeLink, bool) {
	code, err := catalog.ParseCode(s)
	if err != nil || !catalog.InRange(code) {
		return codeLink{}, false
	}
	if r.has(code) {
		return codeLink{}, false
	}
	p, err := r.codeData(code)
	if err != nil {
		return codeLink{}, false
	}
	sum := fmt.Sprintf("No meaning is assigned to %d. Clients treat it as %d", code, p.TreatAs)
	if p.TreatName != "" {
		sum += " " + p.TreatName
	}
	return codeLink{Code: code, Name: "Unassigned", Summary: sum + ".", Class: p.ClassName, URL: p.Path, Status: statusUnassigned}, true
}

type constant struct{ Lang, Name string }

type entryView struct {
	*catalog.Entry
	Label     string
	BodyHTML  template.HTML
	Related   []codeLink
	Constants []constant
	Anchor    string
	IDPrefix  string // prefix of the ids of the entry's sections: "" or "meaning-2-"
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
	TOC        []tocItem // the table of contents of a long page, or nil
	// Guides are the guides the code belongs to, and GuideTables the
	// tables of those that show their table on the pages of their codes.
	Guides      []guideLink
	GuideTables []guideTable
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
	Guides  []guideLink
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
				v.IDPrefix = v.Anchor + "-"
			}
			for _, n := range e.Related {
				if rk, err := r.cat.Lookup(n); err == nil {
					v.Related = append(v.Related, linkTo(rk, rk.Primary()))
				}
			}
			p.Entries = append(p.Entries, v)
		}
		r.addGuides(p)
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
	for _, g := range r.cat.Guides() {
		p.Guides = append(p.Guides, linkToGuide(g))
	}
	for _, k := range r.cat.Codes() {
		for i := range k.Entries {
			p.Rows = append(p.Rows, linkTo(k, &k.Entries[i]))
		}
	}
	return p
}

// tocItem is a line of a code page's table of contents: a section, or on a
// page with several meanings, a meaning and its sections.
type tocItem struct {
	ID, Title string
	Note      string // a meaning's status: "Unofficial (nginx)"
	Sub       []tocItem
}

// minTOC is the number of sections from which a code page is long enough
// to have a table of contents.
const minTOC = 5

// markdownH2 matches a level-2 heading as goldmark renders "## Title".
var markdownH2 = regexp.MustCompile(`<h2>(.*?)</h2>`)

// addTOC gives the level-2 headings of each meaning's Markdown body an id
// and builds the table of contents: those headings, then the sections the
// code template adds (headers, example, constants, related codes,
// sources), under each meaning when there are several. It runs once the
// bodies are rendered; a short page gets none.
func (p *codePage) addTOC() {
	var items []tocItem
	n := 0
	for i := range p.Entries {
		v := &p.Entries[i]
		var secs []tocItem
		v.BodyHTML = template.HTML(markdownH2.ReplaceAllStringFunc(string(v.BodyHTML), func(h string) string {
			inner := markdownH2.FindStringSubmatch(h)[1]
			title := html.UnescapeString(tagRE.ReplaceAllString(inner, ""))
			id := v.IDPrefix + slug(title)
			secs = append(secs, tocItem{ID: id, Title: title})
			return `<h2 id="` + id + `">` + inner + `</h2>`
		}))
		for _, s := range []struct {
			on    bool
			id    string
			title string
		}{
			{len(v.Headers) > 0, "headers", "Headers"},
			{v.Example != "", "example", "Example response"},
			{len(v.Constants) > 0, "constants", "Constants"},
			{len(v.Related) > 0, "related", "Related codes"},
			{len(v.Sources) > 0, "sources", "Sources"},
		} {
			if s.on {
				secs = append(secs, tocItem{ID: v.IDPrefix + s.id, Title: s.title})
			}
		}
		n += len(secs)
		if len(p.Entries) == 1 {
			items = secs
			break
		}
		items = append(items, tocItem{ID: v.Anchor, Title: v.Name, Note: v.Label, Sub: secs})
	}
	if len(p.Guides) > 0 {
		items = append(items, tocItem{ID: "guides", Title: "Guides"})
	}
	if n >= minTOC {
		p.TOC = items
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// slug turns a heading into an id: "Common causes and fixes" into
// "common-causes-and-fixes".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}
