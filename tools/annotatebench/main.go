// Command annotatebench times "httpstatus annotate FILE" against
// "awk '{print $9}' FILE | sort | uniq -c" on the same generated access
// log: by default a million lines in nginx's combined format, in a
// temporary directory. It builds httpstatus from this module, runs the two
// in turns for -rounds rounds, keeps each one's best time and prints both
// and their ratio. The goal is a ratio of at most 1: annotate, which also
// explains what it counts, is at least as fast as the shell pipeline.
//
//	go run ./tools/annotatebench [-lines 1000000] [-rounds 3]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "lines in the generated log")
	rounds := flag.Int("rounds", 3, "rounds of each command; the best time counts")
	flag.Parse()
	if err := run(*lines, *rounds, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "annotatebench:", err)
		os.Exit(1)
	}
}

func run(lines, rounds int, out io.Writer) error {
	dir, err := os.MkdirTemp("", "annotatebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "httpstatus")
	build := exec.Command("go", "build", "-o", bin, "./cmd/httpstatus")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build (run from the module's root): %w", err)
	}
	log := filepath.Join(dir, "access.log")
	size, err := writeLog(log, lines)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "log: %d lines, %.1f MB, combined format\n", lines, float64(size)/1e6)
	cmds := []struct {
		name string
		args []string
		best time.Duration
		rss  int64 // the largest maximum resident set size seen, in KiB
	}{
		{"httpstatus annotate FILE", []string{bin, "annotate", log}, 0, 0},
		{"awk '{print $9}' FILE | sort | uniq -c", []string{"sh", "-c", `awk '{print $9}' "$1" | sort | uniq -c`, "sh", log}, 0, 0},
	}
	if err := sameCounts(bin, log); err != nil {
		return err
	}
	fmt.Fprintln(out, "counts: annotate --json and awk|sort|uniq agree")
	for range rounds {
		for i := range cmds {
			d, rss, err := timeCmd(cmds[i].args)
			if err != nil {
				return fmt.Errorf("%s: %w", cmds[i].name, err)
			}
			if cmds[i].best == 0 || d < cmds[i].best {
				cmds[i].best = d
			}
			cmds[i].rss = max(cmds[i].rss, rss)
		}
	}
	for _, c := range cmds {
		fmt.Fprintf(out, "%-40s %8.3f s (best of %d), max RSS %d MiB\n", c.name, c.best.Seconds(), rounds, c.rss>>10)
	}
	fmt.Fprintf(out, "ratio annotate / awk|sort|uniq: %.2f (goal: at most 1)\n", cmds[0].best.Seconds()/cmds[1].best.Seconds())
	return nil
}

// sameCounts checks that annotate counts what the pipeline counts.
func sameCounts(bin, log string) error {
	js, err := exec.Command(bin, "annotate", "--json", log).Output()
	if err != nil {
		return fmt.Errorf("annotate --json: %w", err)
	}
	var rep struct {
		Classes []struct {
			Codes []struct{ Code, Count int }
		}
	}
	if err := json.Unmarshal(js, &rep); err != nil {
		return fmt.Errorf("annotate --json: %w", err)
	}
	got := map[string]int{}
	for _, c := range rep.Classes {
		for _, k := range c.Codes {
			got[strconv.Itoa(k.Code)] = k.Count
		}
	}
	uniq, err := exec.Command("sh", "-c", `awk '{print $9}' "$1" | sort | uniq -c`, "sh", log).Output()
	if err != nil {
		return fmt.Errorf("awk|sort|uniq: %w", err)
	}
	want := map[string]int{}
	for l := range strings.Lines(string(uniq)) {
		var n int
		var code string
		if _, err := fmt.Sscan(l, &n, &code); err != nil {
			return fmt.Errorf("uniq -c line %q: %w", l, err)
		}
		want[code] = n
	}
	if !maps.Equal(got, want) {
		return fmt.Errorf("annotate counted %v, awk|sort|uniq %v", got, want)
	}
	return nil
}

// timeCmd runs args with its output discarded and returns the wall time
// and the largest resident set size of the process or its children, in
// KiB (Linux's ru_maxrss).
func timeCmd(args []string) (time.Duration, int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	var rss int64
	if cmd.ProcessState == nil {
		return d, 0, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss)
	}
	return d, rss, err
}

// writeLog writes n lines of a plausible combined log: a mix of statuses
// weighted as a busy site sees them, varied paths, agents and sizes.
func writeLog(name string, n int) (int64, error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	statuses := []struct{ code, weight int }{
		{200, 700}, {304, 80}, {301, 30}, {302, 30}, {404, 60}, {400, 10}, {401, 10}, {403, 10},
		{429, 5}, {499, 15}, {444, 2}, {500, 10}, {502, 8}, {503, 8}, {504, 5}, {520, 1}, {299, 1},
	}
	total := 0
	for _, s := range statuses {
		total += s.weight
	}
	agents := []string{
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
		"curl/8.5.0",
		"Go-http-client/1.1",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	}
	methods := []string{"GET", "GET", "GET", "POST", "HEAD", "PUT"}
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		x, code := r.IntN(total), 0
		for _, s := range statuses {
			if x < s.weight {
				code = s.code
				break
			}
			x -= s.weight
		}
		t := start.Add(time.Duration(i) * 50 * time.Millisecond)
		fmt.Fprintf(w, "198.51.100.%d - - [%s] \"%s /api/v1/items/%d?page=%d HTTP/1.1\" %d %d \"https://example.org/\" \"%s\"\n",
			r.IntN(256), t.Format("02/Jan/2006:15:04:05 -0700"), methods[r.IntN(len(methods))], r.IntN(100000), r.IntN(50), code, r.IntN(50000), agents[r.IntN(len(agents))])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return fi.Size(), f.Close()
}
