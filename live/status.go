package live

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Body formats, chosen by Accept (format.go).
const (
	formatText = iota
	formatJSON
	formatProblem
	numFormats
)

var contentTypes = [numFormats]string{
	formatText:    "text/plain; charset=utf-8",
	formatJSON:    "application/json",
	formatProblem: "application/problem+json",
}

// status is everything the endpoint sends for one code, built once.
type status struct {
	code    int
	headers [][2]string // from the catalog, in file order
	hvals   [][]string  // the values of headers, as header values
	// The Content-Range of 206 and 416 by format, as a header value (nil
	// for other codes): it describes the body sent.
	contentRange [numFormats][]string
	body         [numFormats][]byte // nil when the status has no body
	// For 1xx other than 101: the final response's bodies when the interim
	// response went out (body) and when it could not (unsent).
	unsent [numFormats][]byte
	// The Content-Length values of body and unsent.
	bodyLen, unsentLen [numFormats][]string
}

// jsonBody is the JSON body of a live response.
type jsonBody struct {
	Code     int    `json:"code"`
	Name     string `json:"name"`
	Summary  string `json:"summary,omitempty"`
	URL      string `json:"url"`
	Assigned bool   `json:"assigned"`
	Interim  string `json:"interim,omitempty"` // 1xx: "sent" or why not
	Final    int    `json:"final,omitempty"`   // 1xx: the status that ended the response
	Choices  []alt  `json:"choices,omitempty"` // 300
}

// problem is an RFC 9457 problem details object, with the page of the
// code, and for 300 the choices, as extension members.
type problem struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Status  int    `json:"status"`
	Detail  string `json:"detail,omitempty"`
	Doc     string `json:"doc"`
	Choices []alt  `json:"choices,omitempty"`
}

// alt is one choice of a 300 response: a URL and its media type.
type alt struct {
	URL  string `json:"url"`
	Type string `json:"type"`
}

// choicesOf returns the representations a 300 for code offers: the code's
// documentation page in each of its formats, the HTML one preferred. The
// paths are the site's (/503, /503.json, /503.txt); relative, as the
// bodies' url, so they resolve against the host that serves the site.
func choicesOf(code int) []alt {
	p := "/" + strconv.Itoa(code)
	return []alt{{p, "text/html"}, {p + ".json", "application/json"}, {p + ".txt", "text/plain"}}
}

// newStatus prepares the headers and bodies of code. finalName names 200,
// the final status after an interim one.
func newStatus(cat *catalog.Catalog, code int, finalName string) *status {
	st := &status{code: code}
	b := jsonBody{Code: code, URL: "/" + strconv.Itoa(code)}
	line := fmt.Sprintf("%d (unassigned)", code)
	if k, err := cat.Lookup(code); err == nil {
		b.Name, b.Summary, b.Assigned = k.Primary().Name, k.Primary().Summary, true
		line = fmt.Sprintf("%d %s", code, b.Name)
		st.addCatalogHeaders(k)
	}
	title := b.Name
	if title == "" {
		title = line
	}
	switch {
	case code >= 100 && code <= 199:
		st.body, st.unsent = interimBodies(b, line, finalName)
	case !bodyAllowed(code):
		// No body: 204, 205 and 304 forbid one.
	case code == http.StatusMultipleChoices:
		st.body = multipleChoices(st, b, line, title)
	default:
		st.body = bodies(b, line, problem{Type: "about:blank", Title: title, Status: code, Detail: b.Summary, Doc: b.URL})
	}
	for f := range st.body {
		st.bodyLen[f] = lengthOf(st.body[f])
		st.unsentLen[f] = lengthOf(st.unsent[f])
		st.contentRange[f] = contentRange(code, int64(len(st.body[f])))
	}
	return st
}

// addCatalogHeaders adds every header of the code's meanings that has a
// value, the first meaning's first.
func (st *status) addCatalogHeaders(k *catalog.Code) {
	seen := map[string]bool{}
	for _, e := range k.Entries {
		for _, h := range e.Headers {
			name := http.CanonicalHeaderKey(h.Name)
			if h.Value == "" || seen[name] {
				continue
			}
			seen[name] = true
			st.setHeader(name, h.Value)
		}
	}
}

