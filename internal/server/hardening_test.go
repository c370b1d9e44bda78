package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/web"
)

var (
	hardOnce sync.Once
	hardRnd  *render.Renderer
	hardErr  error
)

// hardServer returns a new Server (its own metrics and readiness) over a
// renderer shared by the hardening tests, logging to log.
func hardServer(t testing.TB, log *slog.Logger, opts Options) *Server {
	t.Helper()
	hardOnce.Do(func() {
		cat, err := catalog.Load(content.FS())
		if err != nil {
			hardErr = err
			return
		}
		hardRnd, hardErr = render.New(cat, web.FS())
	})
	if hardErr != nil {
		t.Fatalf("renderer: %v", hardErr)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts.Logger = log
	// Keep ?sleep short: the fuzzer may ask for any.
	if opts.MaxSleep == 0 {
		opts.MaxSleep = 5 * time.Millisecond
	}
	return New(hardRnd, opts)
}

// errorCounter is a slog handler that counts records at Error and keeps
// every record's text.
type errorCounter struct {
	errors atomic.Int64
	mu     sync.Mutex
	buf    bytes.Buffer
	h      slog.Handler
}

func newErrorCounter(level slog.Level) *errorCounter {
	c := &errorCounter{}
	c.h = slog.NewJSONHandler(&lockedWriter{c}, &slog.HandlerOptions{Level: level})
	return c
}

type lockedWriter struct{ c *errorCounter }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	return w.c.buf.Write(b)
}

func (c *errorCounter) Enabled(ctx context.Context, l slog.Level) bool { return c.h.Enabled(ctx, l) }
func (c *errorCounter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		c.errors.Add(1)
	}
	return c.h.Handle(ctx, r)
}
func (c *errorCounter) WithAttrs(as []slog.Attr) slog.Handler { return c.h.WithAttrs(as) }
func (c *errorCounter) WithGroup(g string) slog.Handler       { return c.h.WithGroup(g) }

func (c *errorCounter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// readRaw parses a request as net/http's server would read it off the wire,
// so that targets httptest.NewRequest refuses can be tested.
func readRaw(t testing.TB, raw string) *http.Request {
	t.Helper()
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("ReadRequest(%q): %v", raw, err)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	return req
}

// checkSecurityHeaders fails unless res carries every security header.
func checkSecurityHeaders(t testing.TB, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, want)
		}
	}
	// No inline code, no eval, no other hosts.
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*", "data:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q allows %q", what, csp, bad)
		}
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "strict-origin-when-cross-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	if v := h.Get("Server"); v != "" {
		t.Errorf("%s: Server header %q", what, v)
	}
}

// leaky matches what an error body must never show: Go source positions,
// goroutine dumps, panic text, file system paths.
var leaky = regexp.MustCompile(`\.go:\d|goroutine \d|panic|runtime\.|/root/|/home/|/usr/`)

