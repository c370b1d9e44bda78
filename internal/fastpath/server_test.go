package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fastSeen counts, by path, the requests the test handler was given
// through Server's own ResponseWriter.
var fastSeen sync.Map

// testHandler answers each path in one of the ways a handler may: with or
// without Content-Length or Content-Type, an interim response, a status
// without a body, too short or too long a body, a panic, ...
func testHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", "12")
		w.Header().Set("Etag", `"abc"`)
		w.Header().Set("X-Z", "last")
		w.Header().Set("Vary", "Accept")
		io.WriteString(w, "hello world\n")
	})
	mux.HandleFunc("/nocl", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello ")
		w.Write([]byte("world"))
	})
	mux.HandleFunc("/sniff", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!DOCTYPE html><html><body>hi</body></html>"))
	})
	mux.HandleFunc("/ce", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte("\x1f\x8b not really"))
	})
	mux.HandleFunc("/204", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(http.StatusNoContent)
		if _, err := w.Write([]byte("oops")); !errors.Is(err, http.ErrBodyNotAllowed) {
			panic(fmt.Sprint("write to 204: ", err))
		}
	})
	mux.HandleFunc("/304", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5")
		w.Header().Set("Etag", `"abc"`)
		w.WriteHeader(http.StatusNotModified)
	})
	mux.HandleFunc("/103", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "final\n")
	})
	mux.HandleFunc("/101", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusSwitchingProtocols)
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye\n")
	})
	mux.HandleFunc("/keep", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "keep-alive")
		io.WriteString(w, "kept\n")
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		io.WriteString(w, "12345")
	})
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "3")
		if _, err := io.WriteString(w, "12345"); !errors.Is(err, http.ErrContentLength) {
			panic(fmt.Sprint("long write: ", err))
		}
		io.WriteString(w, "123")
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "partial")
		panic("test panic")
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	})
	mux.HandleFunc("/twice", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "accepted\n")
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/299", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(299)
		io.WriteString(w, "unassigned\n")
	})
	mux.HandleFunc("/values", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Lines"] = []string{" a\r\nb\nc "}
		h["Bad Name"] = []string{"dropped"}
		h["X-Multi"] = []string{"1", "2"}
		h["Date"] = []string{"Mon, 01 Jan 2001 00:00:00 GMT"}
		io.WriteString(w, "values\n")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		body := bytes.Repeat([]byte("0123456789abcdef"), 100<<10/16)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		for len(body) > 0 {
			n := min(len(body), 3000)
			w.Write(body[:n])
			body = body[n:]
		}
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprintf(&b, "method=%s path=%q raw=%q query=%q uri=%q host=%q proto=%s %d.%d close=%v cl=%d nobody=%v remote=%v srv=%v local=%v\n",
			r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.RequestURI, r.Host, r.Proto, r.ProtoMajor, r.ProtoMinor,
			r.Close, r.ContentLength, r.Body == http.NoBody, r.RemoteAddr != "",
			r.Context().Value(http.ServerContextKey) != nil, r.Context().Value(http.LocalAddrContextKey) != nil)
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range r.Header {
				if !yield(k) {
					return
				}
			}
		}) {
			fmt.Fprintf(&b, "%s=%q\n", k, r.Header[k])
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(&b, "body=%q\n", body)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, b.String())
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(*response); ok {
			n, _ := fastSeen.LoadOrStore(r.URL.Path, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
		}
		mux.ServeHTTP(w, r)
	})
}

// testQuery is the tests' Server.Query: every query but one that names
// "std" is served here.
func testQuery(_, rawQuery string) bool { return !strings.Contains(rawQuery, "std") }

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 2 * time.Second,
		IdleTimeout:       5 * time.Second,
		WriteTimeout:      5 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

// startFast starts a Server on loopback and returns its address.
func startFast(t testing.TB, hs *http.Server) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HTTP: hs, Query: testQuery}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, ln.Addr().String()
}

// startStd starts a plain http.Server on loopback and returns its address.
func startStd(t testing.TB, hs *http.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// connect dials addr and gives everything on the connection a deadline
// of 10 s, so that a test that would hang fails instead. The caller closes
// it.
func connect(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// exchange sends raw on a new connection, closes its writing side, and
// returns all the server sent until it closed the connection.
func exchange(t testing.TB, addr, raw string) string {
	t.Helper()
	c := connect(t, addr)
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	out, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "reset by peer") {
		t.Fatalf("read: %v (after %q)", err, out)
	}
	return string(out)
}

var dateLine = regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)

