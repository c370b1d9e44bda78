package qvalue

import "testing"

func TestParse(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{
		"1": 1000, "0": 0, "1.0": 1000, "1.000": 1000, "0.5": 500, "0.25": 250, "0.001": 1, "0.": 0,
		"": 0, "2": 0, "1.5": 0, "1.001": 0, "0.0001": 0, ".5": 0, "0,5": 0, "0.5x": 0, "-1": 0, "01": 0,
	} {
		if got := Parse(s); got != want {
			t.Errorf("Parse(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "0.5", "0.001", "1.001", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q := Parse(s); q < 0 || q > 1000 {
			t.Errorf("Parse(%q) = %d, want 0 to 1000", s, q)
		}
	})
}
