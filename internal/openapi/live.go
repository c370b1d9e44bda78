package openapi

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/httpstatus/httpstatus/live"
)

// addLive describes the live endpoint, configured by opts, at
// live.Prefix+"{codes}": every method it answers, with the inputs of
// live.Params shared by them all, and the headers of
// live.ResponseHeaders.
func addLive(d *document, opts []live.Option) {
	item := &pathItem{
		Summary: "The live endpoint: answers with the status asked for",
		Description: "Any method answers. The body is one line of text, or JSON, or an RFC 9457 problem, as Accept asks " +
			"(application/problem+json, application/json, text/plain; text when it names none); 204, 205, 304, 101 and HEAD have none. " +
			"Query parameters the endpoint does not know are ignored (cache-busters); the ones it knows are strict: given twice or " +
			"with a bad value, or where they cannot apply (a body option with a status that has no body), they are a 400 that says why. " +
			"A fault may end the exchange without a response, or with a broken one.",
	}
	for _, p := range live.Params(opts...) {
		item.Parameters = append(item.Parameters, paramOf(p))
	}
	d.Components.Responses["LiveStatus"] = liveResponse(opts)
	d.Components.Responses["LiveBadRequest"] = &response{
		Description: "Bad input (a code out of range, a bad list or weight, a bad option or requested header) is the endpoint's own 400, " +
			"with a one-line reason as text/plain. A 400 asked for (/status/400) is answered as any status is.",
		Content: liveContent(),
	}
	tooMany := tooMany()
	tooMany.Description += " A 429 asked for is answered as any status is."
	tooMany.Content = liveContent()
	d.Components.Responses["LiveTooManyRequests"] = tooMany
	for _, m := range strings.Split(live.Methods, ", ") {
		op := &operation{
			OperationID: opID("live", strings.ToLower(m)),
			Summary:     m + " answered with the status asked for",
			Responses: map[string]*response{
				"400":     {Ref: "#/components/responses/LiveBadRequest"},
				"429":     {Ref: "#/components/responses/LiveTooManyRequests"},
				"default": {Ref: "#/components/responses/LiveStatus"},
			},
		}
		if m == "OPTIONS" {
			op.Description = "A CORS preflight (Origin and Access-Control-Request-Method) gets 204 with the methods, the request headers " +
				"asked for that the endpoint accepts, and a max age; a plain OPTIONS gets the status asked for."
			op.Responses["204"] = preflightResponse()
		}
		setMethod(item, m, op)
	}
	d.Paths[live.Prefix+"{codes}"] = item
}

// paramOf returns the parameter object of an input of the live endpoint.
func paramOf(p live.Param) *parameter {
	s := &jsonschema.Schema{Type: p.Type, Pattern: p.Pattern}
	if p.Type == "integer" {
		s.Minimum = json.Number(strconv.FormatInt(p.Minimum, 10))
		s.Maximum = json.Number(strconv.FormatInt(p.Maximum, 10))
	}
	if p.MaxLength > 0 {
		n := uint64(p.MaxLength)
		s.MaxLength = &n
	}
	for _, v := range p.Enum {
		s.Enum = append(s.Enum, v)
	}
	var example any = p.Example
	if n, err := strconv.Atoi(p.Example); err == nil && p.Type == "integer" {
		example = n
	}
	return &parameter{Name: p.Name, In: p.In, Description: p.Description, Required: p.In == "path", Schema: s, Example: example}
}

// liveResponse is the answer with the status asked for.
func liveResponse(opts []live.Option) *response {
	r := &response{
		Description: "The status asked for, or the one picked from the list (or next in its sequence), with the headers a real server sends with it. " +
			"Beyond the number of requests that may wait, fault or follow a sequence at once, such a request gets the endpoint's own 503 with Retry-After: 1.",
		Headers: map[string]*header{},
		Content: liveContent(),
	}
	for _, h := range live.ResponseHeaders(opts...) {
		r.Headers[h.Name] = &header{Description: h.Description, Schema: str()}
	}
	return r
}

// liveContent is the content of the endpoint's answers, by Accept.
func liveContent() map[string]mediaType {
	out := map[string]mediaType{"text/plain": {Schema: str()}, "application/octet-stream": {Schema: str()}}
	for _, b := range live.Bodies() {
		out[b.MediaType] = mediaType{Schema: ref(b.Name)}
	}
	return out
}

// preflightResponse is the answer to a CORS preflight.
func preflightResponse() *response {
	return &response{
		Description: "A CORS preflight's answer.",
		Headers: map[string]*header{
			"Access-Control-Allow-Origin":  {Description: "*", Schema: str()},
			"Access-Control-Allow-Methods": {Description: live.Methods + ", and the method asked for when it is another token.", Schema: str()},
			"Access-Control-Allow-Headers": {Description: "The request headers asked for that the endpoint accepts: any but a request for a response header not in the allowed list.", Schema: str()},
			"Access-Control-Max-Age":       {Description: "How long a browser may keep the answer, in seconds.", Schema: &jsonschema.Schema{Type: "string", Pattern: "^[0-9]+$"}},
		},
	}
}

// setMethod sets the operation of item for method m.
func setMethod(item *pathItem, m string, op *operation) {
	switch m {
	case "GET":
		item.Get = op
	case "HEAD":
		item.Head = op
	case "POST":
		item.Post = op
	case "PUT":
		item.Put = op
	case "PATCH":
		item.Patch = op
	case "DELETE":
		item.Delete = op
	case "OPTIONS":
		item.Options = op
	default:
		panic("openapi: live.Methods has " + m + ", which the document has no field for")
	}
}
