// Package live is the live endpoint of httpstatus, /status/{codes}, as an
// http.Handler: it answers any method with a real status, the one asked
// for or one picked at random from a list, with the headers and body a
// real server sends with it. "httpstatus serve" runs this handler; a Go
// test can run the same one in-process:
//
//	srv := httptest.NewServer(live.New())
//	defer srv.Close()
//	res, err := http.Get(srv.URL + "/status/503")
//
// # Codes
//
// /status/503 answers 503. A list picks one at random: /status/200,500
// evenly, /status/200:3,500:1 by weight (a number from 0 to 1000 with at
// most three decimals; 1 when left out), /status/500-504 uniformly from a
// range. A range is one item of a list and its weight is shared evenly by
// its codes: /status/200:8,500-504:2 answers 200 eight times in ten and
// each of 500 to 504 once in 25. A list holds at most 32 items. Numbers
// from 100 to 599 all answer, assigned or not; beyond 599 (RFC 9110 §15
// defines none) only numbers the catalog documents, such as 999. A code
// that is not three digits, a range that is reversed or holds a code out
// of range, a bad weight, or weights that add up to 0 are a 400 with a
// one-line reason.
//
// # Headers and body
//
// Headers come from the catalog: every header of a code's meanings that
// has a value (Location, Retry-After, WWW-Authenticate, ...). A 206
// carries the Content-Range of the body it sends, and a 416
// "Content-Range: bytes */N" with the length of its body; a 300 lists its
// choices (the code's page as HTML, JSON and text) in its body and in
// Link, and names the HTML one in Location. The body is one line of text,
// or JSON, or an RFC 9457 problem, by Accept; 204, 205, 304, 101 and HEAD
// have none. Every response carries Cache-Control: no-store and Vary:
// Accept.
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
// # HTTP/2
//
// Over HTTP/2 (TLS with ALPN "h2", or h2c with prior knowledge) the
// answers are those of HTTP/1.1 but for what the protocol has not: a
// response has a :status and no reason phrase, so the code's name is only
// in the body ("503 Service Unavailable", the JSON's name, the problem's
// title); an interim 1xx goes out as a HEADERS frame of its own before
// the final response's (Go's client reports it to
// httptrace.ClientTrace.Got1xxResponse, "curl -i" prints it); and 101,
// which HTTP/2 has not (RFC 9113 §8.6), is a final 200 OK whose body says
// that 101 was not sent, as for HTTP/1.0. No Connection header is sent.
//
// # Options
//
// ?sleep=MS waits that long before the final response, up to a cap
// (WithMaxSleep); a client that goes away ends the wait. A request header
// "X-HttpStatus-Response-NAME: VALUE" asks for "NAME: VALUE" in the
// response, for a short list of safe names. Query parameters the endpoint
// does not know are ignored (cache-busters such as ?_=1700000000); the
// ones it knows are strict, and a bad value is a 400 that says why.
//
// # Bodies and their timing
//
// ?bytes=N sends a body of exactly N bytes, application/octet-stream, of
// a fixed pattern (PatternLine repeated, cut at N), up to a cap
// (WithMaxBody). ?drip=MS sends the headers at once and the body in
// pieces spread evenly over MS milliseconds, a piece about every 50 ms
// (at most one a byte); ?sleep-body=MS sends the headers at once and the
// whole body after MS. sleep, drip and sleep-body add up, and share the
// sleep cap. They need a response with a body: with 204, 205, 304, 101
// or HEAD they are a 400 (bytes with HEAD sends its Content-Length).
//
// # Faults
//
// ?fault=NAME breaks the response on purpose, after any sleep:
//
//	reset-before-headers  reads the request, then resets the connection
//	                      (RST: SO_LINGER 0) without sending a byte
//	close-before-headers  closes it normally (FIN) without a byte
//	garbage               sends bytes that are not a status line, then FIN
//	reset-after-headers   sends the headers (with the Content-Length of
//	                      the whole body), then resets
//	hang-after-headers    sends the headers, then nothing until the client
//	                      leaves or the sleep cap passes, then closes
//	reset-mid-body        sends the headers and the first half of the body
//	                      (the Content-Length says all of it), then resets
//	truncate              the same, then closes normally (FIN): the body
//	                      is shorter than its Content-Length
//	bad-chunk             sends the first half of the body as a chunk of a
//	                      chunked body, then a chunk size that is not
//	                      hexadecimal, then FIN
//
// The faults before the headers send no interim 1xx either; the others
// send it first. A reset waits (up to a second) until the client has
// acknowledged the bytes sent, since a reset drops what is unsent. The
// faults take the connection from the server (http.Hijacker) over
// HTTP/1.x; a server that cannot give it up aborts the response its own
// way (net/http closes the connection). HTTP/2 multiplexes requests on one
// connection, so there a reset fault resets the request's stream
// (RST_STREAM), hang-after-headers hangs, and the faults that need the TCP
// connection are a 400 that says so. The cut faults need a body of 2
// bytes or more.
//
// # Sequences
//
// ?seq=KEY plays the list in order, one code a request, for each KEY:
// /status/503,503,200?seq=k answers the first request with k 503, the
// second 503, the third and every later one 200; with ?seq-loop=1 the
// fourth is 503 again. Keys are independent (1 to 128 printable ASCII
// characters); a key with no request for a while (WithSeqTTL) starts
// over. The counters are kept in memory, bounded (WithSeqMaxKeys, least
// recently used dropped first), or in a SeqStore that several servers
// share (WithSeqStore); a store that does not answer within a second is a
// 503 that names it, and the log says why. Weights and ranges are refused
// with seq (400): a sequence has an order, not odds.
//
// # Limits
//
// At most WithMaxSlow requests that sleep, drip, delay their body, fault
// or follow a sequence are served at once; beyond that the answer is the
// handler's own 503 with Retry-After: 1. With WithClientMaxSlow, each client
// (WithClientKey) may have only so many of them at once; beyond that its
// next one is a 429 with Retry-After and the RateLimit-Policy and
// RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10, so that
// one client cannot take every slot. A client that goes away ends its
// request's waits at once.
//
// # CORS
//
// Every answer under /status/ carries Access-Control-Allow-Origin: * and
// Access-Control-Expose-Headers naming every header a script may need to
// read (Retry-After, Location, WWW-Authenticate, Content-Range, the
// requestable ones, ...). A CORS preflight (OPTIONS with Origin and
// Access-Control-Request-Method) gets 204 with the methods, the request
// headers asked for that the endpoint accepts, and a max age; a plain
// OPTIONS gets the status it asks for.
package live

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/limit"
)

