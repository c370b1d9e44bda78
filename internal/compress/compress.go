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
	"io"
	"sync"

	"github.com/andybalholm/brotli"
)

// BrotliQuality is the brotli level used: the smallest level whose output
// is about as small as the levels above it up to 9, which cost several
// times its CPU and memory. Levels 10 and 11 shrink the site further but
// are far too slow for an export or for a server's first requests.
const BrotliQuality = 5

// encoder is the shape gzip.Writer and brotli.Writer share: a compressor
// that is reset onto a new destination, written and closed.
type encoder interface {
	Reset(dst io.Writer)
	Write(p []byte) (int, error)
	Close() error
}

// Pools of encoders, one per coding. New returns an encoder ready for
// Reset.
var (
	gzipPool = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression) // a valid constant level cannot fail
		return zw
	}}
)

// Gzip returns b compressed with gzip at the best level.
func Gzip(b []byte) ([]byte, error) { return encode(&gzipPool, b) }

// Brotli returns b compressed with brotli at BrotliQuality.
func Brotli(b []byte) ([]byte, error) {
	// A new writer for each body, not a pooled one: a reused brotli.Writer
	// does not always give the same bytes for the same input (the export
	// parity test saw the server's and the export's .br differ), and the
	// same input must give the same bytes.
	return encodeWith(brotli.NewWriterLevel(nil, BrotliQuality), b)
}

// encode compresses b with an encoder from pool, which it returns to the
// pool afterwards.
func encode(pool *sync.Pool, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	zw := pool.Get().(encoder)
	defer pool.Put(zw)
	return encodeTo(&buf, zw, b)
}

// encodeWith compresses b with a writer of its own.
func encodeWith(zw encoder, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	return encodeTo(&buf, zw, b)
}

// encodeTo compresses b into buf through zw.
func encodeTo(buf *bytes.Buffer, zw encoder, b []byte) ([]byte, error) {
	zw.Reset(buf)
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
