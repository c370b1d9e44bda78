package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/web"
)

// The live endpoint's own behaviour is tested in the live package; these
// tests check what the site adds: its routes, its pages as the targets of
// the endpoint's links, its headers and metrics.

var liveSiteRnd = sync.OnceValues(func() (*render.Renderer, error) {
	cat, err := catalog.Load(content.FS())
	if err != nil {
		return nil, err
	}
	return render.New(cat, web.FS())
})

// liveSite returns a new Server over the embedded content.
func liveSite(t testing.TB) *Server {
	t.Helper()
	rnd, err := liveSiteRnd()
	if err != nil {
		t.Fatalf("renderer: %v", err)
	}
	return New(rnd, Options{Logger: slog.New(slog.DiscardHandler)})
}

// TestLiveThroughSite asks the whole site for every code the endpoint
// answers: each answers its status (200 after an interim 1xx) with the
// site's security headers, and every page it links to (Location, and a
// 300's choices in Link) answers 200 on the site with the type named.
func TestLiveThroughSite(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	codes := []int{}
	for c := 100; c <= 599; c++ {
		codes = append(codes, c)
	}
	for _, k := range s.rnd.Catalog().Codes() {
		if k.Code > 599 {
			codes = append(codes, k.Code)
		}
	}
	links := map[string]string{} // target: the Content-Type it must have, or "" for any
	for _, code := range codes {
		res, err := client.Get(ts.URL + "/status/" + strconv.Itoa(code))
		if err != nil {
			t.Fatalf("/status/%d: %v", code, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		want := code
		if code < 200 && code != http.StatusSwitchingProtocols {
			want = http.StatusOK
		}
		if res.StatusCode != want || res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("/status/%d: %d with CSP %q, want %d with the site's headers", code, res.StatusCode, res.Header.Get("Content-Security-Policy"), want)
		}
		if loc := res.Header.Get("Location"); loc != "" {
			links[loc] = ""
		}
		if code == http.StatusMultipleChoices {
			for part := range strings.SplitSeq(res.Header.Get("Link"), ",") {
				target, params, _ := strings.Cut(strings.TrimSpace(part), ";")
				_, typ, _ := strings.Cut(params, `type="`)
				links[strings.Trim(target, "<>")] = strings.TrimSuffix(typ, `"`)
			}
		}
	}
	if len(links) < 4 {
		t.Fatalf("links from the endpoint: %v, want at least /status/200 and the three choices of 300", links)
	}
	for target, typ := range links {
		res, err := client.Get(ts.URL + target)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		res.Body.Close()
		if got := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(got, typ) {
			t.Errorf("%s, linked from the endpoint: %d %s, want 200 %s", target, res.StatusCode, got, typ)
		}
	}
}

// TestLiveRoutes checks the endpoint's answers that the site's router and
// metrics take part in: a preflight, a range and a plain OPTIONS are
// answered by the endpoint and counted under its route.
func TestLiveRoutes(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	for _, tt := range []struct {
		method, target string
		hdr            []string
		want           int
	}{
		{"OPTIONS", "/status/503", []string{"Origin", "https://example.com", "Access-Control-Request-Method", "PUT"}, 204},
		{"OPTIONS", "/status/503", nil, 503},
		{"GET", "/status/500-500", nil, 500},
		{"PUT", "/status/200:0,418-418?_=1700000000", nil, 418},
		{"GET", "/status/504-500", nil, 400},
	} {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Set(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%s %s %v: %d %q, want %d", tt.method, tt.target, tt.hdr, rec.Code, rec.Body.String(), tt.want)
		}
	}
	metrics := scrapeLive(t, s)
	for _, series := range []string{
		`httpstatus_http_requests_total{code="204",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="503",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="500",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="418",route="/status/{codes...}"} 1`,
		`httpstatus_http_requests_total{code="400",route="/status/{codes...}"} 1`,
	} {
		if !strings.Contains(metrics, "\n"+series+"\n") {
			t.Errorf("metrics lack %s", series)
		}
	}
}

// scrapeLive returns the text of the server's metrics.
func scrapeLive(t *testing.T, s *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// TestOptionsPage checks OPTIONS on the site's own resources: 204 with the
// methods they take, the same Allow as their 405s; a path that names
// nothing is still a 404.
func TestOptionsPage(t *testing.T) {
	t.Parallel()
	s := liveSite(t)
	for _, tt := range []struct {
		method, target string
		want           int
		allow          string
	}{
		{"OPTIONS", "/", 204, allowPage},
		{"OPTIONS", "/503", 204, allowPage},
		{"OPTIONS", "/503.json", 204, allowPage},
		{"OPTIONS", "/5xx", 204, allowPage},
		{"OPTIONS", "/search", 204, allowPage},
		{"OPTIONS", "/healthz", 204, allowPage},
		{"OPTIONS", "/no-such-page", 404, ""},
		{"POST", "/503", 405, allowPage},
		{"DELETE", "/5xx", 405, allowPage},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		if rec.Code != tt.want || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want %d Allow %q", tt.method, tt.target, rec.Code, rec.Header().Get("Allow"), tt.want, tt.allow)
		}
		if tt.want == 204 && rec.Body.Len() != 0 {
			t.Errorf("%s %s: 204 with a body of %d bytes", tt.method, tt.target, rec.Body.Len())
		}
	}
}

// switchStore is a sequence store that can be switched off, as a Redis
// that stops.
type switchStore struct {
	down atomic.Bool
	mu   sync.Mutex
	n    map[string]int64
}

func (s *switchStore) Next(_ context.Context, key string, _ time.Duration) (int64, error) {
	if s.down.Load() {
		return 0, errors.New("switched off")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n[key]++
	return s.n[key], nil
}

func (s *switchStore) Ping(context.Context) error {
	if s.down.Load() {
		return errors.New("switched off")
	}
	return nil
}

func (s *switchStore) String() string { return "switch" }

// TestSeqStoreThroughSite checks that the site gives the live endpoint its
// sequence store, that /readyz reports the store, and that a store that
// stops answering is a 503 naming it, logged, while the rest of the site
// serves.
func TestSeqStoreThroughSite(t *testing.T) {
	t.Parallel()
	rnd, err := liveSiteRnd()
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	var logMu sync.Mutex
	store := &switchStore{n: map[string]int64{}}
	s := New(rnd, Options{Logger: slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return log.Write(p)
	}), nil)), SeqStore: store})
	if err := s.Warm(); err != nil {
		t.Fatal(err)
	}
	get := func(target string) (int, string) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec.Code, rec.Body.String()
	}
	var codes []int
	for range 3 {
		code, _ := get("/status/500,200?seq=k")
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[500 200 200]" || store.n["k"] != 3 {
		t.Errorf("sequence through the site: %v, store %v; want [500 200 200] counted in the store", codes, store.n)
	}
	if code, body := get("/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz with the store up: %d %q", code, body)
	}
	store.down.Store(true)
	if code, body := get("/status/500,200?seq=k"); code != 503 || !strings.Contains(body, "sequence store (switch)") {
		t.Errorf("sequence with the store down: %d %q, want a 503 naming the store", code, body)
	}
	if code, body := get("/readyz"); code != 503 || body != "sequence store (switch) does not answer\n" {
		t.Errorf("/readyz with the store down: %d %q", code, body)
	}
	if code, _ := get("/status/418"); code != 418 {
		t.Errorf("a request without seq while the store is down: %d, want 418", code)
	}
	logMu.Lock()
	defer logMu.Unlock()
	for _, want := range []string{`level=ERROR msg="sequence store" store=switch err="switched off"`, `level=WARN msg="not ready: the sequence store does not answer" store=switch err="switched off"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, log.String())
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestFaultThroughSite checks that a fault can take the connection through
// the site's middleware (which wraps the ResponseWriter): a reset arrives
// as a reset, a truncated body as a short body and a normal close.
func TestFaultThroughSite(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(liveSite(t))
	defer ts.Close()
	for _, tt := range []struct {
		fault   string
		reset   bool
		minData int
	}{
		{"reset-before-headers", true, 0},
		{"reset-mid-body", true, 150},
		{"truncate", false, 150},
	} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /status/200?bytes=100&fault=%s HTTP/1.1\r\nHost: x\r\n\r\n", tt.fault)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		data, err := io.ReadAll(conn)
		conn.Close()
		gotReset := errors.Is(err, syscall.ECONNRESET)
		if gotReset != tt.reset || (!tt.reset && err != nil) || len(data) < tt.minData {
			t.Errorf("fault=%s through the site: %d bytes, then %v; want reset %v after at least %d bytes", tt.fault, len(data), err, tt.reset, tt.minData)
		}
		if tt.minData > 0 && !strings.Contains(string(data), "\r\n\r\n0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn") {
			t.Errorf("fault=%s through the site: %q, want the head and the first 50 bytes of the body", tt.fault, data)
		}
	}
}

// TestFaultCounted checks that a request whose connection a fault broke
// before any status is counted and logged as such (code "aborted",
// status 0), not as the 200 that net/http would have sent: over HTTP/1.1,
// where the fault takes the connection, over HTTP/2, where it aborts the
// stream, and on the --live-addr listener; a fault after the headers
// counts the status it sent.
func TestFaultCounted(t *testing.T) {
	t.Parallel()
	log := newErrorCounter(slog.LevelDebug)
	s := hardServer(t, slog.New(log), Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	h2 := httptest.NewUnstartedServer(s)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	compat := httptest.NewServer(s.Compat())
	defer compat.Close()

	send := func(addr, request string) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "%s\r\nHost: x\r\n\r\n", request)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		io.ReadAll(conn)
	}
	for _, f := range []string{"reset-before-headers", "close-before-headers", "garbage", "reset-mid-body"} {
		send(ts.Listener.Addr().String(), "GET /status/201?fault="+f+" HTTP/1.1")
	}
	send(compat.Listener.Addr().String(), "GET /202 HTTP/1.1\r\nX-HttpStatus-AbortBeforeHeaders: true")
	client := h2.Client()
	client.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"h2"}
	if res, err := client.Get(h2.URL + "/status/201?fault=reset-before-headers"); err == nil {
		res.Body.Close()
		t.Errorf("HTTP/2 reset-before-headers: %d, want a stream reset", res.StatusCode)
	}
	// A handler may return after its client saw the reset.
	route := `route="/status/{codes...}"`
	for deadline := time.Now().Add(5 * time.Second); counterValue(t, s, `httpstatus_http_requests_total{code="aborted",`+route+`}`) != 4; {
		if time.Now().After(deadline) {
			t.Fatalf("after 4 faults before the headers: %v requests counted as aborted, want 4", counterValue(t, s, `httpstatus_http_requests_total{code="aborted",`+route+`}`))
		}
		time.Sleep(5 * time.Millisecond)
	}
	for series, want := range map[string]float64{
		`httpstatus_http_requests_total{code="201",` + route + `}`:                 1,
		`httpstatus_http_requests_total{code="200",` + route + `}`:                 -1, // no such series
		`httpstatus_http_requests_total{code="aborted",route="live-addr /{code}"}`: 1,
	} {
		if got := counterValue(t, s, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	var zeros int
	for line := range strings.SplitSeq(strings.TrimSpace(log.String()), "\n") {
		var rec struct {
			Msg, Path string
			Status    int
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "request" && rec.Status == 0 {
			zeros++
		}
	}
	if zeros != 5 {
		t.Errorf("%d request log lines with status 0, want 5:\n%s", zeros, log.String())
	}
}
