package live_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/live"
)

// Where the expectations of TestHTTPBinStatusExpectations come from: the
// /status tests of go-httpbin and psf/httpbin, and the code those tests
// exercise, at the newest tag of each that was read (go-httpbin v2.25.0,
// psf/httpbin v0.10.2). The code rows hold what a user of either service
// sees although no test of theirs asserts it.
const (
	goTest   = "go-httpbin v2.25.0 httpbin/handlers_test.go TestStatus"
	goCases  = "go-httpbin v2.25.0 httpbin/handlers.go createSpecialCases"
	goStatus = "go-httpbin v2.25.0 httpbin/handlers.go Status"
	goError  = "go-httpbin v2.25.0 httpbin/helpers.go writeError"

	psfMethods = "psf/httpbin v0.10.2 tests/test_httpbin.py test_methods__to_status_endpoint"
	psfCode    = "psf/httpbin v0.10.2 tests/test_httpbin.py test_status_endpoint_invalid_code"
	psfCodes   = "psf/httpbin v0.10.2 tests/test_httpbin.py test_status_endpoint_invalid_codes"
	psfCases   = "psf/httpbin v0.10.2 httpbin/helpers.py status_code"
	psfView    = "psf/httpbin v0.10.2 httpbin/core.py view_status_code"
)

// The documented choices by which the endpoint answers otherwise than
// httpbin; docs/live.md lists them for users switching from httpbin.
const (
	dBody       = "the body is one line of text naming the status, not httpbin's (empty or its own text)"
	dRedirect   = "Location is /status/200, not /redirect/1: following it ends at a 200 of this endpoint"
	dUseProxy   = "305 is deprecated (RFC 9110 §15.4.6): no Location, since clients no longer act on it"
	dChoices    = "300 offers the code's page as HTML, JSON and text (in the body and Link) and names the HTML one, /300, in Location, not /image/jpeg"
	dPermanent  = "Location is /status/200, not /image/jpeg, as for every redirect"
	dRealm      = `the realm is "httpstatus", not "Fake Realm"`
	dMoreInfo   = "no X-More-Info: the body names the code, and the guide's page for it explains it"
	dNotAccept  = "406 is text like every code; JSON comes by Accept: application/json, not by the code"
	dBadPath    = "a path under /status/ that is not a list of codes is a 400 that says why, not a 404"
	dBadType    = "a 400 is one line of text/plain, not a JSON error object"
	dBadText    = "a 400's line says what is wrong with the input, not only that it is invalid"
	dBeyond     = "numbers over 599 that the guide documents (999) answer"
	dRanges     = "ranges are list items: /status/500-504 picks one of 500 to 504"
	dPlainText  = "the body is text/plain, not Flask's default text/html"
	dEmptyRange = "/status/ with no code is a 400 that says so, not a 404"
)

// expectation is one thing httpbin's tests or code expect of a request to
// the endpoint, with exactly one of status, first, header, body or
// contains set. If differs is set, the endpoint answers otherwise by a
// documented choice, and the expectation must not be met.
type expectation struct {
	source string
	method string // GET if empty
	path   string

	status   []int  // the final status is one of these
	first    int    // the first response on the wire (1xx included) has this status
	header   string // the response's header (Header.Get) is value
	value    string
	body     *string // the body is exactly this
	contains string  // the body contains this

	differs string
}

func str(s string) *string { return &s }

