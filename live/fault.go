package live

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// A fault is a way to break a response on purpose (?fault=NAME).
type fault uint8

const (
	faultNone fault = iota
	faultResetBeforeHeaders
	faultCloseBeforeHeaders
	faultGarbage
	faultResetAfterHeaders
	faultHangAfterHeaders
	faultResetMidBody
	faultTruncate
	faultBadChunk
	numFaults
)

// faultNames are the values of ?fault=, by fault.
var faultNames = [numFaults]string{
	faultResetBeforeHeaders: "reset-before-headers",
	faultCloseBeforeHeaders: "close-before-headers",
	faultGarbage:            "garbage",
	faultResetAfterHeaders:  "reset-after-headers",
	faultHangAfterHeaders:   "hang-after-headers",
	faultResetMidBody:       "reset-mid-body",
	faultTruncate:           "truncate",
	faultBadChunk:           "bad-chunk",
}

// faultDocs say what each fault does, for Params: a new fault is a name
// and a line here (TestParamsDescribeEveryOption).
var faultDocs = [numFaults]string{
	faultResetBeforeHeaders: "reads the request, then resets the connection (RST) without sending a byte",
	faultCloseBeforeHeaders: "closes the connection normally (FIN) without sending a byte",
	faultGarbage:            "sends bytes that are not a status line, then closes",
	faultResetAfterHeaders:  "sends the headers (with the Content-Length of the whole body), then resets",
	faultHangAfterHeaders:   "sends the headers, then nothing until the client leaves or the sleep cap passes, then closes",
	faultResetMidBody:       "sends the headers and the first half of the body (the Content-Length says all of it), then resets",
	faultTruncate:           "sends the headers and the first half of the body, then closes normally: the body is shorter than its Content-Length",
	faultBadChunk:           "sends the first half of the body as a chunk of a chunked body, then a chunk size that is not hexadecimal, then closes",
}

func (f fault) String() string { return faultNames[f] }

// beforeHeaders reports whether the fault sends no status line: nothing
// at all, or bytes that are not HTTP.
func (f fault) beforeHeaders() bool {
	return f == faultResetBeforeHeaders || f == faultCloseBeforeHeaders || f == faultGarbage
}

// cutsBody reports whether the fault sends part of the body: half of it,
// rounded down.
func (f fault) cutsBody() bool {
	return f == faultResetMidBody || f == faultTruncate || f == faultBadChunk
}

// resets reports whether the fault ends with a TCP reset, which HTTP/2
// has as RST_STREAM: the only faults HTTP/2 can carry (besides a hang),
// since its connection is shared by other requests and its framing has
// no way to send a short or garbled body.
func (f fault) resets() bool {
	return f == faultResetBeforeHeaders || f == faultResetAfterHeaders || f == faultResetMidBody
}

// parseFault reads fault=NAME.
func parseFault(p *params, v string, _ *config) error {
	for f, name := range faultNames {
		if name != "" && strings.EqualFold(v, name) {
			p.fault = fault(f)
			return nil
		}
	}
	return fmt.Errorf("unknown fault %s: want one of %s", quote(v), strings.Join(faultNames[faultNone+1:], ", "))
}

// checkCombination refuses options that cannot apply to this request and
// these codes, saying why: a body option on a response that has no body,
// a fault that HTTP/2 or HTTP/1.0 cannot carry, a sequence with weights
// or ranges.
func checkCombination(r *http.Request, codes string, choices []choice, p *params) error {
	if p.seq != "" {
		if err := checkSeq(codes); err != nil {
			return err
		}
	}
	if what := p.bodyOption(); what != "" {
		if err := checkBody(r, choices, what, what != "bytes"); err != nil {
			return err
		}
	}
	f := p.fault
	switch {
	case f.cutsBody() && p.hasBytes && p.bytes < 2:
		return fmt.Errorf("fault=%s cuts the body in half, and bytes=%d is too short to cut: ask for 2 or more", f, p.bytes)
	case f != faultNone && !f.resets() && f != faultHangAfterHeaders && r.ProtoMajor != 1:
		return fmt.Errorf("fault=%s needs HTTP/1.x: an HTTP/2 connection carries other requests, so only the reset faults (sent as RST_STREAM) and hang-after-headers apply", f)
	case f == faultBadChunk && !r.ProtoAtLeast(1, 1):
		return fmt.Errorf("fault=%s needs HTTP/1.1: HTTP/1.0 has no chunked encoding", f)
	}
	return nil
}

