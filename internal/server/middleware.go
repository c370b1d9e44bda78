package server

import (
	"bufio"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/live"
)

// ContentSecurityPolicy allows only the site's own scripts, styles, images
// and fetches, no inline code, no framing.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// The security headers every response carries. Each value is a shared,
// full slice (len == cap): Header.Set replaces it and Header.Add copies it,
// so no response can change another's, and a request allocates none.
var securityHeaderValues = [...]struct {
	key string
	val []string
}{
	{"Content-Security-Policy", []string{ContentSecurityPolicy}[:1:1]},
	{"X-Content-Type-Options", []string{"nosniff"}[:1:1]},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}[:1:1]},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}[:1:1]},
}

// securityHeaders sets the headers every response carries: a CSP with no
// inline code, no other hosts and no framing (frame-ancestors 'none', which
// makes X-Frame-Options redundant), nosniff, a referrer policy and an
// opener policy.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaderValues {
			h[kv.key] = kv.val
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the final status a handler wrote (not an
// interim 1xx), whether the client asked for it (the live endpoint), so
// that an asked-for 500 is not logged as the server's error, and whether
// the handler took the connection over (the live endpoint's faults).
type statusRecorder struct {
	http.ResponseWriter
	status int
	asked  bool
	taken  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// askedStatus marks the status as the one the client asked for.
func (r *statusRecorder) askedStatus() { r.asked = true }

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Hijack takes the connection over for the handler, and remembers that
// it did.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil {
		r.taken = true
	}
	return c, rw, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recorders holds statusRecorders between requests, so that observing a
// request allocates nothing. A handler never keeps its ResponseWriter past
// its return, so a recorder is free once the request is logged.
var recorders = sync.Pool{New: func() any { return new(statusRecorder) }}

// observe counts and times every request in the metrics, by route
// pattern and status (0 for none: a request whose handler broke the
// connection before any status, as the live endpoint's faults do), and
// logs it: at Debug (off by default, as a log line per request costs
// more than serving a cached page), or at Error for a
// 5xx that is the server's fault: not one the client asked for (the live
// endpoint) and not a 503, which the server gives on purpose (not ready
// yet, too many slow requests) and counts in the metrics. The client is
// logged as package clientid finds it; the query string, which may hold
// secrets, is never logged.
func (s *Server) observe(next http.Handler) http.Handler {
	return s.observeRoutes(next, sitePattern)
}

// sitePattern is the metrics key of a route of the site: its pattern.
func sitePattern(pattern string) string { return pattern }

// observeRoutes is observe with the metrics key of each route pattern
// given by key, which must map the patterns of a route table, and "",
// to a small set of keys.
func (s *Server) observeRoutes(next http.Handler, key func(pattern string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inFlight.Inc()
		rec := recorders.Get().(*statusRecorder)
		rec.ResponseWriter = w
		returned := false
		// Deferred so that a request whose handler aborts the connection
		// (http.ErrAbortHandler, re-panicked by recoverPanics) is counted.
		defer func() {
			defer func() {
				*rec = statusRecorder{}
				recorders.Put(rec)
			}()
			d := time.Since(start)
			s.metrics.inFlight.Dec()
			s.markServed()
			status := rec.status
			if status == 0 && returned && !rec.taken {
				status = http.StatusOK // nothing written: net/http sends 200
			}
			route := key(r.Pattern)
			s.metrics.observe(route, status, d)
			lvl := slog.LevelDebug
			if status >= 500 && status != http.StatusServiceUnavailable && !rec.asked {
				lvl = slog.LevelError
			}
			if s.log.Enabled(r.Context(), lvl) {
				s.log.LogAttrs(r.Context(), lvl, "request",
					slog.String("method", r.Method),
					slog.String("path", r.URL.Path),
					slog.String("route", routeLabel(route)),
					slog.Int("status", status),
					slog.Duration("dur", d),
					slog.String("client", s.logClient(r)))
			}
		}()
		next.ServeHTTP(rec, r)
		returned = true
	})
}

// recoverPanics turns a panic in a handler into a logged error and a short
// 500, so one bad request never takes the server down. The stack goes to
// the log, never to the client. If the handler had already sent its
// status, a 500 can no longer be sent: the connection is aborted instead,
// so the client sees a broken response rather than a wrong one.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec, ok := w.(*statusRecorder); ok && rec.status != 0 {
				panic(http.ErrAbortHandler)
			}
			// Headers the handler set for its own answer (Location,
			// Content-Type, ...) must not leak into the 500.
			h := w.Header()
			for k := range h {
				delete(h, k)
			}
			for _, kv := range securityHeaderValues {
				h[kv.key] = kv.val
			}
			s.serveError(w, r, http.StatusInternalServerError, "")
		}()
		next.ServeHTTP(w, r)
	})
}