// TestSameAsNetHTTP sends the same bytes to a Server and to a plain
// net/http server with the same handler, and requires the same bytes
// back, but for the Date: requests Server serves itself, requests it
// hands over at once, and connections it hands over after serving some.
func TestSameAsNetHTTP(t *testing.T) {
	fast, fastAddr := startFast(t, newHTTPServer(testHandler()))
	_ = fast
	stdAddr := startStd(t, newHTTPServer(testHandler()))
	get := func(path string, headers ...string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: example.org\r\n" + strings.Join(headers, "") + "\r\n"
	}
	head := func(path string) string { return "HEAD " + path + " HTTP/1.1\r\nHost: example.org\r\n\r\n" }
	cases := []struct {
		name string
		raw  string
		fast []string // paths the Server must have served itself
	}{
		{"plain", get("/plain"), []string{"/plain"}},
		{"head", head("/plain"), []string{"/plain"}},
		{"no content-length", get("/nocl"), []string{"/nocl"}},
		{"head no content-length", head("/nocl"), []string{"/nocl"}},
		{"sniffed", get("/sniff"), []string{"/sniff"}},
		{"head sniffed", head("/sniff"), []string{"/sniff"}},
		{"content-encoding, no type", get("/ce"), []string{"/ce"}},
		{"204", get("/204") + get("/plain"), []string{"/204"}},
		{"304", get("/304") + get("/plain"), []string{"/304"}},
		{"103 then 200", get("/103") + get("/plain"), []string{"/103"}},
		{"101 ends the connection", get("/101") + get("/plain"), []string{"/101"}},
		{"handler's Connection: close", get("/close") + get("/plain"), []string{"/close"}},
		{"client's Connection: close", get("/keep", "Connection: close\r\n") + get("/plain"), []string{"/keep"}},
		{"Connection: keep-alive, CLOSE", get("/plain", "Connection: keep-alive, CLOSE\r\n") + get("/plain"), []string{"/plain"}},
		{"short body", get("/short") + get("/plain"), []string{"/short"}},
		{"long body", get("/long") + get("/plain"), []string{"/long"}},
		{"panic", get("/panic") + get("/plain"), []string{"/panic"}},
		{"abort", get("/abort") + get("/plain"), []string{"/abort"}},
		{"WriteHeader twice", get("/twice"), []string{"/twice"}},
		{"nothing written", get("/empty"), []string{"/empty"}},
		{"unknown status", get("/299"), []string{"/299"}},
		{"odd header values", get("/values"), []string{"/values"}},
		{"100 KB body", get("/big"), []string{"/big"}},
		{"pipelined", get("/plain") + head("/nocl") + get("/sniff") + get("/echo"), []string{"/plain", "/nocl", "/sniff", "/echo"}},
		{"not found", get("/nothing/here"), []string{"/nothing/here"}},
		{"path that the mux cleans", get("//plain/../plain"), []string{"//plain/../plain"}},
		{"echo", get("/echo", "accept: text/html\r\n", "X-Two: 1\r\n", "x-two:\t2 \r\n", "Empty:\r\n", "Cookie: a=b; c=d\r\n"), []string{"/echo"}},
		{"pragma", get("/echo", "Pragma: no-cache\r\n"), []string{"/echo"}},
		{"pragma and cache-control", get("/echo", "Pragma: no-cache\r\n", "Cache-Control: max-age=0\r\n"), []string{"/echo"}},
		{"path characters", get("/echo/a-b_c.d~e$f&g+h,i:j;k=l@m"), []string{"/echo/a-b_c.d~e$f&g+h,i:j;k=l@m"}},
		{"host with port", "GET /echo HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", []string{"/echo"}},
		{"keep-alive then a body", get("/echo") + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" + get("/echo"), []string{"/echo"}},
		{"query", get("/echo?a=1&b=2+3&c=/d:e@f?g,h$i~j"), []string{"/echo"}},
		{"head with query", head("/plain?x=1"), []string{"/plain"}},
		{"pipelined with queries", get("/echo?a=1") + get("/plain") + get("/echo?b=2"), []string{"/echo", "/plain"}},
		{"query then one Query refuses", get("/echo?a=1") + get("/echo?std=1"), []string{"/echo"}},

		// Handed over at once.
		{"post", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", nil},
		{"percent-encoded query", get("/echo?a=1&b=%20"), nil},
		{"query with a semicolon", get("/echo?a=1;b=2"), nil},
		{"empty query", get("/echo?"), nil},
		{"query Query refuses", get("/echo?std=1"), nil},
		{"percent-encoded", get("/echo/a%20b"), nil},
		{"encoded slash", get("/echo/a%2fb"), nil},
		{"absolute form", "GET http://example.org/echo HTTP/1.1\r\nHost: example.org\r\n\r\n", nil},
		{"HTTP/1.0", "GET /echo HTTP/1.0\r\nHost: a\r\n\r\n", nil},
		{"HTTP/1.0 without Host", "GET /echo HTTP/1.0\r\n\r\n", nil},
		{"no Host", "GET /echo HTTP/1.1\r\n\r\n", nil},
		{"two Hosts", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", nil},
		{"empty Host", "GET /echo HTTP/1.1\r\nHost:\r\n\r\n", nil},
		{"odd Host", "GET /echo HTTP/1.1\r\nHost: a/b\r\n\r\n", nil},
		{"bare LF", "GET /echo HTTP/1.1\nHost: a\n\n", nil},
		{"bare LF in headers", "GET /echo HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", nil},
		{"folded header", get("/echo", "X: a\r\n b\r\n"), nil},
		{"space before colon", get("/echo", "X : a\r\n"), nil},
		{"NUL in value", get("/echo", "X: a\x00b\r\n"), nil},
		{"CR in value", get("/echo", "X: a\rb\r\n"), nil},
		{"no colon", get("/echo", "X\r\n"), nil},
		{"Expect", get("/echo", "Expect: 100-continue\r\n"), nil},
		{"Upgrade", get("/echo", "Connection: Upgrade\r\n", "Upgrade: h2c\r\n"), nil},
		{"chunked GET", get("/echo", "Transfer-Encoding: chunked\r\n") + "3\r\nabc\r\n0\r\n\r\n", nil},
		{"Content-Length: 0", get("/echo", "Content-Length: 0\r\n"), nil},
		{"head over 4 KB", get("/echo", "X-Big: "+strings.Repeat("b", 5000)+"\r\n"), nil},
		{"head over MaxHeaderBytes", get("/echo", "X-Big: "+strings.Repeat("b", 20000)+"\r\n"), nil},
		{"lower-case method", "get /echo HTTP/1.1\r\nHost: a\r\n\r\n", nil},
		{"two spaces", "GET  /echo HTTP/1.1\r\nHost: a\r\n\r\n", nil},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", nil},
		{"TRACE", "TRACE /echo HTTP/1.1\r\nHost: a\r\n\r\n", nil},
		{"blank line first", "\r\n" + get("/echo"), nil},
		{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", nil},
		{"garbage", "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", nil},
		{"truncated head", "GET /echo HTTP/1.1\r\nHost: a\r\n", nil},
		{"truncated request line", "GET /ec", nil},
		{"nothing", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fastSeen.Clear()
			want := dateLine.ReplaceAllString(exchange(t, stdAddr, tc.raw), "Date: X\r")
			got := dateLine.ReplaceAllString(exchange(t, fastAddr, tc.raw), "Date: X\r")
			if got != want {
				t.Errorf("Server sent\n%q\nnet/http sent\n%q", got, want)
			}
			for _, p := range tc.fast {
				if n, _ := fastSeen.Load(p); n == nil {
					t.Errorf("%s was not served by Server itself", p)
				}
			}
			if tc.fast == nil {
				fastSeen.Range(func(k, _ any) bool {
					t.Errorf("%s was served by Server itself; net/http should have", k)
					return true
				})
			}
		})
	}
}

// TestDifferences checks the two ways Server's responses differ from
// net/http's, both from buffering the body: a body without a
// Content-Length gets one, however long, where net/http chunks one over
// 2 KB; and a handler's Transfer-Encoding and trailers are not sent.
func TestDifferences(t *testing.T) {
	body := strings.Repeat("x", 10000)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/trailer" {
			w.Header().Set("Trailer", "X-T")
			w.Header().Set("Transfer-Encoding", "chunked")
		}
		for i := 0; i < len(body); i += 1000 {
			io.WriteString(w, body[i:i+1000])
		}
		w.Header().Set("X-T", "late")
	})
	_, addr := startFast(t, newHTTPServer(h))
	for _, path := range []string{"/long", "/trailer"} {
		got := exchange(t, addr, "GET "+path+" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(strings.NewReader(got)), nil)
		if err != nil {
			t.Fatalf("%s: %v in %q", path, err, got)
		}
		b, err := io.ReadAll(res.Body)
		if err != nil || string(b) != body {
			t.Errorf("%s: body of %d bytes (%v), want %d", path, len(b), err, len(body))
		}
		if res.ContentLength != int64(len(body)) || res.TransferEncoding != nil || res.Trailer != nil || strings.Contains(got, "Trailer") {
			t.Errorf("%s: Content-Length %d, Transfer-Encoding %q, Trailer %v; want %d and neither:\n%.300s",
				path, res.ContentLength, res.TransferEncoding, res.Trailer, len(body), got)
		}
	}
}

// TestTimeouts checks that a head sent too slowly, and a connection left
// idle, are closed at the http.Server's timeouts, without a response.
func TestTimeouts(t *testing.T) {
	hs := newHTTPServer(testHandler())
	hs.ReadHeaderTimeout, hs.IdleTimeout = 200*time.Millisecond, 300*time.Millisecond
	_, addr := startFast(t, hs)
	for _, tc := range []struct {
		name, first, then string
		min, max          time.Duration
	}{
		{"slow first head", "GET /plain HTTP/1.1\r\nHo", "", 150 * time.Millisecond, 2 * time.Second},
		{"slow second head", "GET /plain HTTP/1.1\r\nHost: a\r\n\r\n", "GET /plain HTTP/1.1\r\nHo", 150 * time.Millisecond, 2 * time.Second},
		{"idle", "GET /plain HTTP/1.1\r\nHost: a\r\n\r\n", "", 250 * time.Millisecond, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := connect(t, addr)
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, tc.first)
			br := bufio.NewReader(c)
			if strings.HasSuffix(tc.first, "\r\n\r\n") {
				res, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				if tc.then != "" {
					io.WriteString(c, tc.then)
				}
			}
			start := time.Now()
			rest, err := io.ReadAll(br)
			took := time.Since(start)
			if err != nil || len(rest) > 0 {
				t.Errorf("after the timeout: %q, %v; want the connection closed", rest, err)
			}
			if took < tc.min || took > tc.max {
				t.Errorf("closed after %v, want %v to %v", took, tc.min, tc.max)
			}
		})
	}
}

