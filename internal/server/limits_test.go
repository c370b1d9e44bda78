package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/clientid"
)

// from returns a GET of target from the peer remote, with the headers
// given as name, value pairs.
func from(remote, target string, header ...string) *http.Request {
	r := httptest.NewRequest("GET", target, nil)
	r.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

var (
	rateLimitRE  = regexp.MustCompile(`^"client-rate";r=\d+;t=[1-9]\d*$`)
	rateRetryRE  = regexp.MustCompile(`^[1-9]\d*$`)
	ratePolicyRE = regexp.MustCompile(`^"client-rate";q=2;w=[1-9]\d*$`)
)

// checkRefused checks a 429 of the request rate: its fields and its
// one-line body naming the limit.
func checkRefused(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", rec.Code)
	}
	h := rec.Header()
	if !rateRetryRE.MatchString(h.Get("Retry-After")) {
		t.Errorf("Retry-After %q, want whole seconds", h.Get("Retry-After"))
	}
	if !ratePolicyRE.MatchString(h.Get("RateLimit-Policy")) {
		t.Errorf("RateLimit-Policy %q", h.Get("RateLimit-Policy"))
	}
	if !rateLimitRE.MatchString(h.Get("RateLimit")) {
		t.Errorf("RateLimit %q", h.Get("RateLimit"))
	}
	if body := rec.Body.String(); strings.Count(body, "\n") != 1 || !strings.Contains(body, "client-rate") {
		t.Errorf("body %q: want one line naming client-rate", body)
	}
}

func TestClientRate(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{ClientRate: 0.001, ClientBurst: 2})
	for _, target := range []string{"/503", "/status/200"} {
		if rec := serve(s, from("127.0.0.2:1000", target)); rec.Code != 200 {
			t.Fatalf("GET %s within the burst: status %d", target, rec.Code)
		}
	}
	checkRefused(t, serve(s, from("127.0.0.2:1001", "/404")))
	checkRefused(t, serve(s, from("127.0.0.2:1002", "/status/200")))
	// Another client has its own bucket; health checks and metrics are
	// never limited.
	if rec := serve(s, from("127.0.0.3:1000", "/503")); rec.Code != 200 {
		t.Errorf("another client: status %d, want 200", rec.Code)
	}
	for _, target := range []string{"/healthz", "/metrics"} {
		for range 3 {
			if rec := serve(s, from("127.0.0.2:1000", target)); rec.Code != 200 {
				t.Errorf("GET %s of a limited client: status %d, want 200", target, rec.Code)
			}
		}
	}
	if rec := serve(s, from("127.0.0.2:1000", "/readyz")); rec.Code == http.StatusTooManyRequests {
		t.Errorf("GET /readyz of a limited client: 429")
	}
	if got := counterValue(t, s, `httpstatus_limit_refusals_total{reason="client-rate"}`); got != 2 {
		t.Errorf("refusals by client-rate %v, want 2", got)
	}
	if got := counterValue(t, s, `httpstatus_limit_clients`); got != 2 {
		t.Errorf("httpstatus_limit_clients %v, want 2", got)
	}
	// An IPv6 client is its /64.
	if rec := serve(s, from("[2001:db8:1:2::1]:1", "/503")); rec.Code != 200 {
		t.Fatalf("IPv6 client: status %d", rec.Code)
	}
	serve(s, from("[2001:db8:1:2::2]:1", "/503"))
	checkRefused(t, serve(s, from("[2001:db8:1:2::3]:1", "/503")))
}

func TestClientRateCompat(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{ClientRate: 0.001, ClientBurst: 2})
	c := s.Compat()
	serve(s, from("127.0.0.2:1", "/503"))
	serve(c, from("127.0.0.2:1", "/503"))
	checkRefused(t, serve(c, from("127.0.0.2:1", "/200")))
}

func TestClientRateOff(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	for range 50 {
		if rec := serve(s, from("127.0.0.2:1", "/503")); rec.Code != 200 {
			t.Fatalf("no rate limit: status %d", rec.Code)
		}
	}
	if got := counterValue(t, s, `httpstatus_limit_clients`); got != -1 {
		t.Errorf("httpstatus_limit_clients without a rate limit: %v, want none", got)
	}
}

