package catalog_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

// searchTable is what people type and the meaning they mean: the first
// result Search must give. name tells apart the meanings of one number.
var searchTable = []struct {
	query string
	code  int
	name  string
}{
	// The examples of the issue that asked for this search.
	{"teapot", 418, ""},
	{"rate limit", 429, ""},
	{"too many requests", 429, ""},
	{"gateway timeout", 504, ""},
	{"payload too large", 413, ""},
	{"unprocessable entity", 422, ""},
	{"cloudflare origin down", 521, ""},
	{"nginx client closed", 499, "Client Closed Request"},
	{"captive portal", 511, ""},
	{"moved permanently", 301, ""},
	{"not allowed method", 405, ""},

	// Numbers, classes and numbers with words.
	{"503", 503, ""},
	{"404", 404, ""},
	{"what does 503 mean", 503, ""},
	{"http 404", 404, ""},
	{"error 500", 500, ""},
	{"status code 418", 418, ""},
	{"499", 499, "Client Closed Request"},
	{"499 esri", 499, "Token Required"},
	{"530 cloudflare", 530, "Origin DNS Error"},
	{"530", 530, "Site is frozen"},
	{"50", 500, ""},
	{"5xx", 500, ""},
	{"4xx timeout", 408, ""},
	{"5xx gateway", 502, ""},

	// Names, current and former, in any case and punctuation.
	{"I'm a teapot", 418, ""},
	{"PAYLOAD TOO LARGE", 413, ""},
	{"Payload-Too-Large", 413, ""},
	{"request entity too large", 413, ""},
	{"Request-URI Too Long", 414, ""},
	{"requested range not satisfiable", 416, ""},
	{"moved temporarily", 302, ""},
	{"switch proxy", 306, ""},
	{"unauthorized", 401, ""},
	{"multi-status", 207, ""},
	{"multistatus", 207, ""},
	{"non authoritative", 203, ""},
	{"login time-out", 440, ""},
	{"login timeout", 440, ""},
	{"enhance your calm", 420, "Enhance Your Calm"},
	{"method failure", 420, "Method Failure"},
	{"this is fine", 218, ""},
	{"site frozen", 530, "Site is frozen"},

	// Word order, plurals and other word forms.
	{"timeout gateway", 504, ""},
	{"requests too many", 429, ""},
	{"entity unprocessable", 422, ""},
	{"large payload", 413, ""},
	{"gateway timeouts", 504, ""},
	{"bad gateways", 502, ""},
	{"rate limiting", 429, ""},
	{"throttled", 429, ""},
	{"permanent redirects", 308, ""},

	// Typos.
	{"gatway timeout", 504, ""},
	{"gateway timout", 504, ""},
	{"bad gatway", 502, ""},
	{"servce unavailable", 503, ""},
	{"interal server eror", 500, ""},
	{"forbiden", 403, ""},
	{"unathorized", 401, ""},
	{"unauthorised", 401, ""},
	{"teapott", 418, ""},
	{"requets timeout", 408, ""},
	{"methd not alowed", 405, ""},
	{"paylod too larg", 413, ""},
	{"to many requests", 429, ""},
	{"not fond", 404, ""},
	{"cloudfare origin down", 521, ""},
	{"ngnix client closed", 499, "Client Closed Request"},

	// The start of a word, as one types.
	{"teap", 418, ""},
	{"too many r", 429, ""},
	{"unpro", 422, ""},
	{"rate l", 429, ""},
	{"moved perm", 301, ""},

	// What people mean rather than what the registry says.
	{"file too big", 413, ""},
	{"upload too large", 413, ""},
	{"url too long", 414, ""},
	{"cookie too large", 494, ""},
	{"header too large", 431, ""},
	{"wrong method", 405, ""},
	{"validation error", 422, ""},
	{"permission denied", 403, ""},
	{"no permission", 403, ""},
	{"not logged in", 401, ""},
	{"wrong password", 401, ""},
	{"login required", 401, ""},
	{"token expired", 401, ""},
	{"request timed out", 408, ""},
	{"twitter rate limit", 420, "Enhance Your Calm"},
	{"cloudflare timeout", 524, ""},
	{"esri token required", 499, "Token Required"},
	{"maintenance", 503, ""},
	{"server overloaded", 503, ""},
	{"disk full", 507, ""},
	{"censorship", 451, "Unavailable For Legal Reasons"},
	{"paywall", 402, ""},
	{"wifi login", 511, ""},
	{"hotel wi-fi", 511, ""},
	{"websocket upgrade", 426, ""},
	{"resume download", 206, ""},
	{"early data", 425, ""},
	{"csrf token mismatch", 419, ""},
	{"plain http request was sent to https port", 497, ""},
	{"client certificate", 495, ""},
	{"ssl handshake", 525, ""},
	{"origin unreachable", 523, ""},
	{"connection refused", 502, ""},
	{"upstream timeout", 504, ""},
	{"backend down", 502, ""},
	{"internal error", 500, ""},
	{"crash", 500, ""},
	{"redirect", 307, ""},
	{"temporary redirect", 307, ""},
	{"post redirect get", 302, ""},
	{"bandwidth limit", 509, ""},
	{"resource limit", 508, "Resource Limit Is Reached"},
	{"loop detected", 508, "Loop Detected"},
	{"network read timeout", 598, ""},
	{"connect timeout", 599, ""},
	{"scraping", 999, ""},
	{"linkedin", 999, ""},
	{"laravel", 419, ""},
	{"esri token", 498, ""},
	{"argo tunnel", 530, "Origin DNS Error"},
	{"unknown error", 520, ""},
	{"auth", 401, ""},
}

