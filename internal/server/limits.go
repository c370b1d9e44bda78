package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"

	"github.com/httpstatus/httpstatus/internal/clientid"
	"github.com/httpstatus/httpstatus/internal/limit"
)

// The per-client limits. Who the client is comes from Options.Clients
// (package clientid: the peer, or behind trusted proxies the address
// they forward). A client over its request rate gets a 429 before
// routing, with Retry-After and the RateLimit fields (package limit),
// and the refusal is counted by reason in the metrics. The limits the
// live endpoint keeps itself (slow requests and bytes a client may
// have) are given to it in handleStatus, with the same client key.
//
// Health checks and metrics scrapes (/healthz, /readyz, /metrics) are
// never limited: a load balancer or Prometheus asks them often from one
// address, and refusing them would take a healthy server out of
// service.
//
// With Options.LimitStore the request rate and the live endpoint's byte
// budgets are kept there, shared with the other replicas, and fail open
// to each replica's own buckets in memory while it does not answer
// (package limit says why); /readyz does not depend on it, unlike on the
// sequence store. Each failure is counted in
// httpstatus_limit_store_errors_total. A client's slow requests are
// counted by each replica on its own: they are connections it holds.

// DefaultMaxClients is how many clients' buckets are kept when
// Options.MaxClients is zero; beyond it the least recently seen client
// starts again with a full bucket.
const DefaultMaxClients = 100000

// exempt reports whether path is never limited.
func exempt(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// clientKey returns the key of r's client: its address, an IPv6 one as
// its /64.
func (s *Server) clientKey(r *http.Request) netip.Addr {
	return clientid.Key(s.opts.Clients.Client(r))
}

// logClient returns the client of r for the log: its address, or the
// RemoteAddr as given when that is no address.
func (s *Server) logClient(r *http.Request) string {
	if a := s.opts.Clients.Client(r); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}

// liveClientKey is clientKey as the limits' buckets and the live
// endpoint take it.
func (s *Server) liveClientKey(r *http.Request) string {
	return s.clientKey(r).String()
}

// newRateLimit returns the request limit of Options.ClientRate, kept in
// shared when it is not nil, or nil when the rate is not limited.
func newRateLimit(o Options, shared *limit.Shared) *limit.Limit {
	if o.ClientRate <= 0 {
		return nil
	}
	burst := o.ClientBurst
	if burst < 1 {
		burst = max(int(o.ClientRate), 1)
	}
	n := o.MaxClients
	if n <= 0 {
		n = DefaultMaxClients
	}
	return limit.New(limit.ClientRate, "", limit.Rate{PerSecond: o.ClientRate, Burst: burst}, n, shared)
}

// limitRate refuses, with 429, a request whose client has no token left
// in its bucket of Options.ClientRate. Without a rate it is next itself.
func (s *Server) limitRate(next http.Handler) http.Handler {
	if s.rate == nil {
		return next
	}
	p := s.rate.Policy()
	msg := fmt.Sprintf("Too many requests from your address (%s: %s a second, %d at once): try again in ", limit.ClientRate, strconv.FormatFloat(s.opts.ClientRate, 'f', -1, 64), p.Quota)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		t := s.rate.Take(r.Context(), s.liveClientKey(r), 1)
		if t.OK {
			next.ServeHTTP(w, r)
			return
		}
		s.refused(r, limit.ClientRate)
		limit.SetRefused(w.Header(), p, t.Left, t.Wait)
		s.serveError(w, r, http.StatusTooManyRequests, msg+w.Header().Get("Retry-After")+" s.")
	})
}

// refused counts a request refused by a limit, by reason (the limit's
// name).
func (s *Server) refused(_ *http.Request, reason string) {
	s.metrics.refusals.WithLabelValues(reason).Inc()
}
