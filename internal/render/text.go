package render

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// textWriter builds the text form: wrapped at Width, with ANSI colour only
// when color is set (the CLI on a terminal).
type textWriter struct {
	buf   bytes.Buffer
	color bool
	class string // "5xx": picks the colour of the title
}

func (w *textWriter) style(code, s string) string {
	if !w.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// classColour is the ANSI colour of each class, as on the web site.
func classColour(class string) string {
	switch class {
	case "1xx":
		return "1;36"
	case "2xx":
		return "1;32"
	case "3xx":
		return "1;34"
	case "4xx":
		return "1;33"
	case "5xx":
		return "1;31"
	}
	return "1"
}

func (w *textWriter) line(s string) {
	w.buf.WriteString(strings.TrimRight(s, " "))
	w.buf.WriteByte('\n')
}

// endLine ends the line that starts at start in the text, without its
// trailing spaces, as line does.
func (w *textWriter) endLine(start int) {
	b := w.buf.Bytes()
	end := len(b)
	for end > start && b[end-1] == ' ' {
		end--
	}
	w.buf.Truncate(end)
	w.buf.WriteByte('\n')
}

// blank writes an empty line unless the text already ends with one.
func (w *textWriter) blank() {
	if b := w.buf.Bytes(); len(b) > 0 && !bytes.HasSuffix(b, []byte("\n\n")) {
		w.buf.WriteByte('\n')
	}
}

func (w *textWriter) title(s string) {
	w.line(w.style(classColour(w.class), s))
	w.line(strings.Repeat("=", utf8.RuneCountInString(s)))
	w.blank()
}

// heading writes s in capitals, wrapped at Width like a paragraph: a
// meaning's heading names the meaning and its vendor, which can be long.
func (w *textWriter) heading(s string) {
	w.blank()
	words := strings.Fields(strings.ToUpper(s))
	for i, word := range words {
		words[i] = w.style("1", word)
	}
	w.wrap("", "", strings.Join(words, " "))
	w.blank()
}

// para writes s wrapped at Width, the first line prefixed by first and the
// others by rest, then a blank line.
func (w *textWriter) para(first, rest, s string) {
	w.wrap(first, rest, s)
	w.blank()
}

// wrap writes the words of s into the text a line at a time, each line
// no wider than Width unless one word is.
func (w *textWriter) wrap(first, rest, s string) {
	start := w.buf.Len()
	w.buf.WriteString(first)
	n := visibleLen(first)
	empty := true
	for word := range strings.FieldsSeq(s) {
		wl := visibleLen(word)
		if !empty && n+1+wl > Width {
			w.endLine(start)
			start = w.buf.Len()
			w.buf.WriteString(rest)
			n, empty = visibleLen(rest), true
		}
		if !empty {
			w.buf.WriteByte(' ')
			n++
		}
		w.buf.WriteString(word)
		n += wl
		empty = false
	}
	w.endLine(start)
}

// visibleLen is the width of s on a terminal: its runes, less the ANSI
// colour sequences that style adds.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && s[j] != 'm' {
				j++
			}
			i = j + 1
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// field writes "Label: value" with the value wrapped under itself.
func (w *textWriter) field(label, value string) {
	if value == "" {
		return
	}
	w.wrap(w.style("1", label+":")+" ", strings.Repeat(" ", utf8.RuneCountInString(label)+2), value)
}

func (w *textWriter) bytes() []byte {
	return bytes.TrimRight(w.buf.Bytes(), "\n")
}

func done(w *textWriter) []byte { return append(w.bytes(), '\n') }