func TestBadRequests(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	long := "/search?q=" + strings.Repeat("a", MaxURIBytes)
	tests := []struct {
		name       string
		raw        string
		wantStatus int
		wantAllow  string
	}{
		{"TRACE page", "TRACE /503 HTTP/1.1\r\nHost: x\r\n\r\n", 405, allowPage},
		{"TRACE live", "TRACE /status/200 HTTP/1.1\r\nHost: x\r\n\r\n", 405, allowLive},
		{"CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 405, allowPage},
		{"OPTIONS star", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 204, "GET, HEAD, OPTIONS"},
		{"GET star", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"dot dot", "GET /a/../503 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"dot dot at end", "GET /5xx/.. HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"dot", "GET /./503 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"encoded dot dot", "GET /%2e%2E/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"encoded slash", "GET /503%2F..%2Fx HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"encoded slash lower", "GET /static/%2fetc HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"encoded backslash", "GET /%5C..%5Cwin.ini HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"NUL", "GET /503%00.json HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"newline", "GET /a%0d%0aSet-Cookie:x HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"DEL", "GET /%7f HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"bad query escape", "GET /search?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"truncated query escape", "GET /search?q=50% HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"long target", "GET " + long + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, ""},
		{"large body", "POST /503 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n", 413, ""},
		{"bad accept", "GET /503 HTTP/1.1\r\nHost: x\r\nAccept: ;;;=,,q=;\r\n\r\n", 406, ""},
		{"accept no format", "GET /503 HTTP/1.1\r\nHost: x\r\nAccept: image/png, text/html;q=0\r\n\r\n", 406, ""},
		{"huge sleep", "GET /status/200?sleep=99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"negative sleep", "GET /status/200?sleep=-1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"unknown method", "BREW /503 HTTP/1.1\r\nHost: x\r\n\r\n", 405, allowPage},
		// Fine: these must still be served.
		{"HTTP/1.0 with Host", "GET /503.json HTTP/1.0\r\nHost: x\r\n\r\n", 200, ""},
		// RFC 9112 §3.2 requires Host of HTTP/1.1 only (net/http refuses
		// that before the handler); HAProxy's health check sends this.
		{"HTTP/1.0 without Host", "GET /503.json HTTP/1.0\r\n\r\n", 200, ""},
		{"HTTP/1.0 health check without Host", "GET /healthz HTTP/1.0\r\n\r\n", 200, ""},
		{"HTTP/1.0 OPTIONS without Host", "OPTIONS / HTTP/1.0\r\n\r\n", 204, "GET, HEAD, OPTIONS"},
		{"HTTP/1.0 live without Host", "GET /status/503 HTTP/1.0\r\n\r\n", 503, ""},
		{"dots inside a segment", "GET /search?q=..%2F.. HTTP/1.1\r\nHost: x\r\n\r\n", 200, ""},
		{"small body", "POST /status/201 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 201, ""},
		{"OPTIONS live", "OPTIONS /status/204 HTTP/1.1\r\nHost: x\r\n\r\n", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := readRaw(t, tt.raw)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("%q: status %d, want %d; body %q", firstLine(tt.raw), res.StatusCode, tt.wantStatus, rec.Body.String())
			}
			if tt.wantAllow != "" && res.Header.Get("Allow") != tt.wantAllow {
				t.Errorf("%q: Allow %q, want %q", firstLine(tt.raw), res.Header.Get("Allow"), tt.wantAllow)
			}
			checkSecurityHeaders(t, firstLine(tt.raw), res.Header)
			if res.StatusCode >= 400 && res.Header.Get("Content-Type") == "text/plain; charset=utf-8" {
				if rec.Body.Len() > 300 || leaky.MatchString(rec.Body.String()) {
					t.Errorf("%q: error body is long or leaks: %q", firstLine(tt.raw), rec.Body.String())
				}
			}
		})
	}
}

func firstLine(raw string) string {
	line, _, _ := strings.Cut(raw, "\r\n")
	if len(line) > 60 {
		line = line[:60] + "..."
	}
	return line
}

// TestBodyLimit reads past MaxBodyBytes of a body sent without a length
// and gets an error, not the whole body.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	var n int64
	var readErr error
	h := s.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, readErr = io.Copy(io.Discard, r.Body)
	}))
	req := httptest.NewRequest("POST", "/status/200", io.MultiReader(strings.NewReader(strings.Repeat("x", MaxBodyBytes)), strings.NewReader("more")))
	req.ContentLength = -1 // chunked: the length is not known up front
	h.ServeHTTP(httptest.NewRecorder(), req)
	var mbe *http.MaxBytesError
	if !errors.As(readErr, &mbe) || n != MaxBodyBytes {
		t.Errorf("read %d bytes, err %v; want %d bytes and a MaxBytesError", n, readErr, MaxBodyBytes)
	}
}

func TestCheckPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target string
		ok     bool
	}{
		{"/", true},
		{"/503", true},
		{"/503.json", true},
		{"/status/200,500", true},
		{"/status/200:3,500:1", true},
		{"/static/site.abc123.css", true},
		{"/...", true},
		{"/a..b", true},
		{"/.well-known/x", true},
		{"/%41", true},
		{"/.", false},
		{"/..", false},
		{"/a/./b", false},
		{"/a/../b", false},
		{"/%2E%2E/x", false},
		{"/a%2Fb", false},
		{"/a%5cb", false},
		{"/a%00", false},
		{"/a%09b", false},
	}
	for _, tt := range tests {
		u, err := url.ParseRequestURI(tt.target)
		if err != nil {
			t.Fatalf("ParseRequestURI(%q): %v", tt.target, err)
		}
		if got := checkPath(u.Path, u.EscapedPath()) == ""; got != tt.ok {
			t.Errorf("checkPath(%q) accepts = %v, want %v", tt.target, got, tt.ok)
		}
	}
}

