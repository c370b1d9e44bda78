package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// job is one request a client is asked to make, as the client scripts
// read it (JSON).
type job struct {
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Body    string      `json:"body,omitempty"`
	Headers [][2]string `json:"headers,omitempty"`
	User    string      `json:"user,omitempty"`
	Pass    string      `json:"pass,omitempty"`
	Follow  bool        `json:"follow,omitempty"`
	Retry   bool        `json:"retry,omitempty"`
	Limit   int         `json:"limit"`          // seconds
	Page    string      `json:"page,omitempty"` // browsers: a page of another origin to start from
	Mode    string      `json:"mode,omitempty"` // browsers: "navigate" or "fetch"
	ID      int         `json:"id,omitempty"`   // browsers: matches the answer to the job
}

// answer is what a client script prints: the outcome of its job.
type answer struct {
	ID        int    `json:"id,omitempty"`
	Status    int    `json:"status"`
	BodyBytes int    `json:"body_bytes"`
	Error     string `json:"error"`
	ElapsedMS int64  `json:"elapsed_ms"`
	None      bool   `json:"none"` // nothing within the limit
	// HarnessError is a failure of the harness (a browser that could not
	// open a page), not the client's behaviour.
	HarnessError string `json:"harness_error,omitempty"`
}

// client is one client: what it is, and either how to ask its version
// and run a job (command-line clients and Go), or the worker that does
// (every other client; the harness starts each worker once).
type client struct {
	info    catalog.Client
	version func(ctx context.Context) (string, error)
	run     func(ctx context.Context, j job) (answer, error)
	// spec and mode, for a client played by a worker.
	spec *workerSpec
	mode string
	// install says what to install when the client is missing.
	install string
}

// workerSpec is how to start a worker: argv, given the directory of the
// scripts and a temporary directory (Java's classes).
type workerSpec struct {
	name string
	argv func(dir, tmp string) []string
	page bool // a browser: its fetch starts from the page server
}

// newClients returns every client, in the order of the data.
func newClients() []*client {
	out := []*client{curlClient(), wgetClient(), goClient()}
	out = append(out, pythonClients()...)
	out = append(out, nodeClients()...)
	out = append(out, javaClient())
	return append(out, browserClients()...)
}

// options are the options a job gives c, from its catalog.Client, or a note
// that c has none.
func (c *client) options(s catalog.Scenario) []string {
	var out []string
	add := func(asked bool, what, opt string) {
		switch {
		case !asked:
		case opt == "":
			out = append(out, "no option for "+what+": defaults")
		default:
			out = append(out, opt)
		}
	}
	add(s.Follow, "following redirects", c.info.Follow)
	add(s.Retry, "retries", c.info.Retry)
	add(s.Credentials, "credentials", c.info.Credentials)
	return out
}

// Credentials the harness gives clients that take them.
const (
	user = "user"
	pass = "pass"
)

// scriptsDir is where the client scripts are: tools/clients of the
// module.
func scriptsDir() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "tools", "clients"), nil
}

// killGrace is how long past its limit a worker may take to answer
// before the harness gives up on it.
const killGrace = 10 * time.Second

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// output runs a command and returns its trimmed stdout.
func output(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// firstMatch returns the first submatch of re in s, or an error naming
// what was looked for.
func firstMatch(s, re, what string) (string, error) {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return "", fmt.Errorf("no %s version in %q", what, lastLine(s))
	}
	return m[1], nil
}

// curlClient runs curl, without -f: a status is a response, the exit
// status an error.
func curlClient() *client {
	c := &client{info: catalog.Client{ID: "curl", Name: "curl", Follow: "-L", Retry: "--retry 2", Credentials: "-u user:pass"}, install: "curl"}
	c.version = func(ctx context.Context) (string, error) {
		out, err := output(ctx, "curl", "--version")
		if err != nil {
			return "", err
		}
		return firstMatch(out, `^curl (\S+)`, "curl")
	}
	c.run = func(ctx context.Context, j job) (answer, error) {
		// A file, not /dev/null: before a retry curl truncates what it
		// wrote, which /dev/null refuses.
		f, err := os.CreateTemp("", "curl-")
		if err != nil {
			return answer{}, err
		}
		f.Close()
		defer os.Remove(f.Name())
		args := []string{"-sS", "-o", f.Name(), "-w", "%{http_code} %{size_download}"}
		// --data makes a POST; -X POST would keep POST on every hop.
		if j.Method != "GET" && j.Method != "POST" {
			args = append(args, "-X", j.Method)
		}
		if j.Body != "" {
			args = append(args, "--data", j.Body)
		}
		for _, h := range j.Headers {
			args = append(args, "-H", h[0]+": "+h[1])
		}
		if j.Follow {
			args = append(args, "-L")
		}
		if j.Retry {
			args = append(args, "--retry", "2")
		}
		if j.User != "" {
			args = append(args, "-u", j.User+":"+j.Pass)
		}
		return runCommand(ctx, j, func(out, _ string, exit int) answer {
			var a answer
			f := strings.Fields(out)
			if len(f) == 2 {
				a.Status, _ = strconv.Atoi(f[0])
				a.BodyBytes, _ = strconv.Atoi(f[1])
			}
			if exit != 0 {
				a.Error = "exit " + strconv.Itoa(exit)
			}
			return a
		}, "curl", append(args, j.URL)...)
	}
	return c
}

