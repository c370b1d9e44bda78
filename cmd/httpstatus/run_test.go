package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/render"
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
		{"show 600", []string{"show", "600"}, 2, "", "600 is not a status code: RFC 9110 §15 defines 100 to 599, and above 599 the guide has only vendors' codes ", ""},
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

// TestServeConfig checks each flag of serve against its environment
// variables: the flag over the variable over the default, HTTPSTATUS_ADDR
// over PORT, an empty variable as unset, and the errors, each naming what
// was wrong.
func TestServeConfig(t *testing.T) {
	t.Parallel()
	e := env{stdout: io.Discard, stderr: io.Discard}
	defaults, err := parseServe(nil, env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(*serveConfig)) serveConfig {
		c := defaults
		f(&c)
		return c
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    serveConfig
		wantErr string
	}{
		{"defaults", nil, nil, with(func(c *serveConfig) {
			c.addr, c.logLevel, c.logFormat, c.metricsAddr, c.baseURL = defaultAddr, defaultLogLevel, defaultLogFormat, "", render.DefaultBaseURL
			c.maxSleep, c.maxSlow, c.fastPath = server.DefaultMaxSleep, server.DefaultMaxSlow, true
			c.maxBody, c.seqStore, c.seqTTL, c.seqMaxKeys = server.DefaultMaxBody, "", server.DefaultSeqTTL, server.DefaultSeqMaxKeys
		}), ""},
		{"PORT", nil, map[string]string{"PORT": "9000"}, with(func(c *serveConfig) { c.addr = ":9000" }), ""},
		{"HTTPSTATUS_ADDR over PORT", nil, map[string]string{"HTTPSTATUS_ADDR": "127.0.0.1:7000", "PORT": "9000"}, with(func(c *serveConfig) { c.addr = "127.0.0.1:7000" }), ""},
		{"empty HTTPSTATUS_ADDR", nil, map[string]string{"HTTPSTATUS_ADDR": "", "PORT": "9000"}, with(func(c *serveConfig) { c.addr = ":9000" }), ""},
		{"--addr over both", []string{"--addr", "127.0.0.1:6000"}, map[string]string{"HTTPSTATUS_ADDR": "127.0.0.1:7000", "PORT": "9000"}, with(func(c *serveConfig) { c.addr = "127.0.0.1:6000" }), ""},
		{"every variable", nil, map[string]string{
			"HTTPSTATUS_LOG_LEVEL": "debug", "HTTPSTATUS_LOG_FORMAT": "json", "HTTPSTATUS_METRICS_ADDR": "127.0.0.1:9090",
			"HTTPSTATUS_MAX_SLEEP": "30s", "HTTPSTATUS_MAX_SLOW": "9", "HTTPSTATUS_BASE_URL": "https://example.org", "HTTPSTATUS_FAST_PATH": "false",
			"HTTPSTATUS_MAX_BODY": "1000", "HTTPSTATUS_SEQ_STORE": "redis://127.0.0.1:6379/2", "HTTPSTATUS_SEQ_TTL": "1h", "HTTPSTATUS_SEQ_MAX_KEYS": "50",
			"HTTPSTATUS_LIMIT_STORE": "redis://127.0.0.1:6379/3",
		}, with(func(c *serveConfig) {
			c.logLevel, c.logFormat, c.metricsAddr, c.baseURL = "debug", "json", "127.0.0.1:9090", "https://example.org"
			c.maxSleep, c.maxSlow, c.fastPath = 30*time.Second, 9, false
			c.maxBody, c.seqStore, c.seqTTL, c.seqMaxKeys = 1000, "redis://127.0.0.1:6379/2", time.Hour, 50
			c.limitStore = "redis://127.0.0.1:6379/3"
		}), ""},
		{"every flag over its variable", []string{
			"--log-level", "warn", "--log-format", "text", "--metrics-addr", "127.0.0.1:9191", "--max-sleep", "2s", "--max-slow", "5",
			"--base-url", "https://example.net", "--fast-path=true",
			"--max-body", "2000", "--seq-store", "redis://10.0.0.1:6380/1", "--seq-ttl", "30s", "--seq-max-keys", "70",
			"--limit-store", "redis://10.0.0.1:6380/2",
		}, map[string]string{
			"HTTPSTATUS_LOG_LEVEL": "debug", "HTTPSTATUS_LOG_FORMAT": "json", "HTTPSTATUS_METRICS_ADDR": "127.0.0.1:9090",
			"HTTPSTATUS_MAX_SLEEP": "30s", "HTTPSTATUS_MAX_SLOW": "9", "HTTPSTATUS_BASE_URL": "https://example.org", "HTTPSTATUS_FAST_PATH": "false",
			"HTTPSTATUS_MAX_BODY": "1000", "HTTPSTATUS_SEQ_STORE": "redis://127.0.0.1:6379/2", "HTTPSTATUS_SEQ_TTL": "1h", "HTTPSTATUS_SEQ_MAX_KEYS": "50",
			"HTTPSTATUS_LIMIT_STORE": "redis://127.0.0.1:6379/3",
		}, with(func(c *serveConfig) {
			c.logLevel, c.logFormat, c.metricsAddr, c.baseURL = "warn", "text", "127.0.0.1:9191", "https://example.net"
			c.maxSleep, c.maxSlow, c.fastPath = 2*time.Second, 5, true
			c.maxBody, c.seqStore, c.seqTTL, c.seqMaxKeys = 2000, "redis://10.0.0.1:6380/1", 30*time.Second, 70
			c.limitStore = "redis://10.0.0.1:6380/2"
		}), ""},
		{"--fast-path=false", []string{"--fast-path=false"}, nil, with(func(c *serveConfig) { c.fastPath = false }), ""},
		{"HTTPSTATUS_FAST_PATH=0", nil, map[string]string{"HTTPSTATUS_FAST_PATH": "0"}, with(func(c *serveConfig) { c.fastPath = false }), ""},
		{"bad addr", []string{"--addr", "nope"}, nil, serveConfig{}, `serve: --addr "nope": want HOST:PORT, such as 127.0.0.1:8080`},
		{"bad metrics addr", nil, map[string]string{"HTTPSTATUS_METRICS_ADDR": "nope"}, serveConfig{}, `serve: --metrics-addr "nope": want HOST:PORT, such as 127.0.0.1:9090`},
		{"sleep too short", []string{"--max-sleep", "0s"}, nil, serveConfig{}, "serve: --max-sleep 0s: want 1ms to 1m0s"},
		{"sleep too long", nil, map[string]string{"HTTPSTATUS_MAX_SLEEP": "5h"}, serveConfig{}, "serve: --max-sleep 5h0m0s: want 1ms to 1m0s"},
		{"too few slow", []string{"--max-slow", "0"}, nil, serveConfig{}, "serve: --max-slow 0: want 1 to 100000"},
		{"sleep not a duration", nil, map[string]string{"HTTPSTATUS_MAX_SLEEP": "ten"}, serveConfig{}, `serve: HTTPSTATUS_MAX_SLEEP "ten": want a duration such as 10s`},
		{"slow not a number", nil, map[string]string{"HTTPSTATUS_MAX_SLOW": "many"}, serveConfig{}, `serve: HTTPSTATUS_MAX_SLOW "many": want a number such as 256`},
		{"fast path not a bool", nil, map[string]string{"HTTPSTATUS_FAST_PATH": "maybe"}, serveConfig{}, `serve: HTTPSTATUS_FAST_PATH "maybe": want true or false`},
		{"body too large", []string{"--max-body", "2000000000"}, nil, serveConfig{}, "serve: --max-body 2000000000: want 1 to 1073741824"},
		{"body not a number", nil, map[string]string{"HTTPSTATUS_MAX_BODY": "10MiB"}, serveConfig{}, `serve: HTTPSTATUS_MAX_BODY "10MiB": want a number of bytes such as 10485760`},
		{"seq TTL too short", []string{"--seq-ttl", "10ms"}, nil, serveConfig{}, "serve: --seq-ttl 10ms: want 1s to 24h0m0s"},
		{"seq TTL not a duration", nil, map[string]string{"HTTPSTATUS_SEQ_TTL": "600"}, serveConfig{}, `serve: HTTPSTATUS_SEQ_TTL "600": want a duration such as 10m`},
		{"no seq keys", []string{"--seq-max-keys", "0"}, nil, serveConfig{}, "serve: --seq-max-keys 0: want 1 to 10000000"},
		{"seq keys not a number", nil, map[string]string{"HTTPSTATUS_SEQ_MAX_KEYS": "lots"}, serveConfig{}, `serve: HTTPSTATUS_SEQ_MAX_KEYS "lots": want a number such as 100000`},
		{"seq store not redis", nil, map[string]string{"HTTPSTATUS_SEQ_STORE": "http://127.0.0.1:6379"}, serveConfig{}, "serve: --seq-store: sequence store URL: redis: invalid URL scheme: http (want redis://HOST:PORT/DB)"},
		{"limit store not redis", []string{"--limit-store", "http://127.0.0.1:6379"}, nil, serveConfig{}, "serve: --limit-store: limit store URL: redis: invalid URL scheme: http (want redis://HOST:PORT/DB)"},
		{"bad variable under its flag", []string{"--max-slow", "7"}, map[string]string{"HTTPSTATUS_MAX_SLOW": "many"}, with(func(c *serveConfig) { c.maxSlow = 7 }), ""},
		{"live and TLS variables", nil, map[string]string{"HTTPSTATUS_LIVE_ADDR": "127.0.0.1:8081", "HTTPSTATUS_TLS_CERT": "c.pem", "HTTPSTATUS_TLS_KEY": "k.pem"},
			with(func(c *serveConfig) { c.liveAddr, c.tlsCert, c.tlsKey = "127.0.0.1:8081", "c.pem", "k.pem" }), ""},
		{"live and TLS flags over their variables", []string{"--live-addr", ":9", "--tls-cert", "a.pem", "--tls-key", "b.pem"},
			map[string]string{"HTTPSTATUS_LIVE_ADDR": "127.0.0.1:8081", "HTTPSTATUS_TLS_CERT": "c.pem", "HTTPSTATUS_TLS_KEY": "k.pem"},
			with(func(c *serveConfig) { c.liveAddr, c.tlsCert, c.tlsKey = ":9", "a.pem", "b.pem" }), ""},
		{"HTTPSTATUS_H2C", nil, map[string]string{"HTTPSTATUS_H2C": "true"}, with(func(c *serveConfig) { c.h2c = true }), ""},
		{"--h2c=false over HTTPSTATUS_H2C", []string{"--h2c=false"}, map[string]string{"HTTPSTATUS_H2C": "1"}, defaults, ""},
		{"h2c not a bool", nil, map[string]string{"HTTPSTATUS_H2C": "yes"}, serveConfig{}, `serve: HTTPSTATUS_H2C "yes": want true or false`},
		{"bad live addr", []string{"--live-addr", "8081"}, nil, serveConfig{}, `serve: --live-addr "8081": want HOST:PORT, such as 127.0.0.1:8081`},
		{"cert without key", []string{"--tls-cert", "c.pem"}, nil, serveConfig{}, "serve: --tls-cert and --tls-key go together: give both files, or neither"},
		{"key without cert", nil, map[string]string{"HTTPSTATUS_TLS_KEY": "k.pem"}, serveConfig{}, "serve: --tls-cert and --tls-key go together: give both files, or neither"},
		{"h2c with TLS", []string{"--h2c", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, nil, serveConfig{}, "serve: --h2c is HTTP/2 without TLS; with --tls-cert, HTTP/2 is already served over TLS"},
	}
	for _, tt := range tests {
		checkParseServe(t, e, tt.name, tt.args, tt.env, func(c serveConfig) serveConfig { return c }, tt.want, tt.wantErr)
	}
}

// checkParseServe runs parseServe with args and the environment env, and
// checks that it fails with wantErr, or, when wantErr is empty, that the
// part of its config that part picks is want.
func checkParseServe[T comparable](t *testing.T, e env, name string, args []string, env map[string]string, part func(serveConfig) T, want T, wantErr string) {
	t.Helper()
	e.getenv = func(k string) string { return env[k] }
	c, err := parseServe(args, e)
	if wantErr != "" {
		if err == nil || err.Error() != wantErr {
			t.Errorf("%s: parseServe(%v, %v) = %v, want %s", name, args, env, err, wantErr)
		}
		return
	}
	if err != nil || part(c) != want {
		t.Errorf("%s: parseServe(%v, %v) = %+v, %v; want %+v", name, args, env, part(c), err, want)
	}
}

// TestServeHelp checks that serve --help names every flag and the
// variables that stand in for each.
func TestServeHelp(t *testing.T) {
	t.Parallel()
	code, out, _ := runArgs(t, nil, "serve", "--help")
	if code != 0 {
		t.Fatalf("serve --help: exit %d", code)
	}
	for _, want := range []string{
		"-addr string\n    \taddress to listen on, HOST:PORT (env HTTPSTATUS_ADDR; PORT=N listens on :N)",
		"-log-level string\n    \tlog level: debug, info, warn, error (env HTTPSTATUS_LOG_LEVEL)",
		"-log-format string\n    \tlog format: text or json (env HTTPSTATUS_LOG_FORMAT)",
		"-metrics-addr string\n    \tserve /metrics on this HOST:PORT instead of on --addr (env HTTPSTATUS_METRICS_ADDR)",
		"-max-sleep duration\n    \tcap on ?sleep=MS of /status, from 1ms to 1m0s; sleep, drip and sleep-body together (env HTTPSTATUS_MAX_SLEEP)",
		"-max-slow int\n    \thow many /status requests may sleep, drip, fault or follow a sequence at once; more get 503 with Retry-After (env HTTPSTATUS_MAX_SLOW)",
		"-max-body int\n    \tcap on ?bytes=N of /status, in bytes, from 1 to 1073741824 (env HTTPSTATUS_MAX_BODY) (default 10485760)",
		"-seq-store string\n    \tkeep the counters of ?seq=KEY of /status in Redis or Valkey, redis://HOST:PORT/DB, shared by every replica; in memory when empty (env HTTPSTATUS_SEQ_STORE)",
		"-limit-store string\n    \tkeep the buckets of --client-rate, --client-max-bytes and --max-egress in Redis or Valkey, redis://HOST:PORT/DB, shared by every replica (--client-max-slow stays each replica's); while it does not answer, each replica limits on its own; in memory when empty (env HTTPSTATUS_LIMIT_STORE)",
		"-seq-ttl duration\n    \tforget a ?seq=KEY of /status after this long without a request, from 1s to 24h0m0s (env HTTPSTATUS_SEQ_TTL) (default 10m0s)",
		"-seq-max-keys int\n    \thow many ?seq=KEY the in-memory store keeps, the least recently used dropped first, from 1 to 10000000 (env HTTPSTATUS_SEQ_MAX_KEYS) (default 100000)",
		"-base-url string\n    \tpublic URL of the site, for sitemap.xml and robots.txt (env HTTPSTATUS_BASE_URL)",
		"-fast-path\n    \tanswer plain HTTP/1.1 GET and HEAD requests with the fast path; --fast-path=false serves every request through net/http alone, with the same bytes (env HTTPSTATUS_FAST_PATH) (default true)",
		"-content string\n    \tserve content files from this directory instead of the embedded ones\n",
		"-live-addr string\n    \talso serve the live endpoint on this HOST:PORT, at its root in httpstat.us's URL scheme: /503, /random/200,500-504, ?sleep=MS, ?suppressBody=true, X-HttpStatus-* headers (env HTTPSTATUS_LIVE_ADDR)",
		"-tls-cert string\n    \tserve HTTPS with HTTP/2 and HTTP/1.1 on --addr and --live-addr, with this PEM certificate (chain) file; needs --tls-key (env HTTPSTATUS_TLS_CERT)",
		"-tls-key string\n    \tthe PEM private key file of --tls-cert (env HTTPSTATUS_TLS_KEY)",
		"-h2c\n    \talso accept unencrypted HTTP/2 with prior knowledge (h2c) beside HTTP/1.1 on --addr and --live-addr; not with --tls-cert (env HTTPSTATUS_H2C)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help does not say %q:\n%s", want, out)
		}
	}
}

