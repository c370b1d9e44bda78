// Package fastpath serves the common HTTP/1.1 request itself and hands every
// other connection to net/http.
//
// A load test of the site, or a monitor polling it, sends the same plain
// request again and again on a keep-alive connection: GET or HEAD of a
// path, a Host and a few headers, no body. For that request net/http does
// work the response does not need: it reads the head through a textproto
// reader, starts a goroutine that watches the connection for each request,
// sets five deadlines, clones and re-sorts the header map, and writes a
// page larger than 4 KB in two system calls. Server reads such a request
// from its own buffer, calls the same http.Handler with its own
// ResponseWriter, and writes the whole response in one call.
//
// Anything else goes to net/http, by construction: a request Server does
// not fully understand (another method, a body, a percent-encoded or
// absolute target, a query with a percent-encoding or a semicolon, or one
// Server.Query does not accept, HTTP/1.0, an Expect or Upgrade header, an
// unusual Connection header, a bare LF, a folded or invalid header line,
// a head larger than its buffer, ...) is not parsed further.
// The connection, with a copy of the bytes read from it and not yet
// served, is handed to the http.Server in Server.HTTP, which serves it
// from that request on, with its own limits and errors, as if it had
// accepted it: its ReadHeaderTimeout and ReadTimeout count from when the
// request began, not from the hand-off, and the connection keeps nothing
// of Server's read buffer.
// An h2c connection with prior knowledge opens with the HTTP/2 preface,
// "PRI * HTTP/2.0": it is handed over whole, and net/http serves it as
// HTTP/2 when HTTP.Protocols allow unencrypted HTTP/2 (TestH2CHandedOver).
// Server does not speak TLS: a TLS listener is served by net/http alone.
// So net/http alone answers malformed requests; Server only answers
// well-formed ones, and gives the handler the *http.Request net/http would
// have given it (FuzzParseHead compares the two).
//
// The handler sees the contract of net/http with four differences: the
// body is buffered until the handler returns (or, with a Content-Length,
// until 64 KB are waiting), so Content-Length is always sent instead of
// chunking; there is no Flusher, Hijacker or trailers; the request's
// context is the connection's, ended when the connection closes or the
// client goes away, not when the handler returns; and the *http.Request,
// its header map and the ResponseWriter's header map are the
// connection's, reused by its next request, so a handler must not keep
// them, or hand them to a goroutine that outlives it. A handler that must
// flush or take the connection over is kept off Server by Server.Query,
// which sees each query before the handler runs.
//
// A request may be held for long by its handler (the live endpoint's
// ?sleep), so while the handler runs the connection holds no read buffer,
// unless bytes of a later request wait in it, and no response buffer
// until the handler first writes. net/http watches every connection for
// the client going away, with a goroutine reading it while each handler
// runs; Server starts that watch only when the handler first calls the
// context's Done (it waits on the context, or derives one from it), so a
// handler that does not wait costs no goroutine. The watch ends the
// context when the client closes or resets the connection; a byte it
// reads (a pipelined request) is kept for the next request, and ends the
// watch, as in net/http. A handler that only waits does better with the
// ResponseWriter's WaitForClient, the same watch as a read in its own
// goroutine (the live endpoint's ?sleep finds it through the middleware's
// Unwrap): a held request then costs one goroutine, not two.
package fastpath

