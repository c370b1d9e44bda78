package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/deploy"
)

// server is a running server under load.
type server struct {
	name string
	port int
	proc *process
}

func (s *server) url(path string) string {
	return "http://127.0.0.1:" + strconv.Itoa(s.port) + path
}

// target is one scenario on one server.
type target struct {
	sc  *scenario
	srv *server
	url string
}

// fleet is the servers of a load run; a nil one was not started.
type fleet struct {
	hs, off, bare, same, ngx, hb *server
}

// all lists the servers that run, httpstatus first.
func (f *fleet) all() []*server {
	var out []*server
	for _, s := range []*server{f.hs, f.off, f.bare, f.same, f.ngx, f.hb} {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (f *fleet) stop() {
	for _, s := range f.all() {
		s.proc.stop()
	}
}

// load starts the servers pinned to the server core, loads each target in
// interleaved rounds and records the best of each, then every server's
// memory.
func (r *run) load(ctx context.Context, rep *report) error {
	f := &fleet{}
	defer f.stop()
	answers, err := r.startFleet(ctx, rep, f)
	if err != nil {
		return err
	}
	targets := f.targets(answers)
	if err := r.warmUp(ctx, f.hs, targets); err != nil {
		return err
	}
	r.fitRounds(len(targets))
	if err := r.rounds(ctx, rep, f.hs, targets); err != nil {
		return err
	}
	for _, s := range f.all() {
		u, err := measure(s.proc.pid())
		if err != nil {
			return err
		}
		rep.mem = append(rep.mem, memRow{server: s.name, rssKB: u.rssKB, hwmKB: u.hwmKB})
	}
	return nil
}

// startFleet starts httpstatus, fetches what it answers each scenario,
// then starts the servers that answer the same bytes and the rest, and
// waits until each answers. A scenario httpstatus cannot answer as
// expected is reported and not run.
func (r *run) startFleet(ctx context.Context, rep *report, f *fleet) (map[string]*answer, error) {
	var err error
	if f.hs, err = r.startServer(ctx, srvHTTPStatus, nil, r.bin["httpstatus"], "serve", "--addr", "{addr}"); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, f.hs, "/healthz"); err != nil {
		return nil, err
	}
	answers := map[string]*answer{}
	for i := range scenarios {
		sc := &scenarios[i]
		a, err := fetch(ctx, f.hs.url(sc.path), sc.headers)
		switch {
		case err != nil:
			return nil, err
		case a.status != sc.status || (sc.gzip && a.encoding != "gzip") || (!sc.gzip && a.encoding != ""):
			rep.pending = append(rep.pending, fmt.Sprintf("%s: httpstatus answered %d (Content-Encoding %q), want %d", sc.name, a.status, a.encoding, sc.status))
			continue
		}
		answers[sc.name] = a
	}
	if f.off, err = r.startFastOff(ctx, rep, answers); err != nil {
		return nil, err
	}
	bareDir, sameDir, www := filepath.Join(r.dir, "bare"), filepath.Join(r.dir, "bare-same"), filepath.Join(r.dir, "www")
	if err := writeBare(bareDir, answers, false); err != nil {
		return nil, err
	}
	if err := writeBare(sameDir, answers, true); err != nil {
		return nil, err
	}
	if err := writeWWW(www, answers); err != nil {
		return nil, err
	}
	rep.docBytes = len(answers["doc page"].body())
	rep.docGzipBytes = len(answers["doc page, gzip"].body())
	if f.bare, err = r.startServer(ctx, srvBare, nil, r.bin["bare"], "-addr", "{addr}", "-dir", bareDir); err != nil {
		return nil, err
	}
	if f.same, err = r.startServer(ctx, srvBareSame, nil, r.bin["bare"], "-addr", "{addr}", "-dir", sameDir); err != nil {
		return nil, err
	}
	if f.ngx, err = r.startNginx(ctx, www); err != nil {
		return nil, err
	}
	if f.hb, err = r.startServer(ctx, srvHTTPBin, nil, r.bin["go-httpbin"], "-host", "127.0.0.1", "-port", "{port}"); err != nil {
		return nil, err
	}
	for _, s := range []*server{f.bare, f.same, f.ngx, f.hb} {
		if err := waitReady(ctx, s, "/"); err != nil {
			return nil, err
		}
	}
	return answers, nil
}

// targets lists every scenario httpstatus answered on every server that
// runs it, in the order of the rounds.
func (f *fleet) targets(answers map[string]*answer) []target {
	var out []target
	for i := range scenarios {
		sc := &scenarios[i]
		if answers[sc.name] == nil {
			continue
		}
		out = append(out, target{sc, f.hs, f.hs.url(sc.path)}, target{sc, f.bare, f.bare.url(sc.barePath)})
		if sc.fastOff && f.off != nil {
			out = append(out, target{sc, f.off, f.off.url(sc.path)})
		}
		if sc.same {
			out = append(out, target{sc, f.same, f.same.url(sc.barePath)})
		}
		if sc.nginx {
			out = append(out, target{sc, f.ngx, f.ngx.url(sc.barePath)})
		}
		if sc.httpbin {
			out = append(out, target{sc, f.hb, f.hb.url(sc.path)})
		}
	}
	return out
}

// warmUp asks httpstatus for every code page once with brotli and gzip,
// as browsers would over a day, so that the RSS measured after the rounds
// includes a full cache and whatever compressing on first use leaves
// behind; then sends each target warmRequests requests.
func (r *run) warmUp(ctx context.Context, hs *server, targets []target) error {
	r.logf("asking httpstatus for every code page, brotli and gzip")
	for code := 100; code <= 599; code++ {
		for _, ae := range []string{"br", "gzip"} {
			if err := warm(ctx, hs.url("/"+strconv.Itoa(code)), []string{"Accept: " + browserAccept, "Accept-Encoding: " + ae}, 1); err != nil {
				return err
			}
		}
	}
	r.logf("warming up %d targets", len(targets))
	for _, t := range targets {
		if err := warm(ctx, t.url, t.sc.headers, warmRequests); err != nil {
			return fmt.Errorf("warm up %s on %s: %w", t.sc.name, t.srv.name, err)
		}
	}
	return nil
}

// rounds loads every target once per round, interleaved, keeping the best
// of each, with httpstatus's RSS after each round and its CPU time over
// all of them.
func (r *run) rounds(ctx context.Context, rep *report, hs *server, targets []target) error {
	hsStart, err := measure(hs.proc.pid())
	if err != nil {
		return err
	}
	rep.rows = make([]row, len(targets))
	for round := 1; round <= r.cfg.Rounds; round++ {
		r.logf("round %d of %d", round, r.cfg.Rounds)
		for i, t := range targets {
			res, err := r.loadOnce(ctx, t)
			if err != nil {
				return err
			}
			rep.rows[i].add(t.sc.name, t.srv.name, res)
		}
		u, err := measure(hs.proc.pid())
		if err != nil {
			return err
		}
		rep.rssRounds = append(rep.rssRounds, u.rssKB)
	}
	hsEnd, err := measure(hs.proc.pid())
	if err != nil {
		return err
	}
	for _, row := range rep.rows {
		if row.server == srvHTTPStatus {
			rep.hsLoadTime += row.loadTime
		}
	}
	rep.hsCPU = hsEnd.cpu - hsStart.cpu
	return nil
}

// startFastOff starts httpstatus with the fast path off, when the binary
// has the switch, and checks that it answers the scenarios it runs with
// the status and bytes the default server answered (a difference is
// noted in the report). Without the switch it returns nil, and the
// report says why those guardrails are not measured.
func (r *run) startFastOff(ctx context.Context, rep *report, answers map[string]*answer) (*server, error) {
	if !r.fastSwitch {
		rep.pending = append(rep.pending, "fast path off: this httpstatus has no --"+fastPathFlag+" switch (serve -h)")
		return nil, nil
	}
	off, err := r.startServer(ctx, srvFastOff, []string{fastPathEnv}, r.bin["httpstatus"], "serve", "--addr", "{addr}")
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, off, "/healthz"); err != nil {
		off.proc.stop()
		return nil, err
	}
	for _, sc := range scenarios {
		on := answers[sc.name]
		if !sc.fastOff || on == nil {
			continue
		}
		a, err := fetch(ctx, off.url(sc.path), sc.headers)
		if err != nil {
			off.proc.stop()
			return nil, err
		}
		if a.status != on.status || !bytes.Equal(a.data, on.data) {
			rep.notes = append(rep.notes, fmt.Sprintf("%s: with the fast path off httpstatus answered %d with %d bytes, with it on %d with %d bytes",
				sc.name, a.status, len(a.data), on.status, len(on.data)))
		}
	}
	return off, nil
}