// httpbinExpectations are the expectations, in source order.
var httpbinExpectations = []expectation{
	{source: goTest, path: "/status/200", status: []int{200}},
	{source: goTest, path: "/status/200", body: str(""), differs: dBody},
	{source: goTest, path: "/status/300", status: []int{300}},
	{source: goTest, path: "/status/300", header: "Location", value: "/image/jpeg", differs: dChoices},
	{source: goTest, path: "/status/300", contains: `<a href="/image/jpeg">`, differs: dChoices},
	{source: goTest, path: "/status/301", status: []int{301}},
	{source: goTest, path: "/status/301", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: goTest, path: "/status/301", body: str(""), differs: dBody},
	{source: goTest, path: "/status/302", status: []int{302}},
	{source: goTest, path: "/status/302", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: goTest, path: "/status/302", body: str(""), differs: dBody},
	{source: goTest, path: "/status/308", status: []int{308}},
	{source: goTest, path: "/status/308", header: "Location", value: "/image/jpeg", differs: dPermanent},
	{source: goTest, path: "/status/308", contains: "Permanently redirected to", differs: dBody},
	{source: goTest, path: "/status/401", status: []int{401}},
	{source: goTest, path: "/status/401", header: "WWW-Authenticate", value: `Basic realm="Fake Realm"`, differs: dRealm},
	{source: goTest, path: "/status/401", body: str(""), differs: dBody},
	{source: goTest, path: "/status/418", status: []int{418}},
	{source: goTest, path: "/status/418", body: str("I'm a teapot!"), differs: dBody},
	{source: goTest, path: "/status/500", status: []int{500}},
	{source: goTest, path: "/status/500", body: str(""), differs: dBody},
	{source: goTest, path: "/status/599", status: []int{599}},
	{source: goTest, path: "/status/599", body: str(""), differs: dBody},
	{source: goTest, path: "/status", status: []int{404}},
	{source: goTest, path: "/status/", status: []int{404}, differs: dEmptyRange},
	{source: goTest, path: "/status/200/foo", status: []int{404}, differs: dBadPath},
	{source: goTest, path: "/status/3.14", status: []int{400}},
	{source: goTest, path: "/status/foo", status: []int{400}},
	{source: goTest, path: "/status/600", status: []int{400}},
	{source: goTest, path: "/status/1024", status: []int{400}},
	{source: goTest, path: "/status/100", first: 100},
	{source: goTest, path: "/status/200:0.7,429:0.2,503:0.1", status: []int{200, 429, 503}},
	{source: goTest, path: "/status/200:foo,500:1", status: []int{400}},
	{source: goTest, path: "/status/200:1,foo:1", status: []int{400}},

	{source: goStatus, path: "/status/200", header: "Content-Type", value: "text/plain; charset=utf-8"},
	{source: goStatus, path: "/status/200,500", status: []int{200, 500}},
	{source: goStatus, path: "/status/999", status: []int{400}, differs: dBeyond},
	{source: goStatus, path: "/status/500-504", status: []int{400}, differs: dRanges},
	{source: goCases, path: "/status/303", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: goCases, path: "/status/305", header: "Location", value: "/redirect/1", differs: dUseProxy},
	{source: goCases, path: "/status/307", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: goCases, path: "/status/402", header: "X-More-Info", value: "http://vimeo.com/22053820", differs: dMoreInfo},
	{source: goCases, path: "/status/402", contains: "pay me!", differs: dBody},
	{source: goCases, path: "/status/406", header: "Content-Type", value: "application/json; charset=utf-8", differs: dNotAccept},
	{source: goCases, path: "/status/406", contains: "Client did not request a supported media type", differs: dNotAccept},
	{source: goCases, path: "/status/407", header: "Proxy-Authenticate", value: `Basic realm="Fake Realm"`, differs: dRealm},
	{source: goCases, path: "/status/418", header: "X-More-Info", value: "http://tools.ietf.org/html/rfc2324", differs: dMoreInfo},
	{source: goError, path: "/status/foo", header: "Content-Type", value: "application/json; charset=utf-8", differs: dBadType},

	{source: psfMethods, method: http.MethodGet, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodHead, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodPost, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodPut, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodDelete, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodPatch, path: "/status/418", status: []int{418}},
	{source: psfMethods, method: http.MethodTrace, path: "/status/418", status: []int{418}},
	{source: psfCode, path: "/status/4!9", status: []int{400}},
	{source: psfCodes, path: "/status/200,402,foo", status: []int{400}},

	{source: psfView, path: "/status/foo", body: str("Invalid status code"), differs: dBadText},
	{source: psfView, path: "/status/200:1,500:1", status: []int{200, 500}},
	{source: psfCases, path: "/status/200", header: "Content-Type", value: "text/html; charset=utf-8", differs: dPlainText},
	{source: psfCases, path: "/status/301", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: psfCases, path: "/status/302", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: psfCases, path: "/status/303", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: psfCases, path: "/status/304", body: str("")},
	{source: psfCases, path: "/status/305", header: "Location", value: "/redirect/1", differs: dUseProxy},
	{source: psfCases, path: "/status/307", header: "Location", value: "/redirect/1", differs: dRedirect},
	{source: psfCases, path: "/status/401", header: "WWW-Authenticate", value: `Basic realm="Fake Realm"`, differs: dRealm},
	{source: psfCases, path: "/status/402", header: "X-More-Info", value: "http://vimeo.com/22053820", differs: dMoreInfo},
	{source: psfCases, path: "/status/402", contains: "pay me!", differs: dBody},
	{source: psfCases, path: "/status/406", header: "Content-Type", value: "application/json", differs: dNotAccept},
	{source: psfCases, path: "/status/406", contains: "Client did not request a supported media type.", differs: dNotAccept},
	{source: psfCases, path: "/status/407", header: "Proxy-Authenticate", value: `Basic realm="Fake Realm"`, differs: dRealm},
	{source: psfCases, path: "/status/418", header: "X-More-Info", value: "http://tools.ietf.org/html/rfc2324", differs: dMoreInfo},
	{source: psfCases, path: "/status/418", contains: "-=[ teapot ]=-", differs: dBody},
}

