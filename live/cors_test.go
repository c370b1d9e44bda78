package live

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// splitList splits a comma-separated header value into its lower-cased
// elements.
func splitList(v string) []string {
	var out []string
	for e := range strings.SplitSeq(v, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func TestPreflight(t *testing.T) {
	t.Parallel()
	h := New()
	methods := splitList(Methods)
	for _, tt := range []struct {
		name        string
		target      string
		method      string // Access-Control-Request-Method
		headers     string // Access-Control-Request-Headers
		wantMethods []string
		wantHeaders []string
	}{
		{"PUT with a requested header", "/status/503", "PUT", "x-httpstatus-response-retry-after", methods, []string{"x-httpstatus-response-retry-after"}},
		{"DELETE, no headers", "/status/200,500", "DELETE", "", methods, nil},
		{"headers the page may send", "/status/418", "PATCH", "content-type, authorization,x-request-id", methods, []string{"content-type", "authorization", "x-request-id"}},
		{"a response header that may not be asked for", "/status/200", "POST", "x-httpstatus-response-set-cookie, x-httpstatus-response-link", methods, []string{"x-httpstatus-response-link"}},
		{"not a field name", "/status/200", "GET", "a b, (x), ok", methods, []string{"ok"}},
		{"another method", "/status/207", "PROPFIND", "", append(slices.Clone(methods), "propfind"), nil},
		{"codes that are a 400", "/status/abc?sleep=x", "PUT", "", methods, nil},
	} {
		req := httptest.NewRequest("OPTIONS", tt.target, nil)
		req.Header.Set("Origin", "http://127.0.0.2:8080")
		req.Header.Set("Access-Control-Request-Method", tt.method)
		if tt.headers != "" {
			req.Header.Set("Access-Control-Request-Headers", tt.headers)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header()
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Errorf("%s: %d with %d bytes, want 204 and no body", tt.name, rec.Code, rec.Body.Len())
		}
		if got.Get("Access-Control-Allow-Origin") != "*" || got.Get("Access-Control-Max-Age") == "" {
			t.Errorf("%s: Allow-Origin %q, Max-Age %q; want * and a max age", tt.name, got.Get("Access-Control-Allow-Origin"), got.Get("Access-Control-Max-Age"))
		}
		if m := splitList(got.Get("Access-Control-Allow-Methods")); !slices.Equal(m, tt.wantMethods) {
			t.Errorf("%s: Allow-Methods %q, want %q", tt.name, m, tt.wantMethods)
		}
		if hs := splitList(got.Get("Access-Control-Allow-Headers")); !slices.Equal(hs, tt.wantHeaders) {
			t.Errorf("%s: Allow-Headers %q, want %q", tt.name, hs, tt.wantHeaders)
		}
	}
}

// TestPlainOptions checks that OPTIONS without the preflight headers is
// an ordinary request: it gets the status it asks for.
func TestPlainOptions(t *testing.T) {
	t.Parallel()
	h := New()
	for _, hdr := range [][]string{nil, {"Origin", "http://a.example"}, {"Access-Control-Request-Method", "PUT"}} {
		req := httptest.NewRequest("OPTIONS", "/status/503", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || rec.Header().Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("OPTIONS with %v: %d %v, want the asked-for 503, not a preflight answer", hdr, rec.Code, rec.Header())
		}
	}
}

// TestExposeHeaders checks that every answer lets a script read the
// headers the endpoint may send: every catalog header with a value, the
// requestable ones and the computed ones, and none of the safelisted.
func TestExposeHeaders(t *testing.T) {
	t.Parallel()
	h := New()
	want := []string{"retry-after", "location", "www-authenticate", "proxy-authenticate", "allow", "content-range", "link", "etag", "age", "vary"}
	for _, k := range testCatalog(t).Codes() {
		for _, e := range k.Entries {
			for _, hd := range e.Headers {
				if hd.Value != "" && !strings.EqualFold(hd.Name, "Cache-Control") {
					want = append(want, strings.ToLower(hd.Name))
				}
			}
		}
	}
	for _, target := range []string{"/status/503", "/status/abc", "/status/206"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		got := splitList(rec.Header().Get("Access-Control-Expose-Headers"))
		for _, name := range want {
			if !slices.Contains(got, name) {
				t.Errorf("GET %s: Access-Control-Expose-Headers %q lacks %s", target, got, name)
			}
		}
		if slices.Contains(got, "content-type") || slices.Contains(got, "cache-control") {
			t.Errorf("GET %s: Access-Control-Expose-Headers %q names a safelisted header", target, got)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: no Access-Control-Allow-Origin: *", target)
		}
	}
}

func TestIsToken(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"x-httpstatus-response-retry-after": true, "PROPFIND": true, "a!#$%&'*+-.^_`|~9": true,
		"": false, "a b": false, "a,b": false, "(x)": false, "é": false, "a\x00": false,
	} {
		if got := isToken(s); got != want {
			t.Errorf("isToken(%q) = %v, want %v", s, got, want)
		}
	}
}