// warmRequests is how many requests warm a target up: enough for a Go
// server to render and cache the page and grow its heap, in a fraction of
// a second.
const warmRequests = 300

// warm sends n requests to url on one keep-alive connection.
func warm(ctx context.Context, url string, headers []string, n int) error {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	for range n {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return err
		}
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(k, strings.TrimSpace(v))
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	return nil
}

// fitRounds shortens the load rounds, when the builds took long (a fresh
// machine), so that the whole run stays within its timeout: fewer rounds
// first, down to two, then shorter runs, down to one second.
func (r *run) fitRounds(targets int) {
	// Start-up, command-line and export measurements after the rounds.
	const after = 40 * time.Second
	left := r.cfg.Timeout - time.Since(r.started) - after
	need := func() time.Duration {
		return time.Duration(targets*r.cfg.Rounds) * (r.cfg.Duration + 300*time.Millisecond)
	}
	for need() > left && r.cfg.Rounds > 2 {
		r.cfg.Rounds--
	}
	for need() > left && r.cfg.Duration > time.Second {
		r.cfg.Duration -= time.Second
	}
	if need() > left {
		r.logf("warning: %d targets × %d rounds × %s may not fit in the %s left", targets, r.cfg.Rounds, r.cfg.Duration, left.Round(time.Second))
	}
}

