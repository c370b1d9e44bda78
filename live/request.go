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

// Bounds of the other query options.
const (
	maxSeqKey = 128 // bytes in a seq key
)

// params are what one request asks for beyond its codes: the query
// options and the requested response headers.
type params struct {
	sleep   time.Duration
	headers [][2]string // canonical name, value
	fault   fault
	// bytes is the length of the pattern body asked with bytes=N, when
	// hasBytes; otherwise the status's own body is sent.
	bytes     int64
	hasBytes  bool
	drip      time.Duration // the body spread over this time
	sleepBody time.Duration // the wait between the headers and the body
	seq       string        // the sequence key, or "" for a random pick
	seqLoop   bool
	noBody    bool // send the status without its body (compat.go)
}

// slow reports whether the request holds its connection longer than an
// answer takes, or asks the sequence store: such requests count against
// the slow limit (WithMaxSlow).
func (p *params) slow() bool {
	return p.sleep > 0 || p.drip > 0 || p.sleepBody > 0 || p.fault != faultNone || p.seq != ""
}

// waits returns the time the request spends waiting on purpose: sleep,
// drip and sleep-body, which share the sleep cap.
func (p *params) waits() time.Duration { return p.sleep + p.drip + p.sleepBody }

// A queryOption is one option of the query string. Names match without
// regard to case; a name that is not here is ignored (a cache-buster such
// as "_=1700000000"), but a known one is strict: given twice or with a bad
// value, it is a 400 that says why. A new option (fault=, bytes=, ...) is
// one more row of queryOptions and one more field of params. Its doc is
// what Params tells about it, so documents that describe the endpoint
// (the site's /openapi.json) list it from this row. An option that
// flushes the response or takes the connection over says so in
// unbuffered (see Buffered).
type queryOption struct {
	name       string
	parse      func(p *params, v string, c *config) error
	doc        func(c *config) Param
	unbuffered bool
}

var queryOptions = []queryOption{
	msOption("sleep", func(p *params) *time.Duration { return &p.sleep }, false,
		"Milliseconds to wait before the final response (an interim 1xx goes out first)."),
	msOption("drip", func(p *params) *time.Duration { return &p.drip }, true,
		"Milliseconds over which the body is sent in pieces, about one every 50 ms, after the headers at once. Needs a response with a body."),
	msOption("sleep-body", func(p *params) *time.Duration { return &p.sleepBody }, true,
		"Milliseconds to wait between the headers, sent at once, and the whole body. Needs a response with a body."),
	{"fault", parseFault, faultDoc, true},
	{"bytes", parseBytes, bytesDoc, false},
	{"seq", parseSeq, seqDoc, false},
	{"seq-loop", parseSeqLoop, seqLoopDoc, false},
}

// Buffered reports whether the endpoint answers a request with the query
// rawQuery by writing its response and returning: without flushing it
// before the end (drip, sleep-body) or taking the connection over
// (fault), which a server that buffers each response, and has no
// http.Flusher or http.Hijacker, cannot do. Any other request, a ?sleep
// included, it answers on such a server as on net/http's.
func Buffered(rawQuery string) bool {
	for kv := range strings.SplitSeq(rawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			continue // a malformed query is a 400
		}
		for _, o := range queryOptions {
			if o.unbuffered && strings.EqualFold(k, o.name) {
				return false
			}
		}
	}
	return true
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
	if w := p.waits(); w > c.maxSleep {
		return fmt.Errorf("sleep, drip and sleep-body add up to %d ms, over the cap of %d ms", w.Milliseconds(), c.maxSleep.Milliseconds())
	}
	return nil
}

// msOption is the row of an option in milliseconds that sets the field
// of params that field returns.
func msOption(name string, field func(*params) *time.Duration, unbuffered bool, description string) queryOption {
	return queryOption{name, func(p *params, v string, c *config) (err error) {
		*field(p), err = parseMS(name, v, c)
		return err
	}, msDoc(description), unbuffered}
}

// parseMS reads the milliseconds of sleep=MS, drip=MS or sleep-body=MS,
// up to the handler's cap.
func parseMS(name, v string, c *config) (time.Duration, error) {
	if !isDigits(v) {
		return 0, fmt.Errorf("bad %s %s: want milliseconds, such as %s=500", name, quote(v), name)
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms > c.maxSleep.Milliseconds() {
		return 0, fmt.Errorf("a %s of %s ms is over the cap of %d ms", name, cut(v), c.maxSleep.Milliseconds())
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// parseBytes reads bytes=N: a body of N bytes of a fixed pattern, up to
// the handler's cap.
func parseBytes(p *params, v string, c *config) error {
	if !isDigits(v) {
		return fmt.Errorf("bad bytes %s: want a number of bytes, such as bytes=1024", quote(v))
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > c.maxBody {
		return fmt.Errorf("a body of %s bytes is over the cap of %d bytes", cut(v), c.maxBody)
	}
	p.bytes, p.hasBytes = n, true
	return nil
}

// parseSeq reads seq=KEY: the key of a sequence, printable ASCII without
// spaces.
func parseSeq(p *params, v string, _ *config) error {
	if v == "" || len(v) > maxSeqKey || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return fmt.Errorf("bad seq key %s: want 1 to %d printable ASCII characters without spaces, such as seq=retry-test-42", quote(v), maxSeqKey)
	}
	p.seq = v
	return nil
}

// parseSeqLoop reads seq-loop=1 (or 0).
func parseSeqLoop(p *params, v string, _ *config) error {
	switch v {
	case "1", "true":
		p.seqLoop = true
	case "0", "false":
		p.seqLoop = false
	default:
		return fmt.Errorf("bad seq-loop %s: want 1 or 0", quote(v))
	}
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
