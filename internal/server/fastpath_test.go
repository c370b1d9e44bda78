package server_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/fastpath"
)

// TestFastPathSameAsNetHTTP serves the site through the fast path, as "httpstatus serve"
// does, and through net/http's server alone, and requires the same bytes
// back (but for the Date) for every page, every format and encoding
// negotiated, conditional requests, every status of the live endpoint
// with and without requested response headers, GET and HEAD.
func TestFastPathSameAsNetHTTP(t *testing.T) {
	s := newServer(t)
	listen := func(serve func(net.Listener) error) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go serve(ln)
		return ln.Addr().String()
	}
	fast := &fastpath.Server{HTTP: &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}}
	std := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	fastAddr, stdAddr := listen(fast.Serve), listen(std.Serve)
	t.Cleanup(func() { fast.Close(); std.Close() })

	date := regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)
	exchange := func(addr, req string) string {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, req)
		c.(*net.TCPConn).CloseWrite()
		b, err := io.ReadAll(c)
		if err != nil && !errors.Is(err, net.ErrClosed) {
			t.Fatalf("%q: %v", req, err)
		}
		return date.ReplaceAllString(string(b), "Date: X\r")
	}
	var paths []string
	for code := 100; code <= 599; code++ {
		paths = append(paths, "/status/"+strconv.Itoa(code))
	}
	for _, p := range []string{"/", "/1xx", "/2xx", "/3xx", "/4xx", "/5xx", "/503", "/418", "/299", "/999", "/520", "/nope", "/healthz", "/robots.txt", "/sitemap.xml", "/favicon.ico", "/status/999", "/status/700", "/status/abc"} {
		paths = append(paths, p, p+".json", p+".txt")
	}
	accepts := []string{"", "Accept: text/html\r\nAccept-Encoding: gzip, deflate, br\r\n", "Accept: application/json\r\n", "Accept: */*\r\nAccept-Encoding: gzip\r\n", "Accept: image/png\r\n",
		"If-None-Match: *\r\n", "X-HttpStatus-Response-Retry-After: 120\r\nX-Httpstatus-Response-X-Test: a b\r\n"}
	n := 0
	for _, p := range paths {
		for _, method := range []string{"GET", "HEAD"} {
			for _, accept := range accepts {
				req := method + " " + p + " HTTP/1.1\r\nHost: example.org\r\n" + accept + "\r\n"
				got, want := exchange(fastAddr, req), exchange(stdAddr, req)
				if got != want {
					t.Errorf("%q:\nthrough the fast path\n%q\nthrough net/http\n%q", req, got, want)
					if n++; n > 5 {
						t.Fatal("too many differences")
					}
				}
			}
		}
	}
}
