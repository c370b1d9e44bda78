package fastpath

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// holdHandler waits as the live endpoint's ?sleep does: /hold?ms=N
// answers "waited N" after N milliseconds, or nothing when the client
// goes away first. It waits on the request's context, or, with
// &how=read, in WaitForClient when Server serves the request. Each
// request tells entered when it waits, and whether Server serves it
// itself ("here"), and then ended how its wait ended.
func holdHandler(entered chan<- string, ended chan<- error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hold" {
			io.WriteString(w, "path "+r.URL.Path+"\n")
			return
		}
		d, _ := time.ParseDuration(r.URL.Query().Get("ms") + "ms")
		fast, ok := w.(*response)
		if ok {
			entered <- "here"
		} else {
			entered <- "net/http"
		}
		var waited bool
		if ok && r.URL.Query().Get("how") == "read" {
			waited = fast.WaitForClient(d)
		} else {
			done := r.Context().Done()
			select {
			case <-time.After(d):
				waited = true
			case <-done:
			}
		}
		if !waited {
			ended <- r.Context().Err()
			return
		}
		ended <- nil
		io.WriteString(w, "waited "+r.URL.Query().Get("ms")+"\n")
	})
}

// waits are the two ways holdHandler waits: on the context, with the
// watch's goroutine, and in WaitForClient's read.
var waits = []string{"", "&how=read"}

// TestHeldRequestEndsWhenClientLeaves checks that a handler served here
// that waits on its context stops waiting when the client closes the
// connection, as under net/http, and that the connection is then closed.
func TestHeldRequestEndsWhenClientLeaves(t *testing.T) {
	entered, ended := make(chan string, 1), make(chan error, 1)
	_, addr := startFast(t, newHTTPServer(holdHandler(entered, ended)))
	for _, how := range waits {
		for _, tc := range []struct {
			name  string
			leave func(c *net.TCPConn)
		}{
			{"close", func(c *net.TCPConn) { c.Close() }},
			{"half-close", func(c *net.TCPConn) { c.CloseWrite() }},
			{"reset", func(c *net.TCPConn) { c.SetLinger(0); c.Close() }},
		} {
			t.Run(tc.name+how, func(t *testing.T) { heldAndLeft(t, addr, how, tc.leave, tc.name == "half-close", entered, ended) })
		}
	}
}

// heldAndLeft sends a held request to addr, waiting as how says, then
// leaves, and checks that the wait ends at once.
func heldAndLeft(t *testing.T, addr, how string, leave func(*net.TCPConn), halfClose bool, entered <-chan string, ended <-chan error) {
	c := connect(t, addr)
	defer c.Close()
	io.WriteString(c, "GET /hold?ms=60000"+how+" HTTP/1.1\r\nHost: a\r\n\r\n")
	if by := <-entered; by != "here" {
		t.Fatalf("the held request was served by %s", by)
	}
	start := time.Now()
	leave(c.(*net.TCPConn))
	select {
	case err := <-ended:
		if err == nil {
			t.Fatal("the wait ended on its own, not with the context")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler still waits 5 s after its client left")
	}
	t.Logf("the wait ended %v after the client left", time.Since(start).Round(time.Millisecond))
	if halfClose {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if b, err := io.ReadAll(c); err != nil {
			t.Errorf("after the wait: %q, %v; want the connection closed", b, err)
		}
	}
}

// TestAfterHeldRequest checks that the request after a held one on the
// same connection is answered, whether it came with it, while it was held
// (its first byte read by the watch), or after its answer; and when it is
// one that goes to net/http, with a third request coming while the first
// is held.
func TestAfterHeldRequest(t *testing.T) {
	entered, ended := make(chan string, 4), make(chan error, 4)
	_, addr := startFast(t, newHTTPServer(holdHandler(entered, ended)))
	for _, how := range waits {
		afterHeld(t, addr, how, entered, ended)
	}
}

// afterHeld runs TestAfterHeldRequest's cases with the held requests
// waiting as how says.
func afterHeld(t *testing.T, addr, how string, entered <-chan string, ended <-chan error) {
	held := "GET /hold?ms=200" + how + " HTTP/1.1\r\nHost: a\r\n\r\n"
	post := "POST /posted HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
	for _, tc := range []struct {
		name                   string
		with, whileHeld, after string
		want                   []string
	}{
		{"pipelined", get("/next"), "", "", []string{"waited 200", "path /next"}},
		{"while held", "", get("/next?x=1"), "", []string{"waited 200", "path /next"}},
		{"a byte while held", "", "G", "ET /next HTTP/1.1\r\nHost: a\r\n\r\n", []string{"waited 200", "path /next"}},
		{"after", "", "", get("/next"), []string{"waited 200", "path /next"}},
		{"held again", "", held, "", []string{"waited 200", "waited 200"}},
		{"to net/http, then one while held", post, get("/third"), "", []string{"waited 200", "path /posted", "path /third"}},
	} {
		t.Run(tc.name+how, func(t *testing.T) {
			c := connect(t, addr)
			defer c.Close()
			io.WriteString(c, held+tc.with)
			if by := <-entered; by != "here" {
				t.Fatalf("the held request was served by %s", by)
			}
			io.WriteString(c, tc.whileHeld)
			br := bufio.NewReader(c)
			for i, want := range tc.want {
				if i == 1 && tc.after != "" {
					io.WriteString(c, tc.after)
				}
				res, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("answer %d: %v", i+1, err)
				}
				b, _ := io.ReadAll(res.Body)
				if got := strings.TrimSpace(string(b)); res.StatusCode != http.StatusOK || got != want {
					t.Errorf("answer %d: %d %q, want 200 %q", i+1, res.StatusCode, got, want)
				}
			}
			for len(entered) > 0 {
				<-entered
			}
			for len(ended) > 0 {
				if err := <-ended; err != nil {
					t.Errorf("a held request's context ended: %v", err)
				}
			}
		})
	}
}

// TestQuickHandlerStartsNoWatch checks that a handler that does not wait
// on its context costs no goroutine: only one that asks for Done starts
// the watch, and one that waits in WaitForClient starts none either.
func TestQuickHandlerStartsNoWatch(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan bool)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.RawQuery {
		case "done":
			r.Context().Done()
		case "read":
			entered <- true
			w.(*response).WaitForClient(time.Second)
			<-release
			return
		}
		entered <- true
		<-release
	})
	_, addr := startFast(t, newHTTPServer(h))
	c := connect(t, addr)
	defer c.Close()
	br := bufio.NewReader(c)
	// count sends a request on the keep-alive connection and returns how
	// many goroutines more there are while its handler runs.
	count := func(query string) int {
		before := runtime.NumGoroutine()
		io.WriteString(c, "GET /x?"+query+" HTTP/1.1\r\nHost: a\r\n\r\n")
		<-entered
		if query == "read" {
			time.Sleep(100 * time.Millisecond) // into its wait
		}
		n := runtime.NumGoroutine() - before
		release <- struct{}{}
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		return n
	}
	// Goroutines of earlier tests may still be ending: a round that
	// differs may be theirs, five in a row are not.
	var quiet, asked, read int
	for range 5 {
		if quiet, asked, read = count("quiet"), count("done"), count("read"); quiet == 0 && asked == 1 && read == 0 {
			return
		}
	}
	t.Errorf("new goroutines while a handler runs: %d without Done, %d with it, %d in WaitForClient; want 0, 1 and 0", quiet, asked, read)
}

func get(path string) string { return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n" }
