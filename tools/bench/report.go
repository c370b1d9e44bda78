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

	pending []string // what was not run, and why
	notes   []string // what the run found wrong, besides the guardrails
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

// goal is one of the project's guardrails with what this run measured.
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

// goals computes every guardrail from the run, in a fixed order; one this
// run could not measure is listed with the reason.
func (rep *report) goals() []goal {
	var out []goal
	check := func(name, target, unit string, v float64, met bool) {
		out = append(out, goal{name: name, target: target, value: v, unit: unit, met: met})
	}
	pending := func(name, target, why string) {
		out = append(out, goal{name: name, target: target, missing: why})
	}
	// Requests/s of a server against another on one scenario.
	rps := func(scenario, server, than string, limit float64, name string) {
		target := fmt.Sprintf("≥ %.1f×", limit)
		a, b := rep.row(scenario, server), rep.row(scenario, than)
		switch {
		case a == nil && server == srvFastOff:
			pending(name, target, "no fast-path switch, or the scenario was not run")
		case a == nil || b == nil:
			pending(name, target, "not measured: "+scenario+" on "+server+" and "+than)
		default:
			v := ratio(a.best.rps, b.best.rps)
			check(name, target, "×", v, v >= limit)
		}
	}
	rps("doc page", srvHTTPStatus, srvBare, 1.3, "doc page: req/s vs bare net/http, fast path on")
	rps("/status/503", srvHTTPStatus, srvBare, 1.1, "/status/503: req/s vs bare net/http, fast path on")
	rps("doc page", srvFastOff, srvBare, 0.8, "doc page: req/s vs bare net/http, fast path off")
	rps("/status/503", srvFastOff, srvBare, 0.8, "/status/503: req/s vs bare net/http, fast path off")
	rps("/status/503", srvHTTPStatus, srvHTTPBin, 1.5, "/status/503: req/s vs go-httpbin")

	// Times against a baseline's, medians.
	slower := func(list []timing, name, base string, limit float64, goalName string) {
		target := fmt.Sprintf("≤ %.0f×", limit)
		a, b := rep.timing(list, name), rep.timing(list, base)
		if a == nil || b == nil {
			pending(goalName, target, "not measured")
			return
		}
		v := ratio(a.median.Seconds(), b.median.Seconds())
		check(goalName, target, "×", v, v <= limit)
	}
	slower(rep.startup, srvHTTPStatus, srvBare, 3, "serve: exec to first byte vs bare net/http (median)")
	slower(rep.cli, cli503, cliHello, 4, "`"+cli503+"` vs Go hello-world (median)")
	slower(rep.cli, cliList, cliHello, 6, "`"+cliList+"` vs Go hello-world (median)")
	slower(rep.cli, cliSearch, cliHello, 6, "`"+cliSearch+"` vs Go hello-world (median)")

	const rssName, rssTarget = "httpstatus RSS after the load rounds", "≤ 40 MB"
	if m := rep.memOf(srvHTTPStatus); m != nil {
		mb := float64(m.rssKB) / 1024
		check(fmt.Sprintf("%s (%.0f s of load)", rssName, rep.hsLoadTime.Seconds()), rssTarget, " MB", mb, mb <= 40)
	} else {
		pending(rssName, rssTarget, "not measured")
	}
	const exportName, exportTarget = "`httpstatus export` of the whole site", "≤ 10 s"
	switch {
	case rep.exportTime > 0:
		v := rep.exportTime.Seconds()
		check(exportName, exportTarget, " s", v, v <= 10)
	case rep.exportErr != "":
		pending(exportName, exportTarget, "failed: "+rep.exportErr)
	default:
		pending(exportName, exportTarget, "no export command")
	}
	return out
}

func (rep *report) memOf(server string) *memRow {
	for i := range rep.mem {
		if rep.mem[i].server == server {
			return &rep.mem[i]
		}
	}
	return nil
}

// write prints the report as Markdown.
func (rep *report) write(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Run %s on %s.\n", rep.date.UTC().Format("2006-01-02 15:04 MST"), rep.machine)
	p("Servers pinned to core %s, `wrk -t1 -c%d -d%s --latency` pinned to core %s; %d interleaved rounds, best of each kept; all on 127.0.0.1.\n",
		rep.cfg.ServerCPU, rep.cfg.Conns, wrkDuration(rep.cfg.Duration), rep.cfg.LoadCPU, rep.cfg.Rounds)
	p("Doc page: `/503` in HTML, %d bytes (%d gzipped). httpstatus runs with its default settings (fast path on), and as %q with %s; the bare server sends Content-Type, Content-Length and ETag; its twin \"bare, same headers\" sends httpstatus's whole header block; nginx serves the same bytes from files with deploy/nginx.conf, one worker, no access log.\n\n", rep.docBytes, rep.docGzipBytes, srvFastOff, fastPathEnv)

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

	p("\n| guardrail | target | measured | met |\n|---|---|--:|---|\n")
	for _, g := range rep.goals() {
		switch {
		case g.missing != "":
			p("| %s | %s | – | not measured: %s |\n", g.name, g.target, g.missing)
		default:
			met := "no"
			if g.met {
				met = "yes"
			}
			p("| %s | %s | %.2f%s | %s |\n", g.name, g.target, g.value, g.unit, met)
		}
	}
	for _, s := range rep.pending {
		p("\nNot run: %s.\n", s)
	}
	for _, s := range rep.notes {
		p("\nNote: %s.\n", s)
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