// wgetStatus finds the last status line wget printed with -S.
var wgetStatus = regexp.MustCompile(`(?m)^\s*HTTP/\d(?:\.\d)? (\d{3})`)

// wgetClient runs wget -S -O /dev/null, which prints every response's
// status line to stderr.
func wgetClient() *client {
	c := &client{info: catalog.Client{ID: "wget", Name: "GNU Wget", Follow: "default",
		Retry: "--tries=3 --retry-on-http-error=503", Credentials: "--user user --password pass"}, install: "wget"}
	c.version = func(ctx context.Context) (string, error) {
		out, err := output(ctx, "wget", "--version")
		if err != nil {
			return "", err
		}
		return firstMatch(out, `^GNU Wget (\S+)`, "wget")
	}
	c.run = func(ctx context.Context, j job) (answer, error) {
		args := []string{"-S", "-O", "/dev/null", "--no-config"}
		if j.Method == "POST" {
			args = append(args, "--post-data", j.Body)
		} else if j.Method != "GET" {
			args = append(args, "--method", j.Method)
		}
		for _, h := range j.Headers {
			args = append(args, "--header", h[0]+": "+h[1])
		}
		if j.Retry {
			args = append(args, "--tries=3", "--retry-on-http-error=503")
		}
		if j.User != "" {
			args = append(args, "--user", j.User, "--password", j.Pass)
		}
		return runCommand(ctx, j, func(_, stderr string, exit int) answer {
			var a answer
			if m := wgetStatus.FindAllStringSubmatch(stderr, -1); m != nil {
				a.Status, _ = strconv.Atoi(m[len(m)-1][1])
			}
			if m := regexp.MustCompile(`\[(\d+)(?:/\d+)?\]\s*$`).FindStringSubmatch(strings.TrimSpace(stderr)); m != nil {
				a.BodyBytes, _ = strconv.Atoi(m[1])
			}
			if exit != 0 {
				a.Error = "exit " + strconv.Itoa(exit)
			}
			return a
		}, "wget", append(args, j.URL)...)
	}
	return c
}

// runCommand runs a command-line client until it exits or the job's limit
// passes, and reads its answer with parse(stdout, stderr, exit status).
func runCommand(ctx context.Context, j job, parse func(stdout, stderr string, exit int) answer, name string, args ...string) (answer, error) {
	limit := time.Duration(j.Limit) * time.Second
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		return answer{None: true, ElapsedMS: limit.Milliseconds()}, nil
	}
	exit := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return answer{}, fmt.Errorf("%s: %w", name, err)
		}
		exit = ee.ExitCode()
	}
	a := parse(out.String(), errb.String(), exit)
	a.ElapsedMS = elapsed.Milliseconds()
	return a, nil
}

// goClient runs Go's net/http in this process: an http.Client with its
// defaults, on a transport of its own.
func goClient() *client {
	c := &client{info: catalog.Client{ID: "go", Name: "Go net/http", Follow: "default", Credentials: "Request.SetBasicAuth (sent up front)"}}
	c.version = func(context.Context) (string, error) { return runtime.Version(), nil }
	c.run = func(ctx context.Context, j job) (answer, error) {
		limit := time.Duration(j.Limit) * time.Second
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		tr := http.DefaultTransport.(*http.Transport).Clone()
		defer tr.CloseIdleConnections()
		hc := &http.Client{Transport: tr}
		var body io.Reader
		if j.Body != "" {
			body = strings.NewReader(j.Body)
		}
		req, err := http.NewRequestWithContext(ctx, j.Method, j.URL, body)
		if err != nil {
			return answer{}, err
		}
		if j.Body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, h := range j.Headers {
			req.Header.Add(h[0], h[1])
		}
		if j.User != "" {
			req.SetBasicAuth(j.User, j.Pass)
		}
		start := time.Now()
		resp, err := hc.Do(req)
		var a answer
		if err == nil {
			n, rerr := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			a.Status, a.BodyBytes = resp.StatusCode, int(n)
			err = rerr
		}
		a.ElapsedMS = time.Since(start).Milliseconds()
		if ctx.Err() != nil {
			return answer{None: true, ElapsedMS: limit.Milliseconds()}, nil
		}
		if err != nil {
			a.Error = goErrorKind(err)
		}
		return a, nil
	}
	return c
}

