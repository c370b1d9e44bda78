package render

import (
	"bytes"
	"strings"
	"testing"
)

// TestTableHTML checks the HTML of the content's pipe tables: a header
// row of th cells, inline Markdown in cells, and no alignment style,
// which the pages' Content-Security-Policy would refuse.
func TestTableHTML(t *testing.T) {
	t.Parallel()
	md := newMarkdown()
	tests := []struct{ name, md, want string }{
		{"table",
			"| Code | Name |\n|---|---|\n| [301](/301) | `POST` may become `GET` |\n| 308 | kept |\n",
			"<table>\n<thead>\n<tr>\n<th>Code</th>\n<th>Name</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td><a href=\"/301\">301</a></td>\n<td><code>POST</code> may become <code>GET</code></td>\n</tr>\n" +
				"<tr>\n<td>308</td>\n<td>kept</td>\n</tr>\n</tbody>\n</table>\n"},
		{"aligned columns",
			"| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |\n",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n<th>c</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td>1</td>\n<td>2</td>\n<td>3</td>\n</tr>\n</tbody>\n</table>\n"},
		{"escaped pipe", "|a|b|\n|-|-|\n|1 \\| 2|3|\n",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td>1 | 2</td>\n<td>3</td>\n</tr>\n</tbody>\n</table>\n"},
		{"no delimiter row", "|a|b|\n|1|2|\n", "<p>|a|b|\n|1|2|</p>\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := md.Convert([]byte(tt.md), &buf); err != nil {
			t.Fatalf("%s: Convert: %v", tt.name, err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("%s: Convert(%q) =\n%s\nwant\n%s", tt.name, tt.md, got, tt.want)
		}
	}
}

// TestTableText checks tables in the text form: aligned columns under a
// rule when they fit in Width, otherwise one block per row with each
// further cell labelled by its header.
func TestTableText(t *testing.T) {
	t.Parallel()
	r := &Renderer{md: newMarkdown()}
	tests := []struct{ name, md, want string }{
		{"fits",
			"| Code | Permanent |\n|---|---|\n| [301 Moved Permanently](/301) | yes |\n| 302 Found | |\n",
			"  Code                   Permanent\n" +
				"  ---------------------  ---------\n" +
				"  301 Moved Permanently  yes\n" +
				"  302 Found\n"},
		{"too wide",
			"| Code | Method when following | Cacheable by default |\n|---|---|---|\n" +
				"| 301 Moved Permanently | `POST` may become `GET`, and a long note that goes on past the width | yes |\n| 307 | kept | |\n",
			"  301 Moved Permanently\n" +
				"    Method when following: `POST` may become `GET`, and a long note that goes on\n" +
				"                           past the width\n" +
				"    Cacheable by default: yes\n\n" +
				"  307\n" +
				"    Method when following: kept\n"},
		{"missing and extra cells", "|a|b|\n|-|-|\n|1|\n|1|2|3|\n", "  a  b\n  -  -\n  1\n  1  2\n"},
		{"header only, too wide", "|" + strings.Repeat("a", 50) + "|" + strings.Repeat("b", 50) + "|\n|-|-|\n", "  " + strings.Repeat("a", 50) + " |\n    " + strings.Repeat("b", 50) + "\n"},
	}
	for _, tt := range tests {
		w := &textWriter{}
		r.markdownText(w, tt.md)
		if got := string(done(w)); got != tt.want {
			t.Errorf("%s: markdownText =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}
