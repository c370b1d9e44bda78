package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"sync"

	"github.com/httpstatus/httpstatus/internal/render"
)

// body is a rendered response body with everything a request needs,
// computed once.
type body struct {
	ctype string
	plain []byte
	gz    []byte // gzip of plain; nil when it would not be smaller
	etag  string // strong ETag of plain
	gzTag string // strong ETag of gz
}

func newBody(ctype string, plain []byte) (*body, error) {
	b := &body{ctype: ctype, plain: plain, etag: etagOf(plain)}
	gz, err := Gzip(plain)
	if err != nil {
		return nil, err
	}
	if len(gz) < len(plain) {
		b.gz, b.gzTag = gz, etagOf(gz)
	}
	return b, nil
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}

// Gzip compresses b at the best level, deterministically (no name, no
// time), so the server and a static export hold the same bytes.
func Gzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cache holds rendered pages by their (format-normalised) Page key.
type cache struct {
	mu    sync.RWMutex
	pages map[render.Page]*body
}

func newCache() *cache { return &cache{pages: map[render.Page]*body{}} }

// page returns the rendered page, rendering it on first use.
func (s *Server) page(p render.Page) (*body, error) {
	p.Explicit = false
	s.pages.mu.RLock()
	b := s.pages.pages[p]
	s.pages.mu.RUnlock()
	if b != nil {
		return b, nil
	}
	out, err := s.rnd.Render(p)
	if err != nil {
		return nil, err
	}
	b, err = newBody(p.Format.ContentType(), out)
	if err != nil {
		return nil, err
	}
	s.pages.mu.Lock()
	if prev := s.pages.pages[p]; prev != nil {
		b = prev
	} else {
		s.pages.pages[p] = b
	}
	s.pages.mu.Unlock()
	return b, nil
}