// TestHandOffKeepsDeadlines checks that a request handed to net/http in
// the middle of its head keeps the deadlines it had with Server: a head
// sent a byte at a time and handed over by a bare LF late in the header
// timeout, for a first request and for a later one, is cut off at the
// header timeout from its start, not a whole header timeout after the
// hand-off; and a body sent too slowly after such a head fails at the read
// timeout from the head's start.
func TestHandOffKeepsDeadlines(t *testing.T) {
	t.Parallel()
	const (
		headerTimeout = 2 * time.Second
		readTimeout   = 3 * time.Second
		step          = 200 * time.Millisecond  // between two bytes
		handOffAt     = 1600 * time.Millisecond // the bare LF
		slack         = time.Second             // a busy machine's
	)
	hs := newHTTPServer(testHandler())
	hs.ReadHeaderTimeout, hs.ReadTimeout = headerTimeout, readTimeout
	_, addr := startFast(t, hs)
	for _, tc := range []struct {
		name   string
		before string // a request served first, on the same connection
		head   string // sent at once; then "v" every step, then the end
		end    string // sent at handOffAt
		want   time.Duration
		answer bool // the server answers (at want) before it closes
	}{
		{"first head", "", "GET /plain HTTP/1.1\r\nHost: a\r\nX: v", "\n", headerTimeout, false},
		{"later head", "GET /plain HTTP/1.1\r\nHost: a\r\n\r\n", "GET /plain HTTP/1.1\r\nHost: a\r\nX: v", "\n", headerTimeout, false},
		{"slow body", "", "GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\nX: v", "\r\n\r\nabc", readTimeout, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := connect(t, addr)
			defer c.Close()
			br := bufio.NewReader(c)
			if tc.before != "" {
				io.WriteString(c, tc.before)
				res, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
			}
			start := time.Now()
			io.WriteString(c, tc.head)
			for at := step; at < handOffAt; at += step {
				time.Sleep(time.Until(start.Add(at)))
				io.WriteString(c, "v")
			}
			time.Sleep(time.Until(start.Add(handOffAt)))
			io.WriteString(c, tc.end)
			rest, err := br.ReadByte()
			took := time.Since(start)
			if answered := err == nil; answered != tc.answer {
				t.Errorf("answered %v (%q, %v), want %v", answered, rest, err, tc.answer)
			}
			if took < tc.want-slack/4 || took > tc.want+slack {
				t.Errorf("the server answered or closed %v after the head began, want %v (net/http's own timeout counted from the hand-off: %v)",
					took.Round(time.Millisecond), tc.want, handOffAt+tc.want)
			}
		})
	}
}

