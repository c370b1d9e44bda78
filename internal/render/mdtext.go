package render

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
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
	case *tableNode:
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for c := row.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, inlineText(c, src))
			}
			w.para(rest+"  ", rest+"    ", strings.Join(cells, " | "))
		}
		w.blank()
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
