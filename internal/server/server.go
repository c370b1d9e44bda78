// Package server serves the guide over HTTP.
//
// Documentation pages (/, /1xx ... /5xx, /{code}, /guides,
// /guides/{name} and /clients) are documents: they are
// served 200 OK whatever status they explain, in HTML, JSON or text chosen by
// the path's extension or by Accept. Each page is rendered once (by Warm,
// or on first use) and kept with its ETag and header values; its gzip and
// brotli forms are made on the first request that wants each. A request
// for a cached page costs no template work, no compression and no
// allocation in the handler (cache.go, allocation budget in
// alloc_test.go). Error statuses are only the server's own
// outcomes: 404 for a path that names nothing, 406 for an Accept it cannot
// meet, 405 for a wrong method, 400, 413 or 414 for a request refused
// before routing (middleware.go), 503 from /readyz until the cache is warm,
// 500 for a bug. The one exception is the live endpoint, /status/{codes}
// (live.go), which answers with the status the client asks for.
//
// Every response passes through the middleware: request limits, the
// per-client request rate (limits.go), security headers, panic recovery,
// and metrics (metrics.go) with request logging.
//
// # Handlers under the fast path
//
// "httpstatus serve" puts package fastpath in front of this handler unless
// it runs with --fast-path=false: a plain HTTP/1.1 GET or HEAD request (an
// origin-form path with no percent-encoding, a query without
// percent-encoding or semicolons that Buffered accepts, one Host, no
// body, a head under 4 KB) is read by fastpath and answered through its
// own ResponseWriter; every other request, and the rest of its
// connection, goes to net/http. TestFastPathSameAsNetHTTP holds the two
// to the same bytes. So every handler here keeps to what both allow:
//
//   - The *http.Request, its URL and Header, and the ResponseWriter's
//     Header map belong to the connection and are reused for its next
//     request: a handler must not keep them after it returns, nor hand
//     them to a goroutine that outlives it.
//   - r.Context() is the connection's: it ends when the connection closes
//     or the client goes away, not when the handler returns. fastpath
//     watches for the client going away from the handler's first call to
//     the context's Done: a handler that waits (select on Done, or a
//     context derived from r.Context()) stops waiting when its client
//     leaves, as under net/http. A wrapping ResponseWriter must have an
//     Unwrap method (statusRecorder has): the live endpoint's ?sleep finds
//     fastpath's WaitForClient through it, which waits without a second
//     goroutine.
//   - The ResponseWriter is no http.Flusher or http.Hijacker and sends no
//     trailers; http.ResponseController's methods return
//     http.ErrNotSupported. The body is buffered and goes out with a
//     Content-Length when the handler returns (with a Content-Length set
//     by the handler, in 64 KB pieces), so nothing reaches the client
//     earlier.
//   - http.Server's ConnState and ConnContext are called only for the
//     connections fastpath hands to net/http; its timeouts, limits,
//     BaseContext and ErrorLog apply to both.
//
// A handler that must flush or hijack is reached only through net/http:
// Buffered, which fastpath asks about each request with a query, refuses
// the live endpoint's drips, delayed bodies and faults (live.Buffered); a
// new handler that flushes or hijacks must be refused there too.
package server

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/httpstatus/httpstatus/internal/clientid"
	"github.com/httpstatus/httpstatus/internal/limit"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/live"
)

