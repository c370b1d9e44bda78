// Package bench is the load benchmark behind "make bench". It builds
// httpstatus, a bare net/http server (./bare), a Go hello-world (./hello)
// and go-httpbin (a pinned version, from the module proxy), starts them
// and nginx on 127.0.0.1 with each server pinned to one core and wrk to
// the other, runs interleaved rounds of every scenario, times start-up,
// commands and an export, and prints a table of requests/s, p50, p99, CPU
// time per request and RSS, then every guardrail of the project with the
// ratio this run measured and whether it is met.
//
// httpstatus runs twice: as "serve" starts by default (fast path on), and
// with HTTPSTATUS_FAST_PATH=false, which serves through net/http alone.
// The bare server answers the exact bytes httpstatus answered (fetched
// from it first) with nothing but Content-Type, Content-Length and ETag;
// nginx serves the same bytes from files, with deploy/nginx.conf. Only
// processes the harness started are stopped, and all traffic stays on
// loopback. Run is bounded by Config.Timeout.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// HTTPBinModule is the go-httpbin the benchmark compares the live
// endpoint with: a pinned version, installed with "go install".
const HTTPBinModule = "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@v2.26.0"

// ManifestName is the file, in the bare server's directory, that lists its
// routes as JSON ([]Route).
const ManifestName = "routes.json"

// Route is one answer of the bare server: the bytes httpstatus gave for a
// request, written in files next to the manifest.
type Route struct {
	Path        string `json:"path"`
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	ETag        string `json:"etag,omitempty"`
	Body        string `json:"body"`           // file name
	Gzip        string `json:"gzip,omitempty"` // file name of the gzip form
	GzipETag    string `json:"gzipEtag,omitempty"`
	// Headers are other response headers to send, as httpstatus did
	// (Vary, Cache-Control, the security headers): empty for the bare
	// server, set for its "same headers" twin, which tells the cost of
	// the header block from the cost of httpstatus's code.
	Headers [][2]string `json:"headers,omitempty"`
}

// Config is the benchmark's settings.
type Config struct {
	Root      string        // the module's root directory
	Duration  time.Duration // one wrk run, in whole seconds
	Rounds    int           // interleaved rounds; the best of each is kept
	Conns     int           // wrk connections
	Starts    int           // start-up measurements per server
	CLIRuns   int           // runs of each command-line measurement
	ServerCPU string        // core the servers run on
	LoadCPU   string        // core wrk runs on
	Timeout   time.Duration // the whole run, builds included
	Install   bool          // apt-get install nginx and wrk when missing (as root)
	Log       io.Writer     // progress
}

// DefaultConfig is what "make bench" runs: under four minutes on two
// cores, builds included.
func DefaultConfig(root string) Config {
	return Config{
		Root: root, Duration: 2 * time.Second, Rounds: 3, Conns: 32,
		Starts: 20, CLIRuns: 40, ServerCPU: "0", LoadCPU: "1",
		Timeout: 225 * time.Second, Install: true, Log: io.Discard,
	}
}

// browserAccept is the Accept header Firefox and Chrome send for a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// scenario is one request the benchmark loads every server with.
type scenario struct {
	name     string
	path     string   // on httpstatus (and go-httpbin)
	headers  []string // "Name: value"
	barePath string   // where the bare server answers the same bytes
	status   int      // what httpstatus must answer
	gzip     bool     // the answer is gzip
	nginx    bool     // nginx serves the same bytes from a file
	httpbin  bool     // go-httpbin answers the same path
	same     bool     // the bare server's twin with httpstatus's headers runs it
	fastOff  bool     // httpstatus with the fast path off runs it too
}

// The scenarios. The doc page is the bytes of /503 in HTML.
var scenarios = []scenario{
	{name: "doc page", path: "/503", headers: []string{"Accept: " + browserAccept}, barePath: "/503", status: 200, nginx: true, same: true, fastOff: true},
	{name: "doc page, gzip", path: "/503", headers: []string{"Accept: " + browserAccept, "Accept-Encoding: gzip"}, barePath: "/503", status: 200, gzip: true, nginx: true, same: true},
	{name: "JSON by Accept", path: "/503", headers: []string{"Accept: application/json"}, barePath: "/503.json", status: 200},
	{name: "/status/503", path: "/status/503", barePath: "/status/503", status: 503, httpbin: true, same: true, fastOff: true},
	{name: "search", path: "/search?q=gateway+timeout", headers: []string{"Accept: " + browserAccept}, barePath: "/search", status: 200},
}

// The servers, by name.
const (
	srvHTTPStatus = "httpstatus"
	srvFastOff    = "httpstatus, fast path off"
	srvBare       = "bare net/http"
	srvBareSame   = "bare, same headers"
	srvNginx      = "nginx"
	srvHTTPBin    = "go-httpbin"
)

// fastPathEnv is the environment that turns httpstatus's HTTP/1.1 fast
// path off, and fastPathFlag the flag whose presence in "serve -h" says
// the binary has that switch.
const (
	fastPathEnv  = "HTTPSTATUS_FAST_PATH=false"
	fastPathFlag = "fast-path"
)

