package live

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

// testCatalog returns the embedded content's catalog, the one New
// serves by default.
func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := embedded()
	if err != nil {
		t.Fatalf("load the embedded content: %v", err)
	}
	return cat
}

// newTestLive returns the endpoint with opts, as its own type, so that a
// test can see its slow-request count.
func newTestLive(t testing.TB, opts ...Option) *handler {
	t.Helper()
	return New(opts...).handler
}

// seeded returns a deterministic randN, safe for concurrent use.
func seeded(seed uint64) func(uint64) uint64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(n uint64) uint64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Uint64N(n)
	}
}

// liveWant is what the endpoint must answer for a code, derived from the
// catalog and the HTTP rules, not from the endpoint's own tables.
type liveWant struct {
	status  int               // final status
	interim bool              // a 1xx interim response precedes it (HTTP/1.1)
	headers map[string]string // catalog headers with a value
	body    bool              // GET has a body
	line    string            // the text body
}

func wantFor(cat *catalog.Catalog, code int) liveWant {
	w := liveWant{status: code, headers: map[string]string{}, body: true}
	name := "(unassigned)"
	if k, err := cat.Lookup(code); err == nil {
		name = k.Primary().Name
		for i := len(k.Entries) - 1; i >= 0; i-- {
			for _, h := range k.Entries[i].Headers {
				if h.Value != "" {
					w.headers[h.Name] = h.Value
				}
			}
		}
	}
	w.line = fmt.Sprintf("%d %s", code, name)
	switch {
	case code == 101:
		w.body = false
	case code < 200:
		w.status, w.interim = 200, true
	case code == 204 || code == 205 || code == 304:
		w.body = false
	}
	return w
}

// checkFinal checks the final response to a request for code: status,
// catalog headers, CORS and the body rules.
func checkFinal(t *testing.T, cat *catalog.Catalog, code int, method, accept string, res *http.Response, body []byte) {
	t.Helper()
	w := wantFor(cat, code)
	where := fmt.Sprintf("%s /status/%d (Accept %q)", method, code, accept)
	if res.StatusCode != w.status {
		t.Errorf("%s: status %d, want %d", where, res.StatusCode, w.status)
		return
	}
	for name, v := range w.headers {
		if name == "Connection" && res.Close {
			continue // net/http says "close" instead when it ends the connection (HTTP/1.0)
		}
		if got := res.Header.Get(name); got != v {
			t.Errorf("%s: %s = %q, want %q from the catalog", where, name, got, v)
		}
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("%s: no Access-Control-Allow-Origin: *", where)
	}
	n := int64(len(body))
	if method == http.MethodHead {
		n = res.ContentLength
	}
	if got, want := res.Header.Get("Content-Range"), wantContentRange(cat, code, n); got != want {
		t.Errorf("%s: Content-Range %q, want %q for a body of %d bytes", where, got, want, n)
	}
	if code == http.StatusMultipleChoices {
		checkChoices(t, where, res, body)
	}
	if code == 101 && !res.Close {
		t.Errorf("%s: 101 without Connection: close", where)
	}
	if !w.body || method == http.MethodHead {
		if len(body) != 0 {
			t.Errorf("%s: body of %d bytes, want none", where, len(body))
		}
		if code == 204 || code == 304 || code == 101 {
			if res.Header.Get("Content-Type") != "" || res.Header.Get("Content-Length") != "" {
				t.Errorf("%s: Content-Type %q, Content-Length %q on a status without content", where, res.Header.Get("Content-Type"), res.Header.Get("Content-Length"))
			}
		}
		if method == http.MethodHead && w.body && res.ContentLength <= 0 {
			t.Errorf("%s: HEAD Content-Length %d, want the GET body's length", where, res.ContentLength)
		}
		return
	}
	switch formatOf(accept) {
	case formatText:
		if !strings.HasPrefix(string(body), w.line) || strings.Count(string(body), "\n") != 1 || !strings.HasSuffix(string(body), "\n") {
			t.Errorf("%s: body %q, want one line starting %q", where, body, w.line)
		}
		if w.interim && !strings.Contains(string(body), "interim") {
			t.Errorf("%s: body %q does not mention the interim response", where, body)
		}
	case formatJSON:
		var j struct {
			Code int    `json:"code"`
			URL  string `json:"url"`
		}
		if err := json.Unmarshal(body, &j); err != nil || j.Code != code || j.URL != "/"+strconv.Itoa(code) {
			t.Errorf("%s: JSON %s (%v), want code %d and url /%d", where, body, err, code, code)
		}
	case formatProblem:
		var p struct {
			Type   string `json:"type"`
			Title  string `json:"title"`
			Status int    `json:"status"`
			Doc    string `json:"doc"`
		}
		if err := json.Unmarshal(body, &p); err != nil || p.Status != w.status || p.Title == "" || p.Type == "" || p.Doc != "/"+strconv.Itoa(code) {
			t.Errorf("%s: problem %s (%v), want status %d and doc /%d", where, body, err, w.status, code)
		}
		if got := res.Header.Get("Content-Type"); got != "application/problem+json" {
			t.Errorf("%s: Content-Type %q, want application/problem+json", where, got)
		}
	}
}

