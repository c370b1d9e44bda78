package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/server"
)

// runArgs runs the command line with a map-backed environment.
func runArgs(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), append([]string{"httpstatus"}, args...), getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantErr    string
		notWantOut string
	}{
		{"code", []string{"503"}, 0, "503 Service Unavailable\n=====", "", "\x1b["},
		{"show", []string{"show", "418"}, 0, "418 I'm a teapot", "", ""},
		{"show json", []string{"show", "--json", "503"}, 0, `"code": 503`, "", ""},
		{"show json after", []string{"show", "503", "--json"}, 0, `"code": 503`, "", ""},
		{"show unassigned", []string{"show", "299"}, 0, "299 (unassigned)", "", ""},
		{"show 999", []string{"999"}, 0, "999 Request Denied", "", ""},
		{"show two meanings", []string{"499"}, 0, "MEANING 2 OF 2", "", ""},
		{"show abc", []string{"show", "abc"}, 2, "", `"abc" is not a three-digit status code`, ""},
		{"show 42", []string{"show", "42"}, 2, "", `"42" is not a three-digit status code`, ""},
		{"show 600", []string{"show", "600"}, 2, "", "600 is not a status code", ""},
		{"show none", []string{"show"}, 2, "", "want one status code", ""},
		{"show bad flag", []string{"show", "--nope", "503"}, 2, "", "flag provided but not defined: -nope", ""},
		{"show help", []string{"show", "--help"}, 0, "Usage: httpstatus show", "", ""},
		{"list", []string{"list"}, 0, "100 Continue\n", "", "\x1b["},
		{"list class", []string{"list", "4xx"}, 0, "404 Not Found\n", "", "503"},
		{"list vendor", []string{"list", "5xx"}, 0, "521 Web Server Is Down (Cloudflare)", "", ""},
		{"list json", []string{"list", "--json", "2xx"}, 0, `"code": 200`, "", ""},
		{"list bad", []string{"list", "6xx"}, 2, "", `"6xx" is not a class`, ""},
		{"search", []string{"search", "gateway", "timeout"}, 0, "504 Gateway Timeout", "", "\x1b["},
		{"search unassigned", []string{"search", "299"}, 0, "299 Unassigned\n     No meaning is assigned to 299.", "", "No status code matches"},
		{"search unassigned json", []string{"search", "--json", "299"}, 0, `"url": "/299"`, "", ""},
		{"search json", []string{"search", "--json", "teapot"}, 0, `"code": 418`, "", ""},
		{"search none", []string{"search"}, 2, "", "want a query", ""},
		{"version", []string{"version"}, 0, "httpstatus ", "", ""},
		{"help", []string{"help"}, 0, "Usage:", "", ""},
		{"--help", []string{"--help"}, 0, "Usage:", "", ""},
		{"no args", nil, 2, "", "no command given", ""},
		{"unknown", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, ""},
		{"unknown top-level flag", []string{"--nope"}, 2, "", `unknown flag "--nope": flags go after the command`, ""},
		{"serve bad addr", []string{"serve", "--addr", "nope"}, 2, "", "want HOST:PORT", ""},
		{"serve bad level", []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "loud"}, 2, "", "--log-level", ""},
		{"serve extra", []string{"serve", "extra"}, 2, "", "unexpected argument", ""},
		{"serve help", []string{"serve", "-h"}, 0, "-addr", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runArgs(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("httpstatus %v: exit %d, want %d (stderr %q)", tt.args, code, tt.wantCode, errs)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("httpstatus %v: stdout does not contain %q:\n%.400s", tt.args, tt.wantOut, out)
			}
			if tt.notWantOut != "" && strings.Contains(out, tt.notWantOut) {
				t.Errorf("httpstatus %v: stdout contains %q", tt.args, tt.notWantOut)
			}
			if !strings.Contains(errs, tt.wantErr) {
				t.Errorf("httpstatus %v: stderr does not contain %q: %q", tt.args, tt.wantErr, errs)
			}
			if tt.wantCode == 2 && out != "" && !strings.Contains(errs, "help") {
				t.Errorf("httpstatus %v: usage error printed to stdout", tt.args)
			}
		})
	}
}

