package render

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// guideLink is a guide as a list shows it.
type guideLink struct {
	Name, Title, Summary, URL string
}

func linkToGuide(g *catalog.Guide) guideLink {
	return guideLink{Name: g.Name, Title: g.Title, Summary: g.Summary, URL: g.URL()}
}

// guideTable is the table of a guide shown on the page of a code it
// compares: its Markdown, and in HTML pages its HTML.
type guideTable struct {
	guideLink
	Markdown string
	HTML     template.HTML
}

type guidesPage struct {
	base
	Guides []guideLink
}

type guidePage struct {
	base
	Guide     *catalog.Guide
	Codes     []codeLink
	TableHTML template.HTML
	BodyHTML  template.HTML
	Decision  *questionView
	Diagram   *diagram
	Paths     []decisionPath // the diagram as text
	Others    []guideLink
}

// questionView is a question of a decision guide as the page shows it.
type questionView struct {
	Text    string
	Answers []answerView
}

// answerView is an answer: a code with why and where the code is defined,
// or the next question.
type answerView struct {
	Text string
	Leaf *codeLink
	Why  string
	Spec catalog.Link
	Next *questionView
}

// decisionPath is one way through a decision tree: the answers, in order,
// and the code they lead to.
type decisionPath struct {
	Steps []string
	Leaf  codeLink
}

func (r *Renderer) guidesData() *guidesPage {
	p := &guidesPage{}
	p.Title = "Guides: choosing a status code"
	p.Description = "Which HTTP status code to send: a decision guide, and comparisons of the codes people confuse."
	p.Path = "/" + catalog.GuideDir
	p.Crumbs = []crumb{{"Home", "/"}, {"Guides", ""}}
	for _, g := range r.cat.Guides() {
		p.Guides = append(p.Guides, linkToGuide(g))
	}
	return p
}

func (r *Renderer) guideData(name string) (*guidePage, error) {
	g, err := r.cat.Guide(name)
	if err != nil {
		return nil, err
	}
	p := &guidePage{Guide: g}
	p.Title = g.Title
	p.Description = g.Summary
	p.Path = g.URL()
	p.Crumbs = []crumb{{"Home", "/"}, {"Guides", "/" + catalog.GuideDir}, {g.Title, ""}}
	for _, n := range g.Codes {
		if k, err := r.cat.Lookup(n); err == nil {
			p.Codes = append(p.Codes, linkTo(k, k.Primary()))
		}
	}
	for _, o := range r.cat.Guides() {
		if o != g {
			p.Others = append(p.Others, linkToGuide(o))
		}
	}
	if g.Decision != nil {
		p.Decision = r.question(g.Decision)
		p.Paths = paths(p.Decision, nil)
	}
	return p, nil
}

// question builds the view of a decision tree from its first question.
func (r *Renderer) question(q *catalog.Question) *questionView {
	v := &questionView{Text: q.Text}
	for _, a := range q.Answers {
		av := answerView{Text: a.Text, Why: a.Why}
		if a.Next != nil {
			av.Next = r.question(a.Next)
		} else if k, err := r.cat.Lookup(a.Code); err == nil {
			l := linkTo(k, k.Primary())
			av.Leaf = &l
			av.Spec = k.Primary().Spec
		}
		v.Answers = append(v.Answers, av)
	}
	return v
}

// paths lists every way through the tree under q, after the answers
// before.
func paths(q *questionView, before []string) []decisionPath {
	var out []decisionPath
	for _, a := range q.Answers {
		steps := append(append([]string{}, before...), a.Text)
		switch {
		case a.Next != nil:
			out = append(out, paths(a.Next, steps)...)
		case a.Leaf != nil:
			out = append(out, decisionPath{Steps: steps, Leaf: *a.Leaf})
		}
	}
	return out
}

// Guides renders the index of the guides in format f.
func (r *Renderer) Guides(f Format) ([]byte, error) {
	p := r.guidesData()
	switch f {
	case JSON:
		return marshal(guidesJSONOf(r.cat))
	case Text:
		return guidesText(p), nil
	}
	return r.execute("guides", p)
}

// Guide renders the guide with the given name in format f, or returns
// catalog.ErrNotFound.
func (r *Renderer) Guide(name string, f Format) ([]byte, error) {
	p, err := r.guideData(name)
	if err != nil {
		return nil, err
	}
	switch f {
	case JSON:
		return marshal(guideJSONOf(p))
	case Text:
		return r.guideText(p), nil
	}
	if p.TableHTML, err = r.markdown(p.Guide.File, p.Guide.Table); err != nil {
		return nil, err
	}
	if p.BodyHTML, err = r.markdown(p.Guide.File, p.Guide.Body); err != nil {
		return nil, err
	}
	p.BodyHTML = headingIDs(p.BodyHTML)
	if p.Decision != nil {
		p.Diagram = layoutDiagram(p.Decision)
	}
	return r.execute("guide", p)
}

// markdown renders Markdown of one of our own content files.
func (r *Renderer) markdown(file, src string) (template.HTML, error) {
	if src == "" {
		return "", nil
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("%s: markdown: %w", file, err)
	}
	// Markdown rendered from our own content files, never user input.
	return template.HTML(buf.String()), nil
}

// headingIDs gives each level-2 heading of rendered Markdown an id made
// from its text, so that a section of a guide can be linked to.
func headingIDs(h template.HTML) template.HTML {
	return template.HTML(markdownH2.ReplaceAllStringFunc(string(h), func(s string) string {
		inner := markdownH2.FindStringSubmatch(s)[1]
		return `<h2 id="` + slug(tagRE.ReplaceAllString(inner, "")) + `">` + inner + `</h2>`
	}))
}

