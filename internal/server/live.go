package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// The live endpoint, /status/{codes}, answers any method with a real
// status: the one asked for, or one picked at random from a list
// ("200,500") or a weighted list ("200:3,500:1"), as httpbin does.
//
// Headers come from the catalog: every header of a code's meanings that
// has a value (Location, Retry-After, WWW-Authenticate, ...). The body is
// one line of text, or JSON, or an RFC 9457 problem, by Accept; 204, 205,
// 304, 101 and HEAD have none.
//
// Informational codes cannot end a response. Over HTTP/1.1 (and HTTP/2),
// 100 and 102 to 199 are sent as an interim response, with their catalog
// headers (103 carries Link), followed by a final 200 OK that names the
// interim code. 101 is sent as the final response with "Connection: close"
// and no Upgrade header: nothing was switched to, so the connection ends
// after the header block. An HTTP/1.0 client may not receive a 1xx
// (RFC 9110 §15.2), so it gets only the final 200 OK, which says so; the
// same holds for 101 over HTTP/2, which has no 101 (RFC 9113 §8.6).
//
// Numbers from 100 to 599 all answer, assigned or not. Beyond 599 (RFC
// 9110 §15 defines none) only numbers the catalog documents answer, such
// as LinkedIn's 999; others are refused with 400.

// Defaults and bounds of the live endpoint.
const (
	// DefaultMaxSleep caps ?sleep when Options.MaxSleep is zero.
	DefaultMaxSleep = 10 * time.Second
	// DefaultMaxSlow is how many requests may sleep at once when
	// Options.MaxSlow is zero.
	DefaultMaxSlow = 256

	maxChoices   = 32   // codes in one list
	maxWeight    = 1000 // per choice
	maxReqHeader = 8    // requested response headers
	maxHeaderLen = 256  // bytes in a requested header value
	// slowRetryAfter is the Retry-After of the 503 given beyond MaxSlow:
	// a slot frees as soon as any sleeping request ends.
	slowRetryAfter = "1"
)

// ResponseHeaderPrefix marks a request header that asks for a response
// header, httpstat.us style: "X-HttpStatus-Response-Retry-After: 120"
// asks for "Retry-After: 120".
const ResponseHeaderPrefix = "X-HttpStatus-Response-"

// requestable lists the response headers a client may ask for. Anything
// that could change how the site itself is treated (cookies, CORS, CSP,
// content type, framing, redirects elsewhere) is left out.
var requestable = []string{
	"Age", "Cache-Control", "Content-Language", "ETag", "Expires",
	"Last-Modified", "Link", "Retry-After", "Vary", "WWW-Authenticate",
}

// Body formats of the live endpoint.
const (
	liveText = iota
	liveJSON
	liveProblem
)

var liveTypes = [...]string{
	liveText:    "text/plain; charset=utf-8",
	liveJSON:    "application/json",
	liveProblem: "application/problem+json",
}

// Header values every live response carries, as shared slices put straight
// into the header map (see body in cache.go for why that is safe): a
// request costs no allocation for them.
var (
	hLiveTypes = [...][]string{
		liveText:    {liveTypes[liveText]},
		liveJSON:    {liveTypes[liveJSON]},
		liveProblem: {liveTypes[liveProblem]},
	}
	hStar    = []string{"*"}
	hNoStore = []string{"no-store"}
	hAccept  = []string{"Accept"}
)

// liveStatus is everything the endpoint sends for one code, built once.
type liveStatus struct {
	code    int
	headers [][2]string // from the catalog, in file order
	hvals   [][]string  // the values of headers, as header values
	body    [3][]byte   // by format; nil when the status has no body
	// For 1xx other than 101: the final response's bodies when the interim
	// response went out (body) and when it could not (unsent).
	unsent [3][]byte
	// The Content-Length values of body and unsent.
	bodyLen, unsentLen [3][]string
}

// choice is one code of a list with its weight in thousandths.
type choice struct {
	code   int
	weight int
}

// liveOptions are a request's query options and requested headers.
type liveOptions struct {
	sleep   time.Duration
	headers [][2]string // canonical name, value
}

// live serves /status/{codes}.
type live struct {
	s *Server
	// Every code it answers (those allowed accepts), each made by the
	// first request for it: a server's start does not pay for the 500
	// codes it may never be asked.
	statuses  [1000]atomic.Pointer[liveStatus]
	cat       *catalog.Catalog
	finalName string
	beyond    []int  // documented codes over 599
	hint      string // the codes it answers, for error messages
	maxSleep  time.Duration
	slow      chan struct{} // one token per sleeping request
	randN     func(n uint64) uint64
}

// statusAsker is a ResponseWriter that can be told the status is the
// client's request, not the server's outcome (for logging).
type statusAsker interface{ askedStatus() }

