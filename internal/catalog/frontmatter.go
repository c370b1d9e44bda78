package catalog

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The front matter of a content file is YAML, and this file reads the part
// of YAML that front matter needs, seven times faster than the YAML library
// with a quarter of its allocations (BenchmarkFrontMatter: 1.9 against 14
// ms for every content file), whose scanner had been most of the time every
// command took to start:
//
//	key: plain value            # a comment
//	key: "double-quoted \"value\""
//	key: 'single-quoted value'
//	key: [a, b c, "d"]          # a flow sequence, on one line
//	key: {title: T, url: U}     # a flow mapping, on one line
//	key: |                      # a literal block (|- drops the last line break)
//	  lines kept as written
//	key:                        # a block mapping, indented
//	  title: T
//	key:                        # a block sequence of scalars or mappings
//	  - title: T
//	    url: U
//
// Anything else (anchors, tags, folded blocks, "|+", a plain or quoted
// value continued on the next line, a flow collection over several lines)
// is an error that names its line, never a guess. The result decodes into
// the same Go values as go.yaml.in/yaml/v3's Decoder with KnownFields set
// would, as TestFrontMatterMatchesYAML checks on every content file and
// FuzzFrontMatter on random input: where this reader accepts a document,
// the YAML library accepts it too and decodes the same values.

// nodeKind says what a node of front matter is.
type nodeKind uint8

const (
	nullNode nodeKind = iota // no value: "key:" with nothing under it, ~, null
	scalarNode
	seqNode
	mapNode
)

// A node is a parsed value: a scalar, a sequence or a mapping.
type node struct {
	value  string // scalarNode: the text
	items  []*node
	keys   []fmKey // mapNode: keys[i] maps to items[i]
	line   int
	kind   nodeKind
	quoted bool // scalarNode: written in quotes (so never a number or a bool)
}

// fmKey is a key of a mapping, and the line it is on.
type fmKey struct {
	value string
	line  int
}

// fmLine is one line of front matter.
type fmLine struct {
	num    int    // 1-based, within the front matter
	indent int    // leading spaces
	raw    string // the whole line as written
}

// text is the line after its indentation.
func (l fmLine) text() string { return l.raw[l.indent:] }

type fmParser struct {
	lines []fmLine
	i     int // next line
}

func fmErr(line int, format string, args ...any) error {
	return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
}

// parseFrontMatter parses front matter into its top-level mapping. It
// returns nil for front matter that holds no value.
func parseFrontMatter(src string) (*node, error) {
	p := &fmParser{lines: make([]fmLine, 0, strings.Count(src, "\n")+1)}
	for n, raw := range lines(src) {
		if err := checkChars(raw); err != nil {
			return nil, fmErr(n+1, "%v", err)
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " "))
		p.lines = append(p.lines, fmLine{num: n + 1, indent: indent, raw: raw})
	}
	p.skipBlank()
	if p.i == len(p.lines) {
		return nil, nil
	}
	l := p.lines[p.i]
	if l.indent != 0 {
		return nil, fmErr(l.num, "the first key is indented")
	}
	v, err := p.block(0)
	if err != nil {
		return nil, err
	}
	p.skipBlank()
	if p.i < len(p.lines) {
		return nil, fmErr(p.lines[p.i].num, "unexpected indentation")
	}
	return v, nil
}

// lines yields the lines of s, split at "\n", with their index.
func lines(s string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		for n := 0; ; n++ {
			line, rest, more := strings.Cut(s, "\n")
			if !yield(n, line) || !more {
				return
			}
			s = rest
		}
	}
}

// checkChars refuses what YAML does not allow in a document: invalid
// UTF-8 and control characters other than tab.
func checkChars(s string) error {
	i := 0
	for i < len(s) && (s[i] >= 0x20 && s[i] < 0x7f || s[i] == '\t') {
		i++ // printable ASCII, the common case
	}
	if i == len(s) {
		return nil
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return errors.New("invalid UTF-8")
		case r < 0x20 && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f && r != 0x85, r == 0xfffe, r == 0xffff:
			return fmt.Errorf("control character %U", r)
		}
	}
	return nil
}

