//go:build integration

package redisstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/redisstore/redistest"
)

// TestRedisStoreIntegration checks the store against a real redis-server:
// counts per key, atomic under concurrent requests, forgotten after the
// TTL, and an error naming the store once the server is gone.
func TestRedisStoreIntegration(t *testing.T) {
	srv := redistest.Start(t)
	s, err := New(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	for i, want := range []int64{1, 2, 3} {
		if got, err := s.Next(ctx, "a", time.Minute); err != nil || got != want {
			t.Errorf("request %d of a: %d %v, want %d", i+1, got, err, want)
		}
	}
	if got, err := s.Next(ctx, "b", time.Minute); err != nil || got != 1 {
		t.Errorf("first request of b: %d %v, want 1", got, err)
	}

	const n = 200
	seen := make([]bool, n+1)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			got, err := s.Next(ctx, "c", time.Minute)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || got < 1 || got > n || seen[got] {
				t.Errorf("concurrent request of c: %d %v, want a count of 1 to %d not given before", got, err, n)
				return
			}
			seen[got] = true
		})
	}
	wg.Wait()

	if got, err := s.Next(ctx, "d", 100*time.Millisecond); err != nil || got != 1 {
		t.Errorf("d: %d %v", got, err)
	}
	time.Sleep(300 * time.Millisecond)
	if got, err := s.Next(ctx, "d", 100*time.Millisecond); err != nil || got != 1 {
		t.Errorf("d after its TTL: %d %v, want 1: the key forgotten", got, err)
	}

	srv.Stop()
	start := time.Now()
	_, err = s.Next(ctx, "a", time.Minute)
	if want := fmt.Sprintf("redis %s/0", srv.Addr); err == nil || time.Since(start) > 2*time.Second || !strings.Contains(err.Error(), want) {
		t.Errorf("after the server stopped: %v after %v, want an error naming %s at once", err, time.Since(start), want)
	}
}
