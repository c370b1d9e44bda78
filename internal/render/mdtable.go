package render

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Pipe tables, the one Markdown extension the content uses:
//
//	| Code | Permanent |
//	|---|---|
//	| [301 Moved Permanently](/301) | yes |
//
// A paragraph whose second line is a row of dashes (colons are allowed
// and ignored: columns are not aligned) becomes a table of the header row
// and the rows after it; each cell is inline Markdown, and "\|" or a "|"
// inside `code` does not split cells. goldmark's own extension package
// does the same, but initialising it compiles regular expressions for
// features we do not use, about a millisecond at every start of every
// command; this file is what we need of it.

var (
	kindTable     = ast.NewNodeKind("PipeTable")
	kindTableRow  = ast.NewNodeKind("PipeTableRow")
	kindTableCell = ast.NewNodeKind("PipeTableCell")
)

// tableNode is a table: its children are rows, the header first.
type tableNode struct{ ast.BaseBlock }

func (n *tableNode) Kind() ast.NodeKind { return kindTable }
func (n *tableNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// tableRowNode is a row of cells.
type tableRowNode struct {
	ast.BaseBlock
	header bool
}

func (n *tableRowNode) Kind() ast.NodeKind { return kindTableRow }
func (n *tableRowNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// tableCellNode is a cell; its one line is parsed as inline Markdown.
type tableCellNode struct {
	ast.BaseBlock
	header bool
}

func (n *tableCellNode) Kind() ast.NodeKind { return kindTableCell }
func (n *tableCellNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// tableParser turns paragraphs that are pipe tables into tableNodes.
type tableParser struct{}

func (tableParser) Transform(para *ast.Paragraph, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	lines := para.Lines()
	for i := 0; i < lines.Len(); i++ {
		if lines.At(i).Padding != 0 {
			return // a tab in the indentation: leave it as written
		}
	}
	for i := 1; i < lines.Len(); i++ {
		head := splitRow(src, lines.At(i-1))
		if !isDelimiterRow(src, lines.At(i), len(head)) {
			continue
		}
		table := &tableNode{}
		table.AppendChild(table, newRow(head, len(head), true))
		for j := i + 1; j < lines.Len(); j++ {
			table.AppendChild(table, newRow(splitRow(src, lines.At(j)), len(head), false))
		}
		parent := para.Parent()
		parent.InsertAfter(parent, para, table)
		if i == 1 {
			parent.RemoveChild(parent, para)
			return
		}
		// The lines before the table stay a paragraph.
		lines.SetSliced(0, i-1)
		last := lines.At(i - 2)
		lines.Set(i-2, last.TrimRightSpace(src))
		return
	}
}

// newRow makes a row of n cells from segs: missing cells are empty, extra
// ones dropped.
func newRow(segs []text.Segment, n int, header bool) *tableRowNode {
	row := &tableRowNode{header: header}
	for k := 0; k < n; k++ {
		cell := &tableCellNode{header: header}
		if k < len(segs) {
			cell.Lines().Append(segs[k])
		}
		row.AppendChild(row, cell)
	}
	return row
}

// splitRow splits a table line into the segments of its cells, trimmed,
// without the outer pipes.
func splitRow(src []byte, line text.Segment) []text.Segment {
	line = trimSpace(src, line)
	b := line.Value(src)
	start, end := 0, len(b)
	if start < end && b[start] == '|' {
		start++
	}
	if end > start && b[end-1] == '|' && (end < 2 || b[end-2] != '\\') {
		end--
	}
	var cells []text.Segment
	cellStart := start
	for k := start; k < end; k++ {
		switch b[k] {
		case '\\':
			k++ // an escaped character, "\|" included
		case '`':
			k = skipCodeSpan(b, k, end)
		case '|':
			cells = append(cells, cellSegment(src, line.Start, cellStart, k))
			cellStart = k + 1
		}
	}
	return append(cells, cellSegment(src, line.Start, cellStart, end))
}

func cellSegment(src []byte, base, from, to int) text.Segment {
	return trimSpace(src, text.NewSegment(base+from, base+to))
}

func trimSpace(src []byte, s text.Segment) text.Segment {
	s = s.TrimLeftSpace(src)
	return s.TrimRightSpace(src)
}

// skipCodeSpan returns the index of the last backtick of the code span
// that opens at b[k], or of the run of backticks at k when nothing closes
// it.
func skipCodeSpan(b []byte, k, end int) int {
	run := k
	for run < end && b[run] == '`' {
		run++
	}
	n := run - k
	for m := run; m < end; {
		if b[m] != '`' {
			m++
			continue
		}
		stop := m
		for stop < end && b[stop] == '`' {
			stop++
		}
		if stop-m == n {
			return stop - 1
		}
		m = stop
	}
	return run - 1
}

// isDelimiterRow reports whether line is the row under a header of n
// cells: n cells of dashes, each with an optional colon at either end.
func isDelimiterRow(src []byte, line text.Segment, n int) bool {
	cells := splitRow(src, line)
	if len(cells) != n {
		return false
	}
	for _, c := range cells {
		v := bytes.TrimSuffix(bytes.TrimPrefix(c.Value(src), []byte(":")), []byte(":"))
		if len(v) == 0 || len(bytes.Trim(v, "-")) != 0 {
			return false
		}
	}
	return true
}

// tableHTML renders tables as HTML.
type tableHTML struct{}

func (tableHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTable, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<table>\n")
			return ast.WalkContinue, nil
		}
		if n.ChildCount() > 1 {
			_, _ = w.WriteString("</tbody>\n")
		}
		_, _ = w.WriteString("</table>\n")
		return ast.WalkContinue, nil
	})
	reg.Register(kindTableRow, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		row := n.(*tableRowNode)
		switch {
		case entering && row.header:
			_, _ = w.WriteString("<thead>\n<tr>\n")
		case entering && n.PreviousSibling() == n.Parent().FirstChild():
			_, _ = w.WriteString("<tbody>\n<tr>\n")
		case entering:
			_, _ = w.WriteString("<tr>\n")
		case row.header:
			_, _ = w.WriteString("</tr>\n</thead>\n")
		default:
			_, _ = w.WriteString("</tr>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindTableCell, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		tag := "td"
		if n.(*tableCellNode).header {
			tag = "th"
		}
		if entering {
			_, _ = w.WriteString("<" + tag + ">")
		} else {
			_, _ = w.WriteString("</" + tag + ">\n")
		}
		return ast.WalkContinue, nil
	})
}