// TestEveryPageTypeHeaders checks the security headers and CORS of every
// kind of response the site gives.
func TestEveryPageTypeHeaders(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	if err := s.Warm(); err != nil {
		t.Fatal(err)
	}
	asset := ""
	for _, a := range s.rnd.Assets() {
		if strings.HasSuffix(a.Path, ".css") {
			asset = a.Path
		}
	}
	const browser = "text/html,application/xhtml+xml,*/*;q=0.8"
	tests := []struct {
		name, method, target, accept string
		wantStatus                   int
		wantCORS                     bool
	}{
		{"home", "GET", "/", browser, 200, false},
		{"class html", "GET", "/5xx", browser, 200, false},
		{"class json", "GET", "/5xx.json", "", 200, true},
		{"class text", "GET", "/5xx.txt", "", 200, false},
		{"code html", "GET", "/503", browser, 200, false},
		{"code json", "GET", "/503.json", "", 200, true},
		{"code json by accept", "GET", "/503", "application/json", 200, true},
		{"code text", "GET", "/503.txt", "", 200, false},
		{"codes json", "GET", "/codes.json", "", 200, true},
		{"head", "HEAD", "/503", browser, 200, false},
		{"search", "GET", "/search?q=teapot", browser, 200, false},
		{"search json", "GET", "/search?q=teapot&format=json", "", 200, true},
		{"asset", "GET", asset, "", 200, false},
		{"favicon redirect", "GET", "/favicon.ico", "", 302, false},
		{"robots", "GET", "/robots.txt", "", 200, false},
		{"healthz", "GET", "/healthz", "", 200, false},
		{"readyz", "GET", "/readyz", "", 200, false},
		{"metrics", "GET", "/metrics", "", 200, false},
		{"404 html", "GET", "/nope", browser, 404, false},
		{"404 text", "GET", "/nope", "*/*", 404, false},
		{"405", "POST", "/503", "", 405, false},
		{"406", "GET", "/503", "image/png", 406, false},
		{"400 guard", "GET", "/a/../b", "", 400, false},
		{"mux redirect", "GET", "//503", "", 307, false},
		{"live 200", "GET", "/status/200", "", 200, true},
		{"live 503", "GET", "/status/503", "", 503, true},
		{"live 301", "GET", "/status/301", "", 301, true},
		{"live 204", "GET", "/status/204", "", 204, true},
		{"live 400", "GET", "/status/abc", "", 400, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := readRaw(t, tt.method+" "+tt.target+" HTTP/1.1\r\nHost: x\r\n\r\n")
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, res.StatusCode, tt.wantStatus)
			}
			checkSecurityHeaders(t, tt.method+" "+tt.target, res.Header)
			if got := res.Header.Get("Access-Control-Allow-Origin") == "*"; got != tt.wantCORS {
				t.Errorf("%s %s: CORS * = %v, want %v", tt.method, tt.target, got, tt.wantCORS)
			}
		})
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	log := newErrorCounter(slog.LevelInfo)
	s := hardServer(t, slog.New(log), Options{})
	chain := func(h http.HandlerFunc) http.Handler { return s.middleware(h) }

	// A panic before anything is written: a short 500 with no trace of
	// the panic and none of the headers the handler had set.
	h := chain(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://example.com/")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		panic("boom: secret internals of " + r.URL.Path)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/secret/path?token=hunter2", nil))
	res := rec.Result()
	if res.StatusCode != 500 {
		t.Errorf("status %d, want 500", res.StatusCode)
	}
	if body := rec.Body.String(); body != "Internal Server Error.\n" || leaky.MatchString(body) {
		t.Errorf("500 body %q", body)
	}
	if res.Header.Get("Location") != "" || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("500 kept the handler's headers: %v", res.Header)
	}
	checkSecurityHeaders(t, "500 after panic", res.Header)
	logs := log.String()
	if log.errors.Load() < 2 || !strings.Contains(logs, `"msg":"panic"`) || !strings.Contains(logs, "hardening_test.go") {
		t.Errorf("panic not logged at Error with its stack (%d errors):\n%s", log.errors.Load(), logs)
	}
	if strings.Contains(logs, "hunter2") {
		t.Errorf("the query string was logged:\n%s", logs)
	}

	// A panic after the status went out: the connection is aborted, so
	// the client cannot take the partial answer for a whole one.
	h = chain(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.Write([]byte("partial"))
		panic("late")
	})
	func() {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("late panic: recovered %v, want http.ErrAbortHandler", v)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}()

	// Through a real server, the late panic is a broken response, and
	// the server goes on serving.
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	ts.Start()
	defer ts.Close()
	if res, err := ts.Client().Get(ts.URL + "/"); err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			t.Errorf("late panic: the client read a complete response")
		}
	}
	if got := counterValue(t, s, `httpstatus_http_requests_total{code="500",route="unmatched"}`); got != 1 {
		t.Errorf("500s counted: %v, want 1", got)
	}
}

