//go:build integration

package export_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/deploy"
	"github.com/httpstatus/httpstatus/internal/export"
	"github.com/httpstatus/httpstatus/internal/render"
)

// parityHeaders are the response headers nginx with deploy/nginx.conf must
// send exactly as the Go server does. Vary, ETag, Last-Modified and Server
// differ by design.
var parityHeaders = []string{
	"Content-Type", "Content-Encoding", "Cache-Control", "Access-Control-Allow-Origin",
	"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
	"Cross-Origin-Opener-Policy", "X-Frame-Options",
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// buildBinary builds cmd/httpstatus into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go: %v", err)
	}
	bin := filepath.Join(dir, "httpstatus")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/httpstatus")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs cmd until the test ends, then stops it with sig.
func start(t *testing.T, cmd *exec.Cmd, sig os.Signal) *bytes.Buffer {
	t.Helper()
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(sig)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return &logs
}

// waitFor polls url until it answers wantStatus, for at most 30 s.
func waitFor(t *testing.T, url string, wantStatus int, logs *bytes.Buffer) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == wantStatus {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d within 30 s (last error %v)\n%s", url, wantStatus, err, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startNginx runs Debian's nginx with deploy/nginx.conf made to listen on
// addr and serve root (deploy.Nginx), with brotli on or off, and waits
// until it answers.
func startNginx(t *testing.T, nginx, addr, root string, brotli bool) {
	t.Helper()
	args, err := deploy.Nginx{Addr: addr, Root: root, Brotli: brotli}.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(nginx, append([]string{"-t"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t with deploy/nginx.conf: %v\n%s", err, out)
	}
	logs := start(t, exec.Command(nginx, args...), syscall.SIGQUIT)
	waitFor(t, "http://"+addr+"/robots.txt", 200, logs)
}

// response is what the parity test compares.
type response struct {
	status int
	header http.Header
	body   []byte
}

func fetch(client *http.Client, url, encoding string) (response, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return response{}, err
	}
	// nginx cannot choose a format by Accept: ask as a browser does.
	req.Header.Set("Accept", browser)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	res, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, body}, err
}

// diff describes how nginx's answer differs from the Go server's, or is "".
func diff(gos, ngx response) string {
	var d []string
	if gos.status != ngx.status {
		d = append(d, fmt.Sprintf("status %d, Go %d", ngx.status, gos.status))
	}
	for _, h := range parityHeaders {
		if g, n := gos.header.Get(h), ngx.header.Get(h); g != n {
			d = append(d, fmt.Sprintf("%s %q, Go %q", h, n, g))
		}
	}
	if !bytes.Equal(gos.body, ngx.body) {
		d = append(d, fmt.Sprintf("body %d bytes, Go %d bytes", len(ngx.body), len(gos.body)))
	}
	return strings.Join(d, "; ")
}

// checkNginxNotFound asks each nginx for a path that names nothing, plain,
// gzip and br: each must answer the export's own 404.html (the file at
// page), with status 404, uncompressed whatever the client accepts.
func checkNginxNotFound(t *testing.T, client *http.Client, page string, addrs ...string) {
	t.Helper()
	notFoundPage, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range addrs {
		for _, enc := range []string{"", "gzip", "br"} {
			res, err := fetch(client, "http://"+addr+"/no-such-page", enc)
			if err != nil || res.status != 404 || res.header.Get("Content-Encoding") != "" || !bytes.Equal(res.body, notFoundPage) {
				t.Errorf("nginx GET /no-such-page (Accept-Encoding %q): %v, %d, Content-Encoding %q, %d bytes; want 404 with the export's %s (%d bytes)",
					enc, err, res.status, res.header.Get("Content-Encoding"), len(res.body), export.NotFoundFile, len(notFoundPage))
			}
		}
	}
}

// sitePaths returns every URL of the sitemap nginx serves at base, which
// must list every HTML page, then every JSON and text form, the assets
// and the site files.
func sitePaths(t *testing.T, client *http.Client, base string, rnd *render.Renderer) []string {
	t.Helper()
	sm, err := fetch(client, base+"/sitemap.xml", "")
	if err != nil || sm.status != 200 {
		t.Fatalf("GET /sitemap.xml from nginx: %v %d", err, sm.status)
	}
	var doc struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(sm.body, &doc); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, u := range doc.URLs {
		p, ok := strings.CutPrefix(u.Loc, base)
		if !ok {
			t.Fatalf("sitemap URL %q is not under %s", u.Loc, base)
		}
		add(p)
	}
	html := 0
	for _, p := range rnd.Pages() {
		if !p.Explicit && !seen[p.Path()] {
			t.Errorf("the sitemap lacks the HTML page %s", p.Path())
		}
		if !p.Explicit {
			html++
		}
	}
	if len(doc.URLs) != html {
		t.Errorf("the sitemap has %d URLs for %d HTML pages", len(doc.URLs), html)
	}
	// The JSON and text forms, the assets and the site files.
	for _, p := range rnd.Pages() {
		add(p.Path())
	}
	for _, a := range rnd.Assets() {
		add(a.Path)
	}
	for _, p := range []string{"/sitemap.xml", "/robots.txt", "/openapi.json", "/index.html", "/503.html", "/5xx.html", "/404.html", "/404.json"} {
		add(p)
	}
	return paths
}

// compareAll asks the Go server and nginx (with brotli off and on) for
// every path, plain, gzip and br, six at a time, and returns how their
// answers differ and how many nginx answers had each Content-Encoding.
func compareAll(t *testing.T, client *http.Client, goAddr, ngxAddr, brAddr string, paths []string) (failures []string, encoded map[string]int) {
	t.Helper()
	type job struct {
		path, enc string
		br        bool // ask the nginx with brotli on
	}
	var jobs []job
	for _, p := range paths {
		for _, enc := range []string{"", "gzip"} {
			jobs = append(jobs, job{p, enc, false}, job{p, enc, true})
		}
		jobs = append(jobs, job{p, "br", true})
	}
	encoded = map[string]int{}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan job)
	)
	for range 6 {
		wg.Go(func() {
			for j := range next {
				addr := ngxAddr
				if j.br {
					addr = brAddr
				}
				gos, err1 := fetch(client, "http://"+goAddr+j.path, j.enc)
				ngx, err2 := fetch(client, "http://"+addr+j.path, j.enc)
				d := diff(gos, ngx)
				if err1 != nil || err2 != nil {
					d = fmt.Sprintf("Go: %v; nginx: %v", err1, err2)
				}
				mu.Lock()
				if d != "" {
					failures = append(failures, fmt.Sprintf("GET %s (Accept-Encoding %q, nginx brotli %v): %s", j.path, j.enc, j.br, d))
				}
				encoded[ngx.header.Get("Content-Encoding")]++
				mu.Unlock()
			}
		})
	}
	deadline := time.After(5 * time.Minute)
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-deadline:
			t.Errorf("the comparison ran out of time")
			break feed
		}
	}
	close(next)
	wg.Wait()
	return failures, encoded
}

