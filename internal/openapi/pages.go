package openapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
)

// pageHeaders are the headers of a documentation page's answer, kept in
// the document's components.
func pageHeaders() map[string]*header {
	return map[string]*header{
		"ETag":          {Description: "A strong validator of the representation sent (encoding included): send it back in If-None-Match for a 304.", Schema: str()},
		"Cache-Control": {Description: "public, max-age=3600 for pages and site files.", Schema: str()},
		"Vary":          {Description: "Accept-Encoding; Accept too for a page named without an extension, whose format follows Accept.", Schema: str()},
	}
}

// pageKind is a kind of documentation page: its path answered by Accept,
// the path its forms add an extension to, and the document's schema of
// its JSON form.
type pageKind struct {
	negotiated, named, schema, summary string
	param                              *parameter // of templated paths
}

// addPages describes the documentation pages in every format render has:
// the home page, codes.json, each class of the catalog, every code, and
// the guides.
func addPages(d *document, rnd *render.Renderer) {
	d.Components.Responses["NotModified"] = &response{Description: "The ETag sent in If-None-Match still matches: no body."}
	d.Components.Responses["NotFound"] = &response{
		Description: "The path names nothing: a page with the codes closest to what it says, in the format Accept asks for (text when it allows none).",
		Content:     contentOf(render.Formats, "NotFound"),
	}
	d.Components.Responses["NotAcceptable"] = &response{
		Description: "Accept rules out every format the page has.",
		Content:     textContent(),
	}
	kinds := []pageKind{{negotiated: "/", named: "/index", schema: "CodeList", summary: "The home page; its JSON form lists every code"}}
	for _, k := range rnd.Catalog().Classes() {
		kinds = append(kinds, pageKind{negotiated: "/" + k.Name, named: "/" + k.Name, schema: "Class", summary: fmt.Sprintf("The %s class: %s", k.Name, k.Title)})
	}
	kinds = append(kinds, pageKind{negotiated: "/{code}", named: "/{code}", schema: "Code", summary: "The page of one status code", param: codeParam(rnd)})
	kinds = append(kinds, pageKind{negotiated: "/" + catalog.GuideDir, named: "/" + catalog.GuideDir, schema: "GuideList", summary: "The guides: choosing a status, and codes people confuse"})
	kinds = append(kinds, pageKind{negotiated: render.ClientsPath, named: render.ClientsPath, schema: "Clients", summary: "What real clients do: every scenario against every client, with versions"})
	if p := guideParam(rnd); p != nil {
		g := "/" + catalog.GuideDir + "/{guide}"
		kinds = append(kinds, pageKind{negotiated: g, named: g, schema: "Guide", summary: "One guide", param: p})
	}
	for _, k := range kinds {
		d.Paths[k.negotiated] = pagePath(k, k.negotiated, render.Formats, true)
		for _, f := range render.Formats {
			path := k.named + "." + f.Ext()
			d.Paths[path] = pagePath(k, path, []render.Format{f}, false)
		}
	}
	codes := pageKind{schema: "CodeList", summary: "Every code of the catalog"}
	d.Paths["/codes.json"] = pagePath(codes, "/codes.json", []render.Format{render.JSON}, false)
}

// pagePath describes a page at path, answered in formats; by Accept when
// negotiated.
func pagePath(k pageKind, path string, formats []render.Format, negotiated bool) *pathItem {
	ok := &response{
		Description: "The page, served 200 OK whatever status it explains.",
		Headers: map[string]*header{
			"ETag":          {Ref: "#/components/headers/ETag"},
			"Cache-Control": {Ref: "#/components/headers/Cache-Control"},
			"Vary":          {Ref: "#/components/headers/Vary"},
		},
		Content: contentOf(formats, k.schema),
	}
	op := &operation{
		OperationID: opID("get", path),
		Summary:     k.summary,
		Responses:   map[string]*response{"200": ok, "304": {Ref: "#/components/responses/NotModified"}},
	}
	if negotiated {
		op.Description = "The format follows Accept: HTML for browsers and when Accept is missing, text when it names only */* (curl), " +
			"else the type with the highest q-value (HTML, then JSON, then text on a tie)."
		op.Responses["406"] = &response{Ref: "#/components/responses/NotAcceptable"}
	}
	if k.param != nil {
		op.Parameters = []*parameter{k.param}
		op.Responses["404"] = &response{Ref: "#/components/responses/NotFound"}
	}
	return &pathItem{Get: op}
}

// contentOf returns the content of an answer in formats, the JSON one of
// the document's schema name.
func contentOf(formats []render.Format, schema string) map[string]mediaType {
	out := map[string]mediaType{}
	for _, f := range formats {
		s := str()
		if f == render.JSON {
			s = ref(schema)
		}
		out[baseType(f.ContentType())] = mediaType{Schema: s}
	}
	return out
}

