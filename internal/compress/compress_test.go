package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header has name %q, time %v; want neither", zr.Name, zr.ModTime)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

func unbrotli(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("brotli decode: %v", err)
	}
	return out
}

func TestRoundTripAndDeterminism(t *testing.T) {
	t.Parallel()
	inputs := [][]byte{
		{},
		[]byte("x"),
		[]byte(strings.Repeat("<p>503 Service Unavailable</p>\n", 2000)),
		bytes.Repeat([]byte{0, 1, 2, 3, 250, 251}, 10000),
	}
	for i, in := range inputs {
		gz, err := Gzip(in)
		if err != nil {
			t.Fatalf("Gzip(#%d): %v", i, err)
		}
		br, err := Brotli(in)
		if err != nil {
			t.Fatalf("Brotli(#%d): %v", i, err)
		}
		if got := gunzip(t, gz); !bytes.Equal(got, in) {
			t.Errorf("#%d: gunzip(Gzip(b)) differs from b", i)
		}
		if got := unbrotli(t, br); !bytes.Equal(got, in) {
			t.Errorf("#%d: unbrotli(Brotli(b)) differs from b", i)
		}
		// A pooled compressor that served other input before must give
		// the same bytes again.
		for _, other := range inputs {
			Gzip(other)
			Brotli(other)
		}
		gz2, _ := Gzip(in)
		br2, _ := Brotli(in)
		if !bytes.Equal(gz, gz2) || !bytes.Equal(br, br2) {
			t.Errorf("#%d: compressing twice gave different bytes", i)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	in := []byte(strings.Repeat("Retry-After: 120\r\n", 500))
	want, _ := Brotli(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got, err := Brotli(in); err != nil || !bytes.Equal(got, want) {
					t.Errorf("concurrent Brotli: err %v, equal %v", err, bytes.Equal(got, want))
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		in             []byte
		wantGz, wantBr bool
	}{
		{"page", []byte(strings.Repeat("<li><a href=\"/503\">503</a></li>\n", 100)), true, true},
		{"tiny", []byte("User-agent: *\n"), false, false},
		{"empty", nil, false, false},
	}
	for _, tt := range tests {
		gz, br, err := Forms(tt.in)
		if err != nil {
			t.Fatalf("Forms(%s): %v", tt.name, err)
		}
		if (gz != nil) != tt.wantGz || (br != nil) != tt.wantBr {
			t.Errorf("Forms(%s): gzip %d bytes, brotli %d bytes of %d; want gzip %v, brotli %v", tt.name, len(gz), len(br), len(tt.in), tt.wantGz, tt.wantBr)
		}
		if gz != nil && (len(gz) >= len(tt.in) || !bytes.Equal(gunzip(t, gz), tt.in)) {
			t.Errorf("Forms(%s): bad gzip form", tt.name)
		}
		if br != nil && (len(br) >= len(tt.in) || !bytes.Equal(unbrotli(t, br), tt.in)) {
			t.Errorf("Forms(%s): bad brotli form", tt.name)
		}
	}
}
