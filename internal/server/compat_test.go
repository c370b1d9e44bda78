package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompat checks the --live-addr listener's handler through its
// middleware: httpstat.us's routes, the guard's answers with the live
// endpoint's Allow, and the security headers.
func TestCompat(t *testing.T) {
	t.Parallel()
	h := hardServer(t, nil, Options{}).Compat()
	tests := []struct {
		raw        string
		wantStatus int
		wantHeader [2]string
	}{
		{"GET /503 HTTP/1.1\r\nHost: x\r\n\r\n", 503, [2]string{"Retry-After", "5"}},
		{"PUT /404/a/b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 404, [2]string{"Content-Type", "text/plain; charset=utf-8"}},
		{"GET /200 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n", 200, [2]string{"Content-Type", "application/json"}},
		{"GET /random/500-504 HTTP/1.1\r\nHost: x\r\n\r\n", 0, [2]string{"Access-Control-Allow-Origin", "*"}},
		{"GET /status/418 HTTP/1.1\r\nHost: x\r\n\r\n", 418, [2]string{"Access-Control-Allow-Origin", "*"}},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200, [2]string{"X-Content-Type-Options", "nosniff"}},
		{"GET /503.json HTTP/1.1\r\nHost: x\r\n\r\n", 404, [2]string{"Content-Security-Policy", ContentSecurityPolicy}},
		{"TRACE /503 HTTP/1.1\r\nHost: x\r\n\r\n", 405, [2]string{"Allow", allowLive}},
		{"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 204, [2]string{"Allow", allowLive}},
		{"GET /a/../503 HTTP/1.1\r\nHost: x\r\n\r\n", 400, [2]string{"Content-Security-Policy", ContentSecurityPolicy}},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, readRaw(t, tt.raw))
		line, _, _ := strings.Cut(tt.raw, "\r\n")
		if tt.wantStatus == 0 && (rec.Code < 500 || rec.Code > 504) || tt.wantStatus != 0 && rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", line, rec.Code, tt.wantStatus)
		}
		if got := rec.Header().Get(tt.wantHeader[0]); got != tt.wantHeader[1] {
			t.Errorf("%s: %s %q, want %q", line, tt.wantHeader[0], got, tt.wantHeader[1])
		}
	}
}

// TestCompatMetrics checks that the --live-addr listener's requests are
// counted by route, under labels of their own, however many paths
// clients send.
func TestCompatMetrics(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	h := s.Compat()
	for _, target := range []string{"/503", "/503/x", "/503/y/z", "/random/200,201", "/random/418/x", "/status/418", "/", "/im-a-teapot", "/nothing-here-5c1e", "/nothing-else-8d2f", "/a/../b"} {
		h.ServeHTTP(httptest.NewRecorder(), readRaw(t, "GET "+target+" HTTP/1.1\r\nHost: x\r\n\r\n"))
	}
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/status/503", nil))
	for series, want := range map[string]float64{
		`httpstatus_http_requests_total{code="503",route="live-addr /{code}"}`:                   1,
		`httpstatus_http_requests_total{code="503",route="live-addr /{code}/{rest...}"}`:         2,
		`httpstatus_http_requests_total{code="418",route="live-addr /random/{codes}/{rest...}"}`: 1,
		`httpstatus_http_requests_total{code="418",route="live-addr /status/{codes...}"}`:        1,
		`httpstatus_http_requests_total{code="200",route="live-addr /{$}"}`:                      1,
		`httpstatus_http_requests_total{code="302",route="live-addr /im-a-teapot"}`:              1,
		`httpstatus_http_requests_total{code="404",route="live-addr /{code}"}`:                   2,
		`httpstatus_http_requests_total{code="400",route="live-addr unmatched"}`:                 1,
		`httpstatus_http_request_duration_seconds_count{route="live-addr /random/{codes}"}`:      1,
		`httpstatus_http_requests_total{code="503",route="/status/{codes...}"}`:                  1,
	} {
		if got := counterValue(t, s, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if text := scrape(t, s.Metrics()); strings.Contains(text, "nothing-") {
		t.Errorf("/metrics holds a raw path of the --live-addr listener as a label")
	}
}
