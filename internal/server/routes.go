package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/internal/render"
)

// addRoutes lists every URL the site answers. Documentation pages share one
// pattern because a path segment such as "503.json" or "5xx" is parsed by
// render.ParsePath; anything it does not name is a 404 page, and a known
// path asked with another method is a 405.
func (s *Server) addRoutes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", s.handlePage())
	mux.Handle("GET /{page}", s.handlePage())
	mux.Handle("GET /search", s.handleSearch())
	mux.Handle("GET /static/{file}", s.handleAsset())
	mux.Handle("GET /favicon.ico", s.handleFavicon())
	mux.Handle("GET /robots.txt", s.handleSiteFile("text/plain; charset=utf-8", s.rnd.Robots(s.baseURL())))
	mux.Handle("GET /sitemap.xml", s.handleSiteFile(render.SitemapContentType, s.rnd.Sitemap(s.baseURL())))
	mux.Handle("GET /healthz", handleHealth())
	mux.Handle("GET /readyz", s.handleReady())
	if !s.opts.SeparateMetrics {
		mux.Handle("GET /metrics", s.metrics.http)
	}
	mux.Handle("/status/{codes...}", s.handleStatus())
	mux.Handle("/", s.handleFallback())
}
