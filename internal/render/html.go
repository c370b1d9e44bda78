package render

import "strings"

// Code renders the page of a status code in format f. Any number from 100 to
// 599 has a page, assigned or not; another number without a meaning in the
// catalog is catalog.ErrNotFound.
func (r *Renderer) Code(code int, f Format) ([]byte, error) {
	p, err := r.codeData(code)
	if err != nil {
		return nil, err
	}
	switch f {
	case JSON:
		return marshal(codeJSONOf(p))
	case Text:
		return r.codeText(p), nil
	}
	for i := range p.Entries {
		if p.Entries[i].BodyHTML, err = r.markdownHTML(p.Entries[i].Entry); err != nil {
			return nil, err
		}
	}
	if err := r.guideTablesHTML(p); err != nil {
		return nil, err
	}
	p.addTOC()
	return r.execute("code", p)
}

// Class renders the page of a class ("5xx") in format f, or returns
// catalog.ErrNotFound.
func (r *Renderer) Class(name string, f Format) ([]byte, error) {
	p, err := r.classData(name)
	if err != nil {
		return nil, err
	}
	switch f {
	case JSON:
		return marshal(classJSONOf(p))
	case Text:
		return classText(p), nil
	}
	return r.execute("class", p)
}

// Home renders the home page: the classes and every code.
func (r *Renderer) Home(f Format) ([]byte, error) {
	p := r.homeData()
	switch f {
	case JSON:
		return r.Codes()
	case Text:
		return homeText(p), nil
	}
	return r.execute("home", p)
}

// Codes renders every code of the catalog as JSON, the form of
// /codes.json: the content's licence and attribution, and the list of
// codes.
func (r *Renderer) Codes() ([]byte, error) {
	list := codesJSON{credit: contentCredit(), Codes: []codeJSON{}}
	for _, k := range r.cat.Codes() {
		p, err := r.codeData(k.Code)
		if err != nil {
			return nil, err
		}
		j := codeJSONOf(p)
		j.credit = credit{} // said once, for the whole list
		list.Codes = append(list.Codes, j)
	}
	return marshal(list)
}

// MaxQuery is the longest search query, in bytes, that the site answers.
const MaxQuery = 200

// Search renders the results of a query in format f: the catalog's
// ranking of meanings and guides (catalog.Find), led by the page of an
// unassigned number when the query is one ("299"), since every number from
// 100 to 599 has a page.
func (r *Renderer) Search(q string, f Format) ([]byte, error) {
	p := r.searchData(q)
	switch f {
	case JSON:
		return marshal(searchJSONOf(p))
	case Text:
		return searchText(p, false), nil
	}
	return r.execute("search", p)
}

// SearchTerminal renders the text form of Search for a terminal, with each
// result's code and name in the colour of its class when color is set.
func (r *Renderer) SearchTerminal(q string, color bool) []byte {
	return searchText(r.searchData(q), color)
}

func (r *Renderer) searchData(q string) *searchPage {
	p := &searchPage{}
	p.Query = q
	p.Title = "Search"
	if q != "" {
		p.Title = "Search: " + q
	}
	p.Path = "/search"
	p.Description = "Search every HTTP status code of the guide by number, name, vendor or a few words."
	p.Crumbs = []crumb{{"Home", "/"}, {"Search", ""}}
	if l, ok := r.unassignedLink(strings.TrimSpace(q)); ok {
		p.Results = append(p.Results, l)
	}
	p.Results = append(p.Results, r.found(q, 50)...)
	return p
}

// found returns the links to at most limit results of catalog.Find for q:
// meanings of codes and guides, best first.
func (r *Renderer) found(q string, limit int) []codeLink {
	var out []codeLink
	for _, res := range r.cat.Find(q, limit) {
		if res.Guide != nil {
			out = append(out, guideResult(res.Guide))
			continue
		}
		out = append(out, linkTo(res.Code, res.Entry))
	}
	return out
}

// NotFound renders the page for a path that names nothing. The text and
// JSON forms list the codes and guides closest to what the path says. The
// HTML form is the same for every path, so that a static host can serve it
// as 404.html; its script suggests codes and guides in the browser.
func (r *Renderer) NotFound(path string, f Format) ([]byte, error) {
	p := &notFoundPage{}
	p.Title = "Page not found"
	p.Description = "There is no page at this address. Find the status code you were looking for by number, class or search."
	p.Path = path
	if f == HTML {
		p.Path = "/404"
		return r.execute("notfound", p)
	}
	p.Crumbs = []crumb{{"Home", "/"}, {"Not found", ""}}
	p.Beyond = r.cat.Beyond()
	q := strings.NewReplacer("/", " ", "-", " ", "_", " ", ".", " ", "+", " ").Replace(path)
	p.Suggestions = r.found(q, 5)
	switch f {
	case JSON:
		return marshal(notFoundJSON{Error: "not found", Path: path, Suggestions: jsonLinks(p.Suggestions)})
	case Text:
		return notFoundText(p), nil
	}
	return r.execute("notfound", p)
}

// List renders the codes of a class ("5xx"), or of every class when class
// is "", as a short list: one line per meaning in text, an array of
// {code, name, summary, status, vendor, url} in JSON.
func (r *Renderer) List(class string, f Format) ([]byte, error) {
	if f == JSON {
		return marshal(jsonLinks(r.listRows(class)))
	}
	return listText(r.listRows(class), false), nil
}

// ListTerminal renders the text form of List for a terminal, with each
// code and name in the colour of its class when color is set.
func (r *Renderer) ListTerminal(class string, color bool) []byte {
	return listText(r.listRows(class), color)
}

// listRows returns every meaning of a class, or of every class when class
// is "", in numeric order.
func (r *Renderer) listRows(class string) []codeLink {
	var rows []codeLink
	for _, k := range r.cat.Codes() {
		if class != "" && k.Class() != class {
			continue
		}
		for i := range k.Entries {
			rows = append(rows, linkTo(k, &k.Entries[i]))
		}
	}
	return rows
}