// TestUseColor checks the terminal test behind the colour of show, list
// and search: /dev/null is a character device, as a terminal is.
func TestUseColor(t *testing.T) {
	t.Parallel()
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { devNull.Close() })
	regular, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { regular.Close() })
	tests := []struct {
		name string
		w    io.Writer
		env  map[string]string
		want bool
	}{
		{"character device", devNull, nil, true},
		{"character device, NO_COLOR", devNull, map[string]string{"NO_COLOR": "1"}, false},
		{"character device, empty NO_COLOR", devNull, map[string]string{"NO_COLOR": ""}, true},
		{"regular file", regular, nil, false},
		{"buffer", &bytes.Buffer{}, nil, false},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := useColor(tt.w, getenv); got != tt.want {
			t.Errorf("useColor(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestListJSONIsValid(t *testing.T) {
	t.Parallel()
	_, out, _ := runArgs(t, nil, "list", "--json")
	var rows []struct{ Code int }
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) < 100 {
		t.Fatalf("list --json: %d rows, err %v", len(rows), err)
	}
}

func TestServeConfig(t *testing.T) {
	t.Parallel()
	e := env{stdout: io.Discard, stderr: io.Discard}
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, defaultAddr},
		{nil, map[string]string{"PORT": "9000"}, ":9000"},
		{nil, map[string]string{"HTTPSTATUS_ADDR": "127.0.0.1:7000", "PORT": "9000"}, "127.0.0.1:7000"},
		{[]string{"--addr", "127.0.0.1:6000"}, map[string]string{"HTTPSTATUS_ADDR": "127.0.0.1:7000"}, "127.0.0.1:6000"},
	}
	for _, tt := range tests {
		e.getenv = func(k string) string { return tt.env[k] }
		c, err := parseServe(tt.args, e)
		if err != nil || c.addr != tt.want {
			t.Errorf("parseServe(%v, %v) addr = %q, %v; want %q", tt.args, tt.env, c.addr, err, tt.want)
		}
	}
}

// TestServeLiveLimits checks --max-sleep and --max-slow: flag over env
// over default, and the bounds.
func TestServeLiveLimits(t *testing.T) {
	t.Parallel()
	e := env{stdout: io.Discard, stderr: io.Discard}
	tests := []struct {
		args      []string
		env       map[string]string
		wantSleep time.Duration
		wantSlow  int
		wantErr   string
	}{
		{nil, nil, server.DefaultMaxSleep, server.DefaultMaxSlow, ""},
		{nil, map[string]string{"HTTPSTATUS_MAX_SLEEP": "30s", "HTTPSTATUS_MAX_SLOW": "9"}, 30 * time.Second, 9, ""},
		{[]string{"--max-sleep", "2s", "--max-slow", "5"}, map[string]string{"HTTPSTATUS_MAX_SLEEP": "30s", "HTTPSTATUS_MAX_SLOW": "9"}, 2 * time.Second, 5, ""},
		{[]string{"--max-sleep", "0s"}, nil, 0, 0, "--max-sleep"},
		{[]string{"--max-sleep", "2m"}, nil, 0, 0, "--max-sleep"},
		{[]string{"--max-slow", "0"}, nil, 0, 0, "--max-slow"},
		{nil, map[string]string{"HTTPSTATUS_MAX_SLEEP": "ten"}, 0, 0, "HTTPSTATUS_MAX_SLEEP"},
		{nil, map[string]string{"HTTPSTATUS_MAX_SLOW": "many"}, 0, 0, "HTTPSTATUS_MAX_SLOW"},
	}
	for _, tt := range tests {
		e.getenv = func(k string) string { return tt.env[k] }
		c, err := parseServe(tt.args, e)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseServe(%v, %v) = %v, want an error naming %s", tt.args, tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil || c.maxSleep != tt.wantSleep || c.maxSlow != tt.wantSlow {
			t.Errorf("parseServe(%v, %v) = max-sleep %v, max-slow %d, %v; want %v, %d", tt.args, tt.env, c.maxSleep, c.maxSlow, err, tt.wantSleep, tt.wantSlow)
		}
	}
}

// TestServe starts the real server on a free loopback port, polls /healthz,
// fetches a page and stops it by cancelling the context.
func TestServe(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"httpstatus", "serve", "--addr", addr, "--log-format", "json"}, func(string) string { return "" }, nil, io.Discard, &errb)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not answer /healthz: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, err := http.Get(base + "/503.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(string(body), "503 Service Unavailable") {
		t.Errorf("GET /503.txt = %d %q", res.StatusCode, body[:min(len(body), 40)])
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if !strings.Contains(errb.String(), `"msg":"listening"`) {
		t.Errorf("log has no listening line: %s", errb.String())
	}

}
