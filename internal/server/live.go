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
)

// statusAsker is a ResponseWriter that can be told the status is the
// client's request, not the server's outcome (for logging).
type statusAsker interface{ askedStatus() }

// handleStatus serves the live endpoint. Its statuses are the ones the
// client asks for, so a 500 it sends is not logged as the server's error;
// its own answers are a 400 for bad input and a 503 beyond MaxSlow, which
// observe does not log as errors either.
func (s *Server) handleStatus() http.Handler {
	h := live.New(s.liveOptions()...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := w.(statusAsker); ok {
			a.askedStatus()
		}
		h.ServeHTTP(w, r)
	})
}

// liveOptions are the settings of the live endpoint, which /openapi.json
// describes too.
func (s *Server) liveOptions() []live.Option {
	return []live.Option{
		live.WithCatalog(s.rnd.Catalog()),
		live.WithMaxSleep(s.opts.MaxSleep),
		live.WithMaxSlow(s.opts.MaxSlow),
	}
}
