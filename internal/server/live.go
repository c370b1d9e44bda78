package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/live"
)

// The live endpoint, /status/{codes}, is the live package's handler: the
// same one Go tests embed with live.New. The server gives it the site's
// catalog and limits, and routes, counts and logs it like any route.

// Defaults of the live endpoint's limits (Options.MaxSleep, MaxSlow).
const (
	DefaultMaxSleep = live.DefaultMaxSleep
	DefaultMaxSlow  = live.DefaultMaxSlow
	// DefaultClientMaxSlow is the default of "serve --client-max-slow":
	// a sixteenth of DefaultMaxSlow, so that it takes 16 clients to fill
	// the slots, and more than a test suite runs at once.
	DefaultClientMaxSlow = 16
)

// statusAsker is a ResponseWriter that can be told the status is the
// client's request, not the server's outcome (for logging).
type statusAsker interface{ askedStatus() }

// handleStatus serves the live endpoint. Its statuses are the ones the
// client asks for, so a 500 it sends is not logged as the server's error;
// its own answers are a 400 for bad input, a 503 beyond MaxSlow, which
// observe does not log as errors either, and a 429 beyond ClientMaxSlow
// for the client (clientKey), counted in the refusals metric.
func (s *Server) handleStatus() http.Handler {
	h := live.New(
		live.WithCatalog(s.rnd.Catalog()),
		live.WithMaxSleep(s.opts.MaxSleep),
		live.WithMaxSlow(s.opts.MaxSlow),
		live.WithClientKey(s.liveClientKey),
		live.WithClientMaxSlow(s.opts.ClientMaxSlow),
		live.WithRefused(s.refused),
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := w.(statusAsker); ok {
			a.askedStatus()
		}
		h.ServeHTTP(w, r)
	})
}
