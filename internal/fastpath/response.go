package fastpath

import (
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Response buffers: a body with a Content-Length is sent once more than
// flushSize bytes of it wait; a buffer that grew past maxKeptBuffer is
// dropped after its response instead of going back to outBufs.
const (
	flushSize     = 64 << 10
	maxKeptBuffer = 256 << 10
	sniffLen      = 512 // what http.DetectContentType reads
)

// outBufs holds response buffers between requests. A new one holds the
// bodies of most pages, a code's JSON with what clients do included,
// without growing.
var outBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// response is the http.ResponseWriter of a request served here, with
// net/http's rules for status codes, Content-Length, Content-Type
// sniffing, HEAD, the statuses without a body, and Connection: close.
type response struct {
	c      *conn
	req    *http.Request
	isHead bool
	// header is the handler's map, kept from request to request on a
	// connection and cleared: a handler may not use it after returning.
	header      http.Header
	status      int
	wroteHeader bool
	// head is the length of the response head in c.out, up to the
	// handler's headers; sent is set once the head has been written.
	head int
	sent bool
	// clen is the Content-Length the handler set, or -1.
	clen    int64
	written int64
	// haveType: the handler set Content-Type (even to nothing); hasCE: a
	// Content-Encoding; haveDate: a Date; closeAfter: the connection
	// ends after this response; sayClose: the head must say so, as the
	// handler did not.
	haveType, hasCE, haveDate, closeAfter, sayClose bool
	// sniff holds the first bytes of a HEAD response's discarded body.
	sniff []byte
	err   error
}

func (w *response) reset(c *conn, r *http.Request) {
	h := w.header
	clear(h)
	*w = response{c: c, req: r, isHead: r.Method == http.MethodHead, header: h, clen: -1, sniff: w.sniff[:0]}
}

func (w *response) Header() http.Header {
	if w.header == nil {
		w.header = make(http.Header)
	}
	return w.header
}

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		w.c.s.logf("http: superfluous response.WriteHeader call (status %d after %d)", code, w.status)
		return
	}
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
	w.c.takeOut()
	h := w.header
	if code < 200 && code != http.StatusSwitchingProtocols {
		// An interim response goes out at once, with the headers set so
		// far (103 Early Hints), which stay for the final one.
		b := appendStatusLine(w.c.out[len(w.c.out):], code)
		b = appendHeaders(b, h, noBodyHeaders)
		b = append(b, "\r\n"...)
		w.write(b)
		return
	}
	w.wroteHeader, w.status = true, code
	if cl := h.Get("Content-Length"); cl != "" {
		if v, err := strconv.ParseInt(cl, 10, 64); err == nil && v >= 0 {
			w.clen = v
		} else {
			w.c.s.logf("http: invalid Content-Length of %q", cl)
			delete(h, "Content-Length")
		}
	}
	_, w.haveType = h["Content-Type"]
	w.hasCE = h.Get("Content-Encoding") != ""
	_, w.haveDate = h["Date"]
	skip := skipNone
	if !bodyAllowed(code) {
		skip = noBodyHeaders
		if code == http.StatusNotModified {
			skip = notModifiedHeaders
		}
		w.clen = -1
	}
	handlerClose := hasToken(h.Get("Connection"), "close")
	w.closeAfter = w.req.Close || handlerClose || w.c.s.closing.Load()
	if w.sayClose = w.closeAfter && !handlerClose; w.sayClose {
		// The head must say so, in place of what the handler set.
		skip |= skipConnection
	}
	w.c.out = appendStatusLine(w.c.out, code)
	w.c.out = appendHeaders(w.c.out, h, skip)
	w.head = len(w.c.out)
}

func (w *response) Write(p []byte) (int, error) { return w.writeBody(p, "") }

func (w *response) WriteString(s string) (int, error) { return w.writeBody(nil, s) }

func (w *response) writeBody(p []byte, s string) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n := len(p) + len(s)
	if n == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.written += int64(n)
	if w.clen >= 0 && w.written > w.clen {
		return 0, http.ErrContentLength
	}
	if w.err != nil {
		return 0, w.err
	}
	if w.isHead {
		if room := sniffLen - len(w.sniff); room > 0 && !w.sent {
			w.sniff = append(w.sniff, p[:min(room, len(p))]...)
			w.sniff = append(w.sniff, s[:min(room, len(s))]...)
		}
		return n, nil
	}
	if !w.sent && w.clen >= 0 && w.written == w.clen && len(w.c.out) == w.head {
		// The whole body in one write, the common case: head and body
		// go out in one system call.
		w.c.out = w.appendEnd(w.c.out, p, s)
		w.c.out = append(w.c.out, p...)
		w.c.out = append(w.c.out, s...)
		w.sent = true
		w.write(w.c.out)
		w.c.out = w.c.out[:0]
		return n, nil
	}
	w.c.out = append(w.c.out, p...)
	w.c.out = append(w.c.out, s...)
	if w.clen >= 0 && len(w.c.out) > flushSize {
		w.flush()
	}
	if w.err != nil {
		return 0, w.err
	}
	return n, nil
}

// flush writes what waits in c.out, ending the head first if it has not
// been sent. Only a response with a Content-Length is flushed before it
// ends.
func (w *response) flush() {
	if !w.sent {
		end := w.appendEnd(w.c.end[:0], w.c.out[w.head:], "")
		w.c.out = slices.Insert(w.c.out, w.head, end...)
		w.c.end = end
		w.sent = true
	}
	w.write(w.c.out)
	w.c.out = w.c.out[:0]
}

