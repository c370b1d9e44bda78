package live

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCompatRoute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path      string
		wantRoute int
		wantCodes string
	}{
		{"/", routeRoot, ""},
		{"/im-a-teapot", routeTeapot, ""},
		{"/status/503", routeStatus, ""},
		{"/503", routeCode, "503"},
		{"/503/", routeCode, "503"},
		{"/503/any/thing", routeCode, "503"},
		{"/1000", routeCode, "1000"},
		{"/random/200,500-504", routeRandom, "200,500-504"},
		{"/random/200/extra", routeRandom, "200"},
		{"/random/", routeNone, ""},
		{"/random", routeNone, ""},
		{"/foo", routeNone, ""},
		{"/503.json", routeNone, ""},
		{"/-1", routeNone, ""},
		{"//503", routeNone, ""},
	}
	for _, tt := range tests {
		route, codes := compatRoute(tt.path)
		if route != tt.wantRoute || codes != tt.wantCodes {
			t.Errorf("compatRoute(%q) = %d, %q; want %d, %q", tt.path, route, codes, tt.wantRoute, tt.wantCodes)
		}
	}
}

// TestCompatRandomUniform checks that /random/{codes} makes every code it
// names as likely as any other, as httpstat.us did: a range counts once
// per code, and a code named twice twice.
func TestCompatRandomUniform(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		list string
		want map[int]float64
	}{
		{"200,500-504", map[int]float64{200: 1.0 / 6, 500: 1.0 / 6, 501: 1.0 / 6, 502: 1.0 / 6, 503: 1.0 / 6, 504: 1.0 / 6}},
		{"200,200,503", map[int]float64{200: 2.0 / 3, 503: 1.0 / 3}},
		{"418", map[int]float64{418: 1}},
	} {
		choices, err := compatChoices(nil, routeRandom, tt.list, testAllowed, testHint)
		if err != nil {
			t.Fatalf("compatChoices(%q): %v", tt.list, err)
		}
		// pick takes a choice by weight, then a code of it uniformly
		// (TestPickShares): the share of a code follows from the weights.
		total := 0
		for _, c := range choices {
			total += c.weight
		}
		got := map[int]float64{}
		for _, c := range choices {
			for code := c.lo; code <= c.hi; code++ {
				got[code] += float64(c.weight) / float64(total) / float64(c.hi-c.lo+1)
			}
		}
		for code, p := range tt.want {
			if math.Abs(got[code]-p) > 1e-9 {
				t.Errorf("/random/%s: share of %d = %.4f, want %.4f", tt.list, code, got[code], p)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("/random/%s: picks %v, want only %v", tt.list, got, tt.want)
		}
	}
}

// TestCompatBodies checks httpstat.us's bodies, derived from the catalog:
// "{code} {name}" as text/plain, {"code","description"} as JSON when
// Accept names application/json, and no body where the status has none
// or suppressBody asks for none.
func TestCompatBodies(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	h := NewCompat()
	nameOf := func(code int) string {
		if k, err := cat.Lookup(code); err == nil {
			return k.Primary().Name
		}
		return "Unknown Code"
	}
	for _, code := range []int{200, 201, 206, 299, 300, 301, 404, 413, 418, 429, 500, 503, 599} {
		for _, accept := range []string{"", "*/*", "text/html", "application/problem+json", "application/json", "text/plain, application/json;q=0.5"} {
			req := httptest.NewRequest("GET", "/"+strconv.Itoa(code), nil)
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			wantType, wantBody := "text/plain; charset=utf-8", fmt.Sprintf("%d %s", code, nameOf(code))
			if strings.Contains(accept, "application/json") {
				b, _ := json.Marshal(map[string]any{"code": code, "description": nameOf(code)})
				wantType, wantBody = "application/json", string(b)
			}
			if rec.Code != code || rec.Header().Get("Content-Type") != wantType || rec.Body.String() != wantBody ||
				rec.Header().Get("Content-Length") != strconv.Itoa(len(wantBody)) {
				t.Errorf("GET /%d Accept %q: %d %q %q, want %d %q %q", code, accept, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String(), code, wantType, wantBody)
			}
			if code == 206 && rec.Header().Get("Content-Range") != fmt.Sprintf("bytes 0-%d/%d", len(wantBody)-1, len(wantBody)) {
				t.Errorf("GET /206 Accept %q: Content-Range %q does not describe the body %q", accept, rec.Header().Get("Content-Range"), wantBody)
			}
			if code == 300 && (rec.Header().Get("Location") != "" || rec.Header().Get("Link") != "") {
				t.Errorf("GET /300: Location %q, Link %q name the site's pages, which this address does not serve", rec.Header().Get("Location"), rec.Header().Get("Link"))
			}
		}
	}
	for _, target := range []string{"/204", "/304", "/200?suppressBody=true", "/503?SUPPRESSBODY=True", "/404/x?suppressbody=true"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
			t.Errorf("GET %s: %d %q with type %q, want no body", target, rec.Code, rec.Body.String(), rec.Header().Get("Content-Type"))
		}
		if cl := rec.Header().Get("Content-Length"); strings.Contains(target, "suppress") && cl != "0" {
			t.Errorf("GET %s: Content-Length %q, want 0", target, cl)
		}
	}
}