// run is the state of one benchmark run.
type run struct {
	cfg     Config
	dir     string
	bin     map[string]string // program name -> path
	log     io.Writer
	started time.Time
	// fastSwitch is set when httpstatus has the fast-path switch.
	fastSwitch bool
}

// Run runs the whole benchmark and writes the report, in Markdown, to out.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	r := &run{cfg: cfg, log: cfg.Log, bin: map[string]string{}, started: time.Now()}
	if err := r.tools(ctx); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "httpstatus-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// nginx's workers run as nobody and must read the files.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	r.dir = dir
	if err := r.build(ctx); err != nil {
		return err
	}
	rep := &report{cfg: cfg, date: time.Now()}
	rep.machine = machine()
	if err := r.load(ctx, rep); err != nil {
		return err
	}
	rep.cfg = r.cfg // the rounds as run (fitRounds)
	if err := r.startup(ctx, rep); err != nil {
		return err
	}
	if err := r.cli(ctx, rep); err != nil {
		return err
	}
	r.export(ctx, rep)
	rep.elapsed = time.Since(r.started)
	rep.write(out)
	return nil
}

func (r *run) logf(format string, args ...any) {
	fmt.Fprintf(r.log, "bench %5.1fs: %s\n", time.Since(r.started).Seconds(), fmt.Sprintf(format, args...))
}

// tools checks for wrk, nginx and taskset, installing the first two with
// apt-get when they are missing and the harness runs as root.
func (r *run) tools(ctx context.Context) error {
	var missing []string
	for _, t := range []string{"wrk", "nginx"} {
		if _, err := lookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		if !r.cfg.Install || os.Geteuid() != 0 {
			return fmt.Errorf("missing %s: install them (Debian: sudo apt-get install %s)", strings.Join(missing, ", "), strings.Join(missing, " "))
		}
		r.logf("installing %s with apt-get", strings.Join(missing, " "))
		if err := command(ctx, "", nil, "apt-get", "update", "-qq"); err != nil {
			return err
		}
		args := append([]string{"install", "-y", "-qq", "--no-install-recommends"}, missing...)
		if err := command(ctx, "", []string{"DEBIAN_FRONTEND=noninteractive"}, "apt-get", args...); err != nil {
			return err
		}
	}
	if _, err := lookPath("taskset"); err != nil {
		return errors.New("missing taskset (Debian: util-linux)")
	}
	return nil
}

// lookPath finds a program on PATH or in /usr/sbin, where Debian puts
// nginx and which a non-root PATH may lack.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/sbin", name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found", name)
	}
	return p, nil
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

// build compiles httpstatus, the bare server, the hello-world and
// go-httpbin into the run's directory, all static (CGO_ENABLED=0), as
// deploy/Containerfile builds the binary it ships: a binary linked to
// libc pays for the dynamic loader at every start, which would tilt the
// start-up and command-line ratios.
func (r *run) build(ctx context.Context) error {
	r.logf("building httpstatus, bare, hello and %s", HTTPBinModule)
	binDir := filepath.Join(r.dir, "bin")
	for name, pkg := range map[string]string{
		"httpstatus": "./cmd/httpstatus",
		"bare":       "./tools/bench/bare",
		"hello":      "./tools/bench/hello",
	} {
		r.bin[name] = filepath.Join(binDir, name)
		if err := command(ctx, r.cfg.Root, []string{"CGO_ENABLED=0"}, "go", "build", "-o", r.bin[name], pkg); err != nil {
			return err
		}
	}
	// GOFLAGS=-mod=mod keeps a vendor directory or workspace from
	// interfering; "go install pkg@version" ignores the module's go.mod.
	if err := command(ctx, r.dir, []string{"GOBIN=" + binDir, "GOFLAGS=-mod=mod", "CGO_ENABLED=0"}, "go", "install", HTTPBinModule); err != nil {
		return err
	}
	r.bin["go-httpbin"] = filepath.Join(binDir, "go-httpbin")
	nginx, err := lookPath("nginx")
	if err != nil {
		return err
	}
	r.bin["nginx"] = nginx
	help, _ := exec.CommandContext(ctx, r.bin["httpstatus"], "serve", "-h").CombinedOutput()
	r.fastSwitch = strings.Contains(string(help), fastPathFlag)
	return nil
}

// machine describes the CPU, the core count and the kernel.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", Linux " + strings.TrimSpace(string(b))
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb := statusKB(string(b), "MemTotal:"); kb > 0 {
			mem = fmt.Sprintf(", %d GiB", (kb+512*1024)/(1024*1024))
		}
	}
	return fmt.Sprintf("%s, %d cores%s%s", model, numCPU(), mem, kernel)
}

func numCPU() int {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		return 0
	}
	n := 0
	for _, part := range strings.Split(strings.TrimSpace(string(b)), ",") {
		lo, hi, found := strings.Cut(part, "-")
		a, _ := strconv.Atoi(lo)
		z := a
		if found {
			z, _ = strconv.Atoi(hi)
		}
		n += z - a + 1
	}
	return n
}