// Prefix is the path under which the handler answers: /status/{codes}.
// Any other path is a 404.
const Prefix = "/status/"

// Header values every live response carries, as shared slices put straight
// into the header map: a request costs no allocation for them. Header.Set
// and Header.Add never write into an existing slice's array (Add appends
// to a full slice, which copies), so no response can change another's.
var (
	hTypes = [numFormats][]string{
		formatText:    {contentTypes[formatText]},
		formatJSON:    {contentTypes[formatJSON]},
		formatProblem: {contentTypes[formatProblem]},
	}
	hStar    = []string{"*"}
	hNoStore = []string{"no-store"}
	hAccept  = []string{"Accept"}
	// The Retry-After of the 503 given beyond the slow limit: a slot
	// frees as soon as any sleeping request ends.
	hSlowRetry = []string{"1"}
)

// Handler is the live endpoint that New returns. Compat serves it in
// httpstat.us's URL scheme as well, with the same limits and sequences.
type Handler struct{ *handler }

// handler serves /status/{codes}.
type handler struct {
	cfg config
	// Every code it answers (those allowed accepts), each made by the
	// first request for it: a server's start does not pay for the 500
	// codes it may never be asked.
	statuses  [1000]atomic.Pointer[status]
	finalName string   // of 200, the final status after an interim one
	beyond    []int    // documented codes over 599
	hint      string   // the codes it answers, for error messages
	hExpose   []string // the value of Access-Control-Expose-Headers
	*limits
	// compat shapes bodies as httpstat.us did (compat.go).
	compat bool
}

// limits are the slow slots and byte budgets that every handler made
// from one New shares.
type limits struct {
	slow chan struct{}
	// clients counts each client's slow requests, or is nil without
	// WithClientMaxSlow.
	clients *clientSlots
	// clientBytes and egress are the byte budgets of WithClientMaxBytes
	// and WithMaxEgress, or nil.
	clientBytes, egress *limit.Limit
}

// New returns the live endpoint as a handler of the paths under Prefix.
// It is safe for concurrent use. Without WithCatalog it serves the
// content embedded in this module, loaded once per process.
func New(opts ...Option) *Handler {
	c := newConfig(opts)
	return &Handler{newHandler(c, &limits{
		slow: make(chan struct{}, c.maxSlow), clients: newClientSlots(c.clientMaxSlow),
		clientBytes: newByteLimit(limit.ClientMaxBytes, c.clientMaxBytes, maxByteClients, c.limitStore),
		egress:      newByteLimit(limit.MaxEgress, c.maxEgress, 1, c.limitStore),
	})}
}