// TestCompatOptions checks the sleep and suppressBody options and their
// headers, the query string winning over a header, the wait after the
// headers, and the fault headers that ask for no fault.
func TestCompatOptions(t *testing.T) {
	t.Parallel()
	h := NewCompat(WithMaxSleep(time.Second))
	tests := []struct {
		target    string
		hdr       []string
		wantSleep time.Duration
		wantBody  bool
	}{
		{"/200?sleep=60", nil, 60 * time.Millisecond, true},
		{"/200?Sleep=60&_=1", nil, 60 * time.Millisecond, true},
		{"/200", []string{HeaderSleep, "60"}, 60 * time.Millisecond, true},
		{"/200?sleep=0", []string{HeaderSleep, "900"}, 0, true}, // the query string wins
		{"/200", []string{HeaderSuppressBody, "true"}, 0, false},
		{"/200?suppressBody=false", []string{HeaderSuppressBody, "true"}, 0, true},
		{"/200", []string{HeaderSuppressBody, "FALSE"}, 0, true},
		{"/random/200,201?sleep=60&suppressBody=true", nil, 60 * time.Millisecond, false},
		{"/200", []string{HeaderAbortBeforeHeaders, "false", HeaderSleepAfterHeaders, "0", HeaderDribbleBody, "False", HeaderAbortAfterHeaders, "FALSE", HeaderAbortDuringBody, "false"}, 0, true},
		{"/204", []string{HeaderSleepAfterHeaders, "0", HeaderDribbleBody, "false", HeaderAbortDuringBody, "false"}, 0, false},
		{"/200", []string{HeaderSleepAfterHeaders, "60"}, 60 * time.Millisecond, true},
		{"/200?sleep=30", []string{HeaderSleepAfterHeaders, "30"}, 60 * time.Millisecond, true},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Set(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code/100 != 2 || (rec.Body.Len() > 0) != tt.wantBody {
			t.Errorf("GET %s %v: %d %q, want 2xx with body %v", tt.target, tt.hdr, rec.Code, rec.Body.String(), tt.wantBody)
		}
		if d < tt.wantSleep || (tt.wantSleep == 0 && d > 500*time.Millisecond) {
			t.Errorf("GET %s %v: answered after %v, want a sleep of %v", tt.target, tt.hdr, d, tt.wantSleep)
		}
	}
}

func TestCompatBadInput(t *testing.T) {
	t.Parallel()
	h := NewCompat(WithMaxSleep(2 * time.Second))
	tests := []struct {
		target   string
		hdr      []string
		wantCode int
		want     string
	}{
		{"/foo", nil, 404, "/{code} and /random/{codes}"},
		{"/random/", nil, 404, "/{code}"},
		{"/1000", nil, 400, "Bad status code \"1000\""},
		{"/99", nil, 400, "Bad status code"},
		{"/600", nil, 400, "Status 600 is out of range"},
		{"/random/foo", nil, 400, "Bad status code"},
		{"/random/200,x", nil, 400, "Bad status code"},
		{"/random/200.0", nil, 400, "Bad status code"},
		{"/random/-1,0,1", nil, 400, "Bad range"},
		{"/random/-1-1", nil, 400, "Bad range"},
		{"/random/504-500", nil, 400, "reversed"},
		{"/random/200:3,500", nil, 400, "Bad list \"200:3,500\": /random takes no weights: write /random/200,500-504; weights are for /status/{codes}"},
		{"/random/" + strings.Repeat("200,", 40) + "200", nil, 400, "Too many choices"},
		{"/200?sleep=abc", nil, 400, "Bad sleep \"abc\""},
		{"/200?sleep=-5", nil, 400, "Bad sleep"},
		{"/200?sleep=2001", nil, 400, "Sleep of 2001 ms is over the cap of 2000 ms"},
		{"/200?sleep=1&SLEEP=2", nil, 400, "given 2 times"},
		{"/200?suppressBody=yes", nil, 400, "Bad suppressBody \"yes\": want true or false"},
		{"/200?a;b", nil, 400, "Malformed query string"},
		{"/200", []string{HeaderSleep, "soon"}, 400, "Bad X-HttpStatus-Sleep \"soon\""},
		{"/200", []string{HeaderSleep, "60000"}, 400, "X-HttpStatus-Sleep of 60000 ms is over the cap"},
		{"/200", []string{HeaderSleep, "1", HeaderSleep, "2"}, 400, "X-HttpStatus-Sleep is given 2 times"},
		{"/200", []string{HeaderSuppressBody, "1"}, 400, "Bad X-HttpStatus-SuppressBody"},
		{"/200", []string{HeaderSleepAfterHeaders, "60000"}, 400, "X-HttpStatus-SleepAfterHeaders of 60000 ms is over the cap"},
		{"/200", []string{HeaderSleepAfterHeaders, "-1"}, 400, "Bad X-HttpStatus-SleepAfterHeaders \"-1\""},
		{"/200", []string{HeaderAbortDuringBody, "maybe"}, 400, "Bad X-HttpStatus-AbortDuringBody \"maybe\""},
		{"/200", []string{HeaderDribbleBody, "1"}, 400, "Bad X-HttpStatus-DribbleBody \"1\""},
		{"/200", []string{HeaderAbortBeforeHeaders, "true", HeaderAbortBeforeHeaders, "true"}, 400, "X-HttpStatus-AbortBeforeHeaders is given 2 times"},
		{"/200", []string{HeaderAbortBeforeHeaders, "true", HeaderAbortAfterHeaders, "TRUE"}, 400, "X-HttpStatus-AbortBeforeHeaders and X-HttpStatus-AbortAfterHeaders both ask for a fault: ask for one"},
		{"/200", []string{HeaderAbortDuringBody, "true", HeaderAbortAfterHeaders, "true"}, 400, "X-HttpStatus-AbortAfterHeaders and X-HttpStatus-AbortDuringBody both ask for a fault"},
		{"/200?sleep=1500", []string{HeaderDribbleBody, "true"}, 400, "The sleep, X-HttpStatus-SleepAfterHeaders and the 1000 ms of X-HttpStatus-DribbleBody add up to 2500 ms, over the cap of 2000 ms"},
		{"/200", []string{HeaderSleep, "600", HeaderSleepAfterHeaders, "1000", HeaderDribbleBody, "true"}, 400, "add up to 2600 ms"},
		{"/204", []string{HeaderSleepAfterHeaders, "100"}, 400, "X-HttpStatus-SleepAfterHeaders needs a body, and a 204 response has none"},
		{"/304", []string{HeaderDribbleBody, "true"}, 400, "X-HttpStatus-DribbleBody needs a body, and a 304 response has none"},
		{"/101", []string{HeaderAbortDuringBody, "true"}, 400, "X-HttpStatus-AbortDuringBody needs a body, and a 101 response has none"},
		{"/random/200,205", []string{HeaderAbortDuringBody, "true", HeaderDribbleBody, "true"}, 400, "X-HttpStatus-AbortDuringBody needs a body, and a 205 response has none"},
		{"/200?suppressBody=true", []string{HeaderAbortDuringBody, "true"}, 400, "X-HttpStatus-AbortDuringBody needs a body, and suppressBody asks for none"},
		{"/200", []string{HeaderSuppressBody, "true", HeaderSleepAfterHeaders, "5"}, 400, "X-HttpStatus-SleepAfterHeaders needs a body, and suppressBody asks for none"},
		{"/200", []string{"X-HttpStatus-Response-Foo", "Bar"}, 400, "may not be requested"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("PUT", tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Add(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != tt.wantCode || !strings.Contains(body, tt.want) || strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, ".\n") {
			t.Errorf("PUT %s %v: %d %q, want %d with one line containing %q", tt.target, tt.hdr, rec.Code, body, tt.wantCode, tt.want)
		}
	}
}

// TestCompatOtherRoutes checks /, /im-a-teapot, /status/ and CORS on
// httpstat.us's scheme.
func TestCompatOtherRoutes(t *testing.T) {
	t.Parallel()
	h := NewCompat()
	tests := []struct {
		method, target string
		hdr            []string
		wantCode       int
		wantHeader     [2]string
	}{
		{"GET", "/", nil, 200, [2]string{"Content-Type", "text/plain; charset=utf-8"}},
		{"GET", "/im-a-teapot", nil, 302, [2]string{"Location", teapotURL}},
		{"POST", "/im-a-teapot", nil, 405, [2]string{"Allow", "GET, HEAD"}},
		{"GET", "/status/503", nil, 503, [2]string{"Retry-After", "5"}},
		{"GET", "/301", nil, 301, [2]string{"Location", "/status/200"}},
		{"DELETE", "/500", []string{"Origin", "https://example.org"}, 500, [2]string{"Access-Control-Allow-Origin", "*"}},
		{"OPTIONS", "/500", []string{"Origin", "https://example.org", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-httpstatus-sleep"}, 204, [2]string{"Access-Control-Allow-Headers", "x-httpstatus-sleep"}},
		{"OPTIONS", "/500", nil, 500, [2]string{"Access-Control-Allow-Origin", "*"}},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Set(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.wantCode || rec.Header().Get(tt.wantHeader[0]) != tt.wantHeader[1] {
			t.Errorf("%s %s: %d %s: %q, want %d %q", tt.method, tt.target, rec.Code, tt.wantHeader[0], rec.Header().Get(tt.wantHeader[0]), tt.wantCode, tt.wantHeader[1])
		}
	}
	exposed := NewCompat()
	rec := httptest.NewRecorder()
	exposed.ServeHTTP(rec, httptest.NewRequest("GET", "/200", nil))
	// httpstat.us exposed these to scripts on other origins.
	for _, name := range []string{"Link", "Content-Range", "Location", "WWW-Authenticate", "Proxy-Authenticate", "Retry-After"} {
		if !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), name) {
			t.Errorf("Access-Control-Expose-Headers %q does not name %s", rec.Header().Get("Access-Control-Expose-Headers"), name)
		}
	}
}

// FuzzCompatPath checks that any path of httpstat.us's scheme routes
// without panicking, and that a list it accepts yields codes the endpoint
// answers, while an error is one short line.
func FuzzCompatPath(f *testing.F) {
	for _, s := range []string{"/", "/503", "/503/x/y", "/random/200,500-504", "/random/200:3", "/random/-1-1", "/random/,", "/random/504-500",
		"/1000", "/0503", "/random/100-599", "/im-a-teapot", "/status/200", "/random/200/x", "/random/" + strings.Repeat("1", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		route, codes := compatRoute(path)
		if route != routeCode && route != routeRandom {
			return
		}
		got, err := compatChoices(nil, route, codes, testAllowed, testHint)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 200 {
				t.Errorf("compatChoices(%q): error %q is not one short line", codes, msg)
			}
			return
		}
		if len(got) == 0 || len(got) > maxChoices {
			t.Fatalf("compatChoices(%q) = %s: want 1 to %d choices", codes, fmtChoices(got), maxChoices)
		}
		for _, c := range got {
			if !testAllowed(c.lo) || !testAllowed(c.hi) || c.lo > c.hi || c.weight <= 0 {
				t.Errorf("compatChoices(%q) = %s: bad choice %v", codes, fmtChoices(got), c)
			}
		}
		for _, m := range []uint64{0, math.MaxUint64} {
			if code := pick(got, func(k uint64) uint64 { return min(m, k-1) }); !testAllowed(code) {
				t.Errorf("pick(%s) = %d", fmtChoices(got), code)
			}
		}
	})
}

// TestCompatHeaderNames checks that each header is read under its
// canonical name, the form net/http gives every request header.
func TestCompatHeaderNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{HeaderSleep, HeaderSleepAfterHeaders, HeaderSuppressBody, HeaderDribbleBody, HeaderAbortBeforeHeaders, HeaderAbortAfterHeaders, HeaderAbortDuringBody} {
		req := httptest.NewRequest("GET", "/200", nil)
		req.Header = http.Header{http.CanonicalHeaderKey(name): {"x"}}
		rec := httptest.NewRecorder()
		NewCompat().ServeHTTP(rec, req)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), name) {
			t.Errorf("%s: x: %d %q, want a 400 that names the header", name, rec.Code, rec.Body.String())
		}
	}
}