import (
	"bufio"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server serves HTTP/1.1 connections, handing those it does not serve
// itself to HTTP.
type Server struct {
	// HTTP holds the handler and the limits: ReadHeaderTimeout (or
	// ReadTimeout) for a request head, IdleTimeout (or ReadTimeout)
	// between requests, WriteTimeout for a response, MaxHeaderBytes and
	// ErrorLog. It serves every connection handed over. Its ConnState,
	// ConnContext and TLS settings apply to those connections only.
	HTTP *http.Server
	// Query reports whether a request whose target has a query is served
	// here, from its path and its raw query (neither percent-encoded; the
	// query has no ";"). It is called concurrently. Nil serves none here:
	// every request with a query goes to net/http.
	Query func(path, rawQuery string) bool

	initOnce sync.Once
	handoff  *handoffListener

	mu       sync.Mutex
	closing  atomic.Bool
	listener net.Listener
	conns    map[*conn]struct{}
	wg       sync.WaitGroup
}

func (s *Server) init() {
	s.initOnce.Do(func() {
		s.handoff = &handoffListener{conns: make(chan net.Conn), closed: make(chan struct{})}
		s.conns = make(map[*conn]struct{})
	})
}

// Serve accepts connections on l and serves them until Shutdown or Close,
// when it returns http.ErrServerClosed. A Server serves one listener.
func (s *Server) Serve(l net.Listener) error {
	s.init()
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		return http.ErrServerClosed
	}
	if s.listener != nil {
		s.mu.Unlock()
		return errors.New("fastpath: Serve called twice")
	}
	s.listener = l
	s.handoff.addr = l.Addr()
	s.mu.Unlock()

	httpDone := make(chan error, 1)
	go func() { httpDone <- s.HTTP.Serve(s.handoff) }()

	var delay time.Duration
	for {
		rwc, err := l.Accept()
		if err != nil {
			if s.closing.Load() {
				<-httpDone
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors, or the like: wait and try
			// again, as net/http does.
			if delay == 0 {
				delay = 5 * time.Millisecond
			} else if delay *= 2; delay > time.Second {
				delay = time.Second
			}
			s.logf("fastpath: accept error: %v; retrying in %v", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := &conn{s: s, rwc: rwc}
		if !s.track(c) {
			rwc.Close()
			continue
		}
		go c.serve()
	}
}

// track adds c to the connections Shutdown waits for, unless the server is
// closing.
func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// Shutdown stops accepting, closes idle connections, lets the requests
// being served finish, and returns once every connection is closed, its
// own and net/http's, or when ctx ends (with its error; the connections
// still open are then left to Close).
func (s *Server) Shutdown(ctx context.Context) error {
	s.init()
	s.stop()
	httpErr := make(chan error, 1)
	go func() { httpErr <- s.HTTP.Shutdown(ctx) }()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	// Wake idle connections until all are gone: one that was busy when
	// asked closes after its response; one that was reading a head is
	// woken again on the next tick.
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		s.wakeIdle()
		select {
		case <-done:
			return <-httpErr
		case <-ctx.Done():
			<-httpErr
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Close closes the listener and every connection at once, its own and
// net/http's.
func (s *Server) Close() error {
	s.init()
	s.stop()
	err := s.HTTP.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.rwc.Close()
	}
	s.mu.Unlock()
	return err
}

// stop marks the server closing and closes its listener.
func (s *Server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing.Store(true)
	if s.listener != nil {
		s.listener.Close()
	}
}

// wakeIdle makes every connection waiting for a request return from its
// read; seeing the server closing, it closes.
func (s *Server) wakeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle.Load() {
			c.rwc.SetReadDeadline(aLongTimeAgo)
		}
	}
}

var aLongTimeAgo = time.Unix(1, 0)

func (s *Server) logf(format string, args ...any) {
	if s.HTTP.ErrorLog != nil {
		s.HTTP.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

func (s *Server) handler() http.Handler {
	if s.HTTP.Handler != nil {
		return s.HTTP.Handler
	}
	return http.DefaultServeMux
}

// give hands rwc to net/http, or closes it when net/http has stopped.
func (s *Server) give(rwc net.Conn) {
	select {
	case s.handoff.conns <- rwc:
	case <-s.handoff.closed:
		rwc.Close()
	}
}

// handoffListener is what net/http's Serve accepts from: the connections
// Server hands over.
type handoffListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
	addr   net.Addr
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }

// handedConn is a connection handed to net/http: reading it gives the
// bytes Server had read and not served, then the rest.
//
// net/http counts ReadHeaderTimeout and ReadTimeout from when it starts
// reading a request, but the request handed over began earlier: its head
// may have been coming for most of the header timeout already. So until
// net/http writes its first response, each read deadline it sets is moved
// earlier by lag, the time the request spent with Server: its timeouts
// count from when the request began, as if it had read it from the start.
type handedConn struct {
	net.Conn
	// buf holds the unread bytes, nil once they are read.
	buf []byte
	lag time.Duration
	// wrote is set by the first write: deadlines set after it are for
	// later requests, which net/http reads from their start.
	wrote atomic.Bool
}

// NetConn returns the connection handed over, as tls.Conn's NetConn
// does: a handler that takes the connection over (the live endpoint's
// faults) reaches the *net.TCPConn through it, to reset it.
func (c *handedConn) NetConn() net.Conn { return c.Conn }

func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.buf) > 0 {
		n := copy(p, c.buf)
		if c.buf = c.buf[n:]; len(c.buf) == 0 {
			c.buf = nil
		}
		return n, nil
	}
	return c.Conn.Read(p)
}

func (c *handedConn) Write(p []byte) (int, error) {
	if !c.wrote.Load() {
		c.wrote.Store(true)
	}
	return c.Conn.Write(p)
}

func (c *handedConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.carried(t))
}

func (c *handedConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetReadDeadline(c.carried(t)); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

// carried returns the read deadline t moved earlier by lag while the
// handed request is being read; no deadline stays none.
func (c *handedConn) carried(t time.Time) time.Time {
	if t.IsZero() || c.lag <= 0 || c.wrote.Load() {
		return t
	}
	return t.Add(-c.lag)
}

// CloseWrite lets net/http half-close a TCP connection after an error
// response, as it does with its own.
func (c *handedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// readerSize is the buffer a request head must fit in to be served here;
// a larger head goes to net/http, which applies MaxHeaderBytes.
const readerSize = 4 << 10

var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readerSize) }}
