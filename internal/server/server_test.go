package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

var (
	once   sync.Once
	shared *server.Server
	rnd    *render.Renderer
)

// newServer returns one server shared by the tests (its page cache is safe
// for concurrent use, and building it is the slow part).
func newServer(t testing.TB) *server.Server {
	t.Helper()
	once.Do(func() {
		cat, err := catalog.Load(content.FS())
		if err != nil {
			t.Fatalf("catalog.Load: %v", err)
		}
		rnd, err = render.New(cat, web.FS())
		if err != nil {
			t.Fatalf("render.New: %v", err)
		}
		shared = server.New(rnd, server.Options{Logger: slog.New(slog.DiscardHandler)})
	})
	if shared == nil {
		t.Fatal("server setup failed")
	}
	return shared
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const html, js, txt = "text/html; charset=utf-8", "application/json", "text/plain; charset=utf-8"
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, method, target, accept string
		wantStatus                   int
		wantType                     string
		wantBody                     string
	}{
		{"home", "GET", "/", browser, 200, html, "The five classes"},
		{"home no accept", "GET", "/", "", 200, html, "All status codes"},
		{"home curl", "GET", "/", "*/*", 200, txt, "HTTP Status Codes\n"},
		{"class", "GET", "/5xx", browser, 200, html, "5xx HTTP Status Codes"},
		{"class json", "GET", "/5xx.json", "", 200, js, `"class": "5xx"`},
		{"class txt", "GET", "/4xx.txt", "", 200, txt, "4xx HTTP Status Codes"},
		{"class accept json", "GET", "/2xx", "application/json", 200, js, `"class": "2xx"`},
		{"code page for an error is 200", "GET", "/503", browser, 200, html, "Service Unavailable"},
		{"code curl gets text", "GET", "/503", "*/*", 200, txt, "503 Service Unavailable\n"},
		{"code accept json", "GET", "/404", "application/json", 200, js, `"code": 404`},
		{"code accept text", "GET", "/404", "text/plain", 200, txt, "404 Not Found"},
		{"code q-values", "GET", "/404", "text/html;q=0.5, application/json", 200, js, `"code": 404`},
		{"code json", "GET", "/418.json", "", 200, js, `"name": "I'm a teapot"`},
		{"code txt", "GET", "/429.txt", "", 200, txt, "429 Too Many Requests"},
		{"code html ext", "GET", "/301.html", "application/json", 200, html, "Moved Permanently"},
		{"extension wins over accept", "GET", "/503.json", "text/html", 200, js, `"code": 503`},
		{"unassigned", "GET", "/299", browser, 200, html, "Unassigned"},
		{"unassigned json", "GET", "/299.json", "", 200, js, `"assigned": false`},
		{"unofficial over 599", "GET", "/999", browser, 200, html, "LinkedIn"},
		{"codes json", "GET", "/codes.json", "", 200, js, `"code": 100`},
		{"not acceptable", "GET", "/503", "image/png", 406, txt, "text/html, application/json and text/plain"},
		{"404 number", "GET", "/600", browser, 404, html, "page not found"},
		{"404 text", "GET", "/nothing", "*/*", 404, txt, "Nothing lives at /nothing"},
		{"404 suggests", "GET", "/gateway-timeout", "*/*", 404, txt, "504"},
		{"404 suggests a guide", "GET", "/guides/redirect-permanent-or-temporary", "*/*", 404, txt, "Guide: The five redirects: 301, 302, 303, 307 and 308 /guides/redirects"},
		{"404 suggests a guide json", "GET", "/guides/redirect-permanent-or-temporary", "application/json", 404, js, `"url": "/guides/redirects"`},
		{"404 bad ext", "GET", "/503.xml", browser, 404, html, "page not found"},
		{"404 deep", "GET", "/a/b/c", browser, 404, html, "page not found"},
		{"404 json", "GET", "/zzz", "application/json", 404, js, `"error": "not found"`},
		{"405 post", "POST", "/503", "", 405, txt, "use GET or HEAD"},
		{"405 delete class", "DELETE", "/5xx", "", 405, txt, "use GET or HEAD"},
		{"post elsewhere 404", "POST", "/nothing", "*/*", 404, txt, "Nothing lives"},
		{"head", "HEAD", "/503", browser, 200, html, ""},
		{"search", "GET", "/search?q=teapot", browser, 200, html, "418"},
		{"search json", "GET", "/search?q=gateway+timeout", "application/json", 200, js, `"code": 504`},
		{"search empty", "GET", "/search", browser, 200, html, "Type a number"},
		{"search too long", "GET", "/search?q=" + strings.Repeat("a", 201), "", 400, txt, "longer than 200"},
		{"guides", "GET", "/guides", browser, 200, html, "<h1>Guides</h1>"},
		{"guides json", "GET", "/guides.json", "", 200, js, `"url": "/guides/404-vs-410"`},
		{"guides curl", "GET", "/guides", "*/*", 200, txt, "Guides: choosing a status code\n"},
		{"guide", "GET", "/guides/404-vs-410", browser, 200, html, "<h1>404 vs 410: not found, or gone for good</h1>"},
		{"guide json", "GET", "/guides/404-vs-410.json", "", 200, js, `"name": "404-vs-410"`},
		{"guide txt", "GET", "/guides/404-vs-410.txt", "", 200, txt, "404 vs 410: not found, or gone for good\n===="},
		{"guide accept json", "GET", "/guides/redirects", "application/json", 200, js, `"codes": [`},
		{"guide curl gets text", "GET", "/guides/choosing-a-status", "*/*", 200, txt, "FIND YOUR STATUS"},
		{"guide not acceptable", "GET", "/guides/redirects", "image/png", 406, txt, "text/html, application/json and text/plain"},
		{"unknown guide", "GET", "/guides/401-vs-418", browser, 404, html, "page not found"},
		{"unknown guide text", "GET", "/guides/nope.txt", "*/*", 404, txt, "Nothing lives at /guides/nope.txt"},
		{"guides slash", "GET", "/guides/", browser, 404, html, "page not found"},
		{"guide deeper", "GET", "/guides/404-vs-410/x", browser, 404, html, "page not found"},
		{"405 post guide", "POST", "/guides/404-vs-410", "", 405, txt, "use GET or HEAD"},
		{"search guide first", "GET", "/search?q=401+vs+403", "application/json", 200, js, `"results": [
    {
      "guide": "401-vs-403-vs-404-vs-407-vs-511",`},
		{"code links its guides", "GET", "/410", browser, 200, html, `<a href="/guides/404-vs-410">`},
		{"clients", "GET", "/clients", browser, 200, html, "<h1>What clients do</h1>"},
		{"clients json", "GET", "/clients.json", "", 200, js, `"scenario": "redirect-302-get"`},
		{"clients txt", "GET", "/clients.txt", "", 200, txt, "What clients do\n===="},
		{"clients accept json", "GET", "/clients", "application/json", 200, js, `"observations": [`},
		{"clients curl gets text", "GET", "/clients", "*/*", 200, txt, "SCENARIOS"},
		{"clients slash", "GET", "/clients/", browser, 404, html, "page not found"},
		{"405 post clients", "POST", "/clients", "", 405, txt, "use GET or HEAD"},
		{"code shows what clients do", "GET", "/302", browser, 200, html, `<h2 id="clients-h">What clients do</h2>`},
		{"code json has observations", "GET", "/302.json", "", 200, js, `"client": "curl",`},
		{"code text says what clients do", "GET", "/302.txt", "", 200, txt, "WHAT CLIENTS DO"},
		{"healthz", "GET", "/healthz", "", 200, txt, "ok"},
		{"robots", "GET", "/robots.txt", "", 200, txt, "User-agent"},
		{"favicon", "GET", "/favicon.ico", "", 302, "", ""},
		{"missing asset", "GET", "/static/nope.css", browser, 404, html, "page not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("%s %s: status = %d, want %d", tt.method, tt.target, res.StatusCode, tt.wantStatus)
			}
			if tt.wantType != "" && res.Header.Get("Content-Type") != tt.wantType {
				t.Errorf("%s %s: Content-Type = %q, want %q", tt.method, tt.target, res.Header.Get("Content-Type"), tt.wantType)
			}
			body := rec.Body.String()
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("%s %s: body does not contain %q:\n%.300s", tt.method, tt.target, tt.wantBody, body)
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD %s: body has %d bytes, want none", tt.target, len(body))
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("%s %s: security headers missing: %v", tt.method, tt.target, res.Header)
			}
		})
	}
}

