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
	// Also marks a meaning after a code's first in a table of every
	// meaning: its row links to the meaning's part of the page and names
	// its vendor.
	Also bool
}

// meaningLinks returns a row for every meaning of a code, the first
// linking to the code's page, the others to their part of it.
func meaningLinks(k *catalog.Code) []codeLink {
	out := make([]codeLink, len(k.Entries))
	for i := range k.Entries {
		out[i] = linkTo(k, &k.Entries[i])
		if i > 0 {
			out[i].URL += fmt.Sprintf("#meaning-%d", i+1)
			out[i].Also = true
		}
	}
	return out
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

// libraryConstants is a library's constants for one meaning, as a page
// shows them: the current names first.
type libraryConstants struct {
	Library catalog.Library
	Rows    []constantRow
}

// constantRow is one constant: the name as code writes it, its state and
// the releases that have it, in words.
type constantRow struct {
	Name  string // "HttpStatus.CONTENT_TOO_LARGE"
	State catalog.State
	Note  string // "current, added in 7.0"
}

type entryView struct {
	*catalog.Entry
	Label     string
	BodyHTML  template.HTML
	Related   []codeLink
	Constants []libraryConstants
	CacheRule catalog.Link // the document that says whether it is cacheable by default
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
	// Clients is what real clients did in the scenarios that concern
	// the code, or nil.
	Clients *clientsTable
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
	Beyond      []int // the catalog's codes above 599
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

func constants(c catalog.Constants) []libraryConstants {
	var out []libraryConstants
	for _, lib := range catalog.Libraries {
		cs := c.Of(lib.Key)
		if len(cs) == 0 {
			continue
		}
		l := libraryConstants{Library: lib}
		for _, k := range cs {
			l.Rows = append(l.Rows, constantRow{Name: lib.Prefix + k.Name, State: k.State(), Note: constantNote(lib, k)})
		}
		out = append(out, l)
	}
	return out
}

// constantNote says in words where a constant stands and which releases
// have it: "current", "current, added in 7.0", "added in 4.1; deprecated
// in 7.0: use HttpStatus.CONTENT_TOO_LARGE".
func constantNote(lib catalog.Library, c catalog.Constant) string {
	var parts []string
	for _, p := range []struct{ word, version string }{{"added in ", c.Since}, {"deprecated in ", c.Deprecated}, {"removed in ", c.Removed}} {
		if p.version != "" {
			parts = append(parts, p.word+p.version)
		}
	}
	s := strings.Join(parts, "; ")
	if c.Replacement != "" {
		s += ": use " + lib.Prefix + c.Replacement
	}
	if c.State() == catalog.StateCurrent {
		s = strings.TrimSuffix("current, "+s, ", ")
	}
	return s
}

// constantsNote is the text form's note under the constants of a meaning:
// what a version is.
func constantsNote(libs []catalog.Library) string {
	var since []string
	for _, l := range libs {
		since = append(since, l.Release+" "+l.Tracked)
	}
	return "Versions are releases of each library; a name without one is in every release since " + strings.Join(since, ", ") + "."
}

// constantSources are the sources the constants of a page were checked
// against, one per library the page names, with the releases a constant
// without a version has been in.
func constantSources(ls []libraryConstants) []catalog.Library {
	out := make([]catalog.Library, len(ls))
	for i, l := range ls {
		out[i] = l.Library
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
			v := entryView{Entry: e, Label: Label(e), Constants: constants(e.Constants), CacheRule: catalog.CacheableRule(code)}
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
		p.Clients = clientsTableOf(r.cat.Clients(), r.cat.ScenariosFor(code))
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
		p.Rows = append(p.Rows, meaningLinks(c)...)
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
		p.Rows = append(p.Rows, meaningLinks(k)...)
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
	if p.Clients != nil {
		items = append(items, tocItem{ID: "clients", Title: "What clients do"})
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
