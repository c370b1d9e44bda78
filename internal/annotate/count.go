package annotate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line Count reads, in bytes; a longer line is
// counted as unreadable and skipped. It bounds the memory a log can make
// Count use.
const MaxLine = 64 << 10

// maxExamples is how many unreadable lines Counts remembers by place.
const maxExamples = 5

// Counts is the number of requests per status code in one or more logs.
// The zero value is ready to use. It is not safe for concurrent use.
type Counts struct {
	byCode     [1000]int64 // indexed by status code, 100 to 999
	requests   int64
	unreadable int64
	examples   []Location
}

// Location is a line of a log: its name and line number (from 1).
type Location struct {
	Name string `json:"name"`
	Line int64  `json:"line"`
}

func (l Location) String() string { return fmt.Sprintf("%s:%d", l.Name, l.Line) }

// Requests is the number of lines with a status.
func (c *Counts) Requests() int64 { return c.requests }

// Unreadable is the number of non-blank lines without a status that
// ParseLine could read, too long lines included.
func (c *Counts) Unreadable() int64 { return c.unreadable }

// Code is the number of requests with the given status.
func (c *Counts) Code(code int) int64 {
	if code < 0 || code >= len(c.byCode) {
		return 0
	}
	return c.byCode[code]
}

// Count reads the log r, named name in the places of unreadable lines,
// line by line and adds its statuses to c. Blank lines are skipped and a
// line ParseLine cannot read is counted as unreadable; the only errors are
// r's.
func (c *Counts) Count(name string, r io.Reader) error {
	br := bufio.NewReaderSize(r, MaxLine)
	var n int64
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 || err == nil {
			n++
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			c.unread(name, n)
			if err := skipLine(br); err != nil {
				return err
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		c.add(name, n, line)
		if err != nil {
			return nil
		}
	}
}

// add counts one line, with or without its line ending.
func (c *Counts) add(name string, n int64, line []byte) {
	line = bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	code, ok := ParseLine(line)
	if !ok {
		c.unread(name, n)
		return
	}
	c.byCode[code]++
	c.requests++
}

func (c *Counts) unread(name string, n int64) {
	c.unreadable++
	if len(c.examples) < maxExamples {
		c.examples = append(c.examples, Location{Name: name, Line: n})
	}
}

// skipLine reads up to the end of the line, or of the input.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return nil
		default:
			return err
		}
	}
}