// loadOnce runs wrk once on a target and reads the server's CPU time
// around it.
func (r *run) loadOnce(ctx context.Context, t target) (result, error) {
	before, err := measure(t.srv.proc.pid())
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", t.srv.name, err)
	}
	w, err := runWrk(ctx, r.cfg.LoadCPU, r.cfg.Conns, r.cfg.Duration, t.url, t.sc.headers)
	if err != nil {
		return result{}, err
	}
	after, err := measure(t.srv.proc.pid())
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", t.srv.name, err)
	}
	if w.sockErrs > 0 || (t.sc.status < 400 && w.non2xx > 0) {
		return result{}, fmt.Errorf("%s on %s: %d socket errors, %d non-2xx answers", t.sc.name, t.srv.name, w.sockErrs, w.non2xx)
	}
	res := result{rps: w.rps, p50: w.p50, p99: w.p99, elapsed: w.elapsed}
	if w.requests > 0 {
		res.cpuPerReq = (after.cpu - before.cpu) / time.Duration(w.requests)
	}
	return res, nil
}

// startServer starts a server pinned to the server core on a free port,
// with env added to its environment; "{addr}" and "{port}" in args are
// replaced by its address and port.
func (r *run) startServer(ctx context.Context, name string, env []string, bin string, args ...string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	argv := []string{bin}
	for _, a := range args {
		a = strings.ReplaceAll(a, "{addr}", "127.0.0.1:"+strconv.Itoa(port))
		argv = append(argv, strings.ReplaceAll(a, "{port}", strconv.Itoa(port)))
	}
	logPath := filepath.Join(r.dir, strings.NewReplacer(" ", "-", "/", "-").Replace(name)+".log")
	p, err := startProcess(name, r.cfg.ServerCPU, logPath, env, argv...)
	if err != nil {
		return nil, err
	}
	return &server{name: name, port: port, proc: p}, nil
}

