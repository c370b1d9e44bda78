package live

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// wireEnd is how a connection ended, as its client sees it.
type wireEnd string

const (
	endRST     wireEnd = "RST"     // read: connection reset by peer
	endFIN     wireEnd = "FIN"     // read: EOF
	endTimeout wireEnd = "timeout" // nothing more within the wait
)

// wire is what a client received on a connection after one request:
// every byte, and how the connection ended.
type wire struct {
	data []byte
	end  wireEnd
	err  error
}

// readWire sends one raw request, with the header fields hdr ("Name:
// value"), on a new connection to addr and reads everything until the
// connection ends or wait passes.
func readWire(t *testing.T, addr, method, target string, wait time.Duration, hdr ...string) wire {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", method, target, addr, strings.Join(append(hdr, ""), "\r\n"))
	conn.SetReadDeadline(time.Now().Add(wait))
	var w wire
	buf := make([]byte, 64<<10)
	for {
		n, err := conn.Read(buf)
		w.data = append(w.data, buf[:n]...)
		if err == nil {
			continue
		}
		w.err = err
		var ne net.Error
		switch {
		case errors.Is(err, syscall.ECONNRESET):
			w.end = endRST
		case errors.Is(err, io.EOF):
			w.end = endFIN
		case errors.As(err, &ne) && ne.Timeout():
			w.end = endTimeout
		}
		return w
	}
}

// split returns the response head of what arrived, parsed, and the bytes
// after it.
func (w wire) split(t *testing.T) (*http.Response, []byte) {
	t.Helper()
	i := bytes.Index(w.data, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("no complete response head in %q (%s)", w.data, w.end)
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(w.data[:i+4])), nil)
	if err != nil {
		t.Fatalf("response head %q: %v", w.data[:i+4], err)
	}
	return res, w.data[i+4:]
}

// pattern returns the first n bytes of the bytes=N body.
func pattern(n int) []byte {
	return bytes.Repeat([]byte(PatternLine), n/len(PatternLine)+1)[:n]
}

// TestLiveFaults checks each fault at the socket: which bytes arrive, then
// a reset (ECONNRESET on read) or a normal close (EOF).
func TestLiveFaults(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New(WithMaxSleep(400 * time.Millisecond)))
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	const n = 1000 // bytes=1000: the cut faults send 500
	tests := []struct {
		fault   string
		method  string
		end     wireEnd
		head    bool   // a complete response head arrives
		body    []byte // the bytes after the head
		raw     string // with no head: the bytes that arrive
		chunked bool
	}{
		{fault: "reset-before-headers", end: endRST},
		{fault: "close-before-headers", end: endFIN},
		{fault: "garbage", end: endFIN, raw: garbage},
		{fault: "reset-after-headers", end: endRST, head: true, body: []byte{}},
		{fault: "reset-after-headers", method: "HEAD", end: endRST, head: true, body: []byte{}},
		{fault: "reset-mid-body", end: endRST, head: true, body: pattern(n / 2)},
		{fault: "truncate", end: endFIN, head: true, body: pattern(n / 2)},
		{fault: "bad-chunk", end: endFIN, head: true, chunked: true,
			body: []byte(strconv.FormatInt(n/2, 16) + "\r\n" + string(pattern(n/2)) + "\r\nzz\r\nnot a chunk\r\n")},
		// The hang ends at the sleep cap, short of the Content-Length.
		{fault: "hang-after-headers", end: endFIN, head: true, body: []byte{}},
	}
	for _, tt := range tests {
		method := tt.method
		if method == "" {
			method = "GET"
		}
		target := "/status/201?bytes=" + strconv.Itoa(n) + "&fault=" + tt.fault
		start := time.Now()
		w := readWire(t, addr, method, target, 5*time.Second)
		where := fmt.Sprintf("%s %s", method, target)
		if w.end != tt.end {
			t.Errorf("%s: the connection ended with %s (%v) after %q, want %s", where, w.end, w.err, w.data, tt.end)
			continue
		}
		if !tt.head {
			if string(w.data) != tt.raw {
				t.Errorf("%s: %q arrived, want %q", where, w.data, tt.raw)
			}
			continue
		}
		res, body := w.split(t)
		wantLen := strconv.Itoa(n)
		if tt.chunked {
			wantLen = ""
		}
		if res.StatusCode != 201 || res.Header.Get("Content-Length") != wantLen || res.Header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("%s: head %d %v, want 201 with Content-Length %q", where, res.StatusCode, res.Header, wantLen)
		}
		if !bytes.Equal(body, tt.body) {
			t.Errorf("%s: body %q, want %q", where, cut(string(body)), cut(string(tt.body)))
		}
		if tt.fault == "hang-after-headers" && time.Since(start) < 400*time.Millisecond {
			t.Errorf("%s: the hang ended after %v, before the cap of 400ms", where, time.Since(start))
		}
	}
}