// newHandler returns a handler of c that counts its requests in lim.
func newHandler(c config, lim *limits) *handler {
	l := &handler{cfg: c, limits: lim, hint: "100 to 599"}
	l.finalName = http.StatusText(http.StatusOK) // the catalog has 200; this is only a fallback
	if k, err := c.cat.Lookup(http.StatusOK); err == nil {
		l.finalName = k.Primary().Name
	}
	var names []string
	for _, k := range c.cat.Codes() {
		if k.Code > 599 && k.Code <= 999 {
			l.beyond = append(l.beyond, k.Code)
		}
		for _, e := range k.Entries {
			for _, h := range e.Headers {
				if h.Value != "" {
					names = append(names, h.Name)
				}
			}
		}
	}
	for i, code := range l.beyond {
		sep := ", "
		if i == len(l.beyond)-1 {
			sep = " or "
		}
		l.hint += sep + strconv.Itoa(code)
	}
	l.hExpose = []string{exposed(names)}
	return l
}

// ServeHTTP answers a request under Prefix.
func (l *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	codes, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		writeError(w, r, http.StatusNotFound, "Not found: the live endpoint is "+Prefix+"{codes}, such as "+Prefix+"503.")
		return
	}
	if isPreflight(r) {
		preflight(w, r)
		return
	}
	l.setHeaders(w.Header())
	var buf [4]choice // most lists are one code: no allocation for them
	choices, err := parseChoices(buf[:0], codes, l.allowed, l.hint)
	if err != nil {
		badRequest(w, r, err)
		return
	}
	p, err := parseParams(r.URL.RawQuery, r.Header, &l.cfg)
	if err == nil {
		err = checkCombination(r, codes, choices, &p)
	}
	if err != nil {
		badRequest(w, r, err)
		return
	}
	l.answer(w, r, choices, p)
}

// setHeaders sets the headers every answer to a code carries.
func (l *handler) setHeaders(h http.Header) {
	h["Access-Control-Allow-Origin"] = hStar
	h["Access-Control-Expose-Headers"] = l.hExpose
	h["Cache-Control"] = hNoStore
	h["Vary"] = hAccept
}

// answer sends one of choices as p asks, once a slow slot is free when
// it sleeps, drips, delays its body, faults or follows a sequence.
func (l *handler) answer(w http.ResponseWriter, r *http.Request, choices []choice, p params) {
	if p.slow() {
		give, ok := l.takeSlow(w, r)
		if !ok {
			return
		}
		defer give()
	}
	if !l.takeBytes(w, r, &p) {
		return
	}
	code, ok := l.choose(w, r, choices, &p)
	if ok {
		l.respond(w, r, l.status(code), &p)
	}
}

// choose returns the code to answer with: the next of the sequence, or
// one picked at random. A sequence store that fails is a 503 that names
// it, and the log says why; choose then reports false.
func (l *handler) choose(w http.ResponseWriter, r *http.Request, choices []choice, p *params) (int, bool) {
	if p.seq == "" {
		return pick(choices, l.cfg.randN), true
	}
	ctx, cancel := context.WithTimeout(r.Context(), seqTimeout)
	defer cancel()
	n, err := l.cfg.seqs.Next(ctx, p.seq, l.cfg.seqTTL)
	if err != nil {
		l.cfg.log.LogAttrs(r.Context(), slog.LevelError, "sequence store", slog.String("store", l.cfg.seqs.String()), slog.String("err", err.Error()))
		w.Header()["Retry-After"] = hSlowRetry
		writeError(w, r, http.StatusServiceUnavailable, "The sequence store ("+l.cfg.seqs.String()+") did not answer: try again shortly.")
		return 0, false
	}
	return seqCode(choices, n, p.seqLoop), true
}

