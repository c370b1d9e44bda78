package catalog

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/httpstatus/httpstatus/content"
)

// yamlDecode decodes front matter with the YAML library, strictly: the
// reference that the front matter reader must agree with.
func yamlDecode(front string, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(front))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return errors.New("empty")
	}
	return err
}

// contentFronts returns the front matter of every document of every
// content file, by file.
func contentFronts(t testing.TB) map[string][]string {
	t.Helper()
	names, err := fs.Glob(content.FS(), "*.md")
	if err != nil || len(names) < 100 {
		t.Fatalf("content files: %v, %v", names, err)
	}
	out := map[string][]string{}
	for _, name := range names {
		data, err := fs.ReadFile(content.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := splitDocuments(string(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			out[name] = append(out[name], d.front)
		}
	}
	return out
}

// TestFrontMatterMatchesYAML decodes every document of every content file
// with the front matter reader and with the YAML library: the values must
// be the same.
func TestFrontMatterMatchesYAML(t *testing.T) {
	t.Parallel()
	docs := 0
	for name, fronts := range contentFronts(t) {
		for i, front := range fronts {
			docs++
			var got, want any = &Entry{}, &Entry{}
			if _, ok := ParseClass(strings.TrimSuffix(name, ".md")); ok {
				got, want = &Class{}, &Class{}
			}
			if err := yamlDecode(front, want); err != nil {
				t.Fatalf("%s, meaning %d: YAML: %v", name, i+1, err)
			}
			if err := decodeFrontMatter(front, got); err != nil {
				t.Errorf("%s, meaning %d: %v", name, i+1, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, meaning %d:\n got %+v\nwant %+v", name, i+1, got, want)
			}
		}
	}
	if docs < 100 {
		t.Errorf("checked %d documents, want every content file's", docs)
	}
}

// TestFrontMatterForms covers each form the reader takes, against the
// YAML library, and each it refuses, with the line it names.
func TestFrontMatterForms(t *testing.T) {
	t.Parallel()
	good := []string{
		"code: 503\nname: Service Unavailable",
		"name: 'it''s'\nsummary: \"a \\\"b\\\" \\u00e9\\n\"",
		"name: x # a comment\n# a line of comment\n\ncode: 1",
		"related: [500, 502]\nkeywords: [a, b c, \"d, e\", 'f']\naliases: []",
		"spec: {title: RFC 9110 §15.6.4, url: \"https://example.com/#x\"}",
		"spec:\n  title: T\n  url: https://example.com/a#b\nsources:\n  - title: A\n    url: U\n  -   title: B\n      url: V",
		"sources:\n- title: A\n  url: U\nretry: r",
		"headers: [{name: A, note: n}, {name: B, value: \"5\", note: m}]",
		"example: |\n  HTTP/1.1 503 Service Unavailable\n  Retry-After: 5\n\n    indented\n  last\n\n\ncode: 503",
		"example: |-\n  a\n  b\ncode: 5",
		"example: |\n  a",
		"example: |\ncode: 5",
		"cacheable: true\nretry: ~\nvendor: null\nsummary:",
		"keywords:\n  - a\n  - \"b\"",
	}
	for _, src := range good {
		var got, want Entry
		if err := yamlDecode(src, &want); err != nil {
			t.Fatalf("YAML refuses %q: %v", src, err)
		}
		if err := decodeFrontMatter(src, &got); err != nil {
			t.Errorf("decodeFrontMatter(%q): %v", src, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decodeFrontMatter(%q):\n got %+v\nwant %+v", src, got, want)
		}
	}
	refused := []struct{ src, want string }{
		{"code: 503\nnmae: x", "line 2: field nmae not found in type catalog.Entry"},
		{"code: 503\ncode: 504", `line 2: mapping key "code" already defined at line 1`},
		{"code: abc", `line 1: want a number, not "abc"`},
		{"code: \"503\"", `line 1: want a number, not the text "503"`},
		{"code: 0503", `want a number, not "0503"`},
		{"cacheable: yes", `line 1: want true or false, not "yes"`},
		{"name: [a]", "line 1: want a text value, not a list"},
		{"related: 5", `line 1: want a list, not "5"`},
		{"spec: x", `line 1: want keys and values, not "x"`},
		{"summary: a: b", "line 1: mapping values are not allowed"},
		{"summary: >\n  folded", "line 1: folded blocks"},
		{"summary: &a x", "line 1: a plain value cannot start with '&'"},
		{"summary: !!str x", "a plain value cannot start with '!'"},
		{"summary: a\n  continued", "line 2: a value goes on over lines"},
		{"summary: \"a\n  b\"", "line 1: a quoted value is not closed on its line"},
		{"related: [1,\n  2]", "line 1: a flow collection is not closed on its line"},
		{"related: [1, 2] x", `line 1: unexpected "x" after a flow collection`},
		{"keywords: [a: b]", "line 1: a mapping inside [...] must be in braces"},
		{"example: |+\n  a", "line 1: want | or |-"},
		{"code: 5\n  name: x", "line 2: a value goes on over lines"},
		{"\tcode: 5", "line 1: a tab in indentation"},
		{"  code: 5", "line 1: the first key is indented"},
		{"summary: \"\\q\"", "an escape this reader does not take"},
		{"spec: {title: a, title: b}", `line 1: mapping key "title" already defined`},
		{"sources:\n  - title: a\n   url: b", "line 3: unexpected indentation"},
		{"- a", "line 1: want keys and values, not a list"},
		{"just text", "line 1: want \"key: value\""},
		{"keywords:\n  - a\n  - c: d", "line 3: want a text value, not a mapping"},
	}
	for _, tt := range refused {
		var e Entry
		err := decodeFrontMatter(tt.src, &e)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("decodeFrontMatter(%q) = %v, want an error containing %q", tt.src, err, tt.want)
		}
	}
}

// FuzzFrontMatter checks the reader against the YAML library on random
// input: it never panics, and whatever it accepts, the library accepts
// too, with the same values.
func FuzzFrontMatter(f *testing.F) {
	for _, fronts := range contentFronts(f) {
		for _, front := range fronts {
			f.Add(front)
		}
	}
	for _, s := range []string{"a: [b, {c: d}]", "a: |\n  x\n\n y", "a:\n- b\n-\n  - c", "a: 'b''c'", "x: \"\\u00e9\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, pair := range [][2]any{{&Entry{}, &Entry{}}, {&Class{}, &Class{}}} {
			got, want := pair[0], pair[1]
			if err := decodeFrontMatter(src, got); err != nil {
				if !strings.HasPrefix(err.Error(), "line ") && err.Error() != "front matter is empty" {
					t.Errorf("error %q does not name a line", err)
				}
				continue
			}
			if err := yamlDecode(src, want); err != nil {
				t.Fatalf("the reader accepts %q, the YAML library refuses it: %v", src, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q:\n got %+v\nwant %+v", src, got, want)
			}
		}
	})
}

// BenchmarkFrontMatter compares the reader with the YAML library on the
// front matter of every content file.
func BenchmarkFrontMatter(b *testing.B) {
	var fronts []string
	for name, fs := range contentFronts(b) {
		if _, ok := ParseClass(strings.TrimSuffix(name, ".md")); !ok {
			fronts = append(fronts, fs...)
		}
	}
	b.Run("reader", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range fronts {
				if err := decodeFrontMatter(s, &Entry{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("yaml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range fronts {
				dec := yaml.NewDecoder(bytes.NewReader([]byte(s)))
				dec.KnownFields(true)
				if err := dec.Decode(&Entry{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
