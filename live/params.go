package live

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// A Param is one input of a request to the endpoint: its codes (In
// "path"), a query option (In "query") or a request header (In "header").
// Params lists them, for documents that describe the endpoint such as the
// site's OpenAPI description.
type Param struct {
	Name        string   // "codes", "sleep", "X-HttpStatus-Response-Retry-After"
	In          string   // "path", "query" or "header"
	Description string   // what it asks for, in sentences
	Type        string   // of the value, as JSON Schema names it: "integer" or "string"
	Minimum     int64    // integer: the smallest value
	Maximum     int64    // integer: the largest value the handler's settings allow
	MaxLength   int      // string: the most bytes, or 0 for no limit of its own
	Pattern     string   // string: a regular expression (ECMA-262) the value matches, or ""
	Enum        []string // the values allowed, when they are a list
	Example     string   // a value to show
}

// Params returns every input of the endpoint that opts configures: the
// codes of the path (Prefix+"{codes}"), the query options in the order the
// endpoint reads them, then the requested response headers in
// alphabetical order. The limits are those of opts (WithMaxSleep, ...).
func Params(opts ...Option) []Param {
	c := newConfig(opts)
	out := []Param{{
		Name: "codes", In: "path", Type: "string", Example: "200:3,500:1",
		Description: fmt.Sprintf("The status to answer with (503), or a list to pick one from at random: evenly (200,500), by weight "+
			"(200:3,500:1; a weight is a number from 0 to %d with at most three decimals, 1 when left out), or from a range (500-504), "+
			"whose weight its codes share. At most %d codes or ranges. Any number from 100 to 599 answers, assigned or not; above 599, "+
			"the codes the catalog documents. Informational codes go out as an interim response before a final 200 OK (101 as the final response).",
			maxWeight, maxChoices),
	}}
	for _, o := range queryOptions {
		p := o.doc(&c)
		p.Name, p.In = o.name, "query"
		out = append(out, p)
	}
	for _, name := range slices.Sorted(slices.Values(requestable)) {
		out = append(out, Param{
			Name: ResponseHeaderPrefix + name, In: "header", Type: "string",
			Description: fmt.Sprintf("Asks for %q in the response with this value, in place of the one the status has. "+
				"At most %d headers may be asked for in one request; a header not in the allowed list is a 400.", name+": VALUE", maxReqHeader),
			MaxLength: maxHeaderLen,
			Pattern:   `^([!-~]([ -~]*[!-~])?)?$`, // validValue: printable ASCII, no space at either end
			Example:   requestableExample(name),
		})
	}
	return out
}

// msDoc returns the doc of an option in milliseconds: sleep, drip and
// sleep-body, which share the handler's sleep cap (WithMaxSleep).
func msDoc(description string) func(c *config) Param {
	return func(c *config) Param {
		return Param{
			Description: description + fmt.Sprintf(" The sleep, drip and sleep-body options add up to at most %d ms. A client that goes away ends the wait.", c.maxSleep.Milliseconds()),
			Type:        "integer", Maximum: c.maxSleep.Milliseconds(), Example: "500",
		}
	}
}

// faultDoc is the doc of fault=NAME, from faultNames and faultDocs.
func faultDoc(*config) Param {
	var b strings.Builder
	b.WriteString("Breaks the response on purpose, after any sleep: ")
	var names []string
	for f := faultNone + 1; f < numFaults; f++ {
		names = append(names, faultNames[f])
		if f > faultNone+1 {
			b.WriteString("; ")
		}
		b.WriteString(faultNames[f] + " " + faultDocs[f])
	}
	b.WriteString(". The faults before the headers send no interim 1xx; the others send it first. Over HTTP/2 only the resets " +
		"(as RST_STREAM) and hang-after-headers apply; the others are a 400 there. The faults that cut the body need one of 2 bytes or more.")
	return Param{Description: b.String(), Type: "string", Enum: names, Example: faultNames[faultTruncate]}
}

// bytesDoc is the doc of bytes=N.
func bytesDoc(c *config) Param {
	return Param{
		Description: fmt.Sprintf("Sends a body of exactly this many bytes, application/octet-stream, of a fixed pattern "+
			"(%q repeated, cut at N), instead of the status's own body; at most %d.", PatternLine, c.maxBody),
		Type: "integer", Maximum: c.maxBody, Example: "1024",
	}
}

// seqDoc is the doc of seq=KEY.
func seqDoc(*config) Param {
	return Param{
		Description: "Plays the list of codes in order, one a request, for each key: /status/503,503,200?seq=k answers 503, 503, " +
			"then 200 to every later request. A key with no request for a while starts over. Weights and ranges are a 400 with seq. " +
			"A shared sequence store that does not answer in time is a 503 that names it.",
		Type: "string", MaxLength: maxSeqKey, Pattern: `^[!-~]+$`, Example: "retry-test-42",
	}
}

