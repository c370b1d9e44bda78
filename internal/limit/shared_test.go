package limit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeBackend is a Backend in memory that fails, or hangs, on demand.
type fakeBackend struct {
	mu      sync.Mutex
	buckets map[string]*Buckets // by limit name
	err     error               // every Take fails with it, when set
	hang    bool                // every Take waits for its context
	calls   atomic.Int64
}

func (f *fakeBackend) Buckets(name string, r Rate) Store {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.buckets == nil {
		f.buckets = map[string]*Buckets{}
	}
	if f.buckets[name] == nil {
		f.buckets[name] = NewBuckets(r, 100)
	}
	return fakeStore{f, f.buckets[name]}
}

func (f *fakeBackend) String() string { return "fake" }

func (f *fakeBackend) set(err error, hang bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err, f.hang = err, hang
}

type fakeStore struct {
	f *fakeBackend
	b *Buckets
}

func (s fakeStore) Take(ctx context.Context, key string, n int) (Taken, error) {
	s.f.calls.Add(1)
	s.f.mu.Lock()
	err, hang := s.f.err, s.f.hang
	s.f.mu.Unlock()
	if hang {
		<-ctx.Done()
		return Taken{}, ctx.Err()
	}
	if err != nil {
		return Taken{}, err
	}
	return s.b.Take(ctx, key, n)
}

// taken counts how many of n requests of key a limit lets through.
func taken(l *Limit, key string, n int) int {
	ok := 0
	for range n {
		if l.Take(context.Background(), key, 1).OK {
			ok++
		}
	}
	return ok
}

// TestSharedFailsOpen: two replicas' limits on one backend share their
// buckets; when the backend fails, each limits on its own, the failure is
// counted and logged once, the backend is asked again once a retryEvery,
// and the log says when it answers again.
func TestSharedFailsOpen(t *testing.T) {
	t.Parallel()
	backend := &fakeBackend{}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	var failures atomic.Int64
	r := Rate{PerSecond: 0.001, Burst: 3}
	replicas := [2]*Limit{}
	shares := [2]*Shared{}
	for i := range replicas {
		shares[i] = NewShared(backend, log, func(limit string) {
			if limit == ClientRate {
				failures.Add(1)
			}
		})
		replicas[i] = New(ClientRate, "", r, 100, shares[i])
	}
	if got := taken(replicas[0], "a", 2) + taken(replicas[1], "a", 2); got != 3 {
		t.Errorf("4 requests of a across two replicas, shared: %d let through, want 3", got)
	}

	backend.set(errors.New("connection refused"), false)
	calls := backend.calls.Load()
	for i, l := range replicas {
		if got := taken(l, "a", 5); got != 3 {
			t.Errorf("replica %d with the store down: %d of 5 let through, want its own 3", i, got)
		}
	}
	if n := backend.calls.Load() - calls; n != 2 {
		t.Errorf("the store was asked %d times while down, want once per replica until retryEvery", n)
	}
	if n := failures.Load(); n != 2 {
		t.Errorf("%d failures counted, want 2", n)
	}
	if n := strings.Count(logged.String(), "limit store does not answer"); n != 2 || !strings.Contains(logged.String(), "connection refused") {
		t.Errorf("log: %s\nwant one warning per replica, with the error", logged.String())
	}

	backend.set(nil, false)
	shares[0].retryAt.Store(time.Now().Add(-time.Millisecond).UnixNano())
	if tk := replicas[0].Take(context.Background(), "b", 1); !tk.OK || tk.Left != 2 {
		t.Errorf("first request of b once the store answers: %+v, want taken from the shared bucket", tk)
	}
	if !strings.Contains(logged.String(), "limit store answers again") || shares[0].retryAt.Load() != 0 {
		t.Errorf("log: %s\nwant a line once the store answers again", logged.String())
	}
	if got := taken(replicas[0], "b", 3); got != 2 {
		t.Errorf("b after the store came back: %d of 3 let through, want 2", got)
	}
}

// TestSharedHangs: a store that never answers holds a request no longer
// than storeTimeout, and later requests not at all.
func TestSharedHangs(t *testing.T) {
	t.Parallel()
	backend := &fakeBackend{hang: true}
	var logged bytes.Buffer
	l := New(ClientRate, "", Rate{PerSecond: 1, Burst: 2}, 100, NewShared(backend, slog.New(slog.NewTextHandler(&logged, nil)), nil))
	start := time.Now()
	if tk := l.Take(context.Background(), "a", 1); !tk.OK {
		t.Errorf("first request with a hanging store: %+v, want taken from memory", tk)
	}
	if d := time.Since(start); d < storeTimeout || d > storeTimeout+time.Second {
		t.Errorf("first request waited %v, want about %v", d, storeTimeout)
	}
	start = time.Now()
	if tk := l.Take(context.Background(), "a", 1); !tk.OK {
		t.Errorf("second request: %+v, want taken from memory", tk)
	}
	if d := time.Since(start); d > storeTimeout/2 {
		t.Errorf("second request waited %v for a store known to be down", d)
	}
	if !strings.Contains(logged.String(), "context deadline exceeded") {
		t.Errorf("log: %s\nwant the timeout", logged.String())
	}
}
