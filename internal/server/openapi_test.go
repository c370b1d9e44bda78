package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/httpstatus/httpstatus/internal/openapi"
	"github.com/httpstatus/httpstatus/internal/render"
)

// notDescribed are the routes /openapi.json leaves out, with why. Any
// other route must be described: TestOpenAPIDescribesEveryRoute fails
// for a new route until it is.
var notDescribed = map[string]string{
	"GET /static/{file}": "the hashed assets of the HTML pages, whose names change with their content",
	"GET /favicon.ico":   "a redirect to the hashed icon, for browsers",
	"/":                  "the fallback: a 404 (described as the templated paths' 404), or 405 and OPTIONS of the pages",
}

// routeList records the patterns addRoutes registers.
type routeList []string

func (l *routeList) Handle(pattern string, _ http.Handler) { *l = append(*l, pattern) }

// apiDoc is the served /openapi.json, parsed for the tests: its paths,
// and its JSON Schemas compiled with a validator of its own
// (santhosh-tekuri/jsonschema, not the library the document was checked
// with).
type apiDoc struct {
	raw   []byte
	Paths map[string]map[string]json.RawMessage `json:"paths"`
	tree  any
	c     *jsonschema.Compiler
	mu    sync.Mutex
	byLoc map[string]*jsonschema.Schema
	// validated counts the JSON bodies check held to their schemas.
	validated int
}

const docURL = "https://httpstatus.test/openapi.json"

// serveDoc asks s for /openapi.json and parses it.
func serveDoc(t *testing.T, s *Server) *apiDoc {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", openapi.Path, nil))
	if w.Code != 200 || w.Header().Get("Content-Type") != openapi.ContentType || w.Header().Get("Etag") == "" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("GET %s: %d, headers %v; want 200 with its type, an ETag and CORS", openapi.Path, w.Code, w.Header())
	}
	d := &apiDoc{raw: w.Body.Bytes(), byLoc: map[string]*jsonschema.Schema{}}
	if err := json.Unmarshal(d.raw, d); err != nil {
		t.Fatal(err)
	}
	tree, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.raw))
	if err != nil {
		t.Fatal(err)
	}
	d.tree = tree
	d.c = jsonschema.NewCompiler()
	d.c.DefaultDraft(jsonschema.Draft2020)
	if err := d.c.AddResource(docURL, tree); err != nil {
		t.Fatal(err)
	}
	return d
}

