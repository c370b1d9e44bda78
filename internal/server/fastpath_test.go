package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/fastpath"
	"github.com/httpstatus/httpstatus/internal/server"
)

// bothServers serves the site through the fast path, as "httpstatus serve"
// does, and through net/http's server alone. handed counts the
// connections the fast path handed to net/http (ConnState is called for
// those alone).
type bothServers struct {
	fastAddr, stdAddr string
	handed            atomic.Int64
}

func startBoth(t *testing.T) *bothServers {
	t.Helper()
	return startBothWith(t, newServer(t))
}

// startBothWith is startBoth for the server s.
func startBothWith(t *testing.T, s *server.Server) *bothServers {
	t.Helper()
	b := &bothServers{}
	listen := func(serve func(net.Listener) error) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go serve(ln)
		return ln.Addr().String()
	}
	fast := &fastpath.Server{HTTP: &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				b.handed.Add(1)
			}
		}}, Query: s.Buffered}
	std := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	b.fastAddr, b.stdAddr = listen(fast.Serve), listen(std.Serve)
	t.Cleanup(func() { fast.Close(); std.Close() })
	return b
}

var dateLine = regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)

// exchange sends req on a new connection to addr, half-closes it and
// returns all the server sent.
func exchange(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, req)
	c.(*net.TCPConn).CloseWrite()
	b, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatalf("%q: %v", req, err)
	}
	return string(b)
}

// TestFastPathSameAsNetHTTP requires the same bytes back (but for the
// Date) through the fast path and through net/http alone, for every page,
// every format and encoding negotiated, conditional requests, every status
// of the live endpoint with and without requested response headers, GET
// and HEAD. A bug of the handler both share passes this test: see
// TestFastPathAnswers.
func TestFastPathSameAsNetHTTP(t *testing.T) {
	b := startBoth(t)
	var paths []string
	for code := 100; code <= 599; code++ {
		paths = append(paths, "/status/"+strconv.Itoa(code))
	}
	for _, p := range []string{"/", "/1xx", "/2xx", "/3xx", "/4xx", "/5xx", "/503", "/418", "/299", "/999", "/520", "/nope", "/healthz", "/robots.txt", "/sitemap.xml", "/favicon.ico", "/status/999", "/status/700", "/status/abc"} {
		paths = append(paths, p, p+".json", p+".txt")
	}
	// Queries the fast path serves: the live endpoint's buffered options,
	// bad ones, cache-busters, and queries of the pages.
	paths = append(paths, "/status/200?sleep=0", "/status/206?bytes=100", "/status/503?_=1700000000", "/status/200?sleep=x",
		"/status/200?bytes=1&bytes=2", "/status/103?sleep=0&x=a+b", "/?x=1", "/503?a=b", "/503.json?v=2", "/search?q=503", "/search?q=gateway+timeout&format=json")
	accepts := []string{"", "Accept: text/html\r\nAccept-Encoding: gzip, deflate, br\r\n", "Accept: application/json\r\n", "Accept: */*\r\nAccept-Encoding: gzip\r\n", "Accept: image/png\r\n",
		"If-None-Match: *\r\n", "X-HttpStatus-Response-Retry-After: 120\r\nX-Httpstatus-Response-X-Test: a b\r\n"}
	n := 0
	for _, p := range paths {
		for _, method := range []string{"GET", "HEAD"} {
			for _, accept := range accepts {
				req := method + " " + p + " HTTP/1.1\r\nHost: example.org\r\n" + accept + "\r\n"
				got := dateLine.ReplaceAllString(exchange(t, b.fastAddr, req), "Date: X\r")
				want := dateLine.ReplaceAllString(exchange(t, b.stdAddr, req), "Date: X\r")
				if got != want {
					t.Errorf("%q:\nthrough the fast path\n%q\nthrough net/http\n%q", req, got, want)
					if n++; n > 5 {
						t.Fatal("too many differences")
					}
				}
			}
		}
	}
	// Every request above is one the fast path answers itself: the
	// comparison is never net/http's with its own.
	if h := b.handed.Load(); h > 0 {
		t.Errorf("%d connections were handed to net/http", h)
	}
}

// answer is one response as a client reads it.
type answer struct {
	res  *http.Response
	body []byte
	raw  string
}

