package export_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/export"
	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

const (
	base    = "https://status.example.org"
	browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
)

var (
	once   sync.Once
	shared *render.Renderer
)

func newRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	once.Do(func() {
		cat, err := catalog.Load(content.FS())
		if err != nil {
			t.Fatalf("catalog.Load: %v", err)
		}
		shared, err = render.New(cat, web.FS())
		if err != nil {
			t.Fatalf("render.New: %v", err)
		}
	})
	if shared == nil {
		t.Fatal("renderer setup failed")
	}
	return shared
}

// exportResult is an export made once and read by several tests (an
// export writes thousands of files): its tree, Stats and Progress calls.
type exportResult struct {
	once        sync.Once
	err         error
	files       map[string][]byte
	modes       map[string]fs.FileMode
	stats       export.Stats
	calls, last int
	total       int
	order       bool // every Progress call counted up by one
}

var sharedExport exportResult

func exported(t *testing.T) *exportResult {
	t.Helper()
	rnd := newRenderer(t)
	x := &sharedExport
	x.once.Do(func() {
		dir, err := os.MkdirTemp("", "export-test-")
		if err != nil {
			x.err = err
			return
		}
		defer os.RemoveAll(dir)
		// The parents of the target are missing: Export makes them.
		site := filepath.Join(dir, "a", "b", "site")
		x.order = true
		x.stats, x.err = export.Export(context.Background(), site, rnd, export.Options{
			BaseURL: base,
			Workers: 3,
			Progress: func(done, total int) {
				x.order = x.order && done == x.last+1
				x.calls++
				x.last, x.total = done, total
			},
		})
		if x.err == nil {
			x.files, x.modes = readTree(t, site)
		}
	})
	if x.err != nil {
		t.Fatalf("Export: %v", x.err)
	}
	return x
}