// TestShutdown checks a graceful stop: idle connections are closed at
// once, a request in progress (one served here, one by net/http)
// finishes with its whole response, and Serve returns ErrServerClosed.
func TestShutdown(t *testing.T) {
	entered := make(chan string, 3)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered <- r.URL.RawQuery
			select {
			case <-release:
			case <-r.Context().Done():
				io.WriteString(w, "the context ended\n")
				return
			}
		}
		io.WriteString(w, "done\n")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HTTP: newHTTPServer(h), Query: testQuery}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	addr := ln.Addr().String()
	dial := func(req string) (net.Conn, *bufio.Reader) {
		c := connect(t, addr)
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, req)
		return c, bufio.NewReader(c)
	}
	// An idle keep-alive connection, after one response.
	_, idleR := dial("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
	res, err := http.ReadResponse(idleR, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	// Three requests in progress, each waiting on its context: two
	// served here, one with a query Query refuses, which net/http serves.
	_, fastR := dial("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
	_, queryR := dial("GET /slow?held HTTP/1.1\r\nHost: a\r\n\r\n")
	_, stdR := dial("GET /slow?std HTTP/1.1\r\nHost: a\r\n\r\n")
	for range 3 {
		<-entered
	}

	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	start := time.Now()
	if b, err := io.ReadAll(idleR); err != nil || len(b) > 0 {
		t.Errorf("idle connection: %q, %v; want it closed", b, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("idle connection closed after %v", d)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("a new connection was accepted after Shutdown")
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with requests in progress", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	for name, br := range map[string]*bufio.Reader{"served here": fastR, "with a query, here": queryR, "net/http": stdR} {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := io.ReadAll(res.Body)
		if string(b) != "done\n" {
			t.Errorf("%s: body %q", name, b)
		}
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
}

// TestShutdownDeadline checks that Shutdown gives up when its context
// ends, and Close then ends the request still in progress.
func TestShutdownDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan bool)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- true
		<-release
	})
	s, addr := startFast(t, newHTTPServer(h))
	c := connect(t, addr)
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want the context's deadline", err)
	}
	s.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c); len(b) > 0 || err != nil {
		t.Errorf("after Close: %q, %v; want the connection closed", b, err)
	}
}