// blank reports whether a line holds nothing but spaces and a comment.
func (l fmLine) blank() bool {
	t := l.text()
	return t == "" || t[0] == '#'
}

func (p *fmParser) skipBlank() {
	for p.i < len(p.lines) && p.lines[p.i].blank() {
		p.i++
	}
}

// block parses the mapping or sequence whose first line is the next
// non-blank line, at its indentation, which must be at least min.
func (p *fmParser) block(min int) (*node, error) {
	p.skipBlank()
	l := p.lines[p.i]
	if l.indent < min {
		return nil, fmErr(l.num, "want indentation of at least %d", min)
	}
	if strings.HasPrefix(l.text(), "\t") {
		return nil, fmErr(l.num, "a tab in indentation")
	}
	if isSeqItem(l.text()) {
		return p.sequence(l.indent)
	}
	return p.mapping(l.indent)
}

func isSeqItem(s string) bool { return s == "-" || strings.HasPrefix(s, "- ") }

// mapping parses "key: value" lines at indentation ind.
func (p *fmParser) mapping(ind int) (*node, error) {
	m := &node{kind: mapNode, line: p.lines[p.i].num}
	if n := p.countKeys(ind); n > 1 {
		m.keys, m.items = make([]fmKey, 0, n), make([]*node, 0, n)
	}
	for {
		p.skipBlank()
		if p.i == len(p.lines) {
			return m, nil
		}
		l := p.lines[p.i]
		if l.indent < ind {
			return m, nil
		}
		if l.indent > ind {
			return nil, fmErr(l.num, "unexpected indentation")
		}
		if isSeqItem(l.text()) {
			return m, nil // the caller's sequence, at the same indentation
		}
		if strings.HasPrefix(l.text(), "\t") {
			return nil, fmErr(l.num, "a tab in indentation")
		}
		key, rest, ok := splitKey(l.text())
		if !ok {
			return nil, fmErr(l.num, "want \"key: value\"")
		}
		for _, k := range m.keys {
			if k.value == key {
				return nil, fmErr(l.num, "mapping key %q already defined at line %d", key, k.line)
			}
		}
		p.i++
		v, err := p.value(rest, l.num, ind, true)
		if err != nil {
			return nil, err
		}
		m.keys = append(m.keys, fmKey{key, l.num})
		m.items = append(m.items, v)
	}
}

// countKeys counts the lines at indentation ind from the next one to the
// end of the block, for the mapping there to be allocated at its size.
func (p *fmParser) countKeys(ind int) int {
	n := 0
	for _, l := range p.lines[p.i:] {
		if l.blank() || l.indent > ind {
			continue
		}
		if l.indent < ind || isSeqItem(l.text()) {
			break
		}
		n++
	}
	return n
}

// sequence parses "- item" lines at indentation ind.
func (p *fmParser) sequence(ind int) (*node, error) {
	s := &node{kind: seqNode, line: p.lines[p.i].num}
	for {
		p.skipBlank()
		if p.i == len(p.lines) {
			return s, nil
		}
		l := p.lines[p.i]
		if l.indent < ind || (l.indent == ind && !isSeqItem(l.text())) {
			return s, nil
		}
		if l.indent > ind {
			return nil, fmErr(l.num, "unexpected indentation")
		}
		content := strings.TrimLeft(l.text()[1:], " ")
		col := ind + len(l.text()) - len(content) // where the item's content starts
		if strings.HasPrefix(content, "\t") {
			return nil, fmErr(l.num, "a tab after \"-\"")
		}
		var item *node
		var err error
		if _, _, isKey := splitKey(content); isKey || isSeqItem(content) {
			// "- key: value" opens a mapping (or "- - x" a sequence) whose
			// indentation is the column of its first key.
			p.lines[p.i] = fmLine{num: l.num, indent: col, raw: l.raw}
			item, err = p.block(col)
		} else {
			p.i++
			item, err = p.value(content, l.num, ind, false)
		}
		if err != nil {
			return nil, err
		}
		s.items = append(s.items, item)
	}
}

