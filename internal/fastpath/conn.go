package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// conn is one connection served here until it closes or is handed over.
type conn struct {
	s   *Server
	rwc net.Conn
	// idle is true while the connection waits for a request, or for the
	// rest of its head: Shutdown may close it then.
	idle atomic.Bool

	br     *bufio.Reader
	tmpl   http.Request // RemoteAddr and the context, copied into each request
	cancel context.CancelFunc
	w      response
	// req is the request being served, and hdr its header: a handler
	// may not keep either after it returns.
	req request
	hdr http.Header
	// out is the response being written: its head, then its body; end
	// holds the end of a head made after the body was buffered.
	out, end []byte
	// headStart is when the head being read began, as net/http counts it
	// for ReadHeaderTimeout and ReadTimeout: when the connection was
	// accepted for its first request, when the first bytes of a later one
	// came; zero while those bytes came with the rest of the head.
	headStart time.Time
	// gone is set once the connection belongs to net/http.
	gone bool
	// outBuf is the pooled buffer c.out was taken from, by the first
	// write of a response; nil while nothing is written.
	outBuf *[]byte

	// watch is where the watch for the client going away stands
	// (watchOff, watchReady, watchOn); watchMu orders its start before
	// its stop.
	watch   atomic.Int32
	watchMu sync.Mutex
	// watched has the watcher's word when it returns; it is made by the
	// first watch.
	watched chan struct{}
	// early is the byte the watcher read, when hasEarly: the start of
	// the next request, read before the rest of the connection.
	early    [1]byte
	hasEarly bool
	// left is set by the watcher when the client closed or reset the
	// connection.
	left bool
}

// The states of conn.watch.
const (
	watchOff    int32 = iota // no handler runs: Done starts no watch
	watchReady               // a handler runs and no watch
	watchOn                  // a goroutine reads from the connection
	watchInline              // the handler reads it, in WaitForClient
)

// request is a request, its URL and the values of its header, kept by
// the connection from one request to the next.
type request struct {
	http.Request
	url  url.URL
	vals [12]string
}

func (c *conn) serve() {
	defer c.s.untrack(c)
	defer func() {
		if v := recover(); v != nil {
			c.s.logf("fastpath: panic serving %v: %v\n%s", c.rwc.RemoteAddr(), v, debug.Stack())
		}
		if !c.gone {
			c.rwc.Close()
		}
		c.putReader()
		if c.cancel != nil {
			c.cancel()
		}
	}()

	hs := c.s.HTTP
	headerTimeout := hs.ReadHeaderTimeout
	if headerTimeout <= 0 {
		headerTimeout = hs.ReadTimeout
	}
	idleTimeout := hs.IdleTimeout
	if idleTimeout <= 0 {
		idleTimeout = hs.ReadTimeout
	}
	maxHead := readerSize
	if m := hs.MaxHeaderBytes; m > 0 && m < maxHead {
		maxHead = m
	}
	for first := true; ; first = false {
		wait := idleTimeout
		c.headStart = time.Time{}
		now := time.Now()
		if first {
			wait = headerTimeout
			c.headStart = now
		}
		setDeadline(c.rwc.SetReadDeadline, now, wait)
		c.idle.Store(true)
		if c.s.closing.Load() {
			return
		}
		if c.br == nil {
			c.br = readers.Get().(*bufio.Reader)
			c.br.Reset(c)
		}
		n, fast, err := c.readHead(first, headerTimeout, maxHead)
		if err != nil {
			// EOF, a timeout or a reset, at the start of a request or in
			// its head: net/http closes without a word too.
			return
		}
		r := &c.req
		if fast {
			r.Request = c.tmpl
			if c.hdr == nil {
				c.hdr = make(http.Header, 8)
			}
			clear(c.hdr)
			fast = parseHead(string(c.peek()[:n]), &r.Request, &r.url, r.vals[:], c.hdr) && c.s.servesQuery(&r.url)
		}
		if !fast {
			c.handOff()
			return
		}
		c.idle.Store(false)
		c.br.Discard(n)
		if c.br.Buffered() == 0 {
			// Nothing of the next request has come: the handler, which
			// may wait a long time, runs without a read buffer.
			c.putReader()
		}
		now = time.Now()
		setDeadline(c.rwc.SetWriteDeadline, now, hs.WriteTimeout)
		if !c.serveRequest(&r.Request) {
			return
		}
	}
}

// servesQuery reports whether a request for u is served here: one
// without a query, or one Query accepts.
func (s *Server) servesQuery(u *url.URL) bool {
	return u.RawQuery == "" || s.Query != nil && s.Query(u.Path, u.RawQuery)
}

// putReader gives the read buffer back to its pool.
func (c *conn) putReader() {
	if c.br != nil {
		c.br.Reset(nil)
		readers.Put(c.br)
		c.br = nil
	}
}

// Read reads the connection for the read buffer: first the byte the
// watcher read, if it read one.
func (c *conn) Read(p []byte) (int, error) {
	if c.hasEarly && len(p) > 0 {
		c.hasEarly = false
		p[0] = c.early[0]
		return 1, nil
	}
	return c.rwc.Read(p)
}

// setDeadline sets a deadline d from now, or none when d is zero.
func setDeadline(set func(time.Time) error, now time.Time, d time.Duration) {
	if d > 0 {
		set(now.Add(d))
	} else {
		set(time.Time{})
	}
}