func get(t *testing.T, s http.Handler, target string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Result()
}

// TestNegotiationHeaders checks the exact Vary of each kind of answer: a
// page whose format comes from Accept varies on Accept and
// Accept-Encoding; one whose extension fixes the format, on
// Accept-Encoding alone; search, compressed per request, on both; an
// answer that is never compressed (404), on Accept alone. And CORS is on
// JSON only.
func TestNegotiationHeaders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		target, accept string
		wantVary       string
		wantCORS       bool
	}{
		{"/503", "text/html", "Accept, Accept-Encoding", false},
		{"/503", "application/json", "Accept, Accept-Encoding", true},
		{"/503", "", "Accept, Accept-Encoding", false},
		{"/", "text/html", "Accept, Accept-Encoding", false},
		{"/5xx", "*/*", "Accept, Accept-Encoding", false},
		{"/503.json", "text/html", "Accept-Encoding", true},
		{"/503.html", "application/json", "Accept-Encoding", false},
		{"/5xx.txt", "", "Accept-Encoding", false},
		{"/codes.json", "", "Accept-Encoding", true},
		{"/robots.txt", "", "Accept-Encoding", false},
		{"/nothing", "text/html", "Accept", false},
		{"/search?q=teapot", "text/html", "Accept, Accept-Encoding", false},
		{"/search?q=teapot", "application/json", "Accept, Accept-Encoding", true},
	}
	for _, tt := range tests {
		res := get(t, s, tt.target, "Accept", tt.accept, "Accept-Encoding", "gzip")
		if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != tt.wantVary {
			t.Errorf("GET %s (Accept %q): Vary %q, want exactly %q", tt.target, tt.accept, got, tt.wantVary)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin") == "*"; got != tt.wantCORS {
			t.Errorf("GET %s (Accept %q): CORS * = %v, want %v", tt.target, tt.accept, got, tt.wantCORS)
		}
	}
}