// goErrorKind names the kind of a net/http error: the innermost error's
// message, without addresses.
func goErrorKind(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	case errors.Is(err, io.EOF):
		return "EOF"
	}
	for {
		u := errors.Unwrap(err)
		if u == nil {
			break
		}
		err = u
	}
	return regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(err.Error(), "HOST")
}

// workerClient is a client played by a worker.
func workerClient(info catalog.Client, install string, spec *workerSpec, mode string) *client {
	return &client{info: info, install: install, spec: spec, mode: mode}
}

// debianPython is Debian's interpreter, which has Debian's
// python3-requests and python3-httpx (another python3 on PATH may not).
const debianPython = "/usr/bin/python3"

func pythonClients() []*client {
	py := func(lib string) *workerSpec {
		return &workerSpec{name: "python " + lib, argv: func(dir, _ string) []string {
			return []string{debianPython, filepath.Join(dir, "client.py"), lib}
		}}
	}
	return []*client{
		workerClient(catalog.Client{ID: "python-urllib", Name: "Python urllib", Follow: "default", Credentials: "HTTPBasicAuthHandler"},
			"python3", py("urllib"), ""),
		workerClient(catalog.Client{ID: "python-requests", Name: "Python requests", Follow: "default",
			Retry: "HTTPAdapter(max_retries=Retry(total=2, status_forcelist=[503]))", Credentials: "auth=(user, pass)"},
			"python3-requests", py("requests"), ""),
		workerClient(catalog.Client{ID: "python-httpx", Name: "Python HTTPX", Follow: "follow_redirects=True", Credentials: "auth=(user, pass)"},
			"python3-httpx", py("httpx"), ""),
	}
}

func nodeClients() []*client {
	node := func(lib string) *workerSpec {
		return &workerSpec{name: "node " + lib, argv: func(dir, _ string) []string {
			return []string{"node", filepath.Join(dir, "client.mjs"), lib}
		}}
	}
	return []*client{
		workerClient(catalog.Client{ID: "node-fetch", Name: "Node fetch (undici)", Follow: "default"}, "nodejs", node("fetch"), ""),
		workerClient(catalog.Client{ID: "node-http", Name: "Node node:http", Credentials: "auth: 'user:pass' (sent up front)"},
			"nodejs", node("http"), ""),
	}
}

// javaClient runs Client.java, compiled once into the temporary directory
// (see compileJava).
func javaClient() *client {
	spec := &workerSpec{name: "java", argv: func(_, tmp string) []string { return []string{"java", "-cp", tmp, "Client"} }}
	return workerClient(catalog.Client{ID: "java", Name: "Java HttpClient", Follow: "followRedirects(Redirect.NORMAL)",
		Credentials: "authenticator(Authenticator)"}, "openjdk-17-jdk-headless", spec, "")
}

// browserClients are the navigation and fetch clients of each browser,
// one worker (browser.mjs) per browser.
func browserClients() []*client {
	var out []*client
	for _, b := range browsers {
		spec := &workerSpec{name: b.id, page: true, argv: func(dir, _ string) []string {
			exe, err := exec.LookPath(b.exe)
			if err != nil {
				exe = b.exe // the worker fails to start, and says so
			}
			return []string{"node", filepath.Join(dir, "browser.mjs"), b.id, exe}
		}}
		out = append(out,
			workerClient(catalog.Client{ID: b.id + "-navigate", Name: b.name + " navigation", Follow: "default"}, b.install, spec, "navigate"),
			workerClient(catalog.Client{ID: b.id + "-fetch", Name: b.name + " fetch()", Follow: "default"}, b.install, spec, "fetch"))
	}
	return out
}

// compileJava compiles Client.java into dir.
func compileJava(ctx context.Context, dir string) error {
	src, err := scriptsDir()
	if err != nil {
		return err
	}
	out, err := exec.CommandContext(ctx, "javac", "-d", dir, filepath.Join(src, "Client.java")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("javac Client.java: %v: %s (install openjdk-17-jdk-headless)", err, out)
	}
	return nil
}
