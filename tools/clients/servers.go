package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// recorder keeps the requests the servers of one run saw. Safe for
// concurrent use.
type recorder struct {
	mu   sync.Mutex
	reqs []catalog.ClientRequest
	last time.Time // when the last request came
}

// recorded are the paths of the scenarios' requests. Nothing else is
// recorded: not a browser's own request for a favicon, nor a stray
// request of another program to a port that was its own a moment ago.
var recorded = []string{"/status/", "/loop/", "/cross", "/landing", "/choices"}

// add records r, if its path is one of recorded, and returns a function
// that sets the length of its body once read.
func (rec *recorder) add(r *http.Request, origin string) func(n int) {
	if !slices.ContainsFunc(recorded, func(p string) bool { return strings.HasPrefix(r.URL.Path, p) }) {
		return func(int) {}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	now := time.Now()
	q := catalog.ClientRequest{Method: r.Method, Path: r.URL.RequestURI(), Origin: origin, Auth: r.Header.Get("Authorization") != ""}
	if n := len(rec.reqs); n > 0 && rec.reqs[n-1].Method == q.Method && rec.reqs[n-1].Path == q.Path {
		q.After = int(now.Sub(rec.last) / time.Second)
	}
	rec.last = now
	rec.reqs = append(rec.reqs, q)
	i := len(rec.reqs) - 1
	return func(n int) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.reqs[i].Body = n
	}
}

func (rec *recorder) requests() []catalog.ClientRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]catalog.ClientRequest{}, rec.reqs...)
}

// listener accepts connections on a fresh loopback port until ctx is done
// and hands each to serve, which must return once ctx is done. It returns
// the base URL, http://127.0.0.1:PORT.
func listen(ctx context.Context, wg *sync.WaitGroup, serve func(ctx context.Context, c net.Conn)) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		ln.Close()
	}()
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-ctx.Done()
				c.Close()
			}()
			go func() {
				defer wg.Done()
				serve(ctx, c)
			}()
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// proxyTo returns a connection server that passes the bytes of each
// connection to backend unchanged, both ways, and records the requests
// it sees go by (parsed with net/http's ReadRequest from a copy of the
// stream). A reset from backend is passed on as a reset.
func proxyTo(backend string, rec *recorder) func(ctx context.Context, c net.Conn) {
	return func(ctx context.Context, c net.Conn) {
		defer c.Close()
		var d net.Dialer
		b, err := d.DialContext(ctx, "tcp", backend)
		if err != nil {
			return
		}
		defer b.Close()
		done := make(chan struct{})
		go func() {
			defer close(done)
			// The live endpoint's faults reach the client as they left
			// it: a reset as a reset, once the client has what came
			// before it; a close as a close.
			if _, err := io.Copy(c, b); errors.Is(err, syscall.ECONNRESET) {
				time.Sleep(settle)
				reset(c.(*net.TCPConn))
				return
			}
			c.(*net.TCPConn).CloseWrite()
		}()
		br := bufio.NewReader(io.TeeReader(c, b))
		for {
			r, err := http.ReadRequest(br)
			if err != nil {
				break
			}
			setBody := rec.add(r, "")
			n, _ := io.Copy(io.Discard, r.Body)
			setBody(int(n))
		}
		io.Copy(io.Discard, br) // whatever else the client sends still goes through
		b.(*net.TCPConn).CloseWrite()
		select {
		case <-done:
		case <-ctx.Done():
		}
	}
}

// readRequest reads and records one request of c, body included.
func readRequest(c net.Conn, br *bufio.Reader, rec *recorder, origin string) (*http.Request, error) {
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r, err := http.ReadRequest(br)
	if err != nil {
		return nil, err
	}
	setBody := rec.add(r, origin)
	n, _ := io.Copy(io.Discard, r.Body)
	setBody(int(n))
	return r, nil
}

// harnessHandler serves what the live endpoint cannot express:
//
//	/loop/N   302 to /loop/N+1, for ever (200 at loopEnd)
//	/cross    302 to other's /landing, another origin
//	/choices  300 with a preferred choice, /landing, in Location
//	/landing  200
//
// Every answer allows any origin, and preflights get 204, so that a
// page's fetch sees the same as any other client.
func harnessHandler(rec *recorder, origin, other string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setBody := rec.add(r, origin)
		n, _ := io.Copy(io.Discard, r.Body)
		setBody(int(n))
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cache-Control", "no-store")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Headers", "*, Authorization")
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		switch {
		case strings.HasPrefix(r.URL.Path, "/loop/"):
			n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/loop/"))
			if err != nil || n >= loopEnd {
				fmt.Fprintln(w, "end of the chain")
				return
			}
			h.Set("Location", "/loop/"+strconv.Itoa(n+1))
			w.WriteHeader(http.StatusFound)
		case r.URL.Path == "/cross":
			h.Set("Location", other+"/landing")
			w.WriteHeader(http.StatusFound)
		case r.URL.Path == "/choices":
			h.Set("Location", "/landing")
			h.Set("Link", `</landing>; rel="alternate"; type="text/plain"`)
			w.WriteHeader(http.StatusMultipleChoices)
			fmt.Fprintln(w, "choose /landing (text/plain)")
		default:
			fmt.Fprintln(w, "landed")
		}
	})
}

// loopEnd is where the endless redirect chain ends after all, so that a
// client without a limit still finishes.
const loopEnd = 100

// serveHTTP returns a connection server that serves h over HTTP/1.1.
func serveHTTP(h http.Handler) func(ctx context.Context, c net.Conn) {
	return func(ctx context.Context, c net.Conn) {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		srv.Serve(&oneConn{c: c, done: ctx.Done()})
	}
}

// oneConn is a listener that accepts one connection, then blocks until
// done.
type oneConn struct {
	c    net.Conn
	once sync.Once
	done <-chan struct{}
}

func (l *oneConn) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = l.c })
	if c != nil {
		return c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return l.c.LocalAddr() }

// play is what the raw server does on a connection after reading one
// request.
type play func(ctx context.Context, c *net.TCPConn)

// settle is how long the proxy waits before it passes on a reset, so
// that the client has read what came before it.
const settle = 100 * time.Millisecond

// bodyHold is how long a server keeps the connection open after a
// response that must not have a body but has one.
const bodyHold = 5 * time.Second

// withBody answers status with a body that the status forbids, with no
// Content-Length (as a careless server does), keeps the connection open
// for bodyHold and closes it.
func withBody(status int) play {
	return func(ctx context.Context, c *net.TCPConn) {
		fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n\r\nunexpected body\n", status, http.StatusText(status))
		select {
		case <-time.After(bodyHold):
		case <-ctx.Done():
		}
		c.Close()
	}
}

// reset closes c with a TCP RST.
func reset(c *net.TCPConn) {
	c.SetLinger(0)
	c.Close()
}

// serveRaw returns a connection server that reads one request (recorded),
// then plays p.
func serveRaw(p play, rec *recorder) func(ctx context.Context, c net.Conn) {
	return func(ctx context.Context, c net.Conn) {
		defer c.Close()
		if _, err := readRequest(c, bufio.NewReader(c), rec, ""); err != nil {
			return
		}
		p(ctx, c.(*net.TCPConn))
	}
}
