package render_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

var (
	idAttr  = regexp.MustCompile(` id="([^"]+)"`)
	tocNav  = regexp.MustCompile(`(?s)<nav class="toc" aria-labelledby="toc-title">.*?</nav>`)
	tocHref = regexp.MustCompile(`href="#([^"]+)"`)
)

// TestTOC renders every code page: the ids of a page are unique, a long
// page has a table of contents whose every link leads to an id of the
// page, and a page with several meanings lists each of them.
func TestTOC(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	cat := r.Catalog()
	pages := 0
	for _, k := range cat.Codes() {
		b, err := r.Code(k.Code, render.HTML)
		if err != nil {
			t.Fatalf("Code(%d): %v", k.Code, err)
		}
		page := string(b)
		ids := map[string]int{}
		for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
			ids[m[1]]++
		}
		for id, n := range ids {
			if n > 1 {
				t.Errorf("/%d: id %q appears %d times", k.Code, id, n)
			}
		}
		nav := tocNav.FindString(page)
		if nav == "" {
			continue
		}
		pages++
		links := tocHref.FindAllStringSubmatch(nav, -1)
		for _, m := range links {
			if ids[m[1]] != 1 {
				t.Errorf("/%d: the table of contents links #%s, which the page does not have", k.Code, m[1])
			}
		}
		if len(k.Entries) > 1 {
			for i := range k.Entries {
				if !strings.Contains(nav, ">"+k.Entries[i].Name+"<") && !strings.Contains(nav, ">"+strings.ReplaceAll(k.Entries[i].Name, "'", "&#39;")+"<") {
					t.Errorf("/%d: the table of contents does not list the meaning %q", k.Code, k.Entries[i].Name)
				}
			}
		}
		if !strings.Contains(nav, `href="#in-practice"`) && !strings.Contains(nav, `href="#meaning-1-in-practice"`) {
			t.Errorf("/%d: the table of contents has no link to the first section of the body", k.Code)
		}
	}
	if pages < len(cat.Codes())/2 {
		t.Errorf("%d of %d code pages have a table of contents, want most of them", pages, len(cat.Codes()))
	}
	// An unassigned number has a short page: no table of contents.
	b, err := r.Code(299, render.HTML)
	if err != nil {
		t.Fatalf("Code(299): %v", err)
	}
	if tocNav.Match(b) {
		t.Errorf("/299 has a table of contents, want none on a short page")
	}
}