// credit writes the content's licence and attribution, which every text
// form of content ends with.
func (w *textWriter) credit() {
	w.blank()
	w.para("", "", "Content: "+catalog.Attribution()+" Licence: "+catalog.License.Title+" <"+catalog.License.URL+">.")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// CodeTerminal renders the text form of a code for a terminal, with ANSI
// colour when color is set. It renders only that code.
func (r *Renderer) CodeTerminal(code int, color bool) ([]byte, error) {
	p, err := r.codeData(code)
	if err != nil {
		return nil, err
	}
	return r.codeTextColor(p, color), nil
}

func (r *Renderer) codeText(p *codePage) []byte { return r.codeTextColor(p, false) }

func (r *Renderer) codeTextColor(p *codePage, color bool) []byte {
	w := &textWriter{color: color, class: p.ClassName}
	if len(p.Entries) == 0 {
		w.title(fmt.Sprintf("%d (unassigned)", p.Code))
		w.para("", "", fmt.Sprintf("No meaning is assigned to %d: it is not in the IANA registry and no vendor is known to use it.", p.Code))
		w.para("", "", fmt.Sprintf("RFC 9110 §15 says a client that receives a status code it does not recognise must treat it as the x00 code of its class, here %d %s, except that a cache must not store the response.", p.TreatAs, p.TreatName))
		w.field("Class", p.ClassName+" "+p.ClassTitle)
		w.field("Treat as", fmt.Sprintf("%d %s (/%d)", p.TreatAs, p.TreatName, p.TreatAs))
		w.blank()
		w.para("", "", p.Notice)
		w.credit()
		return done(w)
	}
	title := fmt.Sprintf("%d %s", p.Code, p.Entries[0].Name)
	w.title(title)
	for i, v := range p.Entries {
		e := v.Entry
		if len(p.Entries) > 1 {
			w.heading(fmt.Sprintf("Meaning %d of %d: %s (%s)", i+1, len(p.Entries), e.Name, v.Label))
		}
		w.para("", "", e.Summary)
		if p.Class != "" {
			w.field("Class", p.ClassName+" "+p.ClassTitle)
		} else {
			w.field("Class", "none, "+p.ClassTitle)
		}
		w.field("Status", v.Label)
		w.field("Defined by", e.Spec.Title+" <"+e.Spec.URL+">")
		if len(e.Aliases) > 0 {
			w.field("Also known as", strings.Join(e.Aliases, ", "))
		}
		w.field("Cacheable by default", yesNo(e.Cacheable)+" ("+v.CacheRule.Title+")")
		w.field("Retry", e.Retry)
		w.blank()
		r.markdownText(w, e.Body)
		if len(e.Headers) > 0 {
			w.heading("Headers")
			for _, h := range e.Headers {
				w.para("- ", "  ", h.Name+": "+h.Note)
			}
		}
		if e.Example != "" {
			w.heading("Example response")
			for _, l := range strings.Split(strings.TrimRight(e.Example, "\n"), "\n") {
				w.line("    " + l)
			}
			w.blank()
		}
		if len(v.Constants) > 0 {
			w.heading("Constants")
			for _, l := range v.Constants {
				for _, c := range l.Rows {
					s := l.Library.Name + ": " + c.Name
					if c.Note != string(catalog.StateCurrent) {
						s += " (" + c.Note + ")"
					}
					w.para("- ", "  ", s)
				}
			}
			w.para("", "", constantsNote(constantSources(v.Constants)))
		}
		if len(v.Related) > 0 {
			w.heading("Related")
			for _, l := range v.Related {
				w.para("- ", "  ", fmt.Sprintf("%d %s", l.Code, l.Name))
			}
		}
		if len(e.Sources) > 0 {
			w.heading("Sources")
			for _, s := range e.Sources {
				w.para("- ", "  ", s.Title+" <"+s.URL+">")
			}
		}
	}
	codeClientsText(w, p.Clients)
	r.codeGuidesText(w, p)
	w.blank()
	w.para("", "", p.Notice)
	w.credit()
	return done(w)
}

func classText(p *classPage) []byte {
	k := p.Info
	w := &textWriter{class: k.Name}
	w.title(p.Title)
	w.para("", "", k.Lead)
	w.para("", "", p.Notice)
	w.heading("What " + k.Name + " means")
	w.para("", "", k.Means)
	w.heading("Where " + k.Name + " responses appear")
	for _, s := range k.Appears {
		w.wrap("- ", "  ", s)
	}
	w.heading("Implementation notes")
	for _, s := range k.Notes {
		w.wrap("- ", "  ", s)
	}
	w.heading("All " + k.Name + " status codes")
	for _, l := range p.Rows {
		name := l.Name
		if l.Also && l.Vendor != "" {
			name += " (" + l.Vendor + ")"
		}
		w.line(fmt.Sprintf("%d  %s", l.Code, name))
		w.para("     ", "     ", l.Summary)
	}
	w.credit()
	return done(w)
}

func homeText(p *homePage) []byte {
	w := &textWriter{}
	w.title(p.Title)
	w.para("", "", p.Description)
	w.heading("Classes")
	for _, k := range p.Classes {
		w.wrap("", "     ", fmt.Sprintf("%s  %s: %s", k.Name, k.Title, k.Lead))
	}
	if len(p.Guides) > 0 {
		w.heading("Guides")
		for _, g := range p.Guides {
			w.wrap("", "     ", g.Title+"  "+g.URL)
		}
	}
	w.heading("All status codes")
	w.list(p.Rows)
	w.credit()
	return done(w)
}

// listLine is "503  Service Unavailable (vendor)", the code and name in the
// colour of the class when the writer has colour; a guide's is "Guide:
// its title".
func (w *textWriter) listLine(l codeLink) string {
	if l.Guide != "" {
		return w.style("1", "Guide: "+l.Name)
	}
	s := w.style(classColour(l.Class), strconv.Itoa(l.Code)+"  "+l.Name)
	if l.Vendor != "" {
		s += " (" + l.Vendor + ")"
	}
	return s
}

// list writes a listLine for each row, wrapped under itself.
func (w *textWriter) list(rows []codeLink) {
	for _, l := range rows {
		w.wrap("", "     ", w.listLine(l))
	}
}

func listText(rows []codeLink, color bool) []byte {
	w := &textWriter{color: color}
	w.list(rows)
	return done(w)
}

func searchText(p *searchPage, color bool) []byte {
	w := &textWriter{color: color}
	w.title(p.Title)
	if len(p.Results) == 0 {
		w.para("", "", "No status code matches "+strconv.Quote(p.Query)+".")
	}
	for _, l := range p.Results {
		w.wrap("", "     ", w.listLine(l))
		if l.Guide != "" {
			w.wrap("     ", "     ", l.URL)
		}
		w.para("     ", "     ", l.Summary)
	}
	return done(w)
}

func notFoundText(p *notFoundPage) []byte {
	w := &textWriter{}
	w.title("404 Not Found")
	where := "Status codes live at /100 to /599"
	if len(p.Beyond) > 0 {
		where += ", vendors' codes above 599 at " + catalog.JoinCodes("/", p.Beyond)
	}
	w.para("", "", "Nothing lives at "+p.Path+". "+where+"; classes at /1xx to /5xx.")
	if len(p.Suggestions) > 0 {
		w.heading("Did you mean")
		for _, l := range p.Suggestions {
			w.wrap("- ", "  ", w.listLine(l)+"  "+l.URL)
		}
	}
	return done(w)
}
