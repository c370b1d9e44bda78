package server_test

import (
	"testing"
)

// allocBudget is the allocations a hot path may make in the handler, by
// hotPaths name: search renders per request, and a random status may
// differ, so they are timed, not budgeted.
var allocBudget = map[string]float64{
	"doc page":        1,
	"doc page gzip":   1,
	"doc page 304":    1,
	"negotiated json": 1,
	"negotiated text": 1,
	"json extension":  1,
	"class page":      1,
	"home":            0, // "/" has no path value to match
	// The live endpoint: the router's path value.
	"status 503": 1,
}

// TestAllocBudget holds the hot paths to an allocation budget, through
// the whole handler: middleware, router, negotiation, page cache.
// Allocation counts, unlike times, are the same on every machine, so a
// change that makes serving a cached page allocate fails here. The page
// handler and the middleware allocate nothing (the status recorder comes
// from a pool); what the budget allows is the router's match of a path
// value ("GET /{page}"), which net/http allocates.
func TestAllocBudget(t *testing.T) {
	s := newServer(t)
	for _, p := range hotPaths {
		max, ok := allocBudget[p.name]
		if !ok {
			continue
		}
		req, w := p.request(), newDiscardWriter()
		s.ServeHTTP(w, req) // the first request renders and caches
		if p.wantStatus != 0 && w.status != p.wantStatus {
			t.Fatalf("%s %s: status %d, want %d", p.method, p.target, w.status, p.wantStatus)
		}
		got := testing.AllocsPerRun(200, func() {
			w.reset()
			s.ServeHTTP(w, req)
		})
		if got > max {
			t.Errorf("%s (%s %s): %.0f allocations per request, budget %.0f", p.name, p.method, p.target, got, max)
		}
	}
}
