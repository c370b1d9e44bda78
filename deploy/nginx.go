// Package deploy holds the deployment files of httpstatus: the
// Containerfile, the Kubernetes manifests (k8s/) and nginx.conf, the
// server block that serves a static export. Its tests check those files
// against each other and against the server they run.
//
// nginx.conf is the only nginx configuration in the repository. Whatever
// runs nginx on loopback (the export's parity test, the benchmark) derives
// its configuration from it with Nginx, which changes only where it
// listens, what it serves and whether brotli is on.
package deploy

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed nginx.conf
var nginxConf string

// NginxConf returns nginx.conf as shipped.
func NginxConf() string { return nginxConf }

// BrotliModule is where Debian's libnginx-mod-http-brotli-static puts the
// brotli_static module that nginx.conf's commented-out lines need.
const BrotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// Nginx is nginx.conf made to run on this machine, in the foreground,
// under a directory of its own.
type Nginx struct {
	Addr   string // HOST:PORT to listen on, instead of port 80
	Root   string // the export to serve, instead of /srv/httpstatus
	Brotli bool   // switch the brotli_static lines on, loading BrotliModule
	// KeepaliveRequests, when not zero, is how many requests one
	// connection may send (nginx's default closes it after 1000, which a
	// load run reaches in a moment).
	KeepaliveRequests int
}

// edit is one change Site makes to nginx.conf: every line matching re is
// replaced with with, and exactly want lines must match.
type edit struct {
	re   *regexp.Regexp
	with string
	want int
}

func (n Nginx) edits() []edit {
	e := []edit{
		{regexp.MustCompile(`(?m)^    listen 80;$`), "    listen " + n.Addr + ";", 1},
		{regexp.MustCompile(`(?m)^    listen \[::\]:80;\n`), "", 1},
		{regexp.MustCompile(`(?m)^    root /srv/httpstatus;$`), "    root " + n.Root + ";", 1},
	}
	if n.Brotli {
		e = append(e, edit{regexp.MustCompile(`#brotli_static`), "brotli_static", 2})
	}
	return e
}

// Site returns nginx.conf's server block listening on n.Addr only and
// serving n.Root, with brotli on when n.Brotli is set. It fails when
// nginx.conf no longer has the lines it changes.
func (n Nginx) Site() (string, error) { return n.derive(nginxConf) }

// derive makes Site's changes to conf.
func (n Nginx) derive(conf string) (string, error) {
	s := conf
	for _, e := range n.edits() {
		if got := len(e.re.FindAllString(s, -1)); got != e.want {
			return "", fmt.Errorf("deploy/nginx.conf: %d lines match %s, want %d", got, e.re, e.want)
		}
		s = e.re.ReplaceAllLiteralString(s, e.with)
	}
	return s, nil
}

// Main returns the main configuration that runs the server block in the
// file site: one worker, in the foreground, no access log, and the pid
// file, error log and every temporary path under prefix.
func (n Nginx) Main(prefix, site string) string {
	var b strings.Builder
	if n.Brotli {
		fmt.Fprintf(&b, "load_module %s;\n", BrotliModule)
	}
	fmt.Fprintf(&b, `daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %[1]s/client_body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
`, prefix)
	if n.KeepaliveRequests > 0 {
		fmt.Fprintf(&b, "    keepalive_requests %d;\n", n.KeepaliveRequests)
	}
	fmt.Fprintf(&b, "    include %s;\n}\n", site)
	return b.String()
}

// Write writes the main configuration and the server block into prefix
// (made if missing) and returns the arguments that start nginx with them:
// "-p prefix -c prefix/nginx.conf -e prefix/error.log" (-e, so that nginx
// opens no log outside prefix before it reads the configuration).
func (n Nginx) Write(prefix string) ([]string, error) {
	site, err := n.Site()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return nil, err
	}
	sitePath, mainPath := filepath.Join(prefix, "site.conf"), filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(sitePath, []byte(site), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(mainPath, []byte(n.Main(prefix, sitePath)), 0o644); err != nil {
		return nil, err
	}
	return []string{"-p", prefix, "-c", mainPath, "-e", filepath.Join(prefix, "error.log")}, nil
}
