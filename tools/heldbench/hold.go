package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// server is a program to measure.
type server struct {
	name    string
	bin     string
	args    []string // "{port}" is replaced by the port
	ready   string   // a path that answers 200 once it serves
	metrics bool     // it serves Prometheus /metrics with the Go collector
}

// proc is a running server.
type proc struct {
	cmd  *exec.Cmd
	addr string
}

func (s server) start(ctx context.Context) (*proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	args := make([]string, len(s.args))
	for i, a := range s.args {
		args[i] = strings.ReplaceAll(a, "{port}", port)
	}
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, addr: "127.0.0.1:" + port}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get("http://" + p.addr + s.ready); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s did not answer %s within 15 s", s.name, s.ready)
		}
	}
	http.DefaultClient.CloseIdleConnections()
	time.Sleep(500 * time.Millisecond) // let the start's garbage settle
	return p, nil
}

func (p *proc) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// result is one run: n requests held (or dripped) on a server.
type result struct {
	server, path string
	n, errors    int
	firstErr     string
	idleKiB      int // RSS before the requests
	rssKiB       int // RSS at the sample
	took         time.Duration
	// From /metrics, idle and at the sample (httpstatus only).
	idle, held goMetrics
}

// goMetrics are the Go runtime's figures a server exports.
type goMetrics struct {
	ok                               bool
	goroutines                       float64
	stack, heapInuse, heapAlloc, sys float64 // bytes
}

func (r result) perRequestKiB() float64 { return float64(r.rssKiB-r.idleKiB) / float64(r.n) }

func (r result) line() string {
	return fmt.Sprintf("%s %d × %s: RSS %d → %d KiB (%.1f KiB a request), %d errors, %v",
		r.server, r.n, r.path, r.idleKiB, r.rssKiB, r.perRequestKiB(), r.errors, r.took.Round(time.Millisecond))
}

// measure starts srv, opens n requests for path at once, samples the
// server's RSS (and metrics) sample after the first was sent, then reads
// every response: each must be a 200, with bodyLen bytes when bodyLen is
// not 0.
func measure(ctx context.Context, srv server, n int, path string, bodyLen int, sample time.Duration) (result, error) {
	p, err := srv.start(ctx)
	if err != nil {
		return result{}, err
	}
	defer p.stop()
	pid := p.cmd.Process.Pid
	r := result{server: srv.name, path: path, n: n, idleKiB: rssKiB(pid)}
	if srv.metrics {
		r.idle = scrape(p.addr)
	}
	var failed atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		if failed.Add(1) == 1 {
			firstErr.Store(err.Error())
		}
	}
	conns := make(chan *net.TCPConn, n)
	start := time.Now()
	var wg sync.WaitGroup
	// Dial from a few goroutines: a burst of n dials at once would
	// overflow the server's accept queue, which is not what is measured.
	var next atomic.Int64
	for range 32 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
				if err != nil {
					fail(err)
					continue
				}
				if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, p.addr); err != nil {
					fail(err)
				}
				conns <- c.(*net.TCPConn)
			}
		})
	}
	wg.Wait()
	close(conns)
	var all []*net.TCPConn
	var readers sync.WaitGroup
	for c := range conns {
		all = append(all, c)
		readers.Go(func() {
			if err := readResponse(c, path, bodyLen); err != nil {
				fail(err)
			}
		})
	}
	time.Sleep(time.Until(start.Add(sample)))
	r.rssKiB = rssKiB(pid)
	if srv.metrics {
		r.held = scrape(p.addr)
	}
	readers.Wait()
	r.took = time.Since(start)
	for _, c := range all {
		c.SetLinger(0) // a reset: no TIME_WAIT left on the client's ports
		c.Close()
	}
	r.errors = int(failed.Load())
	if r.errors > 0 {
		r.firstErr = firstErr.Load().(string)
	}
	return r, nil
}

