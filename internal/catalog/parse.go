package catalog

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A document is one front matter block and the Markdown body after it.
type document struct {
	front string
	body  string
	line  int // line of the opening "---"
}

// splitDocuments splits a content file into its documents. A file is one or
// more blocks of the form
//
//	---
//	front matter (YAML)
//	---
//	Markdown body
//
// so a line holding only "---" always opens or closes front matter; bodies
// use "***" for a thematic break.
func splitDocuments(text string) ([]document, error) {
	if strings.Contains(text, "\r\n") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	// Each "---" line, by its line number and the offsets of its start
	// and of the next line's start.
	type fence struct{ line, start, next int }
	var fences []fence
	start := 0
	for n := 1; ; n++ {
		end := strings.IndexByte(text[start:], '\n')
		next := start + end + 1
		if end < 0 {
			end, next = len(text)-start, len(text)
		}
		if text[start:start+end] == "---" {
			fences = append(fences, fence{n, start, next})
		} else if n == 1 {
			return nil, errors.New("line 1: want \"---\" to open the front matter")
		}
		if next >= len(text) {
			break
		}
		start = next
	}
	var docs []document
	for i := 0; i < len(fences); i += 2 {
		open := fences[i]
		if i+1 == len(fences) {
			return nil, fmt.Errorf("line %d: front matter is not closed by \"---\"", open.line)
		}
		closing := fences[i+1]
		bodyEnd := len(text)
		if i+2 < len(fences) {
			bodyEnd = fences[i+2].start
		}
		front := strings.TrimSuffix(text[open.next:closing.start], "\n")
		body := strings.TrimSpace(text[closing.next:bodyEnd])
		docs = append(docs, document{front: front, body: body, line: open.line})
	}
	return docs, nil
}

// decodeFrontMatter decodes the front matter of a document into v with
// the YAML library, rejecting unknown fields and anything after the YAML
// document. Each error names the line of the content file it is on.
func decodeFrontMatter(d document, v any) []error {
	// Blank lines up to the opening "---" make the YAML library's line
	// numbers those of the file.
	dec := yaml.NewDecoder(strings.NewReader(strings.Repeat("\n", d.line) + d.front))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return []error{fmt.Errorf("line %d: front matter is empty", d.line)}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = errors.New(msg) // "line 9: field nmae not found in type catalog.Entry"
		}
		return errs
	}
	if err == nil {
		if err = dec.Decode(&yaml.Node{}); errors.Is(err, io.EOF) {
			return nil
		}
		if err == nil {
			err = errors.New("more than one YAML document")
		}
	}
	return []error{fmt.Errorf("line %d: %s", syntaxLine(d), yamlProblem(err))}
}

// syntaxLine returns the line of the file at which a document's front
// matter stops being one YAML document: the line after the longest run of
// its first lines that still is one. The YAML library's own line is where
// the construct it was reading began, which can be lines before the
// mistake.
func syntaxLine(d document) int {
	lines := strings.SplitAfter(d.front, "\n")
	for k := len(lines) - 1; k > 0; k-- {
		if oneDocument(strings.Join(lines[:k], "")) {
			return d.line + k + 1
		}
	}
	return d.line + 1
}

// oneDocument reports whether src is YAML of at most one document.
func oneDocument(src string) bool {
	dec := yaml.NewDecoder(strings.NewReader(src))
	for i := 0; ; i++ {
		err := dec.Decode(&yaml.Node{})
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil || i > 0 {
			return false
		}
	}
}

// yamlProblem is the YAML library's error without its "yaml: line N: "
// prefix, which syntaxLine replaces.
func yamlProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			return after
		}
	}
	return msg
}

// parseCode parses a code file (NNN.md) into a Code with one Entry per
// document.
func parseCode(name, text string) (*Code, error) {
	docs, err := splitDocuments(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	k := &Code{}
	var errs []error
	for _, d := range docs {
		var e Entry
		if derrs := decodeFrontMatter(d, &e); derrs != nil {
			for _, err := range derrs {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			continue
		}
		e.Body = d.body
		e.File = name
		k.Entries = append(k.Entries, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	k.Code = k.Entries[0].Code
	return k, nil
}

// parseClass parses a class file (Nxx.md): one document.
func parseClass(name, text string) (*Class, error) {
	docs, err := splitDocuments(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("%s: a class file holds one front matter block, found %d", name, len(docs))
	}
	var k Class
	if derrs := decodeFrontMatter(docs[0], &k); derrs != nil {
		errs := make([]error, len(derrs))
		for i, err := range derrs {
			errs[i] = fmt.Errorf("%s: %w", name, err)
		}
		return nil, errors.Join(errs...)
	}
	k.Body = docs[0].body
	k.File = name
	return &k, nil
}