// operation is one operation of the document, parsed.
type operation struct {
	Parameters []struct {
		Name    string `json:"name"`
		In      string `json:"in"`
		Example any    `json:"example"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

// methods returns the operations of a path item by method, and the
// parameters the item gives them all.
func (d *apiDoc) methods(t *testing.T, path string) map[string]operation {
	t.Helper()
	var shared operation
	if err := json.Unmarshal(mustJSON(t, d.Paths[path]), &shared); err != nil {
		t.Fatal(err)
	}
	out := map[string]operation{}
	for k, v := range d.Paths[path] {
		switch k {
		case "get", "head", "post", "put", "patch", "delete", "options", "trace":
			var op operation
			if err := json.Unmarshal(v, &op); err != nil {
				t.Fatal(err)
			}
			op.Parameters = append(op.Parameters, shared.Parameters...)
			out[strings.ToUpper(k)] = op
		}
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenAPIDescribesEveryRoute: every route of the site is described
// in /openapi.json or named in notDescribed, and every path the document
// describes reaches a route of its own (not the fallback) with its
// example values.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	d := serveDoc(t, s)
	mux := http.NewServeMux()
	s.addRoutes(mux)
	var routes routeList
	s.addRoutes(&routes)
	covered := map[string]bool{}
	for path := range d.Paths {
		for method, op := range d.methods(t, path) {
			target := path
			for _, p := range op.Parameters {
				if p.In == "path" {
					if p.Example == nil {
						t.Errorf("%s %s: path parameter %s has no example", method, path, p.Name)
					}
					target = strings.ReplaceAll(target, "{"+p.Name+"}", fmt.Sprint(p.Example))
				}
			}
			_, pattern := mux.Handler(httptest.NewRequest(method, target, nil))
			if pattern == "" || pattern == "/" {
				t.Errorf("%s %s (%s): the document describes it, but no route of its own serves it (pattern %q)", method, path, target, pattern)
			}
			covered[pattern] = true
			if _, limited := op.Responses["429"]; limited == exempt(target) {
				t.Errorf("%s %s: a 429 described: %v; exempt from the per-client limits: %v", method, path, limited, exempt(target))
			}
		}
	}
	for _, p := range routes {
		if !covered[p] && notDescribed[p] == "" {
			t.Errorf("route %q is not described in %s: describe it (internal/openapi) or name it in notDescribed with why", p, openapi.Path)
		}
	}
	for p := range notDescribed {
		if !slices.Contains(routes, p) {
			t.Errorf("notDescribed names %q, which is no route", p)
		}
	}
}

// templateParam matches a parameter of a path template, quoted.
var templateParam = regexp.MustCompile(`\\\{[^}]*\\\}`)

// match returns the document's path that describes a request path: a
// literal one, else the template that matches it with the most literal
// text ("/{code}.json" over "/{code}" for /503.json).
func (d *apiDoc) match(path string) (string, bool) {
	if _, ok := d.Paths[path]; ok {
		return path, true
	}
	best, bestLit := "", -1
	for p := range d.Paths {
		if !strings.Contains(p, "{") {
			continue
		}
		q := regexp.QuoteMeta(p)
		re := regexp.MustCompile("^" + templateParam.ReplaceAllString(q, `[^/]+`) + "$")
		if lit := len(templateParam.ReplaceAllString(q, "")); re.MatchString(path) && lit > bestLit {
			best, bestLit = p, lit
		}
	}
	return best, best != ""
}

// response is a Response Object of the document.
type response struct {
	Ref     string                     `json:"$ref"`
	Content map[string]json.RawMessage `json:"content"`
}

// check holds an answer to the document: its path and method are
// described, its status is one of the operation's responses (or
// "default"), and its body has a media type of that response, valid
// against the schema given for it.
func (d *apiDoc) check(t *testing.T, method, path string, w *httptest.ResponseRecorder) {
	t.Helper()
	where := fmt.Sprintf("%s %s -> %d %s", method, path, w.Code, w.Header().Get("Content-Type"))
	docPath, ok := d.match(strings.SplitN(path, "?", 2)[0])
	if !ok {
		t.Errorf("%s: no path of the document describes it", where)
		return
	}
	op, ok := d.methods(t, docPath)[method]
	if !ok {
		t.Errorf("%s: %s has no %s", where, docPath, method)
		return
	}
	raw, ok := op.Responses[strconv.Itoa(w.Code)]
	if !ok {
		if raw, ok = op.Responses["default"]; !ok {
			t.Errorf("%s: %s %s describes no %d and no default", where, method, docPath, w.Code)
			return
		}
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	loc := ""
	if r.Ref != "" {
		loc = r.Ref
		name := strings.TrimPrefix(r.Ref, "#/components/responses/")
		var comps struct {
			Components struct {
				Responses map[string]response `json:"responses"`
			} `json:"components"`
		}
		if err := json.Unmarshal(d.raw, &comps); err != nil {
			t.Fatal(err)
		}
		r = comps.Components.Responses[name]
	}
	if w.Body.Len() == 0 {
		return
	}
	media, _, _ := strings.Cut(w.Header().Get("Content-Type"), ";")
	if _, ok := r.Content[media]; !ok {
		t.Errorf("%s: the response describes no %s body (it has %v)", where, media, slices.Sorted(func(yield func(string) bool) {
			for k := range r.Content {
				if !yield(k) {
					return
				}
			}
		}))
		return
	}
	if loc == "" {
		loc = "#/paths/" + pointerEscape(docPath) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(w.Code)
		if _, ok := op.Responses[strconv.Itoa(w.Code)]; !ok {
			loc = strings.TrimSuffix(loc, strconv.Itoa(w.Code)) + "default"
		}
	}
	sch := d.schema(t, loc+"/content/"+pointerEscape(media)+"/schema")
	var v any = w.Body.String()
	if strings.HasSuffix(media, "json") {
		var err error
		if v, err = jsonschema.UnmarshalJSON(bytes.NewReader(w.Body.Bytes())); err != nil {
			t.Errorf("%s: the body is not JSON: %v", where, err)
			return
		}
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s: the body does not match its schema: %v", where, err)
	}
	if strings.HasSuffix(media, "json") {
		d.validated++
	}
}

// schema compiles the schema at a JSON pointer of the document, once.
func (d *apiDoc) schema(t *testing.T, pointer string) *jsonschema.Schema {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.byLoc[pointer]; s != nil {
		return s
	}
	// The fragment is a URI fragment: percent-encode what a pointer may
	// hold that a fragment may not ("{", "}").
	frag := strings.NewReplacer("{", "%7B", "}", "%7D").Replace(pointer)
	s, err := d.c.Compile(docURL + frag)
	if err != nil {
		t.Fatalf("compile the schema at %s: %v", pointer, err)
	}
	d.byLoc[pointer] = s
	return s
}

// pointerEscape escapes a JSON pointer token (RFC 6901).
func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// TestOpenAPIDescribesEveryAnswer asks the server for every JSON page
// (every code, class, the home page's and codes.json), the other formats
// of a sample, pages named without an extension in each format, 404s,
// search, the site files and the live endpoint (a sample of codes in each
// body format, lists, bad input and a preflight), and holds each answer
// to the document: status, media type, and the body valid against its
// JSON Schema.
func TestOpenAPIDescribesEveryAnswer(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{})
	d := serveDoc(t, s)
	type req struct{ method, target, accept string }
	var reqs []req
	jsonPages := 0
	for _, p := range hardRnd.Pages() {
		code := p.Kind == render.KindCode
		if p.Format == render.JSON || !code || p.Code%50 == 3 {
			reqs = append(reqs, req{"GET", p.Path(), ""})
		}
		if p.Format == render.JSON {
			jsonPages++
		}
	}
	for _, target := range []string{"/", "/5xx", "/503", "/299", "/999"} {
		for _, accept := range []string{"application/json", "text/plain", "text/html", "*/*", "image/png"} {
			reqs = append(reqs, req{"GET", target, accept})
		}
	}
	for _, target := range []string{"/nothing", "/700", "/503.xml", "/6xx"} {
		for _, accept := range []string{"application/json", "text/plain", "text/html"} {
			reqs = append(reqs, req{"GET", target, accept})
		}
	}
	for _, target := range []string{"/search?q=gateway&format=json", "/search?q=299", "/search?q=" + strings.Repeat("x", render.MaxQuery+1),
		"/healthz", "/readyz", "/metrics", "/robots.txt", "/sitemap.xml", openapi.Path} {
		reqs = append(reqs, req{"GET", target, "application/json"})
	}
	for _, codes := range []string{"100", "101", "103", "200", "204", "205", "206", "300", "301", "304", "401", "405", "407", "416",
		"418", "429", "500", "503", "520", "599", "299", "999", "200,500", "500-504", "200:3,500:1", "abc", "600", "503?sleep=x", "503?sleep=1",
		"200?bytes=64", "200?drip=1&bytes=10", "206?sleep-body=1", "503,200?seq=openapi-test", "503,200?seq=openapi-test&seq-loop=1",
		"204?bytes=10", "200?fault=nope", "200:3?seq=x", "200?seq-loop=2"} {
		for _, accept := range []string{"", "application/json", "application/problem+json", "text/plain"} {
			reqs = append(reqs, req{"GET", "/status/" + codes, accept})
		}
		reqs = append(reqs, req{"POST", "/status/" + codes, "application/json"}, req{"DELETE", "/status/" + codes, ""}, req{"HEAD", "/status/" + codes, ""})
	}
	for _, r := range reqs {
		hr := httptest.NewRequest(r.method, r.target, nil)
		if r.accept != "" {
			hr.Header.Set("Accept", r.accept)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, hr)
		d.check(t, r.method, r.target, w)
	}
	pre := httptest.NewRequest("OPTIONS", "/status/503", nil)
	pre.Header.Set("Origin", "https://example.org")
	pre.Header.Set("Access-Control-Request-Method", "PUT")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, pre)
	if w.Code != http.StatusNoContent {
		t.Errorf("preflight: %d, want 204", w.Code)
	}
	d.check(t, "OPTIONS", "/status/503", w)
	// Every JSON page, and the live endpoint's JSON and problem bodies of
	// most of the sample, were held to a schema.
	if d.validated < jsonPages+50 {
		t.Errorf("%d JSON bodies validated, want at least %d: the JSON pages and the live sample", d.validated, jsonPages+50)
	}
	t.Logf("%d answers checked, %d JSON bodies validated (%d JSON pages)", len(reqs)+1, d.validated, jsonPages)
}

// TestOpenAPIDescribesLimits holds the per-client limits' answers to the
// document: the 429 of the request rate on a page and on the live
// endpoint, the live endpoint's own 429 for bytes, and the health checks,
// which no limit refuses.
func TestOpenAPIDescribesLimits(t *testing.T) {
	t.Parallel()
	s := hardServer(t, nil, Options{ClientRate: 1e-6, ClientBurst: 3, ClientMaxBytes: 16})
	d := serveDoc(t, s) // the first token
	refused := 0
	for _, target := range []string{"/status/200?bytes=64", "/503.json", "/healthz", "/readyz", "/status/503", "/5xx.json"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.Code == http.StatusTooManyRequests {
			refused++
		}
		d.check(t, "GET", target, w)
	}
	if refused != 3 {
		t.Errorf("%d answers were 429, want 3: bytes=64 over 16 bytes a minute, then two past the burst of 3", refused)
	}
}
