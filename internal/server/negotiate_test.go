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
		{"Text/HTML", render.HTML, true},
		{"application/xhtml+xml", render.HTML, true},
		{"text/html;level=1;q=0.7, application/json;q=0.8", render.JSON, true},
		{"application/json;q=0.5, text/plain;q=0.5", render.JSON, true},
		{"text/html;q=.5", render.HTML, false},
		{"text/html;q=1.0001", render.HTML, false},
		{"text/plainx, text/htm", render.HTML, false},
	}
	for _, tt := range tests {
		got, ok := negotiate(tt.accept)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("negotiate(%q) = %v, %v; want %v, %v", tt.accept, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNegotiateFastPath(t *testing.T) {
	for _, accept := range []string{"*/*", "application/json", browserAccept, browserAcceptImages, chromeAccept} {
		f, ok := negotiate(accept)
		pf, pok := parseAccept(accept)
		if f != pf || ok != pok {
			t.Errorf("negotiate(%q) = %v, %v; parseAccept gives %v, %v", accept, f, ok, pf, pok)
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
		if pf, pok := parseAccept(accept); pf != got || pok != ok {
			t.Errorf("negotiate(%q) = %v, %v; parseAccept gives %v, %v", accept, got, ok, pf, pok)
		}
	})
}

func TestParseQ(t *testing.T) {
	for in, want := range map[string]int{"1": 1000, "0": 0, "0.5": 500, "0.001": 1, "1.000": 1000, "1.0": 1000, "0.25": 250, "": 0, ".5": 0, "2": 0, "1.5": 0, "0.0001": 0, "0.a": 0, "1.": 1000, "q": 0} {
		if got := parseQ(in); got != want {
			t.Errorf("parseQ(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestEtagMatch(t *testing.T) {
	const tag = `"abc"`
	for in, want := range map[string]bool{`"abc"`: true, `W/"abc"`: true, ` "x", "abc" `: true, `*`: true, `"abcd"`: false, `"x"`: false, ``: false} {
		if got := etagMatch(in, tag); got != want {
			t.Errorf("etagMatch(%q, %q) = %v, want %v", in, tag, got, want)
		}
	}
}

// TestNegotiationAllocs holds the header parsers, which run on every
// request, to no allocation at all.
func TestNegotiationAllocs(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name string
		f    func()
	}{
		{"negotiate browser", func() { negotiate(browser) }},
		{"parseAccept browser", func() { parseAccept(browser) }},
		{"negotiate q-values", func() { negotiate("text/html;q=0.5, application/json;q=0.9, text/plain;q=abc") }},
		{"acceptsGzip", func() { acceptsGzip("gzip, deflate, br, zstd") }},
		{"etagMatch", func() { etagMatch(`W/"a", "b", "c"`, `"c"`) }},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %.0f allocations, want 0", tt.name, n)
		}
	}
}

func BenchmarkNegotiate(b *testing.B) {
	for _, accept := range []string{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"*/*",
		"application/json",
		"text/html;q=0.5, application/json;q=0.9",
	} {
		b.Run(accept, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				negotiate(accept)
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	for in, want := range map[string]bool{"": false, "gzip": true, "br, gzip": true, "GZIP;q=0.5": true, "gzip;q=0": false, "*": true, "deflate": false, "gzipx": false, "*;q=1, gzip;q=0": false, "x-gzip": true, "identity, *;q=0": false} {
		if got := acceptsGzip(in); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", in, got, want)
		}
	}
}
