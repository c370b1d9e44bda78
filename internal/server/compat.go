package server

import (
	"net/http"
)

// Compat returns the handler of the --live-addr listener: the live
// endpoint in httpstat.us's URL scheme, at the root (live.NewCompat), with
// the site's catalog, limits and middleware; its slow slots, byte budgets
// and sequences are the site's /status/ ones. Its requests are counted in
// the same metrics as the site's, under routes named "live-addr PATTERN"
// ("live-addr /{code}", "live-addr /random/{codes}", "live-addr
// unmatched" for a request refused before routing).
func (s *Server) Compat() http.Handler {
	mux := http.NewServeMux()
	s.addCompatRoutes(mux)
	keys := map[string]string{"": compatRoute + unmatched}
	for _, p := range compatPatterns {
		keys[p] = compatRoute + p
	}
	allow := func(string) string { return allowLive }
	return s.observeRoutes(s.recoverPanics(securityHeaders(s.limitRate(s.guardAllow(mux, allow)))), func(pattern string) string {
		if k, ok := keys[pattern]; ok {
			return k
		}
		return compatRoute + unmatched
	})
}

// compatRoute prefixes the route label of the --live-addr listener's
// requests.
const compatRoute = "live-addr "

// handleCompat serves httpstat.us's URL scheme. As on /status/, the
// statuses are the ones the client asks for.
func (s *Server) handleCompat() http.Handler {
	h := s.live.Compat()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, ok := w.(statusAsker); ok {
			a.askedStatus()
		}
		h.ServeHTTP(w, r)
	})
}
