package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func newRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatalf("catalog.Load: %v", err)
	}
	r, err := render.New(cat, web.FS())
	if err != nil {
		t.Fatalf("render.New: %v", err)
	}
	return r
}

// compareGolden compares got with testdata/name, or rewrites it with -update.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/render -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./internal/render -update and review the diff", name)
	}
}

func TestGolden(t *testing.T) {
	r := newRenderer(t)
	for _, p := range []string{"/", "/index.txt", "/503", "/503.json", "/503.txt", "/5xx", "/5xx.json", "/5xx.txt", "/299", "/299.txt", "/499.txt",
		"/guides", "/guides.txt", "/guides/choosing-a-status", "/guides/choosing-a-status.json", "/guides/choosing-a-status.txt", "/guides/redirects", "/guides/redirects.txt", "/clients", "/clients.txt", "/302"} {
		page, ok := render.ParsePath(r.Catalog(), p)
		if !ok {
			t.Fatalf("ParsePath(%q) failed", p)
		}
		got, err := r.Render(page)
		if err != nil {
			t.Fatalf("Render(%s): %v", p, err)
		}
		name := strings.TrimPrefix(p, "/")
		if name == "" {
			name = "index"
		}
		if !strings.Contains(name, ".") {
			name += ".html"
		}
		compareGolden(t, name+".golden", got)
		// Rendering is deterministic.
		again, _ := r.Render(page)
		if !bytes.Equal(got, again) {
			t.Errorf("Render(%s) differs between two calls", p)
		}
	}
	nf, err := r.NotFound("/gateway-timeout", render.HTML)
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, "notfound.html.golden", nf)
}

var tags = regexp.MustCompile(`<[^>]+>`)

// pageText is the visible text of an HTML page, one line per block.
func pageText(b []byte) string {
	s := tags.ReplaceAllString(string(b), "")
	return html.UnescapeString(s)
}

