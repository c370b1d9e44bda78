//go:build integration

package main

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// liveBase returns the base URL of the --live-addr listener, from the
// server's log.
func (p *serveProc) liveBase(t *testing.T) string {
	t.Helper()
	for _, line := range p.log() {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "live endpoint" {
			return rec.Addr
		}
	}
	t.Fatalf("no \"live endpoint\" in the log")
	return ""
}

// curl runs curl with args and returns what it printed: the response
// heads (-i) and the body.
func curl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("curl", append([]string{"-s", "-i", "--max-time", "10"}, args...)...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

// TestHTTP2CurlIntegration runs the binary with TLS and with h2c, a
// --live-addr listener beside the site, and checks with curl what each
// protocol gets: HTTP/2 status lines without a reason phrase, the 1xx
// interim responses, no 101, and HTTP/1.1 beside HTTP/2.
func TestHTTP2CurlIntegration(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is not installed: scripts/deps.sh installs it")
	}
	bin := buildServe(t)
	certFile, keyFile, _ := selfSigned(t)
	for _, tt := range []struct {
		name   string
		args   []string
		h2, h1 []string // curl's flags for HTTP/2 and HTTP/1.1
	}{
		{"TLS", []string{"--tls-cert", certFile, "--tls-key", keyFile}, []string{"--http2", "-k"}, []string{"--http1.1", "-k"}},
		{"h2c", []string{"--h2c"}, []string{"--http2-prior-knowledge"}, []string{"--http1.1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := startServeBin(t, bin, append(tt.args, "--live-addr", "127.0.0.1:0")...)
			live := p.liveBase(t)
			for _, c := range []struct {
				flags []string
				url   string
				want  string // a regular expression over the output
			}{
				{tt.h2, p.base + "/status/503", `^HTTP/2 503 *\n(.*\n)*retry-after: 5\n(.*\n)*\n503 Service Unavailable\n$`},
				{tt.h2, live + "/503", `^HTTP/2 503 *\n(.*\n)*\n503 Service Unavailable$`},
				{tt.h2, live + "/random/200,201", `^HTTP/2 20[01] *\n`},
				{tt.h2, p.base + "/status/103", `^HTTP/2 103 *\n(.*\n)*link: </>; rel=preload; as=document\n(.*\n)*\nHTTP/2 200 *\n(.*\n)*103 Early Hints: sent as an interim response`},
				{tt.h2, p.base + "/status/101", `^HTTP/2 200 *\n(.*\n)*101 Switching Protocols: not sent`},
				{tt.h2, p.base + "/503.txt", `^HTTP/2 200 *\n`},
				{tt.h1, p.base + "/status/503", `^HTTP/1.1 503 Service Unavailable\n`},
				{tt.h1, live + "/503", `^HTTP/1.1 503 Service Unavailable\n(.*\n)*\n503 Service Unavailable$`},
				{tt.h1, p.base + "/status/103", `^HTTP/1.1 103 Early Hints\n(.*\n)*\nHTTP/1.1 200 OK\n`},
			} {
				out := curl(t, append(c.flags, c.url)...)
				if !regexp.MustCompile(c.want).MatchString(out) {
					t.Errorf("curl %v %s:\n%s\nwant it to match %s", c.flags, c.url, out, c.want)
				}
			}
		})
	}
}

// TestLiveAddrIntegration runs the suite written for httpstat.us against
// the binary's --live-addr listener, over HTTP/1.1 and over HTTP/2 with
// TLS, and watches each of httpstat.us's abort headers at the socket:
// a reset before any byte, or the head (and part of the body), then a
// reset.
func TestLiveAddrIntegration(t *testing.T) {
	bin := buildServe(t)
	p := startServeBin(t, bin, "--live-addr", "127.0.0.1:0")
	runHTTPStatUSSuite(t, &http.Client{Timeout: 10 * time.Second}, p.liveBase(t))

	addr := strings.TrimPrefix(p.liveBase(t), "http://")
	for _, tt := range []struct {
		request string
		want    string // a regular expression over what arrives before the reset
	}{
		{"GET /503 HTTP/1.1\r\nX-HttpStatus-AbortBeforeHeaders: true", `^$`},
		{"GET /503 HTTP/1.1\r\nX-HttpStatus-AbortAfterHeaders: true", `^HTTP/1\.1 503 Service Unavailable\r\n(.+\r\n)*Content-Length: 23\r\n(.+\r\n)*\r\n$`},
		{"GET /503 HTTP/1.1\r\nX-HttpStatus-AbortDuringBody: true", `^HTTP/1\.1 503 Service Unavailable\r\n(.+\r\n)*Content-Length: 23\r\n(.+\r\n)*\r\n503 Service$`},
		{"GET /random/200 HTTP/1.1\r\nX-HttpStatus-AbortDuringBody: true\r\nX-HttpStatus-DribbleBody: true", `^HTTP/1\.1 200 OK\r\n(.+\r\n)*\r\n200$`},
	} {
		data, reset := wireAfter(t, addr, tt.request)
		if !reset || !regexp.MustCompile(tt.want).Match(data) {
			t.Errorf("%q: reset %v after %q; want a reset after %s", tt.request, reset, data, tt.want)
		}
	}

	certFile, keyFile, pool := selfSigned(t)
	tp := startServeBin(t, bin, "--live-addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	h2 := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	runHTTPStatUSSuite(t, h2, tp.liveBase(t))
}