// TestPanicRecovered makes a route really panic (a nil map write, as a
// bug would) behind the server's own middleware, the one New wraps every
// route in, over a real listener: each time the client gets the short 500
// with the security headers, the panic is logged, and the server goes on
// serving, pages and the same route alike.
func TestPanicRecovered(t *testing.T) {
	t.Parallel()
	log := newErrorCounter(slog.LevelInfo)
	s := hardServer(t, slog.New(log), Options{})
	mux := http.NewServeMux()
	s.addRoutes(mux)
	var panics atomic.Int64
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		panics.Add(1)
		panic("deliberate panic in " + r.URL.Path)
	})
	ts := httptest.NewUnstartedServer(s.middleware(mux))
	ts.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	ts.Start()
	defer ts.Close()
	client := ts.Client()
	get := func(path string) (int, http.Header, string) {
		t.Helper()
		res, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatalf("GET %s after %d panics: %v", path, panics.Load(), err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("GET %s after %d panics: %v", path, panics.Load(), err)
		}
		return res.StatusCode, res.Header, string(body)
	}
	for i := range 3 {
		status, h, body := get("/boom")
		if status != 500 || body != "Internal Server Error.\n" {
			t.Errorf("GET /boom #%d: %d %q, want 500 %q", i+1, status, body, "Internal Server Error.\n")
		}
		checkSecurityHeaders(t, "500 after a panic", h)
		if status, _, body := get("/503.json"); status != 200 || !strings.Contains(body, `"code": 503`) {
			t.Errorf("GET /503.json after panic #%d: %d %.80q, want the page", i+1, status, body)
		}
	}
	if n := panics.Load(); n != 3 {
		t.Errorf("the route panicked %d times, want 3", n)
	}
	if got := log.errors.Load(); got < 3 || !strings.Contains(log.String(), "deliberate panic in /boom") {
		t.Errorf("%d errors logged, want each panic with its message:\n%s", got, log.String())
	}
}

// scrape returns the server's /metrics text.
func scrape(t testing.TB, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	return rec.Body.String()
}

