//go:build integration

package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDistIntegration runs scripts/dist.sh (make dist) into a temporary
// directory and checks its six binaries against SHA256SUMS, their SBOMs,
// and the version the linux/amd64 binary prints.
func TestDistIntegration(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// Six cross-compilations; a cold build cache on two busy cores is the
	// slow case.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", "dist.sh"), out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/dist.sh: %v\n%s", err, b)
	}

	sums := readSums(t, filepath.Join(out, "SHA256SUMS"))
	var binaries []string
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, arch := range []string{"amd64", "arm64"} {
			name := "httpstatus-" + goos + "-" + arch
			bin := name
			if goos == "windows" {
				bin += ".exe"
			}
			binaries = append(binaries, bin)
			for _, f := range []string{bin, name + ".cdx.json"} {
				if got := fileSum(t, filepath.Join(out, f)); sums[f] != got {
					t.Errorf("%s: sha256 %s, SHA256SUMS says %q", f, got, sums[f])
				}
			}
			checkSBOM(t, filepath.Join(out, name+".cdx.json"))
		}
	}
	if len(sums) != 2*len(binaries) {
		t.Errorf("SHA256SUMS lists %d files, want %d: %v", len(sums), 2*len(binaries), sums)
	}
	// The format sha256sum itself checks.
	check := exec.CommandContext(ctx, "sha256sum", "--check", "--strict", "SHA256SUMS")
	check.Dir = out
	if b, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum --check: %v\n%s", err, b)
	}

	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Fatalf("the version check runs the linux/amd64 binary; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	b, err := exec.CommandContext(ctx, filepath.Join(out, "httpstatus-linux-amd64"), "version").Output()
	if err != nil {
		t.Fatalf("httpstatus-linux-amd64 version: %v", err)
	}
	head, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "httpstatus v") || !strings.HasPrefix(lines[1], "commit "+strings.TrimSpace(string(head))) ||
		!strings.HasPrefix(lines[2], "committed ") || !strings.Contains(string(b), "built with go") {
		t.Errorf("httpstatus-linux-amd64 version printed %q, want the version, commit %s, its time and the Go version", b, head)
	}
}

// readSums reads a file in sha256sum's format: "HASH  NAME" lines.
func readSums(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("SHA256SUMS: bad line %q", sc.Text())
		}
		sums[file] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func fileSum(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// checkSBOM checks that name is a CycloneDX document of httpstatus that
// lists its modules.
func checkSBOM(t *testing.T, name string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var bom struct {
		BOMFormat string `json:"bomFormat"`
		Metadata  struct {
			Component struct{ Name, Version string }
		}
		Components []struct{ Name string }
	}
	if err := json.Unmarshal(b, &bom); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var names []string
	for _, c := range bom.Components {
		names = append(names, c.Name)
	}
	if bom.BOMFormat != "CycloneDX" || bom.Metadata.Component.Name != "github.com/httpstatus/httpstatus" ||
		!strings.HasPrefix(bom.Metadata.Component.Version, "v") || !slices.Contains(names, "github.com/yuin/goldmark") {
		t.Errorf("%s: format %q, component %+v, modules %v", name, bom.BOMFormat, bom.Metadata.Component, names)
	}
}
