package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "clients:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

// config is what the flags ask for.
type config struct {
	data     string
	check    bool
	only     string
	verbose  bool
	parallel int
	fresh    bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("clients", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.data, "data", "content/clients", "directory of the data, relative to the module root")
	fs.BoolVar(&c.check, "check", false, "compare with the data instead of rewriting it (a result that differs is run once more); exit 1 on any difference")
	fs.StringVar(&c.only, "only", "", "run only the scenarios whose ID contains this; prints, never writes")
	fs.BoolVar(&c.verbose, "v", false, "print each result as it comes")
	fs.IntVar(&c.parallel, "parallel", 6, "clients running at once")
	fs.BoolVar(&c.fresh, "fresh", false, "when rewriting, drop the results also seen in earlier runs")
	if err := fs.Parse(args); err != nil {
		return c, usageError{err}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if c.parallel < 1 {
		return c, usageError{errors.New("-parallel: at least 1")}
	}
	return c, nil
}

// run runs the matrix and writes the data, or checks it (-check), or
// prints part of it (-only).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	scns := scenarios()
	if c.only != "" {
		var some []scenario
		for _, s := range scns {
			if strings.Contains(s.ID, c.only) {
				some = append(some, s)
			}
		}
		if len(some) == 0 {
			return usageError{fmt.Errorf("-only %q: no scenario ID contains it", c.only)}
		}
		scns, c.verbose = some, true
	}
	var verbose io.Writer
	if c.verbose {
		verbose = stdout
	}
	dir := filepath.Join(root, c.data)
	var (
		oldInfos []catalog.Client
		old      map[string]catalog.ScenarioFile
	)
	if c.check {
		if oldInfos, old, err = loadData(dir); err != nil {
			return err
		}
	}
	start := time.Now()
	infos, files, err := runMatrix(ctx, root, scns, c.parallel, verbose, old)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "clients: %d scenarios × %d clients in %s\n", len(scns), len(infos), time.Since(start).Round(time.Second))
	switch {
	case c.only != "":
		return nil
	case c.check:
		return compare(oldInfos, old, infos, files)
	}
	if _, old, err := loadData(dir); err == nil && !c.fresh {
		merge(old, files)
	}
	return writeData(dir, infos, files)
}

// runMatrix starts the server and the clients' workers, runs scns with
// every client and returns the clients and the data. With old (the
// committed data, when checking), a result old does not accept is run
// once more (harness.recheck).
func runMatrix(ctx context.Context, root string, scns []scenario, parallel int, verbose io.Writer, old map[string]catalog.ScenarioFile) ([]catalog.Client, []catalog.ScenarioFile, error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	tmp, err := os.MkdirTemp("", "clients-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	live, err := startServe(ctx, root, tmp)
	if err != nil {
		return nil, nil, err
	}
	if err := compileJava(ctx, tmp); err != nil {
		return nil, nil, err
	}
	page, err := pageServer(ctx, &wg)
	if err != nil {
		return nil, nil, err
	}
	h := &harness{live: live, parallel: parallel, verbose: verbose}
	h.clients = newClients()
	workers, werr := startWorkers(ctx, h.clients, tmp, page, live)
	defer func() {
		for _, w := range workers {
			w.close()
		}
	}()
	if err := h.askVersions(ctx); err != nil || werr != nil {
		return nil, nil, errors.Join(werr, err)
	}
	files, err := h.run(ctx, scns, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return nil, nil, err
	}
	if old != nil {
		if err := h.recheck(ctx, scns, files, old); err != nil {
			return nil, nil, err
		}
	}
	infos := make([]catalog.Client, len(h.clients))
	for i, c := range h.clients {
		infos[i] = c.info
	}
	return infos, files, nil
}

// startWorkers starts the worker of every client that has one, all at
// once, and gives those clients their version and run. A worker that does
// not start is an error naming its clients and what to install; the
// workers that did start are returned all the same, to be closed.
func startWorkers(ctx context.Context, clients []*client, tmp, page, live string) ([]*worker, error) {
	dir, err := scriptsDir()
	if err != nil {
		return nil, err
	}
	started := map[*workerSpec]*worker{}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for _, c := range clients {
		if c.spec == nil {
			continue
		}
		mu.Lock()
		_, seen := started[c.spec]
		started[c.spec] = nil
		mu.Unlock()
		if seen {
			continue
		}
		wg.Go(func() {
			w, err := startWorker(ctx, c.spec.name, c.spec.argv(dir, tmp))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%w (install %s)", err, c.install))
				return
			}
			if c.spec.page {
				w.page = page
			}
			started[c.spec] = w
		})
	}
	wg.Wait()
	var out []*worker
	for _, w := range started {
		if w != nil {
			out = append(out, w)
		}
	}
	for _, c := range clients {
		if c.spec == nil {
			continue
		}
		w, mode := started[c.spec], c.mode
		if w == nil {
			c.version = func(context.Context) (string, error) { return "", fmt.Errorf("%s did not start", c.spec.name) }
			continue
		}
		c.version = func(context.Context) (string, error) { return w.version, nil }
		c.run = func(ctx context.Context, j job) (answer, error) { return w.do(ctx, j, mode) }
	}
	warmUp(ctx, clients, live)
	return out, errors.Join(errs...)
}

// warmUp has every worker's client make one request to the live
// endpoint, not recorded, so that no scenario's time includes a first
// request's loading of code (a JVM's classes, Python's lazy imports, a
// browser's first page).
func warmUp(ctx context.Context, clients []*client, live string) {
	var wg sync.WaitGroup
	for _, c := range clients {
		if c.spec == nil || c.run == nil {
			continue
		}
		wg.Go(func() {
			c.run(ctx, job{Method: "GET", URL: "http://" + live + "/status/200", Limit: 30})
		})
	}
	wg.Wait()
}

// moduleRoot finds the directory of go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above")
		}
		dir = parent
	}
}