// guideSearchTable is what people type to choose between codes, and the
// guide Find must give first.
var guideSearchTable = []struct {
	query, guide string
}{
	// The examples of the issue that asked for the guides.
	{"401 vs 403", "401-vs-403-vs-404-vs-407-vs-511"},
	{"which status for validation error", "400-vs-409-vs-412-vs-422"},
	{"redirect permanent or temporary", "redirects"},

	{"403 vs 401", "401-vs-403-vs-404-vs-407-vs-511"},
	{"unauthorized vs forbidden", "401-vs-403-vs-404-vs-407-vs-511"},
	{"should i use 403 or 404", "401-vs-403-vs-404-vs-407-vs-511"},
	{"401 or 407", "401-vs-403-vs-404-vs-407-vs-511"},
	{"which redirect", "redirects"},
	{"301 vs 302", "redirects"},
	{"307 or 308", "redirects"},
	{"502 vs 504", "500-vs-502-vs-503-vs-504"},
	{"difference between 502 and 504", "500-vs-502-vs-503-vs-504"},
	{"bad gateway vs gateway timeout", "500-vs-502-vs-503-vs-504"},
	{"500 or 503", "500-vs-502-vs-503-vs-504"},
	{"400 vs 422", "400-vs-409-vs-412-vs-422"},
	{"409 or 422", "400-vs-409-vs-412-vs-422"},
	{"409 vs 412", "400-vs-409-vs-412-vs-422"},
	{"404 vs 410", "404-vs-410"},
	{"gone or not found", "404-vs-410"},
	{"which status for deleted resource", "404-vs-410"},
	{"429 vs 503", "429-vs-503"},
	{"rate limit vs overload", "429-vs-503"},
	{"which status for rate limiting", "429-vs-503"},
	{"which status code should i return", "choosing-a-status"},
	{"choosing a status code", "choosing-a-status"},
	{"status code decision tree", "choosing-a-status"},
}

// TestFindGuides checks that a query that asks to choose between codes
// finds the guide first.
func TestFindGuides(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, tt := range guideSearchTable {
		res := cat.Find(tt.query, 5)
		if len(res) == 0 || res[0].Guide == nil || res[0].Guide.Name != tt.guide {
			t.Errorf("Find(%q) = %s, want the guide %s first", tt.query, describe(res), tt.guide)
		}
	}
	for _, g := range cat.Guides() {
		if res := cat.Find(g.Title, 3); len(res) == 0 || res[0].Guide != g {
			t.Errorf("Find(%q) = %s, want the guide %s first", g.Title, describe(res), g.Name)
		}
	}
}

// TestFindKeepsCodesFirst checks that guides do not push a code down for a
// query that names it: for every query of searchTable, Find gives first
// what Search gives first.
func TestFindKeepsCodesFirst(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, tt := range searchTable {
		want := cat.Search(tt.query, 1)
		got := cat.Find(tt.query, 5)
		if len(got) == 0 || got[0].Entry != want[0].Entry {
			t.Errorf("Find(%q) = %s, want %s first, as Search gives", tt.query, describe(got), describe(want))
		}
	}
	for _, k := range cat.Codes() {
		num := strconv.Itoa(k.Code)
		if got := cat.Find(num, 5); got[0].Code != k {
			t.Errorf("Find(%q) = %s, want %d first", num, describe(got), k.Code)
		}
	}
}

func TestSearchTable(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	if len(searchTable) < 40 {
		t.Fatalf("the table has %d queries, want at least 40", len(searchTable))
	}
	for _, tt := range searchTable {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			res := cat.Search(tt.query, 5)
			if len(res) == 0 {
				t.Fatalf("Search(%q) found nothing, want %d", tt.query, tt.code)
			}
			got := res[0]
			if got.Code.Code != tt.code || (tt.name != "" && got.Entry.Name != tt.name) {
				t.Errorf("Search(%q)[0] = %d %s, want %d %s; all: %s", tt.query, got.Code.Code, got.Entry.Name, tt.code, tt.name, describe(res))
			}
		})
	}
}