// appendEnd appends to b the headers net/http adds to a handler's, in its
// order (Date, Content-Length, Content-Type, Connection), and the blank
// line that ends the head. p or s is the start of the body, to sniff a
// type from.
func (w *response) appendEnd(b, p []byte, s string) []byte {
	if !w.haveDate {
		b = append(b, "Date: "...)
		b = appendDate(b, time.Now())
		b = append(b, "\r\n"...)
	}
	allowed := bodyAllowed(w.status)
	if w.clen < 0 && allowed && (!w.isHead || w.written > 0) {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, w.written, 10)
		b = append(b, "\r\n"...)
	}
	if allowed && !w.haveType && !w.hasCE {
		if w.isHead {
			p = w.sniff
		}
		if len(p) == 0 && s != "" {
			p = []byte(s[:min(len(s), sniffLen)])
		}
		if len(p) > 0 {
			b = append(b, "Content-Type: "...)
			b = append(b, http.DetectContentType(p)...)
			b = append(b, "\r\n"...)
		}
	}
	if w.sayClose {
		b = append(b, "Connection: close\r\n"...)
	}
	return append(b, "\r\n"...)
}

// finish ends the response after the handler returned, and reports
// whether the connection may serve another request.
func (w *response) finish() bool {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		body := w.c.out[w.head:]
		if len(body) > 0 {
			w.flush()
		} else {
			w.c.out = w.appendEnd(w.c.out, nil, "")
			w.sent = true
			w.write(w.c.out)
		}
	} else if len(w.c.out) > 0 {
		w.write(w.c.out)
	}
	w.c.out = w.c.out[:0]
	if w.err != nil || w.closeAfter {
		return false
	}
	// A body shorter than its Content-Length leaves the client waiting
	// for the rest: end the connection, as net/http does.
	if !w.isHead && w.clen >= 0 && bodyAllowed(w.status) && w.written != w.clen {
		return false
	}
	return true
}

// write writes b to the connection, remembering the first error.
func (w *response) write(b []byte) {
	if w.err != nil {
		return
	}
	_, w.err = w.c.rwc.Write(b)
}

// bodyAllowed reports whether a response with status code may have a
// body (RFC 9110 §6.4.1).
func bodyAllowed(code int) bool {
	return code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
}

// Headers left out of a response head, as net/http leaves them out.
type skipSet uint8

const (
	skipNone           skipSet = 0
	skipLength         skipSet = 1 << iota // Content-Length
	skipType                               // Content-Type
	skipConnection                         // Connection
	noBodyHeaders      = skipLength
	notModifiedHeaders = skipLength | skipType
)

func appendStatusLine(b []byte, code int) []byte {
	b = append(b, "HTTP/1.1 "...)
	if text := http.StatusText(code); text != "" {
		b = strconv.AppendInt(b, int64(code), 10)
		b = append(b, ' ')
		b = append(b, text...)
	} else {
		b = strconv.AppendInt(b, int64(code), 10)
		b = append(b, " status code "...)
		b = strconv.AppendInt(b, int64(code), 10)
	}
	return append(b, "\r\n"...)
}

// appendHeaders appends the lines of h, sorted by name as net/http sorts
// them, leaving out Transfer-Encoding (the body is always delimited by
// Content-Length or, for an interim response, absent), trailer
// declarations, names that are not tokens, and those in skip. Line breaks
// in a value become spaces, and spaces around it go, as in net/http.
func appendHeaders(b []byte, h http.Header, skip skipSet) []byte {
	type field struct {
		name   string
		values []string
	}
	var arr [24]field
	fields := arr[:0]
	for k, vs := range h {
		switch {
		case k == "Transfer-Encoding" || k == "Trailer" || strings.HasPrefix(k, http.TrailerPrefix) || !validName(k),
			skip&skipLength != 0 && k == "Content-Length",
			skip&skipType != 0 && k == "Content-Type",
			skip&skipConnection != 0 && k == "Connection":
			continue
		}
		fields = append(fields, field{k, vs})
	}
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && fields[j].name < fields[j-1].name; j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
	for _, f := range fields {
		for _, v := range f.values {
			b = append(b, f.name...)
			b = append(b, ": "...)
			b = appendValue(b, v)
			b = append(b, "\r\n"...)
		}
	}
	return b
}

func appendValue(b []byte, v string) []byte {
	v = textproto.TrimString(v)
	if strings.IndexByte(v, '\n') < 0 && strings.IndexByte(v, '\r') < 0 {
		return append(b, v...) // nearly always: no byte-by-byte copy
	}
	start := len(b)
	b = append(b, v...)
	for i := start; i < len(b); i++ {
		if b[i] == '\n' || b[i] == '\r' {
			b[i] = ' '
		}
	}
	return b
}

// hasToken reports whether the comma-separated list v holds token, in
// any case.
func hasToken(v, token string) bool {
	for opt := range strings.SplitSeq(v, ",") {
		if strings.EqualFold(textproto.TrimString(opt), token) {
			return true
		}
	}
	return false
}

// dateCache is the Date value of the current second, formatted once.
var dateCache atomic.Pointer[formattedDate]

type formattedDate struct {
	sec int64
	b   []byte
}

func appendDate(b []byte, now time.Time) []byte {
	sec := now.Unix()
	if d := dateCache.Load(); d != nil && d.sec == sec {
		return append(b, d.b...)
	}
	d := &formattedDate{sec: sec, b: now.UTC().AppendFormat(nil, http.TimeFormat)}
	dateCache.Store(d)
	return append(b, d.b...)
}
