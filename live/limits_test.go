package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowOf returns how many slow requests key has now.
func (c *clientSlots) slowOf(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

func TestClientMaxSlow(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		refused []string
	)
	h := New(
		WithMaxSlow(2),
		WithClientMaxSlow(1),
		WithClientKey(func(r *http.Request) string { return r.Header.Get("X-Client") }),
		WithRefused(func(_ *http.Request, limit string) {
			mu.Lock()
			refused = append(refused, limit)
			mu.Unlock()
		}),
	).handler
	req := func(ctx context.Context, client string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/status/200?sleep=10000", nil).WithContext(ctx)
		r.Header.Set("X-Client", client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, c := range []string{"a", "b"} {
		wg.Go(func() { req(ctx, c) })
	}
	for deadline := time.Now().Add(5 * time.Second); h.clients.slowOf("a") == 0 || h.clients.slowOf("b") == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the held requests have no slots after 5s")
		}
	}
	tests := []struct {
		client     string
		wantStatus int
		wantLimit  string
	}{
		{"a", http.StatusTooManyRequests, "client-max-slow"}, // its own slot is taken
		{"c", http.StatusServiceUnavailable, "max-slow"},     // a new client, but every slot is taken
	}
	for _, tt := range tests {
		rec := req(context.Background(), tt.client)
		if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), "slow requests") {
			t.Errorf("client %s: %d %q, want %d", tt.client, rec.Code, rec.Body.String(), tt.wantStatus)
		}
		if tt.wantStatus == http.StatusTooManyRequests && rec.Header().Get("RateLimit") != `"client-max-slow";r=0;t=1` {
			t.Errorf("client %s: RateLimit %q", tt.client, rec.Header().Get("RateLimit"))
		}
	}
	if h.clients.slowOf("c") != 0 {
		t.Errorf("a refused request kept its client's slot")
	}
	cancel()
	wg.Wait()
	if h.clients.slowOf("a") != 0 || len(h.clients.n) != 0 {
		t.Errorf("slots kept after the requests ended: %v", h.clients.n)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(refused, ",") != "client-max-slow,max-slow" {
		t.Errorf("refusals reported %v, want client-max-slow, max-slow", refused)
	}
}

func TestPeerKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, want string }{
		{"127.0.0.2:1234", "127.0.0.2"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		{"pipe", "pipe"},
	}
	for _, tt := range tests {
		if got := peerKey(&http.Request{RemoteAddr: tt.remote}); got != tt.want {
			t.Errorf("peerKey(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}

func TestByteBudgets(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		refused []string
	)
	h := New(
		WithClientMaxBytes(1000),
		WithMaxEgress(1500),
		WithClientKey(func(r *http.Request) string { return r.Header.Get("X-Client") }),
		WithRefused(func(_ *http.Request, limit string) {
			mu.Lock()
			refused = append(refused, limit)
			mu.Unlock()
		}),
	)
	tests := []struct {
		method, client, query string
		wantStatus            int
		wantRateLimit         string
	}{
		{"GET", "a", "bytes=600", 200, ""},
		{"HEAD", "a", "bytes=600", 200, ""}, // no body: not charged
		// 400 bytes left, and a little more as the test runs.
		{"GET", "a", "bytes=600", 429, `^"client-max-bytes";r=4\d\d;t=1[0-2]$`},
		{"GET", "a", "", 200, ""}, // no bytes=: not charged
		{"GET", "b", "bytes=600", 200, ""},
		{"GET", "c", "bytes=600", 503, ""}, // 300 bytes left for everyone
	}
	for i, tt := range tests {
		r := httptest.NewRequest(tt.method, "/status/200?"+tt.query, nil)
		r.Header.Set("X-Client", tt.client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.wantStatus {
			t.Errorf("%d: %s %s from %s: status %d %q, want %d", i, tt.method, tt.query, tt.client, rec.Code, rec.Body.String(), tt.wantStatus)
		}
		if got := rec.Header().Get("RateLimit"); (tt.wantRateLimit == "") != (got == "") || !regexp.MustCompile(tt.wantRateLimit).MatchString(got) {
			t.Errorf("%d: RateLimit %q, want %q", i, got, tt.wantRateLimit)
		}
		if tt.wantStatus == 429 && rec.Header().Get("RateLimit-Policy") != `"client-max-bytes";q=1000;qu="content-bytes";w=60` {
			t.Errorf("%d: RateLimit-Policy %q", i, rec.Header().Get("RateLimit-Policy"))
		}
		if tt.wantStatus >= 429 && (rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "bytes")) {
			t.Errorf("%d: refusal without Retry-After or a body naming the limit: %v %q", i, rec.Header(), rec.Body.String())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(refused, ",") != "client-max-bytes,max-egress" {
		t.Errorf("refusals reported %v, want client-max-bytes, max-egress", refused)
	}
}
