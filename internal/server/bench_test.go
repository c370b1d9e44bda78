package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps the status and counts the
// body, with a header map that is cleared, not reallocated, between
// requests, so that benchmarks and allocation budgets measure the
// handler and not the recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func newDiscardWriter() *discardWriter { return &discardWriter{h: http.Header{}} }

func (w *discardWriter) Header() http.Header { return w.h }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(b)
	return len(b), nil
}

func (w *discardWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

// hotPath is one request the server answers often.
type hotPath struct {
	name       string
	method     string
	target     string
	header     map[string]string
	wantStatus int
}

// browser is the Accept header Firefox and Chrome send for a page.
const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// hotPaths are the requests the benchmarks and the allocation budget cover.
var hotPaths = []hotPath{
	{"doc page", "GET", "/503", map[string]string{"Accept": browser}, 200},
	{"doc page gzip", "GET", "/503", map[string]string{"Accept": browser, "Accept-Encoding": "gzip, deflate, br, zstd"}, 200},
	{"doc page 304", "GET", "/503", map[string]string{"Accept": browser, "Accept-Encoding": "gzip, deflate, br, zstd", "If-None-Match": "*"}, 304},
	{"negotiated json", "GET", "/503", map[string]string{"Accept": "application/json"}, 200},
	{"negotiated text", "GET", "/503", map[string]string{"Accept": "*/*"}, 200},
	{"json extension", "GET", "/503.json", nil, 200},
	{"class page", "GET", "/5xx", map[string]string{"Accept": browser, "Accept-Encoding": "gzip"}, 200},
	{"home", "GET", "/", map[string]string{"Accept": browser, "Accept-Encoding": "gzip"}, 200},
	{"status 503", "GET", "/status/503", nil, 503},
	{"status random", "GET", "/status/200,500", nil, 0},
	{"search", "GET", "/search?q=gateway+timeout", map[string]string{"Accept": browser}, 200},
}

func (p hotPath) request() *http.Request {
	req := httptest.NewRequest(p.method, p.target, nil)
	for k, v := range p.header {
		req.Header.Set(k, v)
	}
	return req
}

// BenchmarkServe serves each hot path through the whole handler: the
// middleware, the router, negotiation and the page cache.
func BenchmarkServe(b *testing.B) {
	s := newServer(b)
	for _, p := range hotPaths {
		b.Run(p.name, func(b *testing.B) {
			req, w := p.request(), newDiscardWriter()
			s.ServeHTTP(w, req) // render it once, outside the timing
			if p.wantStatus != 0 && w.status != p.wantStatus {
				b.Fatalf("%s %s: status %d, want %d", p.method, p.target, w.status, p.wantStatus)
			}
			size := w.n
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w.reset()
				s.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkServeParallel serves a doc page from every P at once, to show
// contention in the page cache or the middleware.
func BenchmarkServeParallel(b *testing.B) {
	s := newServer(b)
	p := hotPaths[1]
	req, w := p.request(), newDiscardWriter()
	s.ServeHTTP(w, req) // render it once, outside the timing
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, w := p.request(), newDiscardWriter()
		for pb.Next() {
			w.reset()
			s.ServeHTTP(w, req)
		}
	})
}
