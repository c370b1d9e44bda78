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

	"github.com/httpstatus/httpstatus/deploy"
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

// TestGoals checks every guardrail against its target on a made-up run:
// some met, some missed, and the fast path off not run.
func TestGoals(t *testing.T) {
	rep := &report{
		rows: []row{
			{scenario: "doc page", server: srvHTTPStatus, best: result{rps: 140}},
			{scenario: "doc page", server: srvBare, best: result{rps: 100}},
			{scenario: "/status/503", server: srvHTTPStatus, best: result{rps: 105}},
			{scenario: "/status/503", server: srvBare, best: result{rps: 100}},
			{scenario: "/status/503", server: srvHTTPBin, best: result{rps: 60}},
		},
		startup: []timing{{name: srvHTTPStatus, median: 9 * time.Millisecond}, {name: srvBare, median: 3 * time.Millisecond}},
		cli: []timing{
			{name: cliHello, median: 2 * time.Millisecond}, {name: cli503, median: 9 * time.Millisecond},
			{name: cliList, median: 12 * time.Millisecond}, {name: cliSearch, median: 13 * time.Millisecond},
		},
		mem:        []memRow{{server: srvHTTPStatus, rssKB: 41 * 1024}},
		hsLoadTime: 30 * time.Second,
		exportTime: 4 * time.Second,
	}
	tests := []struct {
		name    string
		value   float64
		met     bool
		pending bool
	}{
		{"doc page: req/s vs bare net/http, fast path on", 1.4, true, false},
		{"/status/503: req/s vs bare net/http, fast path on", 1.05, false, false},
		{"doc page: req/s vs bare net/http, fast path off", 0, false, true},
		{"/status/503: req/s vs bare net/http, fast path off", 0, false, true},
		{"/status/503: req/s vs go-httpbin", 1.75, true, false},
		{"serve: exec to first byte vs bare net/http (median)", 3, true, false},
		{"`httpstatus 503` vs Go hello-world (median)", 4.5, false, false},
		{"`httpstatus list` vs Go hello-world (median)", 6, true, false},
		{"`httpstatus search timeout` vs Go hello-world (median)", 6.5, false, false},
		{"httpstatus RSS after the load rounds (30 s of load)", 41, false, false},
		{"`httpstatus export` of the whole site", 4, true, false},
	}
	goals := rep.goals()
	if len(goals) != len(tests) {
		t.Errorf("%d guardrails, want %d: %+v", len(goals), len(tests), goals)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for i, tt := range tests {
		if i >= len(goals) {
			break
		}
		g := goals[i]
		switch {
		case g.name != tt.name:
			t.Errorf("guardrail %d is %q, want %q", i, g.name, tt.name)
		case tt.pending && g.missing == "":
			t.Errorf("%s = %+v, want not measured", tt.name, g)
		case !tt.pending && (g.missing != "" || g.met != tt.met || !near(g.value, tt.value)):
			t.Errorf("%s = %+v, want %.2f, met %v", tt.name, g, tt.value, tt.met)
		}
	}
	var out bytes.Buffer
	rep.write(&out)
	for _, want := range []string{
		"| doc page | httpstatus | 140 |",
		"| doc page: req/s vs bare net/http, fast path on | ≥ 1.3× | 1.40× | yes |",
		"| /status/503: req/s vs bare net/http, fast path on | ≥ 1.1× | 1.05× | no |",
		"| doc page: req/s vs bare net/http, fast path off | ≥ 0.8× | – | not measured: ",
		"| `httpstatus search timeout` vs Go hello-world (median) | ≤ 6× | 6.50× | no |",
		"| httpstatus RSS after the load rounds (30 s of load) | ≤ 40 MB | 41.00 MB | no |",
		"| `httpstatus export` of the whole site | ≤ 10 s | 4.00 s | yes |",
	} {
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

// TestWriteWWW: nginx serves the doc page from the files an export would
// hold for it, 503.html and 503.html.gz, which deploy/nginx.conf maps /503
// to; the scenarios nginx does not run get no file.
func TestWriteWWW(t *testing.T) {
	www := t.TempDir()
	answers := map[string]*answer{
		"doc page":       {status: 200, data: []byte("<p>plain</p>")},
		"doc page, gzip": {status: 200, encoding: "gzip", data: []byte("gz")},
		"/status/503":    {status: 503, data: []byte("503 Service Unavailable\n")},
	}
	if err := writeWWW(www, answers); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"503.html": "<p>plain</p>", "503.html.gz": "gz"}
	entries, _ := os.ReadDir(www)
	if len(entries) != len(want) {
		t.Errorf("www holds %d files, want %v", len(entries), want)
	}
	for name, body := range want {
		if b, err := os.ReadFile(filepath.Join(www, name)); err != nil || string(b) != body {
			t.Errorf("%s = %q, %v; want %q", name, b, err, body)
		}
	}
}

// TestNginxArgs: the harness's nginx runs deploy/nginx.conf on the port
// and directory it is given, with keep-alive connections that outlast a
// load run.
func TestNginxArgs(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "nginx")
	args, err := nginxArgs(prefix, "/tmp/www", 18181)
	if err != nil {
		t.Fatal(err)
	}
	if len(args) < 4 || args[0] != "-p" || args[1] != prefix || args[2] != "-c" {
		t.Fatalf("nginxArgs = %q", args)
	}
	main, err := os.ReadFile(args[3])
	if err != nil {
		t.Fatal(err)
	}
	site, err := os.ReadFile(filepath.Join(prefix, "site.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := deploy.Nginx{Addr: "127.0.0.1:18181", Root: "/tmp/www"}.Site()
	if err != nil {
		t.Fatal(err)
	}
	if string(site) != want {
		t.Errorf("site.conf is not deploy/nginx.conf on 127.0.0.1:18181 serving /tmp/www:\n%s", site)
	}
	if !strings.Contains(string(main), "keepalive_requests 10000000;") {
		t.Errorf("nginx.conf has no keepalive_requests for a load run:\n%s", main)
	}
}
