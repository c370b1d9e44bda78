// Command heldbench measures what held requests cost: it starts
// "httpstatus serve" and go-httpbin on loopback, opens many concurrent
// requests that the server holds (httpstatus's /status/200?sleep=8000,
// go-httpbin's /delay/8), samples each server's resident memory 5 s in,
// and checks that every request is answered. It also holds 10,000
// requests on httpstatus, and runs 1,000 concurrent drips of 1 MiB over
// 10 s. For httpstatus it reads /metrics at the same moment, to say where
// the memory goes: goroutine stacks, heap, goroutines per request.
//
// Usage, from the module's root (it builds ./cmd/httpstatus and installs
// the pinned go-httpbin into a temporary directory):
//
//	go run ./tools/heldbench [-n 5000] [-big 10000] [-drips 1000]
//
// It raises its own limit of open files to the hard limit (the servers it
// starts inherit it), and closes every client connection with a reset,
// so that no port is left in TIME_WAIT: the runs together use about
// 20,000 loopback ports.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// HTTPBinModule is the go-httpbin compared against, the one the load
// benchmark uses.
const HTTPBinModule = "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@v2.26.0"

// config is what one run measures.
type config struct {
	n, big, drips int
	sample        time.Duration // when RSS is sampled, after the last request is sent
	hold          time.Duration // how long each held request is held
	dripTime      time.Duration
	dripBytes     int
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 5000, "held requests on each server, compared")
	flag.IntVar(&c.big, "big", 10000, "held requests on httpstatus alone, which must all be answered")
	flag.IntVar(&c.drips, "drips", 1000, "concurrent drips of 1 MiB over 10 s on httpstatus")
	flag.Parse()
	c.sample, c.hold, c.dripTime, c.dripBytes = 5*time.Second, 8*time.Second, 10*time.Second, 1<<20
	if err := run(context.Background(), c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "heldbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, out io.Writer) error {
	if err := raiseFileLimit(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "heldbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	hs, hb, err := build(ctx, dir)
	if err != nil {
		return err
	}
	// The caps on held requests must not be what is measured: every
	// request comes from one client, so it has no per-client cap, nor a
	// byte budget, either.
	slots := fmt.Sprint(2 * max(c.n, c.big, c.drips))
	httpstatus := server{name: "httpstatus", bin: hs, args: []string{"serve", "--addr", "127.0.0.1:{port}", "--max-slow", slots, "--client-max-slow", "0", "--client-max-bytes", "0", "--max-egress", "0", "--max-sleep", "30s"},
		ready: "/readyz", metrics: true}
	httpbin := server{name: "go-httpbin", bin: hb, args: []string{"-host", "127.0.0.1", "-port", "{port}"}, ready: "/status/200"}

	sleepPath := fmt.Sprintf("/status/200?sleep=%d", c.hold.Milliseconds())
	runs := []struct {
		srv  server
		n    int
		path string
		body int // bytes each response must carry, or 0 to just read it
	}{
		{httpstatus, c.n, sleepPath, 0},
		{httpbin, c.n, fmt.Sprintf("/delay/%d", int(c.hold.Seconds())), 0},
		{httpstatus, c.big, sleepPath, 0},
		{httpstatus, c.drips, fmt.Sprintf("/status/200?bytes=%d&drip=%d", c.dripBytes, c.dripTime.Milliseconds()), c.dripBytes},
	}
	var results []result
	for _, r := range runs {
		if r.n <= 0 {
			continue
		}
		res, err := measure(ctx, r.srv, r.n, r.path, r.body, c.sample)
		if err != nil {
			return err
		}
		results = append(results, res)
		fmt.Fprintln(os.Stderr, res.line())
	}
	report(out, c, results)
	return nil
}

// build compiles httpstatus from the module in the working directory and
// installs go-httpbin, both static, into dir.
func build(ctx context.Context, dir string) (httpstatus, httpbin string, err error) {
	httpstatus = filepath.Join(dir, "httpstatus")
	if err := command(ctx, "", []string{"CGO_ENABLED=0"}, "go", "build", "-o", httpstatus, "./cmd/httpstatus"); err != nil {
		return "", "", err
	}
	// GOFLAGS=-mod=mod keeps a vendor directory or workspace out of it;
	// "go install pkg@version" ignores the module's go.mod.
	if err := command(ctx, dir, []string{"GOBIN=" + dir, "GOFLAGS=-mod=mod", "CGO_ENABLED=0"}, "go", "install", HTTPBinModule); err != nil {
		return "", "", err
	}
	return httpstatus, filepath.Join(dir, "go-httpbin"), nil
}

// command runs a program to completion, with its output in the error.
func command(ctx context.Context, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// raiseFileLimit sets the soft limit of open files to the hard one.
func raiseFileLimit() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	l.Cur = l.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}