// TestCompatFaults checks httpstat.us's fault headers at the socket, each
// mapped onto a fault of New: which bytes arrive, then a reset (RST) or a
// normal close; and the wait after the headers and the dribble, in time.
func TestCompatFaults(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(NewCompat())
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	const full = "201 Created" // the body of /201
	tests := []struct {
		method, target string
		hdr            []string // header fields, "Name: value"
		status         int      // of the response head that arrives, or 0 for none
		body           string   // the bytes after it
		minTime        time.Duration
	}{
		{"GET", "/201", []string{HeaderAbortBeforeHeaders + ": true"}, 0, "", 0},
		{"GET", "/201?sleep=200", []string{HeaderAbortBeforeHeaders + ": True"}, 0, "", 200 * time.Millisecond},
		{"HEAD", "/201", []string{HeaderAbortBeforeHeaders + ": true"}, 0, "", 0},
		{"GET", "/201", []string{HeaderAbortAfterHeaders + ": true"}, 201, "", 0},
		{"HEAD", "/201", []string{HeaderAbortAfterHeaders + ": true"}, 201, "", 0},
		{"GET", "/204", []string{HeaderAbortAfterHeaders + ": true"}, 204, "", 0},
		{"GET", "/201", []string{HeaderAbortAfterHeaders + ": true", HeaderSleepAfterHeaders + ": 200"}, 201, "", 200 * time.Millisecond},
		{"GET", "/201", []string{HeaderAbortDuringBody + ": true"}, 201, full[:len(full)/2], 0},
		{"POST", "/random/201/x", []string{HeaderAbortDuringBody + ": true", HeaderDribbleBody + ": true"}, 201, full[:len(full)/2], dribbleTime / 3},
	}
	for _, tt := range tests {
		where := fmt.Sprintf("%s %s %q", tt.method, tt.target, tt.hdr)
		start := time.Now()
		w := readWire(t, addr, tt.method, tt.target, 5*time.Second, tt.hdr...)
		d := time.Since(start)
		if w.end != endRST {
			t.Errorf("%s: the connection ended with %s (%v) after %q, want a reset", where, w.end, w.err, w.data)
			continue
		}
		if d < tt.minTime {
			t.Errorf("%s: reset after %v, want at least %v", where, d, tt.minTime)
		}
		if tt.status == 0 {
			if len(w.data) != 0 {
				t.Errorf("%s: %q arrived, want nothing before the reset", where, w.data)
			}
			continue
		}
		res, body := w.split(t)
		if res.StatusCode != tt.status || string(body) != tt.body {
			t.Errorf("%s: %d and %q before the reset, want %d and %q", where, res.StatusCode, body, tt.status, tt.body)
		}
		if tt.status == 201 && res.Header.Get("Content-Length") != strconv.Itoa(len(full)) {
			t.Errorf("%s: Content-Length %q, want the whole body's %d", where, res.Header.Get("Content-Length"), len(full))
		}
	}

	head, body := arrivals(t, ts.URL+"/201", HeaderSleepAfterHeaders, "300")
	if head >= 300*time.Millisecond || len(body) != len(full) || body[0] < 300*time.Millisecond {
		t.Errorf("%s: 300: head at %v, first byte at %v; want the head at once, the body after 300ms", HeaderSleepAfterHeaders, head, body)
	}
	head, body = arrivals(t, ts.URL+"/201", HeaderDribbleBody, "true")
	if head >= dribbleTime/2 || len(body) != len(full) || body[0] >= dribbleTime/2 || body[len(body)-1] < dribbleTime-dripStep {
		t.Errorf("%s: true: head at %v, bytes at %v; want the head at once, the body spread over %v", HeaderDribbleBody, head, body, dribbleTime)
	}
}