// TestConditionalGet checks ETags and If-None-Match on a kept page, and on
// the page of a number the catalog lacks, which is rendered anew for each
// request and must keep its ETag.
func TestConditionalGet(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, tt := range []struct{ target, encoding string }{
		{"/503.json", ""}, {"/299", ""}, {"/299", "br"}, {"/299.json", "gzip"},
	} {
		res := get(t, s, tt.target, "Accept-Encoding", tt.encoding)
		etag := res.Header.Get("ETag")
		if etag == "" || res.Header.Get("Content-Length") == "" {
			t.Fatalf("%s (%q): ETag %q, Content-Length %q", tt.target, tt.encoding, etag, res.Header.Get("Content-Length"))
		}
		if again := get(t, s, tt.target, "Accept-Encoding", tt.encoding).Header.Get("ETag"); again != etag {
			t.Errorf("%s (%q): ETag %s, then %s", tt.target, tt.encoding, etag, again)
		}
		res = get(t, s, tt.target, "Accept-Encoding", tt.encoding, "If-None-Match", etag)
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("%s (%q) If-None-Match %s: status %d, want 304", tt.target, tt.encoding, etag, res.StatusCode)
		}
		if b, _ := io.ReadAll(res.Body); len(b) != 0 {
			t.Errorf("%s (%q): 304 has a body of %d bytes", tt.target, tt.encoding, len(b))
		}
		res = get(t, s, tt.target, "Accept-Encoding", tt.encoding, "If-None-Match", `"other"`)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s (%q) If-None-Match other: status %d, want 200", tt.target, tt.encoding, res.StatusCode)
		}
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	plain := get(t, s, "/503", "Accept", "text/html")
	want, _ := io.ReadAll(plain.Body)
	res := get(t, s, "/503", "Accept", "text/html", "Accept-Encoding", "gzip, deflate")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Errorf("gzip and plain bodies share an ETag")
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) {
		t.Errorf("gunzipped body differs from the plain body")
	}
	if res := get(t, s, "/503", "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

func TestAssets(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	home := get(t, s, "/", "Accept", "text/html")
	body, _ := io.ReadAll(home.Body)
	for _, a := range rnd.Assets() {
		if strings.HasSuffix(a.Path, ".css") && !bytes.Contains(body, []byte(a.Path)) {
			t.Errorf("home page does not link %s", a.Path)
		}
		res := get(t, s, a.Path)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: status %d, Cache-Control %q", a.Path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if res.Header.Get("Content-Type") != a.ContentType {
			t.Errorf("%s: Content-Type %q, want %q", a.Path, res.Header.Get("Content-Type"), a.ContentType)
		}
	}
}