// TestFastPathAnswers checks known pages against what is known of them
// apart from either server: the status, the content type and other
// headers, the body, an empty body for HEAD, 204 and 304, a
// Content-Length that is the body's length, a gzip body that is the plain
// one. Each request goes through the fast path itself (no hand-off) and
// through net/http alone, so a bug in the handler both share is caught
// here, which TestFastPathSameAsNetHTTP cannot see.
func TestFastPathAnswers(t *testing.T) {
	b := startBoth(t)
	const html, text, jsonType = "text/html; charset=utf-8", "text/plain; charset=utf-8", "application/json"
	name503 := http.StatusText(http.StatusServiceUnavailable)
	// Answers of earlier rows that later rows compare with, by server.
	pages := map[string]answer{}
	page := func(t *testing.T, server string) answer {
		t.Helper()
		a, ok := pages[server]
		if !ok {
			t.Fatal("no doc page to compare with")
		}
		return a
	}
	tests := []struct {
		name  string
		req   func(server string) string // the request's target and headers after the request line
		head  bool
		check func(t *testing.T, server string, a answer)
	}{
		{"doc page", fixed("GET /503 HTTP/1.1", "Accept: text/html"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 200, html)
			if !bytes.Contains(a.body, []byte("<title>503 "+name503)) || !bytes.HasSuffix(bytes.TrimSpace(a.body), []byte("</html>")) {
				t.Errorf("body is not the whole page of 503 %s: %.200q", name503, a.body)
			}
			if a.res.Header.Get("ETag") == "" || !strings.Contains(a.res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("no ETag or no security headers: %v", a.res.Header)
			}
			pages[server] = a
		}},
		{"doc page HEAD", fixed("HEAD /503 HTTP/1.1", "Accept: text/html"), true, func(t *testing.T, server string, a answer) {
			want(t, a, 200, html)
			wantEmpty(t, a)
			if got, full := a.res.Header.Get("Content-Length"), len(page(t, server).body); got != strconv.Itoa(full) {
				t.Errorf("HEAD says Content-Length %s, GET sends %d bytes", got, full)
			}
		}},
		{"doc page gzip", fixed("GET /503 HTTP/1.1", "Accept: text/html", "Accept-Encoding: gzip"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 200, html)
			if a.res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(a.res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Content-Encoding %q, Vary %q; want gzip, varying by Accept-Encoding", a.res.Header.Get("Content-Encoding"), a.res.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(a.body))
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := io.ReadAll(zr); err != nil || !bytes.Equal(plain, page(t, server).body) {
				t.Errorf("the gzip body is not the page (%d bytes, %v; the page has %d)", len(plain), err, len(page(t, server).body))
			}
		}},
		{"not modified", func(server string) string {
			etag := `"none"`
			if p, ok := pages[server]; ok {
				etag = p.res.Header.Get("ETag")
			}
			return "GET /503 HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\nIf-None-Match: " + etag + "\r\n\r\n"
		}, false, func(t *testing.T, server string, a answer) {
			want(t, a, 304, "")
			wantEmpty(t, a)
			if etag := page(t, server).res.Header.Get("ETag"); a.res.Header.Get("ETag") != etag {
				t.Errorf("ETag %q, want the page's %q", a.res.Header.Get("ETag"), etag)
			}
		}},
		{"JSON", fixed("GET /503.json HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 200, jsonType)
			var v struct {
				Code int
				Name string
			}
			if err := json.Unmarshal(a.body, &v); err != nil || v.Code != 503 || v.Name != name503 {
				t.Errorf("JSON code %d, name %q (%v); want 503 %s", v.Code, v.Name, err, name503)
			}
		}},
		{"text", fixed("GET /503.txt HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 200, text)
			if !bytes.HasPrefix(a.body, []byte("503 "+name503+"\n")) {
				t.Errorf("body %.60q, want it to start with 503 %s", a.body, name503)
			}
		}},
		{"health", fixed("GET /healthz HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 200, text)
			if string(a.body) != "ok\n" || a.res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("body %q, Cache-Control %q; want ok and no-store", a.body, a.res.Header.Get("Cache-Control"))
			}
		}},
		{"not found", fixed("GET /nope HTTP/1.1", "Accept: text/html"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 404, html)
		}},
		{"live 503", fixed("GET /status/503 HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 503, text)
			if a.res.Header.Get("Retry-After") == "" || !bytes.Contains(a.body, []byte(name503)) {
				t.Errorf("Retry-After %q, body %q; want a Retry-After and the name", a.res.Header.Get("Retry-After"), a.body)
			}
		}},
		{"live 503 HEAD", fixed("HEAD /status/503 HTTP/1.1"), true, func(t *testing.T, server string, a answer) {
			want(t, a, 503, text)
			wantEmpty(t, a)
		}},
		{"live 301", fixed("GET /status/301 HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 301, text)
			if a.res.Header.Get("Location") == "" {
				t.Error("no Location")
			}
		}},
		{"live 204", fixed("GET /status/204 HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 204, "")
			wantEmpty(t, a)
		}},
		{"live 304", fixed("GET /status/304 HTTP/1.1"), false, func(t *testing.T, server string, a answer) {
			want(t, a, 304, "")
			wantEmpty(t, a)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, server := range []string{"fast path", "net/http"} {
				addr := map[string]string{"fast path": b.fastAddr, "net/http": b.stdAddr}[server]
				req := tt.req(server)
				handed := b.handed.Load()
				a := readAnswer(t, exchange(t, addr, req), tt.head)
				if server == "fast path" && b.handed.Load() != handed {
					line, _, _ := strings.Cut(req, "\r\n")
					t.Errorf("%q was handed to net/http, not answered by the fast path", line)
				}
				t.Run(server, func(t *testing.T) { tt.check(t, server, a) })
			}
		})
	}
}