// TestLiveFaultsStatusBody checks the cut faults on a status's own body,
// after an interim response, and that a sleep comes before the fault.
func TestLiveFaultsStatusBody(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New())
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	rec := httptest.NewRecorder()
	New().ServeHTTP(rec, httptest.NewRequest("GET", "/status/200", nil))
	full := rec.Body.Bytes()

	w := readWire(t, addr, "GET", "/status/200?fault=truncate", 5*time.Second)
	res, body := w.split(t)
	if w.end != endFIN || res.StatusCode != 200 || res.Header.Get("Content-Length") != strconv.Itoa(len(full)) || !bytes.Equal(body, full[:len(full)/2]) {
		t.Errorf("truncate of 200: %s, %d %v %q; want FIN after half of %q", w.end, res.StatusCode, res.Header, body, full)
	}

	w = readWire(t, addr, "GET", "/status/103?fault=reset-mid-body", 5*time.Second)
	if w.end != endRST || !bytes.HasPrefix(w.data, []byte("HTTP/1.1 103 Early Hints\r\n")) || !bytes.Contains(w.data, []byte("\r\n\r\nHTTP/1.1 200 OK\r\n")) {
		t.Errorf("reset-mid-body of 103: %s after %q, want the interim 103, the final 200's head and a reset", w.end, w.data)
	}

	start := time.Now()
	w = readWire(t, addr, "GET", "/status/200?fault=reset-before-headers&sleep=200", 5*time.Second)
	if d := time.Since(start); w.end != endRST || len(w.data) != 0 || d < 200*time.Millisecond {
		t.Errorf("reset-before-headers after sleep=200: %s after %v with %q, want a reset after 200ms", w.end, d, w.data)
	}
}

// TestLiveFaultsHTTP2 checks the choice made for HTTP/2, where the
// connection cannot be taken over: a reset fault is a RST_STREAM of the
// request's stream, and a fault that needs the TCP connection is a 400
// that says why.
func TestLiveFaultsHTTP2(t *testing.T) {
	t.Parallel()
	ts := httptest.NewUnstartedServer(New())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"h2"}
	get := func(target string) (*http.Response, []byte, error) {
		res, err := client.Get(ts.URL + target)
		if err != nil {
			return nil, nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res, body, err
	}

	for _, f := range []string{"close-before-headers", "truncate", "garbage", "bad-chunk"} {
		res, body, err := get("/status/200?fault=" + f)
		if err != nil || res.ProtoMajor != 2 || res.StatusCode != 400 || !strings.Contains(string(body), "needs HTTP/1.x") {
			t.Errorf("HTTP/2 fault=%s: %v %q %v, want a 400 that says it needs HTTP/1.x", f, res, body, err)
		}
	}
	if _, _, err := get("/status/200?fault=reset-before-headers"); err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") {
		t.Errorf("HTTP/2 reset-before-headers: %v, want a stream reset", err)
	}
	res, body, err := get("/status/200?fault=reset-mid-body&bytes=100000")
	if err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") || res == nil || res.StatusCode != 200 || len(body) == 0 || len(body) >= 100000 {
		t.Errorf("HTTP/2 reset-mid-body: %v, %d bytes, %v; want the 200's head, part of the body, then a stream reset", res, len(body), err)
	}
	// The connection still serves other requests.
	if res, _, err := get("/status/204"); err != nil || res.StatusCode != 204 {
		t.Errorf("after the resets: %v %v", res, err)
	}
}

