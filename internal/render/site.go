package render

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// DefaultBaseURL is the base URL that sitemap.xml and robots.txt name when
// none is given: where "httpstatus serve" listens by default. A public
// site sets its own (serve and export take --base-url).
const DefaultBaseURL = "http://127.0.0.1:8080"

// SitemapContentType is the media type of sitemap.xml.
const SitemapContentType = "application/xml"

// Sitemap renders sitemap.xml (sitemaps.org protocol 0.9): the absolute
// URL of every HTML page of Pages, in its order, under base
// ("https://example.org", no trailing slash). It has no dates, so the same
// catalog gives the same bytes.
func (r *Renderer) Sitemap(base string) []byte {
	base = strings.TrimRight(base, "/")
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range r.Pages() {
		if p.Format != HTML {
			continue
		}
		buf.WriteString("<url><loc>")
		xml.EscapeText(&buf, []byte(base+p.Path())) // a bytes.Buffer cannot fail
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// Robots renders robots.txt: crawlers may read every page, but not the
// live endpoint (/status/) or search results, and find the sitemap under
// base.
func (r *Renderer) Robots(base string) []byte {
	return []byte("User-agent: *\nDisallow: /status/\nDisallow: /search\n\nSitemap: " + strings.TrimRight(base, "/") + "/sitemap.xml\n")
}
