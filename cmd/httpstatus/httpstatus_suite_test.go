package main

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// suiteCase is one request of a test suite written for httpstat.us, and
// what httpstat.us documented for it: on its home page and in its own
// tests (aaronpowell/httpstatus, src/Teapot.Web.Tests).
type suiteCase struct {
	name    string
	method  string
	path    string
	header  []string // name, value, ...
	follow  bool     // follow redirects, as most clients do by default
	codes   []int    // any of these statuses
	body    string   // the exact body, when not empty
	noBody  bool     // an empty body and no Content-Type
	json    bool     // a JSON body {"code": status, "description": ...}
	want    []string // response header name, value, ...
	has     []string // response headers that must be present
	minTime time.Duration
	broken  bool // the response breaks: the request or the read of its body fails
}

// httpstatUSSuite is a test suite as written for httpstat.us. It passes
// against "serve --live-addr" with only the host changed; the README
// lists what still differs (names the IANA registry changed, any
// X-HttpStatus-Response-* header, Location targets, TRACE, the part of
// the body sent before X-HttpStatus-AbortDuringBody's reset, the fault
// headers on a response without a body).
var httpstatUSSuite = []suiteCase{
	{name: "200", path: "/200", codes: []int{200}, body: "200 OK"},
	{name: "201", path: "/201", codes: []int{201}, body: "201 Created"},
	{name: "202", path: "/202", codes: []int{202}, body: "202 Accepted"},
	{name: "400", path: "/400", codes: []int{400}, body: "400 Bad Request"},
	{name: "401", path: "/401", codes: []int{401}, body: "401 Unauthorized", has: []string{"WWW-Authenticate"}},
	{name: "403", path: "/403", codes: []int{403}, body: "403 Forbidden"},
	{name: "404", path: "/404", codes: []int{404}, body: "404 Not Found"},
	{name: "409", path: "/409", codes: []int{409}, body: "409 Conflict"},
	{name: "410", path: "/410", codes: []int{410}, body: "410 Gone"},
	{name: "418", path: "/418", codes: []int{418}, body: "418 I'm a teapot"},
	{name: "429", path: "/429", codes: []int{429}, body: "429 Too Many Requests", want: []string{"Retry-After", "5"}},
	{name: "500", path: "/500", codes: []int{500}, body: "500 Internal Server Error"},
	{name: "502", path: "/502", codes: []int{502}, body: "502 Bad Gateway"},
	{name: "503", path: "/503", codes: []int{503}, body: "503 Service Unavailable", want: []string{"Retry-After", "5"}},
	{name: "504", path: "/504", codes: []int{504}, body: "504 Gateway Timeout"},
	{name: "anything after the code", path: "/500/some/thing", codes: []int{500}, body: "500 Internal Server Error"},
	{name: "PUT", method: "PUT", path: "/500", codes: []int{500}, body: "500 Internal Server Error"},
	{name: "POST", method: "POST", path: "/201", codes: []int{201}, body: "201 Created"},
	{name: "DELETE", method: "DELETE", path: "/204", codes: []int{204}, noBody: true},
	{name: "PATCH", method: "PATCH", path: "/409", codes: []int{409}, body: "409 Conflict"},
	{name: "OPTIONS", method: "OPTIONS", path: "/200", codes: []int{200}, body: "200 OK"},
	{name: "HEAD", method: "HEAD", path: "/503", codes: []int{503}, noBody: false},
	{name: "204", path: "/204", codes: []int{204}, noBody: true},
	{name: "205", path: "/205", codes: []int{205}, noBody: true},
	{name: "304", path: "/304", codes: []int{304}, noBody: true},
	{name: "206", path: "/206", codes: []int{206}, body: "206 Partial Content", has: []string{"Content-Range"}},
	{name: "301", path: "/301", codes: []int{301}, has: []string{"Location"}},
	{name: "302", path: "/302", codes: []int{302}, has: []string{"Location"}},
	{name: "303", path: "/303", codes: []int{303}, has: []string{"Location"}},
	{name: "307", path: "/307", codes: []int{307}, has: []string{"Location"}},
	{name: "308", path: "/308", codes: []int{308}, has: []string{"Location"}},
	{name: "302 followed", path: "/302", follow: true, codes: []int{200}},
	{name: "301 followed", path: "/301", follow: true, codes: []int{200}},
	{name: "JSON", path: "/200", header: []string{"Accept", "application/json"}, codes: []int{200}, json: true, body: `{"code":200,"description":"OK"}`},
	{name: "JSON 503", path: "/503", header: []string{"Accept", "application/json"}, codes: []int{503}, json: true},
	{name: "JSON among others", path: "/404", header: []string{"Accept", "text/html, application/json"}, codes: []int{404}, json: true},
	{name: "text for another Accept", path: "/404", header: []string{"Accept", "text/html"}, codes: []int{404}, body: "404 Not Found"},
	{name: "sleep", path: "/200?sleep=300", codes: []int{200}, body: "200 OK", minTime: 300 * time.Millisecond},
	{name: "sleep header", path: "/200", header: []string{"X-HttpStatus-Sleep", "300"}, codes: []int{200}, minTime: 300 * time.Millisecond},
	{name: "sleep over the cap", path: "/200?sleep=60000", codes: []int{400}},
	{name: "sleep after headers over the cap", path: "/200", header: []string{"X-HttpStatus-SleepAfterHeaders", "60000"}, codes: []int{400}},
	{name: "sleep after headers", path: "/200", header: []string{"X-HttpStatus-SleepAfterHeaders", "300"}, codes: []int{200}, body: "200 OK", minTime: 300 * time.Millisecond},
	{name: "dribble body", path: "/201", header: []string{"X-HttpStatus-DribbleBody", "true"}, codes: []int{201}, body: "201 Created", minTime: 900 * time.Millisecond},
	{name: "abort before headers", path: "/200", header: []string{"X-HttpStatus-AbortBeforeHeaders", "true"}, broken: true},
	{name: "abort after headers", path: "/200", header: []string{"X-HttpStatus-AbortAfterHeaders", "true"}, broken: true},
	{name: "abort during body", path: "/503", header: []string{"X-HttpStatus-AbortDuringBody", "true"}, broken: true},
	{name: "abort headers set to false", path: "/200", header: []string{"X-HttpStatus-AbortBeforeHeaders", "false", "X-HttpStatus-AbortDuringBody", "False"}, codes: []int{200}, body: "200 OK"},
	{name: "abort during a body that 204 has not", path: "/204", header: []string{"X-HttpStatus-AbortDuringBody", "true"}, codes: []int{400}},
	{name: "suppressBody", path: "/200?suppressBody=true", codes: []int{200}, noBody: true},
	{name: "suppressBody on 500", method: "POST", path: "/500?suppressBody=true", codes: []int{500}, noBody: true},
	{name: "suppressBody header", path: "/404", header: []string{"X-HttpStatus-SuppressBody", "true"}, codes: []int{404}, noBody: true},
	{name: "suppressBody=false", path: "/200?suppressBody=false", codes: []int{200}, body: "200 OK"},
	{name: "random", path: "/random/200,201,500-504", codes: []int{200, 201, 500, 501, 502, 503, 504}},
	{name: "random range", path: "/random/500-504", codes: []int{500, 501, 502, 503, 504}},
	{name: "random unknown codes", path: "/random/290,390", codes: []int{290, 390}},
	{name: "random parse error foo", path: "/random/foo", codes: []int{400}},
	{name: "random parse error 200,x", path: "/random/200,x", codes: []int{400}},
	{name: "random parse error 200.0", path: "/random/200.0", codes: []int{400}},
	{name: "random parse error -1,0,1", path: "/random/-1,0,1", codes: []int{400}},
	{name: "random parse error -1-1", path: "/random/-1-1", codes: []int{400}},
	{name: "response header", path: "/200", header: []string{"X-HttpStatus-Response-Retry-After", "120"}, codes: []int{200}, want: []string{"Retry-After", "120"}},
	{name: "response header in lower case", path: "/503", header: []string{"x-httpstatus-response-retry-after", "7"}, codes: []int{503}, want: []string{"Retry-After", "7"}},
	{name: "CORS", path: "/500", header: []string{"Origin", "https://example.org"}, codes: []int{500}, want: []string{"Access-Control-Allow-Origin", "*"}},
	{name: "CORS preflight", method: "OPTIONS", path: "/500", header: []string{"Origin", "https://example.org", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "X-HttpStatus-Sleep"},
		codes: []int{204}, want: []string{"Access-Control-Allow-Origin", "*"}, has: []string{"Access-Control-Allow-Methods", "Access-Control-Allow-Headers"}},
	{name: "I'm a teapot", path: "/im-a-teapot", codes: []int{302}, want: []string{"Location", "https://www.ietf.org/rfc/rfc2324.txt"}},
}