// peek returns what the reader holds.
func (c *conn) peek() []byte {
	b, _ := c.br.Peek(c.br.Buffered())
	return b
}

// readHead waits for a request head and returns its length with the
// final blank line. fast is false, and the head not read to its end, as
// soon as the request is not one to serve here: its first line names
// another method, target or version, a line ends in a bare LF, or the
// head does not fit in maxHead bytes.
func (c *conn) readHead(first bool, headerTimeout time.Duration, maxHead int) (n int, fast bool, err error) {
	// Like net/http, wait for the first byte of a first request, and for
	// four bytes of a later one (shorter, it closes without an answer).
	min := 4
	if first {
		min = 1
	}
	if _, err := c.br.Peek(min); err != nil {
		return 0, false, err
	}
	if c.cancel == nil {
		c.start()
	}
	extended := first
	for pos := 0; ; {
		buf := c.peek()
		for {
			i := bytes.IndexByte(buf[pos:], '\n')
			if i < 0 {
				break
			}
			end := pos + i
			if end == 0 || buf[end-1] != '\r' {
				return 0, false, nil
			}
			if pos == 0 && !fastRequestLine(buf[:end-1]) {
				return 0, false, nil
			}
			if end-1 == pos {
				return end + 1, true, nil
			}
			if pos > 0 && !headerLine(buf[pos:end-1]) {
				// net/http answers 400 as soon as it reads such a line,
				// before the head ends: so shall it here.
				return 0, false, nil
			}
			pos = end + 1
		}
		if len(buf) >= maxHead || pos == 0 && !startsFast(buf) {
			return 0, false, nil
		}
		if !extended {
			// The first bytes came within the idle timeout; the rest
			// of the head gets the header timeout, as in net/http.
			extended = true
			c.headStart = time.Now()
			setDeadline(c.rwc.SetReadDeadline, c.headStart, headerTimeout)
		}
		if _, err := c.br.Peek(len(buf) + 1); err != nil {
			if errors.Is(err, io.EOF) {
				// The client ended in the middle of a head: net/http
				// answers 400, and shall, from what was read.
				return 0, false, nil
			}
			return 0, false, err
		}
	}
}

// start sets up what every request on the connection shares, once its
// first byte has come: the remote address and a context that ends with
// the connection, holding the values net/http's has.
func (c *conn) start() {
	ctx := context.Background()
	if c.s.HTTP.BaseContext != nil {
		ctx = c.s.HTTP.BaseContext(c.s.handoff)
	}
	ctx = context.WithValue(ctx, http.ServerContextKey, c.s.HTTP)
	ctx = context.WithValue(ctx, http.LocalAddrContextKey, c.rwc.LocalAddr())
	ctx, c.cancel = context.WithCancel(ctx)
	r, err := http.NewRequestWithContext(&watchedContext{ctx, c}, http.MethodGet, "/", nil)
	if err != nil {
		panic(err) // a constant request
	}
	c.tmpl = *r
	c.tmpl.RemoteAddr = c.rwc.RemoteAddr().String()
}

// handOff gives the connection to net/http, with a copy of what was read
// from it and not served (the read buffer goes back to the pool), and the
// time its request has spent here, which net/http's timeouts must count.
func (c *conn) handOff() {
	// No longer idle, under the lock wakeIdle holds: a Shutdown going
	// on must not wake net/http's request with a deadline in the past.
	c.s.mu.Lock()
	c.idle.Store(false)
	c.rwc.SetDeadline(time.Time{})
	c.s.mu.Unlock()
	c.gone = true
	hc := &handedConn{Conn: c.rwc}
	b := c.peek()
	if c.hasEarly {
		// The watcher's byte comes after what the buffer holds.
		b = append(b[:len(b):len(b)], c.early[0])
		c.hasEarly = false
	}
	if len(b) > 0 {
		hc.buf = make([]byte, len(b))
		copy(hc.buf, b)
	}
	if !c.headStart.IsZero() {
		hc.lag = time.Since(c.headStart)
	}
	c.s.give(hc)
}

// serveRequest runs the handler and writes its response. It reports
// whether the connection may serve another request.
func (c *conn) serveRequest(r *http.Request) (keep bool) {
	w := &c.w
	w.reset(c, r)
	c.watch.Store(watchReady)
	defer func() {
		stayed := c.stopWatch()
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				c.s.logf("http: panic serving %v: %v\n%s", r.RemoteAddr, v, debug.Stack())
			}
			keep = false
		}
		keep = keep && stayed
		w.req = nil
		c.putOut()
	}()
	c.s.handler().ServeHTTP(w, r)
	return w.finish()
}

// takeOut gives the response a buffer, at its first write: a handler
// that waits before it writes holds none.
func (c *conn) takeOut() {
	if c.outBuf == nil {
		c.outBuf = outBufs.Get().(*[]byte)
		c.out = (*c.outBuf)[:0]
	}
}

// putOut gives the response buffer back, so that an idle connection
// holds none; one that grew too large is dropped.
func (c *conn) putOut() {
	if c.outBuf != nil && cap(c.out) <= maxKeptBuffer {
		*c.outBuf = c.out[:0]
		outBufs.Put(c.outBuf)
	}
	c.outBuf, c.out = nil, nil
}
