package server

import (
	"net/http"

	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/render"
)

// addRoutes lists every URL the site answers. Documentation pages share one
// handler because a path such as "503.json", "5xx", "clients" or "guides/404-vs-410"
// is parsed by render.ParsePath; anything it does not name is a 404 page, a known path
// asked with OPTIONS is a 204 with Allow, and with another method a 405
// (handleFallback). Every route is described in /openapi.json or excluded
// from it by name (TestOpenAPIDescribesEveryRoute).
func (s *Server) addRoutes(mux router) {
	mux.Handle("GET /{$}", s.handlePage())
	mux.Handle("GET /{page}", s.handlePage())
	mux.Handle("GET /guides", s.handlePage())
	mux.Handle("GET /guides/{guide}", s.handlePage())
	mux.Handle("GET /clients", s.handlePage())
	mux.Handle("GET /search", s.handleSearch())
	mux.Handle("GET /static/{file}", s.handleAsset())
	mux.Handle("GET /favicon.ico", s.handleFavicon())
	mux.Handle("GET /robots.txt", s.handleSiteFile("text/plain; charset=utf-8", func() []byte { return s.rnd.Robots(s.baseURL()) }))
	mux.Handle("GET /sitemap.xml", s.handleSiteFile(render.SitemapContentType, func() []byte { return s.rnd.Sitemap(s.baseURL()) }))
	mux.Handle("GET "+openapi.Path, s.handleSiteFile(openapi.ContentType, func() []byte { return openapi.Document(s.rnd, s.liveOptions()...) }))
	mux.Handle("GET /healthz", handleHealth())
	mux.Handle("GET /readyz", s.handleReady())
	if !s.opts.SeparateMetrics {
		mux.Handle("GET /metrics", s.metrics.http)
	}
	live := s.handleStatus()
	mux.Handle(liveGETPattern, live)
	mux.Handle(livePattern, live)
	mux.Handle("/", s.handleFallback())
}

// router is what addRoutes registers routes with: an *http.ServeMux, or
// a test's list of the patterns.
type router interface {
	Handle(pattern string, h http.Handler)
}

// addCompatRoutes lists the URLs of the --live-addr listener: the live
// endpoint in httpstat.us's URL scheme, which live.NewCompat serves whole
// (handleCompat). The patterns are its routes, for the metrics and the
// log; anything else is its 404.
func (s *Server) addCompatRoutes(mux *http.ServeMux) {
	h := s.handleCompat()
	for _, p := range compatPatterns {
		mux.Handle(p, h)
	}
}

// compatPatterns are the routes of the --live-addr listener.
var compatPatterns = []string{
	"/{$}",
	"/{code}",
	"/{code}/{rest...}",
	"/random/{codes}",
	"/random/{codes}/{rest...}",
	"/im-a-teapot",
	livePattern,
	"/",
}

// The live endpoint answers every method and every path under /status/,
// under livePattern. It is also registered for GET of one path segment,
// the request nearly every client sends, for the router's sake: it looks in
// its GET tree first, so without liveGETPattern a GET of /status/503 would
// fail there before reaching the method-less pattern, and a "{codes...}"
// wildcard makes it look up "/status/503/" too, in case a redirect to it
// would match exactly. Both cost allocations on every request. The metrics
// count both patterns as one route, livePattern.
const (
	livePattern    = "/status/{codes...}"
	liveGETPattern = "GET /status/{codes}"
)

// allowPage is the Allow header of a page, /search, /healthz and the like,
// given with a 405 and to OPTIONS.
const allowPage = "GET, HEAD, OPTIONS"
