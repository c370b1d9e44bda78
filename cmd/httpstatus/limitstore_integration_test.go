//go:build integration

package main

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/redisstore/redistest"
)

// alternate sends n GETs of path from client to the servers in turn and
// returns how many were let through (not 429), which servers refused,
// and how long they all took; any status but want and 429, or an error,
// fails t.
func alternate(t *testing.T, client *http.Client, servers []*serveProc, path string, want, n int) (ok int, refusedBy map[string]bool, took time.Duration) {
	t.Helper()
	refusedBy = map[string]bool{}
	start := time.Now()
	for i := range n {
		p := servers[i%len(servers)]
		status, h, body, err := getWith(client, p.base+path)
		switch {
		case err != nil:
			t.Fatalf("GET %s%s: %v", p.base, path, err)
		case status == want:
			ok++
		case status == http.StatusTooManyRequests && h.Get("RateLimit") != "" && h.Get("Retry-After") != "":
			refusedBy[p.base] = true
		default:
			t.Errorf("GET %s%s: %d %v %q, want %d or a 429 with the RateLimit fields", p.base, path, status, h, body, want)
		}
	}
	return ok, refusedBy, time.Since(start)
}

// TestLimitStoreRedisIntegration runs two servers on one real
// redis-server with --limit-store: a client alternating between them
// meets --client-burst once in all, not once per server, and its byte
// budget too. Then Redis stops: each server limits the client on its
// own, at once, stays ready, and logs and counts why.
func TestLimitStoreRedisIntegration(t *testing.T) {
	const rate, burst = 5, 5
	redis := redistest.Start(t)
	bin := buildServe(t)
	args := []string{"--client-rate", fmt.Sprint(rate), "--client-burst", fmt.Sprint(burst), "--limit-store", redis.URL(),
		"--max-body", "1048576", "--client-max-bytes", "2097152"}
	servers := []*serveProc{startServeBin(t, bin, args...), startServeBin(t, bin, args...)}
	for _, p := range servers {
		if p.logged(`"msg":"limit store","store":"`+redis.Addr+`/0"`, 1) == 0 {
			t.Errorf("%s: the log does not name the limit store", p.base)
		}
	}
	// refilled bounds the tokens that came back in d.
	refilled := func(d time.Duration) int { return int(math.Ceil(d.Seconds() * rate)) }

	client := boundClient(abuserAddr, 1)
	ok, refusedBy, took := alternate(t, client, servers, "/503", http.StatusOK, 2*burst)
	t.Logf("shared: %d of %d let through in %v", ok, 2*burst, took)
	if ok < burst || ok > burst+refilled(took) || len(refusedBy) != 2 {
		t.Errorf("%d requests alternating between two servers: %d let through in %v, refused by %d servers; want %d (and at most %d come back) in all, refused by both",
			2*burst, ok, took, len(refusedBy), burst, refilled(took))
	}
	// A byte budget of two bodies a minute, shared: the third body is
	// refused by whichever server gets it.
	bytesClient := boundClient(normalAddr, 1)
	if ok, refusedBy, _ := alternate(t, bytesClient, servers, "/status/200?bytes=1048576", http.StatusOK, 3); ok != 2 || len(refusedBy) != 1 {
		t.Errorf("3 bodies of 1 MiB alternating, 2 MiB a minute shared: %d let through, want 2", ok)
	}

	// A Redis that does not answer, then one that is gone: each time
	// each server limits a new client on its own, without waiting on
	// Redis more than once, stays ready, and logs and counts why.
	redis.Pause()
	down(t, servers, boundClient("127.0.0.4", 1), burst, refilled)
	redis.Resume()
	time.Sleep(1100 * time.Millisecond) // a failed store is asked again once a second
	for _, p := range servers {
		if status, _, _, err := getWith(boundClient("127.0.0.5", 1), p.base+"/503"); err != nil || status != 200 {
			t.Errorf("%s once Redis answers again: %d %v", p.base, status, err)
		}
		if p.logged(`"msg":"limit store answers again: limits are shared again","store":"redis"`, 1) == 0 {
			t.Errorf("%s: the log does not say that the limit store answers again", p.base)
		}
	}
	redis.Stop()
	down(t, servers, boundClient("127.0.0.6", 1), burst, refilled)
	for _, p := range servers {
		if v := metricValue(t, p.base, `httpstatus_limit_store_errors_total{limit="client-rate"}`); v < 2 {
			t.Errorf("%s: httpstatus_limit_store_errors_total{limit=\"client-rate\"} %v, want at least 2", p.base, v)
		}
		want := `"msg":"limit store does not answer: each replica limits its clients on its own until it does","store":"redis","limit":"client-rate","err":"redis ` + redis.Addr + `/0: `
		if n := p.logged(want, 2); n != 2 {
			t.Errorf("%s: the log says %d times %s, want once for each outage", p.base, n, want)
		}
	}
}

// down checks each of servers while the limit store is down: client gets
// its burst from each server, then 429, with no request waiting long, and
// /readyz stays 200.
func down(t *testing.T, servers []*serveProc, client *http.Client, burst int, refilled func(time.Duration) int) {
	t.Helper()
	for _, p := range servers {
		ok, refusedBy, took := alternate(t, client, []*serveProc{p}, "/503", http.StatusOK, burst+2)
		t.Logf("%s with the limit store down: %d of %d let through in %v", p.base, ok, burst+2, took)
		if ok < burst || ok > burst+refilled(took) || !refusedBy[p.base] || took > 2*time.Second {
			t.Errorf("%s with the limit store down: %d of %d requests let through in %v; want its own burst of %d, then 429, at once", p.base, ok, burst+2, took, burst)
		}
		if status, _, _, err := getWith(http.DefaultClient, p.base+"/readyz"); err != nil || status != 200 {
			t.Errorf("%s/readyz with the limit store down: %d %v, want 200: the limits fail open", p.base, status, err)
		}
	}
}
