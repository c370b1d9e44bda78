package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// startup measures, for httpstatus, the bare server and nginx, the time
// from exec to the first 200 for the doc page on loopback, in interleaved
// runs, unpinned. It keeps the median of each.
func (r *run) startup(ctx context.Context, rep *report) error {
	r.logf("start-up: %d runs each", r.cfg.Starts)
	bareDir := filepath.Join(r.dir, "bare")
	www := filepath.Join(r.dir, "www")
	starters := []struct {
		name string
		argv func(port int) ([]string, error)
	}{
		{srvHTTPStatus, func(port int) ([]string, error) {
			return []string{r.bin["httpstatus"], "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port)}, nil
		}},
		{srvBare, func(port int) ([]string, error) {
			return []string{r.bin["bare"], "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-dir", bareDir}, nil
		}},
		{srvNginx, func(port int) ([]string, error) {
			args, err := nginxArgs(filepath.Join(r.dir, "nginx-start", strconv.Itoa(port)), www, port)
			return append([]string{r.bin["nginx"]}, args...), err
		}},
	}
	times := map[string][]time.Duration{}
	for i := 0; i < r.cfg.Starts; i++ {
		for _, s := range starters {
			port, err := freePort()
			if err != nil {
				return err
			}
			argv, err := s.argv(port)
			if err != nil {
				return err
			}
			start := time.Now()
			p, err := startProcess(s.name, "", filepath.Join(r.dir, "startup.log"), nil, argv...)
			if err != nil {
				return err
			}
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			d, err := firstOK(tctx, start, port, "/503", browserAccept, p)
			cancel()
			p.stop()
			if err != nil {
				return err
			}
			times[s.name] = append(times[s.name], d)
		}
	}
	for _, s := range starters {
		rep.startup = append(rep.startup, timing{name: s.name, median: median(times[s.name]), min: slices.Min(times[s.name])})
	}
	return nil
}

// The commands the command-line guardrails are stated for, by name in the
// report.
const (
	cliHello   = "Go hello-world"
	cli503     = "httpstatus 503"
	cliList    = "httpstatus list"
	cliSearch  = "httpstatus search timeout"
	cliVersion = "httpstatus version"
)

// cli measures commands run to completion, interleaved: the Go
// hello-world, "httpstatus 503", "list" and "search timeout", and
// "httpstatus version" (the floor of any httpstatus command: loading the
// binary and its packages).
func (r *run) cli(ctx context.Context, rep *report) error {
	r.logf("command line: %d runs each", r.cfg.CLIRuns)
	cmds := []struct {
		name string
		argv []string
	}{
		{cliHello, []string{r.bin["hello"]}},
		{cli503, []string{r.bin["httpstatus"], "503"}},
		{cliList, []string{r.bin["httpstatus"], "list"}},
		{cliSearch, []string{r.bin["httpstatus"], "search", "timeout"}},
		{cliVersion, []string{r.bin["httpstatus"], "version"}},
	}
	times := map[string][]time.Duration{}
	for i := 0; i < r.cfg.CLIRuns; i++ {
		for _, c := range cmds {
			cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			times[c.name] = append(times[c.name], time.Since(start))
		}
	}
	for _, c := range cmds {
		rep.cli = append(rep.cli, timing{name: c.name, median: median(times[c.name]), min: slices.Min(times[c.name])})
	}
	return nil
}

// export times "httpstatus export" of the whole site on both cores. An
// httpstatus without the export command is reported as pending.
func (r *run) export(ctx context.Context, rep *report) {
	r.logf("export")
	dir := filepath.Join(r.dir, "export")
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin["httpstatus"], "export", dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() == 2:
		rep.pending = append(rep.pending, "export: "+firstLine(string(out)))
	case err != nil:
		rep.exportErr = fmt.Sprintf("%v: %s", err, firstLine(string(out)))
	default:
		rep.exportTime = d
		rep.exportFiles, rep.exportBytes = countFiles(dir)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func countFiles(dir string) (n int, size int64) {
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n++
				size += fi.Size()
			}
		}
		return nil
	})
	return n, size
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
