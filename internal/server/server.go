// Package server serves the guide over HTTP.
//
// Documentation pages (/, /1xx ... /5xx, /{code}) are documents: they are
// served 200 OK whatever status they explain, in HTML, JSON or text chosen by
// the path's extension or by Accept. Each page is rendered once, on first
// use, and kept with its gzip form and ETag, so a request costs no template
// work and no compression. Error statuses are only the server's own
// outcomes: 404 for a path that names nothing, 406 for an Accept it cannot
// meet, 405 for a wrong method, 500 for a bug.
package server

import (
	"log/slog"
	"net/http"

	"github.com/httpstatus/httpstatus/internal/render"
)

// Options are the server's settings.
type Options struct {
	// Logger receives request logs and errors. Required.
	Logger *slog.Logger
}

// Server is the guide's HTTP handler with its page cache.
type Server struct {
	log     *slog.Logger
	rnd     *render.Renderer
	pages   *cache
	handler http.Handler
}

// New returns the handler of the whole site. It renders nothing up front;
// call Warm to fill the page cache ahead of traffic.
func New(rnd *render.Renderer, opts Options) *Server {
	s := &Server{log: opts.Logger, rnd: rnd, pages: newCache()}
	mux := http.NewServeMux()
	s.addRoutes(mux)
	s.handler = s.recoverPanics(s.logRequests(securityHeaders(mux)))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Warm renders every page of the catalog into the cache. It is safe to
// call while serving.
func (s *Server) Warm() error {
	for _, p := range s.rnd.Pages() {
		if _, err := s.page(p); err != nil {
			return err
		}
	}
	return nil
}
