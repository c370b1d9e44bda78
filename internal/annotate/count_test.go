package annotate

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	line200 = `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "-"`
	line503 = `10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 503 5 "-" "-"`
)

func TestCount(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", MaxLine+10)
	tests := []struct {
		name           string
		log            string
		want           map[int]int64
		wantUnreadable int64
		wantAt         []int64
	}{
		{"lines", line200 + "\n" + line503 + "\n" + line200 + "\n", map[int]int64{200: 2, 503: 1}, 0, nil},
		{"no final newline", line200 + "\n" + line503, map[int]int64{200: 1, 503: 1}, 0, nil},
		{"CRLF", line200 + "\r\n" + line503 + "\r\n", map[int]int64{200: 1, 503: 1}, 0, nil},
		{"blank lines", "\n" + line200 + "\n   \n\n", map[int]int64{200: 1}, 0, nil},
		{"malformed", line200 + "\nnot a log line\n" + line503 + "\n{\"status\":\n", map[int]int64{200: 1, 503: 1}, 2, []int64{2, 4}},
		{"too long a line", line200 + "\n" + long + "\n" + line503 + "\n", map[int]int64{200: 1, 503: 1}, 1, []int64{2}},
		{"too long a last line", line200 + "\n" + long, map[int]int64{200: 1}, 1, []int64{2}},
		{"JSON lines", `{"status":200}` + "\n" + `{"code":"499"}` + "\n", map[int]int64{200: 1, 499: 1}, 0, nil},
		{"empty", "", map[int]int64{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c Counts
			// One byte per read: lines cross the reader's buffer.
			if err := c.Count("log", iotest.OneByteReader(strings.NewReader(tt.log))); err != nil {
				t.Fatalf("Count: %v", err)
			}
			var total int64
			for code := range 1000 {
				if got := c.Code(code); got != tt.want[code] {
					t.Errorf("Code(%d) = %d, want %d", code, got, tt.want[code])
				}
				total += tt.want[code]
			}
			if c.Requests() != total || c.Unreadable() != tt.wantUnreadable {
				t.Errorf("Requests, Unreadable = %d, %d; want %d, %d", c.Requests(), c.Unreadable(), total, tt.wantUnreadable)
			}
			var at []int64
			for _, l := range c.examples {
				at = append(at, l.Line)
			}
			if !slices.Equal(at, tt.wantAt) {
				t.Errorf("unreadable lines at %v, want %v", at, tt.wantAt)
			}
		})
	}
}

// TestCountAddsUp checks that counts of several logs add up, and that the
// places of unreadable lines name their log, at most maxExamples of them.
func TestCountAddsUp(t *testing.T) {
	t.Parallel()
	var c Counts
	for _, name := range []string{"a.log", "b.log"} {
		if err := c.Count(name, strings.NewReader(line200+"\nx\nx\nx\n")); err != nil {
			t.Fatal(err)
		}
	}
	if c.Code(200) != 2 || c.Unreadable() != 6 {
		t.Errorf("Code(200), Unreadable = %d, %d; want 2, 6", c.Code(200), c.Unreadable())
	}
	want := []Location{{"a.log", 2}, {"a.log", 3}, {"a.log", 4}, {"b.log", 2}, {"b.log", 3}}
	if !slices.Equal(c.examples, want) {
		t.Errorf("unreadable lines at %v, want %v", c.examples, want)
	}
}

func TestCountReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var c Counts
	err := c.Count("log", io.MultiReader(strings.NewReader(line200+"\n"), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Errorf("Count = %v, want %v", err, boom)
	}
}