// TestClass5xxMatchesSeed checks that /5xx holds the seed's text and its 16
// rows word for word, each code linking to its page.
func TestClass5xxMatchesSeed(t *testing.T) {
	r := newRenderer(t)
	out, err := r.Class("5xx", render.HTML)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile("../catalog/testdata/seed-5xx.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := pageText(out)
	for _, line := range strings.Split(string(seed), "\n") {
		line = strings.TrimPrefix(line, "- ")
		if line == "" || strings.HasPrefix(line, "|---") {
			continue
		}
		if strings.HasPrefix(line, "| ") {
			cells := strings.Split(strings.Trim(line, "| "), " | ")
			want := strings.Join(cells, "")
			if cells[0] == "Code" {
				want = "CodeNameMeaning"
			} else if !bytes.Contains(out, []byte(`<a href="/`+cells[0]+`">`+cells[0]+`</a>`)) {
				t.Errorf("/5xx: row %s does not link to /%s", cells[0], cells[0])
			}
			if !strings.Contains(text, want) {
				t.Errorf("/5xx: row %q is not in the page word for word", line)
			}
			// Word for word in the source too, not only once unescaped.
			if !bytes.Contains(out, []byte(cells[len(cells)-1])) {
				t.Errorf("/5xx: %q is not in the HTML source as written", cells[len(cells)-1])
			}
			continue
		}
		if !strings.Contains(text, line) {
			t.Errorf("/5xx: seed line %q is missing", line)
		}
	}
	// The seed's 16 rows, and a row for every other meaning of a 5xx code
	// the catalog has (530 is Pantheon's, Cloudflare's and Shopify's).
	want := 0
	for _, k := range r.Catalog().InClass("5xx") {
		want += len(k.Entries)
	}
	if got := strings.Count(string(out), "<tr><td><a href="); got != want || got < 16 {
		t.Errorf("/5xx has %d rows, want %d, one per meaning (at least the seed's 16)", got, want)
	}
}

func TestEveryPageRenders(t *testing.T) {
	r := newRenderer(t)
	pages := r.Pages()
	if len(pages) < 3*(1+5+500)+1 {
		t.Fatalf("Pages() = %d pages, want every number 100-599 in three formats", len(pages))
	}
	seen := map[string]bool{}
	for _, p := range pages {
		path := p.Path()
		if seen[path] {
			t.Errorf("Pages() lists %s twice", path)
		}
		seen[path] = true
		back, ok := render.ParsePath(r.Catalog(), path)
		if !ok || back.Kind != p.Kind || back.Format != p.Format || back.Code != p.Code || back.Class != p.Class || back.Guide != p.Guide {
			t.Errorf("ParsePath(%q) = %+v, %v; want %+v", path, back, ok, p)
		}
		out, err := r.Render(p)
		if err != nil {
			t.Errorf("Render(%s): %v", path, err)
			continue
		}
		if p.Format == render.JSON && !json.Valid(out) {
			t.Errorf("Render(%s) is not valid JSON", path)
		}
		if p.Format == render.Text {
			for i, line := range strings.Split(string(out), "\n") {
				if n := len([]rune(line)); n > render.Width && !strings.Contains(line, "://") && !strings.HasPrefix(line, "    ") {
					t.Errorf("%s line %d is %d columns, want at most %d: %q", path, i+1, n, render.Width, line)
				}
			}
		}
	}
}

func TestParsePath(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		path string
		ok   bool
	}{
		{"/", true}, {"/503", true}, {"/503.json", true}, {"/503.txt", true}, {"/503.html", true},
		{"/299", true}, {"/999", true}, {"/5xx", true}, {"/5xx.json", true}, {"/codes.json", true},
		{"/600", false}, {"/099", false}, {"/503.xml", false}, {"/503.text", false}, {"/5XX", false},
		{"/6xx", false}, {"/503.json.txt", false}, {"/abc", false}, {"/index", false}, {"/codes", false},
		{"/guides", true}, {"/guides.json", true}, {"/guides.txt", true}, {"/guides/404-vs-410", true},
		{"/guides/404-vs-410.json", true}, {"/guides/404-vs-410.txt", true}, {"/guides/404-vs-410.html", true},
		{"/guides/", false}, {"/guides/nope", false}, {"/guides/404-vs-410/", false}, {"/guides/404-vs-410.xml", false},
		{"/guides/404-vs-410/x", false}, {"/guides/../404", false}, {"/guides.xml", false},
	}
	for _, tt := range tests {
		if _, ok := render.ParsePath(r.Catalog(), tt.path); ok != tt.ok {
			t.Errorf("ParsePath(%q) ok = %v, want %v", tt.path, ok, tt.ok)
		}
	}
}

