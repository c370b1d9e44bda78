package redisstore

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/limit"
	"github.com/httpstatus/httpstatus/internal/redisstore/redistest"
)

// newLimits returns Limits on srv, closed when the test ends.
func newLimits(t *testing.T, srv *redistest.Server) *Limits {
	t.Helper()
	l, err := NewLimits(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestNewLimitsBadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "http://127.0.0.1:6379", "redis://127.0.0.1:6379/x"} {
		if _, err := NewLimits(u); err == nil || !strings.HasPrefix(err.Error(), "limit store URL: ") || !strings.Contains(err.Error(), "want redis://HOST:PORT/DB") {
			t.Errorf("NewLimits(%q): %v, want an error that names the limit store and shows the form", u, err)
		}
	}
}

// TestLimitsTake checks the token bucket script on a real redis-server:
// bursts, refill, what a refusal says, tokens of several at once, and
// limits and keys kept apart.
func TestLimitsTake(t *testing.T) {
	t.Parallel()
	l := newLimits(t, redistest.Start(t))
	ctx := context.Background()
	take := func(s limit.Store, key string, n int) limit.Taken {
		t.Helper()
		tk, err := s.Take(ctx, key, n)
		if err != nil {
			t.Fatalf("Take(%s, %d): %v", key, n, err)
		}
		return tk
	}

	rate := l.Buckets(limit.ClientRate, limit.Rate{PerSecond: 2, Burst: 3})
	for i, want := range []int64{2, 1, 0} {
		if tk := take(rate, "a", 1); !tk.OK || tk.Left != want {
			t.Errorf("request %d of a burst of 3: %+v, want taken, %d left", i+1, tk, want)
		}
	}
	tk := take(rate, "a", 1)
	if tk.OK || tk.Left != 0 || tk.Wait <= 0 || tk.Wait > 500*time.Millisecond {
		t.Errorf("4th request at once: %+v, want refused, 0 left, a wait of at most 500ms", tk)
	}
	if tk := take(rate, "b", 1); !tk.OK || tk.Left != 2 {
		t.Errorf("another key's first request: %+v, want taken, 2 left", tk)
	}
	other := l.Buckets(limit.ClientMaxSlow, limit.Rate{PerSecond: 2, Burst: 3})
	if tk := take(other, "a", 1); !tk.OK || tk.Left != 2 {
		t.Errorf("another limit's first request of a: %+v, want taken, 2 left", tk)
	}
	time.Sleep(tk.Wait + 20*time.Millisecond)
	if tk := take(rate, "a", 1); !tk.OK {
		t.Errorf("a request once a token came back: %+v, want taken", tk)
	}

	// A byte comes back a second: at most one in the test's time.
	bytes := l.Buckets(limit.ClientMaxBytes, limit.Rate{PerSecond: 1, Burst: 60000})
	if tk := take(bytes, "a", 50000); !tk.OK || tk.Left != 10000 {
		t.Errorf("50000 of 60000 bytes: %+v, want taken, 10000 left", tk)
	}
	tk = take(bytes, "a", 20000)
	if tk.OK || tk.Left < 10000 || tk.Left > 10001 || tk.Wait < 9998*time.Second || tk.Wait > 10000*time.Second {
		t.Errorf("20000 more bytes: %+v, want refused, 10000 left, a wait of 10000s", tk)
	}
	if tk := take(bytes, "a", 10000); !tk.OK || tk.Left > 1 {
		t.Errorf("the last 10000 bytes: %+v, want taken, 0 left", tk)
	}
}

// TestLimitsShared checks that servers on one database share a bucket,
// atomically: of many requests at once from two clients of the store,
// exactly the burst is taken.
func TestLimitsShared(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	r := limit.Rate{PerSecond: 0.001, Burst: 50}
	stores := []limit.Store{newLimits(t, srv).Buckets(limit.ClientRate, r), newLimits(t, srv).Buckets(limit.ClientRate, r)}
	var taken atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			tk, err := stores[i%2].Take(context.Background(), "c", 1)
			if err != nil {
				t.Errorf("Take: %v", err)
			}
			if tk.OK {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if n := taken.Load(); n != 50 {
		t.Errorf("200 requests at once through two servers, burst 50: %d taken", n)
	}
}

// TestLimitsExpire checks that a bucket's key has the documented name and
// expires once the bucket is full again: an idle client takes no memory.
func TestLimitsExpire(t *testing.T) {
	t.Parallel()
	l := newLimits(t, redistest.Start(t))
	ctx := context.Background()
	s := l.Buckets(limit.ClientRate, limit.Rate{PerSecond: 4, Burst: 5})
	for range 2 {
		if _, err := s.Take(ctx, "203.0.113.7", 1); err != nil {
			t.Fatal(err)
		}
	}
	const key = "httpstatus:limit:client-rate:203.0.113.7"
	ttl, err := l.c.PTTL(ctx, key).Result()
	if err != nil || ttl <= 0 || ttl > 500*time.Millisecond {
		t.Errorf("PTTL %s: %v %v, want the time to refill 2 tokens at 4 a second, at most 500ms", key, ttl, err)
	}
	time.Sleep(ttl + 50*time.Millisecond)
	if n, err := l.c.Exists(ctx, key).Result(); err != nil || n != 0 {
		t.Errorf("%s once its bucket is full again: exists %d %v, want gone", key, n, err)
	}
}

// TestLimitsFailOpen runs a limit on a real redis-server that then
// stops: requests are limited by the buckets in memory at once, the
// failure is counted and logged with its cause.
func TestLimitsFailOpen(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	var logged strings.Builder
	var failures atomic.Int64
	shared := limit.NewShared(newLimits(t, srv), slog.New(slog.NewTextHandler(&logged, nil)), func(string) { failures.Add(1) })
	l := limit.New(limit.ClientRate, "", limit.Rate{PerSecond: 0.001, Burst: 2}, 100, shared)
	// A request whose client went away still asks the store.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if tk := l.Take(gone, "a", 1); !tk.OK || tk.Left != 1 || failures.Load() != 0 {
		t.Errorf("a request with its context cancelled: %+v, %d failures; want taken from the store, 1 left, no failure", tk, failures.Load())
	}
	ctx := context.Background()
	for i, want := range []bool{true, false} {
		if tk := l.Take(ctx, "a", 1); tk.OK != want {
			t.Errorf("request %d of a burst of 2, shared: %+v, want taken %v", i+2, tk, want)
		}
	}
	srv.Stop()
	start := time.Now()
	for i, want := range []bool{true, true, false} {
		if tk := l.Take(ctx, "a", 1); tk.OK != want {
			t.Errorf("request %d with Redis stopped: %+v, want taken %v by the bucket in memory", i+1, tk, want)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("3 requests with Redis stopped took %v", d)
	}
	if failures.Load() != 1 || !strings.Contains(logged.String(), "limit store does not answer") || !strings.Contains(logged.String(), "redis "+srv.Addr+"/0: ") {
		t.Errorf("%d failures counted, log %q: want 1, and a warning naming the store", failures.Load(), logged.String())
	}
}
