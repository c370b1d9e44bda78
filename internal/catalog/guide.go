package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// GuideDir is the folder of the content that holds the guides, one file
// per guide: guides/404-vs-410.md.
const GuideDir = "guides"

// Guide is a page that helps choose a status: a decision guide, which leads
// from the situation of a request to a code through nested questions, or a
// comparison of codes that people confuse. It is the one source of the
// guides a code page lists: a code belongs to the guides whose Codes name
// it.
type Guide struct {
	// Name is the guide's file name without ".md", and its URL's last
	// segment: "404-vs-410" is /guides/404-vs-410.
	Name    string `yaml:"-" json:"name"`
	Title   string `yaml:"title" json:"title"`
	Summary string `yaml:"summary" json:"summary"`
	// Codes are the codes the guide is about, in the order it compares
	// them; a decision guide's also holds every code its answers lead to.
	Codes    []int    `yaml:"codes" json:"codes"`
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	// Table is a Markdown pipe table that compares the codes. With
	// TableOnCodes set, the page of each code in Codes shows it too, so
	// that a comparison is written once.
	Table        string `yaml:"table" json:"table,omitempty"`
	TableOnCodes bool   `yaml:"table_on_codes" json:"table_on_codes,omitempty"`
	// Decision is the first question of a decision guide, or nil.
	Decision *Question `yaml:"decision" json:"decision,omitempty"`
	Sources  []Link    `yaml:"sources" json:"sources,omitempty"`

	// Body is the Markdown prose that follows the front matter.
	Body string `yaml:"-" json:"-"`
	// File is the content file the guide came from: "guides/404-vs-410.md".
	File string `yaml:"-" json:"file"`
}

// Question is a question of a decision guide, with the answers a reader
// picks from.
type Question struct {
	Text    string   `yaml:"question" json:"question"`
	Answers []Answer `yaml:"answers" json:"answers"`
}

// Answer is one answer to a question: it leads either to a code, with why,
// or to the next question.
type Answer struct {
	Text string    `yaml:"answer" json:"answer"`
	Code int       `yaml:"code" json:"code,omitempty"`
	Why  string    `yaml:"why" json:"why,omitempty"`
	Next *Question `yaml:"next" json:"next,omitempty"`
}

// Leaves returns the codes the answers of q lead to, each once, in the
// order the tree has them.
func (q *Question) Leaves() []int {
	var out []int
	q.Walk(func(a *Answer, _ int) {
		if a.Code != 0 && !slices.Contains(out, a.Code) {
			out = append(out, a.Code)
		}
	})
	return out
}

// Walk calls fn for every answer of the tree under q, depth first, with
// its depth: 0 for the answers to q itself.
func (q *Question) Walk(fn func(a *Answer, depth int)) {
	var walk func(q *Question, depth int)
	walk = func(q *Question, depth int) {
		for i := range q.Answers {
			a := &q.Answers[i]
			fn(a, depth)
			if a.Next != nil {
				walk(a.Next, depth+1)
			}
		}
	}
	walk(q, 0)
}

// URL returns the path of the guide's page: "/guides/404-vs-410".
func (g *Guide) URL() string { return "/" + GuideDir + "/" + g.Name }

// Guides returns every guide: decision guides first, then the comparisons
// by the first code they compare. The caller must not modify the result.
func (c *Catalog) Guides() []*Guide { return c.guides }

// Guide returns the guide with the given name ("404-vs-410"), or
// ErrNotFound.
func (c *Catalog) Guide(name string) (*Guide, error) {
	for _, g := range c.guides {
		if g.Name == name {
			return g, nil
		}
	}
	return nil, fmt.Errorf("guide %q: %w", name, ErrNotFound)
}

// GuidesFor returns the guides that name code among their Codes, in the
// order of Guides.
func (c *Catalog) GuidesFor(code int) []*Guide {
	var out []*Guide
	for _, g := range c.guides {
		if slices.Contains(g.Codes, code) {
			out = append(out, g)
		}
	}
	return out
}

