package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// result is one wrk run on one target.
type result struct {
	rps       float64
	p50, p99  time.Duration
	cpuPerReq time.Duration
	elapsed   time.Duration
}

// row is the best of a target's rounds: the highest requests/s and the
// lowest latencies and CPU time, each over every round.
type row struct {
	scenario, server string
	rounds           int
	best             result
	loadTime         time.Duration
}

func (r *row) add(scenario, server string, res result) {
	r.scenario, r.server = scenario, server
	r.loadTime += res.elapsed
	if r.rounds == 0 {
		r.best = res
	} else {
		r.best.rps = max(r.best.rps, res.rps)
		r.best.p50 = min(r.best.p50, res.p50)
		r.best.p99 = min(r.best.p99, res.p99)
		r.best.cpuPerReq = min(r.best.cpuPerReq, res.cpuPerReq)
	}
	r.rounds++
}

type memRow struct {
	server       string
	rssKB, hwmKB int64
}

type timing struct {
	name        string
	median, min time.Duration
}

// report is everything a run measured.
type report struct {
	cfg     Config
	date    time.Time
	machine string
	elapsed time.Duration

	docBytes, docGzipBytes int
	rows                   []row
	mem                    []memRow
	rssRounds              []int64 // httpstatus's RSS after each round, kB
	hsLoadTime             time.Duration
	hsCPU                  time.Duration

	startup []timing
	cli     []timing

	exportTime  time.Duration
	exportFiles int
	exportBytes int64
	exportErr   string

	pending []string
}

func (rep *report) row(scenario, server string) *row {
	for i := range rep.rows {
		if rep.rows[i].scenario == scenario && rep.rows[i].server == server {
			return &rep.rows[i]
		}
	}
	return nil
}

func (rep *report) timing(list []timing, name string) *timing {
	for i := range list {
		if list[i].name == name {
			return &list[i]
		}
	}
	return nil
}

