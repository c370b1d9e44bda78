//go:build unix

package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/fastpath"
	"github.com/httpstatus/httpstatus/tools/bench"
)

// BenchmarkHTTP1 serves requests through net/http's own server, over a
// connection held in memory: the whole cost of a request in the process
// (parsing it, routing, the handler, writing the header block and the
// body), without the kernel's. Each scenario runs httpstatus, the bare
// handler of "make bench" serving the bytes httpstatus answered, and the
// bare handler sending httpstatus's whole header block too: the cpu-ns/op
// figures give the ratio the speed goals are stated in, far more steadily
// than a load test on a busy machine, and tell what the headers cost from
// what httpstatus's own code costs.
func BenchmarkHTTP1(b *testing.B) {
	s := newServer(b)
	for _, p := range hotPaths {
		switch p.name {
		case "doc page", "doc page gzip", "negotiated json", "status 503":
		default:
			continue
		}
		req := p.request()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		rt := bench.Route{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), ETag: res.Header.Get("ETag")}
		var plain, gz []byte = body, nil
		if res.Header.Get("Content-Encoding") == "gzip" {
			plain, gz = []byte("unused"), body
			rt.GzipETag = rt.ETag
		}
		bare := bench.BareHandler(rt, plain, gz)
		rt.Headers = bench.OtherHeaders(res.Header)
		same := bench.BareHandler(rt, plain, gz)
		wire := wireRequest(req)
		b.Run(p.name+"/httpstatus", func(b *testing.B) { serveInMemory(b, s, wire) })
		b.Run(p.name+"/httpstatus-fastpath", func(b *testing.B) { serveInMemoryFastPath(b, s, wire) })
		b.Run(p.name+"/bare", func(b *testing.B) { serveInMemory(b, bare, wire) })
		b.Run(p.name+"/bare-same-headers", func(b *testing.B) { serveInMemory(b, same, wire) })
	}
}

// wireRequest is req as a client sends it on a keep-alive connection.
func wireRequest(req *http.Request) []byte {
	out := []byte(req.Method + " " + req.URL.RequestURI() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n")
	for k, vs := range req.Header {
		for _, v := range vs {
			out = append(out, k+": "+v+"\r\n"...)
		}
	}
	return append(out, "\r\n"...)
}

// serveInMemory serves b.N copies of req with an http.Server on one
// in-memory connection, and reports the process's CPU time per request.
func serveInMemory(b *testing.B, h http.Handler, req []byte) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	serveConn(b, srv.Serve, srv.Close, req)
}

// serveInMemoryFastPath is serveInMemory with fastpath.Server in front, as
// "httpstatus serve" runs.
func serveInMemoryFastPath(b *testing.B, h http.Handler, req []byte) {
	srv := &fastpath.Server{HTTP: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}}
	serveConn(b, srv.Serve, srv.Close, req)
}

func serveConn(b *testing.B, serve func(net.Listener) error, close func() error, req []byte) {
	ln := &memListener{conns: make(chan net.Conn, 1), closed: make(chan struct{})}
	go serve(ln)
	defer close()
	c := &memConn{req: req, left: b.N, off: len(req), done: make(chan struct{})}
	b.ReportAllocs()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	ln.conns <- c
	<-c.done
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// memConn is a client connection in memory: reading it gives the same
// request left more times, then EOF; what the server writes is counted.
type memConn struct {
	req       []byte
	left, off int
	wrote     int64
	done      chan struct{}
	once      sync.Once
}

func (c *memConn) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.off == len(c.req) {
			if c.left == 0 {
				break
			}
			c.left--
			c.off = 0
		}
		k := copy(p[n:], c.req[c.off:])
		c.off += k
		n += k
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (c *memConn) Write(p []byte) (int, error) {
	c.wrote += int64(len(p))
	return len(p), nil
}

func (c *memConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// memListener hands the server the connections sent on conns.
type memListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *memListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }

// BenchmarkHeaderBlock is what the number of response headers costs in
// net/http, whatever the handler: the same 3 KB body with the 4 headers of
// the bare handler, then with the site's others added. net/http clones,
// sorts and writes the header map for every response, and a map of more
// than 8 keys grows out of its single group: from the 9th header on, each
// response allocates 5 more objects and 1.2 KB more.
func BenchmarkHeaderBlock(b *testing.B) {
	others := [][2]string{
		{"Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
		{"X-Content-Type-Options", "nosniff"},
		{"Vary", "Accept, Accept-Encoding"},
		{"Cache-Control", "public, max-age=3600"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
	}
	body := bytes.Repeat([]byte("x"), 3166)
	req := []byte("GET /503 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nAccept-Encoding: gzip\r\n\r\n")
	for _, n := range []int{0, 4, 5, len(others)} {
		vals := make([][]string, len(others))
		for i, kv := range others {
			vals[i] = []string{kv[1]}
		}
		ce, ct, cl, tag := []string{"gzip"}, []string{"text/html; charset=utf-8"}, []string{strconv.Itoa(len(body))}, []string{`"0123456789abcdef"`}
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hd := w.Header()
			for i, kv := range others[:n] {
				hd[kv[0]] = vals[i]
			}
			hd["Content-Encoding"], hd["Content-Type"], hd["Content-Length"], hd["Etag"] = ce, ct, cl, tag
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		})
		b.Run(fmt.Sprintf("headers=%d", n+4), func(b *testing.B) { serveInMemory(b, h, req) })
	}
}

// TestAllocBudgetFastPath holds whole requests, as "httpstatus serve" reads
// and answers them on a keep-alive connection, to an allocation budget: the
// handler's (TestAllocBudget) and the fast path's one, the request head as a
// string (the request, its URL and header map are the connection's, reused).
func TestAllocBudgetFastPath(t *testing.T) {
	s := newServer(t)
	for _, p := range hotPaths {
		handler, ok := allocBudget[p.name]
		if !ok {
			continue
		}
		max := handler + 1
		req := p.request()
		s.ServeHTTP(newDiscardWriter(), req) // render and cache the page
		const n = 2000
		ln := &memListener{conns: make(chan net.Conn, 1), closed: make(chan struct{})}
		srv := &fastpath.Server{HTTP: &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}}
		go srv.Serve(ln)
		wire := wireRequest(req)
		c := &memConn{req: wire, left: n, off: len(wire), done: make(chan struct{})}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ln.conns <- c
		<-c.done
		runtime.ReadMemStats(&after)
		srv.Close()
		// The connection's own allocations (its goroutine, context and
		// first request) spread over n requests; the average is rounded
		// down, as testing.AllocsPerRun does (the race detector's pools
		// drop some of what is put in them).
		got := float64((after.Mallocs - before.Mallocs) / n)
		if got > max {
			t.Errorf("%s (%s %s): %.2f allocations per request through the fast path, budget %.0f", p.name, p.method, p.target, got, max)
		}
		if c.wrote < n*int64(len("HTTP/1.1 200 OK\r\n")) {
			t.Errorf("%s: %d bytes written for %d requests", p.name, c.wrote, n)
		}
	}
}