// splitKey splits "key: value" or "key:" into key and value. A key is a
// plain word: letters, digits, "_" and "-".
func splitKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '-' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' || s[0] == '-' {
		return "", "", false
	}
	if i+1 < len(s) && s[i+1] != ' ' {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// value parses what follows "key:" or "- " on line num, whose block has
// indentation ind; in a mapping (inMap), a sequence may start at ind too.
func (p *fmParser) value(rest string, num, ind int, inMap bool) (*node, error) {
	rest = strings.Trim(rest, " ")
	if rest == "" || rest[0] == '#' {
		// Nothing on the line: the value is the block below, if any.
		save := p.i
		p.skipBlank()
		if p.i < len(p.lines) {
			l := p.lines[p.i]
			if l.indent > ind || (inMap && l.indent == ind && isSeqItem(l.text())) {
				return p.block(ind)
			}
		}
		p.i = save
		return &node{kind: nullNode, line: num}, nil
	}
	switch rest[0] {
	case '|':
		return p.literal(rest, num, ind)
	case '[', '{', '"', '\'':
		// A flow collection or a quoted value, which end on this line.
		f := &flow{s: rest, line: num}
		v, err := f.value()
		if err != nil {
			return nil, err
		}
		f.space()
		if f.pos < len(f.s) && f.s[f.pos] != '#' {
			what := "a flow collection"
			if v.kind == scalarNode {
				what = "a quoted value"
			}
			return nil, fmErr(num, "unexpected %q after %s", f.s[f.pos:], what)
		}
		return v, p.noContinuation(ind)
	}
	if err := checkPlainStart(rest, num); err != nil {
		return nil, err
	}
	if i := strings.Index(rest, " #"); i >= 0 {
		rest = strings.TrimRight(rest[:i], " ")
	}
	if strings.Contains(rest, ": ") || strings.HasSuffix(rest, ":") {
		return nil, fmErr(num, "mapping values are not allowed in this context: quote the value")
	}
	if strings.ContainsRune(rest, '\t') {
		return nil, fmErr(num, "a tab in a plain value: quote the value")
	}
	return plain(rest, num), p.noContinuation(ind)
}

// noContinuation fails when the line after a value is indented under it:
// a value that goes on over lines must be a literal block.
func (p *fmParser) noContinuation(ind int) error {
	save := p.i
	p.skipBlank()
	defer func() { p.i = save }()
	if p.i < len(p.lines) && p.lines[p.i].indent > ind {
		return fmErr(p.lines[p.i].num, "a value goes on over lines: write it on one line, or as a literal block (|)")
	}
	return nil
}

// checkPlainStart refuses the YAML features this reader does not take.
func checkPlainStart(s string, num int) error {
	switch s[0] {
	case '>':
		return fmErr(num, "folded blocks (>) are not supported: use a literal block (|)")
	case '&', '*', '!', '%', '@', '`', '?', ',', ']', '}', '#':
		return fmErr(num, "a plain value cannot start with %q: quote it", s[0])
	case '-':
		if len(s) == 1 || s[1] == ' ' {
			return fmErr(num, "a sequence cannot start on the line of its key")
		}
	case ':':
		if len(s) == 1 || s[1] == ' ' {
			return fmErr(num, "want \"key: value\"")
		}
	}
	return nil
}

// plain returns the node of a plain scalar: null for "~" and "null".
func plain(s string, num int) *node {
	switch s {
	case "~", "null", "Null", "NULL":
		return &node{kind: nullNode, line: num}
	}
	return &node{kind: scalarNode, line: num, value: s}
}

// literal parses a literal block scalar, "|" or "|-", and the lines
// indented under it.
func (p *fmParser) literal(header string, num, ind int) (*node, error) {
	chomp := header[1:]
	if i := strings.Index(chomp, " #"); i >= 0 {
		chomp = chomp[:i]
	}
	chomp = strings.TrimRight(chomp, " ")
	if chomp != "" && chomp != "-" {
		return nil, fmErr(num, "want | or |-, not %q", header)
	}
	var lines []string
	blockInd := -1
	leadingBlank := 0 // spaces of the longest blank line before the first line
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if strings.TrimLeft(l.raw, " ") == "" {
			if blockInd < 0 {
				leadingBlank = max(leadingBlank, len(l.raw))
				lines = append(lines, "")
			} else {
				lines = append(lines, l.raw[min(blockInd, len(l.raw)):])
			}
			p.i++
			continue
		}
		if blockInd < 0 {
			if l.indent <= ind {
				break
			}
			if strings.HasPrefix(l.text(), "\t") {
				return nil, fmErr(l.num, "a tab in indentation")
			}
			if leadingBlank > l.indent {
				return nil, fmErr(l.num, "a blank line before a literal block is indented more than its first line")
			}
			blockInd = l.indent
		}
		if l.indent < blockInd {
			break
		}
		lines = append(lines, l.raw[blockInd:])
		p.i++
	}
	// Trailing blank lines are chomped: "|" keeps one line break, if the
	// input has one after the last line, and "|-" none. The last line of
	// the input has none after it.
	end := len(lines)
	for end > 0 && lines[end-1] == "" {
		end--
	}
	endsInput := p.i == len(p.lines) && end == len(lines)
	body := strings.Join(lines[:end], "\n")
	if chomp == "" && end > 0 && !endsInput {
		body += "\n"
	}
	return &node{kind: scalarNode, line: num, value: body, quoted: true}, nil
}