// TestSpoofing: a forwarding header changes who the client is only when
// it comes from a trusted proxy, and then the header's client is the one
// limited.
func TestSpoofing(t *testing.T) {
	t.Parallel()
	trusted, err := clientid.ParsePrefixes("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	behind, err := clientid.New(trusted, clientid.XForwardedFor)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("no trusted proxies", func(t *testing.T) {
		t.Parallel()
		s := hardServer(t, nil, Options{ClientRate: 0.001, ClientBurst: 2})
		for i, xff := range []string{"203.0.113.1", "203.0.113.2"} {
			if rec := serve(s, from("127.0.0.2:1", "/503", "X-Forwarded-For", xff)); rec.Code != 200 {
				t.Fatalf("request %d: status %d", i, rec.Code)
			}
		}
		checkRefused(t, serve(s, from("127.0.0.2:1", "/503", "X-Forwarded-For", "203.0.113.3", "Forwarded", "for=203.0.113.4")))
	})
	t.Run("untrusted peer", func(t *testing.T) {
		t.Parallel()
		s := hardServer(t, nil, Options{Clients: behind, ClientRate: 0.001, ClientBurst: 2})
		serve(s, from("127.0.0.2:1", "/503", "X-Forwarded-For", "203.0.113.1"))
		serve(s, from("127.0.0.2:1", "/503", "X-Forwarded-For", "203.0.113.2"))
		checkRefused(t, serve(s, from("127.0.0.2:1", "/503", "X-Forwarded-For", "203.0.113.3")))
	})
	t.Run("trusted proxy", func(t *testing.T) {
		t.Parallel()
		s := hardServer(t, nil, Options{Clients: behind, ClientRate: 0.001, ClientBurst: 2})
		serve(s, from("127.0.0.1:1", "/503", "X-Forwarded-For", "203.0.113.1"))
		serve(s, from("127.0.0.1:2", "/503", "X-Forwarded-For", "10.9.9.9, 203.0.113.1"))
		checkRefused(t, serve(s, from("127.0.0.1:3", "/503", "X-Forwarded-For", "198.51.100.7, 203.0.113.1")))
		// Another client behind the same proxy is served.
		if rec := serve(s, from("127.0.0.1:4", "/503", "X-Forwarded-For", "203.0.113.2")); rec.Code != 200 {
			t.Errorf("another client behind the proxy: status %d, want 200", rec.Code)
		}
	})
}

// TestClientMaxSlow: one client's slow requests beyond ClientMaxSlow get
// 429; another client's are served.
func TestClientMaxSlow(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{ClientMaxSlow: 1, MaxSleep: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	held := make(chan int, 1)
	go func() {
		held <- serve(s, from("127.0.0.2:1", "/status/200?sleep=10000").WithContext(ctx)).Code
	}()
	// The held request is in flight (Metrics() is not counted); then
	// it has its slot an instant later.
	for deadline := time.Now().Add(5 * time.Second); counterValue(t, s, "httpstatus_http_requests_in_flight") < 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the held request is not in flight after 5s")
		}
	}
	time.Sleep(50 * time.Millisecond)
	rec := serve(s, from("127.0.0.2:2", "/status/200?sleep=1"))
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("a second slow request of the client: status %d, want 429", rec.Code)
	}
	h := rec.Header()
	if h.Get("Retry-After") != "1" || h.Get("RateLimit-Policy") != `"client-max-slow";q=1;qu="concurrent-requests"` || h.Get("RateLimit") != `"client-max-slow";r=0;t=1` {
		t.Errorf("429 fields: Retry-After %q, RateLimit-Policy %q, RateLimit %q", h.Get("Retry-After"), h.Get("RateLimit-Policy"), h.Get("RateLimit"))
	}
	if !strings.Contains(rec.Body.String(), "client-max-slow") {
		t.Errorf("body %q does not name the limit", rec.Body.String())
	}
	if rec := serve(s, from("127.0.0.3:1", "/status/200?sleep=1")); rec.Code != 200 {
		t.Errorf("another client's slow request: status %d, want 200", rec.Code)
	}
	cancel()
	<-held
	if rec := serve(s, from("127.0.0.2:3", "/status/200?sleep=1")); rec.Code != 200 {
		t.Errorf("once its slow request ended: status %d, want 200", rec.Code)
	}
	if got := counterValue(t, s, `httpstatus_limit_refusals_total{reason="client-max-slow"}`); got < 1 {
		t.Errorf("refusals by client-max-slow %v, want at least 1", got)
	}
}

// TestLogClient: the request log names the client, as resolved, and
// never the query string.
func TestLogClient(t *testing.T) {
	t.Parallel()
	log := newErrorCounter(slog.LevelDebug)
	trusted, _ := clientid.ParsePrefixes("127.0.0.1")
	behind, err := clientid.New(trusted, clientid.XForwardedFor)
	if err != nil {
		t.Fatal(err)
	}
	s := hardServer(t, slog.New(log), Options{Clients: behind})
	serve(s, from("127.0.0.1:1", "/status/200?token=s3cret", "X-Forwarded-For", "203.0.113.9"))
	out := log.String()
	if !strings.Contains(out, `"client":"203.0.113.9"`) {
		t.Errorf("log lacks the forwarded client:\n%s", out)
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("log holds the query string:\n%s", out)
	}
}