// TestCompatFaultsHTTP2 checks the abort headers over HTTP/2, where the
// reset is a RST_STREAM of the request's stream.
func TestCompatFaultsHTTP2(t *testing.T) {
	t.Parallel()
	ts := httptest.NewUnstartedServer(NewCompat())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"h2"}
	for _, tt := range []struct {
		header string
		head   bool // the response head arrives before the reset
	}{
		{HeaderAbortBeforeHeaders, false},
		{HeaderAbortAfterHeaders, true},
		{HeaderAbortDuringBody, true},
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/200", nil)
		req.Header.Set(tt.header, "true")
		res, err := client.Do(req)
		if err == nil {
			_, err = io.ReadAll(res.Body)
			res.Body.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") || (res != nil) != tt.head || (res != nil && res.ProtoMajor != 2) {
			t.Errorf("HTTP/2 %s: true: %v, %v; want a stream reset, after the head: %v", tt.header, res, err, tt.head)
		}
	}
}

// TestCompatFaultsSlow checks that a fault header holds a slow slot, as
// the query options do: beyond WithMaxSlow the answer is the handler's
// 503.
func TestCompatFaultsSlow(t *testing.T) {
	t.Parallel()
	c := NewCompat(WithMaxSlow(1)).(*compat)
	ts := httptest.NewServer(c)
	defer ts.Close()
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", ts.URL+"/200", nil)
		req.Header.Set(HeaderDribbleBody, "true")
		res, err := ts.Client().Do(req)
		if err == nil {
			_, err = io.ReadAll(res.Body)
			res.Body.Close()
		}
		done <- err
	}()
	waitFor(t, "the dribble to hold the slot", func() bool { return len(c.l.slow) == 1 })
	for _, h := range []string{HeaderAbortBeforeHeaders, HeaderAbortAfterHeaders, HeaderAbortDuringBody, HeaderDribbleBody} {
		req, _ := http.NewRequest("GET", ts.URL+"/200", nil)
		req.Header.Set(h, "true")
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatalf("%s with the slot taken: %v", h, err)
		}
		res.Body.Close()
		if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" {
			t.Errorf("%s with the slot taken: %d, want 503 with Retry-After: 1", h, res.StatusCode)
		}
	}
	if err := <-done; err != nil {
		t.Errorf("the dribble: %v", err)
	}
}

