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
	// Every body gets both forms, a tiny one too, and each decodes to it.
	for name, in := range map[string][]byte{
		"page":  []byte(strings.Repeat("<li><a href=\"/503\">503</a></li>\n", 100)),
		"tiny":  []byte("User-agent: *\n"),
		"empty": nil,
	} {
		gz, br, err := Forms(in)
		if err != nil {
			t.Fatalf("Forms(%s): %v", name, err)
		}
		if gz == nil || !bytes.Equal(gunzip(t, gz), in) {
			t.Errorf("Forms(%s): bad gzip form (%d bytes)", name, len(gz))
		}
		if br == nil || !bytes.Equal(unbrotli(t, br), in) {
			t.Errorf("Forms(%s): bad brotli form (%d bytes)", name, len(br))
		}
		if name == "page" && (len(gz) >= len(in) || len(br) >= len(in)) {
			t.Errorf("Forms(page): gzip %d, brotli %d bytes of %d; want both smaller", len(gz), len(br), len(in))
		}
	}
}