// guideFiles lists the guide files of fsys, sorted.
func guideFiles(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, GuideDir+"/*.md")
	if err != nil {
		return nil, fmt.Errorf("list guides: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// parseGuide parses a guide file (guides/NAME.md): one document. A
// decision guide's Codes gain the codes its answers lead to.
func parseGuide(name, text string) (*Guide, error) {
	docs, err := splitDocuments(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("%s: a guide file holds one front matter block, found %d", name, len(docs))
	}
	var g Guide
	if derrs := decodeFrontMatter(docs[0], &g); derrs != nil {
		errs := make([]error, len(derrs))
		for i, err := range derrs {
			errs[i] = fmt.Errorf("%s: %w", name, err)
		}
		return nil, errors.Join(errs...)
	}
	g.Name = strings.TrimSuffix(path.Base(name), ".md")
	g.Body = docs[0].body
	g.File = name
	if g.Decision != nil {
		for _, n := range g.Decision.Leaves() {
			if !slices.Contains(g.Codes, n) {
				g.Codes = append(g.Codes, n)
			}
		}
	}
	return &g, nil
}

// sortGuides puts decision guides first, then the others by their first
// code, then by name.
func sortGuides(gs []*Guide) {
	first := func(g *Guide) int {
		if g.Decision != nil || len(g.Codes) == 0 {
			return 0
		}
		return g.Codes[0]
	}
	slices.SortFunc(gs, func(a, b *Guide) int {
		if d := first(a) - first(b); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// checkGuides checks every guide: its fields, its decision tree, and that
// every code and guide it names exists.
func (c *Catalog) checkGuides(p *problems) {
	for _, g := range c.guides {
		checkGuideFields(p, g)
		c.checkGuideCodes(p, g)
		if g.Decision != nil {
			checkQuestion(p, g.File, "decision", g.Decision)
		}
		for _, part := range []struct{ field, text string }{{"body", g.Body}, {"table", g.Table}} {
			c.checkLinks(p, g.File, part.field, part.text)
		}
	}
}

func checkGuideFields(p *problems, g *Guide) {
	if !validGuideName(g.Name) {
		p.add(g.File, "file", "name must be lower-case letters, digits and dashes, such as 404-vs-410.md")
	}
	for _, f := range []struct{ name, value string }{{"title", g.Title}, {"summary", g.Summary}} {
		switch s := strings.TrimSpace(f.value); {
		case s == "":
			p.add(g.File, f.name, "required")
		case strings.Contains(s, "\n"):
			p.add(g.File, f.name, "must be one line")
		}
	}
	if strings.TrimSpace(g.Body) == "" {
		p.add(g.File, "body", "required: the guide's prose")
	}
	if g.TableOnCodes && g.Table == "" {
		p.add(g.File, "table_on_codes", "set, but the guide has no table")
	}
	if g.Table != "" {
		for i, line := range strings.Split(strings.TrimSpace(g.Table), "\n") {
			if !strings.HasPrefix(line, "|") {
				p.add(g.File, "table", "line %d: %q is not a row of a Markdown pipe table", i+1, line)
			}
		}
	}
	for j, s := range g.Sources {
		field := fmt.Sprintf("sources[%d]", j)
		if strings.TrimSpace(s.Title) == "" {
			p.add(g.File, field+".title", "required")
		}
		if !strings.HasPrefix(s.URL, "https://") {
			p.add(g.File, field+".url", "%q must be an https URL", s.URL)
		}
	}
}

// checkGuideCodes requires a comparison to name two codes or more, and
// every code a guide names to have a content file.
func (c *Catalog) checkGuideCodes(p *problems, g *Guide) {
	if g.Decision == nil && len(g.Codes) < 2 {
		p.add(g.File, "codes", "a comparison names two codes or more")
	}
	for i, n := range g.Codes {
		if _, ok := c.byCode[n]; !ok {
			p.add(g.File, "codes", "%d has no content file", n)
		}
		if slices.Contains(g.Codes[:i], n) {
			p.add(g.File, "codes", "%d is listed twice", n)
		}
	}
}

// checkQuestion checks a question of a decision tree and every question
// under it: each has text and two answers or more, and each answer leads
// either to a code, saying why, or to another question.
func checkQuestion(p *problems, file, field string, q *Question) {
	if strings.TrimSpace(q.Text) == "" {
		p.add(file, field+".question", "required")
	}
	if len(q.Answers) < 2 {
		p.add(file, field+".answers", "a question needs two answers or more")
	}
	for i := range q.Answers {
		a := &q.Answers[i]
		af := fmt.Sprintf("%s.answers[%d]", field, i)
		if strings.TrimSpace(a.Text) == "" {
			p.add(file, af+".answer", "required")
		}
		switch {
		case a.Code != 0 && a.Next != nil:
			p.add(file, af, "leads to a code or to a next question, not both")
		case a.Code == 0 && a.Next == nil:
			p.add(file, af, "leads nowhere: give a code or a next question")
		case a.Code != 0 && strings.TrimSpace(a.Why) == "":
			p.add(file, af+".why", "required: why the situation calls for %d", a.Code)
		case a.Next != nil:
			checkQuestion(p, file, af+".next", a.Next)
		}
	}
}

// checkLinks requires every Markdown link of text to a code from 100 to
// 599 to lead to a content file, and every link to a guide to lead to a
// guide.
func (c *Catalog) checkLinks(p *problems, file, field, text string) {
	for _, r := range linkedCodes(text) {
		if _, ok := c.byCode[r]; !ok && InRange(r) {
			p.add(file, field, "link to /%d: %d has no content file", r, r)
		}
	}
	for _, name := range linkedGuides(text) {
		if _, err := c.Guide(name); err != nil {
			p.add(file, field, "link to %s/%s: no such guide", "/"+GuideDir, name)
		}
	}
}

// checkGuideLinks requires every link of a meaning's body to a guide to
// lead to one.
func checkGuideLinks(c *Catalog, p *problems, m meaning) {
	for _, name := range linkedGuides(m.e.Body) {
		if _, err := c.Guide(name); err != nil {
			m.add(p, "body", "link to %s/%s: no such guide", "/"+GuideDir, name)
		}
	}
}

// linkedGuides returns the names of the guides that Markdown links of the
// form "](/guides/NAME)" or "](/guides/NAME#anchor)" in text point to.
func linkedGuides(text string) []string {
	var out []string
	const prefix = "](/" + GuideDir + "/"
	for rest := text; ; {
		i := strings.Index(rest, prefix)
		if i < 0 {
			return out
		}
		rest = rest[i+len(prefix):]
		end := strings.IndexAny(rest, "#)")
		if end < 0 {
			return out
		}
		out = append(out, rest[:end])
	}
}

func validGuideName(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}