// TestLiveBytes checks the pattern body: its bytes, type and length, with
// HEAD, and on a 206, whose Content-Range describes it.
func TestLiveBytes(t *testing.T) {
	t.Parallel()
	h := New(WithMaxBody(200000))
	for _, tt := range []struct {
		method, target string
		n              int
		status         int
		contentRange   string
	}{
		{"GET", "/status/200?bytes=0", 0, 200, ""},
		{"GET", "/status/200?bytes=1", 1, 200, ""},
		{"GET", "/status/503?bytes=65", 65, 503, ""},
		{"GET", "/status/200?bytes=200000", 200000, 200, ""},
		{"HEAD", "/status/200?bytes=500", 500, 200, ""},
		{"GET", "/status/206?bytes=10", 10, 206, "bytes 0-9/10"},
		{"GET", "/status/416?bytes=10", 10, 416, "bytes */10"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		want := pattern(tt.n)
		if tt.method == "HEAD" {
			want = nil
		}
		hd := rec.Header()
		if rec.Code != tt.status || hd.Get("Content-Type") != "application/octet-stream" || hd.Get("Content-Length") != strconv.Itoa(tt.n) ||
			!bytes.Equal(rec.Body.Bytes(), want) || hd.Get("Content-Range") != tt.contentRange {
			t.Errorf("%s %s: %d %v, %d bytes; want %d, %d bytes of the pattern, Content-Range %q", tt.method, tt.target, rec.Code, hd, rec.Body.Len(), tt.status, len(want), tt.contentRange)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/status/200?bytes=200001", nil))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "over the cap of 200000 bytes") {
		t.Errorf("bytes over the cap: %d %q", rec.Code, rec.Body.String())
	}
}

// arrivals reads a response, to a GET with the request headers hdr (name,
// value, ...), and returns when its head and each byte of its body
// arrived, counted from the request.
func arrivals(t *testing.T, url string, hdr ...string) (head time.Duration, body []time.Duration) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	head = time.Since(start)
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		for range n {
			body = append(body, time.Since(start))
		}
		if err != nil {
			break
		}
	}
	return head, body
}

// TestLiveDrip checks that drip sends the headers at once and spreads the
// body over its time, and that sleep-body sends it whole after its time.
func TestLiveDrip(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(New())
	defer ts.Close()
	// Long enough that a busy machine's delays stay small beside it.
	const ms = 1500
	head, body := arrivals(t, ts.URL+"/status/200?bytes=1200&drip="+strconv.Itoa(ms))
	d := ms * time.Millisecond
	if head > d/4 || len(body) != 1200 {
		t.Fatalf("drip: head after %v, %d bytes; want the head at once and 1200 bytes", head, len(body))
	}
	// Byte i is due at about i/n of the time: no piece early, none far late.
	for i, at := range body {
		due := d * time.Duration(i) / time.Duration(len(body))
		if at < due-dripStep || at > due+dripStep+d/3 {
			t.Fatalf("drip: byte %d arrived at %v, due about %v", i, at, due)
		}
	}
	if last := body[len(body)-1]; last < d-dripStep/2 {
		t.Errorf("drip: the body ended at %v, want about %v", last, d)
	}

	head, body = arrivals(t, ts.URL+"/status/200?bytes=100&sleep-body=1000")
	if head > 500*time.Millisecond || len(body) != 100 || body[0] < time.Second {
		t.Errorf("sleep-body=1000: head at %v, first byte at %v; want the head at once, the body after 1s", head, body[0])
	}
}

