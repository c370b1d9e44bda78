package server

import (
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept string
		want   render.Format
		ok     bool
	}{
		{"", render.HTML, true},
		{"*/*", render.Text, true},
		{"text/html", render.HTML, true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", render.HTML, true},
		{"application/json", render.JSON, true},
		{"application/json, */*;q=0.1", render.JSON, true},
		{"text/plain", render.Text, true},
		{"text/*", render.Text, true},
		{"application/*", render.JSON, true},
		{"text/html;q=0.1, text/plain;q=0.9", render.Text, true},
		{"text/html;q=0", render.HTML, false},
		{"image/png", render.HTML, false},
		{"text/html;q=abc", render.HTML, false},
		{"APPLICATION/JSON", render.JSON, true},
		{"*/*;q=0.5, text/html;q=0", render.Text, true},
		{",,;;==", render.HTML, false},
	}
	for _, tt := range tests {
		got, ok := negotiate(tt.accept)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("negotiate(%q) = %v, %v; want %v, %v", tt.accept, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", "text/html;q=0.5, application/json", "a/b;q=1.5", ";q=", "text/plain;;q=0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got, ok := negotiate(accept)
		if ok && got != render.HTML && got != render.JSON && got != render.Text {
			t.Errorf("negotiate(%q) = %v", accept, got)
		}
	})
}

func TestAcceptsGzip(t *testing.T) {
	for in, want := range map[string]bool{"": false, "gzip": true, "br, gzip": true, "GZIP;q=0.5": true, "gzip;q=0": false, "*": true, "deflate": false, "gzipx": false} {
		if got := acceptsGzip(in); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", in, got, want)
		}
	}
}
