package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// harness is everything a run of the matrix needs: the server, the
// clients and their versions.
type harness struct {
	live     string // address of httpstatus serve
	clients  []*client
	versions map[string]string // by client ID
	parallel int               // runs at once
	verbose  io.Writer         // one line a run, or nil
}

// maxSleep is the --max-sleep of the server, longer than any scenario's
// limit.
const maxSleep = "30s"

// startServe builds httpstatus from root into dir and starts "serve" on a
// free loopback port. It returns the address; the server stops with ctx.
func startServe(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "httpstatus")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/httpstatus")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/httpstatus: %v\n%s", err, out)
	}
	// A hang-after-headers lasts until the client leaves or the sleep
	// cap: a cap past every scenario's limit keeps it a hang.
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--max-sleep", maxSleep)
	cmd.Env = append(os.Environ(), "HTTPSTATUS_ADDR=", "PORT=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	go cmd.Wait()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				addr <- strings.TrimPrefix(rec.Addr, "http://")
			}
		}
	}()
	select {
	case a := <-addr:
		return a, waitHealthy(ctx, "http://"+a+"/healthz")
	case <-time.After(30 * time.Second):
		return "", errors.New("httpstatus serve did not say where it listens within 30 s")
	}
}

func waitHealthy(ctx context.Context, url string) error {
	for range 100 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s: not healthy", url)
}

// askVersions asks every client its version. A client that cannot answer
// is missing: the error names every one and what to install.
func (h *harness) askVersions(ctx context.Context) error {
	h.versions = map[string]string{}
	var missing []string
	for _, c := range h.clients {
		v, err := c.version(ctx)
		if err != nil || v == "" {
			missing = append(missing, fmt.Sprintf("%s (%v; install %s)", c.info.ID, err, c.install))
			continue
		}
		h.versions[c.info.ID] = v
	}
	if len(missing) > 0 {
		return fmt.Errorf("clients missing: %s; scripts/deps.sh installs them all", strings.Join(missing, "; "))
	}
	return nil
}

// run runs every scenario with every client, at most h.parallel at once,
// the longest scenarios first, and returns the files of the data.
func (h *harness) run(ctx context.Context, scns []scenario, checked string) ([]catalog.ScenarioFile, error) {
	return h.runSome(ctx, scns, checked, func(string, string) bool { return true })
}

// recheck runs once more each scenario and client whose result the
// committed data does not accept, and puts the new result in files: a
// client whose behaviour changed does it again, while a result that a
// moment of load on a busy machine bent is not.
func (h *harness) recheck(ctx context.Context, scns []scenario, files []catalog.ScenarioFile, old map[string]catalog.ScenarioFile) error {
	again := map[[2]string]bool{}
	for _, f := range files {
		for _, n := range f.Observations {
			o, ok := old[f.Scenario.ID]
			if !ok {
				continue
			}
			for _, c := range o.Observations {
				if c.Client == n.Client && c.Version == n.Version && !accepts(c, n.Result) {
					again[[2]string{f.Scenario.ID, n.Client}] = true
				}
			}
		}
	}
	if len(again) == 0 {
		return nil
	}
	redo, err := h.runSome(ctx, scns, "", func(s, c string) bool { return again[[2]string{s, c}] })
	if err != nil {
		return err
	}
	for i, f := range redo {
		for k, n := range f.Observations {
			if again[[2]string{f.Scenario.ID, n.Client}] {
				files[i].Observations[k] = n
			}
		}
	}
	return nil
}

// runSome runs the scenarios and clients that pick accepts (by ID).
// Observations not run are left empty.
func (h *harness) runSome(ctx context.Context, scns []scenario, checked string, pick func(scenario, client string) bool) ([]catalog.ScenarioFile, error) {
	type slot struct{ s, c int }
	var runs []slot
	for i := range scns {
		for k := range h.clients {
			if pick(scns[i].ID, h.clients[k].info.ID) {
				runs = append(runs, slot{i, k})
			}
		}
	}
	slices.SortStableFunc(runs, func(a, b slot) int { return scns[b.s].Limit - scns[a.s].Limit })
	obs := make([][]catalog.Observation, len(scns))
	for i := range obs {
		obs[i] = make([]catalog.Observation, len(h.clients))
	}
	var (
		wg   sync.WaitGroup
		sem  = make(chan struct{}, h.parallel)
		mu   sync.Mutex
		errs []error
	)
	for _, r := range runs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s, c := scns[r.s], h.clients[r.c]
			res, err := h.runOne(ctx, s, c)
			if err != nil && ctx.Err() == nil {
				// A failure of the harness (not a client's behaviour,
				// which is a result): once more, on fresh ports.
				res, err = h.runOne(ctx, s, c)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s × %s: %w", s.ID, c.info.ID, err))
				return
			}
			obs[r.s][r.c] = catalog.Observation{Client: c.info.ID, Version: h.versions[c.info.ID], Options: c.options(s.Scenario), Result: res}
			if h.verbose != nil {
				fmt.Fprintf(h.verbose, "%-28s %-20s %s\n", s.ID, c.info.ID, res)
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	files := make([]catalog.ScenarioFile, len(scns))
	for i, s := range scns {
		files[i] = catalog.ScenarioFile{Scenario: s.Scenario, Checked: checked, Observations: obs[i]}
	}
	return files, nil
}

// runOne starts the scenario's server for c alone, runs c, and returns
// the normalised result.
func (h *harness) runOne(ctx context.Context, s scenario, c *client) (catalog.ClientResult, error) {
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	stop := sync.OnceFunc(func() { cancel(); wg.Wait() })
	defer stop()
	rec := &recorder{}
	base, err := s.start(rctx, &wg, rec, h.live)
	if err != nil {
		return catalog.ClientResult{}, err
	}
	j := job{Method: s.Method, URL: base + s.Path, Body: s.Body, Follow: s.Follow, Retry: s.Retry, Limit: s.Limit}
	for _, hv := range s.Headers {
		k, v, _ := strings.Cut(hv, ": ")
		j.Headers = append(j.Headers, [2]string{k, v})
	}
	if s.Credentials {
		j.User, j.Pass = user, pass
	}
	a, err := c.run(rctx, j)
	if err != nil {
		return catalog.ClientResult{}, err
	}
	// The servers stop before the requests are read: a proxy may still
	// be parsing a request whose answer the client already has.
	stop()
	return resultOf(a, s.Limit, rec.requests()), nil
}

// resultOf normalises a client's answer.
func resultOf(a answer, limit int, reqs []catalog.ClientRequest) catalog.ClientResult {
	r := catalog.ClientResult{Requests: reqs, Seconds: int(a.ElapsedMS/(catalog.SecondsStep*1000)) * catalog.SecondsStep}
	if r.Requests == nil {
		r.Requests = []catalog.ClientRequest{}
	}
	switch {
	case a.None:
		r.Outcome, r.Seconds = catalog.OutcomeNone, limit
	case a.Status > 0:
		r.Outcome, r.Status, r.BodyBytes, r.Error = catalog.OutcomeResponse, a.Status, a.BodyBytes, a.Error
	default:
		r.Outcome, r.Error = catalog.OutcomeError, a.Error
		if r.Error == "" {
			r.Error = "no status and no error"
		}
	}
	return r
}