// seqLoopDoc is the doc of seq-loop=1.
func seqLoopDoc(*config) Param {
	return Param{
		Description: "With seq: 1 (or true) starts the list over after its last code, instead of repeating the last.",
		Type:        "string", Enum: []string{"1", "0", "true", "false"}, Example: "1",
	}
}

// requestableExample returns a value to show for a requested header.
func requestableExample(name string) string {
	switch name {
	case "Retry-After", "Age":
		return "120"
	case "WWW-Authenticate":
		return `Bearer realm="example"`
	case "Cache-Control":
		return "max-age=60"
	case "Link":
		return `</503>; rel="describedby"`
	case "Vary":
		return "Origin"
	case "Content-Language":
		return "en"
	case "ETag":
		return `"v1"`
	}
	return "Thu, 01 Jan 2026 00:00:00 GMT" // Expires, Last-Modified
}

// A Header is a response header the endpoint may send, with when it does.
type Header struct {
	Name        string
	Description string
}

// ResponseHeaders returns every header a response of the endpoint that
// opts configures may carry, besides Content-Type and Content-Length, in
// alphabetical order: those every answer has, those of the catalog's
// codes (Location, Retry-After, ...), those it computes and those a
// request may ask for.
func ResponseHeaders(opts ...Option) []Header {
	l := New(opts...).handler
	when := map[string][]string{}
	add := func(name, s string) {
		name = http.CanonicalHeaderKey(name)
		when[name] = append(when[name], s)
	}
	add("Access-Control-Allow-Origin", "Always *, so that a page on any site can read the answer.")
	add("Access-Control-Expose-Headers", "Every header a script may need to read: "+l.hExpose[0]+".")
	add("Cache-Control", "no-store, on every answer.")
	add("Vary", "Accept, on every answer: the body's format follows it.")
	for name, codes := range catalogHeaders(l) {
		add(name, "Sent with "+codes+", with the value the catalog gives.")
	}
	add("Location", "300: the HTML page of the code, the preferred choice.")
	add("Link", `300: each choice, rel="alternate" with its type (RFC 8288).`)
	add("Content-Range", `206: "bytes 0-N/LENGTH" of the body sent; 416: "bytes */LENGTH".`)
	add("Connection", "101 over HTTP/1.1: close, since nothing was switched to.")
	add("Retry-After", "On the endpoint's own 503: 1 when too many requests that wait, fault or follow a sequence are served at once, "+
		"or the seconds until bytes=N bodies may be sent again to all clients (WithMaxEgress); on its own 429, when the client is over a limit "+
		"of its own (WithClientMaxSlow, WithClientMaxBytes), the seconds until it may try again.")
	add("RateLimit-Policy", "On the endpoint's own 429: the client's limit (draft-ietf-httpapi-ratelimit-headers-10).")
	add("RateLimit", "On the endpoint's own 429: the state of the client's limit (draft-ietf-httpapi-ratelimit-headers-10).")
	for _, name := range requestable {
		add(name, "When asked for with "+ResponseHeaderPrefix+name+".")
	}
	out := make([]Header, 0, len(when))
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range when {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, Header{Name: name, Description: strings.Join(when[name], " ")})
	}
	return out
}

// catalogHeaders returns the headers with a value in the catalog of l,
// each with the codes that send it ("429, 503").
func catalogHeaders(l *handler) map[string]string {
	codes := map[string][]int{}
	for _, k := range l.cfg.cat.Codes() {
		if !l.allowed(k.Code) {
			continue
		}
		for _, e := range k.Entries {
			for _, h := range e.Headers {
				name := http.CanonicalHeaderKey(h.Name)
				if h.Value != "" && !slices.Contains(codes[name], k.Code) {
					codes[name] = append(codes[name], k.Code)
				}
			}
		}
	}
	out := map[string]string{}
	for name, cs := range codes {
		s := make([]string, len(cs))
		for i, c := range cs {
			s[i] = strconv.Itoa(c)
		}
		out[name] = strings.Join(s, ", ")
	}
	return out
}

// A Body is a JSON body the endpoint sends: its media type, a name and
// description for documents, and a value of its Go type, from which a
// JSON Schema of it can be generated.
type Body struct {
	MediaType   string
	Name        string
	Description string
	Value       any
}

// Bodies returns the JSON bodies of the endpoint, chosen by Accept.
func Bodies() []Body {
	return []Body{
		{contentTypes[formatJSON], "LiveStatus", "The JSON body of a live response: the code, its name and page, and for 1xx what happened to the interim response.", jsonBody{}},
		{contentTypes[formatProblem], "LiveProblem", "An RFC 9457 problem details object for the status, with the code's page (doc) and for 300 its choices as extension members.", problem{}},
	}
}