// fixed returns a request with the request line and headers given, the
// same for both servers.
func fixed(line string, headers ...string) func(string) string {
	req := line + "\r\nHost: a\r\n"
	for _, h := range headers {
		req += h + "\r\n"
	}
	return func(string) string { return req + "\r\n" }
}

// readAnswer reads the one response in raw, and fails if anything follows
// it: a Content-Length shorter than the body shows so.
func readAnswer(t *testing.T, raw string, head bool) answer {
	t.Helper()
	method := http.MethodGet
	if head {
		method = http.MethodHead
	}
	br := bufio.NewReader(strings.NewReader(raw))
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%v in %q", err, raw)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("body: %v in %q", err, raw)
	}
	if rest, _ := io.ReadAll(br); len(rest) > 0 {
		t.Errorf("%d bytes after the response: %.80q", len(rest), rest)
	}
	return answer{res, body, raw}
}

// want checks the status and the Content-Type ("" for none), and that a
// Content-Length, when sent, is the body's length.
func want(t *testing.T, a answer, status int, contentType string) {
	t.Helper()
	if a.res.StatusCode != status {
		t.Errorf("status %d, want %d", a.res.StatusCode, status)
	}
	if got := a.res.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type %q, want %q", got, contentType)
	}
	if cl := a.res.Header.Get("Content-Length"); cl != "" && a.res.Request.Method != http.MethodHead && cl != strconv.Itoa(len(a.body)) {
		t.Errorf("Content-Length %s, body of %d bytes", cl, len(a.body))
	}
}

// wantEmpty checks that nothing follows the head.
func wantEmpty(t *testing.T, a answer) {
	t.Helper()
	if _, after, _ := strings.Cut(a.raw, "\r\n\r\n"); after != "" || len(a.body) > 0 {
		t.Errorf("a body after the head: %.80q", after)
	}
}

// TestFastPathHeldSleep checks that a ?sleep held on the fast path ends
// when its client leaves, so that its slow slot, and its client's, are
// free again at once; and that the live endpoint's options that flush or
// fault still go to net/http.
func TestFastPathHeldSleep(t *testing.T) {
	newServer(t) // loads rnd
	s := server.New(rnd, server.Options{Logger: slog.New(slog.DiscardHandler), MaxSlow: 1, ClientMaxSlow: 1})
	b := startBothWith(t, s)
	// status sends a request and returns the status of its answer with a
	// whole body (it does not half-close: the client stays until then).
	status := func(target string) int {
		t.Helper()
		c, err := net.Dial("tcp", b.fastAddr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		body, err := io.ReadAll(res.Body)
		if err != nil || len(body) == 0 {
			t.Fatalf("%s: %d with body %q, %v", target, res.StatusCode, body, err)
		}
		return res.StatusCode
	}
	held, err := net.Dial("tcp", b.fastAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	io.WriteString(held, "GET /status/200?sleep=9000 HTTP/1.1\r\nHost: a\r\n\r\n")
	poll := func(what string, done func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !done(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after 5 s: %s", what)
			}
		}
	}
	// The held request must take the slot before a probe does (a probe
	// holds it for a moment): it has, once the probes are refused.
	time.Sleep(100 * time.Millisecond)
	poll("the held request takes no slot", func() bool {
		held.SetReadDeadline(time.Now().Add(time.Millisecond))
		if n, _ := held.Read(make([]byte, 1)); n > 0 {
			t.Fatal("the held request was answered at once")
		}
		return status("/status/200?sleep=1") != http.StatusOK
	})
	held.Close()
	start := time.Now()
	poll("the slots are still taken after the client left", func() bool { return status("/status/200?sleep=1") == http.StatusOK })
	t.Logf("a slot was free again %v after the client left", time.Since(start).Round(time.Millisecond))
	if h := b.handed.Load(); h > 0 {
		t.Errorf("%d ?sleep connections were handed to net/http", h)
	}
	for i, target := range []string{"/status/200?drip=10", "/status/200?sleep-body=10", "/status/200?fault=truncate"} {
		exchange(t, b.fastAddr, "GET "+target+" HTTP/1.1\r\nHost: a\r\n\r\n")
		if h := b.handed.Load(); h != int64(i+1) {
			t.Errorf("%s: %d connections handed to net/http, want %d", target, h, i+1)
		}
	}
}
