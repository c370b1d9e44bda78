package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/httpstatus/httpstatus/internal/render"
)

// handlePage serves documentation pages: home, classes, codes, codes.json,
// each in the format its extension or Accept asks for.
func (s *Server) handlePage() http.Handler {
	cat := s.rnd.Catalog()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := render.ParsePath(cat, r.URL.Path)
		if !ok {
			s.notFound(w, r)
			return
		}
		if p.Negotiable() {
			w.Header().Set("Vary", "Accept, Accept-Encoding")
			f, ok := negotiate(r.Header.Get("Accept"))
			if !ok {
				s.serveError(w, r, http.StatusNotAcceptable, "This page is available as text/html, application/json and text/plain.")
				return
			}
			p.Format = f
		}
		b, err := s.page(p)
		if err != nil {
			s.serveError(w, r, http.StatusInternalServerError, "")
			s.log.Error("render page", "path", r.URL.Path, "err", err)
			return
		}
		if p.Format != render.HTML {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		serveBody(w, r, http.StatusOK, b)
	})
}

// serveBody writes a prepared body with its Content-Type, Content-Length
// and ETag, gzipped when the client accepts it, honouring If-None-Match
// and HEAD.
func serveBody(w http.ResponseWriter, r *http.Request, status int, b *body) {
	h := w.Header()
	data, etag := b.plain, b.etag
	if b.gz != nil {
		if v := h.Get("Vary"); v == "" {
			h.Set("Vary", "Accept-Encoding")
		}
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			data, etag = b.gz, b.gzTag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Type", b.ctype)
	if status == http.StatusOK {
		h.Set("ETag", etag)
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			h.Del("Content-Type")
			h.Del("Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip.
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && name != "*" {
			continue
		}
		k, v, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") && parseQ(strings.TrimSpace(v)) == 0 {
			return false
		}
		return true
	}
	return false
}

// etagMatch reports whether an If-None-Match value matches etag, using
// the weak comparison RFC 9110 §13.1.2 asks for.
func etagMatch(inm, etag string) bool {
	if strings.TrimSpace(inm) == "*" {
		return true
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag {
			return true
		}
	}
	return false
}

func (s *Server) handleSearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		if len(q) > 200 {
			s.serveError(w, r, http.StatusBadRequest, "The query is longer than 200 bytes.")
			return
		}
		w.Header().Set("Vary", "Accept")
		f := render.HTML
		if ff, ok := render.ParseFormat(r.URL.Query().Get("format")); ok {
			f = ff
		} else if ff, ok := negotiate(r.Header.Get("Accept")); ok {
			f = ff
		}
		out, err := s.rnd.Search(q, f)
		if err != nil {
			s.serveError(w, r, http.StatusInternalServerError, "")
			s.log.Error("render search", "err", err)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		serveRaw(w, r, http.StatusOK, f.ContentType(), out)
	})
}

// serveRaw writes a body rendered for this request only.
func serveRaw(w http.ResponseWriter, r *http.Request, status int, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

func (s *Server) handleAsset() http.Handler {
	assets := map[string]*body{}
	for _, a := range s.rnd.Assets() {
		b, err := newBody(a.ContentType, a.Body)
		if err != nil {
			panic(err) // gzip into memory cannot fail
		}
		assets[a.Path] = b
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := assets[r.URL.Path]
		if !ok {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		serveBody(w, r, http.StatusOK, b)
	})
}

// handleFavicon redirects to the hashed icon, for clients that ask for
// /favicon.ico without reading the page.
func (s *Server) handleFavicon() http.Handler {
	target := s.rnd.AssetURL("favicon.svg")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	})
}

func (s *Server) handleRobots() http.Handler {
	b, _ := newBody("text/plain; charset=utf-8", []byte("User-agent: *\nDisallow: /status/\n"))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveBody(w, r, http.StatusOK, b)
	})
}

func handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		serveRaw(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
	})
}

// handleFallback answers what no other route took: a page asked with a
// method other than GET or HEAD (405), or a path that names nothing (404).
func (s *Server) handleFallback() http.Handler {
	cat := s.rnd.Catalog()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			_, page := render.ParsePath(cat, r.URL.Path)
			if page || r.URL.Path == "/search" || r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/static/") {
				w.Header().Set("Allow", "GET, HEAD")
				s.serveError(w, r, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed here: use GET or HEAD.")
				return
			}
		}
		s.notFound(w, r)
	})
}
