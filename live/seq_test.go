package live

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLiveSeq checks that a sequence plays its codes in order for each
// key, keeps its last code after the end, or starts over with seq-loop.
func TestLiveSeq(t *testing.T) {
	t.Parallel()
	h := New()
	codes := func(target string, n int) string {
		var got []string
		for range n {
			w := &finalWriter{h: http.Header{}}
			h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
			got = append(got, fmt.Sprint(w.status))
		}
		return strings.Join(got, ",")
	}
	for _, tt := range []struct {
		target string
		n      int
		want   string
	}{
		{"/status/503,503,200?seq=a", 5, "503,503,200,200,200"},
		{"/status/503,503,200?seq=b", 2, "503,503"},
		{"/status/503,503,200?seq=a", 1, "200"}, // a is past its end
		{"/status/500,200?seq=c&seq-loop=1", 5, "500,200,500,200,500"},
		{"/status/429?seq=d", 3, "429,429,429"},
		{"/status/503,503,200?seq=b", 2, "200,200"}, // b went on from where it was
		{"/status/103,204?seq=e", 2, "200,204"},     // 103 is interim, then 200
		{"/status/200,201,202?seq=f&seq-loop=0", 4, "200,201,202,202"},
	} {
		if got := codes(tt.target, tt.n); got != tt.want {
			t.Errorf("%d × %s: %s, want %s", tt.n, tt.target, got, tt.want)
		}
	}
}

// TestLiveSeqConcurrent checks that concurrent requests of one key each
// get a different step: the counter is atomic.
func TestLiveSeqConcurrent(t *testing.T) {
	t.Parallel()
	h := New()
	const n = maxChoices
	list := make([]string, n)
	for i := range list {
		list[i] = fmt.Sprint(200 + i)
	}
	target := "/status/" + strings.Join(list, ",") + "?seq=k"
	seen := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
			seen <- rec.Code
		})
	}
	wg.Wait()
	close(seen)
	got := map[int]bool{}
	for c := range seen {
		got[c] = true
	}
	if len(got) != n {
		t.Errorf("%d concurrent requests of one sequence got %d distinct codes, want %d", n, len(got), n)
	}
}

// TestMemStore checks the in-memory store's bounds: a key forgotten
// after its TTL, and the least recently used dropped beyond its size.
func TestMemStore(t *testing.T) {
	t.Parallel()
	var now time.Duration
	s := newMemStore(3)
	s.clock = func() time.Duration { return now }
	ctx := context.Background()
	const ttl = time.Minute
	step := func(key string, want int64) {
		t.Helper()
		if got, err := s.Next(ctx, key, ttl); err != nil || got != want {
			t.Errorf("at %v, Next(%q) = %d, %v; want %d", now, key, got, err, want)
		}
	}
	step("a", 1)
	step("a", 2)
	step("b", 1)
	step("c", 1)
	step("a", 3) // a is now the most recently used
	step("d", 1) // drops b, the least recently used
	step("b", 1)
	if s.len() != 3 {
		t.Errorf("%d keys held, want at most 3", s.len())
	}
	now += ttl - time.Second
	step("a", 4) // within its TTL
	now += 2 * time.Second
	step("d", 1) // d's TTL passed, a's did not
	step("a", 5)
	now += 2 * ttl
	step("x", 1) // every other key expired and was dropped
	if s.len() != 1 {
		t.Errorf("%d keys held after the others expired, want 1", s.len())
	}
}

// TestMemStoreMemory measures the heap that DefaultSeqMaxKeys keys take,
// each a 36-byte key (a UUID), and holds it to a bound.
func TestMemStoreMemory(t *testing.T) {
	const keys = DefaultSeqMaxKeys
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := newMemStore(keys)
	ctx := context.Background()
	for i := range keys {
		s.Next(ctx, fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), DefaultSeqTTL)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d keys: %.1f MiB of heap, %d bytes a key", s.len(), float64(held)/(1<<20), held/int64(keys))
	if s.len() != keys || held > 40<<20 {
		t.Errorf("%d keys take %d bytes, want %d keys in at most 40 MiB", s.len(), held, keys)
	}
	runtime.KeepAlive(s)
}

// stuckStore is a SeqStore that answers only when its context ends, as a
// store on a host that does not answer.
type stuckStore struct{}

func (stuckStore) Next(ctx context.Context, _ string, _ time.Duration) (int64, error) {
	<-ctx.Done()
	return 0, fmt.Errorf("stuck 10.0.0.1:6379: %w", ctx.Err())
}
func (stuckStore) Ping(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
func (stuckStore) String() string                 { return "stuck" }

// TestLiveSeqStoreDown checks that a store that does not answer is a 503
// naming it, within the store's timeout, with the reason in the log and
// no address in the answer.
func TestLiveSeqStoreDown(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	h := New(WithSeqStore(stuckStore{}), WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	start := time.Now()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/status/503,200?seq=k", nil))
	d := time.Since(start)
	body := rec.Body.String()
	if rec.Code != 503 || !strings.Contains(body, "sequence store (stuck)") || strings.Contains(body, "10.0.0.1") || rec.Header().Get("Retry-After") == "" {
		t.Errorf("store down: %d %q %v, want a 503 naming the store, with Retry-After", rec.Code, body, rec.Header())
	}
	if d < seqTimeout || d > seqTimeout+time.Second {
		t.Errorf("store down: answered after %v, want after the store's timeout of %v", d, seqTimeout)
	}
	if !strings.Contains(log.String(), "level=ERROR msg=\"sequence store\" store=stuck err=\"stuck 10.0.0.1:6379: context deadline exceeded\"") {
		t.Errorf("log %q does not say why", log.String())
	}
	// Without seq, the store is not asked.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/status/503,503?sleep=1", nil))
	if rec.Code != 503 || rec.Header().Get("Retry-After") != "5" {
		t.Errorf("without seq: %d %v, want the 503 asked for", rec.Code, rec.Header())
	}
}

// getWithRetry is a client's retry loop, as a test of a client would
// write it: up to tries requests while the answer is a 5xx.
func getWithRetry(client *http.Client, url string, tries int) (int, error) {
	for i := 1; ; i++ {
		res, err := client.Get(url)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		if res.StatusCode < 500 || i == tries {
			return res.StatusCode, nil
		}
	}
}

// TestLiveSeqRetry is the retry test a client library writes: with three
// tries it gets through "fail twice, then succeed", and it does not get
// through a server that always fails.
func TestLiveSeqRetry(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New())
	defer ts.Close()
	if code, err := getWithRetry(ts.Client(), ts.URL+"/status/503,503,200?seq="+t.Name(), 3); err != nil || code != 200 {
		t.Errorf("3 tries of fail twice, then succeed: %d %v, want 200", code, err)
	}
	if code, err := getWithRetry(ts.Client(), ts.URL+"/status/503,503,200?seq="+t.Name()+"-2", 2); err != nil || code != 503 {
		t.Errorf("2 tries of fail twice, then succeed: %d %v, want 503", code, err)
	}
	if code, err := getWithRetry(ts.Client(), ts.URL+"/status/503", 3); err != nil || code != 503 {
		t.Errorf("3 tries of always 503: %d %v, want 503", code, err)
	}
}
