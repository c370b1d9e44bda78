package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeLog writes a log with a known number of lines of each status, in
// the combined format and as JSON lines, with malformed lines among them.
func writeLog(t *testing.T, counts map[int]int, malformed int) string {
	t.Helper()
	var b strings.Builder
	i := 0
	for code, n := range counts {
		for range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, "192.0.2.%d - - [01/Dec/2026:10:00:%02d +0000] \"GET /p?q=\\\"%d\\\" HTTP/1.1\" %d 512 \"-\" \"Go-http-client/1.1\"\n", i%250, i%60, i, code)
			} else {
				fmt.Fprintf(&b, "{\"time\":\"2026-12-01T10:00:00Z\",\"status\":\"%d\",\"path\":\"/\"}\n", code)
			}
			i++
		}
	}
	for range malformed {
		b.WriteString("this is not an access log line\n")
	}
	name := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestAnnotateJSON(t *testing.T) {
	t.Parallel()
	counts := map[int]int{200: 40, 301: 3, 404: 7, 444: 2, 499: 5, 503: 4, 520: 1, 299: 2}
	name := writeLog(t, counts, 3)
	code, out, errs := runArgs(t, nil, "annotate", "--json", name)
	if code != 0 {
		t.Fatalf("annotate --json: exit %d: %s", code, errs)
	}
	var rep struct {
		Requests   int
		Unreadable int
		Classes    []struct {
			Class string
			Count int
			Flags []struct{ Kind string }
			Codes []struct {
				Code  int
				Count int
				Name  string
				Flags []struct{ Kind string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("annotate --json: %v\n%s", err, out)
	}
	if rep.Requests != 64 || rep.Unreadable != 3 {
		t.Errorf("requests %d, unreadable %d; want 64, 3", rep.Requests, rep.Unreadable)
	}
	got := map[int]int{}
	flagged := map[int]string{}
	for _, cl := range rep.Classes {
		for _, k := range cl.Codes {
			got[k.Code] = k.Count
			for _, f := range k.Flags {
				flagged[k.Code] += f.Kind
			}
		}
		if cl.Class == "5xx" && (len(cl.Flags) != 1 || cl.Flags[0].Kind != "server-errors") {
			t.Errorf("5xx flags %v, want server-errors (5 of 64)", cl.Flags)
		}
	}
	for c, n := range counts {
		if got[c] != n {
			t.Errorf("code %d: count %d, want %d", c, got[c], n)
		}
	}
	want := map[int]string{444: "vendor", 499: "vendor", 520: "vendor", 299: "unassigned"}
	if fmt.Sprint(flagged) != fmt.Sprint(want) {
		t.Errorf("flagged %v, want %v", flagged, want)
	}
}

func TestAnnotate(t *testing.T) {
	t.Parallel()
	name := writeLog(t, map[int]int{200: 3, 499: 1}, 1)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{"text", []string{"annotate", name}, "", 0, []string{
			"4 requests; 1 line could not be read (first: " + name + ":5)",
			"2xx Successful: 3 (75.0%)",
			"  200 OK ",
			"4xx Client error: 1 (25.0%)",
			"499 Client Closed Request (nginx)",
			"! vendor: not registered; used by nginx",
		}, ""},
		{"stdin", []string{"annotate"}, `{"status":503}` + "\n", 0, []string{"1 requests; 0 lines could not be read", "503 Service Unavailable", "! more than 5% of requests"}, ""},
		{"dash and a file", []string{"annotate", "-", name}, `{"status":200}` + "\n", 0, []string{"5 requests; 1 line could not be read"}, ""},
		{"missing file", []string{"annotate", name, "nope.log"}, "", 1, nil, "open nope.log: no such file or directory"},
		{"bad flag", []string{"annotate", "--nope"}, "", 2, nil, "flag provided but not defined: -nope"},
		{"help", []string{"annotate", "--help"}, "", 0, []string{"Usage: httpstatus annotate", "5% of the requests", "-json"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errb strings.Builder
			code := run(context.Background(), append([]string{"httpstatus"}, tt.args...), func(string) string { return "" }, strings.NewReader(tt.stdin), &out, &errb)
			if code != tt.wantCode {
				t.Errorf("httpstatus %v: exit %d, want %d (stderr %q)", tt.args, code, tt.wantCode, errb.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("httpstatus %v: stdout does not contain %q:\n%s", tt.args, w, out.String())
				}
			}
			if !strings.Contains(errb.String(), tt.wantErr) || (tt.wantErr == "" && errb.Len() > 0) {
				t.Errorf("httpstatus %v: stderr %q, want %q", tt.args, errb.String(), tt.wantErr)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestProgressReader checks the progress line: bytes read of the size, on
// one line rewritten in place, and erased at the end.
func TestProgressReader(t *testing.T) {
	t.Parallel()
	var w strings.Builder
	data := strings.Repeat("x", 3000)
	p := &progressReader{r: strings.NewReader(data), name: "big.log", size: int64(len(data)), w: &w}
	buf := make([]byte, 1000)
	for {
		if _, err := p.Read(buf); err != nil {
			break
		}
	}
	p.clear()
	got := w.String()
	if !strings.HasPrefix(got, "\rannotate: big.log: 1.0 kB of 3.0 kB (33%)\033[K") || !strings.HasSuffix(got, "\r\033[K") || strings.Contains(got, "\n") {
		t.Errorf("progress %q", got)
	}
}
