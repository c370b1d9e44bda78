package live

import (
	"net/http"
	"slices"
	"strings"
)

// Methods lists the methods the endpoint answers, for Allow and for
// Access-Control-Allow-Methods. It answers any other method too (a
// preflight for one is allowed by name), but not TRACE or CONNECT, which
// the server refuses before routing.
const Methods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

// preflightMaxAge is how long, in seconds, a browser may keep a
// preflight's answer: a day, which browsers may shorten.
const preflightMaxAge = "86400"

// Header values of preflights, shared by every response.
var (
	hMethods = []string{Methods}
	hMaxAge  = []string{preflightMaxAge}
	hVaryPre = []string{"Access-Control-Request-Method, Access-Control-Request-Headers"}
)

// isPreflight reports whether r is a CORS preflight (Fetch standard,
// "CORS-preflight request"): OPTIONS with Origin and
// Access-Control-Request-Method. A plain OPTIONS is not one, and gets the
// status it asks for.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a CORS preflight with 204: any origin, every method
// the endpoint takes, and the request headers asked for that it accepts,
// so that a page elsewhere can send PUT or DELETE and
// X-HttpStatus-Response-* headers. The codes and options are not checked
// here: a bad one is a 400 to the actual request, which the page can read.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Access-Control-Allow-Origin"] = hStar
	h["Access-Control-Allow-Methods"] = hMethods
	if m := r.Header.Get("Access-Control-Request-Method"); isToken(m) && !knownMethod(m) {
		h["Access-Control-Allow-Methods"] = []string{Methods + ", " + m}
	}
	if hs := allowedHeaders(r.Header.Values("Access-Control-Request-Headers")); hs != "" {
		h.Set("Access-Control-Allow-Headers", hs)
	}
	h["Access-Control-Max-Age"] = hMaxAge
	h["Cache-Control"] = hNoStore
	h["Vary"] = hVaryPre
	w.WriteHeader(http.StatusNoContent)
}

// knownMethod reports whether m is listed in Methods or is one the
// endpoint refuses (TRACE, CONNECT; browsers send neither, nor TRACK).
func knownMethod(m string) bool {
	switch m {
	case "TRACE", "CONNECT", "TRACK":
		return true
	}
	return slices.Contains(strings.Split(Methods, ", "), m)
}

// allowedHeaders returns the names of Access-Control-Request-Headers that
// the endpoint accepts, joined by ", ": every field name but a request
// for a response header that may not be requested, which would be a 400.
func allowedHeaders(values []string) string {
	var out []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if isToken(name) && mayRequest(name) {
				out = append(out, name)
			}
		}
	}
	return strings.Join(out, ", ")
}

// isToken reports whether s is a token (RFC 9110 §5.6.2), the form of a
// field name and a method.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// exposed returns the value of Access-Control-Expose-Headers: every
// header the endpoint may send that a script cannot read without it (all
// but the CORS-safelisted ones): the catalog's, the requestable ones, and
// those it computes (Content-Range, Location, Link).
func exposed(catalogHeaders []string) string {
	safe := []string{"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires", "Last-Modified", "Pragma"}
	var names []string
	seen := map[string]bool{}
	for _, n := range slices.Concat(catalogHeaders, requestable, []string{"Content-Range", "Location", "Link", "RateLimit", "RateLimit-Policy"}) {
		key := http.CanonicalHeaderKey(n)
		if !slices.Contains(safe, key) && !seen[key] {
			seen[key] = true
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return strings.Join(names, ", ")
}