// codeParam is the {code} of a code's page: any number from 100 to 599,
// or one above 599 that the catalog documents.
func codeParam(rnd *render.Renderer) *parameter {
	var beyond []string
	top := 599
	for _, k := range rnd.Catalog().Codes() {
		if k.Code > 599 {
			beyond = append(beyond, strconv.Itoa(k.Code))
			top = max(top, k.Code)
		}
	}
	desc := "A status code: any number from 100 to 599, assigned or not (an unassigned one's page says what clients do with it)"
	if len(beyond) > 0 {
		desc += ", or one the catalog documents above 599: " + strings.Join(beyond, ", ")
	}
	return &parameter{
		Name: "code", In: "path", Required: true, Description: desc + ". Another number is a 404.",
		Schema:  &jsonschema.Schema{Type: "integer", Minimum: json.Number("100"), Maximum: json.Number(strconv.Itoa(top))},
		Example: 503,
	}
}

// guideParam is the {guide} of a guide's page: the name of one of the
// catalog's guides; nil when it has none.
func guideParam(rnd *render.Renderer) *parameter {
	var names []any
	for _, g := range rnd.Catalog().Guides() {
		names = append(names, g.Name)
	}
	if len(names) == 0 {
		return nil
	}
	return &parameter{
		Name: "guide", In: "path", Required: true, Description: "The name of a guide. Another name is a 404.",
		Schema: &jsonschema.Schema{Type: "string", Enum: names}, Example: names[0],
	}
}

// baseType returns a media type without its parameters.
func baseType(ct string) string {
	t, _, _ := strings.Cut(ct, ";")
	return t
}

// addSite describes /search, the health checks, /metrics and the site
// files.
func addSite(d *document) {
	formats := make([]any, len(render.Formats))
	for i, f := range render.Formats {
		formats[i] = f.Ext()
	}
	maxQ := uint64(render.MaxQuery)
	d.Paths["/search"] = &pathItem{Get: &operation{
		OperationID: "search",
		Summary:     "Search the codes by number, name, alias or words of their meaning",
		Description: "The format is the format parameter's, else Accept's as for a page. Results are not cached (Cache-Control: no-cache).",
		Parameters: []*parameter{
			{Name: "q", In: "query", Description: "What to look for: a number, a name, an alias or words of a meaning.", Schema: &jsonschema.Schema{Type: "string", MaxLength: &maxQ}, Example: "gateway timeout"},
			{Name: "format", In: "query", Description: "The format of the results (\"text\" names txt too); it wins over Accept.", Schema: &jsonschema.Schema{Type: "string", Enum: formats}},
		},
		Responses: map[string]*response{
			"200": {Description: "The results, best first.", Content: contentOf(render.Formats, "Search")},
			"400": {Description: fmt.Sprintf("The query is longer than %d bytes.", render.MaxQuery), Content: textContent()},
		},
	}}
	plain := func(id, summary, desc string, codes map[string]string) {
		rs := map[string]*response{}
		for code, what := range codes {
			rs[code] = &response{Description: what, Content: textContent()}
		}
		d.Paths["/"+id] = &pathItem{Get: &operation{OperationID: opID("get", id), Summary: summary, Description: desc, Responses: rs}}
	}
	plain("healthz", "Liveness: the process answers", "Cache-Control: no-store.", map[string]string{"200": "ok"})
	plain("readyz", "Readiness, for load balancers", "200 once every page is rendered; 503 before that and while shutting down. Cache-Control: no-store.",
		map[string]string{"200": "ready", "503": "warming up, or shutting down"})
	plain("metrics", "Prometheus metrics", "Request counts and durations by route, and the build. Not here when \"serve --metrics-addr\" serves them on an address of their own.",
		map[string]string{"200": "The metrics in Prometheus's text format (OpenMetrics when Accept asks for it)."})
	plain("robots.txt", "robots.txt: crawlers may read every page, but not /status/ or /search", "", map[string]string{"200": "robots.txt, naming the sitemap under the site's base URL."})
	d.Paths["/sitemap.xml"] = &pathItem{Get: &operation{OperationID: "getSitemapXml", Summary: "The sitemap: every HTML page", Responses: map[string]*response{
		"200": {Description: "A sitemaps.org 0.9 sitemap, the URLs under the site's base URL.", Content: map[string]mediaType{render.SitemapContentType: {Schema: str()}}},
	}}}
	d.Paths[Path] = &pathItem{Get: &operation{OperationID: "getOpenapiJson", Summary: "This document", Responses: map[string]*response{
		"200": {Description: "The OpenAPI 3.1 description of the site.", Content: map[string]mediaType{ContentType: {Schema: &jsonschema.Schema{Type: "object"}}}},
	}}}
}

// textContent is the content of a plain-text answer.
func textContent() map[string]mediaType {
	return map[string]mediaType{baseType(render.Text.ContentType()): {Schema: str()}}
}