// TestHTTPBinStatusExpectations holds the endpoint to what go-httpbin's
// and psf/httpbin's /status tests and code expect: a row without a differs
// note must be met, and a row with one must not, so that the table (and
// the list of differences in docs/live.md) stays true.
func TestHTTPBinStatusExpectations(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(live.New())
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.Timeout = 10 * time.Second
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, e := range httpbinExpectations {
		t.Run(e.name(), func(t *testing.T) {
			t.Parallel()
			if err := e.valid(); err != nil {
				t.Fatalf("%s: bad row: %v", e.source, err)
			}
			got, met, err := e.check(client, srv.Listener.Addr().String(), srv.URL)
			switch {
			case err != nil:
				t.Fatalf("%s: %s %s: %v", e.source, e.verb(), e.path, err)
			case e.differs == "" && !met:
				t.Errorf("%s: %s %s: got %s, want %s", e.source, e.verb(), e.path, got, e.want())
			case e.differs != "" && met:
				t.Errorf("%s: %s %s: got %s, which meets httpbin's expectation, but the row says it differs (%s): drop the note, and the difference from docs/live.md", e.source, e.verb(), e.path, got, e.differs)
			}
		})
	}
}

// name is the subtest's name: the request and what is expected of it.
func (e expectation) name() string {
	return e.verb() + " " + e.path + " " + e.want()
}

func (e expectation) verb() string {
	if e.method == "" {
		return http.MethodGet
	}
	return e.method
}

// want says what is expected, as it reads in a failure.
func (e expectation) want() string {
	switch {
	case e.status != nil:
		return fmt.Sprintf("status %v", e.status)
	case e.first != 0:
		return fmt.Sprintf("first status %d", e.first)
	case e.header != "":
		return fmt.Sprintf("%s %q", e.header, e.value)
	case e.body != nil:
		return fmt.Sprintf("body %q", *e.body)
	default:
		return fmt.Sprintf("body containing %q", e.contains)
	}
}

// valid reports whether the row has a source and exactly one expectation.
func (e expectation) valid() error {
	n := 0
	for _, set := range []bool{e.status != nil, e.first != 0, e.header != "", e.body != nil, e.contains != ""} {
		if set {
			n++
		}
	}
	switch {
	case e.source == "":
		return fmt.Errorf("no source")
	case n != 1:
		return fmt.Errorf("%d expectations, want 1", n)
	}
	return nil
}

// check makes the row's request and reports what it got, in the terms of
// the expectation, and whether that meets it; err is a failure to get an
// answer at all, which meets no row.
func (e expectation) check(client *http.Client, addr, base string) (got string, met bool, err error) {
	if e.first != 0 {
		code, err := firstStatus(addr, e.verb(), e.path)
		return fmt.Sprintf("first status %d", code), code == e.first, err
	}
	req, err := http.NewRequest(e.verb(), base+e.path, nil)
	if err != nil {
		return "", false, err
	}
	res, err := client.Do(req)
	if err != nil {
		return "", false, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if err != nil {
		return "", false, err
	}
	body := string(data)
	switch {
	case e.status != nil:
		return fmt.Sprintf("status %d", res.StatusCode), slices.Contains(e.status, res.StatusCode), nil
	case e.header != "":
		v := res.Header.Get(e.header)
		return fmt.Sprintf("%s %q", e.header, v), v == e.value, nil
	case e.body != nil:
		return fmt.Sprintf("body %q", body), body == *e.body, nil
	default:
		return fmt.Sprintf("body %q", body), strings.Contains(body, e.contains), nil
	}
}

// firstStatus sends one HTTP/1.1 request on a new connection and returns
// the status of the first response read off the wire, interim or not, as
// go-httpbin's test of /status/100 does (Go's client hides a 100).
func firstStatus(addr, method, path string) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\n\r\n", method, path, addr); err != nil {
		return 0, err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}