func describe(res []catalog.Result) string {
	var parts []string
	for _, r := range res {
		if r.Guide != nil {
			parts = append(parts, fmt.Sprintf("guide %s (%d)", r.Guide.Name, r.Score))
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s (%d)", r.Code.Code, r.Entry.Name, r.Score))
	}
	return strings.Join(parts, ", ")
}

// fold is how the tests compare names: lower case, letters and digits.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}), " ")
}

// TestSearchEveryNameAndNumber searches for every number, name and former
// name in the catalog. A number finds its code first; a registered name
// finds its code first. Any other name finds first a meaning whose name,
// former name or keyword is exactly that, as Search promises (two vendors
// may share a name, and IIS's 451 "Redirect" finds first 307, whose
// keyword it is), and its own meaning within the first three.
func TestSearchEveryNameAndNumber(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, k := range cat.Codes() {
		num := strconv.Itoa(k.Code)
		if res := cat.Search(num, 10); len(res) < len(k.Entries) || res[0].Code != k {
			t.Errorf("Search(%q) = %s, want %d first", num, describe(res), k.Code)
		} else {
			for i := range k.Entries {
				if res[i].Entry != &k.Entries[i] {
					t.Errorf("Search(%q)[%d] = %s, want the meanings of %d in their order", num, i, res[i].Entry.Name, k.Code)
				}
			}
		}
		for i := range k.Entries {
			e := &k.Entries[i]
			for _, q := range append([]string{e.Name}, e.Aliases...) {
				res := cat.Search(q, 3)
				if len(res) == 0 {
					t.Errorf("Search(%q) found nothing, want %d", q, k.Code)
					continue
				}
				if e.Status.Registered() && q == e.Name {
					if res[0].Entry != e {
						t.Errorf("Search(%q)[0] = %d %s, want %d", q, res[0].Code.Code, res[0].Entry.Name, k.Code)
					}
					continue
				}
				if first := res[0].Entry; !exactly(first, q) {
					t.Errorf("Search(%q)[0] = %d %s, want a meaning whose name, former name or keyword is %q", q, res[0].Code.Code, first.Name, q)
				}
				if !slices.ContainsFunc(res, func(r catalog.Result) bool { return r.Entry == e }) {
					t.Errorf("Search(%q) = %s, want %d %s among them", q, describe(res), k.Code, e.Name)
				}
			}
		}
	}
}

// exactly reports whether the name, a former name or a keyword of e is q,
// as the tests compare names.
func exactly(e *catalog.Entry, q string) bool {
	return slices.ContainsFunc(slices.Concat([]string{e.Name}, e.Aliases, e.Keywords), func(n string) bool { return fold(n) == fold(q) })
}

// TestSearchEveryKeyword checks recall: each keyword of a meaning finds
// that meaning within the first ten results.
func TestSearchEveryKeyword(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, k := range cat.Codes() {
		for i := range k.Entries {
			e := &k.Entries[i]
			for _, q := range e.Keywords {
				res := cat.Search(q, 10)
				if !slices.ContainsFunc(res, func(r catalog.Result) bool { return r.Entry == e }) {
					t.Errorf("%s: keyword %q: Search = %s, want %d %s among them", e.File, q, describe(res), k.Code, e.Name)
				}
			}
		}
	}
}

// TestSearchWordOrder checks that the order of the words does not change
// the first result.
func TestSearchWordOrder(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, q := range []string{"gateway timeout", "too many requests", "payload too large", "cloudflare origin down", "nginx client closed", "method not allowed", "request header fields too large", "network authentication required"} {
		want := cat.Search(q, 1)
		words := strings.Fields(q)
		slices.Reverse(words)
		rev := strings.Join(words, " ")
		got := cat.Search(rev, 1)
		if len(want) == 0 || len(got) == 0 || got[0].Entry != want[0].Entry {
			t.Errorf("Search(%q) = %s, Search(%q) = %s, want the same first result", q, describe(want), rev, describe(got))
		}
	}
}

