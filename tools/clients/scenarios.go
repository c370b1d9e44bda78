package main

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// scenario is a catalog.Scenario with the server that plays it.
type scenario struct {
	catalog.Scenario
	// start starts the scenario's server(s) for one run on fresh loopback
	// ports, recording into rec, and returns the base URL the client is
	// sent to. live is the address of httpstatus serve.
	start func(ctx context.Context, wg *sync.WaitGroup, rec *recorder, live string) (string, error)
}

// Limits of a run, in seconds.
const (
	limitShort = 8  // most scenarios
	limitHang  = 12 // scenarios where a client may wait on its own
	limitRetry = 15 // scenarios where a client may retry after Retry-After (5 s)
)

// form is the body of every POST.
const form = "a=1"

// faultBytes is the length of the body the fault scenarios ask for.
const faultBytes = 2000

// atLive is the server of scenarios the live endpoint plays: a recording
// proxy in front of it.
func atLive(ctx context.Context, wg *sync.WaitGroup, rec *recorder, live string) (string, error) {
	return listen(ctx, wg, proxyTo(live, rec))
}

// atHarness is the server of scenarios played by harnessHandler, with a
// second origin for the cross-origin redirect.
func atHarness(ctx context.Context, wg *sync.WaitGroup, rec *recorder, _ string) (string, error) {
	other, err := listen(ctx, wg, serveHTTP(harnessHandler(rec, "other", "")))
	if err != nil {
		return "", err
	}
	return listen(ctx, wg, serveHTTP(harnessHandler(rec, "", other)))
}

// atRaw returns the server of a scenario the harness plays on raw TCP.
func atRaw(p play) func(ctx context.Context, wg *sync.WaitGroup, rec *recorder, live string) (string, error) {
	return func(ctx context.Context, wg *sync.WaitGroup, rec *recorder, _ string) (string, error) {
		return listen(ctx, wg, serveRaw(p, rec))
	}
}