func TestCodeJSON(t *testing.T) {
	r := newRenderer(t)
	out, err := r.Code(530, render.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Code    int    `json:"code"`
		Name    string `json:"name"`
		Class   string `json:"class"`
		Entries []struct {
			Name       string `json:"name"`
			Registered bool   `json:"registered"`
			Status     string `json:"status"`
			Vendor     string `json:"vendor"`
			Summary    string `json:"summary"`
			Spec       struct{ Title, URL string }
		} `json:"entries"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Code != 530 || got.Class != "5xx" || got.Name != "Site is frozen" || len(got.Entries) < 2 {
		t.Fatalf("530.json = %+v, want Pantheon's meaning first and Cloudflare's after", got)
	}
	if got.Entries[0].Vendor != "Pantheon" || got.Entries[1].Vendor != "Cloudflare" || got.Entries[0].Registered {
		t.Errorf("530.json entries = %+v", got.Entries)
	}
}

func ExampleRenderer_CodeTerminal() {
	cat, _ := catalog.Load(content.FS())
	r, _ := render.New(cat, web.FS())
	out, _ := r.CodeTerminal(503, false)
	os.Stdout.Write(out[:strings.Index(string(out), "\n")+1])
	// Output:
	// 503 Service Unavailable
}

// TestTemplateErrors checks that a template that does not parse, or an
// asset without a known content type, is reported: by New for the asset,
// by ParseTemplates and by the first HTML page for the template, while
// the text and JSON forms, which need no template, still render.
func TestTemplateErrors(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	files := func() fstest.MapFS {
		m := fstest.MapFS{}
		err := fs.WalkDir(web.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(web.FS(), p)
			m[p] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if r, err := render.New(cat, files()); err != nil {
		t.Fatalf("New with the real files: %v", err)
	} else if err := r.ParseTemplates(); err != nil {
		t.Fatalf("ParseTemplates of the real templates: %v", err)
	}

	broken := files()
	broken["templates/code.tmpl"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Code}`)}
	r, err := render.New(cat, broken)
	if err != nil {
		t.Fatalf("New with a broken template: %v, want the error later", err)
	}
	if _, err := r.Render(render.Page{Kind: render.KindCode, Code: 503, Format: render.Text}); err != nil {
		t.Errorf("the text form needs no template, but: %v", err)
	}
	if err := r.ParseTemplates(); err == nil || !strings.Contains(err.Error(), "parse template code") {
		t.Errorf("ParseTemplates = %v, want the code template's error", err)
	}
	if _, err := r.Render(render.Page{Kind: render.KindHome, Format: render.HTML}); err == nil {
		t.Errorf("an HTML page rendered with a broken template")
	}

	odd := files()
	odd["static/notes.xyz"] = &fstest.MapFile{Data: []byte("x")}
	if _, err := render.New(cat, odd); err == nil || !strings.Contains(err.Error(), `no content type for ".xyz"`) {
		t.Errorf("New with static/notes.xyz = %v, want an error naming the extension", err)
	}

	// A static file that cannot be read: the text form does not read
	// them, ParseTemplates reports it, and no asset is served.
	unread := files()
	unread["static/site.css"] = &fstest.MapFile{Mode: fs.ModeDir}
	r, err = render.New(cat, unread)
	if err != nil {
		t.Fatalf("New with static/site.css unreadable: %v, want the error later", err)
	}
	if _, err := r.Render(render.Page{Kind: render.KindCode, Code: 503, Format: render.Text}); err != nil {
		t.Errorf("the text form reads no static file, but: %v", err)
	}
	if err := r.ParseTemplates(); err == nil || !strings.Contains(err.Error(), "read asset") {
		t.Errorf("ParseTemplates with static/site.css unreadable = %v, want the read error", err)
	}
	if a := r.Assets(); len(a) != 0 {
		t.Errorf("Assets with static/site.css unreadable = %d files, want none", len(a))
	}
}

