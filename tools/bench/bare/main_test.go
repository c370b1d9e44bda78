package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/httpstatus/httpstatus/tools/bench"
)

func TestBare(t *testing.T) {
	dir := t.TempDir()
	routes := []bench.Route{
		{Path: "/503", Status: 200, ContentType: "text/html; charset=utf-8", ETag: `"p"`, Body: "plain", Gzip: "gz", GzipETag: `"g"`},
		{Path: "/status/503", Status: 503, ContentType: "text/plain; charset=utf-8", Body: "status"},
	}
	files := map[string]string{"plain": "<p>page</p>", "gz": "not really gzip", "status": "503 Service Unavailable\n"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest, _ := json.Marshal(routes)
	if err := os.WriteFile(filepath.Join(dir, bench.ManifestName), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	mux, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, ae             string
		status               int
		body, etag, encoding string
	}{
		{"/503", "", 200, files["plain"], `"p"`, ""},
		{"/503", "gzip, br", 200, files["gz"], `"g"`, "gzip"},
		{"/status/503", "gzip", 503, files["status"], "", ""},
		{"/nothing", "", 404, "404 page not found\n", "", ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", tt.path, nil)
		if tt.ae != "" {
			req.Header.Set("Accept-Encoding", tt.ae)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != tt.status || rec.Body.String() != tt.body || rec.Header().Get("ETag") != tt.etag || rec.Header().Get("Content-Encoding") != tt.encoding {
			t.Errorf("GET %s (Accept-Encoding %q) = %d %q, ETag %q, Content-Encoding %q; want %d %q, %q, %q",
				tt.path, tt.ae, rec.Code, rec.Body.String(), rec.Header().Get("ETag"), rec.Header().Get("Content-Encoding"),
				tt.status, tt.body, tt.etag, tt.encoding)
		}
	}
}
