package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/annotate"
)

// progressMinSize is the size from which a file read on behalf of a
// terminal shows its progress on stderr.
const progressMinSize = 64 << 20

var annotateHelp = fmt.Sprintf(`Usage: httpstatus annotate [--json] [FILE...]

Counts the requests per status code in access logs and explains each
code from the guide, grouped by class. FILE "-", or no FILE, reads
standard input. Several files are counted together.

Each line is one of:
  the combined or common log format of nginx and Apache:
    host ident user [time] "request" status bytes ...
  a JSON object with a "status" (or "code") field, a number or a string.
A line that is none of these, or longer than %d KiB, is counted as
unreadable and skipped; blank lines are ignored.

Flagged as unusual: vendor codes that no registry holds (nginx's 444 and
499, Cloudflare's 52x ...), codes registered as unused or obsoleted,
numbers with no meaning, numbers above 599, and a 5xx class of more than
%g%% of the requests.

On a terminal, a file of %d MiB or more shows its progress on stderr.

Flags:
`, annotate.MaxLine>>10, annotate.ServerErrorShare*100, progressMinSize>>20)

// annotateInput is a log to read: a name for messages and the reader.
type annotateInput struct {
	name string
	r    io.Reader
	size int64 // of a regular file, else 0
}

func runAnnotate(_ context.Context, args []string, e env) error {
	fs := newFlagSet("annotate", "[--json] [FILE...]", e)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), annotateHelp)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	args, err := parseFlags(fs, args, e)
	if err != nil {
		return err
	}
	inputs, closeAll, err := openInputs(args, e.stdin)
	if err != nil {
		return err
	}
	defer closeAll()
	var c annotate.Counts
	progress := isTerminal(e.stderr)
	for _, in := range inputs {
		var p *progressReader
		r := in.r
		if progress && in.size >= progressMinSize {
			p = &progressReader{r: r, name: in.name, size: in.size, w: e.stderr}
			r = p
		}
		err := c.Count(in.name, r)
		if p != nil {
			p.clear()
		}
		if err != nil {
			return fmt.Errorf("annotate: read %s: %w", in.name, err)
		}
	}
	cat, err := loadCatalog("")
	if err != nil {
		return err
	}
	rep := annotate.Summarize(&c, cat)
	if *asJSON {
		out, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(append(out, '\n'))
		return err
	}
	_, err = io.WriteString(e.stdout, annotateText(rep))
	return err
}

// openInputs opens every named log before any is read, so that a missing
// file fails at once; "-" or no name at all is stdin.
func openInputs(names []string, stdin io.Reader) ([]annotateInput, func(), error) {
	if len(names) == 0 {
		names = []string{"-"}
	}
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	var inputs []annotateInput
	for _, name := range names {
		if name == "-" {
			inputs = append(inputs, annotateInput{name: "stdin", r: stdin})
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("annotate: %w", err)
		}
		files = append(files, f)
		in := annotateInput{name: name, r: f}
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			in.size = fi.Size()
		}
		inputs = append(inputs, in)
	}
	return inputs, closeAll, nil
}

// annotateText writes the report for people: a line for the totals, then
// each class with its codes, their meaning on a second line, and a "!"
// before each flag.
func annotateText(rep annotate.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s requests; %s", thousands(rep.Requests), plural(rep.Unreadable, "line", "lines"))
	b.WriteString(" could not be read")
	if len(rep.FirstUnreadable) > 0 {
		var at []string
		for _, l := range rep.FirstUnreadable {
			at = append(at, l.String())
		}
		fmt.Fprintf(&b, " (first: %s)", strings.Join(at, ", "))
	}
	b.WriteString("\n")
	nameWidth, countWidth := 0, 0
	for _, cl := range rep.Classes {
		for _, k := range cl.Codes {
			nameWidth = max(nameWidth, len(codeLabel(k)))
			countWidth = max(countWidth, len(thousands(k.Count)))
		}
	}
	for _, cl := range rep.Classes {
		fmt.Fprintf(&b, "\n%s %s: %s (%s)\n", cl.Class, cl.Title, thousands(cl.Count), percent(cl.Share))
		for _, f := range cl.Flags {
			fmt.Fprintf(&b, "  ! %s\n", f.Note)
		}
		for _, k := range cl.Codes {
			fmt.Fprintf(&b, "  %d %-*s  %*s %7s", k.Code, nameWidth, codeLabel(k), countWidth, thousands(k.Count), percent(k.Share))
			for _, f := range k.Flags {
				fmt.Fprintf(&b, "  ! %s: %s", f.Kind, f.Note)
			}
			b.WriteString("\n      " + k.Summary)
			if k.Meanings > 1 {
				fmt.Fprintf(&b, " (%d meanings: httpstatus %d)", k.Meanings, k.Code)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// codeLabel is a code's name as a list shows it: with its vendor, if any.
func codeLabel(k annotate.Code) string {
	switch {
	case k.Name == "":
		return "(" + k.Status + ")"
	case k.Vendor != "":
		return k.Name + " (" + k.Vendor + ")"
	}
	return k.Name
}

// plural writes n and the word for n of a thing.
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

func percent(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// thousands writes n with a comma between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// progressReader writes how much of a file has been read to a terminal,
// at most every progressEvery.
type progressReader struct {
	r    io.Reader
	name string
	size int64
	w    io.Writer
	done int64
	last time.Time
}

const progressEvery = 100 * time.Millisecond

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if now := time.Now(); now.Sub(p.last) >= progressEvery {
		p.last = now
		fmt.Fprintf(p.w, "\rannotate: %s: %s of %s (%.0f%%)\033[K", p.name, formatBytes(p.done), formatBytes(p.size), 100*float64(p.done)/float64(p.size))
	}
	return n, err
}

// clear erases the progress line.
func (p *progressReader) clear() { fmt.Fprint(p.w, "\r\033[K") }
