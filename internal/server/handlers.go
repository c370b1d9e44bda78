package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/httpstatus/httpstatus/internal/compress"
	"github.com/httpstatus/httpstatus/internal/render"
)

// Header values of documentation pages, shared by every response (see
// body for why that is safe).
var (
	hVaryAll    = []string{"Accept, Accept-Encoding"}
	hVaryEnc    = []string{"Accept-Encoding"}
	hGzip       = []string{"gzip"}
	hBrotli     = []string{"br"}
	hAnyOrigin  = []string{"*"}
	hCachePage  = []string{"public, max-age=3600"}
	hCacheAsset = []string{"public, max-age=31536000, immutable"}
)

// handlePage serves documentation pages: home, classes, codes, codes.json,
// each in the format its extension or Accept asks for. A cached page costs
// no rendering, no compression and no allocation here.
func (s *Server) handlePage() http.Handler {
	cat := s.rnd.Catalog()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := render.ParsePath(cat, r.URL.Path)
		if !ok {
			s.notFound(w, r)
			return
		}
		h := w.Header()
		if p.Negotiable() {
			h["Vary"] = hVaryAll
			f, ok := negotiate(headerValue(r.Header, "Accept"))
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
		if p.Format == render.JSON {
			h["Access-Control-Allow-Origin"] = hAnyOrigin
		}
		h["Cache-Control"] = hCachePage
		serveBody(w, r, http.StatusOK, b)
	})
}

// headerValue returns the first value of the request header key, which
// must be in canonical form ("Accept-Encoding"): a map index, without the
// canonicalisation Header.Get does.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// serveBody writes a prepared body with its Content-Type, Content-Length
// and ETag, in brotli or gzip when the client accepts it, honouring
// If-None-Match and HEAD. Every header value is a precomputed slice; the
// answer depends on Accept-Encoding, so Vary says so.
func serveBody(w http.ResponseWriter, r *http.Request, status int, b *body) {
	h := w.Header()
	if _, ok := h["Vary"]; !ok {
		h["Vary"] = hVaryEnc
	}
	f := b.plain
	// Brotli first when the client names it: it is the smaller form.
	switch ae := headerValue(r.Header, "Accept-Encoding"); {
	case ae == "":
	case acceptsBrotli(ae) && b.encoded(codingBrotli) != nil:
		f = b.encoded(codingBrotli)
		h["Content-Encoding"] = hBrotli
	case acceptsGzip(ae) && b.encoded(codingGzip) != nil:
		f = b.encoded(codingGzip)
		h["Content-Encoding"] = hGzip
	}
	h["Content-Type"] = b.ctype
	if status == http.StatusOK {
		h["Etag"] = f.hTag
		if inm := headerValue(r.Header, "If-None-Match"); inm != "" && etagMatch(inm, f.etag) {
			delete(h, "Content-Type")
			delete(h, "Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h["Content-Length"] = f.hLen
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(f.data)
	}
}

func (s *Server) handleSearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		if len(q) > render.MaxQuery {
			s.serveError(w, r, http.StatusBadRequest, "The query is longer than "+strconv.Itoa(render.MaxQuery)+" bytes.")
			return
		}
		w.Header()["Vary"] = hVaryAll
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
		if f == render.JSON {
			w.Header()["Access-Control-Allow-Origin"] = hAnyOrigin
		}
		serveCompressed(w, r, http.StatusOK, f.ContentType(), out)
	})
}

// compressMin is the size from which an answer rendered for one request
// is compressed: search results, the instant search and the suggestions of
// the 404 page are mostly 1 to 10 KB, which brotli and gzip make two to
// three times smaller; below 1 KB the saving is a few hundred bytes.
const compressMin = 1024

// serveCompressed writes a body rendered for this request only, in brotli
// or gzip when the client accepts one and the body is at least compressMin
// bytes, with the same pooled encoders as the pages (internal/compress).
// The caller's Vary names Accept-Encoding.
func serveCompressed(w http.ResponseWriter, r *http.Request, status int, ctype string, data []byte) {
	if len(data) >= compressMin {
		var coding []string
		var zip func([]byte) ([]byte, error)
		switch ae := headerValue(r.Header, "Accept-Encoding"); {
		case ae == "":
		case acceptsBrotli(ae):
			coding, zip = hBrotli, compress.Brotli
		case acceptsGzip(ae):
			coding, zip = hGzip, compress.Gzip
		}
		if zip != nil {
			if z, err := zip(data); err == nil {
				w.Header()["Content-Encoding"] = coding
				data = z
			}
		}
	}
	serveRaw(w, r, status, ctype, data)
}

// serveRaw writes a body rendered for this request only.
func serveRaw(w http.ResponseWriter, r *http.Request, status int, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

func (s *Server) handleAsset() http.Handler {
	assets := map[string]*body{}
	for _, a := range s.rnd.Assets() {
		assets[a.Path] = newBody(a.ContentType, a.Body)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := assets[r.URL.Path]
		if !ok {
			s.notFound(w, r)
			return
		}
		w.Header()["Cache-Control"] = hCacheAsset
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

// handleSiteFile serves a file such as robots.txt, sitemap.xml or
// openapi.json, with the same bytes a static export holds. It is rendered
// once, by the first request for it: the sitemap lists every page, and a
// server's start need not wait for it. JSON may be read by any site's
// scripts, as the pages' JSON forms.
func (s *Server) handleSiteFile(ctype string, render func() []byte) http.Handler {
	b := sync.OnceValue(func() *body { return newBody(ctype, render()) })
	json := ctype == "application/json"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if json {
			w.Header()["Access-Control-Allow-Origin"] = hAnyOrigin
		}
		w.Header()["Cache-Control"] = hCachePage
		serveBody(w, r, http.StatusOK, b())
	})
}

func handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		serveRaw(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
	})
}

// handleReady answers 200 once every page is rendered (Warm), and 503
// before that, while shutting down (Drain) and while the shared sequence
// store does not answer, for load balancers. The shared limit store is
// not asked: the limits fail open without it (limits.go), and a server
// that can serve should not be taken out of service for it.
func (s *Server) handleReady() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case s.draining.Load():
			serveRaw(w, r, http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("shutting down\n"))
		case !s.ready.Load():
			serveRaw(w, r, http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("warming up\n"))
		case !s.storeReady(r.Context()):
			serveRaw(w, r, http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("sequence store ("+s.opts.SeqStore.String()+") does not answer\n"))
		default:
			serveRaw(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte("ready\n"))
		}
	})
}

// handleFallback answers what no other route took: OPTIONS on a page
// (204 with Allow), a page asked with another method than GET or HEAD
// (405), or a path that names nothing (404).
func (s *Server) handleFallback() http.Handler {
	cat := s.rnd.Catalog()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			_, page := render.ParsePath(cat, r.URL.Path)
			if page || r.URL.Path == "/search" || r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/") {
				w.Header().Set("Allow", allowPage)
				if r.Method == http.MethodOptions {
					// RFC 9110 §9.3.7: OPTIONS asks what the resource
					// allows; a 2xx with Allow and no content says it.
					w.WriteHeader(http.StatusNoContent)
					return
				}
				s.serveError(w, r, http.StatusMethodNotAllowed, "Method "+shortMethod(r.Method)+" is not allowed here: use GET or HEAD.")
				return
			}
		}
		s.notFound(w, r)
	})
}

// shortMethod is a request's method for an error message, cut short: a
// client may send any token as its method, of any length.
func shortMethod(m string) string {
	if len(m) > 20 {
		return m[:20] + "..."
	}
	return m
}
