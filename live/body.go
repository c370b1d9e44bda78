package live

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"
)

// PatternLine is the body of ?bytes=N, repeated and cut at N bytes: a
// fixed pattern that a client can check byte for byte.
const PatternLine = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-\n"

// patternBuf is PatternLine repeated: a body is written from it, without
// allocating. Its length is a multiple of the line's, so patternBuf[i:]
// starts with byte i of the pattern for any i below len(PatternLine).
var patternBuf = func() []byte {
	b := make([]byte, 0, 1<<14)
	for len(b) < cap(b) {
		b = append(b, PatternLine...)
	}
	return b
}()

// hOctets is the Content-Type of a pattern body.
var hOctets = []string{"application/octet-stream"}

// dripStep is the shortest time between two pieces of a drip: a body
// goes out in as many pieces as fit, at most one byte each.
const dripStep = 50 * time.Millisecond

// payload is a response body: data, or the pattern cut at n bytes.
type payload struct {
	data    []byte
	n       int64
	pattern bool
}

func (b payload) len() int64 {
	if b.pattern {
		return b.n
	}
	return int64(len(b.data))
}

// write writes bytes [from, to) of the body.
func (b payload) write(w io.Writer, from, to int64) error {
	if !b.pattern {
		_, err := w.Write(b.data[from:to])
		return err
	}
	for from < to {
		off := from % int64(len(PatternLine))
		k := min(to-from, int64(len(patternBuf))-off)
		if _, err := w.Write(patternBuf[off : off+k]); err != nil {
			return err
		}
		from += k
	}
	return nil
}

// contentLength returns the Content-Length value of the body.
func (b payload) contentLength(st []string) []string {
	if b.pattern {
		return []string{strconv.FormatInt(b.n, 10)}
	}
	return st
}

// sendBody writes the first end bytes of b: at once, or after sleep-body,
// or spread over drip (the pieces of the whole body on the drip's
// schedule, up to end). It reports whether the client is still there.
func sendBody(ctx context.Context, w http.ResponseWriter, b payload, end int64, p *params) bool {
	rc := http.NewResponseController(w)
	if p.sleepBody > 0 || p.drip > 0 {
		rc.Flush() // the headers go out at once
	}
	if p.sleepBody > 0 && !sleep(ctx, p.sleepBody) {
		return false
	}
	if p.drip <= 0 {
		return b.write(w, 0, end) == nil
	}
	n := b.len()
	pieces := max(1, min(n, int64(p.drip/dripStep)))
	start := time.Now()
	t := time.NewTimer(p.drip / time.Duration(pieces))
	defer t.Stop()
	for i := int64(0); i < pieces; i++ {
		from, to := n*i/pieces, min(n*(i+1)/pieces, end)
		if from >= end {
			break
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		}
		if b.write(w, from, to) != nil || rc.Flush() != nil {
			return false
		}
		t.Reset(time.Until(start.Add(p.drip * time.Duration(i+2) / time.Duration(pieces))))
	}
	return true
}