// readResponse reads the response to the request sent on c.
func readResponse(c net.Conn, path string, bodyLen int) error {
	c.SetReadDeadline(time.Now().Add(time.Minute))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer res.Body.Close()
	got, err := io.Copy(io.Discard, res.Body)
	switch {
	case err != nil:
		return fmt.Errorf("%s: body: %w", path, err)
	case res.StatusCode != 200:
		return fmt.Errorf("%s: status %d", path, res.StatusCode)
	case bodyLen != 0 && got != int64(bodyLen):
		return fmt.Errorf("%s: %d bytes, want %d", path, got, bodyLen)
	}
	return nil
}

var reRSS = regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB`)

// rssKiB returns a process's resident set in KiB, or 0.
func rssKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return statusKiB(b)
}

// statusKiB reads VmRSS from the text of /proc/PID/status.
func statusKiB(status []byte) int {
	m := reRSS.FindSubmatch(status)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// scrape reads the Go runtime's figures from a server's /metrics.
func scrape(addr string) goMetrics {
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return goMetrics{}
	}
	defer res.Body.Close()
	defer http.DefaultClient.CloseIdleConnections()
	return parseMetrics(res.Body)
}

// parseMetrics reads the Go collector's gauges from the Prometheus text
// format.
func parseMetrics(r io.Reader) goMetrics {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return goMetrics{}
	}
	get := func(name string) float64 {
		f := fams[name]
		if f == nil || len(f.GetMetric()) == 0 {
			return 0
		}
		return f.GetMetric()[0].GetGauge().GetValue()
	}
	m := goMetrics{
		goroutines: get("go_goroutines"),
		stack:      get("go_memstats_stack_inuse_bytes"),
		heapInuse:  get("go_memstats_heap_inuse_bytes"),
		heapAlloc:  get("go_memstats_heap_alloc_bytes"),
		sys:        get("go_memstats_sys_bytes"),
	}
	m.ok = m.goroutines > 0
	return m
}

// report writes the results as a Markdown table, the comparison at n,
// and where httpstatus's memory goes per held request.
func report(w io.Writer, c config, results []result) {
	fmt.Fprintln(w, "| server | requests | path | errors | RSS idle (MiB) | RSS 5 s in (MiB) | KiB a request |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	var hs, hb *result
	for i, r := range results {
		fmt.Fprintf(w, "| %s | %d | `%s` | %d | %.1f | %.1f | %.1f |\n", r.server, r.n, r.path, r.errors,
			float64(r.idleKiB)/1024, float64(r.rssKiB)/1024, r.perRequestKiB())
		switch {
		case r.n == c.n && r.server == "httpstatus" && hs == nil:
			hs = &results[i]
		case r.n == c.n && r.server == "go-httpbin":
			hb = &results[i]
		}
	}
	if hs != nil && hb != nil && hb.rssKiB > 0 {
		fmt.Fprintf(w, "\nAt %d held requests, 5 s in: httpstatus %.1f MiB, go-httpbin %.1f MiB: %.2f× (goal ≤ 0.9×).\n",
			c.n, float64(hs.rssKiB)/1024, float64(hb.rssKiB)/1024, float64(hs.rssKiB)/float64(hb.rssKiB))
	}
	fmt.Fprintln(w, "\nWhere httpstatus's memory goes, per held request (its /metrics, idle and 5 s in):")
	fmt.Fprintln(w, "\n| requests | path | goroutines | stack KiB | heap in use KiB | heap live KiB | runtime sys KiB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, r := range results {
		if !r.idle.ok || !r.held.ok {
			continue
		}
		per := func(a, b float64) float64 { return (b - a) / float64(r.n) }
		fmt.Fprintf(w, "| %d | `%s` | %.2f | %.2f | %.2f | %.2f | %.2f |\n", r.n, r.path,
			per(r.idle.goroutines, r.held.goroutines), per(r.idle.stack, r.held.stack)/1024,
			per(r.idle.heapInuse, r.held.heapInuse)/1024, per(r.idle.heapAlloc, r.held.heapAlloc)/1024, per(r.idle.sys, r.held.sys)/1024)
	}
	for _, r := range results {
		if r.errors > 0 {
			fmt.Fprintf(w, "\n%s %d × %s: %d errors, the first: %s\n", r.server, r.n, r.path, r.errors, r.firstErr)
		}
	}
}
