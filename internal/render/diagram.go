package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// diagram is a decision tree drawn as an indented tree in SVG: a row for
// the first question and one for each answer, lines from each question to
// its answers, and the code each last answer leads to in a column on the
// right. Its colours and fonts come from the stylesheet (the pages'
// Content-Security-Policy refuses style attributes); positions are in
// pixels, computed here from an estimate of the text's width.
type diagram struct {
	Width, Height int
	Desc          string // what the diagram shows, in words
	Rows          []diagramRow
	Edges         string // the path data of every line
}

// diagramRow is one row of a diagram.
type diagramRow struct {
	Y, TextY, X int
	Answer      string // "" for the first question
	Question    string // the question the row asks, or ""
	Leaf        *codeLink
	PillX       int
	PillY       int
	PillW       int
	CodeX       int
	Stripe      bool
}

// Geometry of a diagram, in pixels. The stylesheet sets the fonts the
// widths are estimated for: 14 px for the text, 13 px bold for the codes.
const (
	dgRow     = 32
	dgPad     = 12
	dgIndent  = 24
	dgBase    = 21 // the text's baseline below the top of its row
	dgPillH   = 22
	dgGap     = 28 // between the longest row and the column of codes
	dgText    = 7.6
	dgCode    = 8.5
	dgPillPad = 10
)

// textWidth estimates how wide s is drawn, at perRune pixels a rune.
func textWidth(s string, perRune float64) int {
	return int(float64(utf8.RuneCountInString(s))*perRune + 0.5)
}

// layoutDiagram lays out the tree of a decision guide.
func layoutDiagram(v *questionView) *diagram {
	d := &diagram{}
	var edges strings.Builder
	textEnd := 0
	add := func(row diagramRow, depth int) int {
		i := len(d.Rows)
		row.Y = dgPad + i*dgRow
		row.TextY = row.Y + dgBase
		row.X = dgPad + depth*dgIndent
		row.Stripe = i%2 == 1
		text := row.Answer
		if row.Question != "" {
			text += ": " + row.Question
		}
		textEnd = max(textEnd, row.X+textWidth(text, dgText))
		d.Rows = append(d.Rows, row)
		return i
	}
	var walk func(q *questionView, parent, depth int)
	walk = func(q *questionView, parent, depth int) {
		trunk := dgPad + depth*dgIndent + 6
		top := d.Rows[parent].Y + dgRow - 4
		for _, a := range q.Answers {
			row := diagramRow{Answer: a.Text, Leaf: a.Leaf}
			if a.Next != nil {
				row.Question = a.Next.Text
			}
			i := add(row, depth+1)
			mid := d.Rows[i].Y + dgRow/2
			fmt.Fprintf(&edges, "M%d %dV%dH%d", trunk, top, mid, d.Rows[i].X-4)
			top = mid
			if a.Next != nil {
				walk(a.Next, i, depth+1)
			}
		}
	}
	add(diagramRow{Question: v.Text}, 0)
	walk(v, 0, 0)
	col := textEnd + dgGap
	widest := 0
	for i := range d.Rows {
		r := &d.Rows[i]
		if r.Leaf == nil {
			continue
		}
		r.PillX = col
		r.PillY = r.Y + (dgRow-dgPillH)/2
		r.PillW = textWidth(pillText(r.Leaf), dgCode) + 2*dgPillPad
		r.CodeX = col + dgPillPad
		widest = max(widest, r.PillW)
	}
	d.Width = col + widest + dgPad
	d.Height = 2*dgPad + len(d.Rows)*dgRow
	d.Edges = edges.String()
	d.Desc = describeTree(v)
	return d
}

// pillText is what the diagram shows of a code: "503 Service Unavailable".
func pillText(l *codeLink) string { return strconv.Itoa(l.Code) + " " + l.Name }

// describeTree says in words what a decision tree holds: its first
// question, and for each answer the code it leads to, or the next question
// and the codes under it.
func describeTree(v *questionView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "A decision tree that starts with the question %q. Its answers: ", v.Text)
	for i, a := range v.Answers {
		if i > 0 {
			b.WriteString("; ")
		}
		if a.Leaf != nil {
			fmt.Fprintf(&b, "%s leads to %s", a.Text, pillText(a.Leaf))
			continue
		}
		var codes []string
		for _, p := range paths(a.Next, nil) {
			codes = append(codes, strconv.Itoa(p.Leaf.Code))
		}
		fmt.Fprintf(&b, "%s leads to the question %q and to %s", a.Text, a.Next.Text, strings.Join(codes, ", "))
	}
	b.WriteString(". The questions above and the text version below hold the same tree.")
	return b.String()
}
