package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// wrkOutput is a report of wrk 4.1 with --latency, for a 503 endpoint.
const wrkOutput = `Running 2s test @ http://127.0.0.1:40123/status/503
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.50us  120.33us   5.01ms   90.12%
    Req/Sec    77.51k     2.10k   80.12k    85.00%
  Latency Distribution
     50%  398.00us
     75%  451.00us
     90%  512.00us
     99%    1.21ms
  154321 requests in 2.00s, 40.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 154321
Requests/sec:  77160.50
Transfer/sec:     20.06MB
`

func TestParseWrk(t *testing.T) {
	got, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{
		requests: 154321, elapsed: 2 * time.Second, rps: 77160.50,
		p50: 398 * time.Microsecond, p99: 1210 * time.Microsecond,
		non2xx: 154321, sockErrs: 3,
	}
	if got != want {
		t.Errorf("parseWrk = %+v, want %+v", got, want)
	}
	// A report cut short (wrk killed, or run without --latency) is an
	// error, not zeros.
	for _, cut := range []string{"  Latency Distribution", "Requests/sec:", "  154321 requests"} {
		i := strings.Index(wrkOutput, cut)
		if _, err := parseWrk(wrkOutput[:i]); err == nil {
			t.Errorf("parseWrk of a report cut before %q: no error", cut)
		}
	}
}

func TestParseWrkDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"398.00us": 398 * time.Microsecond, "1.21ms": 1210 * time.Microsecond,
		"2.00s": 2 * time.Second, "1.50m": 90 * time.Second, "12": 0, "abcms": 0,
	} {
		if got := parseWrkDuration(in); got != want {
			t.Errorf("parseWrkDuration(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWrkDuration(t *testing.T) {
	for in, want := range map[time.Duration]string{
		2 * time.Second: "2s", 2500 * time.Millisecond: "3s", 0: "1s", time.Millisecond: "1s",
	} {
		if got := wrkDuration(in); got != want {
			t.Errorf("wrkDuration(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestParseStat(t *testing.T) {
	// The command name may hold spaces and parentheses.
	const stat = "4242 (my (odd) srv) S 4200 4242 4242 0 -1 4194560 1234 0 0 0 731 269 0 0 20 0 5 0 98765 1234567 2345 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"
	st, err := parseStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if st.ppid != 4200 || st.utime != 731 || st.stime != 269 {
		t.Errorf("parseStat = %+v, want ppid 4200, utime 731, stime 269", st)
	}
	if _, err := parseStat("4242 (srv) S 1 2"); err == nil {
		t.Error("parseStat of a short line: no error")
	}
	if _, err := parseStat("no parenthesis"); err == nil {
		t.Error("parseStat without a command name: no error")
	}
}

func TestMeasureSelf(t *testing.T) {
	u, err := measure(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if u.rssKB <= 0 || u.hwmKB < u.rssKB {
		t.Errorf("measure(self) = %+v: want RSS > 0 and peak >= RSS", u)
	}
}

func TestStatusKB(t *testing.T) {
	const status = "Name:\tsrv\nVmHWM:\t   20480 kB\nVmRSS:\t   12345 kB\n"
	if got := statusKB(status, "VmRSS:"); got != 12345 {
		t.Errorf("VmRSS = %d, want 12345", got)
	}
	if got := statusKB(status, "VmSwap:"); got != 0 {
		t.Errorf("VmSwap = %d, want 0", got)
	}
}

func TestRowKeepsBest(t *testing.T) {
	var r row
	r.add("doc page", srvHTTPStatus, result{rps: 100, p50: 3, p99: 9, cpuPerReq: 20, elapsed: time.Second})
	r.add("doc page", srvHTTPStatus, result{rps: 120, p50: 4, p99: 7, cpuPerReq: 25, elapsed: time.Second})
	want := result{rps: 120, p50: 3, p99: 7, cpuPerReq: 20, elapsed: time.Second}
	if r.best != want || r.rounds != 2 || r.loadTime != 2*time.Second {
		t.Errorf("row = %+v, want best %+v over 2 rounds, 2s", r, want)
	}
}

// TestGoals checks the ratios against the targets on a made-up
// run: one goal met, one missed, one pending.
func TestGoals(t *testing.T) {
	rep := &report{
		rows: []row{
			{scenario: "doc page", server: srvHTTPStatus, best: result{rps: 96, p99: 13}},
			{scenario: "doc page", server: srvBare, best: result{rps: 100, p99: 10}},
		},
	}
	got := map[string]goal{}
	for _, g := range rep.goals() {
		got[g.name] = g
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if g := got["doc page: req/s vs bare"]; !g.met || !near(g.value, 0.96) {
		t.Errorf("req/s goal = %+v, want met at 0.96", g)
	}
	if g := got["doc page: p99 vs bare"]; g.met || !near(g.value, 1.3) {
		t.Errorf("p99 goal = %+v, want missed at 1.3", g)
	}
	if g := got["doc page, gzip: req/s vs bare"]; g.missing == "" {
		t.Errorf("gzip goal = %+v, want pending", g)
	}
	var out bytes.Buffer
	rep.write(&out)
	for _, want := range []string{"| doc page | httpstatus | 96 |", "| doc page: p99 vs bare | ≤ 1.2× | 1.30× | no |", "pending"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestWriteBare(t *testing.T) {
	dir := t.TempDir()
	answers := map[string]*answer{
		"doc page":       {status: 200, contentType: "text/html; charset=utf-8", etag: `"p"`, data: []byte("<p>plain</p>")},
		"doc page, gzip": {status: 200, contentType: "text/html; charset=utf-8", encoding: "gzip", etag: `"g"`, data: []byte("gz")},
		"/status/503":    {status: 503, contentType: "text/plain; charset=utf-8", data: []byte("503 Service Unavailable\n")},
	}
	if err := writeBare(dir, answers, false); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var routes []Route
	if err := json.Unmarshal(data, &routes); err != nil {
		t.Fatal(err)
	}
	if len(routes) != 2 {
		t.Fatalf("routes = %+v, want /503 and /status/503", routes)
	}
	doc := routes[0]
	if doc.Path != "/503" || doc.ETag != `"p"` || doc.GzipETag != `"g"` || doc.Body == "" || doc.Gzip == "" {
		t.Errorf("doc route = %+v", doc)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, doc.Gzip)); string(b) != "gz" {
		t.Errorf("gzip body = %q, want the bytes httpstatus sent", b)
	}
	if st := routes[1]; st.Path != "/status/503" || st.Status != 503 || st.Gzip != "" {
		t.Errorf("status route = %+v", st)
	}
	if doc.Headers != nil {
		t.Errorf("bare route has headers %v", doc.Headers)
	}
}

func TestOtherHeaders(t *testing.T) {
	h := http.Header{
		"Content-Type": {"text/html"}, "Content-Length": {"12"}, "Etag": {`"p"`}, "Date": {"now"},
		"Vary": {"Accept, Accept-Encoding"}, "X-Frame-Options": {"DENY"}, "Cache-Control": {"public"},
	}
	got := fmt.Sprint(OtherHeaders(h))
	if want := "[[Cache-Control public] [Vary Accept, Accept-Encoding] [X-Frame-Options DENY]]"; got != want {
		t.Errorf("OtherHeaders = %s, want %s", got, want)
	}
}

func TestFmtDur(t *testing.T) {
	for in, want := range map[time.Duration]string{
		0: "–", 812 * time.Nanosecond: "812ns", 13100 * time.Nanosecond: "13.1µs",
		1234 * time.Microsecond: "1.23ms", 250 * time.Millisecond: "250ms", 8 * time.Second: "8.00s",
	} {
		if got := fmtDur(in); got != want {
			t.Errorf("fmtDur(%v) = %q, want %q", in, got, want)
		}
	}
}