// goal is one of the speed goals with what this run measured.
type goal struct {
	name, target string
	value        float64
	unit         string // "×", " MB", " s"
	met          bool
	missing      string // why it was not measured
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// goals computes the goals from the run.
func (rep *report) goals() []goal {
	var out []goal
	atLeast := func(name, target string, v, limit float64) {
		out = append(out, goal{name: name, target: target, value: v, unit: "×", met: v >= limit})
	}
	atMost := func(name, target, unit string, v, limit float64) {
		out = append(out, goal{name: name, target: target, value: v, unit: unit, met: v <= limit})
	}
	pending := func(name, target, why string) {
		out = append(out, goal{name: name, target: target, missing: why})
	}
	for _, sc := range []string{"doc page", "doc page, gzip"} {
		hs, bare := rep.row(sc, srvHTTPStatus), rep.row(sc, srvBare)
		if hs == nil || bare == nil {
			pending(sc+": req/s vs bare", "≥ 0.95×", "not measured")
			continue
		}
		atLeast(sc+": req/s vs bare", "≥ 0.95×", ratio(hs.best.rps, bare.best.rps), 0.95)
		atMost(sc+": p99 vs bare", "≤ 1.2×", "×", ratio(hs.best.p99.Seconds(), bare.best.p99.Seconds()), 1.2)
	}
	if hs, bare, hb := rep.row("/status/503", srvHTTPStatus), rep.row("/status/503", srvBare), rep.row("/status/503", srvHTTPBin); hs != nil && bare != nil && hb != nil {
		atLeast("/status/503: req/s vs bare", "≥ 0.95×", ratio(hs.best.rps, bare.best.rps), 0.95)
		atLeast("/status/503: req/s vs go-httpbin (default logging)", "≥ 1.3×", ratio(hs.best.rps, hb.best.rps), 1.3)
	} else {
		pending("/status/503: req/s vs bare and go-httpbin", "≥ 0.95×, ≥ 1.3×", "the live endpoint did not answer 503")
	}
	if gz, plain := rep.row("doc page, gzip", srvHTTPStatus), rep.row("doc page", srvHTTPStatus); gz != nil && plain != nil {
		atMost("no compression per request: gzip CPU/req vs plain", "≤ 1.1×", "×", ratio(gz.best.cpuPerReq.Seconds(), plain.best.cpuPerReq.Seconds()), 1.1)
	}
	if hs, bare := rep.timing(rep.startup, srvHTTPStatus), rep.timing(rep.startup, srvBare); hs != nil && bare != nil {
		atMost("start-up to first 200 vs bare (median)", "≤ 3×", "×", ratio(hs.median.Seconds(), bare.median.Seconds()), 3)
	}
	if hs, hello := rep.timing(rep.cli, "httpstatus 503"), rep.timing(rep.cli, "Go hello-world"); hs != nil && hello != nil {
		atMost("`httpstatus 503` vs Go hello-world (median)", "≤ 2×", "×", ratio(hs.median.Seconds(), hello.median.Seconds()), 2)
	}
	for _, m := range rep.mem {
		if m.server == srvHTTPStatus {
			mb := float64(m.rssKB) / 1024
			atMost(fmt.Sprintf("RSS after %.0f s of load", rep.hsLoadTime.Seconds()), "≤ 40 MB", " MB", mb, 40)
		}
	}
	if n := len(rep.rssRounds); n >= 2 {
		first, last := float64(rep.rssRounds[0]), float64(rep.rssRounds[n-1])
		atMost(fmt.Sprintf("RSS growth, round 1 to round %d", n), "≤ 1.1×", "×", ratio(last, first), 1.1)
	}
	switch {
	case rep.exportTime > 0:
		atMost("`httpstatus export` of the whole site", "≤ 10 s", " s", rep.exportTime.Seconds(), 10)
	case rep.exportErr != "":
		pending("`httpstatus export` of the whole site", "≤ 10 s", "failed: "+rep.exportErr)
	default:
		pending("`httpstatus export` of the whole site", "≤ 10 s", "no export command yet")
	}
	return out
}

// write prints the report as Markdown.
func (rep *report) write(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Run %s on %s.\n", rep.date.UTC().Format("2006-01-02 15:04 MST"), rep.machine)
	p("Servers pinned to core %s, `wrk -t1 -c%d -d%s --latency` pinned to core %s; %d interleaved rounds, best of each kept; all on 127.0.0.1.\n",
		rep.cfg.ServerCPU, rep.cfg.Conns, wrkDuration(rep.cfg.Duration), rep.cfg.LoadCPU, rep.cfg.Rounds)
	p("Doc page: `/503` in HTML, %d bytes (%d gzipped). httpstatus runs with its default settings; the bare server sends Content-Type, Content-Length and ETag; its twin \"bare, same headers\" sends httpstatus's whole header block; nginx has one worker, no access log.\n\n", rep.docBytes, rep.docGzipBytes)

	p("| scenario | server | req/s | p50 | p99 | CPU/req | req/s vs bare | vs bare, same headers |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|\n")
	vs := func(r row, server string) string {
		if other := rep.row(r.scenario, server); other != nil {
			return fmt.Sprintf("%.2f×", ratio(r.best.rps, other.best.rps))
		}
		return ""
	}
	for _, r := range rep.rows {
		p("| %s | %s | %.0f | %s | %s | %s | %s | %s |\n", r.scenario, r.server, r.best.rps, fmtDur(r.best.p50), fmtDur(r.best.p99), fmtDur(r.best.cpuPerReq), vs(r, srvBare), vs(r, srvBareSame))
	}

	p("\n| server | RSS after the rounds | peak RSS |\n|---|--:|--:|\n")
	for _, m := range rep.mem {
		p("| %s | %.1f MB | %.1f MB |\n", m.server, float64(m.rssKB)/1024, float64(m.hwmKB)/1024)
	}
	if len(rep.rssRounds) > 0 {
		var parts []string
		for _, kb := range rep.rssRounds {
			parts = append(parts, fmt.Sprintf("%.1f", float64(kb)/1024))
		}
		p("\nhttpstatus RSS after each round (MB): %s; %.0f s of load in all, %s of CPU.\n", strings.Join(parts, ", "), rep.hsLoadTime.Seconds(), fmtDur(rep.hsCPU))
	}

	p("\n| start-up, exec to first 200 of the doc page | median | min |\n|---|--:|--:|\n")
	for _, t := range rep.startup {
		p("| %s | %s | %s |\n", t.name, fmtDur(t.median), fmtDur(t.min))
	}
	p("\n| command, run to exit (stdout not a terminal) | median | min |\n|---|--:|--:|\n")
	for _, t := range rep.cli {
		p("| `%s` | %s | %s |\n", strings.TrimPrefix(t.name, "Go "), fmtDur(t.median), fmtDur(t.min))
	}
	if rep.exportTime > 0 {
		p("\n`httpstatus export`: %d files, %.1f MB in %s.\n", rep.exportFiles, float64(rep.exportBytes)/(1<<20), fmtDur(rep.exportTime))
	}

	p("\n| goal | target | measured | met |\n|---|---|--:|---|\n")
	for _, g := range rep.goals() {
		switch {
		case g.missing != "":
			p("| %s | %s | – | pending: %s |\n", g.name, g.target, g.missing)
		default:
			met := "no"
			if g.met {
				met = "yes"
			}
			p("| %s | %s | %.2f%s | %s |\n", g.name, g.target, g.value, g.unit, met)
		}
	}
	for _, s := range rep.pending {
		p("\nPending: %s.\n", s)
	}
	p("\nThe whole run took %.0f s.\n", rep.elapsed.Seconds())
}

// fmtDur prints a duration with three significant digits: "812µs",
// "1.23ms", "13.1µs".
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + "µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + "ms"
	}
	return sig3(d.Seconds()) + "s"
}

func sig3(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