// readTree returns every file under dir by its slash path, and the mode of
// each file and directory.
func readTree(t *testing.T, dir string) (files map[string][]byte, modes map[string]fs.FileMode) {
	t.Helper()
	files, modes = map[string][]byte{}, map[string]fs.FileMode{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		modes[filepath.ToSlash(rel)] = info.Mode()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return files, modes
}

func TestPageFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    render.Page
		want string
	}{
		{render.Page{Kind: render.KindHome, Format: render.HTML}, "index.html"},
		{render.Page{Kind: render.KindHome, Format: render.JSON, Explicit: true}, "index.json"},
		{render.Page{Kind: render.KindClass, Class: "5xx", Format: render.HTML}, "5xx.html"},
		{render.Page{Kind: render.KindClass, Class: "5xx", Format: render.Text, Explicit: true}, "5xx.txt"},
		{render.Page{Kind: render.KindCode, Code: 503, Format: render.HTML}, "503.html"},
		{render.Page{Kind: render.KindCode, Code: 503, Format: render.JSON, Explicit: true}, "503.json"},
		{render.Page{Kind: render.KindCode, Code: 404, Format: render.HTML}, "404/index.html"},
		{render.Page{Kind: render.KindCode, Code: 404, Format: render.Text, Explicit: true}, "404.txt"},
		{render.Page{Kind: render.KindCodes, Format: render.JSON, Explicit: true}, "codes.json"},
		{render.Page{Kind: render.KindGuides, Format: render.HTML}, "guides.html"},
		{render.Page{Kind: render.KindClients, Format: render.HTML}, "clients.html"},
		{render.Page{Kind: render.KindClients, Format: render.Text, Explicit: true}, "clients.txt"},
		{render.Page{Kind: render.KindGuides, Format: render.JSON, Explicit: true}, "guides.json"},
		{render.Page{Kind: render.KindGuide, Guide: "404-vs-410", Format: render.HTML}, "guides/404-vs-410.html"},
		{render.Page{Kind: render.KindGuide, Guide: "404-vs-410", Format: render.Text, Explicit: true}, "guides/404-vs-410.txt"},
	}
	for _, tt := range tests {
		if got := export.PageFile(tt.p); got != tt.want {
			t.Errorf("PageFile(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// pageFileRule is the export's naming rule, written out here rather than
// taken from export.PageFile, the function under test: an HTML page is
// NAME.html for its clean URL /NAME ("/" is index.html, /guides/redirects
// is guides/redirects.html), except the page about status 404, which is
// 404/index.html because 404.html is the not-found page; a JSON or text
// form keeps its URL's name.
func pageFileRule(t *testing.T, p render.Page) string {
	t.Helper()
	var name string
	switch p.Kind {
	case render.KindHome:
		name = "index"
	case render.KindClass:
		name = p.Class
	case render.KindCode:
		name = strconv.Itoa(p.Code)
	case render.KindCodes:
		name = "codes"
	case render.KindGuides:
		name = "guides"
	case render.KindGuide:
		name = "guides/" + p.Guide
	case render.KindClients:
		name = "clients"
	default:
		t.Fatalf("page %+v: a kind this test has no naming rule for", p)
	}
	if p.Kind == render.KindCode && p.Code == 404 && p.Format == render.HTML {
		return "404/index.html"
	}
	return name + "." + p.Format.Ext()
}

// wantTree returns every file the export must hold but the compressed
// copies and the marker, named by pageFileRule, with the renderer's bytes,
// and the number of code pages.
func wantTree(t *testing.T, rnd *render.Renderer) (want map[string][]byte, codes int) {
	t.Helper()
	want = map[string][]byte{}
	for _, p := range rnd.Pages() {
		b, err := rnd.Render(p)
		if err != nil {
			t.Fatalf("Render(%v): %v", p, err)
		}
		name := pageFileRule(t, p)
		if _, dup := want[name]; dup {
			t.Errorf("two pages named %s", name)
		}
		want[name] = b
		if p.Kind == render.KindCode && p.Format == render.HTML {
			codes++
		}
	}
	for _, a := range rnd.Assets() {
		want[strings.TrimPrefix(a.Path, "/")] = a.Body
	}
	nf, err := rnd.NotFound("/", render.HTML)
	if err != nil {
		t.Fatal(err)
	}
	want["404.html"] = nf
	want["sitemap.xml"] = rnd.Sitemap(base)
	want["robots.txt"] = rnd.Robots(base)
	want["openapi.json"] = openapi.Document(rnd)
	return want, codes
}

// checkNamesAndKinds checks the export's file names against a list and
// its files by kind against the count each kind must have: every code
// has its HTML page (404's in 404/; 404.html is the not-found page), JSON
// and text, each class and each guide, and the index of the guides, its
// three, and each of the sources source files a .gz and a .br copy.
func checkNamesAndKinds(t *testing.T, files map[string][]byte, sources, codes, guides int) {
	t.Helper()
	for _, name := range []string{
		"index.html", "index.json", "index.txt", "codes.json", "1xx.html", "5xx.json", "5xx.txt",
		"200.html", "418.html", "503.html", "503.json", "503.txt", "999.html", "999.json",
		"404/index.html", "404/index.html.gz", "404/index.html.br", "404.json", "404.txt",
		"404.html", "404.html.gz", "503.html.gz", "503.json.br", "sitemap.xml", "robots.txt", "openapi.json", "openapi.json.br",
		".httpstatus-export",
		"guides.html", "guides.json", "guides.txt", "guides.html.gz", "guides/choosing-a-status.html",
		"guides/choosing-a-status.json", "guides/choosing-a-status.txt", "guides/redirects.html.br",
		"guides/401-vs-403-vs-404-vs-407-vs-511.html", "guides/404-vs-410.json", "guides/429-vs-503.txt",
		"clients.html", "clients.json", "clients.txt", "clients.html.br",
	} {
		if _, ok := files[name]; !ok {
			t.Errorf("no %s in the export", name)
		}
	}
	for _, name := range []string{"404/index.json", "404/index.txt", "index/index.html", "503/index.html", "codes.html", "503", "guides/index.html", "guides/redirects", "clients/index.html"} {
		if _, ok := files[name]; ok {
			t.Errorf("%s in the export: no URL names it", name)
		}
	}
	byKind := map[string]int{}
	kinds := []struct {
		name string
		re   *regexp.Regexp
		want int
	}{
		{"code HTML pages and 404.html", regexp.MustCompile(`^(\d{3}|404/index)\.html$`), codes + 1},
		{"code JSON forms", regexp.MustCompile(`^\d{3}\.json$`), codes},
		{"code text forms", regexp.MustCompile(`^\d{3}\.txt$`), codes},
		{"class pages", regexp.MustCompile(`^[1-5]xx\.(html|json|txt)$`), 15},
		{"guide pages and their index", regexp.MustCompile(`^guides(/[a-z0-9-]+)?\.(html|json|txt)$`), 3 * (1 + guides)},
		{"gzip copies", regexp.MustCompile(`\.gz$`), sources},
		{"brotli copies", regexp.MustCompile(`\.br$`), sources},
	}
	for name := range files {
		for _, k := range kinds {
			if k.re.MatchString(name) {
				byKind[k.name]++
			}
		}
	}
	for _, k := range kinds {
		if byKind[k.name] != k.want {
			t.Errorf("%d %s, want %d", byKind[k.name], k.name, k.want)
		}
	}
	if codes < 500 {
		t.Errorf("only %d code pages; every number from 100 to 599 has one", codes)
	}
}

// TestTree checks that the export holds every page, asset and special
// file, each with the renderer's bytes, and a .gz and .br copy (of a
// sample, that they decode to those bytes). The file names come from the
// naming rule stated in this test, a list of names and a count of files
// by kind, never from export.PageFile.
func TestTree(t *testing.T) {
	t.Parallel()
	rnd := newRenderer(t)
	x := exported(t)
	files, modes := x.files, x.modes
	want, codes := wantTree(t, rnd)
	checkNamesAndKinds(t, files, len(want), codes, len(rnd.Catalog().Guides()))
	if _, ok := files[export.MarkerFile]; !ok {
		t.Errorf("no %s", export.MarkerFile)
	}
	compressed := 0
	for name, body := range want {
		got, ok := files[name]
		if !ok {
			t.Errorf("%s: missing", name)
			continue
		}
		if !bytes.Equal(got, body) {
			t.Errorf("%s: %d bytes differ from the renderer's %d", name, len(got), len(body))
		}
		gz, hasGz := files[name+".gz"]
		br, hasBr := files[name+".br"]
		if !hasGz || !hasBr {
			t.Errorf("%s (%d bytes): .gz copy %v, .br copy %v; want both", name, len(body), hasGz, hasBr)
		}
		if hasGz {
			compressed++
		}
		if !sampled(name) {
			continue // decoding every copy is slow under the race detector
		}
		if hasGz {
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Errorf("%s.gz: %v", name, err)
				continue
			}
			if plain, err := io.ReadAll(zr); err != nil || !bytes.Equal(plain, body) {
				t.Errorf("%s.gz does not decode to %s (err %v)", name, name, err)
			}
		}
		if hasBr {
			if plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(plain, body) {
				t.Errorf("%s.br does not decode to %s (err %v)", name, name, err)
			}
		}
	}
	for name := range files {
		src := strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".br")
		if _, ok := want[src]; !ok && name != export.MarkerFile {
			t.Errorf("%s: unexpected file", name)
		}
	}
	// A web server's workers must read everything (the umask may take
	// more away; 022 and 002 do not).
	for name, mode := range modes {
		if mode.IsRegular() && (mode.Perm()&0o444 != 0o444 || mode.Perm()&0o111 != 0) {
			t.Errorf("%s: mode %v, want readable by all and not executable", name, mode.Perm())
		}
		if mode.IsDir() && mode.Perm()&0o555 != 0o555 {
			t.Errorf("%s/: mode %v, want readable and searchable by all", name, mode)
		}
	}
	t.Logf("%d files, %d sources, %d with compressed copies", len(files), len(want), compressed)
}

// fileURL returns the request a file of the export answers: its URL
// path, the Accept-Encoding that selects it and the status it is sent
// with. ok is false for files that answer no request: the marker, and the
// .gz and .br copies of the not-found page, which is sent uncompressed
// whatever the client accepts (it answers any path; deploy/nginx.conf
// does the same).
func fileURL(name string) (path, enc string, status int, ok bool) {
	switch {
	case strings.HasSuffix(name, ".gz"):
		name, enc = strings.TrimSuffix(name, ".gz"), "gzip"
	case strings.HasSuffix(name, ".br"):
		name, enc = strings.TrimSuffix(name, ".br"), "br"
	}
	switch {
	case name == export.MarkerFile, name == export.NotFoundFile && enc != "":
		return "", "", 0, false
	case name == export.NotFoundFile:
		return "/no-such-page", "", 404, true
	case name == "index.html":
		return "/", enc, 200, true
	case name == "404/index.html":
		return "/404", enc, 200, true
	case strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "static/"):
		return "/" + strings.TrimSuffix(name, ".html"), enc, 200, true
	}
	return "/" + name, enc, 200, true
}

