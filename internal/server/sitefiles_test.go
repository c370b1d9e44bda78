package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/httpstatus/httpstatus/internal/compress"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
)

func TestBrotli(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	plain := get(t, s, "/503", "Accept", "text/html")
	want, _ := io.ReadAll(plain.Body)
	tests := []struct {
		ae, wantEnc string
	}{
		{"gzip, deflate, br, zstd", "br"},
		{"br", "br"},
		{"BR;q=0.5, gzip", "br"},
		{"br;q=0, gzip", "gzip"},
		{"*", "gzip"},
		{"identity", ""},
	}
	for _, tt := range tests {
		res := get(t, s, "/503", "Accept", "text/html", "Accept-Encoding", tt.ae)
		if got := res.Header.Get("Content-Encoding"); got != tt.wantEnc {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", tt.ae, got, tt.wantEnc)
		}
		if v := res.Header.Get("Vary"); v != "Accept, Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q", tt.ae, v)
		}
	}
	res := get(t, s, "/503", "Accept", "text/html", "Accept-Encoding", "br")
	if res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Errorf("brotli and plain bodies share an ETag")
	}
	body, _ := io.ReadAll(res.Body)
	wantBr, _ := compress.Brotli(want)
	if !bytes.Equal(body, wantBr) {
		t.Errorf("brotli body is not compress.Brotli of the page (%d bytes, want %d)", len(body), len(wantBr))
	}
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("decoded brotli body differs from the plain body (err %v)", err)
	}
	if res := get(t, s, "/503", "Accept", "text/html", "Accept-Encoding", "br", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != 304 {
		t.Errorf("If-None-Match with the brotli ETag: status %d, want 304", res.StatusCode)
	}
}

func TestSiteFiles(t *testing.T) {
	t.Parallel()
	newServer(t) // sets rnd
	const base = "https://status.example.org"
	s := server.New(rnd, server.Options{Logger: slog.New(slog.DiscardHandler), BaseURL: base})
	tests := []struct {
		path, ctype string
		want        []byte
	}{
		{"/sitemap.xml", "application/xml", rnd.Sitemap(base)},
		{"/robots.txt", "text/plain; charset=utf-8", rnd.Robots(base)},
	}
	for _, tt := range tests {
		res := get(t, s, tt.path)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s: %d %q, want 200 %q", tt.path, res.StatusCode, res.Header.Get("Content-Type"), tt.ctype)
		}
		if !bytes.Equal(body, tt.want) {
			t.Errorf("GET %s: body differs from the renderer's:\n%.300s", tt.path, body)
		}
		if !bytes.Contains(body, []byte(base+"/")) {
			t.Errorf("GET %s: body does not name the base URL %s", tt.path, base)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
			t.Errorf("GET %s: Cache-Control = %q", tt.path, cc)
		}
	}
	// The default base URL is the default listening address.
	res := get(t, newServer(t), "/sitemap.xml")
	body, _ := io.ReadAll(res.Body)
	if !bytes.Contains(body, []byte("<loc>"+render.DefaultBaseURL+"/503</loc>")) {
		t.Errorf("default sitemap does not list %s/503", render.DefaultBaseURL)
	}
}
