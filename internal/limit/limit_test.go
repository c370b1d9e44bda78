package limit

import (
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestPolicyString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Policy
		want string
	}{
		{Policy{Name: ClientRate, Quota: 20, Window: 2 * time.Second}, `"client-rate";q=20;w=2`},
		{Policy{Name: ClientMaxSlow, Quota: 16, Unit: UnitConcurrent}, `"client-max-slow";q=16;qu="concurrent-requests"`},
		{Policy{Name: ClientMaxBytes, Quota: 104857600, Unit: UnitBytes, Window: time.Minute}, `"client-max-bytes";q=104857600;qu="content-bytes";w=60`},
		{Policy{Name: ClientRate, Quota: 1, Window: 1500 * time.Millisecond}, `"client-rate";q=1;w=2`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %s, want %s", tt.p, got, tt.want)
		}
	}
}

func TestSetRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		remaining  int64
		reset      time.Duration
		wantRetry  string
		wantLimits string
	}{
		{"rounded up", 0, 1200 * time.Millisecond, "2", `"client-rate";r=0;t=2`},
		{"at least a second", 0, time.Millisecond, "1", `"client-rate";r=0;t=1`},
		{"zero wait", 0, 0, "1", `"client-rate";r=0;t=1`},
		{"some left", 3, 30 * time.Second, "30", `"client-rate";r=3;t=30`},
		{"negative remaining", -2, time.Second, "1", `"client-rate";r=0;t=1`},
	}
	p := Policy{Name: ClientRate, Quota: 20, Window: 2 * time.Second}
	for _, tt := range tests {
		h := http.Header{}
		SetRefused(h, p, tt.remaining, tt.reset)
		if got := h.Get("Retry-After"); got != tt.wantRetry {
			t.Errorf("%s: Retry-After %q, want %q", tt.name, got, tt.wantRetry)
		}
		if got := h.Get("RateLimit"); got != tt.wantLimits {
			t.Errorf("%s: RateLimit %q, want %q", tt.name, got, tt.wantLimits)
		}
		if got := h.Get("RateLimit-Policy"); got != p.String() {
			t.Errorf("%s: RateLimit-Policy %q, want %q", tt.name, got, p.String())
		}
	}
}

func TestBucketsTake(t *testing.T) {
	t.Parallel()
	b := NewBuckets(Rate{PerSecond: 2, Burst: 3}, 100)
	a, c := "127.0.0.2", "127.0.0.3"
	now := time.Unix(1700000000, 0)
	for i := range 3 {
		if tk := b.takeAt(a, now, 1); !tk.OK {
			t.Fatalf("request %d of a burst of 3 refused", i+1)
		}
	}
	if tk := b.takeAt(a, now, 1); tk != (Taken{Wait: 500 * time.Millisecond}) {
		t.Errorf("4th request at once: %+v; want refused, 0 left, 500ms", tk)
	}
	if tk := b.takeAt(c, now, 1); !tk.OK || tk.Left != 2 {
		t.Errorf("another client's first request: %+v, want taken, 2 left", tk)
	}
	if tk := b.takeAt(a, now.Add(500*time.Millisecond), 1); !tk.OK {
		t.Errorf("a request once a token refilled refused")
	}
	if tk := b.takeAt(a, now.Add(500*time.Millisecond), 4); tk.OK || tk.Wait != 2*time.Second {
		t.Errorf("4 tokens from an empty bucket of 3: %+v; want refused, 2s", tk)
	}
}

func TestBucketsBounded(t *testing.T) {
	t.Parallel()
	const maxClients = 50
	b := NewBuckets(Rate{PerSecond: 1, Burst: 1}, maxClients)
	now := time.Unix(1700000000, 0)
	first := netip.MustParseAddr("10.0.0.0")
	b.takeAt(first.String(), now, 1)
	a := first
	for range 10 * maxClients {
		a = a.Next()
		b.takeAt(a.String(), now, 1)
	}
	if b.Len() != maxClients {
		t.Errorf("%d buckets kept, want at most %d", b.Len(), maxClients)
	}
	// The first client's bucket was dropped: it starts full again.
	if tk := b.takeAt(first.String(), now, 1); !tk.OK {
		t.Errorf("a dropped client's request refused")
	}
}

func TestNewPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, unit string
		r          Rate
		want       string
	}{
		{ClientRate, "", Rate{PerSecond: 2, Burst: 3}, `"client-rate";q=3;w=2`},
		{ClientRate, "", Rate{PerSecond: 100, Burst: 1}, `"client-rate";q=1;w=1`},
		{ClientMaxBytes, UnitBytes, Rate{PerSecond: 1000, Burst: 60000}, `"client-max-bytes";q=60000;qu="content-bytes";w=60`},
	}
	for _, tt := range tests {
		if got := New(tt.name, tt.unit, tt.r, 10, nil).Policy().String(); got != tt.want {
			t.Errorf("New(%s, %+v).Policy() = %s, want %s", tt.name, tt.r, got, tt.want)
		}
	}
}
