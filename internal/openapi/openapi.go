// Package openapi writes the OpenAPI 3.1 description of the site's
// machine-facing URLs, /openapi.json: the documentation pages in each
// format (codes, classes, guides), /search, the live endpoint
// /status/{codes}, the health checks and the site files. It is
// generated, not written by hand, from what the code has: the page
// formats of render and the catalog's classes and guides, the
// JSON Schemas (2020-12) of render's and live's Go types of the JSON forms
// (components/schemas), and the options, request headers and response
// headers of the live endpoint (live.Params, live.ResponseHeaders). A
// test holds its paths to the server's routes.
package openapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/live"
)

// Path is the URL path of the document.
const Path = "/openapi.json"

// ContentType is the media type the document is served with.
const ContentType = "application/json"

// Dialect is the JSON Schema dialect of the document's schemas.
const Dialect = "https://json-schema.org/draft/2020-12/schema"

// document is an OpenAPI 3.1 document, with the fields this one uses.
type document struct {
	OpenAPI           string               `json:"openapi"`
	Info              info                 `json:"info"`
	JSONSchemaDialect string               `json:"jsonSchemaDialect"`
	Paths             map[string]*pathItem `json:"paths"`
	Components        components           `json:"components"`
}

type info struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type components struct {
	Schemas   map[string]*jsonschema.Schema `json:"schemas"`
	Responses map[string]*response          `json:"responses"`
	Headers   map[string]*header            `json:"headers"`
}

// pathItem holds the operations of one path; a nil one is absent.
type pathItem struct {
	Summary     string       `json:"summary,omitempty"`
	Description string       `json:"description,omitempty"`
	Parameters  []*parameter `json:"parameters,omitempty"`
	Get         *operation   `json:"get,omitempty"`
	Put         *operation   `json:"put,omitempty"`
	Post        *operation   `json:"post,omitempty"`
	Delete      *operation   `json:"delete,omitempty"`
	Options     *operation   `json:"options,omitempty"`
	Head        *operation   `json:"head,omitempty"`
	Patch       *operation   `json:"patch,omitempty"`
}

type operation struct {
	OperationID string               `json:"operationId"`
	Summary     string               `json:"summary"`
	Description string               `json:"description,omitempty"`
	Parameters  []*parameter         `json:"parameters,omitempty"`
	Responses   map[string]*response `json:"responses"`
}

type parameter struct {
	Name        string             `json:"name"`
	In          string             `json:"in"`
	Description string             `json:"description"`
	Required    bool               `json:"required,omitempty"`
	Schema      *jsonschema.Schema `json:"schema"`
	Example     any                `json:"example,omitempty"`
}

// response is a Response Object, or a reference to one (Ref).
type response struct {
	Ref         string               `json:"$ref,omitempty"`
	Description string               `json:"description,omitempty"`
	Headers     map[string]*header   `json:"headers,omitempty"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

// header is a Header Object, or a reference to one (Ref).
type header struct {
	Ref         string             `json:"$ref,omitempty"`
	Description string             `json:"description,omitempty"`
	Schema      *jsonschema.Schema `json:"schema,omitempty"`
}

type mediaType struct {
	Schema *jsonschema.Schema `json:"schema"`
}

// Document returns the OpenAPI document of a site that serves the pages of
// rnd and the live endpoint configured by liveOpts, as JSON with a final
// newline. The same catalog and options give the same bytes; its
// info.version is a hash of the rest, so it changes when anything does.
func Document(rnd *render.Renderer, liveOpts ...live.Option) []byte {
	d := &document{
		OpenAPI: "3.1.1",
		Info: info{
			Title: "httpstatus",
			Description: "The machine-facing URLs of httpstatus, a reference of HTTP status codes: every page as JSON (and HTML and text), " +
				"search, and the live endpoint /status/{codes} that answers with real statuses. Documentation pages are served 200 OK, " +
				"whatever status they explain. A static export of the site serves the pages and site files only; /search, /status/, " +
				"/healthz, /readyz and /metrics need \"httpstatus serve\". The code is MIT-licensed; the content is CC BY-SA 4.0.",
		},
		JSONSchemaDialect: Dialect,
		Paths:             map[string]*pathItem{},
		Components: components{
			Schemas:   schemas(forms()),
			Responses: map[string]*response{},
			Headers:   pageHeaders(),
		},
	}
	addPages(d, rnd)
	addSite(d)
	addLive(d, liveOpts)
	addLimits(d)
	return encode(d)
}

// unlimited are the paths no per-client limit refuses: a load balancer
// or Prometheus asks them often from one address. The server's tests
// hold this to the paths it exempts.
var unlimited = []string{"/healthz", "/readyz", "/metrics"}

// addLimits gives every operation but those of unlimited the 429 of the
// per-client limits, unless it has a 429 of its own (the live endpoint's).
func addLimits(d *document) {
	d.Components.Responses["TooManyRequests"] = tooMany()
	for path, item := range d.Paths {
		if slices.Contains(unlimited, path) {
			continue
		}
		for _, op := range []*operation{item.Get, item.Put, item.Post, item.Delete, item.Options, item.Head, item.Patch} {
			if op != nil && op.Responses["429"] == nil {
				op.Responses["429"] = &response{Ref: "#/components/responses/TooManyRequests"}
			}
		}
	}
}

// tooMany is the 429 of a per-client limit.
func tooMany() *response {
	return &response{
		Description: "The client (its address, or behind trusted proxies the one they forward) is over a limit of its own: its request rate " +
			"(\"serve --client-rate\"), or on the live endpoint its slow requests at once or its body bytes a minute; a one-line reason. " +
			"Without such limits set, only a 429 asked for (/status/429) is sent.",
		Headers: map[string]*header{
			"Retry-After":      {Description: "Seconds until the limit lets a request through again.", Schema: &jsonschema.Schema{Type: "string", Pattern: "^[0-9]+$"}},
			"RateLimit-Policy": {Description: "The limit's policy (draft-ietf-httpapi-ratelimit-headers-10): its name, quota and window.", Schema: str()},
			"RateLimit":        {Description: "The limit's state (draft-ietf-httpapi-ratelimit-headers-10): its name, the requests or bytes left and the seconds to wait.", Schema: str()},
		},
		Content: map[string]mediaType{"text/plain": {Schema: str()}},
	}
}

// encode writes d as indented JSON, its version the hash of the rest.
// Marshalling these types of strings, maps and schemas cannot fail.
func encode(d *document) []byte {
	d.Info.Version = ""
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic("openapi: encode the document: " + err.Error())
	}
	sum := sha256.Sum256(b)
	d.Info.Version = hex.EncodeToString(sum[:6])
	b, _ = json.MarshalIndent(d, "", "  ")
	return append(b, '\n')
}

// ref returns a schema that refers to the document's schema name.
func ref(name string) *jsonschema.Schema { return &jsonschema.Schema{Ref: schemaRef + name} }

// str returns a string schema.
func str() *jsonschema.Schema { return &jsonschema.Schema{Type: "string"} }

// opID makes an operationId from a method and a path: "get503Json".
func opID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	up := true
	for _, r := range path {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}