// FuzzSameAsNetHTTP sends the same bytes to a Server and to net/http, as
// TestSameAsNetHTTP does, and requires the same answer but for the Date.
// The bytes go out in pieces, each piece's length taken from cuts, with a
// pause between them, so that a head may arrive in several reads; and the
// connection is half-closed after them, or, when open, left open and read
// until the server has been quiet for a while.
func FuzzSameAsNetHTTP(f *testing.F) {
	_, fastAddr := startFast(f, newHTTPServer(testHandler()))
	stdAddr := startStd(f, newHTTPServer(testHandler()))
	for _, seed := range []struct {
		raw  string
		cuts []byte
		open bool
	}{
		{"GET /plain HTTP/1.1\r\nHost: a\r\n\r\n", nil, false},
		{"HEAD /sniff HTTP/1.1\r\nHost: a\r\n\r\nGET /103 HTTP/1.1\r\nHost: a\r\n\r\n", nil, false},
		{"GET /echo HTTP/1.1\r\nHost: a\r\nX: 1\r\nConnection: close\r\n\r\n", nil, false},
		{"GET /304 HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", nil, false},
		{"GET /echo HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", nil, false},
		{"GET /short HTTP/1.1\r\nHost: a\r\n\r\nGET /plain HTTP/1.1\r\n", nil, false},
		// Split in the request line, between CR and LF, before the
		// blank line; a second request split after its first bytes.
		{"GET /plain HTTP/1.1\r\nHost: a\r\n\r\n", []byte{5, 14, 10}, false},
		{"GET /echo HTTP/1.1\r\nHost: a\r\n\r\nGET /nocl HTTP/1.1\r\nHost: a\r\n\r\n", []byte{29, 1, 5}, true},
		{"GET /echo HTTP/1.1\r\nHost: a\r\nX: v\nY: w\r\n\r\n", []byte{31, 0}, true},
		// Left open: one answer, then a head that never ends.
		{"GET /plain HTTP/1.1\r\nHost: a\r\n\r\nGET /plain HTTP/1.1\r\nHo", nil, true},
		{"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel", []byte{40}, true},
		// Queries: served here, then one Query refuses.
		{"GET /echo?a=1&b=c+d HTTP/1.1\r\nHost: a\r\n\r\nHEAD /plain?x HTTP/1.1\r\nHost: a\r\n\r\n", []byte{12}, false},
		{"GET /echo?a HTTP/1.1\r\nHost: a\r\n\r\nGET /echo?std HTTP/1.1\r\nHost: a\r\n\r\n", nil, true},
	} {
		f.Add(seed.raw, seed.cuts, seed.open)
	}
	f.Fuzz(func(t *testing.T, raw string, cuts []byte, open bool) {
		pieces := split(raw, cuts)
		// Over a real connection, timing may differ between two runs:
		// a server that closes with bytes unread resets the connection,
		// which can lose what it sent; a slow moment can outlast the
		// quiet period. A difference is one only if it stays.
		quiet := 100 * time.Millisecond
		var got, want string
		for try := 0; try < 3; try++ {
			want = dateLine.ReplaceAllString(send(t, stdAddr, pieces, open, quiet), "Date: X\r")
			got = dateLine.ReplaceAllString(send(t, fastAddr, pieces, open, quiet), "Date: X\r")
			if got == want {
				return
			}
			quiet *= 4
		}
		t.Errorf("for %q in %d pieces (open %v)\nServer sent\n%q\nnet/http sent\n%q", raw, len(pieces), open, got, want)
	})
}