// counterValue returns the value of the sample named exactly series
// ("name{labels}"), or -1 when there is none.
func counterValue(t testing.TB, s *Server, series string) float64 {
	t.Helper()
	for line := range strings.SplitSeq(scrape(t, s.Metrics()), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			if err := json.Unmarshal([]byte(v), &f); err != nil {
				t.Fatalf("metric %s: value %q: %v", series, v, err)
			}
			return f
		}
	}
	return -1
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{Version: "v9.9.9-test"})
	targets := map[string]int{"/503": 3, "/503.json": 2, "/no-such-page-7f3a": 2, "/status/418": 1, "/a/../b": 1}
	for target, n := range targets {
		for range n {
			s.ServeHTTP(httptest.NewRecorder(), readRaw(t, "GET "+target+" HTTP/1.1\r\nHost: x\r\n\r\n"))
		}
	}
	// The live endpoint is one route, whatever the method and pattern.
	s.ServeHTTP(httptest.NewRecorder(), readRaw(t, "POST /status/418 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
	s.ServeHTTP(httptest.NewRecorder(), readRaw(t, "GET /status/418/x HTTP/1.1\r\nHost: x\r\n\r\n"))
	for series, want := range map[string]float64{
		`httpstatus_http_requests_total{code="200",route="GET /{page}"}`:                     5,
		`httpstatus_http_requests_total{code="404",route="GET /{page}"}`:                     2,
		`httpstatus_http_requests_total{code="418",route="/status/{codes...}"}`:              2,
		`httpstatus_http_requests_total{code="400",route="/status/{codes...}"}`:              1,
		`httpstatus_http_requests_total{code="400",route="unmatched"}`:                       1,
		`httpstatus_http_request_duration_seconds_count{route="GET /{page}"}`:                7,
		`httpstatus_http_requests_in_flight`:                                                 0,
		`httpstatus_build_info{goversion="` + runtime.Version() + `",version="v9.9.9-test"}`: 1,
	} {
		if got := counterValue(t, s, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	text := scrape(t, s)
	if t.Failed() {
		for line := range strings.SplitSeq(text, "\n") {
			if strings.HasPrefix(line, "httpstatus_http_requests_total") {
				t.Log(line)
			}
		}
	}
	for _, want := range []string{"process_resident_memory_bytes ", "go_goroutines ", `httpstatus_http_request_duration_seconds_bucket{route="GET /{page}",le="0.001"}`} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// Raw paths never become labels.
	if strings.Contains(text, "no-such-page") {
		t.Errorf("/metrics holds a raw path as a label")
	}
	// A scrape counts itself under its own route.
	if got := counterValue(t, s, `httpstatus_http_requests_total{code="200",route="GET /metrics"}`); got < 1 {
		t.Errorf("scrapes counted: %v", got)
	}
}

// TestMetricsSeparate: with SeparateMetrics the site has no /metrics, and
// Metrics() serves them.
func TestMetricsSeparate(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{SeparateMetrics: true})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("site /metrics with SeparateMetrics: status %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	s.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "httpstatus_http_requests_total") {
		t.Errorf("Metrics(): status %d, body %.200q", rec.Code, rec.Body.String())
	}
	checkSecurityHeaders(t, "Metrics()", rec.Result().Header)
}

// TestMetricsAllocs: counting and timing a request allocates nothing
// once its route and status have been seen.
func TestMetricsAllocs(t *testing.T) {
	s := hardServer(t, nil, Options{})
	m := s.metrics
	m.observe("GET /{page}", 200, time.Millisecond)
	if n := testing.AllocsPerRun(1000, func() { m.observe("GET /{page}", 200, time.Millisecond) }); n != 0 {
		t.Errorf("metrics.observe allocates %v times per request, want 0", n)
	}
	// The whole middleware around a cached page costs one allocation:
	// the status recorder.
	if err := s.Warm(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/503.json", nil)
	w := &nopWriter{h: http.Header{}}
	mux := http.NewServeMux()
	s.addRoutes(mux)
	var bare http.Handler = mux
	wrapped := s.handler
	for range 10 {
		bare.ServeHTTP(w, req)
		wrapped.ServeHTTP(w, req)
	}
	nb := testing.AllocsPerRun(1000, func() { clear(w.h); bare.ServeHTTP(w, req) })
	nw := testing.AllocsPerRun(1000, func() { clear(w.h); wrapped.ServeHTTP(w, req) })
	if nw-nb > 1 {
		t.Errorf("middleware adds %v allocations per request (%v with, %v without), want at most 1", nw-nb, nw, nb)
	}
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) WriteHeader(int)             {}
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }

func TestReadyz(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	check := func(path string, want int, wantBody string) {
		t.Helper()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want || rec.Body.String() != wantBody {
			t.Errorf("GET %s: %d %q, want %d %q", path, rec.Code, rec.Body.String(), want, wantBody)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, cc)
		}
	}
	select {
	case <-s.Served():
		t.Fatal("Served is closed before any request")
	default:
	}
	check("/readyz", 503, "warming up\n")
	select {
	case <-s.Served():
	default:
		t.Fatal("Served is still open after a request")
	}
	check("/healthz", 200, "ok\n")
	if err := s.Warm(); err != nil {
		t.Fatal(err)
	}
	check("/readyz", 200, "ready\n")
	s.Drain()
	check("/readyz", 503, "shutting down\n")
	check("/healthz", 200, "ok\n")
}

// TestRequestLog: at Debug each request is one line with method, path,
// route, status and duration, and never the query; at Info a served page
// logs nothing, and only an unasked 5xx logs at Error.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	debug := newErrorCounter(slog.LevelDebug)
	s := hardServer(t, slog.New(debug), Options{})
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/search?q=teapot&token=hunter2", nil))
	var line struct {
		Level, Msg, Method, Path, Route string
		Status                          int
		Dur                             int64
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(debug.String())), &line); err != nil {
		t.Fatalf("request log is not one JSON line: %v\n%s", err, debug.String())
	}
	if line.Level != "DEBUG" || line.Msg != "request" || line.Method != "GET" || line.Path != "/search" || line.Route != "GET /search" || line.Status != 200 || line.Dur <= 0 {
		t.Errorf("request log = %+v", line)
	}
	if strings.Contains(debug.String(), "hunter2") {
		t.Errorf("the query string was logged: %s", debug.String())
	}

	info := newErrorCounter(slog.LevelInfo)
	s = hardServer(t, slog.New(info), Options{})
	for _, target := range []string{"/503", "/nope", "/a/../b", "/status/500", "/status/503", "/readyz"} {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
	}
	if info.String() != "" {
		t.Errorf("at Info, served requests logged:\n%s", info.String())
	}
}

