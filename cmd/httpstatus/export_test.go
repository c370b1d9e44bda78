package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportRefuses checks that export leaves someone's directory alone.
// A successful export through the command line, which writes some 4,600
// files, is TestExportCommandIntegration's (internal/export).
func TestExportRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644)
	code, stdout, stderr := runArgs(t, nil, "export", dir)
	if code != exitFailure || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--force") || stdout != "" {
		t.Errorf("export into a non-empty directory: exit %d, stdout %q, stderr %q; want 1 and a hint at --force", code, stdout, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "keep.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the refused export changed keep.txt: %q, %v", b, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("the refused export left files beside %s: %v", dir, entries)
	}
}

func TestExportConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env     map[string]string
		args    []string
		wantURL string
	}{
		{nil, []string{"d"}, "http://127.0.0.1:8080"},
		{map[string]string{"HTTPSTATUS_BASE_URL": "https://env.example.org/"}, []string{"d"}, "https://env.example.org"},
		{map[string]string{"HTTPSTATUS_BASE_URL": "https://env.example.org"}, []string{"--base-url", "https://flag.example.org", "d"}, "https://flag.example.org"},
		{nil, []string{"d", "--force"}, "http://127.0.0.1:8080"},
	}
	for _, tt := range tests {
		e := env{getenv: func(k string) string { return tt.env[k] }, stdout: io.Discard, stderr: io.Discard}
		c, err := parseExport(tt.args, e)
		if err != nil || c.baseURL != tt.wantURL || c.dir != "d" {
			t.Errorf("parseExport(%v) with env %v = %+v, %v; want base URL %s", tt.args, tt.env, c, err, tt.wantURL)
		}
	}
}

func TestExportUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "want one directory"},
		{[]string{"export", "a", "b"}, "want one directory"},
		{[]string{"export", "--base-url", "example.org", "x"}, "--base-url"},
		{[]string{"export", "--base-url", "https://example.org/guide", "x"}, "--base-url"},
		{[]string{"export", "--base-url", "ftp://example.org", "x"}, "--base-url"},
		{[]string{"export", "--nope", "x"}, "flag provided but not defined"},
		{[]string{"serve", "--base-url", "https://example.org?x=1"}, "--base-url"},
	}
	for _, tt := range tests {
		code, _, stderr := runArgs(t, nil, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
	code, stdout, _ := runArgs(t, nil, "export", "--help")
	if code != exitOK || !strings.Contains(stdout, "-base-url") || !strings.Contains(stdout, "-force") {
		t.Errorf("export --help: exit %d, stdout %q", code, stdout)
	}
	if _, stdout, _ := runArgs(t, nil, "help"); !strings.Contains(stdout, "httpstatus export [flags] DIR") {
		t.Errorf("usage does not list export")
	}
}

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://example.org", "https://example.org"},
		{"https://example.org/", "https://example.org"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://example.org/x", ""},
		{"https://user@example.org", ""},
		{"https://example.org#a", ""},
		{"//example.org", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := parseBaseURL(tt.in)
		if (err != nil) != (tt.want == "") || got != tt.want {
			t.Errorf("parseBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