// setHeader sets a header of the status, replacing one of the same name.
func (st *status) setHeader(name, value string) {
	for i, kv := range st.headers {
		if kv[0] == name {
			st.headers[i][1], st.hvals[i] = value, []string{value}
			return
		}
	}
	st.headers = append(st.headers, [2]string{name, value})
	st.hvals = append(st.hvals, []string{value})
}

// bodies returns a body in each format. Marshalling structs of strings
// and ints cannot fail.
func bodies(b jsonBody, text string, p problem) (out [numFormats][]byte) {
	out[formatText] = []byte(text + "\n")
	out[formatJSON], _ = json.Marshal(b)
	out[formatProblem], _ = json.Marshal(p)
	return out
}

// interimBodies returns the bodies of the final 200 after a 1xx: when the
// interim response went out (sent) and when it could not (unsent).
func interimBodies(b jsonBody, line, finalName string) (sent, unsent [numFormats][]byte) {
	const why = "HTTP/1.0 allows no 1xx responses and HTTP/2 no 101"
	finalLine := fmt.Sprintf("%d %s", http.StatusOK, finalName)
	u := b
	u.Interim, u.Final = "not sent: "+why, http.StatusOK
	unsent = bodies(u, line+": not sent, as "+why+"; this is the final "+finalLine,
		problem{Type: "about:blank", Title: finalName, Status: http.StatusOK, Detail: line + " was not sent: " + why + ".", Doc: b.URL})
	if b.Code == http.StatusSwitchingProtocols {
		return sent, unsent // 101 is sent as a final response, without a body
	}
	s := b
	s.Interim, s.Final = "sent", http.StatusOK
	sent = bodies(s, line+": sent as an interim response; this is the final "+finalLine,
		problem{Type: "about:blank", Title: finalName, Status: http.StatusOK, Detail: line + " was sent as an interim response before this final response.", Doc: b.URL})
	return sent, unsent
}

// multipleChoices returns the bodies of a 300, which list the choices, and
// names them in Link and the preferred one in Location: RFC 9110 §15.4.1
// asks for content with the list of choices (there is no standard format
// for it) and a Location for a preferred choice; Link with
// rel="alternate" (RFC 8288) is its machine-readable form.
func multipleChoices(st *status, b jsonBody, line, title string) [numFormats][]byte {
	alts := choicesOf(b.Code)
	text, link := line+": choose ", ""
	for i, a := range alts {
		switch {
		case i == len(alts)-1:
			text += " or "
		case i > 0:
			text += ", "
		}
		text += a.URL + " (" + a.Type + ")"
		if i > 0 {
			link += ", "
		}
		link += fmt.Sprintf("<%s>; rel=\"alternate\"; type=%q", a.URL, a.Type)
	}
	st.setHeader("Location", alts[0].URL)
	st.setHeader("Link", link)
	b.Choices = alts
	return bodies(b, text, problem{Type: "about:blank", Title: title, Status: b.Code, Detail: b.Summary, Doc: b.URL, Choices: alts})
}

// contentRange returns the Content-Range a response with code and body
// must carry: a 206 sends the whole representation as its one range
// (RFC 9110 §15.3.7 requires Content-Range; §14.4 its form "bytes
// first-last/length"), and a 416 names the representation's length as
// "bytes */length" (RFC 9110 §15.5.17). The representation is the body in
// the format asked for, of n bytes.
func contentRange(code int, n int64) []string {
	switch {
	case code == http.StatusPartialContent && n > 0:
		return []string{fmt.Sprintf("bytes 0-%d/%d", n-1, n)}
	case code == http.StatusRequestedRangeNotSatisfiable:
		return []string{fmt.Sprintf("bytes */%d", n)}
	}
	return nil
}

// lengthOf returns the Content-Length value of a body, or nil for none.
func lengthOf(b []byte) []string {
	if b == nil {
		return nil
	}
	return []string{strconv.Itoa(len(b))}
}

// bodyAllowed reports whether a final response with this status may carry
// content (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
func bodyAllowed(code int) bool {
	switch code {
	case http.StatusNoContent, http.StatusResetContent, http.StatusNotModified:
		return false
	}
	return code >= 200
}