// flow reads a flow collection or a quoted scalar within one line.
type flow struct {
	s    string
	pos  int
	line int
}

func (f *flow) space() {
	for f.pos < len(f.s) && f.s[f.pos] == ' ' {
		f.pos++
	}
}

func (f *flow) err(format string, args ...any) error {
	return fmErr(f.line, format, args...)
}

// value reads a flow value: a collection, a quoted or a plain scalar.
func (f *flow) value() (*node, error) {
	f.space()
	if f.pos == len(f.s) {
		return nil, f.err("a flow collection is not closed on its line")
	}
	switch f.s[f.pos] {
	case '[':
		return f.seq()
	case '{':
		return f.mapping()
	case '"', '\'':
		return f.quoted()
	}
	return f.plain(false)
}

func (f *flow) seq() (*node, error) {
	n := &node{kind: seqNode, line: f.line, items: []*node{}}
	f.pos++ // [
	for {
		f.space()
		if f.pos < len(f.s) && f.s[f.pos] == ']' {
			f.pos++
			return n, nil
		}
		v, err := f.value()
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		if err := f.separator(']', "sequence"); err != nil {
			return nil, err
		}
	}
}

// separator reads what follows an item of a flow collection: a "," or the
// closing bracket, which it leaves for the caller's loop to read.
func (f *flow) separator(closing byte, what string) error {
	f.space()
	if f.pos == len(f.s) {
		return f.err("a flow %s is not closed on its line", what)
	}
	switch f.s[f.pos] {
	case ',':
		f.pos++
	case closing:
	default:
		return f.err("want \",\" or %q in a flow %s, not %q", string(closing), what, f.s[f.pos:])
	}
	return nil
}