// TestEveryPage serves every page of the site once through a real
// listener and the middleware, uncompressed, and checks each answer
// whole: status, Content-Type, a Content-Length that is the length of the
// body read, and the body the renderer makes for that page.
func TestEveryPage(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if err := s.Warm(); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	// No transparent gzip: the body and Content-Length must be what the
	// server sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	for _, p := range rnd.Pages() {
		want, err := rnd.Render(p)
		if err != nil {
			t.Fatalf("Render(%s): %v", p.Path(), err)
		}
		res, err := client.Get(ts.URL + p.Path())
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Errorf("GET %s: reading the body: %v", p.Path(), err)
			continue
		}
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != p.Format.ContentType() {
			t.Errorf("GET %s: %d %s, want 200 %s", p.Path(), res.StatusCode, res.Header.Get("Content-Type"), p.Format.ContentType())
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Errorf("GET %s: Content-Length %q, body %d bytes", p.Path(), cl, len(body))
		}
		if !bytes.Equal(body, want) {
			t.Errorf("GET %s: %d bytes differ from the renderer's %d", p.Path(), len(body), len(want))
		}
	}
}

// TestSearchCompressed checks that search answers, rendered per request,
// come in brotli or gzip as the client accepts once they reach 1 KB,
// decode to the plain answer, and stay plain below that (a query without
// results) or when the client accepts neither.
func TestSearchCompressed(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		target, accept, acceptEncoding, want string
	}{
		{"/search?q=gateway", "text/html", "gzip, deflate, br", "br"},
		{"/search?q=gateway", "text/html", "gzip", "gzip"},
		{"/search?q=5", "application/json", "br;q=0, gzip", "gzip"},
		{"/search?q=gateway", "text/html", "", ""},
		{"/search?q=gateway", "text/html", "identity", ""},
		{"/search?q=zzqxv", "application/json", "gzip, br", ""}, // no result: under compressMin
	}
	for _, tt := range tests {
		plain, _ := io.ReadAll(get(t, s, tt.target, "Accept", tt.accept).Body)
		res := get(t, s, tt.target, "Accept", tt.accept, "Accept-Encoding", tt.acceptEncoding)
		if got := res.Header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("GET %s (Accept-Encoding %q): Content-Encoding %q, want %q", tt.target, tt.acceptEncoding, got, tt.want)
			continue
		}
		var r io.Reader = res.Body
		switch tt.want {
		case "gzip":
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		case "br":
			r = brotli.NewReader(res.Body)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("GET %s (Accept-Encoding %q): decoded body differs from the plain one (%v)", tt.target, tt.acceptEncoding, err)
		}
	}
}