// guideJSON is the JSON form of a guide.
type guideJSON struct {
	Name     string            `json:"name"`
	Title    string            `json:"title"`
	Summary  string            `json:"summary"`
	URL      string            `json:"url"`
	Codes    []linkJSON        `json:"codes"`
	Table    string            `json:"table,omitempty"`
	Decision *catalog.Question `json:"decision,omitempty"`
	Sources  []catalog.Link    `json:"sources"`
	Body     string            `json:"body"`
	credit
}

// guidesJSON is /guides.json: every guide, with the content's licence.
type guidesJSON struct {
	Guides []guideLinkJSON `json:"guides"`
	credit
}

// guideLinkJSON is a guide in a list.
type guideLinkJSON struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	URL     string `json:"url"`
	Codes   []int  `json:"codes,omitempty"`
}

func guideJSONOf(p *guidePage) guideJSON {
	g := p.Guide
	return guideJSON{
		Name: g.Name, Title: g.Title, Summary: g.Summary, URL: g.URL(), Codes: jsonLinks(p.Codes),
		Table: g.Table, Decision: g.Decision, Sources: nonNil(g.Sources), Body: g.Body,
		credit: contentCredit(),
	}
}

func guidesJSONOf(cat *catalog.Catalog) guidesJSON {
	list := []guideLinkJSON{}
	for _, g := range cat.Guides() {
		list = append(list, guideLinkJSON{Name: g.Name, Title: g.Title, Summary: g.Summary, URL: g.URL(), Codes: g.Codes})
	}
	return guidesJSON{Guides: list, credit: contentCredit()}
}

func guidesText(p *guidesPage) []byte {
	w := &textWriter{}
	w.title(p.Title)
	w.para("", "", p.Description)
	for _, g := range p.Guides {
		w.wrap("", "  ", g.Title+"  "+g.URL)
		w.para("  ", "  ", g.Summary)
	}
	w.credit()
	return done(w)
}

func (r *Renderer) guideText(p *guidePage) []byte {
	w := &textWriter{}
	g := p.Guide
	w.title(g.Title)
	w.para("", "", g.Summary)
	if p.Decision == nil && len(p.Codes) > 0 {
		w.heading("Codes")
		w.list(p.Codes)
	}
	if g.Table != "" {
		w.heading("At a glance")
		r.markdownText(w, g.Table)
	}
	if p.Decision != nil {
		w.heading("Find your status")
		w.para("", "", p.Decision.Text)
		questionText(w, p.Decision, "")
	}
	w.blank()
	r.markdownText(w, g.Body)
	if len(g.Sources) > 0 {
		w.heading("Sources")
		for _, s := range g.Sources {
			w.para("- ", "  ", s.Title+" <"+s.URL+">")
		}
	}
	w.credit()
	return done(w)
}

// questionText writes the answers of q as an indented outline: each
// answer with the code it leads to, or with the next question and its
// answers under it.
func questionText(w *textWriter, q *questionView, indent string) {
	for _, a := range q.Answers {
		if a.Next != nil {
			w.wrap(indent+"- ", indent+"  ", a.Text+": "+a.Next.Text)
			questionText(w, a.Next, indent+"  ")
			continue
		}
		if a.Leaf != nil {
			w.wrap(indent+"- ", indent+"  ", fmt.Sprintf("%s: %d %s. %s (%s)", a.Text, a.Leaf.Code, a.Leaf.Name, a.Why, a.Spec.Title))
		}
	}
	if indent == "" {
		w.blank()
	}
}

// codeGuidesText writes the guides of a code page, with the tables they
// share with it.
func (r *Renderer) codeGuidesText(w *textWriter, p *codePage) {
	if len(p.Guides) == 0 {
		return
	}
	w.heading("Guides")
	for _, t := range p.GuideTables {
		w.para("", "", t.Title+":")
		r.markdownText(w, t.Markdown)
	}
	for _, l := range p.Guides {
		w.wrap("- ", "  ", l.Title+" <"+l.URL+">")
	}
	w.blank()
}

// addGuides sets the guides of a code page and the tables they share
// with it, from the guides' front matter.
func (r *Renderer) addGuides(p *codePage) {
	for _, g := range r.cat.GuidesFor(p.Code) {
		l := linkToGuide(g)
		p.Guides = append(p.Guides, l)
		if g.TableOnCodes {
			p.GuideTables = append(p.GuideTables, guideTable{guideLink: l, Markdown: g.Table})
		}
	}
}

// guideTablesHTML renders the tables of a code page's guides.
func (r *Renderer) guideTablesHTML(p *codePage) error {
	for i := range p.GuideTables {
		t := &p.GuideTables[i]
		h, err := r.markdown(t.Name, t.Markdown)
		if err != nil {
			return err
		}
		t.HTML = h
	}
	return nil
}

// guideJSONLinks is the "guides" list of a code's JSON.
func guideJSONLinks(links []guideLink) []guideLinkJSON {
	out := []guideLinkJSON{}
	for _, l := range links {
		out = append(out, guideLinkJSON{Name: l.Name, Title: l.Title, Summary: l.Summary, URL: l.URL})
	}
	return out
}

// guideResult is a guide as a search result.
func guideResult(g *catalog.Guide) codeLink {
	return codeLink{Name: g.Title, Summary: g.Summary, URL: g.URL(), Status: statusGuide, Guide: g.Name}
}

// statusGuide is the status a search result gives a guide.
const statusGuide catalog.Status = "guide"
