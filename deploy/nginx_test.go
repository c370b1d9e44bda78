package deploy

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNginxSite checks that Site changes nginx.conf in exactly the lines
// it is meant to, written out here line by line: every other line of the
// derived server block is nginx.conf's own.
func TestNginxSite(t *testing.T) {
	t.Parallel()
	const addr, root = "127.0.0.1:18080", "/tmp/site"
	for _, brotli := range []bool{false, true} {
		n := Nginx{Addr: addr, Root: root, Brotli: brotli}
		site, err := n.Site()
		if err != nil {
			t.Fatalf("Site (brotli %v): %v", brotli, err)
		}
		got := strings.Split(site, "\n")
		var want []string
		changed := map[string]int{}
		for _, l := range strings.Split(NginxConf(), "\n") {
			switch {
			case l == "    listen 80;":
				l = "    listen " + addr + ";"
				changed["listen"]++
			case l == "    listen [::]:80;":
				changed["listen [::]"]++
				continue
			case l == "    root /srv/httpstatus;":
				l = "    root " + root + ";"
				changed["root"]++
			case brotli && strings.Contains(l, "#brotli_static"):
				l = strings.Replace(l, "#brotli_static", "brotli_static", 1)
				changed["brotli"]++
			}
			want = append(want, l)
		}
		wantChanged := map[string]int{"listen": 1, "listen [::]": 1, "root": 1}
		if brotli {
			wantChanged["brotli"] = 2
		}
		for k, v := range wantChanged {
			if changed[k] != v {
				t.Errorf("nginx.conf has %d %q lines for Site to change, want %d", changed[k], k, v)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("Site (brotli %v): %d lines, want %d (nginx.conf's, with the listen [::] line dropped)", brotli, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Site (brotli %v) line %d = %q, want %q", brotli, i+1, got[i], want[i])
			}
		}
	}
}

// TestNginxSiteRefusesDrift: a nginx.conf without a line Site changes is
// an error naming it, not a server block that listens on port 80.
func TestNginxSiteRefusesDrift(t *testing.T) {
	t.Parallel()
	n := Nginx{Addr: "127.0.0.1:1", Root: "/x", Brotli: true}
	for name, conf := range map[string]string{
		"listen 8080":       strings.Replace(NginxConf(), "    listen 80;", "    listen 8080;", 1),
		"two roots":         strings.Replace(NginxConf(), "    root /srv/httpstatus;", "    root /srv/httpstatus;\n    root /srv/httpstatus;", 1),
		"no brotli_static":  strings.ReplaceAll(NginxConf(), "#brotli_static", "#gunzip"),
		"root elsewhere":    strings.Replace(NginxConf(), "/srv/httpstatus;", "/var/www;", 1),
		"no IPv6 listen":    strings.Replace(NginxConf(), "    listen [::]:80;\n", "", 1),
		"IPv6 listen moved": strings.Replace(NginxConf(), "    listen [::]:80;", "  listen [::]:80;", 1),
	} {
		if _, err := n.derive(conf); err == nil || !strings.Contains(err.Error(), "deploy/nginx.conf") {
			t.Errorf("%s: derive = %v, want an error naming deploy/nginx.conf", name, err)
		}
	}
}

func TestNginxMain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n         Nginx
		want, not []string
	}{
		{Nginx{}, []string{"daemon off;", "pid /p/nginx.pid;", "error_log /p/error.log", "client_body_temp_path /p/", "include /p/site.conf;"}, []string{"load_module", "keepalive_requests"}},
		{Nginx{Brotli: true}, []string{"load_module " + BrotliModule + ";\n"}, []string{"keepalive_requests"}},
		{Nginx{KeepaliveRequests: 5000}, []string{"keepalive_requests 5000;"}, []string{"load_module"}},
	}
	for _, tt := range tests {
		got := tt.n.Main("/p", "/p/site.conf")
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("Main(%+v) lacks %q:\n%s", tt.n, w, got)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(got, w) {
				t.Errorf("Main(%+v) has %q:\n%s", tt.n, w, got)
			}
		}
	}
	// Every temporary path nginx knows of is under the prefix: one
	// left at its default makes nginx write outside it, or fail.
	main := Nginx{}.Main("/p", "/p/site.conf")
	for _, d := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		if !strings.Contains(main, d+"_temp_path /p/") {
			t.Errorf("Main has no %s_temp_path under the prefix", d)
		}
	}
}

func TestNginxWrite(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nginx")
	args, err := Nginx{Addr: "127.0.0.1:1", Root: "/x"}.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log")}
	if strings.Join(args, " ") != strings.Join(want, " ") {
		t.Errorf("Write args = %q, want %q", args, want)
	}
	main, _ := os.ReadFile(filepath.Join(dir, "nginx.conf"))
	site, _ := os.ReadFile(filepath.Join(dir, "site.conf"))
	if !strings.Contains(string(main), "include "+filepath.Join(dir, "site.conf")+";") || !strings.Contains(string(site), "listen 127.0.0.1:1;") {
		t.Errorf("Write: nginx.conf does not include the server block, or site.conf is not it:\n%s\n%s", main, site)
	}
}

// nginxDirective matches a line of nginx configuration: a directive
// with its value and semicolon, or a block opened at the start of a line.
var nginxDirective = regexp.MustCompile(`\b(gzip_static|brotli_static)\s+(on|off)\s*;` +
	`|\b(try_files|worker_processes|worker_connections|error_page)\s+[^;]+;` +
	`|\badd_header\s+\S+\s+.*;` +
	`|^\s*(server|http|events|location\s[^{]*)\s*\{\s*$`)

// TestNginxConfigOnce fails on a copy of nginx configuration anywhere in
// the repository's Go and shell files but nginx.go, which derives every
// configuration run here from nginx.conf: a second copy drifts from the
// one that ships.
func TestNginxConfigOnce(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "node_modules" || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".sh" {
			return nil
		}
		if path == filepath.Join("..", "deploy", "nginx.go") || path == filepath.Join("..", "deploy", "nginx_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			if m := nginxDirective.FindString(sc.Text()); m != "" {
				t.Errorf("%s:%d holds nginx configuration (%q): derive it from deploy/nginx.conf with deploy.Nginx", path, n, m)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