// scenarios lists every scenario, in the order of the data. What the
// live endpoint cannot express (a redirect chain without end, a second
// origin, a body where the status forbids one) the harness plays itself.
func scenarios() []scenario {
	var out []scenario
	live := func(s catalog.Scenario) {
		s.Server = "live"
		if s.Limit == 0 {
			s.Limit = limitShort
		}
		out = append(out, scenario{s, atLive})
	}
	harness := func(s catalog.Scenario, start func(context.Context, *sync.WaitGroup, *recorder, string) (string, error)) {
		s.Server = "harness"
		if s.Limit == 0 {
			s.Limit = limitShort
		}
		out = append(out, scenario{s, start})
	}

	for _, c := range []struct {
		code int
		name string
	}{{301, "301"}, {302, "302"}, {303, "303"}, {307, "307"}, {308, "308"}} {
		live(catalog.Scenario{ID: "redirect-" + c.name + "-get", Title: c.name + " to a GET, with the client's defaults",
			Codes: []int{c.code}, Method: "GET", Path: "/status/" + c.name,
			Response: c.name + " with Location: /status/200"})
	}
	for _, c := range []struct {
		code int
		name string
	}{{301, "301"}, {302, "302"}, {303, "303"}, {307, "307"}, {308, "308"}} {
		live(catalog.Scenario{ID: "redirect-" + c.name + "-post", Title: c.name + " to a POST with a body, following redirects",
			Codes: []int{c.code}, Method: "POST", Path: "/status/" + c.name, Body: form, Follow: true,
			Response: c.name + " with Location: /status/200"})
	}
	harness(catalog.Scenario{ID: "redirect-loop", Title: "An endless chain of 302s: how many hops a client follows",
		Codes: []int{302, 301, 307, 308}, Method: "GET", Path: "/loop/0", Follow: true, Limit: limitHang,
		Response: "302 to /loop/N+1, for ever (200 at /loop/100)"}, atHarness)
	harness(catalog.Scenario{ID: "redirect-cross-origin-auth", Title: "Authorization on a 302 to another origin (another port)",
		Codes: []int{302, 401}, Method: "GET", Path: "/cross", Follow: true, Headers: []string{"Authorization: Bearer secret"},
		Response: "302 to the same host on another port, which answers 200"}, atHarness)
	// The live endpoint's 300 prefers the page of 300 itself, whose size
	// changes with the content: the harness plays one whose choice does
	// not.
	harness(catalog.Scenario{ID: "multiple-choices-300", Title: "300 with a preferred choice in Location", Codes: []int{300},
		Method: "GET", Path: "/choices", Response: "300 with Location: /landing, Link naming it, and a body that lists the choices; /landing answers 200"}, atHarness)
	live(catalog.Scenario{ID: "use-proxy-305", Title: "305 without Location", Codes: []int{305},
		Method: "GET", Path: "/status/305", Response: "305 with a body, no Location"})

	live(catalog.Scenario{ID: "interim-100", Title: "An unsolicited 100 Continue before a 200", Codes: []int{100},
		Method: "GET", Path: "/status/100", Response: "100 Continue, then 200 with a body"})
	live(catalog.Scenario{ID: "interim-102", Title: "102 Processing before a 200", Codes: []int{102},
		Method: "GET", Path: "/status/102", Response: "102 Processing, then 200 with a body"})
	live(catalog.Scenario{ID: "interim-103", Title: "103 Early Hints (with Link) before a 200", Codes: []int{103},
		Method: "GET", Path: "/status/103", Response: "103 Early Hints with Link, then 200 with a body"})
	live(catalog.Scenario{ID: "switching-101-no-upgrade", Title: "101 without Upgrade, to a request that asked for none", Codes: []int{101},
		Method: "GET", Path: "/status/101", Response: "101 Switching Protocols without Upgrade, Connection: close, then the connection ends"})

	harness(catalog.Scenario{ID: "no-content-204-with-body", Title: "204 followed by body bytes", Codes: []int{204},
		Method: "GET", Path: "/status/204", Response: "204 without Content-Length, then 16 bytes of body; closed after 5 s"}, atRaw(withBody(http.StatusNoContent)))
	live(catalog.Scenario{ID: "reset-content-205", Title: "205 with Content-Length: 0", Codes: []int{205},
		Method: "GET", Path: "/status/205", Response: "205 with Content-Length: 0"})
	harness(catalog.Scenario{ID: "not-modified-304-with-body", Title: "304 (to an unconditional GET) followed by body bytes", Codes: []int{304},
		Method: "GET", Path: "/status/304", Response: "304 without Content-Length, then 16 bytes of body; closed after 5 s"}, atRaw(withBody(http.StatusNotModified)))
	live(catalog.Scenario{ID: "partial-206-unsolicited", Title: "206 to a request without Range", Codes: []int{206},
		Method: "GET", Path: "/status/206", Response: "206 with a body"})

	live(catalog.Scenario{ID: "unauthorized-401-credentials", Title: "401 Basic challenge, the client given a user name and password", Codes: []int{401},
		Method: "GET", Path: "/status/401", Credentials: true, Response: `401 with WWW-Authenticate: Basic realm="httpstatus", whatever the credentials`})
	live(catalog.Scenario{ID: "proxy-auth-407-credentials", Title: "407 from the server itself (no proxy), the client given credentials", Codes: []int{407},
		Method: "GET", Path: "/status/407", Credentials: true, Response: `407 with Proxy-Authenticate: Basic realm="httpstatus"`})

	for _, c := range []struct {
		code  int
		title string
	}{{408, "408 Request Timeout"}, {421, "421 Misdirected Request"}, {425, "425 Too Early"}} {
		live(catalog.Scenario{ID: "retry-" + strconv.Itoa(c.code), Title: c.title + " to a GET: does the client retry", Codes: []int{c.code},
			Method: "GET", Path: "/status/" + strconv.Itoa(c.code), Limit: limitHang, Response: strconv.Itoa(c.code) + " with a body, every time"})
	}
	// Retry-After stays the endpoint's 5 seconds. The endpoint answers a
	// preflight now, so fetch() could ask for another with
	// X-HttpStatus-Response-Retry-After, but a navigation sends no
	// header of the job: the browsers' two columns would answer
	// different questions.
	live(catalog.Scenario{ID: "retry-429", Title: "429 with Retry-After: 5 to a GET: does the client retry", Codes: []int{429},
		Method: "GET", Path: "/status/429", Limit: limitRetry, Response: "429 with Retry-After: 5, every time"})
	live(catalog.Scenario{ID: "retry-503", Title: "503 with Retry-After: 5 to a GET: does the client retry", Codes: []int{503},
		Method: "GET", Path: "/status/503", Limit: limitRetry, Response: "503 with Retry-After: 5, every time"})
	live(catalog.Scenario{ID: "retry-503-enabled", Title: "503 with Retry-After: 5, the client's retries turned on", Codes: []int{503},
		Method: "GET", Path: "/status/503", Retry: true, Limit: limitRetry, Response: "503 with Retry-After: 5, every time"})

	faultScenarios(live)
	return out
}

// faultScenarios adds the scenarios of the live endpoint's faults.
func faultScenarios(live func(catalog.Scenario)) {
	// The faults are the live endpoint's own (fault=NAME), with a body of
	// bytes=2000 to cut (application/octet-stream, which a browser's
	// navigation takes for a download).
	for _, f := range []struct{ name, title, response string }{
		{"reset-before-headers", "Connection reset before any header", "reads the request, then a TCP RST"},
		{"close-before-headers", "Connection closed before any header", "reads the request, then closes the connection"},
		{"reset-after-headers", "Connection reset after the headers", "200 with Content-Length: 2000 (application/octet-stream), then a TCP RST"},
		{"reset-mid-body", "Connection reset in the middle of the body", "200 with Content-Length: 2000 (application/octet-stream), 1000 bytes, then a TCP RST"},
		{"truncate", "Body shorter than Content-Length, then closed", "200 with Content-Length: 2000 (application/octet-stream), 1000 bytes, then the connection closes"},
		{"hang-after-headers", "Headers, then silence", "200 with Content-Length: 2000 (application/octet-stream), then nothing, the connection open"},
	} {
		s := catalog.Scenario{ID: "fault-" + f.name, Title: f.title, Codes: []int{200}, Method: "GET",
			Path: "/status/200?fault=" + f.name + "&bytes=" + strconv.Itoa(faultBytes), Fault: f.name, Response: f.response}
		if f.name == "hang-after-headers" {
			s.Limit = limitHang
		}
		live(s)
	}
}
