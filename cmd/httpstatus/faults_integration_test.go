//go:build integration

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/redisstore/redistest"
)

// wireAfter sends raw requests on one connection to addr and returns
// every byte that arrives after them, and whether the connection then
// ended with a reset (ECONNRESET) or a normal close (EOF).
func wireAfter(t *testing.T, addr string, requests ...string) (data []byte, reset bool) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, r := range requests {
		fmt.Fprintf(c, "%s\r\nHost: %s\r\n\r\n", r, addr)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	data, err = io.ReadAll(c)
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return data, true
	case err != nil:
		t.Fatalf("%q: %v after %q", requests, err, data)
	}
	return data, false
}

// TestFaultsIntegration runs the faults on the real binary, with the fast
// path and without: a request with a query goes to net/http, which can
// give up the connection, and a reset arrives as a reset even when the
// fast path served the connection's first request and handed it over.
func TestFaultsIntegration(t *testing.T) {
	bin := buildServe(t)
	const body = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn" // the first 50 bytes of bytes=100
	for _, mode := range serveModes {
		t.Run(mode.name, func(t *testing.T) {
			p := startServeBin(t, bin, mode.flag)
			for _, tt := range []struct {
				requests []string
				reset    bool
				want     string // what arrives last; "" for nothing at all
			}{
				{[]string{"GET /status/200?fault=reset-before-headers HTTP/1.1"}, true, ""},
				{[]string{"GET /status/200?fault=close-before-headers HTTP/1.1"}, false, ""},
				{[]string{"GET /status/200?bytes=100&fault=reset-mid-body HTTP/1.1"}, true, "\r\n\r\n" + body},
				{[]string{"GET /status/200?bytes=100&fault=truncate HTTP/1.1"}, false, "\r\n\r\n" + body},
				// The first request is the fast path's, the second
				// net/http's, on a connection handed over.
				{[]string{"GET /status/503 HTTP/1.1", "GET /status/200?bytes=100&fault=reset-mid-body HTTP/1.1"}, true, "\r\n\r\n" + body},
				{[]string{"HEAD /503 HTTP/1.1", "GET /status/200?fault=reset-after-headers HTTP/1.1"}, true, "\r\n\r\n"},
			} {
				data, reset := wireAfter(t, p.addr, tt.requests...)
				if reset != tt.reset || !strings.HasSuffix(string(data), tt.want) || tt.want == "" && len(data) > 0 {
					t.Errorf("%q: reset %v after %q; want reset %v after %q", tt.requests, reset, data, tt.reset, tt.want)
				}
				if len(tt.requests) == 2 && bytes.Count(data, []byte("HTTP/1.1 ")) != 2 {
					t.Errorf("%q: %q, want two responses", tt.requests, data)
				}
			}
		})
	}
}

// get asks base+path and returns the status and body; a transport error
// fails the test.
func get(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	res, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestSeqStoreRedisIntegration runs two servers on one real redis-server
// and sends one key's requests to each in turn: the sequence plays once,
// in order, across both. Then Redis stops: a sequence request is a 503
// naming the store, at once, the log says why, /readyz says not ready,
// and the rest of the site still answers.
func TestSeqStoreRedisIntegration(t *testing.T) {
	redis := redistest.Start(t)
	bin := buildServe(t)
	a := startServeBin(t, bin, "--seq-store", redis.URL())
	b := startServeBin(t, bin, "--seq-store", redis.URL())
	client := &http.Client{Timeout: 10 * time.Second}
	servers := []*serveProc{a, b}

	var got []string
	for i := range 6 {
		code, _ := get(t, client, servers[i%2].base+"/status/503,503,500,200?seq=retry-1")
		got = append(got, fmt.Sprint(code))
	}
	if strings.Join(got, ",") != "503,503,500,200,200,200" {
		t.Errorf("one key alternated between two servers: %s, want 503,503,500,200,200,200", strings.Join(got, ","))
	}
	got = got[:0]
	for i := range 5 {
		code, _ := get(t, client, servers[(i+1)%2].base+"/status/429,200?seq=loop-1&seq-loop=1")
		got = append(got, fmt.Sprint(code))
	}
	if strings.Join(got, ",") != "429,200,429,200,429" {
		t.Errorf("a looping key between two servers: %s, want 429,200,429,200,429", strings.Join(got, ","))
	}

	redis.Stop()
	for _, p := range servers {
		start := time.Now()
		code, body := get(t, client, p.base+"/status/503,200?seq=retry-2")
		if d := time.Since(start); code != 503 || !strings.Contains(body, "sequence store (redis)") || d > 2*time.Second {
			t.Errorf("%s with Redis down: %d %q after %v, want a 503 naming the store within 2s", p.base, code, body, d)
		}
		if code, body := get(t, client, p.base+"/readyz"); code != 503 || body != "sequence store (redis) does not answer\n" {
			t.Errorf("%s/readyz with Redis down: %d %q", p.base, code, body)
		}
		if code, _ := get(t, client, p.base+"/status/418"); code != 418 {
			t.Errorf("%s/status/418 with Redis down: %d", p.base, code)
		}
		if code, _ := get(t, client, p.base+"/503"); code != 200 {
			t.Errorf("%s/503 with Redis down: %d", p.base, code)
		}
		for _, want := range []string{`"msg":"sequence store","store":"redis","err":"redis ` + redis.Addr + `/0: `, `"msg":"not ready: the sequence store does not answer"`} {
			if p.logged(want, 1) == 0 {
				t.Errorf("%s: the log lacks %s", p.base, want)
			}
		}
	}
}