// TestLiveOptionCombinations checks the one-line 400s of bad option
// values and of options that cannot apply to the request.
func TestLiveOptionCombinations(t *testing.T) {
	t.Parallel()
	h := New(WithMaxSleep(2 * time.Second))
	for _, tt := range []struct {
		method, target, want string
	}{
		{"GET", "/status/200?fault=nope", "Unknown fault \"nope\": want one of reset-before-headers, "},
		{"GET", "/status/200?fault=truncate&fault=reset-mid-body", "given 2 times"},
		{"GET", "/status/200?bytes=x", "Bad bytes"},
		{"GET", "/status/200?bytes=99999999999999999999", "over the cap of 10485760 bytes"},
		{"GET", "/status/200?drip=x", "Bad drip"},
		{"GET", "/status/200?sleep-body=3000", "A sleep-body of 3000 ms is over the cap of 2000 ms"},
		{"GET", "/status/200?sleep=1000&drip=800&sleep-body=300", "add up to 2100 ms, over the cap of 2000 ms"},
		{"GET", "/status/204?drip=10", "Drip needs a body, and a 204 response has none"},
		{"GET", "/status/200-210?fault=truncate", "Fault=truncate needs a body, and a 204 response has none"},
		{"GET", "/status/101?sleep-body=1", "a 101 response has none"},
		{"GET", "/status/304?bytes=10", "Bytes needs a body"},
		{"HEAD", "/status/200?drip=10", "Drip needs a body, and a response to HEAD has none"},
		{"HEAD", "/status/200?fault=reset-mid-body", "a response to HEAD has none"},
		{"GET", "/status/200?fault=truncate&bytes=1", "too short to cut"},
		{"GET", "/status/503:2,200?seq=a", "Weights are refused with seq"},
		{"GET", "/status/500-503?seq=a", "Ranges are refused with seq"},
		{"GET", "/status/200?seq=", "Bad seq key"},
		{"GET", "/status/200?seq=a%20b", "Bad seq key"},
		{"GET", "/status/200?seq=" + strings.Repeat("k", 129), "Bad seq key"},
		{"GET", "/status/200?seq=a&seq-loop=2", "Bad seq-loop"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		body := rec.Body.String()
		if tt.method == "HEAD" {
			body = tt.want // a response to HEAD has no body to say why
		}
		if rec.Code != 400 || !strings.Contains(body, tt.want) || strings.Count(body, "\n") > 1 {
			t.Errorf("%s %s: %d %q, want a one-line 400 with %q", tt.method, tt.target, rec.Code, body, tt.want)
		}
	}
}

// openFDs returns the number of the process's open file descriptors, or
// -1 where /proc does not say.
func openFDs() int {
	des, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(des)
}

// TestLiveDripNoLeak has 1,000 clients reset their connections in the
// middle of a drip, and checks that every handler returns and every
// connection closes at once: goroutines and file descriptors back to
// where they were within a second.
func TestLiveDripNoLeak(t *testing.T) {
	const clients = 1000
	l := newTestLive(t, WithMaxSlow(clients))
	ts := httptest.NewServer(l)
	defer ts.Close()
	addr := ts.Listener.Addr().String()
	runtime.GC()
	goroutines, fds := runtime.NumGoroutine(), openFDs()

	conns := make([]*net.TCPConn, 0, clients)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range clients / 50 {
		for range 50 {
			wg.Go(func() {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Error(err)
					return
				}
				// A piece every 450 ms: a thousand drips at once stay far
				// from what the machine can send, even under -race.
				fmt.Fprintf(c, "GET /status/200?bytes=20&drip=9000 HTTP/1.1\r\nHost: x\r\n\r\n")
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				if _, err := io.ReadAtLeast(c, make([]byte, 100), 100); err != nil {
					t.Errorf("the head of a drip: %v", err)
				}
				mu.Lock()
				conns = append(conns, c.(*net.TCPConn))
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	if t.Failed() {
		for _, c := range conns {
			c.Close()
		}
		return
	}
	if got := len(l.slow); got != clients {
		t.Fatalf("%d drips in progress, want %d", got, clients)
	}
	start := time.Now()
	for _, c := range conns {
		c.SetLinger(0)
		c.Close()
	}
	// A second; under the race detector, which slows every goroutine's
	// wake-up several times over, five.
	limit := time.Second
	if raceEnabled {
		limit *= 5
	}
	deadline := start.Add(limit)
	for {
		g, f := runtime.NumGoroutine(), openFDs()
		if g <= goroutines && f <= fds && len(l.slow) == 0 {
			t.Logf("%d resets mid-drip: back to %d goroutines and %d descriptors in %v", clients, g, f, time.Since(start))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v after %d resets mid-drip: %d goroutines (before: %d), %d descriptors (before: %d), %d drips", limit, clients, g, goroutines, f, fds, len(l.slow))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLiveHangClientLeaves checks that a hang ends when its client goes.
func TestLiveHangClientLeaves(t *testing.T) {
	t.Parallel()
	l := newTestLive(t, WithMaxSleep(time.Minute))
	ts := httptest.NewServer(l)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/status/200?fault=hang-after-headers", nil)
	res, err := ts.Client().Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("hang-after-headers: %v %v, want the 200's head", res, err)
	}
	if len(l.slow) != 1 {
		t.Errorf("a hanging request holds %d slow slots, want 1", len(l.slow))
	}
	cancel()
	res.Body.Close()
	waitFor(t, "the hang to end when its client left", func() bool { return len(l.slow) == 0 })
}
