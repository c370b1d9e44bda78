package live

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ResponseHeaderPrefix marks a request header that asks for a response
// header, httpstat.us style: "X-HttpStatus-Response-Retry-After: 120"
// asks for "Retry-After: 120".
const ResponseHeaderPrefix = "X-HttpStatus-Response-"

// Bounds of the requested response headers.
const (
	maxReqHeader = 8   // requested response headers
	maxHeaderLen = 256 // bytes in a requested header value
)

// requestable lists the response headers a client may ask for with
// ResponseHeaderPrefix. Anything that could change how the site itself is
// treated (cookies, CORS, CSP, content type, framing, redirects elsewhere)
// is left out.
var requestable = []string{
	"Age", "Cache-Control", "Content-Language", "ETag", "Expires",
	"Last-Modified", "Link", "Retry-After", "Vary", "WWW-Authenticate",
}

// params are what one request asks for beyond its codes: the query
// options and the requested response headers.
type params struct {
	sleep   time.Duration
	headers [][2]string // canonical name, value
	noBody  bool        // send the status without its body (compat.go)
}

// A queryOption is one option of the query string. Names match without
// regard to case; a name that is not here is ignored (a cache-buster such
// as "_=1700000000"), but a known one is strict: given twice or with a bad
// value, it is a 400 that says why. A new option (fault=, bytes=, ...) is
// one more row of queryOptions and one more field of params. Its doc is
// what Params tells about it, so documents that describe the endpoint
// (the site's /openapi.json) list it from this row.
type queryOption struct {
	name  string
	parse func(p *params, v string, c *config) error
	doc   func(c *config) Param
}

var queryOptions = []queryOption{
	{"sleep", parseSleep, msDoc("Milliseconds to wait before the final response (an interim 1xx goes out first). " +
		"A client that goes away ends the wait. Beyond the number of requests that may sleep at once, the answer is the endpoint's own 503 with Retry-After: 1.")},
}

// parseParams reads the query options and the requested response headers
// of a request.
func parseParams(rawQuery string, hdr http.Header, c *config) (params, error) {
	if rawQuery == "" && !asksHeaders(hdr) {
		return params{}, nil // the usual request: nothing to parse, no allocation
	}
	return parseAll(rawQuery, hdr, c)
}

// parseAll is parseParams for a request that has options to read.
func parseAll(rawQuery string, hdr http.Header, c *config) (params, error) {
	var p params
	if rawQuery != "" {
		if err := parseQuery(&p, rawQuery, c); err != nil {
			return p, err
		}
	}
	if asksHeaders(hdr) {
		var err error
		if p.headers, err = parseRequested(hdr); err != nil {
			return p, err
		}
	}
	return p, nil
}

// parseQuery reads the known options of a query string into p.
func parseQuery(p *params, rawQuery string, c *config) error {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return errors.New("malformed query string: want name=value pairs joined by &, with %XX escapes")
	}
	for _, o := range queryOptions {
		var vs []string
		for k, v := range q {
			if strings.EqualFold(k, o.name) {
				vs = append(vs, v...)
			}
		}
		switch {
		case len(vs) > 1:
			return fmt.Errorf("the %s option is given %d times: give it once", o.name, len(vs))
		case len(vs) == 1:
			if err := o.parse(p, vs[0], c); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseSleep reads sleep=MS: milliseconds to wait before the final
// response, up to the handler's cap.
func parseSleep(p *params, v string, c *config) error {
	if !isDigits(v) {
		return fmt.Errorf("bad sleep %s: want milliseconds, such as sleep=500", quote(v))
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms > c.maxSleep.Milliseconds() {
		return fmt.Errorf("a sleep of %s ms is over the cap of %d ms", cut(v), c.maxSleep.Milliseconds())
	}
	p.sleep = time.Duration(ms) * time.Millisecond
	return nil
}

// parseRequested reads the requested response headers (ResponseHeaderPrefix),
// in the order of their names.
func parseRequested(hdr http.Header) ([][2]string, error) {
	var out [][2]string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range hdr {
			if isRequest(k) && !yield(k) {
				return
			}
		}
	}) {
		i := slices.IndexFunc(requestable, func(a string) bool { return strings.EqualFold(a, k[len(ResponseHeaderPrefix):]) })
		if i < 0 {
			return nil, fmt.Errorf("response header %s may not be requested; allowed: %s", quote(k[len(ResponseHeaderPrefix):]), strings.Join(requestable, ", "))
		}
		name := http.CanonicalHeaderKey(requestable[i])
		for _, v := range hdr[k] {
			if len(out) == maxReqHeader {
				return nil, fmt.Errorf("too many response headers requested: at most %d", maxReqHeader)
			}
			if !validValue(v) {
				return nil, fmt.Errorf("response header %s: the value must be printable ASCII, at most %d bytes", requestable[i], maxHeaderLen)
			}
			out = append(out, [2]string{name, v})
		}
	}
	return out, nil
}

// isRequest reports whether the header name k asks for a response header.
func isRequest(k string) bool {
	return len(k) > len(ResponseHeaderPrefix) && strings.EqualFold(k[:len(ResponseHeaderPrefix)], ResponseHeaderPrefix)
}

// asksHeaders reports whether any request header asks for a response
// header.
func asksHeaders(hdr http.Header) bool {
	for k := range hdr {
		if isRequest(k) {
			return true
		}
	}
	return false
}

// mayRequest reports whether a request header name is one the endpoint
// accepts: any but a request for a response header not in requestable.
func mayRequest(k string) bool {
	return !isRequest(k) || slices.ContainsFunc(requestable, func(a string) bool { return strings.EqualFold(a, k[len(ResponseHeaderPrefix):]) })
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validValue reports whether v may be sent as a requested header value:
// printable ASCII, without leading or trailing space, not too long.
func validValue(v string) bool {
	if len(v) > maxHeaderLen || strings.TrimSpace(v) != v {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
	}
	return true
}

// quote quotes user input for a one-line error message, cut short.
func quote(s string) string { return strconv.Quote(cut(s)) }

// cut shortens user input for an error message to 20 bytes.
func cut(s string) string {
	if len(s) > 20 {
		return s[:20] + "..."
	}
	return s
}
