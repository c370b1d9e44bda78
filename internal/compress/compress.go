// Package compress makes the gzip and brotli forms of a response body,
// once and deterministically: the same input gives the same bytes, with no
// name and no time in any header. The server and the static export both
// use it, so a precompressed file of the export holds exactly the bytes the
// server sends.
//
// The functions are safe for concurrent use; they reuse their compressors
// through a pool, which makes compressing many small pages several times
// faster than building a compressor for each.
package compress

import (
	"bytes"
	"compress/gzip"
	"sync"

	"github.com/andybalholm/brotli"
)

// BrotliQuality is the brotli level used. Levels 10 and 11 shrink the site
// by a further 15% but are about 30 times slower (some 20 s of CPU for the
// whole site), too slow for an export or a server's first requests. Levels
// 5 to 9 give the same size within 0.5% (the 1,530 files of the site: 1.580
// MB at 5, 1.572 MB at 9), but 9 takes ten times the CPU (1.0 s against
// 9.7 s) and allocates some 33 MB per page against 1.2 MB, which a server
// compressing on first use holds in its pool: level 5.
const BrotliQuality = 5

var (
	gzipPool = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression) // a valid constant level cannot fail
		return zw
	}}
	brotliPool = sync.Pool{New: func() any {
		return brotli.NewWriterLevel(nil, BrotliQuality)
	}}
)

// Gzip returns b compressed with gzip at the best level.
func Gzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Brotli returns b compressed with brotli at BrotliQuality.
func Brotli(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	zw := brotliPool.Get().(*brotli.Writer)
	defer brotliPool.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Forms returns the gzip and brotli forms of b, which the server sends and
// the export writes as .gz and .br files. Every body has both, even one so
// small (robots.txt) that compression makes it a few bytes larger: one rule
// for every file keeps the server and a static host in step.
func Forms(b []byte) (gz, br []byte, err error) {
	if gz, err = Gzip(b); err != nil {
		return nil, nil, err
	}
	if br, err = Brotli(b); err != nil {
		return nil, nil, err
	}
	return gz, br, nil
}
