package render

import (
	"bytes"
	"strings"
	"testing"
)

func convert(t testing.TB, md string) string {
	t.Helper()
	r := &Renderer{md: newMarkdown()}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(md), &buf); err != nil {
		t.Fatalf("Convert(%q): %v", md, err)
	}
	return buf.String()
}

// TestPipeTables covers the tables the content writes and the edges of the
// syntax: each case's HTML in full.
func TestPipeTables(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, md, want string }{
		{"table",
			"| Code | Name |\n|---|---|\n| [301](/301) | `POST` may become `GET` |\n| 308 | kept |\n",
			"<table>\n<thead>\n<tr>\n<th>Code</th>\n<th>Name</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td><a href=\"/301\">301</a></td>\n<td><code>POST</code> may become <code>GET</code></td>\n</tr>\n" +
				"<tr>\n<td>308</td>\n<td>kept</td>\n</tr>\n</tbody>\n</table>\n"},
		{"header only",
			"a | b\n:-|-:\n",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n</table>\n"},
		{"missing and extra cells",
			"|a|b|\n|-|-|\n|1|\n|1|2|3|\n",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td>1</td>\n<td></td>\n</tr>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
		{"pipes that do not split",
			"|a|b|\n|-|-|\n|`x|y`|1 \\| 2|\n",
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td><code>x|y</code></td>\n<td>1 | 2</td>\n</tr>\n</tbody>\n</table>\n"},
		{"text before the table",
			"Compare:\n|a|b|\n|-|-|\n|1|2|\n",
			"<p>Compare:</p>\n<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n" +
				"<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
		{"cell counts differ", "|a|b|\n|-|-|-|\n", "<p>|a|b|\n|-|-|-|</p>\n"},
		{"no delimiter row", "|a|b|\n|1|2|\n", "<p>|a|b|\n|1|2|</p>\n"},
		{"not dashes", "|a|b|\n|-|x|\n", "<p>|a|b|\n|-|x|</p>\n"},
	}
	for _, tt := range tests {
		if got := convert(t, tt.md); got != tt.want {
			t.Errorf("%s:\n%s\ngot\n%s\nwant\n%s", tt.name, tt.md, got, tt.want)
		}
	}
}

// FuzzPipeTables renders random Markdown: never a panic, and a table is
// closed whenever one opens.
func FuzzPipeTables(f *testing.F) {
	for _, s := range []string{"|a|b|\n|-|-|\n|1|2|\n", "x\n|a|\n|:-:|\n|`|`|\n", "a|b\n-|-\n\\|\n"} {
		f.Add(s)
	}
	r := &Renderer{md: newMarkdown()}
	f.Fuzz(func(t *testing.T, md string) {
		var buf bytes.Buffer
		if err := r.md.Convert([]byte(md), &buf); err != nil {
			t.Fatalf("Convert(%q): %v", md, err)
		}
		out := buf.String()
		if strings.Count(out, "<table>") != strings.Count(out, "</table>") {
			t.Errorf("Convert(%q): unbalanced table tags:\n%s", md, out)
		}
	})
}