// sampled reports whether TestServerParity compares a file: every file but
// the code pages, of which it takes one number in 25 and a few others. The
// server renders and compresses a page on its first request, which is slow
// under the race detector; TestNginxParityIntegration compares every URL.
func sampled(name string) bool {
	num, _, _ := strings.Cut(strings.TrimPrefix(name, "404/"), ".")
	if strings.HasPrefix(name, "404/") {
		num = "404"
	}
	code, err := strconv.Atoi(num)
	if err != nil {
		return true
	}
	return code%25 == 0 || code == 404 || code == 418 || code == 503 || code == 999
}

// TestServerParity asks the server for the URL of files of the export,
// plain, gzip and brotli, and compares the status and bytes: 404.html is
// what the server answers, with status 404, for a path that names nothing.
func TestServerParity(t *testing.T) {
	t.Parallel()
	rnd := newRenderer(t)
	files := exported(t).files
	srv := server.New(rnd, server.Options{Logger: slog.New(slog.DiscardHandler), BaseURL: base})
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	checked := 0
	serve := func(path, enc string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept", browser)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	for _, name := range names {
		path, enc, status, ok := fileURL(name)
		if !ok || !sampled(name) {
			continue
		}
		rec := serve(path, enc)
		if rec.Code != status || rec.Header().Get("Content-Encoding") != enc {
			t.Errorf("GET %s (Accept-Encoding %q) for %s: %d, Content-Encoding %q; want %d, %q", path, enc, name, rec.Code, rec.Header().Get("Content-Encoding"), status, enc)
			continue
		}
		if !bytes.Equal(rec.Body.Bytes(), files[name]) {
			t.Errorf("GET %s (Accept-Encoding %q): %d bytes differ from %s (%d bytes)", path, enc, rec.Body.Len(), name, len(files[name]))
		}
		checked++
	}
	if _, ok := files[export.NotFoundFile]; !ok {
		t.Errorf("the export has no %s", export.NotFoundFile)
	}
	// Every path that names nothing gets the not-found page, 404,
	// uncompressed whatever the client accepts.
	for _, path := range []string{"/nothing", "/600", "/503.xml", "/" + export.MarkerFile, "/" + export.NotFoundFile + ".gz", "/a/b/c"} {
		for _, enc := range []string{"", "gzip", "br"} {
			rec := serve(path, enc)
			if rec.Code != 404 || rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), files[export.NotFoundFile]) {
				t.Errorf("GET %s (Accept-Encoding %q): %d, Content-Encoding %q, %d bytes; want 404 with %s", path, enc, rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.Len(), export.NotFoundFile)
			}
		}
	}
	if checked < 250 {
		t.Errorf("only %d files compared", checked)
	}
	t.Logf("compared %d files with the server", checked)
}