// handleStatus serves the live endpoint.
func (s *Server) handleStatus() http.Handler {
	return newLive(s, s.opts.MaxSleep, s.opts.MaxSlow, rand.Uint64N)
}

// newLive builds the endpoint's table from the catalog. randN returns a
// number in [0, n) and must be safe for concurrent use.
func newLive(s *Server, maxSleep time.Duration, maxSlow int, randN func(uint64) uint64) *live {
	if maxSleep <= 0 {
		maxSleep = DefaultMaxSleep
	}
	if maxSlow <= 0 {
		maxSlow = DefaultMaxSlow
	}
	cat := s.rnd.Catalog()
	l := &live{s: s, cat: cat, maxSleep: maxSleep, slow: make(chan struct{}, maxSlow), randN: randN}
	l.finalName = http.StatusText(http.StatusOK) // the catalog has 200; this is only a fallback
	if k, err := cat.Lookup(http.StatusOK); err == nil {
		l.finalName = k.Primary().Name
	}
	l.hint = "100 to 599"
	for _, k := range cat.Codes() {
		if k.Code > 599 && k.Code <= 999 {
			l.beyond = append(l.beyond, k.Code)
		}
	}
	for i, c := range l.beyond {
		if i == len(l.beyond)-1 {
			l.hint += " or " + strconv.Itoa(c)
		} else {
			l.hint += ", " + strconv.Itoa(c)
		}
	}
	return l
}

// liveBody is the JSON body of a live response.
type liveBody struct {
	Code     int    `json:"code"`
	Name     string `json:"name"`
	Summary  string `json:"summary,omitempty"`
	URL      string `json:"url"`
	Assigned bool   `json:"assigned"`
	Interim  string `json:"interim,omitempty"` // 1xx: "sent" or why not
	Final    int    `json:"final,omitempty"`   // 1xx: the status that ended the response
}

// problem is an RFC 9457 problem details object, with the page of the
// code as an extension member.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Doc    string `json:"doc"`
}

// newLiveStatus prepares the headers and bodies of code. finalName names
// 200, the final status after an interim one.
func newLiveStatus(cat *catalog.Catalog, code int, finalName string) *liveStatus {
	finalLine := fmt.Sprintf("%d %s", http.StatusOK, finalName)
	st := &liveStatus{code: code}
	b := liveBody{Code: code, URL: "/" + strconv.Itoa(code)}
	line := fmt.Sprintf("%d (unassigned)", code)
	if k, err := cat.Lookup(code); err == nil {
		b.Name, b.Summary, b.Assigned = k.Primary().Name, k.Primary().Summary, true
		line = fmt.Sprintf("%d %s", code, b.Name)
		seen := map[string]bool{}
		for _, e := range k.Entries {
			for _, h := range e.Headers {
				name := http.CanonicalHeaderKey(h.Name)
				if h.Value == "" || seen[name] {
					continue
				}
				seen[name] = true
				st.headers = append(st.headers, [2]string{name, h.Value})
				st.hvals = append(st.hvals, []string{h.Value})
			}
		}
	}
	build := func(b liveBody, text string, p problem) (out [3][]byte) {
		// Marshalling structs of strings and ints cannot fail.
		out[liveText] = []byte(text + "\n")
		out[liveJSON], _ = json.Marshal(b)
		out[liveProblem], _ = json.Marshal(p)
		return out
	}
	title := b.Name
	if title == "" {
		title = line
	}
	if code >= 100 && code <= 199 {
		const why = "HTTP/1.0 allows no 1xx responses and HTTP/2 no 101"
		unsent := b
		unsent.Interim, unsent.Final = "not sent: "+why, http.StatusOK
		st.unsent = build(unsent, line+": not sent, as "+why+"; this is the final "+finalLine,
			problem{"about:blank", finalName, http.StatusOK, line + " was not sent: " + why + ".", b.URL})
	}
	switch {
	case code == http.StatusSwitchingProtocols || (code >= 200 && !bodyAllowed(code)):
		// No body: 101 ends the exchange, 204, 205 and 304 forbid one.
	case code >= 100 && code <= 199:
		sent := b
		sent.Interim, sent.Final = "sent", http.StatusOK
		st.body = build(sent, line+": sent as an interim response; this is the final "+finalLine,
			problem{"about:blank", finalName, http.StatusOK, line + " was sent as an interim response before this final response.", b.URL})
	default:
		st.body = build(b, line, problem{"about:blank", title, code, b.Summary, b.URL})
	}
	for f := range st.body {
		if st.body[f] != nil {
			st.bodyLen[f] = []string{strconv.Itoa(len(st.body[f]))}
		}
		if st.unsent[f] != nil {
			st.unsentLen[f] = []string{strconv.Itoa(len(st.unsent[f]))}
		}
	}
	return st
}

