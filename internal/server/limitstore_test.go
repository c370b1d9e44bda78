package server

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/httpstatus/httpstatus/internal/limit"
)

// sharedBackend is a limit.Backend in memory that several Servers share,
// as replicas share Redis, and that fails on demand.
type sharedBackend struct {
	mu      sync.Mutex
	buckets map[string]*limit.Buckets
	down    atomic.Bool
}

func (b *sharedBackend) Buckets(name string, r limit.Rate) limit.Store {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buckets[name] == nil {
		b.buckets[name] = limit.NewBuckets(r, 100)
	}
	return sharedStore{b, b.buckets[name]}
}

func (b *sharedBackend) String() string { return "test" }

type sharedStore struct {
	b *sharedBackend
	m *limit.Buckets
}

func (s sharedStore) Take(ctx context.Context, key string, n int) (limit.Taken, error) {
	if s.b.down.Load() {
		return limit.Taken{}, errors.New("store down")
	}
	return s.m.Take(ctx, key, n)
}

// syncBuilder is a strings.Builder safe for a logger's concurrent use.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLimitStore: two servers on one limit store share a client's
// request rate and byte budget; when the store fails, each limits the
// client on its own, counts and logs the failure, and stays ready.
func TestLimitStore(t *testing.T) {
	t.Parallel()
	backend := &sharedBackend{buckets: map[string]*limit.Buckets{}}
	var logged syncBuilder
	opts := Options{ClientRate: 0.001, ClientBurst: 3, MaxBody: 1000, ClientMaxBytes: 2000, LimitStore: backend}
	a := hardServer(t, slog.New(slog.NewTextHandler(&logged, nil)), opts)
	b := hardServer(t, nil, opts)

	for i, s := range []*Server{a, b, a} {
		if rec := serve(s, from("127.0.0.2:1", "/503")); rec.Code != 200 {
			t.Fatalf("request %d of a burst of 3 across two servers: status %d", i+1, rec.Code)
		}
	}
	rec := serve(b, from("127.0.0.2:1", "/503"))
	if rec.Code != 429 || rec.Header().Get("RateLimit-Policy") != `"client-rate";q=3;w=3000` {
		t.Errorf("4th request across two servers: %d %q, want 429 of the shared client-rate", rec.Code, rec.Header().Get("RateLimit-Policy"))
	}
	for i, s := range []*Server{a, b} {
		if rec := serve(s, from("127.0.0.3:1", "/status/200?bytes=1000")); rec.Code != 200 {
			t.Fatalf("body %d of a budget of 2 across two servers: status %d", i+1, rec.Code)
		}
	}
	if rec := serve(a, from("127.0.0.3:1", "/status/200?bytes=1000")); rec.Code != 429 || !strings.Contains(rec.Body.String(), limit.ClientMaxBytes) {
		t.Errorf("3rd body across two servers: %d %q, want 429 of client-max-bytes", rec.Code, rec.Body.String())
	}

	backend.down.Store(true)
	for i := range 3 {
		if rec := serve(a, from("127.0.0.2:1", "/503")); rec.Code != 200 {
			t.Fatalf("request %d with the store down: status %d, want 200 from the server's own bucket", i+1, rec.Code)
		}
	}
	if rec := serve(a, from("127.0.0.2:1", "/503")); rec.Code != 429 || rec.Header().Get("RateLimit") == "" {
		t.Errorf("4th request with the store down: %d, RateLimit %q; want 429 with the RateLimit fields", rec.Code, rec.Header().Get("RateLimit"))
	}
	if err := a.Warm(); err != nil {
		t.Fatal(err)
	}
	if rec := serve(a, from("127.0.0.1:1", "/readyz")); rec.Code != 200 {
		t.Errorf("/readyz with the limit store down: %d %q, want 200", rec.Code, rec.Body.String())
	}
	if got := counterValue(t, a, `httpstatus_limit_store_errors_total{limit="client-rate"}`); got < 1 {
		t.Errorf("httpstatus_limit_store_errors_total{limit=\"client-rate\"} %v, want at least 1", got)
	}
	if n := strings.Count(logged.String(), "limit store does not answer"); n != 1 || !strings.Contains(logged.String(), "store down") {
		t.Errorf("log:\n%s\nwant one warning with the store's error", logged.String())
	}
}