// siblings lists the names in dir's parent, to find temporary directories
// left behind.
func siblings(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestTargets(t *testing.T) {
	t.Parallel()
	rnd := newRenderer(t)
	ctx := context.Background()
	opts := export.Options{BaseURL: base}

	t.Run("non-empty directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		os.Mkdir(dir, 0o755)
		mine := filepath.Join(dir, "notes.txt")
		os.WriteFile(mine, []byte("mine"), 0o644)
		_, err := export.Export(ctx, dir, rnd, opts)
		if !errors.Is(err, export.ErrNotEmpty) {
			t.Fatalf("Export into a non-empty directory: %v, want ErrNotEmpty", err)
		}
		if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
			t.Errorf("the refused export touched %s: %q, %v", mine, b, err)
		}
		if got := siblings(t, dir); len(got) != 1 {
			t.Errorf("left behind: %v", got)
		}
	})

	t.Run("a file", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		os.WriteFile(dir, []byte("x"), 0o644)
		if _, err := export.Export(ctx, dir, rnd, opts); err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("Export onto a file: %v, want a not-a-directory error", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		ctx, cancel := context.WithCancel(ctx)
		opts := opts
		opts.Progress = func(done, total int) {
			if done == 20 {
				cancel()
			}
		}
		if _, err := export.Export(ctx, dir, rnd, opts); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Export: %v, want context.Canceled", err)
		}
		if got := siblings(t, dir); len(got) != 0 {
			t.Errorf("a cancelled export left %v", got)
		}
	})
}

func TestStatsAndProgress(t *testing.T) {
	t.Parallel()
	x := exported(t)
	var bytes int64
	for _, b := range x.files {
		bytes += int64(len(b))
	}
	if x.stats.Files != len(x.files) || x.stats.Bytes != bytes {
		t.Errorf("Stats = %+v, want %d files, %d bytes", x.stats, len(x.files), bytes)
	}
	if !x.order || x.calls != x.total || x.last != x.total || x.total == 0 {
		t.Errorf("Progress called %d times, last (%d, %d), in order %v", x.calls, x.last, x.total, x.order)
	}
}
