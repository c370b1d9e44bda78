package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/internal/render"
)

// notFound answers 404 with a page of the closest matches, in the format
// the client accepts.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	f, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		f = render.Text
	}
	out, err := s.rnd.NotFound(r.URL.Path, f)
	if err != nil {
		s.log.Error("render 404", "path", r.URL.Path, "err", err)
		s.serveError(w, r, http.StatusInternalServerError, "")
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Vary", "Accept")
	serveRaw(w, r, http.StatusNotFound, f.ContentType(), out)
}

// serveError answers with the server's own error status and a one-line
// message, never internal details. An empty msg gives the status text.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if msg == "" {
		msg = http.StatusText(status) + "."
	}
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	serveRaw(w, r, status, "text/plain; charset=utf-8", []byte(msg+"\n"))
}