// split cuts raw into pieces: each byte of cuts gives the length of the
// next piece, less one; the rest of raw is the last piece. At most 16.
func split(raw string, cuts []byte) []string {
	var pieces []string
	for _, c := range cuts {
		n := int(c) + 1
		if n >= len(raw) || len(pieces) == 15 {
			break
		}
		pieces = append(pieces, raw[:n])
		raw = raw[n:]
	}
	return append(pieces, raw)
}

// send writes pieces on a new connection to addr, a millisecond apart,
// and returns all the server sent: until it closed the connection, after
// this side was half-closed, or, when open, until it has sent nothing for
// quiet. A write that fails (the server closed) ends the writing.
func send(t testing.TB, addr string, pieces []string, open bool, quiet time.Duration) string {
	t.Helper()
	c := connect(t, addr)
	defer c.Close()
	end := time.Now().Add(10 * time.Second)
	c.SetDeadline(end)
	for i, p := range pieces {
		if i > 0 {
			time.Sleep(time.Millisecond)
		}
		if _, err := io.WriteString(c, p); err != nil {
			break
		}
	}
	if !open {
		c.(*net.TCPConn).CloseWrite()
	}
	var out []byte
	buf := make([]byte, 32<<10)
	for {
		if d := time.Now().Add(quiet); open && d.Before(end) {
			c.SetReadDeadline(d)
		}
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		switch {
		case err == nil:
			continue
		case open && errors.Is(err, os.ErrDeadlineExceeded),
			errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), errors.Is(err, syscall.ECONNRESET):
			return string(out)
		}
		t.Fatalf("read: %v (after %q)", err, out)
	}
}