func (f *flow) mapping() (*node, error) {
	n := &node{kind: mapNode, line: f.line}
	f.pos++ // {
	for {
		f.space()
		if f.pos < len(f.s) && f.s[f.pos] == '}' {
			f.pos++
			return n, nil
		}
		k, err := f.plain(true)
		if err != nil {
			return nil, err
		}
		if k.kind != scalarNode {
			return nil, f.err("a key in {...} must be a word")
		}
		if _, _, ok := splitKey(k.value + ": "); !ok {
			return nil, f.err("a key in {...} must be a word, not %q", k.value)
		}
		for _, prev := range n.keys {
			if prev.value == k.value {
				return nil, f.err("mapping key %q already defined", k.value)
			}
		}
		if !strings.HasPrefix(f.s[f.pos:], ": ") && !strings.HasPrefix(f.s[f.pos:], ":,") && !strings.HasPrefix(f.s[f.pos:], ":}") {
			return nil, f.err("want \"key: value\" in {...}")
		}
		f.pos++ // :
		var v *node
		f.space()
		if f.pos < len(f.s) && (f.s[f.pos] == ',' || f.s[f.pos] == '}') {
			v = &node{kind: nullNode, line: f.line}
		} else if v, err = f.value(); err != nil {
			return nil, err
		}
		n.keys = append(n.keys, fmKey{k.value, k.line})
		n.items = append(n.items, v)
		if err := f.separator('}', "mapping"); err != nil {
			return nil, err
		}
	}
}

// plain reads a plain scalar in a flow collection: up to ",", "]", "}",
// or ": " (and ":," or ":}") when it is a key.
func (f *flow) plain(key bool) (*node, error) {
	start := f.pos
	if f.pos < len(f.s) {
		if err := checkPlainStart(f.s[f.pos:], f.line); err != nil {
			return nil, err
		}
	}
	for f.pos < len(f.s) {
		c := f.s[f.pos]
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '\t' {
			break
		}
		if c == ':' && (f.pos+1 == len(f.s) || strings.IndexByte(" ,]}", f.s[f.pos+1]) >= 0) {
			if !key {
				return nil, f.err("a mapping inside [...] must be in braces: {key: value}")
			}
			break
		}
		if c == '#' && f.pos > start && f.s[f.pos-1] == ' ' {
			return nil, f.err("a comment inside a flow collection")
		}
		if c == '?' {
			return nil, f.err("a \"?\" in a flow collection: quote the value")
		}
		f.pos++
	}
	s := strings.TrimRight(f.s[start:f.pos], " ")
	odd := f.pos < len(f.s) && (f.s[f.pos] == '[' || f.s[f.pos] == '{' || f.s[f.pos] == '\t')
	switch {
	case s == "" && odd:
		return nil, f.err("unexpected %q", f.s[f.pos])
	case s == "":
		return nil, f.err("an empty value in a flow collection")
	case odd:
		return nil, f.err("unexpected %q in a plain value: quote it", f.s[f.pos])
	}
	return plain(s, f.line), nil
}

// quoted reads a double- or single-quoted scalar that ends on its line.
func (f *flow) quoted() (*node, error) {
	q := f.s[f.pos]
	f.pos++
	var b strings.Builder
	for {
		if f.pos >= len(f.s) {
			return nil, f.err("a quoted value is not closed on its line")
		}
		c := f.s[f.pos]
		switch {
		case c == q && q == '\'' && f.pos+1 < len(f.s) && f.s[f.pos+1] == '\'':
			b.WriteByte('\'')
			f.pos += 2
		case c == q:
			f.pos++
			return &node{kind: scalarNode, line: f.line, value: b.String(), quoted: true}, nil
		case c == '\\' && q == '"':
			r, n, err := unescape(f.s[f.pos:])
			if err != nil {
				return nil, f.err("%v", err)
			}
			b.WriteString(r)
			f.pos += n
		default:
			b.WriteByte(c)
			f.pos++
		}
	}
}