// FuzzRequest sends any method, target and negotiation headers through
// the whole handler, as net/http would parse them off the wire. Whatever
// the input, the server must not panic or log an error, must send its
// security headers, must answer a status it is meant to give, and must
// keep error bodies short and free of internals.
func FuzzRequest(f *testing.F) {
	for _, seed := range [][5]string{
		{"GET", "/503", "text/html", "gzip", ""},
		{"GET", "/503", "*/*", "", `"abc"`},
		{"HEAD", "/5xx.json", "application/json;q=0.5, text/plain", "gzip;q=0", "*"},
		{"GET", "/search?q=gateway+timeout", "application/json", "br, gzip", ""},
		{"POST", "/status/200,500:3?sleep=1", "application/problem+json", "", ""},
		{"GET", "/status/418", "text/*", "identity", `W/"x", "y"`},
		{"TRACE", "/", "", "", ""},
		{"GET", "/a/%2e%2e/b", "", "", ""},
		{"GET", "/%zz", "", "", ""},
		{"GET", "/static/x.css", "", "*", ""},
		{"OPTIONS", "*", "", "", ""},
		{"GET", "/metrics", "", "", ""},
		{"GET", "/999.txt", "text/plain;q=1.0000", "gzip;q=0.001", ""},
		{"GET", "/guides/404-vs-410", "application/json", "br", ""},
		{"DELETE", "/guides/", "", "", ""},
		{"GET", "/status/200?fault=reset-before-headers", "", "", ""},
		{"GET", "/status/200?bytes=100&fault=truncate", "", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	log := newErrorCounter(slog.LevelWarn)
	s := hardServer(f, slog.New(log), Options{})
	f.Fuzz(func(t *testing.T, method, target, accept, acceptEncoding, ifNoneMatch string) {
		raw := method + " " + target + " HTTP/1.1\r\nHost: x\r\nAccept: " + accept +
			"\r\nAccept-Encoding: " + acceptEncoding + "\r\nIf-None-Match: " + ifNoneMatch + "\r\n\r\n"
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil || strings.ContainsAny(method+target, " \r\n") {
			return // net/http refuses it before any handler runs
		}
		before := log.errors.Load()
		rec := httptest.NewRecorder()
		if aborted := serveAborting(s, rec, req); aborted {
			// A fault breaks the connection as net/http lets a handler
			// do, with http.ErrAbortHandler, when the writer cannot be
			// hijacked (as here): only a request that asks for one may.
			if !strings.Contains(strings.ToLower(req.URL.RawQuery), "fault=") {
				t.Fatalf("%q: the handler aborted a request that asked for no fault", firstLine(raw))
			}
			return
		}
		res := rec.Result()
		if n := log.errors.Load() - before; n != 0 {
			t.Fatalf("%q: %d errors logged:\n%s", firstLine(raw), n, log.String())
		}
		checkSecurityHeaders(t, firstLine(raw), res.Header)
		live := strings.HasPrefix(req.URL.Path, "/status/") && res.Header.Get("Access-Control-Allow-Origin") == "*"
		switch res.StatusCode {
		// 301 and 307 come from ServeMux cleaning a path ("//" -> "/"),
		// 307 when the method is not GET or HEAD.
		case 200, 204, 301, 302, 304, 307, 400, 404, 405, 406, 413, 414:
		default:
			if !live {
				t.Fatalf("%q: status %d", firstLine(raw), res.StatusCode)
			}
		}
		if !live && res.StatusCode >= 400 && res.StatusCode != 404 {
			if body := rec.Body.String(); len(body) > 300 || leaky.MatchString(body) {
				t.Fatalf("%q: %d body %q", firstLine(raw), res.StatusCode, body)
			}
		}
	})
}

// FuzzCheckPath compares checkPath with a plain reading of its rules.
func FuzzCheckPath(f *testing.F) {
	for _, s := range []string{"/", "/503", "/a/../b", "/%2e%2e", "/a%2Fb", "/a%00b", "/..", "/.x", "/x.", "/a//b", "%", "/%5C"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		escaped := u.EscapedPath()
		wantOK := true
		for _, seg := range strings.Split(u.Path, "/") {
			if seg == "." || seg == ".." {
				wantOK = false
			}
		}
		for _, c := range []byte(u.Path) {
			if c < 0x20 || c == 0x7f {
				wantOK = false
			}
		}
		lower := strings.ToLower(escaped)
		if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") {
			wantOK = false
		}
		if got := checkPath(u.Path, escaped) == ""; got != wantOK {
			t.Errorf("checkPath(%q, %q) accepts = %v, want %v", u.Path, escaped, got, wantOK)
		}
	})
}

