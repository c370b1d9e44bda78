package annotate

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"
)

func TestParseLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		line   string
		want   int
		wantOK bool
	}{
		{"combined", `127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`, 200, true},
		{"common", `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326`, 404, true},
		{"common, no bytes", `::1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 503`, 503, true},
		{"nginx 499, bytes 0", `203.0.113.9 - - [01/Dec/2026:10:00:00 +0000] "POST /api HTTP/2.0" 499 0 "-" "curl/8.5.0"`, 499, true},
		{"request with spaces", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a b c HTTP/1.1" 400 0 "-" "-"`, 400, true},
		{"request with escaped quote (Apache)", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a\" 200 x HTTP/1.1" 302 0 "-" "-"`, 302, true},
		{"request with escaped backslash", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a\\" 301 0 "-" "-"`, 301, true},
		{"request with \x22 (nginx)", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a\x22b HTTP/1.1" 200 5 "-" "-"`, 200, true},
		{"empty request", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "" 400 0 "-" "-"`, 400, true},
		{"json number", `{"time":"2026-12-01T10:00:00Z","status":502,"path":"/"}`, 502, true},
		{"json string", `{"status":"429"}`, 429, true},
		{"json code", `{"code":520}`, 520, true},
		{"json status before code", `{"code":"E42","status":201}`, 201, true},
		{"json leading space", `  {"status":204}`, 204, true},
		{"json capitalised", `{"Status":418}`, 418, true},
		{"json 999", `{"status":999}`, 999, true},
		{"json no status", `{"path":"/"}`, 0, false},
		{"json float", `{"status":200.0}`, 0, false},
		{"json 42", `{"status":42}`, 0, false},
		{"json bad", `{"status":200`, 0, false},
		{"json null status, no code", `{"status":null}`, 0, false},
		{"status 000", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 000 0`, 0, false},
		{"status dash", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" - 0`, 0, false},
		{"status four digits", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 2000 0`, 0, false},
		{"unclosed request", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1 200 0`, 0, false},
		{"backslash at the end", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET \`, 0, false},
		{"no time", `10.0.0.1 - - "GET / HTTP/1.1" 200 0`, 0, false},
		{"unclosed time", `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 0`, 0, false},
		{"two fields", `10.0.0.1 - [x] "GET /" 200 0`, 0, false},
		{"garbage", `hello world`, 0, false},
		{"empty", ``, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseLine([]byte(tt.line))
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseLine(%q) = %d, %v; want %d, %v", tt.line, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// commonRE is the common log format as a regular expression: the
// reference parseCommon must agree with on every line.
var commonRE = regexp.MustCompile(`(?s)\A[^ ]* [^ ]* [^ ]* \[[^\]]*\] "(?:[^"\\]|\\.)*" ([1-9][0-9][0-9])(?: |\z)`)

// FuzzParseLine checks that ParseLine never panics, that what it finds is
// a three-digit status, and that on lines that are not JSON it agrees with
// the regular expression of the common log format.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`,
		`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326`,
		`10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /a\" 200 x HTTP/1.1" 302 0 "-" "-"`,
		`10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET \`,
		`10.0.0.1 - - [] "" 999`,
		`{"status":502}`,
		`{"code":"520"}`,
		`{"status":`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		code, ok := ParseLine(line)
		if ok && (code < 100 || code > 999) {
			t.Fatalf("ParseLine(%q) = %d, true: not three digits", line, code)
		}
		if !ok && code != 0 {
			t.Fatalf("ParseLine(%q) = %d, false", line, code)
		}
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '{' {
			return
		}
		want, wantOK := 0, false
		if m := commonRE.FindSubmatch(line); m != nil {
			want, _ = strconv.Atoi(string(m[1]))
			wantOK = true
		}
		if code != want || ok != wantOK {
			t.Fatalf("ParseLine(%q) = %d, %v; the regular expression says %d, %v", line, code, ok, want, wantOK)
		}
	})
}
