package live

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// testAllowed and testHint stand for a catalog that documents 999 beyond
// 599, as the embedded one does.
var testAllowed = func(c int) bool { return catalog.InRange(c) || c == 999 }

const testHint = "100 to 599 or 999"

// fmtChoices writes choices as "lo-hi:weight" items, for comparing.
func fmtChoices(cs []choice) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, strconv.Itoa(c.lo)+"-"+strconv.Itoa(c.hi)+":"+strconv.Itoa(c.weight))
	}
	return strings.Join(parts, ",")
}

func TestParseChoices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string // fmtChoices of the result, or "" for an error
		errLike string
	}{
		{"503", "503-503:1000", ""},
		{"200,500", "200-200:1000,500-500:1000", ""},
		{"200:3,500:1", "200-200:3000,500-500:1000", ""},
		{"200:0.25,500", "200-200:250,500-500:1000", ""},
		{"200:.5", "200-200:500", ""},
		{" 200 , 500:2 ", "200-200:1000,500-500:2000", ""},
		{"200:0,500:1000", "200-200:0,500-500:1000000", ""},
		{"999", "999-999:1000", ""},
		{"500-504", "500-504:1000", ""},
		{"200:8,500-504:2", "200-200:8000,500-504:2000", ""},
		{" 100-599 ", "100-599:1000", ""},
		{"500-500", "500-500:1000", ""},
		{"999-999", "999-999:1000", ""},
		{"", "", "no status code"},
		{"abc", "", "bad status code"},
		{"50", "", "bad status code"},
		{"5030", "", "bad status code"},
		{"+503", "", "bad status code"},
		{"099", "", "bad status code"},
		{"600", "", "status 600 is out of range: use 100 to 599 or 999"},
		{"200,", "", "bad status code"},
		{"504-500", "", "range 504-500 is reversed: write 500-504"},
		{"590-610", "", "range 590-610 holds 600, which is out of range"},
		{"598-999", "", "holds 600"},
		{"500-", "", "bad range"},
		{"-500", "", "bad range"},
		{"500-50", "", "bad range"},
		{"500-504-510", "", "bad range"},
		{"500 - 504", "", "bad range"},
		{"500-5x4", "", "bad range"},
		{"500-504:x", "", "bad weight \"x\" for 500-504"},
		{"200:", "", "bad weight"},
		{"200:x", "", "bad weight"},
		{"200:-1", "", "bad weight"},
		{"200:1.", "", "bad weight"},
		{"200:0.0001", "", "bad weight"},
		{"200:1000.001", "", "bad weight"},
		{"200:1e3", "", "bad weight"},
		{"200:1:2", "", "bad weight"},
		{"200:0", "", "add up to 0"},
		{"500-504:0", "", "add up to 0"},
		{strings.Repeat("200,", maxChoices) + "200", "", "too many choices"},
		{strings.Repeat("500-504,", maxChoices) + "200", "", "too many choices"},
		{strings.Repeat("200,", maxChoices-1) + "200", strings.Repeat("200-200:1000,", maxChoices-1) + "200-200:1000", ""},
	}
	for _, tt := range tests {
		got, err := parseChoices(nil, tt.in, testAllowed, testHint)
		if tt.want != "" {
			if err != nil || fmtChoices(got) != tt.want {
				t.Errorf("parseChoices(%q) = %s, %v; want %s", tt.in, fmtChoices(got), err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errLike) {
			t.Errorf("parseChoices(%q) = %s, %v; want an error with %q", tt.in, fmtChoices(got), err, tt.errLike)
		}
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	choices := []choice{{200, 200, 3000}, {404, 404, 0}, {500, 500, 1000}}
	for n, want := range map[uint64]int{0: 200, 2999: 200, 3000: 500, 3999: 500} {
		got := pick(choices, func(total uint64) uint64 {
			if total != 4000 {
				t.Errorf("pick asked for a number below %d, want 4000", total)
			}
			return n
		})
		if got != want {
			t.Errorf("pick with n=%d = %d, want %d", n, got, want)
		}
	}
	// A range: the choice by weight, then the code within it uniformly.
	ranged := []choice{{200, 200, 8000}, {500, 504, 2000}}
	for _, tt := range []struct {
		rolls []uint64 // the numbers randN returns, in order
		want  int
	}{
		{[]uint64{0}, 200},
		{[]uint64{7999}, 200},
		{[]uint64{8000, 0}, 500},
		{[]uint64{9999, 4}, 504},
		{[]uint64{8500, 2}, 502},
	} {
		var asked []uint64
		i := 0
		got := pick(ranged, func(n uint64) uint64 {
			asked = append(asked, n)
			r := tt.rolls[i]
			i++
			return r
		})
		wantAsked := []uint64{10000}
		if tt.want != 200 {
			wantAsked = append(wantAsked, 5)
		}
		if got != tt.want || !slices.Equal(asked, wantAsked) {
			t.Errorf("pick with rolls %v = %d (asked below %v), want %d (asked below %v)", tt.rolls, got, asked, tt.want, wantAsked)
		}
	}
	// A list of one range asks only for the code within it.
	if got := pick([]choice{{500, 504, 1000}}, func(n uint64) uint64 { return n - 1 }); got != 504 {
		t.Errorf("pick(500-504) with the last roll = %d, want 504", got)
	}
}

// TestPickShares picks many times from a mixed list with a seeded source
// and checks each code's share against the documented rule (a range's
// weight shared evenly by its codes), within 6 standard deviations.
func TestPickShares(t *testing.T) {
	t.Parallel()
	const n = 20000
	choices, err := parseChoices(nil, "200:8,500-504:2", testAllowed, testHint)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]float64{200: 0.8, 500: 0.04, 501: 0.04, 502: 0.04, 503: 0.04, 504: 0.04}
	counts := map[int]int{}
	randN := seeded(3)
	for range n {
		counts[pick(choices, randN)]++
	}
	for code, c := range counts {
		p, ok := want[code]
		if !ok {
			t.Errorf("picked %d, not in 200:8,500-504:2", code)
			continue
		}
		sd := math.Sqrt(p * (1 - p) / n)
		if got := float64(c) / n; math.Abs(got-p) > 6*sd {
			t.Errorf("share of %d = %.4f, want %.4f ± %.4f", code, got, p, 6*sd)
		}
	}
}

func FuzzParseChoices(f *testing.F) {
	for _, s := range []string{"503", "200,500", "200:3,500:1", "200:0.25", ":", ",", "200:0", "999", "600", "1:2:3", " 200 ,\t500", "200:1000.000",
		"500-504", "200:8,500-504:2", "504-500", "590-610", "-", "500-", "100-599:0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseChoices(nil, s, testAllowed, testHint)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || len(msg) > 200 {
				t.Errorf("parseChoices(%q): error %q is not one short line", s, msg)
			}
			return
		}
		total := 0
		for _, c := range got {
			if !testAllowed(c.lo) || !testAllowed(c.hi) || c.lo > c.hi || c.weight < 0 || c.weight > maxWeight*1000 {
				t.Errorf("parseChoices(%q) = %s: bad choice %v", s, fmtChoices(got), c)
			}
			total += c.weight
		}
		if len(got) == 0 || len(got) > maxChoices || total <= 0 {
			t.Fatalf("parseChoices(%q) = %s: want 1 to %d choices with a positive total", s, fmtChoices(got), maxChoices)
		}
		// The lowest and the highest roll: the first and the last code
		// of the first and the last choice with a weight.
		for _, m := range []uint64{0, math.MaxUint64} {
			code := pick(got, func(k uint64) uint64 { return min(m, k-1) })
			if !testAllowed(code) {
				t.Errorf("pick(%s) = %d", fmtChoices(got), code)
			}
		}
	})
}
