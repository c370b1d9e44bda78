package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/live"
)

// The live endpoint, /status/{codes}, is the live package's handler: the
// same one Go tests embed with live.New. The server gives it the site's
// catalog and limits, and routes, counts and logs it like any route.

// Defaults of the live endpoint's limits (Options.MaxSleep, MaxSlow,
// MaxBody, SeqTTL, SeqMaxKeys).
const (
	DefaultMaxSleep   = live.DefaultMaxSleep
	DefaultMaxSlow    = live.DefaultMaxSlow
	DefaultMaxBody    = live.DefaultMaxBody
	DefaultSeqTTL     = live.DefaultSeqTTL
	DefaultSeqMaxKeys = live.DefaultSeqMaxKeys
	// DefaultClientMaxSlow is the default of "serve --client-max-slow":
	// a sixteenth of DefaultMaxSlow, so that it takes 16 clients to fill
	// the slots, and more than a test suite runs at once.
	DefaultClientMaxSlow = 16
	// DefaultClientMaxBytes is the default of "serve --client-max-bytes",
	// body bytes a minute: ten of the largest bytes=N by default.
	DefaultClientMaxBytes = 10 * DefaultMaxBody
	// DefaultMaxEgress is the default of "serve --max-egress", body bytes
	// a minute for all clients: ten clients at their own limit, about
	// 140 Mbit/s.
	DefaultMaxEgress = 10 * DefaultClientMaxBytes
)

// storePingTimeout bounds /readyz's check of the sequence store.
const storePingTimeout = 500 * time.Millisecond

// statusAsker is a ResponseWriter that can be told the status is the
// client's request, not the server's outcome (for logging).
type statusAsker interface{ askedStatus() }

// handleStatus serves the live endpoint. Its statuses are the ones the
// client asks for, so a 500 it sends is not logged as the server's error;
// its own answers are a 400 for bad input and a 503 beyond MaxSlow or
// when the sequence store does not answer, which observe does not log as
// errors either (the endpoint logs the store's failure itself), and a
// 429 beyond ClientMaxSlow for the client (clientKey), counted in the
// refusals metric.
func (s *Server) handleStatus() http.Handler {
	h := s.live
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := w.(statusAsker); ok {
			a.askedStatus()
		}
		h.ServeHTTP(w, r)
	})
}

// liveOptions are the live endpoint's settings from Options, the same for
// /status/ and the --live-addr listener, and for /openapi.json, which
// describes them.
func (s *Server) liveOptions() []live.Option {
	return []live.Option{
		live.WithCatalog(s.rnd.Catalog()),
		live.WithMaxSleep(s.opts.MaxSleep),
		live.WithMaxSlow(s.opts.MaxSlow),
		live.WithMaxBody(s.opts.MaxBody),
		live.WithSeqStore(s.opts.SeqStore),
		live.WithSeqTTL(s.opts.SeqTTL),
		live.WithSeqMaxKeys(s.opts.SeqMaxKeys),
		live.WithLogger(s.log),
		live.WithClientKey(s.liveClientKey),
		live.WithClientMaxSlow(s.opts.ClientMaxSlow),
		live.WithClientMaxBytes(s.opts.ClientMaxBytes),
		live.WithMaxEgress(s.opts.MaxEgress),
		live.WithLimitStore(s.shared),
		live.WithRefused(s.refused),
	}
}

// storeReady reports whether the sequence store answers, when there is
// one to share with other replicas; the log says why not.
func (s *Server) storeReady(ctx context.Context) bool {
	if s.opts.SeqStore == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, storePingTimeout)
	defer cancel()
	if err := s.opts.SeqStore.Ping(ctx); err != nil {
		s.log.Warn("not ready: the sequence store does not answer", "store", s.opts.SeqStore.String(), "err", err)
		return false
	}
	return true
}

// Buffered reports whether a GET or HEAD of path with the query rawQuery
// is answered by writing a response and returning, without flushing it or
// taking the connection over: every one but the live endpoint's drips,
// delayed bodies and faults (live.Buffered). Package fastpath serves only
// those (its Server.Query).
func (s *Server) Buffered(path, rawQuery string) bool {
	return !strings.HasPrefix(path, live.Prefix) || live.Buffered(rawQuery)
}
