package live

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseParams(t *testing.T) {
	t.Parallel()
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		query   string
		hdr     http.Header
		want    string // fmt of the params, or "" for an error
		errLike string
	}{
		{"", nil, "0s []", ""},
		{"sleep=0", nil, "0s []", ""},
		{"sleep=250", nil, "250ms []", ""},
		{"sleep=1000", nil, "1s []", ""},
		{"Sleep=5", nil, "5ms []", ""},
		// Unknown parameters are ignored: cache-busters and the like.
		{"_=1700000000", nil, "0s []", ""},
		{"sleep=1&debug=1", nil, "1ms []", ""},
		{"slep=1", nil, "0s []", ""},
		{"x", nil, "0s []", ""},
		{"", hdr("X-Httpstatus-Response-Retry-After", "7", "Accept", "x"), "0s [[Retry-After 7]]", ""},
		{"", hdr("X-Httpstatus-Response-Www-Authenticate", "Bearer"), "0s [[Www-Authenticate Bearer]]", ""},
		{"", hdr("X-Httpstatus-Response-Cache-Control", ""), "0s [[Cache-Control ]]", ""},
		{"sleep=1001", nil, "", "a sleep of 1001 ms is over the cap of 1000 ms"},
		{"sleep=", nil, "", "bad sleep \"\""},
		{"sleep=1.5", nil, "", "bad sleep \"1.5\""},
		{"sleep=0x10", nil, "", "bad sleep"},
		{"sleep=-1", nil, "", "bad sleep"},
		{"sleep=1&sleep=2", nil, "", "the sleep option is given 2 times"},
		{"sleep=1&SLEEP=2", nil, "", "the sleep option is given 2 times"},
		{"%zz", nil, "", "malformed query"},
		{"a;b", nil, "", "malformed query"},
		{"", hdr("X-Httpstatus-Response-Content-Type", "text/html"), "", "response header \"Content-Type\" may not be requested"},
		{"", hdr("X-Httpstatus-Response-Retry-After", " 7"), "", "printable ASCII"},
		{"", hdr("X-Httpstatus-Response-Vary", "a", "X-Httpstatus-Response-Vary", "b", "X-Httpstatus-Response-Vary", "c",
			"X-Httpstatus-Response-Age", "1", "X-Httpstatus-Response-Age", "2", "X-Httpstatus-Response-Link", "a", "X-Httpstatus-Response-Link", "b",
			"X-Httpstatus-Response-Link", "c", "X-Httpstatus-Response-Link", "d"), "", "at most 8"},
	}
	c := &config{maxSleep: time.Second}
	for _, tt := range tests {
		got, err := parseParams(tt.query, tt.hdr, c)
		if tt.want != "" {
			if err != nil || fmt.Sprint(got.sleep, " ", got.headers) != tt.want {
				t.Errorf("parseParams(%q, %v) = %v, %v; want %s", tt.query, tt.hdr, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errLike) {
			t.Errorf("parseParams(%q, %v) = %v, %v; want an error with %q", tt.query, tt.hdr, got, err, tt.errLike)
		}
	}
}

// FuzzParseParams reads fuzzed query strings and holds every accepted one
// to the options' bounds: the waits within the sleep cap, the body within
// its cap, a known fault, a printable seq key.
func FuzzParseParams(f *testing.F) {
	for _, q := range []string{
		"fault=reset-mid-body&bytes=100", "drip=500&sleep-body=200&sleep=100", "seq=retry-1&seq-loop=1",
		"bytes=10485760", "bytes=10485761", "fault=TRUNCATE", "seq=%20", "drip=1000&drip=1", "sleep-body=x",
		"seq=" + strings.Repeat("k", 129), "fault=hang-after-headers&seq-loop=0",
	} {
		f.Add(q)
	}
	c := &config{maxSleep: time.Second, maxBody: DefaultMaxBody}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := parseParams(q, nil, c)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("parseParams(%q): error %q, want one line", q, msg)
			}
			return
		}
		switch {
		case p.sleep < 0 || p.drip < 0 || p.sleepBody < 0 || p.waits() > c.maxSleep:
			t.Fatalf("parseParams(%q): waits %v %v %v, over the cap of %v", q, p.sleep, p.drip, p.sleepBody, c.maxSleep)
		case p.hasBytes && (p.bytes < 0 || p.bytes > c.maxBody):
			t.Fatalf("parseParams(%q): bytes %d, outside 0 to %d", q, p.bytes, c.maxBody)
		case p.fault >= numFaults:
			t.Fatalf("parseParams(%q): fault %d", q, p.fault)
		case len(p.seq) > maxSeqKey || strings.ContainsFunc(p.seq, func(r rune) bool { return r <= ' ' || r > '~' }):
			t.Fatalf("parseParams(%q): seq key %q", q, p.seq)
		}
	})
}

// TestBuffered is the table of queries a buffering server may serve:
// every one but those that flush or take the connection over.
func TestBuffered(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		query string
		want  bool
	}{
		{"", true},
		{"sleep=8000", true},
		{"sleep=100&bytes=1024&seq=k&seq-loop=1&_=1700000000", true},
		{"drip=1000", false},
		{"bytes=10&DRIP=1000", false},
		{"sleep-body=500", false},
		{"fault=truncate", false},
		{"sleep=1&fault", false},
		{"f%61ult=garbage", false},
		{"dripx=1&x=drip", true},
		{"%zz=1", true},
	} {
		if got := Buffered(tt.query); got != tt.want {
			t.Errorf("Buffered(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}
