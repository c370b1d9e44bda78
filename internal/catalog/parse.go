package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A document is one front matter block and the Markdown body after it.
type document struct {
	front []byte
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
func splitDocuments(data []byte) ([]document, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || lines[0] != "---" {
		return nil, errors.New("line 1: want \"---\" to open the front matter")
	}
	var docs []document
	i := 0
	for i < len(lines) {
		if lines[i] != "---" {
			return nil, fmt.Errorf("line %d: want \"---\"", i+1)
		}
		open := i
		j := i + 1
		for j < len(lines) && lines[j] != "---" {
			j++
		}
		if j == len(lines) {
			return nil, fmt.Errorf("line %d: front matter is not closed by \"---\"", open+1)
		}
		front := strings.Join(lines[open+1:j], "\n")
		k := j + 1
		for k < len(lines) && lines[k] != "---" {
			k++
		}
		body := strings.TrimSpace(strings.Join(lines[j+1:k], "\n"))
		docs = append(docs, document{front: []byte(front), body: body, line: open + 1})
		i = k
	}
	return docs, nil
}

// decodeStrict decodes YAML into v, rejecting unknown fields.
func decodeStrict(front []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("front matter is empty")
		}
		return cleanYAMLError(err)
	}
	return nil
}

// cleanYAMLError drops the library's prefix so messages read
// "line 3: field nmae not found in type catalog.Entry".
func cleanYAMLError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return errors.New(msg)
}

// parseCode parses a code file (NNN.md) into a Code with one Entry per
// document.
func parseCode(name string, data []byte) (*Code, error) {
	docs, err := splitDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	k := &Code{}
	var errs []error
	for i, d := range docs {
		var e Entry
		if err := decodeStrict(d.front, &e); err != nil {
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
func parseClass(name string, data []byte) (*Class, error) {
	docs, err := splitDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("%s: a class file holds one front matter block, found %d", name, len(docs))
	}
	var k Class
	if err := decodeStrict(docs[0].front, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	k.Body = docs[0].body
	k.File = name
	return &k, nil
}