// unescape decodes the escape sequence at the start of s ("\n", "\u00e9").
func unescape(s string) (string, int, error) {
	if len(s) < 2 {
		return "", 0, errors.New(`a "\" ends the line`)
	}
	switch s[1] {
	case '\\', '"', '/':
		return s[1:2], 2, nil
	case 'n':
		return "\n", 2, nil
	case 't':
		return "\t", 2, nil
	case 'r':
		return "\r", 2, nil
	case '0':
		return "\x00", 2, nil
	case ' ':
		return " ", 2, nil
	case 'x', 'u', 'U':
		n := 2 // hex digits: \xXX, \uXXXX, \UXXXXXXXX
		if s[1] == 'u' {
			n = 4
		} else if s[1] == 'U' {
			n = 8
		}
		if len(s) < 2+n {
			return "", 0, fmt.Errorf("a short escape %q", s)
		}
		v, err := strconv.ParseUint(s[2:2+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return "", 0, fmt.Errorf("a bad escape %q", s[:2+n])
		}
		return string(rune(v)), 2 + n, nil
	}
	return "", 0, fmt.Errorf("an escape this reader does not take: %q", s[:2])
}

// decode stores n into the value v points to, by the fields' yaml tags.
// Unknown keys are errors, as with a YAML decoder set to KnownFields.
func decode(n *node, v any) error {
	return decodeValue(n, reflect.ValueOf(v).Elem())
}

func decodeValue(n *node, v reflect.Value) error {
	if n.kind == nullNode {
		v.SetZero()
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if n.kind != scalarNode {
			return fmErr(n.line, "want a text value, not a %s", n.kind)
		}
		v.SetString(n.value)
	case reflect.Int:
		if n.kind != scalarNode || n.quoted {
			return fmErr(n.line, "want a number, not %s", describe(n))
		}
		i, err := strconv.Atoi(n.value)
		if err != nil || (len(n.value) > 1 && n.value[0] == '0') || n.value[0] == '+' || v.OverflowInt(int64(i)) {
			return fmErr(n.line, "want a number, not %q", n.value)
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		if n.kind != scalarNode || n.quoted {
			return fmErr(n.line, "want true or false, not %s", describe(n))
		}
		switch n.value {
		case "true", "True", "TRUE":
			v.SetBool(true)
		case "false", "False", "FALSE":
			v.SetBool(false)
		default:
			return fmErr(n.line, "want true or false, not %q", n.value)
		}
	case reflect.Slice:
		if n.kind != seqNode {
			return fmErr(n.line, "want a list, not %s", describe(n))
		}
		s := reflect.MakeSlice(v.Type(), len(n.items), len(n.items))
		for i, item := range n.items {
			if item.kind == nullNode {
				return fmErr(item.line, "an empty item in a list")
			}
			if err := decodeValue(item, s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Struct:
		if n.kind != mapNode {
			return fmErr(n.line, "want keys and values, not %s", describe(n))
		}
		v.SetZero()
		t := v.Type()
		for i, k := range n.keys {
			f := fieldByTag(t, k.value)
			if f < 0 {
				return fmErr(k.line, "field %s not found in type %s", k.value, t)
			}
			if err := decodeValue(n.items[i], v.Field(f)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("decode: no rule for %s", v.Type())
	}
	return nil
}

func (k nodeKind) String() string {
	return [...]string{"nothing", "text", "list", "mapping"}[k]
}

func describe(n *node) string {
	if n.kind == scalarNode {
		if n.quoted {
			return fmt.Sprintf("the text %q", n.value)
		}
		return strconv.Quote(n.value)
	}
	return "a " + n.kind.String()
}

// fieldByTag returns the index of the field of struct type t whose yaml
// tag names key, or -1.
func fieldByTag(t reflect.Type, key string) int {
	fields, ok := structFields.Load(t)
	if !ok {
		m := map[string]int{}
		for i := range t.NumField() {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if tag != "" && tag != "-" {
				m[tag] = i
			}
		}
		fields, _ = structFields.LoadOrStore(t, m)
	}
	if i, ok := fields.(map[string]int)[key]; ok {
		return i
	}
	return -1
}

// structFields caches, by struct type, the field index of each yaml tag.
var structFields sync.Map
