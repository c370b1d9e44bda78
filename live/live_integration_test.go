//go:build integration

package live

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startLive serves the endpoint on a real loopback listener with the
// timeouts "httpstatus serve" uses, and returns its address.
func startLive(t *testing.T, opts ...Option) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{
		Handler:           New(opts...),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// TestIntegrationLiveWalk walks every code from 100 to 599, and the
// documented ones beyond, on the wire: GET in each body format, HEAD,
// POST with a body, and HTTP/1.0, checking the interim and final
// statuses, the catalog's headers and the body rules.
func TestIntegrationLiveWalk(t *testing.T) {
	cat := testCatalog(t)
	addr := startLive(t)
	codes := []int{}
	for c := 100; c <= 599; c++ {
		codes = append(codes, c)
	}
	for _, k := range cat.Codes() {
		if k.Code > 599 {
			codes = append(codes, k.Code)
		}
	}
	type variant struct {
		proto, method, accept, body string
	}
	variants := []variant{
		{"HTTP/1.1", "GET", "", ""},
		{"HTTP/1.1", "GET", "application/json", ""},
		{"HTTP/1.1", "GET", "application/problem+json", ""},
		{"HTTP/1.1", "HEAD", "", ""},
		{"HTTP/1.1", "POST", "text/plain", "hello"},
		{"HTTP/1.0", "GET", "", ""},
	}
	requests := 0
	for _, code := range codes {
		w := wantFor(cat, code)
		for _, v := range variants {
			hdr := http.Header{}
			if v.accept != "" {
				hdr.Set("Accept", v.accept)
			}
			target := "/status/" + strconv.Itoa(code)
			x := rawExchange(t, addr, v.proto, v.method, target, hdr, v.body)
			requests++
			where := fmt.Sprintf("%s %s %s", v.proto, v.method, target)
			want := []int{w.status}
			if w.interim && v.proto == "HTTP/1.1" {
				want = []int{code, w.status}
			}
			if code == 101 && v.proto == "HTTP/1.0" {
				want = []int{200}
			}
			if fmt.Sprint(x.statuses) != fmt.Sprint(want) {
				t.Errorf("%s: statuses on the wire %v, want %v", where, x.statuses, want)
				continue
			}
			if len(x.statuses) == 2 {
				for name, val := range w.headers {
					if got := x.headers[0].Get(name); got != val {
						t.Errorf("%s: interim %s = %q, want %q", where, name, got, val)
					}
				}
				if x.headers[0].Get("Content-Length") != "" || x.headers[0].Get("Content-Type") != "" {
					t.Errorf("%s: the interim response carries %v", where, x.headers[0])
				}
			}
			if code == 101 && v.proto == "HTTP/1.0" {
				if !strings.Contains(string(x.body), "not sent") {
					t.Errorf("%s: body %q does not say the 101 was not sent", where, x.body)
				}
				continue
			}
			accept := v.accept
			if v.proto == "HTTP/1.0" && w.interim {
				if !strings.Contains(string(x.body), "not sent") {
					t.Errorf("%s: body %q does not say the interim response was not sent", where, x.body)
				}
				continue
			}
			checkFinal(t, cat, code, v.method, accept, x.final, x.body)
			if code == 101 && !x.closed {
				t.Errorf("%s: connection left open after 101", where)
			}
			if v.proto == "HTTP/1.1" && code != 101 && x.closed {
				t.Errorf("%s: connection closed, want keep-alive", where)
			}
		}
	}
	t.Logf("%d codes, %d exchanges on the wire", len(codes), requests)
}

// TestIntegrationLiveRandomLists checks httpbin-style lists over many
// requests through a real listener: uniform and weighted shares within
// 6 standard deviations, and only listed codes.
func TestIntegrationLiveRandomLists(t *testing.T) {
	addr := startLive(t)
	client := &http.Client{Timeout: 10 * time.Second}
	const n = 3000
	for _, tt := range []struct {
		list  string
		codes map[int]float64 // expected share of each code
	}{
		{"200,500", map[int]float64{200: 0.5, 500: 0.5}},
		{"200:3,500:1", map[int]float64{200: 0.75, 500: 0.25}},
		{"201,202,203,204", map[int]float64{201: 0.25, 202: 0.25, 203: 0.25, 204: 0.25}},
		{"418:0.9,503:0.1", map[int]float64{418: 0.9, 503: 0.1}},
	} {
		counts := map[int]int{}
		for range n {
			res, err := client.Get("http://" + addr + "/status/" + tt.list)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			counts[res.StatusCode]++
		}
		for code, c := range counts {
			p, ok := tt.codes[code]
			if !ok {
				t.Errorf("/status/%s answered %d, not in the list", tt.list, code)
				continue
			}
			sd := math.Sqrt(p * (1 - p) / n)
			if got := float64(c) / n; got < p-6*sd || got > p+6*sd {
				t.Errorf("/status/%s: %d share %.3f, want %.3f ± %.3f", tt.list, code, got, p, 6*sd)
			}
		}
		t.Logf("/status/%s over %d requests: %v", tt.list, n, counts)
	}
}

// TestIntegrationLiveRandomInputs throws a few hundred random paths,
// queries and requested headers from a seeded generator at a real
// listener, and holds every answer to the oracle of FuzzLiveOptions
// (liveVerdict): a status the path asked for when the request is valid,
// a one-line 400 naming the first problem when it is not; and the
// endpoint still answers after.
func TestIntegrationLiveRandomInputs(t *testing.T) {
	const maxSleepMS, maxBody = 20, 1000
	addr := startLive(t, WithMaxSleep(maxSleepMS*time.Millisecond), WithMaxBody(maxBody))
	cat := testCatalog(t)
	gen := randomInputs{r: rand.New(rand.NewPCG(2026, 5)), maxSleepMS: maxSleepMS}
	const n = 400
	counts := map[int]int{}
	for i := range n {
		codes, q, name, value := gen.next()
		hdr := http.Header{}
		if name != "" {
			hdr.Set(ResponseHeaderPrefix+name, value)
			value = strings.Trim(value, " ") // as a server reads a field value
		}
		method := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}[i%7]
		target := "/status/" + url.PathEscape(codes)
		query := q.Encode()
		if query != "" {
			target += "?" + query
		}
		x := rawExchange(t, addr, "HTTP/1.1", method, target, hdr, "")
		status := x.final.StatusCode
		counts[status]++
		v := liveVerdict(cat, liveCase{codes: codes, query: query, name: name, value: value, method: method, major: 1, minor: 1, maxSleepMS: maxSleepMS, maxBody: maxBody})
		switch {
		case v.want != "" && status != http.StatusBadRequest:
			t.Errorf("%s %s: %d, want a 400 that says %q", method, target, status, v.want)
		case v.want != "" && method != "HEAD" && (!strings.Contains(string(x.body), v.want) || strings.Count(string(x.body), "\n") != 1):
			t.Errorf("%s %s: 400 %q, want one line that says %q", method, target, x.body, v.want)
		case v.want == "" && !v.statuses[status]:
			t.Errorf("%s %s: %d %q, want one of the statuses asked for", method, target, status, x.body)
		}
	}
	res, err := http.Get("http://" + addr + "/status/204")
	if err != nil || res.StatusCode != 204 {
		t.Fatalf("after the random inputs, /status/204: %v %v", res, err)
	}
	res.Body.Close()
	t.Logf("%d random requests: statuses %v", n, counts)
}

