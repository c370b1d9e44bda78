//go:build integration

package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExportCommandIntegration runs "httpstatus export" as a user would:
// into a missing directory and into an empty one, compares the two trees
// byte for byte, exports over an earlier export, and into a directory of
// someone else's files (refused, then forced).
func TestExportCommandIntegration(t *testing.T) {
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	export := func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"export"}, args...)...)
		cmd.Env = append(os.Environ(), "HTTPSTATUS_BASE_URL=https://env.example.org")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
	summary := regexp.MustCompile(`^exported (\d+) files, [\d.]+ MB, to (.+) in (\S+)\n$`)

	a := filepath.Join(tmp, "missing", "a")
	b := filepath.Join(tmp, "b")
	os.Mkdir(b, 0o755)
	for _, dir := range []string{a, b} {
		start := time.Now()
		code, out, errs := export(dir)
		if code != 0 || !summary.MatchString(out) || errs != "" {
			t.Fatalf("export %s: exit %d, stdout %q, stderr %q", dir, code, out, errs)
		}
		t.Logf("%s(%v with the process start)", out, time.Since(start).Round(time.Millisecond))
	}
	ta, _ := readTree(t, a)
	compare := func(what string) {
		t.Helper()
		tb, _ := readTree(t, b)
		if len(ta) != len(tb) {
			t.Errorf("%s: %d files, then %d", what, len(ta), len(tb))
		}
		for name, data := range ta {
			if !bytes.Equal(data, tb[name]) {
				t.Errorf("%s: %s differs", what, name)
			}
		}
	}
	compare("two exports")
	if !strings.Contains(string(ta["robots.txt"]), "https://env.example.org/sitemap.xml") {
		t.Errorf("robots.txt does not use HTTPSTATUS_BASE_URL:\n%s", ta["robots.txt"])
	}

	// Over an earlier export: replaced whole, without --force.
	os.WriteFile(filepath.Join(b, "stale.html"), []byte("old"), 0o644)
	os.Remove(filepath.Join(b, "503.json"))
	if code, out, errs := export(b); code != 0 {
		t.Fatalf("export over an earlier export: exit %d, %s%s", code, out, errs)
	}
	compare("an export over an earlier one")

	// Someone's directory: refused and untouched, then replaced with --force.
	c := filepath.Join(tmp, "c")
	os.Mkdir(c, 0o755)
	os.WriteFile(filepath.Join(c, "keep.txt"), []byte("mine"), 0o644)
	code, out, errs := export(c)
	if code != 1 || out != "" || !strings.Contains(errs, "--force") {
		t.Errorf("export into a non-empty directory: exit %d, stdout %q, stderr %q; want 1 and a hint at --force", code, out, errs)
	}
	if data, err := os.ReadFile(filepath.Join(c, "keep.txt")); err != nil || string(data) != "mine" {
		t.Errorf("the refused export changed keep.txt: %q, %v", data, err)
	}
	if code, out, errs := export("--force", c); code != 0 || !summary.MatchString(out) {
		t.Errorf("export --force: exit %d, %s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(c, "keep.txt")); err == nil {
		t.Errorf("keep.txt survived export --force")
	}
	// Nothing left beside the exports.
	entries, _ := os.ReadDir(tmp)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "b c httpstatus missing" {
		t.Errorf("the directory of the exports holds %q, want only b, c, httpstatus and missing", got)
	}
}
