package server

import (
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

// TestCacheKeeps checks what the page cache holds after Warm and requests:
// every page but those of numbers the catalog lacks, and one body for the
// home page's JSON and /codes.json.
func TestCacheKeeps(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	cat := s.rnd.Catalog()
	if err := s.Warm(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []render.Page{
		{Kind: render.KindCode, Code: 299, Format: render.HTML},
		{Kind: render.KindCode, Code: 299, Format: render.JSON},
		{Kind: render.KindCode, Code: 503, Format: render.HTML},
		{Kind: render.KindCode, Code: 418, Format: render.Text},
		{Kind: render.KindHome, Format: render.HTML},
	} {
		if _, err := s.page(p); err != nil {
			t.Fatal(err)
		}
		_, assigned := cat.Lookup(p.Code)
		want := p.Kind != render.KindCode || assigned == nil
		if kept := s.pages.get(p) != nil; kept != want {
			t.Errorf("%+v kept: %v, want %v", p, kept, want)
		}
	}
	home, err := s.page(render.Page{Kind: render.KindHome, Format: render.JSON})
	if err != nil {
		t.Fatal(err)
	}
	if codes := s.pages.get(render.Page{Kind: render.KindCodes, Format: render.JSON}); codes != home {
		t.Errorf("/ as JSON and /codes.json: two bodies, want one")
	}
}
