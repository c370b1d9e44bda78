package render

import (
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// TestBehaviour checks the words a table shows for what a client did.
func TestBehaviour(t *testing.T) {
	get := catalog.ClientRequest{Method: "GET", Path: "/status/302"}
	post := catalog.ClientRequest{Method: "POST", Path: "/status/307", Body: 3}
	landing := catalog.ClientRequest{Method: "GET", Path: "/status/200"}
	again := func(q catalog.ClientRequest, after int) catalog.ClientRequest { q.After = after; return q }
	withAuth := func(q catalog.ClientRequest) catalog.ClientRequest { q.Auth = true; return q }
	other := catalog.ClientRequest{Method: "GET", Path: "/landing", Origin: "other"}
	loop := []catalog.ClientRequest{{Method: "GET", Path: "/loop/0"}, {Method: "GET", Path: "/loop/1"}, {Method: "GET", Path: "/loop/2"}}
	fault := catalog.Scenario{Fault: "reset-mid-body", Limit: 8}
	tests := []struct {
		name    string
		s       catalog.Scenario
		options []string
		r       catalog.ClientResult
		want    string
	}{
		{"shown", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 302, Requests: []catalog.ClientRequest{get}}, "302 shown"},
		{"follows", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{get, landing}}, "follows, GET, 200 shown"},
		{"POST becomes GET", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{post, landing}}, "follows, GET, 200 shown"},
		{"POST kept", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{post, {Method: "POST", Path: "/status/200", Body: 3}}}, "follows, POST with the body, 200 shown"},
		{"POST without its body", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{post, {Method: "POST", Path: "/status/200"}}}, "follows, POST without the body, 200 shown"},
		{"drops Authorization", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{withAuth(get), other}}, "follows, GET, drops Authorization, 200 shown"},
		{"keeps Authorization, preflights left out", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 200, Requests: []catalog.ClientRequest{{Method: "OPTIONS", Path: "/status/302"}, withAuth(get), withAuth(other)}}, "follows, GET, keeps Authorization, 200 shown"},
		{"chain", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "stopped after 10 redirects", Requests: loop}, "follows 2 redirects, error: too many redirects"},
		{"no option", catalog.Scenario{}, []string{"no option for following redirects: defaults"}, catalog.ClientResult{Outcome: "response", Status: 302, Requests: []catalog.ClientRequest{get}}, "no option for following redirects, 302 shown"},
		{"retries apart", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 503, Seconds: 10, Requests: []catalog.ClientRequest{get, again(get, 5), again(get, 5)}}, "retries 2 times, 5 s apart, 503 shown"},
		{"retries once", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 503, Seconds: 5, Requests: []catalog.ClientRequest{get, again(get, 5)}}, "retries after 5 s, 503 shown"},
		{"retries at once", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 408, Requests: []catalog.ClientRequest{get, get}}, "retries at once, 408 shown"},
		{"retries growing", catalog.Scenario{Limit: 8}, nil, catalog.ClientResult{Outcome: "none", Seconds: 8, Requests: []catalog.ClientRequest{get, again(get, 1), again(get, 2)}}, "retries 2 times, after 1, 2 s, no answer in 8 s"},
		{"no answer", catalog.Scenario{Limit: 12}, nil, catalog.ClientResult{Outcome: "none", Seconds: 12, Requests: []catalog.ClientRequest{get}}, "no answer in 12 s"},
		{"timeout after", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "httpx.ReadTimeout (TimeoutError)", Seconds: 5, Requests: []catalog.ClientRequest{get}}, "error: timeout after 5 s"},
		{"reset", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "requests.exceptions.ConnectionError (ConnectionResetError)", Requests: []catalog.ClientRequest{get}}, "error: reset"},
		{"Go's EOF", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "EOF", Requests: []catalog.ClientRequest{get}}, "error: empty reply"},
		{"exit status", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "exit 52", Requests: []catalog.ClientRequest{get}}, "exit 52"},
		{"Firefox's short body", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "TypeError: Content-Length header of network response exceeds response Body.", Requests: []catalog.ClientRequest{get}}, "error: incomplete body"},
		{"unknown error kept", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "error", Error: "SomeNewError", Requests: []catalog.ClientRequest{get}}, "error: SomeNewError"},
		{"partial body", fault, nil, catalog.ClientResult{Outcome: "response", Status: 200, BodyBytes: 1000, Error: "exit 56", Requests: []catalog.ClientRequest{get}}, "200 shown, 1000 bytes of body, exit 56"},
		{"HTTPError", catalog.Scenario{}, nil, catalog.ClientResult{Outcome: "response", Status: 503, Error: "urllib.error.HTTPError", Requests: []catalog.ClientRequest{get}}, "503 raised as HTTPError"},
		{"credentials up front", catalog.Scenario{Credentials: true}, nil, catalog.ClientResult{Outcome: "response", Status: 401, Requests: []catalog.ClientRequest{withAuth(get)}}, "Authorization up front, 401 shown"},
		{"credentials after the challenge", catalog.Scenario{Credentials: true}, nil, catalog.ClientResult{Outcome: "error", Error: "java.io.IOException: too many authentication attempts. Limit: 3", Requests: []catalog.ClientRequest{get, withAuth(get), withAuth(get)}}, "Authorization after the challenge, 2 times, error: too many auth attempts"},
		{"no credentials", catalog.Scenario{Credentials: true}, nil, catalog.ClientResult{Outcome: "response", Status: 401, Requests: []catalog.ClientRequest{get}}, "no Authorization sent, 401 shown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := catalog.Observation{Options: tt.options, Result: tt.r}
			if got := behaviour(tt.s, o); got != tt.want {
				t.Errorf("behaviour() = %q, want %q", got, tt.want)
			}
		})
	}
}
