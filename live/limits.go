package live

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/internal/limit"
)

// The limits of bytes: the body bytes of bytes=N a client may be sent a
// minute (WithClientMaxBytes, beyond it a 429 with the RateLimit fields)
// and all clients together (WithMaxEgress, beyond it a 503).
//
// The limits of slow requests: at most WithMaxSlow of them at once for
// all clients (beyond it a 503), and at most WithClientMaxSlow for each
// client (beyond it a 429 with Retry-After and the RateLimit fields of
// draft-ietf-httpapi-ratelimit-headers-10), so that one client cannot
// take every slot. Who the client is, WithClientKey says.
//
// The byte budgets may be kept in a store shared with other servers
// (WithLimitStore); the slow slots are always the server's own: they
// count the requests it is serving now.

// WithClientKey says who the client of a request is, for the per-client
// limits: requests with the same key share them. The default is the
// address of the connection's peer; a server behind proxies passes the
// address they forward.
func WithClientKey(key func(*http.Request) string) Option {
	return func(c *config) {
		if key != nil {
			c.clientKey = key
		}
	}
}

// WithClientMaxSlow sets how many slow requests each client may have at
// once; beyond that a slow request gets 429 with Retry-After and the
// RateLimit fields. Zero or less, the default, is no per-client limit.
func WithClientMaxSlow(n int) Option {
	return func(c *config) { c.clientMaxSlow = max(n, 0) }
}

// WithRefused calls f for each request the handler refuses by a limit,
// with the limit's name ("max-slow", "client-max-slow"), so that a server
// can count them. f must be safe for concurrent use and quick.
func WithRefused(f func(r *http.Request, limit string)) Option {
	return func(c *config) {
		if f != nil {
			c.refused = f
		}
	}
}

// WithClientMaxBytes sets how many body bytes of bytes=N each client may
// be sent a minute, in a token bucket refilled evenly over the minute;
// beyond it a request gets 429 with Retry-After and the RateLimit fields.
// Zero or less, the default, is no per-client limit.
func WithClientMaxBytes(perMinute int64) Option {
	return func(c *config) { c.clientMaxBytes = max(perMinute, 0) }
}

// WithMaxEgress sets how many body bytes of bytes=N all clients together
// may be sent a minute; beyond it a request gets 503 with Retry-After.
// Zero or less, the default, is no limit.
func WithMaxEgress(perMinute int64) Option {
	return func(c *config) { c.maxEgress = max(perMinute, 0) }
}

// WithLimitStore keeps the byte budgets of WithClientMaxBytes and
// WithMaxEgress in s, shared with other servers, instead of in memory:
// the server of this module passes its limit store. While s does not
// answer, each server keeps its own budgets in memory (package limit).
// Nil, the default, keeps them in memory.
func WithLimitStore(s *limit.Shared) Option {
	return func(c *config) { c.limitStore = s }
}

// maxByteClients bounds how many clients' byte buckets are kept in
// memory; beyond it the least recently seen client starts again with a
// full bucket.
const maxByteClients = 100000

// egressKey is the one key of the budget of all clients (WithMaxEgress).
const egressKey = "all"

// newByteLimit returns a budget of perMinute bytes, kept in shared when
// it is not nil, or nil for no budget.
func newByteLimit(name string, perMinute int64, clients int, shared *limit.Shared) *limit.Limit {
	if perMinute <= 0 {
		return nil
	}
	r := limit.Rate{PerSecond: float64(perMinute) / 60, Burst: int(min(perMinute, math.MaxInt32))}
	return limit.New(name, limit.UnitBytes, r, clients, shared)
}

// takeBytes charges the body of bytes=N (sent dripped or at once) to the
// client's and to everyone's budget of bytes a minute, or answers the
// refusal itself and reports false. The client's budget comes first, so
// that a client over its own budget spends nothing of everyone's.
func (l *handler) takeBytes(w http.ResponseWriter, r *http.Request, p *params) bool {
	if !p.hasBytes || r.Method == http.MethodHead || p.bytes == 0 || (l.clientBytes == nil && l.egress == nil) {
		return true
	}
	n := int(min(p.bytes, math.MaxInt32))
	if l.clientBytes != nil {
		if t := l.clientBytes.Take(r.Context(), l.cfg.clientKey(r), n); !t.OK {
			l.cfg.refused(r, limit.ClientMaxBytes)
			limit.SetRefused(w.Header(), l.clientBytes.Policy(), t.Left, t.Wait)
			writeError(w, r, http.StatusTooManyRequests,
				fmt.Sprintf("Too many body bytes for your address (%s: at most %d a minute): try again in %s s.", limit.ClientMaxBytes, l.clientBytes.Policy().Quota, w.Header().Get("Retry-After")))
			return false
		}
	}
	if l.egress != nil {
		if t := l.egress.Take(r.Context(), egressKey, n); !t.OK {
			l.cfg.refused(r, limit.MaxEgress)
			w.Header().Set("Retry-After", strconv.FormatInt(max(int64(math.Ceil(t.Wait.Seconds())), 1), 10))
			writeError(w, r, http.StatusServiceUnavailable,
				fmt.Sprintf("The server sends at most %d body bytes a minute to all clients together (%s): try again in %s s.", l.egress.Policy().Quota, limit.MaxEgress, w.Header().Get("Retry-After")))
			return false
		}
	}
	return true
}

// peerKey is the default client key: the peer's address without port.
func peerKey(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// clientSlots counts each client's slow requests. It holds only the
// clients that have one now, so it is no larger than the global limit.
type clientSlots struct {
	max    int
	policy limit.Policy
	mu     sync.Mutex
	n      map[string]int
}

func newClientSlots(n int) *clientSlots {
	if n <= 0 {
		return nil
	}
	return &clientSlots{
		max:    n,
		policy: limit.Policy{Name: limit.ClientMaxSlow, Quota: int64(n), Unit: limit.UnitConcurrent},
		n:      map[string]int{},
	}
}

// take takes a slot of key's, and reports whether there was one.
func (c *clientSlots) take(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key] >= c.max {
		return false
	}
	c.n[key]++
	return true
}

// give gives a slot back to key.
func (c *clientSlots) give(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key] <= 1 {
		delete(c.n, key)
		return
	}
	c.n[key]--
}

// takeSlow takes a slow request's slots, the client's and one of all
// clients', or answers the refusal itself. It returns the function that
// gives them back, and false when it refused.
func (l *handler) takeSlow(w http.ResponseWriter, r *http.Request) (func(), bool) {
	var key string
	if l.clients != nil {
		key = l.cfg.clientKey(r)
		if !l.clients.take(key) {
			l.cfg.refused(r, limit.ClientMaxSlow)
			// A slot frees as soon as one of the client's slow requests
			// ends, which may be soon.
			limit.SetRefused(w.Header(), l.clients.policy, 0, time.Second)
			writeError(w, r, http.StatusTooManyRequests,
				fmt.Sprintf("Too many slow requests from your address (%s: at most %d at once): try again when one has ended.", limit.ClientMaxSlow, l.clients.max))
			return nil, false
		}
	}
	select {
	case l.slow <- struct{}{}:
	default:
		if l.clients != nil {
			l.clients.give(key)
		}
		l.cfg.refused(r, limit.MaxSlow)
		w.Header()["Retry-After"] = hSlowRetry
		writeError(w, r, http.StatusServiceUnavailable,
			fmt.Sprintf("Too many slow requests at once (at most %d may sleep): try again shortly.", cap(l.slow)))
		return nil, false
	}
	return func() {
		<-l.slow
		if l.clients != nil {
			l.clients.give(key)
		}
	}, true
}
