package render_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
)

// TestGuidesLinkedFromCodes checks that the page of every code a guide
// names links to the guide, in every format, and that a guide that shares
// its table shows it on those pages.
func TestGuidesLinkedFromCodes(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	for _, g := range r.Catalog().Guides() {
		for _, code := range g.Codes {
			h, err := r.Code(code, render.HTML)
			if err != nil {
				t.Fatalf("Code(%d): %v", code, err)
			}
			if !strings.Contains(string(h), `<a href="`+g.URL()+`">`) {
				t.Errorf("/%d does not link to %s, which names it", code, g.URL())
			}
			if g.TableOnCodes && !strings.Contains(string(h), "<h3>"+g.Title+"</h3>") {
				t.Errorf("/%d does not show the table of %s", code, g.URL())
			}
			txt, _ := r.Code(code, render.Text)
			if !strings.Contains(string(txt), "<"+g.URL()+">") {
				t.Errorf("/%d.txt does not name %s", code, g.URL())
			}
			js, _ := r.Code(code, render.JSON)
			var got struct {
				Guides []struct{ Name, URL string }
			}
			if err := json.Unmarshal(js, &got); err != nil {
				t.Fatalf("/%d.json: %v", code, err)
			}
			found := false
			for _, l := range got.Guides {
				found = found || (l.Name == g.Name && l.URL == g.URL())
			}
			if !found {
				t.Errorf("/%d.json guides = %+v, want %s among them", code, got.Guides, g.Name)
			}
		}
	}
	// A code no guide names has no Guides section.
	h, _ := r.Code(418, render.HTML)
	if strings.Contains(string(h), `id="guides"`) {
		t.Errorf("/418 has a Guides section, but no guide names 418")
	}
}

// TestDecisionGuide checks what makes the decision guide usable without
// JavaScript and with a screen reader: every answer is a <details> that
// opens to the next question or a link to a code, the diagram is an image
// with a title and a description, and its text version names every code.
func TestDecisionGuide(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	g, err := r.Catalog().Guide("choosing-a-status")
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Guide(g.Name, render.HTML)
	if err != nil {
		t.Fatal(err)
	}
	page := string(out)
	for _, want := range []string{
		`<svg class="dg" role="img" aria-labelledby="dg-title dg-desc"`,
		`<title id="dg-title">`, `<desc id="dg-desc">`,
		"<details><summary>It succeeded</summary>",
		`<details class="alt">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the decision guide lacks %q", want)
		}
	}
	if strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Errorf("the decision guide has an inline style or script, which the CSP refuses")
	}
	alt := page[strings.Index(page, `<details class="alt">`):]
	for _, code := range g.Codes {
		link := `href="/` + strconv.Itoa(code) + `"`
		if strings.Count(page, link) < 2 {
			t.Errorf("the decision guide links /%d fewer than twice (its answer and the text version)", code)
		}
		if !strings.Contains(alt, link) {
			t.Errorf("the text version of the diagram lacks /%d", code)
		}
	}
	if n, want := strings.Count(page, "<details>"), countQuestions(g.Decision)-1; n != want {
		t.Errorf("the decision guide has %d <details>, want one per question after the first, %d", n, want)
	}
}

// countQuestions counts the questions of a decision tree.
func countQuestions(q *catalog.Question) int {
	n := 1
	q.Walk(func(a *catalog.Answer, _ int) {
		if a.Next != nil {
			n++
		}
	})
	return n
}