// TestSearchOrder checks the order of results over many queries: by score,
// then registered before vendor, then by number.
func TestSearchOrder(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	queries := []string{"timeout", "proxy", "unauthorized", "client closed", "cloudflare", "too large", "4xx", "5", "error", "not", "ssl"}
	for _, tt := range searchTable {
		queries = append(queries, tt.query)
	}
	for _, q := range queries {
		res := cat.Search(q, 50)
		for i := 1; i < len(res); i++ {
			a, b := res[i-1], res[i]
			switch {
			case a.Score > b.Score:
			case a.Score < b.Score:
				t.Errorf("Search(%q): %d (%d) before %d (%d), want higher scores first", q, a.Code.Code, a.Score, b.Code.Code, b.Score)
			case !a.Entry.Status.Registered() && b.Entry.Status.Registered():
				t.Errorf("Search(%q): vendor %d %s before registered %d %s on a tie", q, a.Code.Code, a.Entry.Name, b.Code.Code, b.Entry.Name)
			case a.Entry.Status.Registered() == b.Entry.Status.Registered() && a.Code.Code > b.Code.Code:
				t.Errorf("Search(%q): %d before %d on a tie, want the lower number first", q, a.Code.Code, b.Code.Code)
			}
			if a.Entry == b.Entry {
				t.Errorf("Search(%q): %d %s twice", q, a.Code.Code, a.Entry.Name)
			}
		}
	}
}

func TestSearchNothing(t *testing.T) {
	t.Parallel()
	cat := loadEmbedded(t)
	for _, q := range []string{"", "   ", "!!!", "§§", "the", "xyzzyplugh", "299", "600"} {
		if res := cat.Search(q, 10); len(res) != 0 {
			t.Errorf("Search(%q) = %s, want nothing", q, describe(res))
		}
	}
	if res := cat.Search("503", 0); len(res) != 0 {
		t.Errorf("Search(%q, 0) = %s, want nothing", "503", describe(res))
	}
	if res := cat.Search("4xx", 3); len(res) != 3 {
		t.Errorf("Search(%q, 3) returned %d results, want 3", "4xx", len(res))
	}
}

// FuzzSearch checks that any query, however odd, gives well-formed
// results: no panic, at most limit, each meaning once and belonging to its
// code, best first, the same twice in a row and, for ASCII, whatever the
// case.
func FuzzSearch(f *testing.F) {
	for _, tt := range searchTable {
		f.Add(tt.query, 10)
	}
	for _, tt := range guideSearchTable {
		f.Add(tt.query, 3)
	}
	for _, s := range []string{"", " ", "5xx 4xx", "00", "999999", "a", "é", "timeout\x00", "ﬁle too big", "İ", strings.Repeat("gateway ", 40), strings.Repeat("x", 300)} {
		f.Add(s, 5)
	}
	cat, err := catalog.Load(content.FS())
	if err != nil {
		f.Fatalf("Load: %v", err)
	}
	f.Fuzz(func(t *testing.T, q string, limit int) {
		limit %= 60
		res := cat.Search(q, limit)
		if len(res) > max(limit, 0) {
			t.Fatalf("Search(%q, %d) returned %d results", q, limit, len(res))
		}
		seen := map[*catalog.Entry]bool{}
		for i, r := range res {
			if r.Score <= 0 {
				t.Errorf("Search(%q)[%d] has score %d, want > 0", q, i, r.Score)
			}
			if !isMeaningOf(r.Entry, r.Code) {
				t.Errorf("Search(%q)[%d]: entry %q is not a meaning of %d", q, i, r.Entry.Name, r.Code.Code)
			}
			if seen[r.Entry] {
				t.Errorf("Search(%q): %d %s twice", q, r.Code.Code, r.Entry.Name)
			}
			seen[r.Entry] = true
			if i > 0 && res[i-1].Score < r.Score {
				t.Errorf("Search(%q): scores not in order: %s", q, describe(res))
			}
		}
		found := cat.Find(q, limit)
		if len(found) > max(limit, 0) {
			t.Fatalf("Find(%q, %d) returned %d results", q, limit, len(found))
		}
		for i, r := range found {
			if (r.Guide == nil) == (r.Entry == nil) || r.Score <= 0 || (i > 0 && found[i-1].Score < r.Score) {
				t.Errorf("Find(%q) = %s: want a guide or a meaning each, with scores > 0, best first", q, describe(found))
			}
		}
		again := cat.Search(q, limit)
		if !slices.EqualFunc(res, again, func(a, b catalog.Result) bool { return a.Entry == b.Entry && a.Score == b.Score }) {
			t.Errorf("Search(%q) is not deterministic: %s, then %s", q, describe(res), describe(again))
		}
		if isASCII(q) {
			upper := cat.Search(strings.ToUpper(q), limit)
			if !slices.EqualFunc(res, upper, func(a, b catalog.Result) bool { return a.Entry == b.Entry }) {
				t.Errorf("Search(%q) = %s, but in upper case %s", q, describe(res), describe(upper))
			}
		}
	})
}

func isMeaningOf(e *catalog.Entry, k *catalog.Code) bool {
	for i := range k.Entries {
		if &k.Entries[i] == e {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func BenchmarkSearch(b *testing.B) {
	cat, err := catalog.Load(content.FS())
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"503", "gateway timeout", "gatway timout", "cloudflare origin down", "too many r"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				cat.Search(q, 50)
			}
		})
	}
}