// startNginx starts nginx serving www with deploy/nginx.conf's server
// block (one worker, no access log), pinned to the server core.
func (r *run) startNginx(ctx context.Context, www string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args, err := nginxArgs(filepath.Join(r.dir, "nginx"), www, port)
	if err != nil {
		return nil, err
	}
	p, err := startProcess(srvNginx, r.cfg.ServerCPU, filepath.Join(r.dir, "nginx.log"), nil, append([]string{r.bin["nginx"]}, args...)...)
	if err != nil {
		return nil, err
	}
	return &server{name: srvNginx, port: port, proc: p}, nil
}

// nginxArgs writes, under prefix, deploy/nginx.conf made to serve www on
// 127.0.0.1:port, with keep-alive connections that last the whole run,
// and returns nginx's arguments.
func nginxArgs(prefix, www string, port int) ([]string, error) {
	n := deploy.Nginx{Addr: "127.0.0.1:" + strconv.Itoa(port), Root: www, KeepaliveRequests: 10_000_000}
	return n.Write(prefix)
}

// waitReady waits until the server answers anything on path.
func waitReady(ctx context.Context, s *server, path string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if done, err := s.proc.exited(); done {
			return fmt.Errorf("%s exited at start: %v (see its log)", s.name, err)
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", s.url(path), nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s did not start: %w", s.name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// answer is what httpstatus answered a scenario's request.
type answer struct {
	status      int
	contentType string
	encoding    string
	etag        string
	header      http.Header
	data        []byte
}

func (a *answer) body() []byte {
	if a == nil {
		return nil
	}
	return a.data
}

// fetch sends one request with the scenario's headers, as wrk will, and
// keeps the answer undecoded.
func fetch(ctx context.Context, url string, headers []string) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &answer{
		status:      res.StatusCode,
		contentType: res.Header.Get("Content-Type"),
		encoding:    res.Header.Get("Content-Encoding"),
		etag:        res.Header.Get("ETag"),
		header:      res.Header,
		data:        data,
	}, nil
}

// writeBare writes the bare server's manifest and bodies: one route per
// bare path, with the gzip form next to the plain one. With same, each
// route also sends httpstatus's other headers.
func writeBare(dir string, answers map[string]*answer, same bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	routes := map[string]*Route{}
	var order []string
	for i, sc := range scenarios {
		a := answers[sc.name]
		if a == nil {
			continue
		}
		rt := routes[sc.barePath]
		if rt == nil {
			rt = &Route{Path: sc.barePath, Status: a.status, ContentType: a.contentType}
			if same {
				rt.Headers = OtherHeaders(a.header)
			}
			routes[sc.barePath] = rt
			order = append(order, sc.barePath)
		}
		file := fmt.Sprintf("body-%d", i)
		if err := os.WriteFile(filepath.Join(dir, file), a.data, 0o644); err != nil {
			return err
		}
		if sc.gzip {
			rt.Gzip, rt.GzipETag = file, a.etag
		} else {
			rt.Body, rt.ETag = file, a.etag
		}
	}
	var list []Route
	for _, p := range order {
		if routes[p].Body == "" {
			return fmt.Errorf("bare route %s has a gzip form and no plain one", p)
		}
		list = append(list, *routes[p])
	}
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644)
}

// OtherHeaders lists, sorted, the headers of a response that BareHandler
// does not set itself or that net/http adds: what Route.Headers holds to
// send httpstatus's whole header block.
func OtherHeaders(h http.Header) [][2]string {
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(h)) {
		switch k {
		case "Content-Type", "Content-Length", "Etag", "Content-Encoding", "Date":
			continue
		}
		for _, v := range h[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// writeWWW writes the files nginx serves, named as an export names them:
// the doc page /503 as 503.html, and its .gz.
func writeWWW(www string, answers map[string]*answer) error {
	if err := os.MkdirAll(www, 0o755); err != nil {
		return err
	}
	for _, sc := range scenarios {
		a := answers[sc.name]
		if !sc.nginx || a == nil {
			continue
		}
		name := filepath.Join(www, strings.TrimPrefix(sc.barePath, "/")+".html")
		if sc.gzip {
			name += ".gz"
		}
		if err := os.WriteFile(name, a.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