// TestNginxParityIntegration exports the site with the httpstatus binary
// into a fresh directory, serves it with a real nginx and deploy/nginx.conf
// (as shipped, and with its brotli lines on), runs "httpstatus serve"
// beside it, and compares every URL of the sitemap, every JSON and text
// form, the assets, robots.txt, sitemap.xml, openapi.json and a set of
// unknown paths: status, body bytes and headers, plain, gzip and (with
// brotli) br.
func TestNginxParityIntegration(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(nginx); err != nil {
		t.Fatalf("nginx is not installed (%v): run scripts/deps.sh", err)
	}
	if _, err := os.Stat(deploy.BrotliModule); err != nil {
		t.Fatalf("the nginx brotli module is not installed (%v): run scripts/deps.sh", err)
	}
	rnd := newRenderer(t)
	tmp := t.TempDir()
	// nginx's workers run as nobody: the path down to the export must be
	// readable by all (the export itself is 0755 and 0644).
	for _, d := range []string{tmp, filepath.Dir(tmp)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := buildBinary(t, tmp)
	ngxAddr, brAddr, goAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	base := "http://" + ngxAddr
	site := filepath.Join(tmp, "site")

	began := time.Now()
	out, err := exec.Command(bin, "export", "--base-url", base, site).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "exported ") {
		t.Fatalf("httpstatus export: %v\n%s", err, out)
	}
	t.Logf("%s(%v with the process start)", out, time.Since(began).Round(time.Millisecond))

	startNginx(t, nginx, ngxAddr, site, false)
	startNginx(t, nginx, brAddr, site, true)
	goLogs := start(t, exec.Command(bin, "serve", "--addr", goAddr, "--base-url", base, "--log-level", "warn"), syscall.SIGTERM)
	waitFor(t, "http://"+goAddr+"/healthz", 200, goLogs)

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8},
	}

	checkNginxNotFound(t, client, filepath.Join(site, export.NotFoundFile), ngxAddr, brAddr)

	paths := sitePaths(t, client, base, rnd)
	pages := len(paths)
	// Paths that name nothing: both answer the same 404 page.
	notFound := []string{
		"/nothing", "/600", "/99", "/503.xml", "/503.text", "/a/b/c", "/503/", "/5xx/", "/404/",
		"/404/index.html", "/static/", "/static/nope.css", "/index", "/codes", "/sitemap",
		"/503.html.gz", "/503.json.br", "/" + export.MarkerFile, "/" + export.NotFoundFile + ".gz",
		"/gateway-timeout", "/%E2%9C%93",
	}
	paths = append(paths, notFound...)

	failures, encoded := compareAll(t, client, goAddr, ngxAddr, brAddr, paths)
	sort.Strings(failures)
	for i, f := range failures {
		if i == 30 {
			t.Errorf("... and %d more", len(failures)-30)
			break
		}
		t.Error(f)
	}
	// The precompressed files were used.
	if encoded["gzip"] < pages || encoded["br"] < pages/2 {
		t.Errorf("nginx answers by Content-Encoding: %v; want the .gz and .br files served", encoded)
	}
	requests := 0
	for _, n := range encoded {
		requests += n
	}
	t.Logf("compared %d URLs (%d pages and files, %d unknown paths) in %d requests to each server; nginx encodings %v",
		len(paths), pages, len(notFound), requests, encoded)
	if t.Failed() {
		t.Logf("httpstatus serve:\n%s", goLogs)
	}
}