// TestCompatShares checks that New's handler and its Compat count the
// same slow slots and play the same sequences: a server that serves both
// limits a client once, and a key plays one sequence on either.
func TestCompatShares(t *testing.T) {
	t.Parallel()
	h := New(WithMaxSlow(1), WithMaxSleep(10*time.Second))
	site, compat := httptest.NewServer(h), httptest.NewServer(h.Compat())
	defer site.Close()
	defer compat.Close()
	get := func(url string) int {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	for i, tt := range []struct {
		url  string
		want int
	}{
		{site.URL + "/status/503,200?seq=k", 503},
		{compat.URL + "/status/503,200?seq=k", 200},
		{compat.URL + "/status/503,200?seq=other", 503},
	} {
		if got := get(tt.url); got != tt.want {
			t.Errorf("request %d, %s: %d, want %d", i+1, tt.url, got, tt.want)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", site.URL+"/status/200?sleep=10000", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	waitFor(t, "the sleep to hold the slot", func() bool { return len(h.slow) == 1 })
	for _, url := range []string{compat.URL + "/200?sleep=100", compat.URL + "/status/200?sleep=100"} {
		if got := get(url); got != http.StatusServiceUnavailable {
			t.Errorf("%s with the site's one slot taken: %d, want 503", url, got)
		}
	}
}

// FuzzCompatHeaders sends httpstat.us's X-HttpStatus-* headers with
// fuzzed values (an empty one is left out) to /{code}, with GET or HEAD,
// and holds each answer to a model of their rules written apart from the
// parsers: a one-line 400 naming the first problem, in the order the
// headers are read, or the status asked for, broken exactly when an abort
// header says true.
func FuzzCompatHeaders(f *testing.F) {
	f.Add(uint16(100), "1", "true", "0", "false", "false", "FALSE", "False", false)
	f.Add(uint16(0), "", "", "", "", "true", "", "", false)
	f.Add(uint16(104), "", " true ", "2", "", "", "true", "", true)
	f.Add(uint16(3), "", "", "", "", "", "", "true", false)
	f.Add(uint16(105), "", "", "", "", "", "", "true", false)
	f.Add(uint16(100), "", "true", "", "", "", "", "true", false)
	f.Add(uint16(0), "", "", "", "true", "", "", "", false)
	f.Add(uint16(0), "3", "", "", "", "true", "true", "", false)
	f.Add(uint16(0), "-1", "yes", "99999999999999999999", "1", "x", "", "", true)
	h := NewCompat(WithMaxSleep(2 * time.Millisecond))
	names := []string{HeaderSleep, HeaderSuppressBody, HeaderSleepAfterHeaders, HeaderDribbleBody, HeaderAbortBeforeHeaders, HeaderAbortAfterHeaders, HeaderAbortDuringBody}
	f.Fuzz(func(t *testing.T, n uint16, sleep, suppress, sleepAfter, dribble, abortBefore, abortAfter, abortDuring string, head bool) {
		code := 100 + int(n)%500
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		req := httptest.NewRequest(method, "/"+strconv.Itoa(code), nil)
		values := []string{sleep, suppress, sleepAfter, dribble, abortBefore, abortAfter, abortDuring}
		for i, v := range values {
			if v != "" {
				req.Header.Set(names[i], v)
			}
		}
		w := &finalWriter{h: http.Header{}}
		broke := serveAborting(h, w, req)
		where := fmt.Sprintf("%s /%d %q", method, code, values)
		want, breaks := compatVerdict(names, values, code, head)
		b := w.body.String()
		final := code
		if code < 200 && code != http.StatusSwitchingProtocols {
			final = http.StatusOK
		}
		switch {
		case want != "" && w.status != http.StatusBadRequest:
			t.Fatalf("%s: answered %d %q (broken: %v), want a 400 that says %q", where, w.status, b, broke, want)
		case want != "" && !head && (!strings.Contains(b, want) || strings.Count(b, "\n") != 1):
			t.Fatalf("%s: 400 %q, want one line that says %q", where, b, want)
		case want == "" && broke != breaks:
			t.Fatalf("%s: answered %d, broken: %v; want broken: %v", where, w.status, broke, breaks)
		case want == "" && w.status != final && !(broke && w.status == 0):
			t.Fatalf("%s: answered %d %q, want %d", where, w.status, b, final)
		}
	})
}

// compatVerdict is the model of FuzzCompatHeaders: the words of the 400
// for the values of the headers names (an empty value for one left out)
// with a cap of 2 ms, or "" and whether the response breaks.
func compatVerdict(names, values []string, code int, head bool) (string, bool) {
	const capMS = 2
	var total int64
	on := map[string]bool{}
	var abort string
	for i, v := range values {
		name := names[i]
		if v == "" {
			continue
		}
		v = strings.TrimSpace(v)
		switch name {
		case HeaderSleep, HeaderSleepAfterHeaders:
			if !reMS.MatchString(v) {
				return "Bad " + name + ` "`, false
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n > capMS {
				return name + " of ", false
			}
			total += n
			on[name] = n > 0
		default:
			switch {
			case strings.EqualFold(v, "true"):
				on[name] = true
			case !strings.EqualFold(v, "false"):
				return "Bad " + name + ` "`, false
			}
		}
		switch name {
		case HeaderAbortBeforeHeaders, HeaderAbortAfterHeaders, HeaderAbortDuringBody:
			if on[name] && abort != "" {
				return abort + " and " + name + " both ask for a fault", false
			}
			if on[name] {
				abort = name
			}
		case HeaderDribbleBody:
			if on[name] {
				total += 1000
			}
		}
	}
	if total > capMS {
		return "add up to", false
	}
	var what string
	for _, name := range []string{HeaderAbortDuringBody, HeaderDribbleBody, HeaderSleepAfterHeaders} {
		if on[name] {
			what = name
			break
		}
	}
	switch {
	case what == "":
	case head:
		return what + " needs a body, and a response to HEAD has none", false
	case code == 101 || code == 204 || code == 205 || code == 304:
		return fmt.Sprintf("%s needs a body, and a %d response has none", what, code), false
	case on[HeaderSuppressBody]:
		return what + " needs a body, and suppressBody asks for none", false
	}
	return "", abort != ""
}

// TestCompatLongMethod checks that a method of any length gets a short
// one-line 405 on /im-a-teapot.
func TestCompatLongMethod(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	NewCompat().ServeHTTP(rec, httptest.NewRequest(strings.Repeat("D", 1000)+"GET", "/im-a-teapot", nil))
	if body := rec.Body.String(); rec.Code != 405 || len(body) > 120 || strings.Count(body, "\n") != 1 {
		t.Errorf("a 1003-byte method: %d %q, want a short one-line 405", rec.Code, body)
	}
}
