package catalog

import (
	"os"
	"testing"
)

func TestStem(t *testing.T) {
	t.Parallel()
	// Each group must share one stem: the search relies on consistency,
	// not on real English stems.
	groups := [][]string{
		{"request", "requests"},
		{"close", "closed", "closes", "closing"},
		{"limit", "limits", "limited", "limiting"},
		{"entity", "entities"},
		{"cookie", "cookies"},
		{"timeout", "timeouts"},
		{"redirect", "redirects", "redirected", "redirecting"},
		{"status", "statuses"},
		{"process", "processes"},
		{"allow", "allowed"},
		{"move", "moved"},
	}
	for _, g := range groups {
		want := stem(g[0])
		for _, w := range g[1:] {
			if got := stem(w); got != want {
				t.Errorf("stem(%q) = %q, want %q as for %q", w, got, want, g[0])
			}
		}
	}
	// Words that must stay apart.
	for _, pair := range [][2]string{{"http", "https"}, {"found", "fond"}, {"status", "statu"}} {
		if stem(pair[0]) == stem(pair[1]) {
			t.Errorf("stem(%q) = stem(%q) = %q, want them apart", pair[0], pair[1], stem(pair[0]))
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"gateway", "gateway", 2, 0},
		{"gatway", "gateway", 2, 1},   // deletion
		{"gateeway", "gateway", 2, 1}, // insertion
		{"gatexay", "gateway", 2, 1},  // substitution
		{"gaetway", "gateway", 2, 1},  // swap of neighbours
		{"gtaewya", "gateway", 2, 2},  // two swaps
		{"abcdef", "ghijkl", 2, 3},    // beyond the limit: limit+1
		{"teapot", "coffee", 1, 2},
		{"", "abc", 3, 3},
		{"abc", "", 1, 2},
		{"ab", "abcdef", 2, 3}, // lengths alone exceed the limit
	}
	for _, tt := range tests {
		buf := make([]int, 3*(len(tt.b)+1))
		if got := editDistance([]rune(tt.a), []rune(tt.b), tt.limit, buf); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// TestSearchTie builds two meanings that match a query equally, the
// vendor's with the lower number: the registered one must come first.
func TestSearchTie(t *testing.T) {
	t.Parallel()
	vendor := &Code{Code: 420, Entries: []Entry{{Code: 420, Name: "Calm Down", Status: Unofficial, Vendor: "Example", Summary: "Slow."}}}
	registered := &Code{Code: 429, Entries: []Entry{{Code: 429, Name: "Calm Down", Status: Standard, Summary: "Slow."}}}
	other := &Code{Code: 410, Entries: []Entry{{Code: 410, Name: "Gone", Status: Standard, Summary: "Slow."}}}
	c := &Catalog{codes: []*Code{other, vendor, registered}}
	c.search = newSearchIndex(c.codes)
	res := c.Search("calm down", 10)
	if len(res) != 2 || res[0].Code != registered || res[1].Code != vendor {
		var got []int
		for _, r := range res {
			got = append(got, r.Code.Code)
		}
		t.Fatalf("Search(%q) = %v, want [429 420]", "calm down", got)
	}
	// Two registered meanings on a tie: the lower number first.
	twin := &Code{Code: 428, Entries: []Entry{{Code: 428, Name: "Calm Down", Status: Standard, Summary: "Slow."}}}
	c = &Catalog{codes: []*Code{other, registered, twin}}
	c.search = newSearchIndex(c.codes)
	res = c.Search("slow", 10)
	if len(res) != 3 || res[0].Code != other || res[1].Code != twin || res[2].Code != registered {
		t.Errorf("Search(%q) = %v, want 410, 428, 429 (equal scores, by number)", "slow", res)
	}
}

// BenchmarkSearchIndex is what the first search of a process pays to
// index every meaning and guide: "httpstatus search" pays it every time.
func BenchmarkSearchIndex(b *testing.B) {
	cat, err := Load(os.DirFS("../../content"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		newSearchIndex(cat.codes)
		newGuideIndex(cat.guides)
	}
}