// Options are the server's settings.
type Options struct {
	// Logger receives request logs and errors. Required.
	Logger *slog.Logger
	// MaxSleep caps the ?sleep option of /status; zero means
	// DefaultMaxSleep.
	MaxSleep time.Duration
	// MaxSlow is how many /status requests may sleep, drip, delay their
	// body, fault or follow a sequence at once; beyond it they get 503
	// with Retry-After. Zero means DefaultMaxSlow.
	MaxSlow int
	// MaxBody caps ?bytes=N of /status; zero means DefaultMaxBody.
	MaxBody int64
	// SeqStore keeps the counters of ?seq=KEY of /status, shared with
	// other replicas; /readyz answers 503 while it does not answer. Nil
	// keeps them in memory, bounded by SeqTTL and SeqMaxKeys.
	SeqStore live.SeqStore
	// SeqTTL is how long a sequence key is kept after its last request;
	// zero means DefaultSeqTTL.
	SeqTTL time.Duration
	// SeqMaxKeys bounds the in-memory sequence store; zero means
	// DefaultSeqMaxKeys.
	SeqMaxKeys int
	// Version names the running build in httpstatus_build_info.
	Version string
	// SeparateMetrics leaves /metrics off the site, for serving Metrics()
	// on an address of its own.
	SeparateMetrics bool
	// Clients says who the client of a request is, for the per-client
	// limits and the log: the peer, or the address trusted proxies
	// forward. Nil takes the peer.
	Clients *clientid.Resolver
	// ClientRate is how many requests a second each client may make, in
	// a token bucket of ClientBurst; beyond it a request gets 429 (see
	// limits.go). Zero or less is no limit.
	ClientRate float64
	// ClientBurst is the size of each client's bucket; zero or less
	// means ClientRate rounded down, at least 1.
	ClientBurst int
	// ClientMaxSlow is how many of the MaxSlow slow requests one client
	// may have at once; beyond it they get 429. Zero or less is no
	// per-client limit.
	ClientMaxSlow int
	// ClientMaxBytes is how many body bytes of bytes=N one client may be
	// sent a minute; beyond it 429. MaxEgress is the same for all clients
	// together; beyond it 503. Zero or less is no limit.
	ClientMaxBytes, MaxEgress int64
	// MaxClients bounds how many clients' buckets are kept in memory;
	// zero means DefaultMaxClients.
	MaxClients int
	// LimitStore keeps the buckets of ClientRate, ClientMaxBytes and
	// MaxEgress, shared with other replicas; while it does not answer
	// each replica limits on its own, in memory (limits.go), and /readyz
	// does not depend on it. Nil keeps them in memory.
	LimitStore limit.Backend
	// BaseURL is the absolute URL of the site ("https://example.org"),
	// named by sitemap.xml and robots.txt. Empty means
	// render.DefaultBaseURL.
	BaseURL string
}

// Server is the guide's HTTP handler with its page cache.
type Server struct {
	log   *slog.Logger
	opts  Options
	rnd   *render.Renderer
	pages *cache
	// live is the live endpoint of /status/ and of Compat's listener.
	live    *live.Handler
	handler http.Handler
	metrics *metrics
	// rate holds each client's bucket of ClientRate, or is nil.
	rate *limit.Limit
	// shared is Options.LimitStore as the limits use it, or nil.
	shared *limit.Shared
	// ready is set once Warm has rendered every page, draining once
	// Drain is called; /readyz answers 200 only when ready and not
	// draining.
	ready, draining atomic.Bool

	// served is closed when the first response has been written.
	served     chan struct{}
	servedOnce sync.Once
}

// New returns the handler of the whole site. It renders nothing up front;
// call Warm to fill the page cache ahead of traffic.
func New(rnd *render.Renderer, opts Options) *Server {
	s := &Server{log: opts.Logger, opts: opts, rnd: rnd, pages: newCache(), metrics: newMetrics(opts.Version), served: make(chan struct{})}
	if opts.LimitStore != nil {
		s.shared = limit.NewShared(opts.LimitStore, opts.Logger, s.metrics.storeFailed)
	}
	s.rate = newRateLimit(opts, s.shared)
	if s.rate != nil {
		s.metrics.trackClients(s.rate.Len)
	}
	s.live = live.New(s.liveOptions()...)
	mux := http.NewServeMux()
	s.addRoutes(mux)
	s.handler = s.middleware(mux)
	return s
}

// middleware wraps h in what every response passes through, outermost
// first: metrics and logging, panic recovery, security headers, the
// per-client request rate, and the checks of a request before routing.
func (s *Server) middleware(h http.Handler) http.Handler {
	return s.observe(s.recoverPanics(securityHeaders(s.limitRate(s.guard(h)))))
}

func (s *Server) baseURL() string {
	if s.opts.BaseURL == "" {
		return render.DefaultBaseURL
	}
	return s.opts.BaseURL
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Warm renders every page the cache keeps, then marks the server ready
// (/readyz). It is safe to call while serving.
func (s *Server) Warm() error {
	for _, p := range s.rnd.Pages() {
		if !s.keeps(p) {
			continue
		}
		if _, err := s.page(p); err != nil {
			return err
		}
	}
	s.ready.Store(true)
	return nil
}

// Served returns a channel that is closed once the server has answered
// its first request: a caller can hold background work, such as Warm,
// until then, so that the first request does not compete with it.
func (s *Server) Served() <-chan struct{} { return s.served }

// markServed closes served after the first response; after that it is
// sync.Once's one atomic load.
func (s *Server) markServed() { s.servedOnce.Do(func() { close(s.served) }) }

// Drain marks the server as shutting down: /readyz answers 503 from now
// on, so a load balancer stops sending new requests. Requests are still
// served.
func (s *Server) Drain() { s.draining.Store(true) }