// bodyAllowed reports whether a final response with this status may carry
// content (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
func bodyAllowed(code int) bool {
	switch code {
	case http.StatusNoContent, http.StatusResetContent, http.StatusNotModified:
		return false
	}
	return code >= 200
}

func (l *live) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Access-Control-Allow-Origin"] = hStar
	h["Access-Control-Expose-Headers"] = hStar
	h["Cache-Control"] = hNoStore
	h["Vary"] = hAccept

	var buf [4]choice // most lists are one code: no allocation for them
	choices, err := parseChoices(buf[:0], r.PathValue("codes"), l.allowed, l.hint)
	if err != nil {
		l.badRequest(w, r, err)
		return
	}
	opts, err := parseOptions(r.URL.RawQuery, r.Header, l.maxSleep)
	if err != nil {
		l.badRequest(w, r, err)
		return
	}
	st := l.status(pick(choices, l.randN))
	if opts.sleep > 0 {
		select {
		case l.slow <- struct{}{}:
			defer func() { <-l.slow }()
		default:
			h.Set("Retry-After", slowRetryAfter)
			l.s.serveError(w, r, http.StatusServiceUnavailable,
				fmt.Sprintf("Too many slow requests at once (at most %d may sleep): try again shortly.", cap(l.slow)))
			return
		}
	}

	if a, ok := w.(statusAsker); ok {
		a.askedStatus()
	}
	for i, kv := range st.headers {
		h[kv[0]] = st.hvals[i]
	}
	for _, kv := range opts.headers {
		h.Del(kv[0])
	}
	for _, kv := range opts.headers {
		h.Add(kv[0], kv[1])
	}

	status, body, bodyLen := st.code, &st.body, &st.bodyLen
	if st.code >= 100 && st.code <= 199 {
		// Interim responses go out before the sleep, as a server would
		// send 103 Early Hints while it works on the final answer.
		status = http.StatusOK
		switch {
		case !r.ProtoAtLeast(1, 1) || (st.code == http.StatusSwitchingProtocols && r.ProtoMajor != 1):
			body, bodyLen = &st.unsent, &st.unsentLen
		case st.code == http.StatusSwitchingProtocols:
			status = st.code
			h.Set("Connection", "close")
		default:
			w.WriteHeader(st.code)
		}
	}

	if opts.sleep > 0 {
		t := time.NewTimer(opts.sleep)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return // the client went away: nothing to answer
		}
	}

	f := liveFormat(r.Header.Get("Accept"))
	data := body[f]
	if data == nil {
		if status == http.StatusResetContent {
			h.Set("Content-Length", "0")
		}
		w.WriteHeader(status)
		return
	}
	h["Content-Type"] = hLiveTypes[f]
	h["Content-Length"] = bodyLen[f]
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// badRequest answers 400 with the error as one capitalised sentence.
func (l *live) badRequest(w http.ResponseWriter, r *http.Request, err error) {
	msg := err.Error()
	l.s.serveError(w, r, http.StatusBadRequest, strings.ToUpper(msg[:1])+msg[1:]+".")
}

// status returns the prepared answer of code, which allowed accepts,
// making it on first use. Two first requests at once may both make it;
// the answers are the same, and one is kept.
func (l *live) status(code int) *liveStatus {
	p := &l.statuses[code]
	if st := p.Load(); st != nil {
		return st
	}
	p.CompareAndSwap(nil, newLiveStatus(l.cat, code, l.finalName))
	return p.Load()
}

// allowed reports whether the endpoint answers with code.
func (l *live) allowed(code int) bool {
	return catalog.InRange(code) || slices.Contains(l.beyond, code)
}

// parseChoices parses the {codes} segment: "503", "200,500" or
// "200:3,500:1.5". A weight is a decimal from 0 to 1000 with at most
// three decimals; a code without one weighs 1. allowed says which codes
// may be asked for. Errors are one line, with the input quoted and cut
// short. The choices are appended to out.
func parseChoices(out []choice, s string, allowed func(int) bool, hint string) ([]choice, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("no status code: use /status/503, /status/200,500 or /status/200:3,500:1")
	}
	if n := strings.Count(s, ",") + 1; n > maxChoices {
		return nil, fmt.Errorf("too many choices (%d): at most %d codes in one list", n, maxChoices)
	}
	total := 0
	for part := range strings.SplitSeq(s, ",") {
		cs, ws, weighted := strings.Cut(part, ":")
		cs = strings.TrimSpace(cs)
		code, err := catalog.ParseCode(cs)
		if err != nil {
			return nil, fmt.Errorf("bad status code %s: want three digits, such as 503", quote(cs))
		}
		if !allowed(code) {
			return nil, fmt.Errorf("status %d is out of range: use %s", code, hint)
		}
		w := 1000
		if weighted {
			if w, err = parseWeight(strings.TrimSpace(ws)); err != nil {
				return nil, fmt.Errorf("bad weight %s for %d: want a number from 0 to %d, such as 3 or 0.25", quote(ws), code, maxWeight)
			}
		}
		total += w
		out = append(out, choice{code, w})
	}
	if total == 0 {
		return nil, errors.New("the weights add up to 0: at least one must be more than 0")
	}
	return out, nil
}