// respond sends st with the requested headers, after the sleep, and its
// body as the options ask: the pattern of bytes=N, dripped or delayed,
// broken by a fault.
func (l *handler) respond(w http.ResponseWriter, r *http.Request, st *status, p *params) {
	h := w.Header()
	f := l.format(r.Header.Get("Accept"))
	for i, kv := range st.headers {
		h[kv[0]] = st.hvals[i]
	}
	cr := st.contentRange[f]
	if p.hasBytes {
		cr = contentRange(st.code, p.bytes)
	}
	if cr != nil && !p.noBody {
		h["Content-Range"] = cr
	}
	for _, kv := range p.headers {
		h.Del(kv[0])
	}
	for _, kv := range p.headers {
		h.Add(kv[0], kv[1])
	}
	if p.fault.beforeHeaders() {
		if p.sleep == 0 || sleepFor(w, r, p.sleep) {
			breakBeforeHeaders(w, r, p.fault)
		}
		return
	}
	code, body, bodyLen := sendInterim(w, r, st)
	if p.sleep > 0 && !sleepFor(w, r, p.sleep) {
		return // the client went away: nothing to answer
	}
	b := payload{data: body[f]}
	switch {
	case p.hasBytes:
		b = payload{n: p.bytes, pattern: true}
		h["Content-Type"] = hOctets
	case b.data == nil || p.noBody:
		if code == http.StatusResetContent || b.data != nil {
			h.Set("Content-Length", "0")
		}
		w.WriteHeader(code)
		l.endFault(w, r, p)
		return
	default:
		h["Content-Type"] = hTypes[f]
	}
	if p.fault != faultBadChunk {
		h["Content-Length"] = b.contentLength(bodyLen[f])
	}
	w.WriteHeader(code)
	if r.Method == http.MethodHead {
		l.endFault(w, r, p)
		return
	}
	end := b.len()
	switch {
	case p.fault.cutsBody():
		end /= 2
	case p.fault != faultNone:
		end = 0
	}
	if sendBody(r.Context(), w, b, end, p) {
		l.endFault(w, r, p)
	}
}

// endFault breaks the response, once its headers and any part of its body
// are written, as the fault asks; without a fault it does nothing.
func (l *handler) endFault(w http.ResponseWriter, r *http.Request, p *params) {
	switch p.fault {
	case faultNone:
	case faultHangAfterHeaders:
		// Nothing more until the client leaves or the cap passes; then
		// the handler returns short of its Content-Length, and the server
		// closes the connection.
		http.NewResponseController(w).Flush()
		sleep(r.Context(), l.cfg.maxSleep-p.waits())
	default:
		breakAfter(w, r, p.fault)
	}
}

// sendInterim sends the interim response of a 1xx that can have one, and
// returns the final status with its bodies and their lengths. Interim
// responses go out before the sleep, as a server sends 103 Early Hints
// while it works on the final answer.
func sendInterim(w http.ResponseWriter, r *http.Request, st *status) (int, *[numFormats][]byte, *[numFormats][]string) {
	switch {
	case st.code < 100 || st.code > 199:
		return st.code, &st.body, &st.bodyLen
	case !r.ProtoAtLeast(1, 1) || (st.code == http.StatusSwitchingProtocols && r.ProtoMajor != 1):
		return http.StatusOK, &st.unsent, &st.unsentLen
	case st.code == http.StatusSwitchingProtocols:
		w.Header().Set("Connection", "close")
		return st.code, &st.body, &st.bodyLen
	}
	w.WriteHeader(st.code)
	return http.StatusOK, &st.body, &st.bodyLen
}

// clientWaiter is a ResponseWriter that waits for its handler, and knows
// sooner than the request's context that the client went away: the
// HTTP/1.1 fast path of "httpstatus serve" waits in a read of the
// connection instead of in a goroutine of its own.
type clientWaiter interface {
	WaitForClient(d time.Duration) bool
}

// sleepFor waits for d before the response of r, or until the client
// goes away; it reports whether d passed. It asks w to wait if w, or a
// writer it wraps (Unwrap, as http.ResponseController finds them), is a
// clientWaiter.
func sleepFor(w http.ResponseWriter, r *http.Request, d time.Duration) bool {
	for w != nil {
		if cw, ok := w.(clientWaiter); ok {
			return cw.WaitForClient(d)
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return sleep(r.Context(), d)
}

// sleep waits for d, or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// status returns the prepared answer of code, which allowed accepts,
// making it on first use. Two first requests at once may both make it;
// the answers are the same, and one is kept.
func (l *handler) status(code int) *status {
	p := &l.statuses[code]
	if st := p.Load(); st != nil {
		return st
	}
	p.CompareAndSwap(nil, l.newStatus(code))
	return p.Load()
}

// allowed reports whether the endpoint answers with code.
func (l *handler) allowed(code int) bool {
	return catalog.InRange(code) || slices.Contains(l.beyond, code)
}

// badRequest answers 400 with the error as one capitalised sentence.
func badRequest(w http.ResponseWriter, r *http.Request, err error) {
	msg := err.Error()
	writeError(w, r, http.StatusBadRequest, strings.ToUpper(msg[:1])+msg[1:]+".")
}

// writeError answers with the handler's own status (not one asked for)
// and a one-line message.
func writeError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	h := w.Header()
	h["Cache-Control"] = hNoStore
	h["Content-Type"] = hTypes[formatText]
	h.Set("Content-Length", strconv.Itoa(len(msg)+1))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write([]byte(msg + "\n"))
	}
}
