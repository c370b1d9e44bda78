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