// parseWeight parses a weight such as "3", "0.25" or "1000" into
// thousandths.
func parseWeight(s string) (int, error) {
	whole, frac, dot := strings.Cut(s, ".")
	if (whole == "" && frac == "") || len(whole) > 4 || len(frac) > 3 || (dot && frac == "") {
		return 0, strconv.ErrSyntax
	}
	n := 0
	for _, c := range whole + frac + strings.Repeat("0", 3-len(frac)) {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
		n = n*10 + int(c-'0')
	}
	if n > maxWeight*1000 {
		return 0, strconv.ErrRange
	}
	return n, nil
}

// pick returns the code of one choice at random by weight. randN returns
// a number in [0, n).
func pick(choices []choice, randN func(uint64) uint64) int {
	if len(choices) == 1 {
		return choices[0].code
	}
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := int(randN(uint64(total)))
	for _, c := range choices {
		if n < c.weight {
			return c.code
		}
		n -= c.weight
	}
	return choices[len(choices)-1].code
}

// parseOptions reads the query options (only sleep=MS) and the requested
// response headers. Anything unknown is an error.
func parseOptions(rawQuery string, hdr http.Header, maxSleep time.Duration) (liveOptions, error) {
	var o liveOptions
	if rawQuery == "" && !asksHeaders(hdr) {
		return o, nil // the usual request: nothing to parse or sort
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return o, errors.New("malformed query string")
	}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if k != "sleep" {
			return o, fmt.Errorf("unknown option %s: the only option is sleep=MS", quote(k))
		}
	}
	if vs, ok := q["sleep"]; ok {
		if len(vs) > 1 {
			return o, fmt.Errorf("the sleep option is given %d times: give it once", len(vs))
		}
		v := vs[0]
		if !isDigits(v) {
			return o, fmt.Errorf("bad sleep %s: want milliseconds, such as sleep=500", quote(v))
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		d := time.Duration(ms) * time.Millisecond
		if err != nil || ms > maxSleep.Milliseconds() {
			return o, fmt.Errorf("a sleep of %s ms is over the cap of %d ms", cut(v), maxSleep.Milliseconds())
		}
		o.sleep = d
	}
	for _, k := range slices.Sorted(maps.Keys(hdr)) {
		if len(k) <= len(ResponseHeaderPrefix) || !strings.EqualFold(k[:len(ResponseHeaderPrefix)], ResponseHeaderPrefix) {
			continue
		}
		name := k[len(ResponseHeaderPrefix):]
		i := slices.IndexFunc(requestable, func(a string) bool { return strings.EqualFold(a, name) })
		if i < 0 {
			return o, fmt.Errorf("response header %s may not be requested; allowed: %s", quote(name), strings.Join(requestable, ", "))
		}
		name = http.CanonicalHeaderKey(requestable[i])
		for _, v := range hdr[k] {
			if len(o.headers) == maxReqHeader {
				return o, fmt.Errorf("too many response headers requested: at most %d", maxReqHeader)
			}
			if !validValue(v) {
				return o, fmt.Errorf("response header %s: the value must be printable ASCII, at most %d bytes", requestable[i], maxHeaderLen)
			}
			o.headers = append(o.headers, [2]string{name, v})
		}
	}
	return o, nil
}

// asksHeaders reports whether any request header asks for a response
// header (ResponseHeaderPrefix).
func asksHeaders(hdr http.Header) bool {
	for k := range hdr {
		if len(k) > len(ResponseHeaderPrefix) && strings.EqualFold(k[:len(ResponseHeaderPrefix)], ResponseHeaderPrefix) {
			return true
		}
	}
	return false
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

// liveFormat picks the body format from Accept: the named type among
// application/problem+json, application/json and text/plain with the
// highest q-value, in that order on a tie; text when none is named.
func liveFormat(accept string) int {
	best, bestQ := liveText, 0
	var q [3]int
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		qv := 1000
		for p := range strings.SplitSeq(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				qv = parseQ(strings.TrimSpace(v))
			}
		}
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "application/problem+json":
			q[liveProblem] = max(q[liveProblem], qv)
		case "application/json":
			q[liveJSON] = max(q[liveJSON], qv)
		case "text/plain":
			q[liveText] = max(q[liveText], qv)
		}
	}
	for _, f := range []int{liveProblem, liveJSON, liveText} {
		if q[f] > bestQ {
			best, bestQ = f, q[f]
		}
	}
	return best
}
