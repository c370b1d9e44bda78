package render_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

func TestSitemap(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	out := r.Sitemap("https://example.org/")
	var doc struct {
		XMLName xml.Name
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("sitemap does not parse: %v", err)
	}
	if doc.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || doc.XMLName.Local != "urlset" {
		t.Errorf("root element = %v, want sitemaps.org urlset", doc.XMLName)
	}
	var want []string
	for _, p := range r.Pages() {
		if p.Format == render.HTML {
			want = append(want, "https://example.org"+p.Path())
		}
	}
	if len(doc.URLs) != len(want) {
		t.Fatalf("sitemap has %d URLs, want %d (every HTML page)", len(doc.URLs), len(want))
	}
	for i, u := range doc.URLs {
		if u.Loc != want[i] {
			t.Errorf("url %d = %q, want %q", i, u.Loc, want[i])
		}
	}
	if string(r.Sitemap("https://example.org")) != string(out) {
		t.Errorf("a trailing slash on the base changes the sitemap")
	}
}

func TestRobots(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	got := string(r.Robots("https://example.org"))
	for _, want := range []string{"User-agent: *\n", "Disallow: /status/\n", "Sitemap: https://example.org/sitemap.xml\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, got)
		}
	}
}
