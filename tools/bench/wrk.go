package bench

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run reports.
type wrkResult struct {
	requests int64
	elapsed  time.Duration
	rps      float64
	p50, p99 time.Duration
	non2xx   int64 // "Non-2xx or 3xx responses"
	sockErrs int64 // connect, read, write and timeout errors
}

// runWrk runs "wrk -t1 -cN -dD --latency" pinned to cpu, with the headers
// given as "Name: value".
func runWrk(ctx context.Context, cpu string, conns int, d time.Duration, url string, headers []string) (wrkResult, error) {
	args := []string{"-c", cpu, "wrk", "-t1", "-c" + strconv.Itoa(conns), "-d" + wrkDuration(d), "--latency", "--timeout", "5s"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	ctx, cancel := context.WithTimeout(ctx, d+15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "taskset", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w: %s", url, err, strings.TrimSpace(errb.String()))
	}
	return parseWrk(out.String())
}

// wrkDuration formats d for wrk, which takes whole seconds: d is rounded
// up, to at least one second.
func wrkDuration(d time.Duration) string {
	n := (d + time.Second - 1) / time.Second
	return strconv.Itoa(max(1, int(n))) + "s"
}

// parseWrk reads wrk's report (with --latency).
func parseWrk(s string) (wrkResult, error) {
	var r wrkResult
	var haveRPS, have50, have99, haveReq bool
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "50%":
			r.p50, have50 = parseWrkDuration(f[1]), true
		case len(f) == 2 && f[0] == "99%":
			r.p99, have99 = parseWrkDuration(f[1]), true
		case len(f) >= 4 && f[1] == "requests" && f[2] == "in":
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return r, fmt.Errorf("wrk: %q: %w", strings.TrimSpace(line), err)
			}
			r.requests, haveReq = n, true
			r.elapsed = parseWrkDuration(strings.TrimSuffix(f[3], ","))
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return r, fmt.Errorf("wrk: %q: %w", strings.TrimSpace(line), err)
			}
			r.rps, haveRPS = v, true
		case strings.HasPrefix(line, "  Non-2xx or 3xx responses:") && len(f) == 5:
			r.non2xx, _ = strconv.ParseInt(f[4], 10, 64)
		case strings.HasPrefix(line, "  Socket errors:"):
			// "Socket errors: connect 0, read 0, write 0, timeout 0"
			for i := 2; i+1 < len(f); i += 2 {
				n, _ := strconv.ParseInt(strings.TrimSuffix(f[i+1], ","), 10, 64)
				r.sockErrs += n
			}
		}
	}
	if !haveRPS || !have50 || !have99 || !haveReq {
		return r, fmt.Errorf("wrk: report without requests, Requests/sec or latency percentiles:\n%s", s)
	}
	return r, nil
}

// parseWrkDuration parses wrk's "812.00us", "1.23ms", "2.00s", "1.50m".
func parseWrkDuration(s string) time.Duration {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0
			}
			return time.Duration(v * float64(u.unit))
		}
	}
	return 0
}