// wantContentRange is the Content-Range a response with code and a body
// of n bytes must carry: 206 the range of the whole body (RFC 9110
// §15.3.7, §14.4), 416 the length of the representation (§15.5.17);
// other codes the catalog's value, if any.
func wantContentRange(cat *catalog.Catalog, code int, n int64) string {
	switch code {
	case http.StatusPartialContent:
		return fmt.Sprintf("bytes 0-%d/%d", n-1, n)
	case http.StatusRequestedRangeNotSatisfiable:
		return fmt.Sprintf("bytes */%d", n)
	}
	return wantFor(cat, code).headers["Content-Range"]
}

// checkChoices checks a 300: its body, in any format, names the three
// forms of the code's page, and Location names the preferred one.
func checkChoices(t *testing.T, where string, res *http.Response, body []byte) {
	t.Helper()
	if loc := res.Header.Get("Location"); loc != "/300" {
		t.Errorf("%s: Location %q, want the preferred choice /300", where, loc)
	}
	for _, u := range []string{"/300.json", "/300.txt"} {
		if !strings.Contains(res.Header.Get("Link"), "<"+u+">") {
			t.Errorf("%s: Link %q does not name %s", where, res.Header.Get("Link"), u)
		}
		if len(body) > 0 && !strings.Contains(string(body), u) {
			t.Errorf("%s: body %q does not name the choice %s", where, body, u)
		}
	}
}

// TestLiveEveryCode walks every code from 100 to 599, and the documented
// ones beyond, through a real listener with Go's client.
func TestLiveEveryCode(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	ts := httptest.NewServer(New())
	defer ts.Close()
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	codes := []int{}
	for c := 100; c <= 599; c++ {
		codes = append(codes, c)
	}
	for _, k := range cat.Codes() {
		if k.Code > 599 {
			codes = append(codes, k.Code)
		}
	}
	accepts := []string{"", "application/json", "application/problem+json"}
	for i, code := range codes {
		method := []string{"GET", "POST", "DELETE"}[i%3]
		accept := accepts[i%len(accepts)]
		var interim []int
		trace := &httptrace.ClientTrace{Got1xxResponse: func(c int, _ textproto.MIMEHeader) error {
			interim = append(interim, c)
			return nil
		}}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), method, ts.URL+"/status/"+strconv.Itoa(code), nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s /status/%d: %v", method, code, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		checkFinal(t, cat, code, method, accept, res, body)
		if w := wantFor(cat, code); w.interim && (len(interim) != 1 || interim[0] != code) {
			t.Errorf("%s /status/%d: interim responses %v, want [%d]", method, code, interim, code)
		} else if !w.interim && len(interim) != 0 {
			t.Errorf("%s /status/%d: interim responses %v, want none", method, code, interim)
		}
		// Locations on the endpoint itself must answer here; the ones on
		// the site's pages (300's choices) are checked by the server's
		// tests.
		if loc := res.Header.Get("Location"); strings.HasPrefix(loc, Prefix) {
			res, err := client.Get(ts.URL + loc)
			if err != nil || res.StatusCode != http.StatusOK {
				t.Errorf("/status/%d: Location %s does not answer 200: %v %v", code, loc, res, err)
			}
			if res != nil {
				res.Body.Close()
			}
		}
	}
	// HEAD gets the headers and no body.
	for _, code := range []int{200, 204, 301, 503, 999} {
		res, err := client.Head(ts.URL + "/status/" + strconv.Itoa(code))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		checkFinal(t, cat, code, "HEAD", "", res, body)
	}
}

