package render

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Width is the column at which the text form wraps.
const Width = 80

// markdownText renders Markdown as plain text for a terminal: headings in
// capitals, paragraphs wrapped at Width, lists with hanging indents, code
// blocks indented, links as their text.
func (r *Renderer) markdownText(w *textWriter, src string) {
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		blockText(w, n, source, "", "")
	}
}

func blockText(w *textWriter, n ast.Node, src []byte, first, rest string) {
	switch n := n.(type) {
	case *ast.Heading:
		w.heading(inlineText(n, src))
	case *ast.Paragraph:
		w.para(first, rest, inlineText(n, src))
	case *ast.TextBlock: // an item of a tight list
		w.wrap(first, rest, inlineText(n, src))
	case *ast.List:
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			marker := "- "
			if n.IsOrdered() {
				marker = "* "
			}
			f, r := first+marker, rest+"  "
			for c := it.FirstChild(); c != nil; c = c.NextSibling() {
				blockText(w, c, src, f, r)
				f = r
			}
		}
		w.blank()
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			w.line(rest + "    " + strings.TrimRight(string(seg.Value(src)), "\n"))
		}
		w.blank()
	case *ast.Blockquote:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			blockText(w, c, src, rest+"| ", rest+"| ")
		}
	case *east.Table:
		tableText(w, n, src, rest)
	case *ast.ThematicBreak:
		w.blank()
	default:
		if n.HasChildren() {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				blockText(w, c, src, first, rest)
			}
		}
	}
}

// tableText writes a table in aligned columns when it fits in Width;
// otherwise each row as its first cell, then the others under it, each
// labelled with its column's header.
func tableText(w *textWriter, t *east.Table, src []byte, indent string) {
	var rows [][]string // the header first, every row as wide as it
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, inlineText(c, src))
		}
		if len(rows) > 0 {
			cells = append(cells, make([]string, max(0, len(rows[0])-len(cells)))...)[:len(rows[0])]
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := len(indent) + 2 + 2*(len(widths)-1)
	for _, n := range widths {
		total += n
	}
	w.blank()
	if total <= Width {
		for i, r := range rows {
			w.line(indent + "  " + columns(r, widths))
			if i == 0 {
				rule := make([]string, len(widths))
				for j, n := range widths {
					rule[j] = strings.Repeat("-", n)
				}
				w.line(indent + "  " + columns(rule, widths))
			}
		}
		w.blank()
		return
	}
	head := rows[0]
	if len(rows) == 1 {
		w.para(indent+"  ", indent+"    ", strings.Join(head, " | "))
		return
	}
	for _, r := range rows[1:] {
		w.wrap(indent+"  ", indent+"    ", r[0])
		for i := 1; i < len(r); i++ {
			if r[i] == "" {
				continue
			}
			label := head[i] + ": "
			w.wrap(indent+"    "+label, indent+"    "+strings.Repeat(" ", utf8.RuneCountInString(label)), r[i])
		}
		w.blank()
	}
}

// columns joins cells padded to widths, two spaces apart.
func columns(cells []string, widths []int) string {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(c)
		b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
	}
	return b.String()
}

// inlineText flattens the inline content of n to plain text.
func inlineText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				b.WriteByte('`')
				walk(c)
				b.WriteByte('`')
			case *ast.RawHTML:
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
