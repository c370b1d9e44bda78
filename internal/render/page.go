package render

import (
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Kind is what a page shows.
type Kind uint8

// The kinds of documentation page.
const (
	KindHome    Kind = iota + 1 // "/"
	KindClass                   // "/5xx"
	KindCode                    // "/503"
	KindCodes                   // "/codes.json"
	KindGuides                  // "/guides", the index of the guides
	KindGuide                   // "/guides/404-vs-410"
	KindClients                 // "/clients", what real clients do
)

// Page identifies one documentation page in one format. It is comparable
// and serves as a cache key.
type Page struct {
	Kind   Kind
	Code   int    // KindCode
	Class  string // KindClass: "5xx"
	Guide  string // KindGuide: "404-vs-410"
	Format Format
	// Explicit is set when the path names the format with an extension
	// ("/503.json"); otherwise the format comes from Accept.
	Explicit bool
}

// Path returns the URL path of the page: "/503", "/503.json", "/5xx.txt",
// "/guides/404-vs-410". An HTML page's path has no extension.
func (p Page) Path() string {
	var s string
	switch p.Kind {
	case KindHome:
		if p.Format == HTML {
			return "/"
		}
		s = "/index"
	case KindClass:
		s = "/" + p.Class
	case KindCode:
		s = "/" + strconv.Itoa(p.Code)
	case KindCodes:
		return "/codes.json"
	case KindGuides:
		s = "/" + catalog.GuideDir
	case KindGuide:
		s = "/" + catalog.GuideDir + "/" + p.Guide
	case KindClients:
		s = ClientsPath
	}
	if p.Format != HTML || p.Explicit {
		s += "." + p.Format.Ext()
	}
	return s
}

// ParsePath returns the page that a URL path names: "/", "/503",
// "/503.json", "/5xx", "/5xx.txt", "/codes.json", "/index.txt", "/guides",
// "/guides/404-vs-410.json", "/clients". A number from 100 to 599 always names a page;
// catalog decides the rest (999) and which guides exist.
func ParsePath(cat *catalog.Catalog, path string) (Page, bool) {
	if path == "/" {
		return Page{Kind: KindHome, Format: HTML}, true
	}
	if path == "/codes.json" {
		return Page{Kind: KindCodes, Format: JSON, Explicit: true}, true
	}
	name, ext, hasExt := strings.Cut(strings.TrimPrefix(path, "/"), ".")
	p := Page{Format: HTML}
	if hasExt {
		f, ok := ParseFormat(ext)
		if !ok || ext == "text" {
			return Page{}, false
		}
		p.Format, p.Explicit = f, true
	}
	if name == "index" && hasExt {
		p.Kind = KindHome
		return p, true
	}
	if name == catalog.GuideDir {
		p.Kind = KindGuides
		return p, true
	}
	if "/"+name == ClientsPath {
		p.Kind = KindClients
		return p, true
	}
	if guide, ok := strings.CutPrefix(name, catalog.GuideDir+"/"); ok {
		if _, err := cat.Guide(guide); err != nil {
			return Page{}, false
		}
		p.Kind, p.Guide = KindGuide, guide
		return p, true
	}
	// name, not ParseClass's copy, and InRange before Lookup: a request
	// for a page allocates nothing here.
	if c, ok := catalog.ParseClass(name); ok && c == name {
		p.Kind, p.Class = KindClass, name
		return p, true
	}
	code, err := catalog.ParseCode(name)
	if err != nil {
		return Page{}, false
	}
	if !catalog.InRange(code) {
		if _, err := cat.Lookup(code); err != nil {
			return Page{}, false
		}
	}
	p.Kind, p.Code = KindCode, code
	return p, true
}

// Negotiable reports whether the format of the page may come from Accept:
// a page named without an extension.
func (p Page) Negotiable() bool { return !p.Explicit && p.Kind != KindCodes }

// Render renders a page.
func (r *Renderer) Render(p Page) ([]byte, error) {
	switch p.Kind {
	case KindHome:
		return r.Home(p.Format)
	case KindClass:
		return r.Class(p.Class, p.Format)
	case KindCodes:
		return r.Codes()
	case KindGuides:
		return r.Guides(p.Format)
	case KindGuide:
		return r.Guide(p.Guide, p.Format)
	case KindClients:
		return r.Clients(p.Format)
	}
	return r.Code(p.Code, p.Format)
}

// Pages returns every documentation page of the site in every format, in
// a fixed order: the home page, the classes, the guides' index and each
// guide, the clients' page, each number from 100 to 599 and any catalog code beyond, and
// codes.json. HTML pages are listed with
// their clean paths ("/503"); the JSON and text forms with extensions.
func (r *Renderer) Pages() []Page {
	var out []Page
	add := func(p Page) {
		for _, f := range Formats {
			p.Format, p.Explicit = f, f != HTML
			out = append(out, p)
		}
	}
	add(Page{Kind: KindHome})
	for _, k := range r.cat.Classes() {
		add(Page{Kind: KindClass, Class: k.Name})
	}
	add(Page{Kind: KindGuides})
	for _, g := range r.cat.Guides() {
		add(Page{Kind: KindGuide, Guide: g.Name})
	}
	add(Page{Kind: KindClients})
	last := 599
	if codes := r.cat.Codes(); len(codes) > 0 && codes[len(codes)-1].Code > last {
		last = codes[len(codes)-1].Code
	}
	for n := 100; n <= last; n++ {
		if catalog.InRange(n) || r.has(n) {
			add(Page{Kind: KindCode, Code: n})
		}
	}
	out = append(out, Page{Kind: KindCodes, Format: JSON, Explicit: true})
	return out
}

// has reports whether the catalog has a meaning for code.
func (r *Renderer) has(code int) bool {
	_, err := r.cat.Lookup(code)
	return err == nil
}
