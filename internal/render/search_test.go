package render_test

import (
	"encoding/json"
	"html"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

// TestSearchUnassigned checks that a number from 100 to 599 with no
// meaning finds its own page, first, in every form of Search, and that
// nothing else does.
func TestSearchUnassigned(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	tests := []struct {
		query          string
		wantFirst      string // the URL of the first result; "" for none
		wantUnassigned bool   // the first result is the page of an unassigned number
	}{
		{"299", "/299", true},
		{" 299 ", "/299", true},
		{"350", "/350", true},
		{"100", "/100", false}, // assigned: its meaning
		{"503", "/503", false},
		{"600", "", false}, // beyond 599 not every number has a page
		{"099", "", false},
		{"29x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			b, err := r.Search(tt.query, render.JSON)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Results []struct {
					Code   int    `json:"code"`
					Name   string `json:"name"`
					Status string `json:"status"`
					URL    string `json:"url"`
				} `json:"results"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Search(%q, JSON): %v", tt.query, err)
			}
			unassigned := 0
			for _, res := range got.Results {
				if res.Status == "unassigned" {
					unassigned++
				}
			}
			if tt.wantFirst == "" {
				if len(got.Results) != 0 {
					t.Errorf("Search(%q, JSON) = %+v, want no results", tt.query, got.Results)
				}
				return
			}
			if len(got.Results) == 0 || got.Results[0].URL != tt.wantFirst {
				t.Fatalf("Search(%q, JSON) = %+v, want %s first", tt.query, got.Results, tt.wantFirst)
			}
			want := 0
			if tt.wantUnassigned {
				want = 1
				if r0 := got.Results[0]; r0.Status != "unassigned" || r0.Name != "Unassigned" {
					t.Errorf("Search(%q, JSON)[0] = %+v, want the unassigned page", tt.query, r0)
				}
			}
			if unassigned != want {
				t.Errorf("Search(%q, JSON): %d unassigned results in %+v, want %d", tt.query, unassigned, got.Results, want)
			}

			txt, err := r.Search(tt.query, render.Text)
			if err != nil {
				t.Fatal(err)
			}
			code := strings.TrimPrefix(tt.wantFirst, "/")
			if lines := strings.Split(string(txt), "\n"); len(lines) < 4 || !strings.HasPrefix(lines[3], code+" ") {
				t.Errorf("Search(%q, Text) does not list %s first:\n%s", tt.query, code, txt)
			}
			page, err := r.Search(tt.query, render.HTML)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), `<ol class="results">`+"\n"+`<li class="c`+code[:1]+`xx"><a href="`+html.EscapeString(tt.wantFirst)+`">`) {
				t.Errorf("Search(%q, HTML) does not link %s first", tt.query, tt.wantFirst)
			}
		})
	}
}

// TestTerminalColour checks that the terminal forms of search and list
// colour each code line in its class's colour only when asked, and that
// without colour they are the text form, byte for byte.
func TestTerminalColour(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	search, err := r.Search("gateway timeout", render.Text)
	if err != nil {
		t.Fatal(err)
	}
	list, err := r.List("4xx", render.Text)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		plain     []byte
		text      []byte // the Text format of the same query
		coloured  []byte
		wantColor string // the class colour around a code line
	}{
		{"search", r.SearchTerminal("gateway timeout", false), search, r.SearchTerminal("gateway timeout", true), "\x1b[1;31m504 Gateway Timeout\x1b[0m"},
		{"list", r.ListTerminal("4xx", false), list, r.ListTerminal("4xx", true), "\x1b[1;33m404 Not Found\x1b[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(string(tt.plain), "\x1b[") {
				t.Errorf("%s without colour contains an ANSI sequence:\n%q", tt.name, tt.plain)
			}
			if string(tt.plain) != string(tt.text) {
				t.Errorf("%s without colour differs from the text form:\n%s\nwant\n%s", tt.name, tt.plain, tt.text)
			}
			if !strings.Contains(string(tt.coloured), tt.wantColor) {
				t.Errorf("%s with colour does not contain %q:\n%q", tt.name, tt.wantColor, tt.coloured)
			}
			// Colour changes nothing but the colour: the same lines, wrapped
			// at the same places.
			if got := stripANSI(string(tt.coloured)); got != string(tt.plain) {
				t.Errorf("%s with colour, less the colour, differs from the plain form:\n%s\nwant\n%s", tt.name, got, tt.plain)
			}
		})
	}
}

// stripANSI removes the colour sequences ESC [ ... m.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := strings.IndexByte(s[i:], 'm')
			if j < 0 {
				break
			}
			i += j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestSearchGuideFirst checks that a query that asks to choose between
// codes leads every form of Search with the guide.
func TestSearchGuideFirst(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	const q, url = "401 vs 403", "/guides/401-vs-403-vs-404-vs-407-vs-511"
	b, err := r.Search(q, render.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Results []struct {
			Code   int    `json:"code"`
			Guide  string `json:"guide"`
			Status string `json:"status"`
			URL    string `json:"url"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results) < 3 || got.Results[0].URL != url || got.Results[0].Status != "guide" || got.Results[0].Code != 0 || got.Results[0].Guide != "401-vs-403-vs-404-vs-407-vs-511" {
		t.Fatalf("Search(%q, JSON) = %+v, want the guide %s first", q, got.Results, url)
	}
	h, _ := r.Search(q, render.HTML)
	results := string(h)[strings.Index(string(h), `<ol class="results">`):]
	if first := results[:strings.Index(results, "</li>")]; !strings.Contains(first, `<a href="`+url+`"><span class="tag">Guide</span>`) {
		t.Errorf("Search(%q, HTML): first result %q, want the guide", q, first)
	}
	txt, _ := r.Search(q, render.Text)
	lines := strings.Split(string(txt), "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[3], "Guide: 401 vs 403") {
		t.Errorf("Search(%q, Text) = %q, want the guide first", q, txt)
	}
}