// TestIdleConnectionsHoldNoBuffer checks that a connection waiting for its
// next request holds no response buffer: 200 idle connections, each after
// a 100 KB response, must not keep 200 buffers alive.
func TestIdleConnectionsHoldNoBuffer(t *testing.T) {
	_, addr := startFast(t, newHTTPServer(testHandler()))
	const n = 200
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for range n {
		c := connect(t, addr)
		conns = append(conns, c)
		io.WriteString(c, "GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(res.Body); len(b) != 100<<10 {
			t.Fatalf("body of %d bytes", len(b))
		}
	}
	if grew := int64(heap()) - int64(before); grew > 8<<20 {
		t.Errorf("the heap grew by %d KB with %d idle connections, %d KB each", grew>>10, n, grew/n>>10)
	}
}

// TestHandedOffHoldsNoReadBuffer checks that a connection handed to
// net/http keeps nothing of Server's read buffer: it holds a copy of just
// the bytes net/http has yet to read, and nothing once net/http has read
// them; so 200 requests held by their handler, with a query Query
// refuses, which net/http serves, take no more heap through Server than
// through net/http alone.
func TestHandedOffHoldsNoReadBuffer(t *testing.T) {
	const n = 200
	type connKey struct{}
	held := make(chan *handedConn, n)
	release := make(chan struct{})
	var open atomic.Int64 // the servers' connections not yet closed
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hc, _ := r.Context().Value(connKey{}).(*handedConn)
		held <- hc
		<-release
	})
	newServer := func() *http.Server {
		hs := newHTTPServer(h)
		hs.ConnState = func(_ net.Conn, st http.ConnState) {
			switch st {
			case http.StateNew:
				open.Add(1)
			case http.StateClosed:
				open.Add(-1)
			}
		}
		hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
			if hc, ok := c.(*handedConn); ok {
				if len(hc.buf) == 0 || len(hc.buf) != cap(hc.buf) {
					t.Errorf("handed over with %d unread bytes in a buffer of %d, want them alone", len(hc.buf), cap(hc.buf))
				}
			}
			return context.WithValue(ctx, connKey{}, c)
		}
		return hs
	}
	heap := func() int64 {
		runtime.GC()
		runtime.GC() // the second empties the pools
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	// holdMany holds n requests at addr and returns how much the heap
	// grew with them.
	holdMany := func(addr string) int64 {
		before := heap()
		var conns []net.Conn
		for range n {
			c := connect(t, addr)
			conns = append(conns, c)
			io.WriteString(c, "GET /hold?std=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: test\r\n\r\n")
		}
		var hcs []*handedConn
		for range n {
			select {
			case hc := <-held:
				hcs = append(hcs, hc)
			case <-time.After(10 * time.Second):
				t.Fatalf("%d of %d requests reached the handler", len(hcs), n)
			}
		}
		grew := heap() - before
		for _, hc := range hcs {
			if hc != nil && hc.buf != nil {
				t.Fatalf("a handed connection still holds %d bytes after net/http read them", len(hc.buf))
			}
		}
		close(release)
		for _, c := range conns {
			c.Close()
		}
		// The next round starts from a heap without these.
		for deadline := time.Now().Add(5 * time.Second); open.Load() > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d connections still open", open.Load())
			}
		}
		return grew
	}
	// A first round makes what the process keeps once it has served as
	// many connections (goroutines, pools); then one round each.
	stdAddr := startStd(t, newServer())
	_, fastAddr := startFast(t, newServer())
	holdMany(stdAddr)
	release = make(chan struct{})
	holdMany(fastAddr)
	release = make(chan struct{})
	std := holdMany(stdAddr)
	release = make(chan struct{})
	fast := holdMany(fastAddr)
	t.Logf("heap per held request: %d bytes through Server, %d through net/http", fast/n, std/n)
	if fast > std+n<<10 {
		t.Errorf("%d held requests took %d KB of heap through Server, %d KB through net/http alone", n, fast>>10, std>>10)
	}
}