// Limits on what a request may carry. Request heads as a whole are limited
// by http.Server.MaxHeaderBytes (431), and the time to send them by its
// timeouts; see cmd/httpstatus.
const (
	// MaxURIBytes is the longest request target (path and query) served;
	// longer gets 414.
	MaxURIBytes = 8 << 10
	// MaxBodyBytes is the largest request body accepted. No page reads a
	// body; a larger declared one gets 413, and reading past it fails.
	MaxBodyBytes = 64 << 10
)

// allowLive lists the methods of the live endpoint (it answers any method
// but TRACE and CONNECT) for the Allow header of a 405.
const allowLive = live.Methods

// guard answers requests that no route should see, before routing: TRACE
// and CONNECT (405), "*" targets (OPTIONS * gets 204 with Allow, any other
// method 400), a target over MaxURIBytes (414), a path with control bytes,
// dot segments (raw or percent-encoded) or encoded slashes (400), a query
// with bad percent-encoding (400) and a body over MaxBodyBytes (413).
// A request without a Host is served: RFC 9112 §3.2 requires Host of
// HTTP/1.1 only, which net/http refuses without one before any handler
// runs, and load balancers' health checks send HTTP/1.0 without it.
func (s *Server) guard(next http.Handler) http.Handler {
	return s.guardAllow(next, func(path string) string {
		if strings.HasPrefix(path, "/status/") {
			return allowLive
		}
		return allowPage
	})
}

// guardAllow is guard with the Allow header of a path (or of "*") given
// by allow.
func (s *Server) guardAllow(next http.Handler, allow func(path string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.RequestURI == "*" {
			if r.Method == http.MethodOptions {
				w.Header().Set("Allow", allow("*"))
				w.Header().Set("Content-Length", "0")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			s.serveError(w, r, http.StatusBadRequest, "The request target * is only for OPTIONS.")
			return
		}
		switch r.Method {
		case http.MethodTrace, http.MethodConnect:
			w.Header().Set("Allow", allow(r.URL.Path))
			s.serveError(w, r, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed.")
			return
		}
		if len(r.RequestURI) > MaxURIBytes {
			s.serveError(w, r, http.StatusRequestURITooLong, fmt.Sprintf("The request target is longer than %d bytes.", MaxURIBytes))
			return
		}
		if msg := checkPath(r.URL.Path, r.URL.EscapedPath()); msg != "" {
			s.serveError(w, r, http.StatusBadRequest, msg)
			return
		}
		if !validEscapes(r.URL.RawQuery) {
			s.serveError(w, r, http.StatusBadRequest, "The query string has a bad percent-encoding.")
			return
		}
		if r.ContentLength > MaxBodyBytes {
			w.Header().Set("Connection", "close")
			s.serveError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes))
			return
		}
		if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// checkPath returns why a request path is refused, or "" when it is fine.
// path is the decoded path and escaped its form on the wire. No page has
// control bytes, dot segments or slashes inside a segment, so such a path
// is a probe or a broken client: it gets a clear 400 rather than a
// redirect or a guess.
func checkPath(path, escaped string) string {
	for i := 0; i < len(path); i++ {
		if c := path[i]; c < 0x20 || c == 0x7f {
			return "The path holds a control character."
		}
	}
	// Dot segments: "/./", "/../", or one at the end.
	for i := 0; i < len(path); i++ {
		if path[i] != '/' {
			continue
		}
		seg := path[i+1:]
		if j := strings.IndexByte(seg, '/'); j >= 0 {
			seg = seg[:j]
		}
		if seg == "." || seg == ".." {
			return "The path holds a dot segment (. or ..)."
		}
	}
	if strings.IndexByte(escaped, '%') >= 0 {
		for i := 0; i+2 < len(escaped); i++ {
			if escaped[i] != '%' {
				continue
			}
			a, b := escaped[i+1], escaped[i+2]|0x20 // lower-case letter
			if a == '2' && b == 'f' || a == '5' && b == 'c' {
				return "The path holds an encoded slash or backslash."
			}
		}
	}
	return ""
}

// validEscapes reports whether every % in s starts a %XX escape.
func validEscapes(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		j := strings.IndexByte(s[i+3:], '%')
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