// TestLiveRequiredHeaders checks that the catalog gives the headers that
// real servers send with these statuses, so the endpoint sends them.
func TestLiveRequiredHeaders(t *testing.T) {
	t.Parallel()
	h := New()
	for code, name := range map[int]string{
		301: "Location", 302: "Location", 303: "Location", 307: "Location", 308: "Location",
		429: "Retry-After", 503: "Retry-After", 401: "WWW-Authenticate", 407: "Proxy-Authenticate",
		405: "Allow", 416: "Content-Range", 426: "Upgrade",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/status/"+strconv.Itoa(code), nil))
		if rec.Code != code || rec.Header().Get(name) == "" {
			t.Errorf("/status/%d: status %d, %s %q; want %d with %s", code, rec.Code, name, rec.Header().Get(name), code, name)
		}
	}
	// Every catalog header the endpoint sends must be a valid field value.
	for _, k := range testCatalog(t).Codes() {
		for _, e := range k.Entries {
			for _, hd := range e.Headers {
				if hd.Value != "" && !validValue(hd.Value) {
					t.Errorf("%s: header %s: value %q is not printable ASCII", e.File, hd.Name, hd.Value)
				}
			}
		}
	}
}

// TestDefaultCatalog requires the handler New makes without WithCatalog,
// which reads the embedded front matter alone, to answer every code as a
// handler over the whole embedded content does, in both URL schemes.
func TestDefaultCatalog(t *testing.T) {
	t.Parallel()
	full, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatalf("load the embedded content: %v", err)
	}
	def, whole := New(), New(WithCatalog(full))
	schemes := []struct {
		prefix     string
		got, wants http.Handler
	}{{"/status", def, whole}, {"", def.Compat(), whole.Compat()}}
	for _, k := range full.Codes() {
		for _, s := range schemes {
			for _, query := range []string{"", "?suppressBody=true"} {
				target := fmt.Sprintf("%s/%d%s", s.prefix, k.Code, query)
				got, want := httptest.NewRecorder(), httptest.NewRecorder()
				s.got.ServeHTTP(got, httptest.NewRequest("GET", target, nil))
				s.wants.ServeHTTP(want, httptest.NewRequest("GET", target, nil))
				if got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) || got.Body.String() != want.Body.String() {
					t.Errorf("GET %s: %d %v %q; over the whole content %d %v %q", target, got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
				}
			}
		}
	}
}

// TestLiveInformational checks each kind of 1xx on the wire: the interim
// response with its headers, then the final one; 101 as a final response
// that closes the connection; and no 1xx at all for HTTP/1.0.
func TestLiveInformational(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New())
	defer ts.Close()
	for _, tt := range []struct {
		code      int
		proto     string
		want      []int // statuses on the wire, in order
		link      bool  // the interim 103 carries Link
		wantClose bool
	}{
		{100, "HTTP/1.1", []int{100, 200}, false, false},
		{102, "HTTP/1.1", []int{102, 200}, false, false},
		{103, "HTTP/1.1", []int{103, 200}, true, false},
		{104, "HTTP/1.1", []int{104, 200}, false, false},
		{199, "HTTP/1.1", []int{199, 200}, false, false},
		{101, "HTTP/1.1", []int{101}, false, true},
		{103, "HTTP/1.0", []int{200}, false, true},
		{101, "HTTP/1.0", []int{200}, false, true},
	} {
		x := rawExchange(t, ts.Listener.Addr().String(), tt.proto, "GET", "/status/"+strconv.Itoa(tt.code), nil, "")
		if fmt.Sprint(x.statuses) != fmt.Sprint(tt.want) {
			t.Errorf("%s /status/%d: statuses on the wire %v, want %v", tt.proto, tt.code, x.statuses, tt.want)
			continue
		}
		if tt.link && x.headers[0].Get("Link") == "" {
			t.Errorf("%s /status/%d: interim response has no Link header", tt.proto, tt.code)
		}
		if tt.wantClose != x.closed {
			t.Errorf("%s /status/%d: connection closed %v, want %v", tt.proto, tt.code, x.closed, tt.wantClose)
		}
	}
}

// exchange is what came back on the wire for one request.
type exchange struct {
	statuses []int         // every status, 1xx included, in order
	headers  []http.Header // the header block of each
	final    *http.Response
	body     []byte // the final response's body
	closed   bool   // the server closed the connection after it
}

