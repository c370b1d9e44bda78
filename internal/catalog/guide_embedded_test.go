package catalog_test

import (
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedGuides checks the guides of the real content: the ones the
// site promises exist, and a table shown on code pages is written once, in
// its guide, and in no code's file.
func TestEmbeddedGuides(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	var names []string
	for _, g := range cat.Guides() {
		names = append(names, g.Name)
	}
	want := []string{"choosing-a-status", "redirects", "400-vs-409-vs-412-vs-422", "401-vs-403-vs-404-vs-407-vs-511", "404-vs-410", "429-vs-503", "500-vs-502-vs-503-vs-504"}
	if !slices.Equal(names, want) {
		t.Errorf("Guides() = %v, want %v", names, want)
	}
	for _, g := range cat.Guides() {
		if g.Decision == nil && !strings.Contains(g.Table, "|---") {
			t.Errorf("%s: a comparison has a table of its codes", g.File)
		}
		if !g.TableOnCodes {
			continue
		}
		rows := strings.Split(strings.TrimSpace(g.Table), "\n")
		for _, k := range cat.Codes() {
			for _, e := range k.Entries {
				for _, row := range rows {
					if strings.HasPrefix(row, "|---") {
						continue // the separator row is the same in every table of as many columns
					}
					if strings.Contains(e.Body, strings.TrimSpace(row)) {
						t.Errorf("%s repeats a row of the table of %s: %q; the code page shows the guide's table", e.File, g.File, row)
					}
				}
			}
		}
	}
	if g, err := cat.Guide("choosing-a-status"); err != nil || g.Decision == nil {
		t.Errorf("choosing-a-status: %v, want a decision guide", err)
	}
}