// randomInputs makes the requests of TestIntegrationLiveRandomInputs from
// a seeded generator.
type randomInputs struct {
	r          *rand.Rand
	maxSleepMS int
}

// alphabet is what random strings are made of, beside digits.
const alphabet = "0123456789:,.;-+ xX%/?&=\x00\xff"

// str returns up to max random bytes, mostly digits.
func (g randomInputs) str(max int) string {
	var b strings.Builder
	for range g.r.IntN(max + 1) {
		if g.r.IntN(3) == 0 {
			b.WriteByte(alphabet[g.r.IntN(len(alphabet))])
		} else {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		}
	}
	return b.String()
}

// list returns a well-formed list of random codes, ranges and weights.
func (g randomInputs) list() string {
	var parts []string
	for range 1 + g.r.IntN(5) {
		p := strconv.Itoa(100 + g.r.IntN(500))
		if g.r.IntN(3) == 0 {
			p += "-" + strconv.Itoa(100+g.r.IntN(500))
		}
		if g.r.IntN(2) == 0 {
			p += ":" + strconv.Itoa(g.r.IntN(5))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ",")
}

// next returns the codes, query and requested header (name may be empty)
// of one request. Half the lists are well formed, the rest random bytes;
// either may then have a byte changed.
func (g randomInputs) next() (codes string, q url.Values, name, value string) {
	codes = g.str(16)
	if g.r.IntN(2) == 0 {
		codes = g.list()
	}
	if b := []byte(codes); len(b) > 0 && g.r.IntN(4) == 0 {
		b[g.r.IntN(len(b))] = alphabet[g.r.IntN(len(alphabet))]
		codes = string(b)
	}
	q = url.Values{}
	switch g.r.IntN(5) {
	case 0:
		q.Set("sleep", strconv.Itoa(g.r.IntN(2*g.maxSleepMS)))
	case 1:
		q.Set("sleep", g.str(6))
	case 2:
		q.Set(g.str(3), g.str(3))
	case 3:
		g.bodyOptions(q)
	}
	if g.r.IntN(3) == 0 {
		names := []string{"Retry-After", "Cache-Control", "Set-Cookie", "Location", "Link", "X-Foo", "Content-Type", "Vary"}
		name = names[g.r.IntN(len(names))]
		value = strings.Map(func(c rune) rune {
			if c < 0x20 || c > 0x7e {
				return 'x'
			}
			return c
		}, g.str(10))
	}
	return codes, q, name, value
}

// bodyOptions sets some of the options that shape the body or pick the
// code, with good and bad values: all but fault=, which breaks the
// connection that the test reads its answer from.
func (g randomInputs) bodyOptions(q url.Values) {
	ms := func() string { return strconv.Itoa(g.r.IntN(g.maxSleepMS)) }
	for _, o := range []struct {
		name      string
		good, bad func() string
	}{
		{"drip", ms, func() string { return g.str(4) }},
		{"sleep-body", ms, func() string { return g.str(4) }},
		{"bytes", func() string { return strconv.Itoa(g.r.IntN(1200)) }, func() string { return g.str(5) }},
		{"seq", func() string { return "k" + strconv.Itoa(g.r.IntN(4)) }, func() string { return g.str(3) }},
		{"seq-loop", func() string { return []string{"0", "1", "true", "false"}[g.r.IntN(4)] }, func() string { return g.str(2) }},
	} {
		switch g.r.IntN(6) {
		case 0, 1:
			q.Set(o.name, o.good())
		case 2:
			q.Set(o.name, o.bad())
		}
	}
}

// retryScript is a client's retry test in Python: requests with urllib3's
// Retry, three retries on 503, told by the server to retry at once
// (Retry-After: 0, asked with X-HttpStatus-Response-Retry-After). It
// prints the final status, or the error that ended the retries.
const retryScript = `
import sys, requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
s = requests.Session()
s.mount("http://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503], allowed_methods=None, backoff_factor=0)))
try:
    r = s.get(sys.argv[1], headers={"X-HttpStatus-Response-Retry-After": "0"}, timeout=10)
    print(r.status_code)
except requests.exceptions.RetryError as e:
    print("RetryError")
`

// TestIntegrationLivePythonRetry runs the Python retry test against a
// sequence that fails twice, then succeeds (it passes), and against a
// server that always fails (it gives up).
func TestIntegrationLivePythonRetry(t *testing.T) {
	addr := startLive(t)
	for _, tt := range []struct{ target, want string }{
		{"/status/503,503,200?seq=" + t.Name(), "200"},
		{"/status/503", "RetryError"},
	} {
		out, err := exec.Command("python3", "-c", retryScript, "http://"+addr+tt.target).CombinedOutput()
		if err != nil {
			t.Fatalf("python3 with requests (Debian's python3-requests; scripts/deps.sh installs it): %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("urllib3 Retry(total=3) against %s: %s, want %s", tt.target, got, tt.want)
		}
	}
}