// rawExchange sends one request (with body, if not empty) on a new
// connection and reads every response to it from the wire, 1xx included.
// Over HTTP/1.1 it then sends a second request on the same connection, to
// learn whether the server closed it.
func rawExchange(t *testing.T, addr, proto, method, target string, hdr http.Header, body string) exchange {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\r\nHost: %s\r\n", method, target, proto, addr)
	for k, vs := range hdr {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	req, _ := http.NewRequest(method, "http://"+addr+target, nil)
	var x exchange
	for {
		res, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("%s %s %s: read response: %v", proto, method, target, err)
		}
		data, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatalf("%s %s %s: read body: %v", proto, method, target, err)
		}
		x.statuses = append(x.statuses, res.StatusCode)
		x.headers = append(x.headers, res.Header)
		if res.StatusCode >= 200 || res.StatusCode == 101 {
			x.final, x.body = res, data
			break
		}
	}
	if proto == "HTTP/1.1" {
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	_, err = br.ReadByte()
	x.closed = err != nil
	return x
}

// TestLiveRandom sends many requests for a list and a weighted list and
// checks the shares, with an injected seeded source (deterministic) and
// with the real one (a 6-sigma margin).
func TestLiveRandom(t *testing.T) {
	t.Parallel()
	const n = 2000
	share := func(h http.Handler, path string) (float64, map[int]int) {
		counts := map[int]int{}
		for range n {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			counts[rec.Code]++
		}
		return float64(counts[500]) / n, counts
	}
	for _, src := range []struct {
		name  string
		randN func(uint64) uint64
	}{{"seeded", seeded(7)}, {"real", rand.Uint64N}} {
		h := New(withRand(src.randN))
		for _, tt := range []struct {
			path string
			p    float64
		}{{"/status/200,500", 0.5}, {"/status/200:3,500:1", 0.25}, {"/status/200:0.3,500:0.1", 0.25}, {"/status/200:0,500", 1}} {
			got, counts := share(h, tt.path)
			margin := 6 * math.Sqrt(tt.p*(1-tt.p)/n)
			if got < tt.p-margin || got > tt.p+margin || counts[200]+counts[500] != n {
				t.Errorf("%s %s: 500 share %.3f (%v), want %.3f ± %.3f", src.name, tt.path, got, counts, tt.p, margin)
			}
		}
	}
	// The same seed gives the same sequence.
	seq := func() string {
		h := New(withRand(seeded(42)))
		var b strings.Builder
		for range 64 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/status/200,201,202,203", nil))
			b.WriteString(strconv.Itoa(rec.Code % 10))
		}
		return b.String()
	}
	if a, b := seq(), seq(); a != b || strings.Count(a, "0") == 64 {
		t.Errorf("seeded sequences %s and %s: want equal and mixed", a, b)
	}
}