// runHTTPStatUSSuite runs httpstatUSSuite against base, the root of an
// httpstat.us-compatible address.
func runHTTPStatUSSuite(t *testing.T, client *http.Client, base string) {
	t.Helper()
	noFollow := *client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	follow := *client
	follow.CheckRedirect = nil
	for _, tt := range httpstatUSSuite {
		c := &noFollow
		if tt.follow {
			c = &follow
		}
		method := tt.method
		if method == "" {
			method = "GET"
		}
		req, err := http.NewRequest(method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(tt.header); i += 2 {
			req.Header[tt.header[i]] = []string{tt.header[i+1]}
		}
		start := time.Now()
		res, err := c.Do(req)
		var body []byte
		if err == nil {
			body, err = io.ReadAll(res.Body)
			res.Body.Close()
		}
		switch {
		case tt.broken && err == nil:
			t.Errorf("%s: %s %s: %d %q, want a broken response", tt.name, method, tt.path, res.StatusCode, body)
		case tt.broken:
		case err != nil:
			t.Errorf("%s: %s %s: %v", tt.name, method, tt.path, err)
		default:
			checkSuiteCase(t, tt, res, string(body), time.Since(start))
		}
	}
}

func checkSuiteCase(t *testing.T, tt suiteCase, res *http.Response, body string, d time.Duration) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(tt.name+": "+tt.path+": "+format, args...)
	}
	if !slices.Contains(tt.codes, res.StatusCode) {
		errorf("status %d, want one of %v (body %q)", res.StatusCode, tt.codes, body)
		return
	}
	mediaType, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
	switch {
	case tt.noBody:
		if body != "" || res.Header.Get("Content-Type") != "" || res.ContentLength > 0 {
			errorf("body %q of type %q, want none", body, res.Header.Get("Content-Type"))
		}
	case tt.json:
		var v struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
		}
		if mediaType != "application/json" || json.Unmarshal([]byte(body), &v) != nil || v.Code != res.StatusCode || v.Description == "" || (tt.body != "" && body != tt.body) {
			errorf("%s body %q, want a JSON {code, description} of the status", mediaType, body)
		}
	case tt.body != "":
		if body != tt.body || mediaType != "text/plain" || res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			errorf("%s body %q (Content-Length %s), want text/plain %q", mediaType, body, res.Header.Get("Content-Length"), tt.body)
		}
	}
	for i := 0; i+1 < len(tt.want); i += 2 {
		if got := res.Header.Get(tt.want[i]); got != tt.want[i+1] {
			errorf("%s %q, want %q", tt.want[i], got, tt.want[i+1])
		}
	}
	for _, name := range tt.has {
		if res.Header.Get(name) == "" {
			errorf("no %s header", name)
		}
	}
	if d < tt.minTime {
		errorf("answered after %v, want at least %v", d, tt.minTime)
	}
}

// TestHTTPStatUSSuite runs the httpstat.us suite against
// "serve --live-addr".
func TestHTTPStatUSSuite(t *testing.T) {
	t.Parallel()
	client := &http.Client{Timeout: 10 * time.Second}
	_, live := serveInProcess(t, client, "http")
	runHTTPStatUSSuite(t, client, live)
}
