// Package render turns the catalog into pages: HTML, JSON and plain text.
//
// A Renderer is built once with New, which parses every template and hashes
// the static assets; after that it is safe for concurrent use. Rendering is
// deterministic: the same catalog gives the same bytes.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Format is a representation of a page.
type Format int

// The formats every page has.
const (
	HTML Format = iota
	JSON
	Text
)

// Formats lists every format, HTML first.
var Formats = []Format{HTML, JSON, Text}

// ParseFormat returns the format named by a file extension or a short
// name: "html", "json", "txt" or "text".
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "html":
		return HTML, true
	case "json":
		return JSON, true
	case "txt", "text":
		return Text, true
	}
	return 0, false
}

// ContentType returns the media type, with charset, of the format.
func (f Format) ContentType() string {
	switch f {
	case JSON:
		return "application/json"
	case Text:
		return "text/plain; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// Ext returns the file extension of the format, without the dot.
func (f Format) Ext() string {
	switch f {
	case JSON:
		return "json"
	case Text:
		return "txt"
	}
	return "html"
}

func (f Format) String() string { return f.Ext() }

// Asset is a static file served under a content-hashed name.
type Asset struct {
	Path        string // "/static/site.1a2b3c4d5e.css"
	ContentType string
	Body        []byte
}

// Renderer renders pages from a catalog.
type Renderer struct {
	cat *catalog.Catalog
	md  goldmark.Markdown

	// The static files, read and hashed when first asked for, and the
	// page templates, parsed by the first HTML page rendered: the text
	// and JSON forms, all the command line prints, need neither.
	web        fs.FS
	assetNames []string // "static/site.css", ...
	assetOnce  sync.Once
	assets     []Asset
	urls       map[string]string // "site.css" -> hashed path
	assetErr   error
	tmplOnce   sync.Once
	pages      map[string]*template.Template
	tmplErr    error
}

// pageTemplates are the templates in web's templates/ folder, each
// parsed with layout.tmpl.
var pageTemplates = []string{"home", "class", "code", "search", "notfound", "guides", "guide", "clients"}

// New checks that each file in web's static/ folder has a content type
// and keeps web for those files, which are read and hashed when first
// asked for, and for its templates (templates/*.tmpl), which are parsed
// when the first HTML page is rendered; ParseTemplates does both now.
func New(cat *catalog.Catalog, web fs.FS) (*Renderer, error) {
	names, err := assetNames(web)
	if err != nil {
		return nil, err
	}
	return &Renderer{cat: cat, md: newMarkdown(), web: web, assetNames: names}, nil
}

// NewParsed is New, with the page templates parsed as ParseTemplates
// does, while load reads the catalog in the caller's goroutine: neither
// needs the other, so a server on two cores is ready sooner.
func NewParsed(web fs.FS, load func() (*catalog.Catalog, error)) (*Renderer, error) {
	r, err := New(nil, web) // the catalog comes from load
	if err != nil {
		return nil, err
	}
	parsed := make(chan error, 1)
	go func() { parsed <- r.ParseTemplates() }()
	cat, err := load()
	if perr := <-parsed; err == nil {
		err = perr
	}
	if err != nil {
		return nil, err
	}
	r.cat = cat
	return r, nil
}

// ParseTemplates reads the static files and parses the page templates,
// once, and reports whether they could be read and parse: a server calls
// it at start, to fail there rather than on a request.
func (r *Renderer) ParseTemplates() error {
	r.tmplOnce.Do(func() {
		if r.tmplErr = r.loadAssets(); r.tmplErr == nil {
			r.pages, r.tmplErr = parseTemplates(r.web, r.funcs())
		}
	})
	return r.tmplErr
}

func parseTemplates(web fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(web, "templates/layout.tmpl")
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, name := range pageTemplates {
		src, err := fs.ReadFile(web, "templates/"+name+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", name, err)
		}
		t := template.New("layout").Funcs(funcs)
		if _, err := t.Parse(string(layout)); err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		if _, err := t.Parse(string(src)); err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// assetNames lists the files of web's static/ folder, in order, each
// with a content type in assetTypes.
func assetNames(web fs.FS) ([]string, error) {
	names, err := fs.Glob(web, "static/*")
	if err != nil {
		return nil, fmt.Errorf("list assets: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		// Our own table, not package mime's: its table depends on the
		// host, and reading the host's tables costs every command 3 ms.
		if ext := path.Ext(name); assetTypes[ext] == "" {
			return nil, fmt.Errorf("asset %s: no content type for %q: add it to assetTypes", name, ext)
		}
	}
	return names, nil
}

// loadAssets reads and hashes the static files, once. An error stops
// it there; ParseTemplates reports it.
func (r *Renderer) loadAssets() error {
	r.assetOnce.Do(func() {
		r.urls = map[string]string{}
		for _, name := range r.assetNames {
			body, err := fs.ReadFile(r.web, name)
			if err != nil {
				r.assets, r.assetErr = nil, fmt.Errorf("read asset: %w", err)
				return
			}
			base := path.Base(name)
			ext := path.Ext(base)
			sum := sha256.Sum256(body)
			hashed := "/static/" + strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:5]) + ext
			r.assets = append(r.assets, Asset{Path: hashed, ContentType: assetTypes[ext], Body: body})
			r.urls[base] = hashed
		}
	})
	return r.assetErr
}

// assetTypes are the content types of the static files, by extension.
var assetTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".ico":   "image/x-icon",
	".png":   "image/png",
	".woff2": "font/woff2",
}

// Assets returns the static files with their hashed paths: none if one
// could not be read, which ParseTemplates reports.
func (r *Renderer) Assets() []Asset {
	r.loadAssets()
	return r.assets
}

// AssetURL returns the hashed path of a static file such as "site.css".
func (r *Renderer) AssetURL(name string) string {
	r.loadAssets()
	return r.urls[name]
}

// Catalog returns the catalog the renderer draws from.
func (r *Renderer) Catalog() *catalog.Catalog { return r.cat }

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": r.AssetURL,
		// The content's licence and the article it credits, for the footer.
		"license":   func() catalog.Link { return catalog.License },
		"wikipedia": func() catalog.Link { return catalog.Wikipedia },
		// text escapes only what HTML text needs (&, <, >), so that
		// apostrophes and quotes in our own content read as written in the
		// page source too (the seed's rows appear word for word).
		"text": func(s string) template.HTML {
			return template.HTML(textReplacer.Replace(s))
		},
	}
}

var textReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// newMarkdown returns the Markdown converter of the content: CommonMark
// and GitHub's pipe tables. Cells are not aligned: an alignment would be a
// style attribute, which the pages' Content-Security-Policy refuses.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
	))
}

// markdownHTML renders the Markdown body of one of our own content files.
func (r *Renderer) markdownHTML(e *catalog.Entry) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(e.Body), &buf); err != nil {
		return "", fmt.Errorf("%s: markdown: %w", e.File, err)
	}
	// Markdown rendered from our own content files, never user input.
	return template.HTML(buf.String()), nil
}

func (r *Renderer) execute(page string, data any) ([]byte, error) {
	if err := r.ParseTemplates(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}