func TestLiveBadInput(t *testing.T) {
	t.Parallel()
	h := newTestLive(t, WithMaxSleep(2*time.Second))
	// The codes beyond 599 that answer are the catalog's: the reason of an
	// out-of-range 400 names each.
	for _, k := range testCatalog(t).Codes() {
		if k.Code > 599 && !strings.Contains(h.hint, strconv.Itoa(k.Code)) {
			t.Errorf("the hint %q does not name %d, which the catalog documents", h.hint, k.Code)
		}
	}
	tests := []struct {
		target string
		hdr    []string
		want   string
	}{
		{"/status/", nil, "No status code"},
		{"/status/abc", nil, "Bad status code"},
		{"/status/20x", nil, "Bad status code"},
		{"/status/99", nil, "Bad status code"},
		{"/status/600", nil, "Status 600 is out of range: use 100 to 599"},
		{"/status/1000", nil, "Bad status code"},
		{"/status/200/500", nil, "Bad status code"},
		{"/status/200:x", nil, "Bad weight"},
		{"/status/200:0", nil, "add up to 0"},
		{"/status/" + strings.Repeat("200,", 40) + "200", nil, "Too many choices"},
		{"/status/200?sleep=abc", nil, "Bad sleep"},
		{"/status/200?sleep=-5", nil, "Bad sleep"},
		{"/status/200?sleep=2001", nil, "over the cap of 2000 ms"},
		{"/status/200?sleep=99999999999999999999999", nil, "over the cap"},
		{"/status/200?sleep=1&sleep=2", nil, "given 2 times"},
		{"/status/504-500", nil, "Range 504-500 is reversed: write 500-504."},
		{"/status/500-600", nil, "Range 500-600 holds 600, which is out of range: use 100 to 599"},
		{"/status/500-5o4", nil, "Bad range \"500-5o4\""},
		{"/status/200,500-504:x", nil, "Bad weight \"x\" for 500-504"},
		{"/status/200?a;b", nil, "Malformed query string"},
		{"/status/200", []string{"X-HttpStatus-Response-Set-Cookie", "a=b"}, "may not be requested"},
		{"/status/200", []string{"X-HttpStatus-Response-Access-Control-Allow-Origin", "x"}, "may not be requested"},
		{"/status/200", []string{"X-HttpStatus-Response-Location", "https://example.com/"}, "may not be requested"},
		{"/status/200", []string{"X-HttpStatus-Response-Cache-Control", strings.Repeat("a", 300)}, "printable ASCII"},
		{"/status/200", []string{"X-HttpStatus-Response-Cache-Control", "a\x01b"}, "printable ASCII"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", tt.target, nil)
		for i := 0; i+1 < len(tt.hdr); i += 2 {
			req.Header.Set(tt.hdr[i], tt.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, tt.want) || strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, ".\n") {
			t.Errorf("%s %v: %d %q, want 400 with one line containing %q", tt.target, tt.hdr, rec.Code, body, tt.want)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: the 400 has no CORS header, so a page elsewhere cannot read why", tt.target)
		}
	}
}

// TestLiveUnknownParams checks that query parameters the endpoint does
// not know are ignored, as cache-busters must be, while the known ones
// still work beside them.
func TestLiveUnknownParams(t *testing.T) {
	t.Parallel()
	h := New()
	for target, want := range map[string]int{
		"/status/503?_=1700000000":                   503,
		"/status/201?sleep=1&_=2&callback=jsonp_123": 201,
		"/status/418?Sleep=1&debug":                  418,
		"/status/500-500?t=0.123":                    500,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d %q, want %d", target, rec.Code, rec.Body.String(), want)
		}
	}
}

func TestLiveRequestedHeaders(t *testing.T) {
	t.Parallel()
	h := New()
	req := httptest.NewRequest("GET", "/status/503", nil)
	req.Header.Set("X-HttpStatus-Response-Retry-After", "120")
	req.Header.Set("x-httpstatus-response-cache-control", "max-age=60")
	req.Header.Add("X-HttpStatus-Response-Link", "</a>; rel=preload")
	req.Header.Add("X-HttpStatus-Response-Link", "</b>; rel=preload")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	got := rec.Header()
	if rec.Code != 503 || got.Get("Retry-After") != "120" || got.Get("Cache-Control") != "max-age=60" || len(got.Values("Link")) != 2 {
		t.Errorf("requested headers: %d %v", rec.Code, got)
	}
	if len(got.Values("Retry-After")) != 1 {
		t.Errorf("Retry-After = %v: the requested value must replace the catalog's", got.Values("Retry-After"))
	}
}

func TestLiveFormats(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]int{
		"":                         formatText,
		"*/*":                      formatText,
		"text/html,*/*;q=0.8":      formatText,
		"application/json":         formatJSON,
		"application/problem+json": formatProblem,
		"application/json, application/problem+json":           formatProblem,
		"application/json;q=1, application/problem+json;q=0.5": formatJSON,
		"text/plain, application/json;q=0.9":                   formatText,
		"application/json;q=0":                                 formatText,
		"APPLICATION/JSON":                                     formatJSON,
	} {
		if got := formatOf(accept); got != want {
			t.Errorf("formatOf(%q) = %d, want %d", accept, got, want)
		}
	}
}