// FuzzValidEscapes compares validEscapes with url.QueryUnescape, which
// fails exactly on a bad escape.
func FuzzValidEscapes(f *testing.F) {
	for _, s := range []string{"", "q=a", "q=%41", "q=%4", "%", "%%", "a%zz", "%e2%82%ac", "x=1&y=%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, err := url.QueryUnescape(q)
		if got := validEscapes(q); got != (err == nil) {
			t.Errorf("validEscapes(%q) = %v, QueryUnescape error %v", q, got, err)
		}
	})
}

// BenchmarkMiddleware serves a cached page through the bare router and
// through the whole middleware (guard, security headers, panic recovery,
// metrics, logging at Info), to show what the middleware costs.
func BenchmarkMiddleware(b *testing.B) {
	s := hardServer(b, slog.New(slog.NewJSONHandler(io.Discard, nil)), Options{})
	if err := s.Warm(); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	s.addRoutes(mux)
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"mux", mux}, {"full", s.handler}} {
		b.Run(h.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/503.json", nil)
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.h.ServeHTTP(w, req)
			}
		})
	}
}

// serveAborting serves req and reports whether the handler aborted it
// with http.ErrAbortHandler, which net/http's server recovers silently;
// any other panic goes on.
func serveAborting(h http.Handler, w http.ResponseWriter, req *http.Request) (aborted bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, req)
	return false
}

// TestLongMethod checks that a method of any length on a page gets a
// short one-line 405.
func TestLongMethod(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(strings.Repeat("D", 1000)+"GET", "/503", nil))
	if body := rec.Body.String(); rec.Code != 405 || len(body) > 120 || strings.Count(body, "\n") != 1 {
		t.Errorf("a 1003-byte method: %d %q, want a short one-line 405", rec.Code, body)
	}
}
