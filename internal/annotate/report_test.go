package annotate

import (
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	var c Counts
	log := strings.Repeat(`{"status":200}`+"\n", 90) +
		strings.Repeat(`{"status":502}`+"\n", 6) +
		`{"status":499}` + "\n" + `{"status":444}` + "\n" + `{"status":299}` + "\n" + `{"status":306}` + "\n" +
		`{"status":777}` + "\n" + "junk\n"
	if err := c.Count("log", strings.NewReader(log)); err != nil {
		t.Fatal(err)
	}
	rep := Summarize(&c, cat)
	if rep.Requests != 101 || rep.Unreadable != 1 {
		t.Errorf("Requests, Unreadable = %d, %d; want 101, 1", rep.Requests, rep.Unreadable)
	}
	codes := map[int]Code{}
	classes := map[string]Class{}
	var order []string
	for _, cl := range rep.Classes {
		classes[cl.Class] = cl
		order = append(order, cl.Class)
		for _, k := range cl.Codes {
			codes[k.Code] = k
		}
	}
	if got := strings.Join(order, " "); got != "2xx 3xx 4xx 5xx 7xx" {
		t.Errorf("classes %s, want 2xx 3xx 4xx 5xx 7xx", got)
	}
	tests := []struct {
		code      int
		count     int64
		name      string
		wantFlags string
	}{
		{200, 90, "OK", ""},
		{502, 6, "Bad Gateway", ""},
		{499, 1, "Client Closed Request", FlagVendor},
		{444, 1, "No Response", FlagVendor},
		{299, 1, "", FlagUnassigned},
		{306, 1, "(Unused)", FlagUnused},
		{777, 1, "", FlagOutOfRange},
	}
	for _, tt := range tests {
		k := codes[tt.code]
		var flags []string
		for _, f := range k.Flags {
			flags = append(flags, f.Kind)
		}
		if k.Count != tt.count || k.Name != tt.name || strings.Join(flags, " ") != tt.wantFlags {
			t.Errorf("%d: count %d, name %q, flags %v; want %d, %q, %q", tt.code, k.Count, k.Name, flags, tt.count, tt.name, tt.wantFlags)
		}
		if k.Summary == "" {
			t.Errorf("%d: no summary", tt.code)
		}
	}
	if e, _ := cat.Lookup(502); codes[502].Summary != e.Primary().Summary {
		t.Errorf("502: summary %q, want the catalog's %q", codes[502].Summary, e.Primary().Summary)
	}
	if got := codes[299].Summary; !strings.Contains(got, "200 OK") {
		t.Errorf("299: summary %q, want it to say clients treat it as 200 OK", got)
	}
	// 6 of 101 requests are 5xx: more than ServerErrorShare.
	if f := classes["5xx"].Flags; len(f) != 1 || f[0].Kind != FlagServerErrors {
		t.Errorf("5xx flags %v, want %s", f, FlagServerErrors)
	}
	if f := classes["2xx"].Flags; len(f) != 0 {
		t.Errorf("2xx flags %v, want none", f)
	}
	if got, want := classes["5xx"].Share, 6.0/101; got != want {
		t.Errorf("5xx share %v, want %v", got, want)
	}
}

// TestSummarizeServerErrorShare checks the threshold of the 5xx flag:
// above ServerErrorShare, not at it.
func TestSummarizeServerErrorShare(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ok, failed int
		want       bool
	}{
		{95, 5, false},
		{94, 6, true},
		{0, 1, true},
	}
	for _, tt := range tests {
		var c Counts
		log := strings.Repeat(`{"status":200}`+"\n", tt.ok) + strings.Repeat(`{"status":500}`+"\n", tt.failed)
		if err := c.Count("log", strings.NewReader(log)); err != nil {
			t.Fatal(err)
		}
		got := false
		for _, cl := range Summarize(&c, cat).Classes {
			if cl.Class == "5xx" {
				got = len(cl.Flags) > 0
			}
		}
		if got != tt.want {
			t.Errorf("%d ok, %d failed: 5xx flagged %v, want %v", tt.ok, tt.failed, got, tt.want)
		}
	}
}
