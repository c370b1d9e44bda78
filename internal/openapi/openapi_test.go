package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/live"
	"github.com/httpstatus/httpstatus/web"
)

var (
	once    sync.Once
	shared  *render.Renderer
	loadErr error
)

func newRenderer(t *testing.T) *render.Renderer {
	t.Helper()
	once.Do(func() {
		cat, err := catalog.Load(content.FS())
		if err != nil {
			loadErr = err
			return
		}
		shared, loadErr = render.New(cat, web.FS())
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return shared
}

// load parses the document with kin-openapi and validates it as OpenAPI
// 3.1, every example and default against its schema included.
func load(t *testing.T, doc []byte) *openapi3.T {
	t.Helper()
	l := openapi3.NewLoader()
	d, err := l.LoadFromData(doc)
	if err != nil {
		t.Fatalf("load the document: %v", err)
	}
	if !d.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1", d.OpenAPI)
	}
	if err := d.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaDefaultsValidation(), openapi3.EnableSchemaPatternValidation()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3.1: %v", err)
	}
	return d
}

func TestDocumentValid(t *testing.T) {
	t.Parallel()
	load(t, openapi.Document(newRenderer(t)))
}

// TestDocumentDeterministic: the same catalog and options give the same
// bytes (the server and the export must agree), and other live limits
// give another document, with another version.
func TestDocumentDeterministic(t *testing.T) {
	t.Parallel()
	rnd := newRenderer(t)
	a, b := openapi.Document(rnd), openapi.Document(rnd)
	if !bytes.Equal(a, b) {
		t.Fatal("two documents of the same catalog differ")
	}
	c := openapi.Document(rnd, live.WithMaxSleep(3*time.Second))
	var da, dc struct {
		Info struct{ Version string } `json:"info"`
	}
	if err := json.Unmarshal(a, &da); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(c, &dc); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) || da.Info.Version == dc.Info.Version || da.Info.Version == "" {
		t.Errorf("versions %q and %q: a document with another sleep cap must differ, version included", da.Info.Version, dc.Info.Version)
	}
}