// TestLiveSleep checks that sleep delays the answer, and that the
// endpoint's own 503 beyond MaxSlow says why and when to retry.
func TestLiveSleep(t *testing.T) {
	t.Parallel()
	l := newTestLive(t, WithMaxSleep(time.Minute), WithMaxSlow(2))
	ts := httptest.NewServer(l)
	defer ts.Close()

	start := time.Now()
	res, err := ts.Client().Get(ts.URL + "/status/201?sleep=150")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if d := time.Since(start); res.StatusCode != 201 || d < 150*time.Millisecond {
		t.Errorf("sleep=150: %d after %v, want 201 after at least 150ms", res.StatusCode, d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/status/200?sleep=60000", nil)
			if res, err := ts.Client().Do(req); err == nil {
				res.Body.Close()
			}
		})
	}
	waitFor(t, "2 sleeping requests", func() bool { return len(l.slow) == 2 })
	res, err = ts.Client().Get(ts.URL + "/status/200?sleep=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "Too many slow requests") {
		t.Errorf("beyond MaxSlow: %d Retry-After %q %q, want 503 with Retry-After and a reason", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if res, err := ts.Client().Get(ts.URL + "/status/204"); err != nil || res.StatusCode != 204 {
		t.Errorf("a request without sleep while the slow slots are full: %v %v, want 204", res, err)
	}
	cancel()
	wg.Wait()
	waitFor(t, "the slots to free", func() bool { return len(l.slow) == 0 })
	if res, err := ts.Client().Get(ts.URL + "/status/202?sleep=1"); err != nil || res.StatusCode != 202 {
		t.Errorf("sleep after the slots freed: %v %v, want 202", res, err)
	}
}

// TestLiveNoLeak sends 1,000 sleeping requests whose clients give up, and
// checks that every handler returns when its client goes (all of them in
// less time than one sleep) and that no goroutine is left behind.
func TestLiveNoLeak(t *testing.T) {
	const sleep = 30 * time.Second
	l := newTestLive(t, WithMaxSleep(sleep), WithMaxSlow(1000))
	ts := httptest.NewServer(l)
	defer ts.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	before := runtime.NumGoroutine()

	const total, batch = 1000, 100
	start := time.Now()
	for range total / batch {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range batch {
			wg.Go(func() {
				req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/status/200?sleep=%d", ts.URL, sleep.Milliseconds()), nil)
				if res, err := client.Do(req); err == nil {
					res.Body.Close()
					t.Errorf("a request answered %d before its sleep ended", res.StatusCode)
				}
			})
		}
		waitFor(t, "a batch of sleeping requests", func() bool { return len(l.slow) == batch })
		cancel()
		wg.Wait()
		waitFor(t, "the handlers to see their clients go", func() bool { return len(l.slow) == 0 })
	}
	// Each handler returned when its client went, not when its sleep
	// ended: all of them together took less than one sleep (a handler
	// that slept to the end would take the whole of it).
	if elapsed := time.Since(start); elapsed >= sleep {
		t.Errorf("%d cancelled sleeping requests took %v, want well under one sleep of %v", total, elapsed, sleep)
	}
	tr.CloseIdleConnections()
	waitFor(t, "the goroutine count to come back", func() bool { return runtime.NumGoroutine() <= before })
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// finalWriter records the final status of a response, as a client sees it
// after any 1xx.
type finalWriter struct {
	h      http.Header
	status int
	body   strings.Builder
}

func (w *finalWriter) Header() http.Header { return w.h }
func (w *finalWriter) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == 101) {
		w.status = code
	}
}

// Flush does nothing: what was written is already in body. A writer
// that can flush lets a drip go on, as it does on a connection.
func (w *finalWriter) Flush() {}

func (w *finalWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	return w.body.Write(b)
}

// waitingWriter is a ResponseWriter that waits for the handler, as the
// fast path of "httpstatus serve" does; stay is what WaitForClient says.
type waitingWriter struct {
	*httptest.ResponseRecorder
	stay   bool
	waited []time.Duration
}

func (w *waitingWriter) WaitForClient(d time.Duration) bool {
	w.waited = append(w.waited, d)
	return w.stay
}

// unwrapper wraps a writer as the server's middleware does.
type unwrapper struct{ http.ResponseWriter }

func (u unwrapper) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// TestSleepAsksTheWriter checks that ?sleep waits in the writer's
// WaitForClient when the writer, or one it wraps, has it, and answers
// nothing when the client went away during the wait.
func TestSleepAsksTheWriter(t *testing.T) {
	t.Parallel()
	h := New()
	for _, stay := range []bool{true, false} {
		ww := &waitingWriter{ResponseRecorder: httptest.NewRecorder(), stay: stay}
		start := time.Now()
		h.ServeHTTP(unwrapper{ww}, httptest.NewRequest("GET", "/status/503?sleep=1500", nil))
		if d := time.Since(start); d > time.Second || len(ww.waited) != 1 || ww.waited[0] != 1500*time.Millisecond {
			t.Errorf("client there %v: waited %v in WaitForClient, and %v in all; want one wait of 1.5s, in the writer", stay, ww.waited, d)
		}
		if answered := ww.Body.Len() > 0; answered != stay || stay && ww.Code != 503 {
			t.Errorf("client there %v: answered %v (%d %q)", stay, answered, ww.Code, ww.Body)
		}
	}
}