// TestServe starts the real server on a free loopback port, with the
// fast path and without, polls /healthz, fetches a page and stops it by
// cancelling the context.
func TestServe(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct{ name, flag, logged string }{
		{"fast path", "--fast-path=true", `"fastpath":true`},
		{"net/http alone", "--fast-path=false", `"fastpath":false`},
	} {
		t.Run(mode.name, func(t *testing.T) {
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
				args := []string{"httpstatus", "serve", "--addr", addr, "--log-format", "json", mode.flag}
				done <- run(ctx, args, func(string) string { return "" }, nil, io.Discard, &errb)
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
			for _, want := range []string{`"msg":"listening"`, mode.logged, `"msg":"stopped"`} {
				if !strings.Contains(errb.String(), want) {
					t.Errorf("log has no %s: %s", want, errb.String())
				}
			}
		})
	}
}

// TestListen checks what serves each address: the site through the fast
// path unless --fast-path=false or TLS is on (with --h2c the fast path
// hands h2c connections to net/http), the live endpoint and /metrics
// through net/http alone, and the site and the live endpoint with TLS when
// it is on.
func TestListen(t *testing.T) {
	t.Parallel()
	e := env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard}
	rnd, err := loadRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	srv := server.New(rnd, server.Options{Logger: log, SeparateMetrics: true})
	certFile, keyFile, _ := selfSigned(t)
	for _, tt := range []struct {
		flags []string
		want  []string // the site, the live endpoint, /metrics
	}{
		{[]string{"--fast-path=true"}, []string{"*fastpath.Server", "*http.Server", "*http.Server"}},
		{[]string{"--fast-path=false"}, []string{"*http.Server", "*http.Server", "*http.Server"}},
		{[]string{"--h2c"}, []string{"*fastpath.Server", "*http.Server", "*http.Server"}},
		{[]string{"--tls-cert", certFile, "--tls-key", keyFile}, []string{"main.tlsServer", "main.tlsServer", "*http.Server"}},
	} {
		c, err := parseServe(append([]string{"--addr", "127.0.0.1:0", "--live-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, tt.flags...), e)
		if err != nil {
			t.Fatal(err)
		}
		lns, err := listen(c, srv, log)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lns {
			got = append(got, fmt.Sprintf("%T", l.srv))
			l.ln.Close()
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("serve %v: the site, the live endpoint and /metrics served by %v, want %v", tt.flags, got, tt.want)
		}
	}
}