// TestNewParsed checks that NewParsed gives the renderer New and
// ParseTemplates give, and reports a broken template and a catalog that
// does not load, whichever fails.
func TestNewParsed(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	load := func() (*catalog.Catalog, error) { return cat, nil }
	r, err := render.NewParsed(web.FS(), load)
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.New(cat, web.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []render.Page{{Kind: render.KindCode, Code: 503, Format: render.HTML}, {Kind: render.KindHome, Format: render.HTML}} {
		got, err1 := r.Render(p)
		exp, err2 := want.Render(p)
		if err1 != nil || err2 != nil || !bytes.Equal(got, exp) {
			t.Errorf("%+v: NewParsed's page differs from New's (%v, %v)", p, err1, err2)
		}
	}
	broken := fstest.MapFS{}
	fs.WalkDir(web.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(web.FS(), p)
			broken[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	broken["templates/home.tmpl"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Code}`)}
	if _, err := render.NewParsed(broken, load); err == nil || !strings.Contains(err.Error(), "parse template home") {
		t.Errorf("NewParsed with a broken template = %v, want its error", err)
	}
	bad := errors.New("no catalog")
	if _, err := render.NewParsed(web.FS(), func() (*catalog.Catalog, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Errorf("NewParsed with a failing load = %v, want its error", err)
	}
}

func BenchmarkParseTemplates(b *testing.B) {
	cat, err := catalog.Load(content.FS())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := render.New(cat, web.FS())
		if err != nil {
			b.Fatal(err)
		}
		if err := r.ParseTemplates(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadCodeRendersTheSame checks that a renderer over catalog.LoadCode,
// which reads only the files one code's page shows, renders that code's
// text (plain and coloured) and JSON forms byte for byte as one over the
// whole catalog, for every number with a page.
func TestLoadCodeRendersTheSame(t *testing.T) {
	t.Parallel()
	full := newRenderer(t)
	n := 0
	for code := 100; code <= 999; code++ {
		if _, err := full.Catalog().Lookup(code); err != nil && !catalog.InRange(code) {
			continue
		}
		n++
		cat, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), code)
		if err != nil {
			t.Fatalf("LoadCode(%d): %v", code, err)
		}
		part, err := render.New(cat, web.FS())
		if err != nil {
			t.Fatal(err)
		}
		for _, color := range []bool{false, true} {
			want, err := full.CodeTerminal(code, color)
			if err != nil {
				t.Fatal(err)
			}
			got, err := part.CodeTerminal(code, color)
			if err != nil {
				t.Fatalf("CodeTerminal(%d) over LoadCode: %v", code, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("CodeTerminal(%d, %v) over LoadCode differs:\n%s\nwant\n%s", code, color, got, want)
			}
		}
		want, _ := full.Code(code, render.JSON)
		if got, err := part.Code(code, render.JSON); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Code(%d, JSON) over LoadCode differs (%v):\n%s\nwant\n%s", code, err, got, want)
		}
	}
	if n < 500 {
		t.Errorf("compared %d codes, want every number from 100 to 599 and more", n)
	}
	if _, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), 999); err != nil {
		t.Errorf("LoadCode(999): %v", err)
	}
}

// TestClassTablesEveryMeaning requires each class page and the home page
// to have a row for every meaning of every code, the first linking to the
// code's page and each other one to its part of the page, with its vendor.
func TestClassTablesEveryMeaning(t *testing.T) {
	r := newRenderer(t)
	home, err := r.Home(render.HTML)
	if err != nil {
		t.Fatal(err)
	}
	several := 0
	for _, k := range r.Catalog().Codes() {
		if !catalog.InRange(k.Code) {
			continue
		}
		page, err := r.Class(k.Class(), render.HTML)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range k.Entries {
			url := fmt.Sprintf("/%d", k.Code)
			name := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(e.Name)
			row := fmt.Sprintf(`<a href="%s">%s</a>`, url, name)
			if i > 0 {
				several++
				url += fmt.Sprintf("#meaning-%d", i+1)
				row = fmt.Sprintf(`<a href="%s">%s</a> <span class="tag">%s</span>`, url, name, e.Vendor)
			}
			for name, out := range map[string][]byte{"/" + k.Class(): page, "/": home} {
				if !bytes.Contains(out, []byte(`<a href="`+url+`">`+strconv.Itoa(k.Code)+`</a>`)) {
					t.Errorf("%s: no row for meaning %d of %d (%s)", name, i+1, k.Code, e.Name)
				}
				if name != "/" && !bytes.Contains(out, []byte(row)) {
					t.Errorf("%s: meaning %d of %d: want %s", name, i+1, k.Code, row)
				}
			}
		}
	}
	if several < 5 {
		t.Errorf("found %d second meanings, want the catalog's (530 has three)", several)
	}
}

// TestNotFoundNamesTheRange requires the text 404 page to say where status
// codes live truthfully: 100 to 599, and the vendors' codes above 599 the
// catalog has.
func TestNotFoundNamesTheRange(t *testing.T) {
	r := newRenderer(t)
	out, err := r.NotFound("/700", render.Text)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	want := "Status codes live at /100 to /599, vendors' codes above 599 at " + catalog.JoinCodes("/", r.Catalog().Beyond()) + "; classes at /1xx to /5xx."
	if !strings.Contains(text, want) {
		t.Errorf("NotFound(/700) text:\n%s\nwant it to contain %q", out, want)
	}
}

var metaDescription = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)

// TestEveryPageHasCreditAndDescription requires every HTML page (each
// documentation page, search with and without a query, and the not-found
// page) to have a non-empty meta description and the content's licence in
// its footer; every JSON page the licence and attribution; and every text
// page the licence.
func TestEveryPageHasCreditAndDescription(t *testing.T) {
	r := newRenderer(t)
	type page struct {
		name string
		f    render.Format
		out  func() ([]byte, error)
	}
	var pages []page
	for _, p := range r.Pages() {
		pages = append(pages, page{p.Path(), p.Format, func() ([]byte, error) { return r.Render(p) }})
	}
	for _, q := range []string{"", "gateway"} {
		pages = append(pages, page{"/search?q=" + q, render.HTML, func() ([]byte, error) { return r.Search(q, render.HTML) }})
	}
	pages = append(pages, page{"not found", render.HTML, func() ([]byte, error) { return r.NotFound("/nothing", render.HTML) }})
	license := `<a rel="license" href="` + catalog.License.URL + `">` + catalog.License.Title + `</a>`
	for _, p := range pages {
		out, err := p.out()
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		switch p.f {
		case render.HTML:
			if m := metaDescription.FindSubmatch(out); m == nil || strings.TrimSpace(string(m[1])) == "" {
				t.Errorf("%s: no meta description, or an empty one", p.name)
			}
			if !bytes.Contains(out, []byte(license)) {
				t.Errorf("%s: the footer does not credit the content's licence", p.name)
			}
		case render.JSON:
			var j struct {
				License     catalog.Link `json:"license"`
				Attribution string       `json:"attribution"`
			}
			if err := json.Unmarshal(out, &j); err != nil || j.License != catalog.License || j.Attribution != catalog.Attribution() {
				t.Errorf("%s: license %v, attribution %q (%v), want %v and %q", p.name, j.License, j.Attribution, err, catalog.License, catalog.Attribution())
			}
		case render.Text:
			if !bytes.Contains(out, []byte("Licence: "+catalog.License.Title)) {
				t.Errorf("%s: the text does not name the content's licence", p.name)
			}
		}
	}
}

// TestClassPageThreeForms requires each class page to say the same in its
// three forms: the title "Nxx HTTP Status Codes", the lead and the notice
// that the guide's pages are served 200 OK.
func TestClassPageThreeForms(t *testing.T) {
	r := newRenderer(t)
	for _, k := range r.Catalog().Classes() {
		title := k.Name + " HTTP Status Codes"
		js, err := r.Class(k.Name, render.JSON)
		if err != nil {
			t.Fatal(err)
		}
		var j struct{ Title, Lead, Notice string }
		if err := json.Unmarshal(js, &j); err != nil || j.Title != title || j.Lead != k.Lead || j.Notice != render.Notice {
			t.Errorf("/%s.json: title %q, lead %q, notice %q (%v); want %q, %q, %q", k.Name, j.Title, j.Lead, j.Notice, err, title, k.Lead, render.Notice)
		}
		for _, f := range []render.Format{render.HTML, render.Text} {
			out, err := r.Class(k.Name, f)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range []string{title, k.Lead, render.Notice} {
				if !strings.Contains(text, want) {
					t.Errorf("/%s.%s: %q is missing", k.Name, f, want)
				}
			}
		}
	}
}

// BenchmarkCodeTerminal is the text page of "httpstatus 503".
func BenchmarkCodeTerminal(b *testing.B) {
	cat, err := catalog.LoadCode(content.CatalogJSON(), content.ClientsJSON(), content.FS(), 503)
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(cat, web.FS())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.CodeTerminal(503, false); err != nil {
			b.Fatal(err)
		}
	}
}
