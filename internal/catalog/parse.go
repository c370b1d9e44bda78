package catalog

import (
	"errors"
	"fmt"
	"strings"
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
//	front matter (YAML, as frontmatter.go reads it)
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

// decodeFrontMatter decodes front matter into v, rejecting unknown fields.
func decodeFrontMatter(front string, v any) error {
	n, err := parseFrontMatter(front)
	if err != nil {
		return err
	}
	if n == nil {
		return errors.New("front matter is empty")
	}
	return decode(n, v)
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
	for i, d := range docs {
		var e Entry
		if err := decodeFrontMatter(d.front, &e); err != nil {
			errs = append(errs, fmt.Errorf("%s: meaning %d (line %d): %w", name, i+1, d.line, err))
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
	if err := decodeFrontMatter(docs[0].front, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	k.Body = docs[0].body
	k.File = name
	return &k, nil
}