// checkBody refuses an option, named what, that needs a body to act on,
// when a code of choices has none or, if onHEAD, when the request is a
// HEAD.
func checkBody(r *http.Request, choices []choice, what string, onHEAD bool) error {
	if onHEAD && r.Method == http.MethodHead {
		return fmt.Errorf("%s needs a body, and a response to HEAD has none", what)
	}
	for _, c := range choices {
		for code := c.lo; code <= c.hi; code++ {
			if !finalHasBody(code) {
				return fmt.Errorf("%s needs a body, and a %d response has none", what, code)
			}
		}
	}
	return nil
}

// bodyOption names the first option of p that needs a body to act on, or
// returns "".
func (p *params) bodyOption() string {
	switch {
	case p.fault.cutsBody():
		return "fault=" + p.fault.String()
	case p.drip > 0:
		return "drip"
	case p.sleepBody > 0:
		return "sleep-body"
	case p.hasBytes:
		return "bytes"
	}
	return ""
}

// finalHasBody reports whether the final response the endpoint sends for
// code has a body: 101 is final without one, other 1xx are followed by a
// 200 that has one.
func finalHasBody(code int) bool {
	if code >= 100 && code <= 199 {
		return code != http.StatusSwitchingProtocols
	}
	return bodyAllowed(code)
}

// Bounds of taking over a connection.
const (
	// lingerTime is how long a closed connection reads what its client
	// still sends, so that unread bytes do not make the kernel answer
	// with a reset where a normal close was asked for.
	lingerTime = time.Second
	lingerMax  = 1 << 20
	// sentTime is how long a reset waits for the client to acknowledge
	// the bytes already sent: a reset drops whatever is still unsent.
	sentTime = time.Second
)

// garbage is what fault=garbage sends in place of a status line.
const garbage = "HTTP/1.1 2OO 0K\r\n\x00\xff garbage, not an HTTP response\r\n\r\n"

// breakBeforeHeaders ends the connection without a status line.
func breakBeforeHeaders(w http.ResponseWriter, r *http.Request, f fault) {
	// Read the request body, so that the close is the one asked for: the
	// kernel resets a connection that is closed with unread bytes.
	io.Copy(io.Discard, io.LimitReader(r.Body, lingerMax))
	switch {
	case r.ProtoMajor != 1:
		panic(http.ErrAbortHandler) // RST_STREAM: checkCombination allowed only the reset
	case f == faultResetBeforeHeaders:
		resetConn(w)
	case f == faultGarbage:
		closeConn(w, garbage)
	default:
		closeConn(w, "")
	}
}

// breakAfter ends the response after what the handler wrote (the headers,
// and part of the body) as f asks.
func breakAfter(w http.ResponseWriter, r *http.Request, f fault) {
	http.NewResponseController(w).Flush()
	switch {
	case r.ProtoMajor != 1:
		panic(http.ErrAbortHandler)
	case f == faultBadChunk:
		// A chunk size must be hexadecimal (RFC 9112 §7.1).
		closeConn(w, "zz\r\nnot a chunk\r\n")
	case f == faultTruncate:
		closeConn(w, "")
	default:
		resetConn(w)
	}
}

// resetConn takes the connection from the server and resets it: RST
// instead of FIN (SO_LINGER 0), once the client has acknowledged what was
// sent. A connection that cannot be taken over is aborted the server's
// way (net/http closes it).
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	tc := tcpConn(conn)
	if tc == nil {
		conn.Close()
		return
	}
	waitSent(tc, sentTime)
	tc.SetLinger(0)
	tc.Close()
}

// closeConn takes the connection from the server, writes last to it, and
// closes it normally: FIN, then a short read of what the client still
// sends, then the close.
func closeConn(w http.ResponseWriter, last string) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(lingerTime))
	if last != "" {
		if _, err := io.WriteString(conn, last); err != nil {
			return
		}
	}
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	io.Copy(io.Discard, io.LimitReader(conn, lingerMax))
}

// tcpConn returns the TCP connection under c (through TLS, or a server's
// own wrapper that has NetConn as tls.Conn does), or nil.
func tcpConn(c net.Conn) *net.TCPConn {
	for range 8 {
		switch x := c.(type) {
		case *net.TCPConn:
			return x
		case interface{ NetConn() net.Conn }:
			c = x.NetConn()
		default:
			return nil
		}
	}
	return nil
}
