//go:build integration

package deploy

import (
	"context"
	"debug/elf"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDeployChecksIntegration checks the manifests against the Kubernetes
// API schemas and the Containerfile's syntax, offline, with the tools
// pinned in check/package-lock.json (installed by scripts/deps.sh).
func TestDeployChecksIntegration(t *testing.T) {
	if _, err := os.Stat("check/node_modules/kubernetes-models"); err != nil {
		t.Fatalf("deploy/check is not installed (%v): run scripts/deps.sh", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v: install Node.js 20 (scripts/deps.sh says how)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "check/check.mjs").CombinedOutput()
	if err != nil {
		t.Fatalf("node check/check.mjs: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestContainerBuildIntegration runs the Containerfile's build command
// here (no container runtime or base image can be fetched on this
// machine), then checks that the binary is static and serves as the
// image's non-root user.
func TestContainerBuildIntegration(t *testing.T) {
	lines, last := containerfile(t)
	var build, user string
	for _, l := range lines[:last] {
		if c, ok := strings.CutPrefix(l, "RUN "); ok && strings.Contains(c, "go build") {
			build = c
		}
	}
	for _, l := range lines[last:] {
		if u, ok := strings.CutPrefix(l, "USER "); ok {
			user = u
		}
	}
	if build == "" || user == "" {
		t.Fatalf("Containerfile: build line %q, USER %q", build, user)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "httpstatus")
	build = strings.ReplaceAll(build, "${VERSION}", "v0.0.0-test")
	build = strings.ReplaceAll(build, "/out/httpstatus", bin)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", build)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, out)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (%v): the distroless static image has no libc", p.Type)
		}
	}
	f.Close()
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "v0.0.0-test") {
		t.Errorf("%s version: %q, %v; want the VERSION build argument", bin, out, err)
	}

	// Serve as the image's user, from a directory that user cannot write.
	var uid, gid uint32
	if _, err := fmt.Sscanf(user, "%d:%d", &uid, &gid); err != nil {
		t.Fatalf("USER %q: %v", user, err)
	}
	for _, d := range []string{dir, filepath.Dir(dir)} { // t.TempDir and its parent are private
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(bin, "serve")
	srv.Env = []string{"HTTPSTATUS_ADDR=" + addr, "HTTPSTATUS_LOG_FORMAT=json"}
	srv.Dir = "/"
	if os.Getuid() == 0 {
		srv.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
	}
	var logs strings.Builder
	srv.Stderr = &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve as %s did not become ready at %s (last: %v)\n%s", user, addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, err := client.Get("http://" + addr + "/503.json")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET /503.json as %s: %v", user, err)
	}
	res.Body.Close()
}

// TestNginxConfigIntegration runs "nginx -t" on every configuration
// derived from nginx.conf that the repository runs: as the export's parity
// test runs it (with brotli off and on) and as the benchmark does.
func TestNginxConfigIntegration(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	if _, err := os.Stat(nginx); err != nil {
		t.Fatalf("nginx is not installed (%v): run scripts/deps.sh", err)
	}
	if _, err := os.Stat(BrotliModule); err != nil {
		t.Fatalf("the nginx brotli module is not installed (%v): run scripts/deps.sh", err)
	}
	root := t.TempDir()
	for name, n := range map[string]Nginx{
		"as shipped": {Addr: "127.0.0.1:18080", Root: root},
		"brotli on":  {Addr: "127.0.0.1:18080", Root: root, Brotli: true},
		"load run":   {Addr: "127.0.0.1:18080", Root: root, KeepaliveRequests: 10_000_000},
	} {
		args, err := n.Write(filepath.Join(t.TempDir(), "nginx"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out, err := exec.Command(nginx, append([]string{"-t"}, args...)...).CombinedOutput(); err != nil {
			t.Errorf("%s: nginx -t: %v\n%s", name, err, out)
		}
	}
}
