package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/httpstatus/httpstatus/internal/compress"
	"github.com/httpstatus/httpstatus/internal/render"
)

// body is a rendered response body with everything a request needs:
// its bytes, ETag and header values, as ready-made slices that serveBody
// puts straight into the header map. Its gzip and brotli forms are made on
// first use, once, by the same rule as a static export's .gz and .br files
// (compress.Forms), so that neither start-up nor a request that wants the
// plain form pays for compression.
//
// The header slices are shared by every response that carries them, so
// nothing may write into them; each has len == cap, so that an append
// (Header.Add) copies instead of writing into the shared array.
type body struct {
	ctype []string // Content-Type
	plain *form
	gz    atomic.Pointer[form] // nil until first asked for
	br    atomic.Pointer[form]
}

// form is one encoding of a body. A compressed form with no data is one
// whose compression failed; the plain form is served instead.
type form struct {
	data []byte
	etag string   // strong ETag of data
	hTag []string // ETag header value
	hLen []string // Content-Length header value
}

func newForm(data []byte) *form {
	if cap(data) > len(data) {
		// Rendering and compressing leave a buffer's spare capacity
		// (a third of a page, on average) that the cache would keep.
		data = bytes.Clone(data)
	}
	f := &form{data: data, etag: etagOf(data)}
	f.hTag = []string{f.etag}
	f.hLen = []string{strconv.Itoa(len(data))}
	return f
}

func newBody(ctype string, plain []byte) *body {
	return &body{ctype: []string{ctype}, plain: newForm(plain)}
}

// coding is a content coding the server can send.
type coding int

const (
	codingGzip coding = iota
	codingBrotli
)

// encoded returns the body's form in coding c, compressing it on first
// use (every body has both forms, as in a static export), or nil if
// compression failed. Two
// first requests at once may both compress; the bytes are the same, and
// one result is kept.
func (b *body) encoded(c coding) *form {
	slot, zip := &b.gz, compress.Gzip
	if c == codingBrotli {
		slot, zip = &b.br, compress.Brotli
	}
	f := slot.Load()
	if f == nil {
		f = &form{}
		// Compressing into memory cannot fail; if it did, the plain form
		// is still a correct answer.
		if data, err := zip(b.plain.data); err == nil {
			f = newForm(data)
		}
		if !slot.CompareAndSwap(nil, f) {
			f = slot.Load()
		}
	}
	if f.data == nil {
		return nil
	}
	return f
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}

// Slots of the cache's array: one per page and format. Code pages hold
// the numbers from 100 to 999, which is every number ParsePath accepts.
const (
	slotHome    = 0
	slotClass   = 1 // "1xx" to "5xx": 1 to 5
	slotCodes   = 6
	slotCode    = 7 // code n: slotCode + n - 100
	slotsPerFmt = slotCode + 900
)

// cache holds rendered pages. Lookups are one atomic load with no lock,
// so serving a cached page costs no contention between requests. Pages
// that have no slot (the guides) fall back to a map under a mutex.
type cache struct {
	slots [slotsPerFmt * 3]atomic.Pointer[body]

	mu    sync.Mutex
	other map[render.Page]*body
}

func newCache() *cache { return &cache{other: map[render.Page]*body{}} }

// slot returns the array index of p, whose Explicit field is ignored.
func slot(p render.Page) (int, bool) {
	f := int(p.Format)
	if f < 0 || f > 2 {
		return 0, false
	}
	var i int
	switch p.Kind {
	case render.KindHome:
		i = slotHome
	case render.KindClass:
		if len(p.Class) != 3 || p.Class[0] < '1' || p.Class[0] > '5' {
			return 0, false
		}
		i = slotClass + int(p.Class[0]-'1')
	case render.KindCodes:
		i = slotCodes
	case render.KindCode:
		if p.Code < 100 || p.Code > 999 {
			return 0, false
		}
		i = slotCode + p.Code - 100
	default:
		return 0, false
	}
	return f*slotsPerFmt + i, true
}

func (c *cache) get(p render.Page) *body {
	if i, ok := slot(p); ok {
		return c.slots[i].Load()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.other[p]
}

// put stores b unless a body is already there, and returns the stored one,
// so that every request sees the same bytes and ETag.
func (c *cache) put(p render.Page, b *body) *body {
	if i, ok := slot(p); ok {
		if c.slots[i].CompareAndSwap(nil, b) {
			return b
		}
		return c.slots[i].Load()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.other[p]; prev != nil {
		return prev
	}
	c.other[p] = b
	return b
}

// page returns the rendered page, rendering it on first use. Two first
// requests at once may both render; one result is kept.
//
// The page of a number the catalog does not have ("299 is not assigned")
// is rendered for each request and not kept: such numbers are most of the
// code pages, and few people ask for them, so keeping them, with their
// compressed forms, would hold memory for nothing. Rendering is
// deterministic, so their bytes and ETag are the same every time.
func (s *Server) page(p render.Page) (*body, error) {
	p.Explicit = false
	if p.Kind == render.KindHome && p.Format == render.JSON {
		// The home page's JSON is the list of codes: one body, not two.
		p.Kind = render.KindCodes
	}
	if b := s.pages.get(p); b != nil {
		return b, nil
	}
	out, err := s.rnd.Render(p)
	if err != nil {
		return nil, err
	}
	b := newBody(p.Format.ContentType(), out)
	if !s.keeps(p) {
		return b, nil
	}
	return s.pages.put(p, b), nil
}

// keeps reports whether the page cache keeps page p: every page but that
// of a number the catalog does not have.
func (s *Server) keeps(p render.Page) bool {
	if p.Kind != render.KindCode {
		return true
	}
	_, err := s.rnd.Catalog().Lookup(p.Code)
	return err == nil
}
