// Command harness runs the load benchmark ("make bench"): see package
// bench. It must run from the module's root, on Linux, with Go, wrk,
// nginx and taskset (it installs nginx and wrk with apt-get as root).
//
//	go run ./tools/bench/harness [-d 2s] [-rounds 3] [-o report.md]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/httpstatus/httpstatus/tools/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	cfg := bench.DefaultConfig(root)
	fs := flag.NewFlagSet("harness", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&cfg.Duration, "d", cfg.Duration, "length of one wrk run (whole seconds)")
	fs.IntVar(&cfg.Rounds, "rounds", cfg.Rounds, "interleaved rounds")
	fs.IntVar(&cfg.Conns, "c", cfg.Conns, "wrk connections")
	fs.IntVar(&cfg.Starts, "starts", cfg.Starts, "start-up measurements per server")
	fs.IntVar(&cfg.CLIRuns, "cli-runs", cfg.CLIRuns, "runs of each command-line measurement")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "bound on the whole run")
	fs.BoolVar(&cfg.Install, "install", cfg.Install, "install nginx and wrk with apt-get when missing (as root)")
	outPath := fs.String("o", "", "also write the report to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the module's root: %w", err)
	}
	cfg.Log = stderr
	out := stdout
	if *outPath != "" {
		if err := os.MkdirAll(filepath.Dir(*outPath), 0o755); err != nil {
			return err
		}
		f, err := os.Create(*outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		out = io.MultiWriter(stdout, f)
	}
	return bench.Run(ctx, cfg, out)
}
