package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/qvalue"
)

// The request headers of httpstat.us's scheme (its source,
// aaronpowell/httpstatus, names them in StatusExtensions.cs).
const (
	HeaderSleep              = "X-HttpStatus-Sleep"
	HeaderSleepAfterHeaders  = "X-HttpStatus-SleepAfterHeaders"
	HeaderSuppressBody       = "X-HttpStatus-SuppressBody"
	HeaderDribbleBody        = "X-HttpStatus-DribbleBody"
	HeaderAbortBeforeHeaders = "X-HttpStatus-AbortBeforeHeaders"
	HeaderAbortAfterHeaders  = "X-HttpStatus-AbortAfterHeaders"
	HeaderAbortDuringBody    = "X-HttpStatus-AbortDuringBody"
)

// teapotURL is where httpstat.us's /im-a-teapot redirected.
const teapotURL = "https://www.ietf.org/rfc/rfc2324.txt"

// compatUsage is the answer to "/" and the hint of a 404.
const compatUsage = "this address answers /{code} and /random/{codes}, such as /503 or /random/200,500-504, as httpstat.us did, and " + Prefix + "{codes}"

// NewCompat returns the live endpoint in the URL scheme of httpstat.us,
// whose hosted service shut down on 2025-06-30, for serving at the root of
// an address of its own ("httpstatus serve --live-addr"): a suite written
// for httpstat.us switches to it by changing the host. It answers with the
// same statuses and headers as New, with the same options (opts), and
// differs only in how a request names what it wants and in the bodies:
//
//   - /{code} and /{code}/anything answer that code, any method;
//     /random/{codes}/anything too. /random/{codes} picks uniformly from
//     every code its list names: /random/200,500-504 answers 200 once in
//     six, as httpstat.us did (a code or range named twice counts twice).
//     A list holds at most 32 codes or ranges, and takes no weights.
//   - ?sleep=MS (or the request header X-HttpStatus-Sleep: MS) waits before
//     answering, up to the same cap as New's ?sleep; ?suppressBody=true
//     (or X-HttpStatus-SuppressBody: true) sends the status and headers
//     with an empty body. The query string wins over the header, as it did
//     on httpstat.us; other query parameters are ignored.
//   - X-HttpStatus-Response-NAME: VALUE asks for "NAME: VALUE" in the
//     response, for the same short list of names as New.
//   - The fault headers ask for New's options (see the package comment):
//     X-HttpStatus-AbortBeforeHeaders: true is fault=reset-before-headers
//     (httpstat.us aborted the connection before any byte: a reset);
//     X-HttpStatus-AbortAfterHeaders: true is fault=reset-after-headers;
//     X-HttpStatus-AbortDuringBody: true is fault=reset-mid-body, which
//     sends the first half of the body where httpstat.us sent its first
//     byte; X-HttpStatus-SleepAfterHeaders: MS is sleep-body=MS; and
//     X-HttpStatus-DribbleBody: true is drip=1000, the body spread over
//     one second (httpstat.us read that header, but its source shows no
//     timing of its own). false, or 0 ms, asks for nothing; any other
//     value is a 400. They follow the rules of New's options: one fault a
//     request (two abort headers are a 400); the sleep, the sleep after
//     the headers and the dribble's second add up, under the sleep cap;
//     AbortDuringBody, SleepAfterHeaders and DribbleBody need a body, so
//     with HEAD, 101, 204, 205, 304 or suppressBody they are a 400
//     (httpstat.us ignored them there); over HTTP/2 an abort resets the
//     request's stream; and each such request holds a slow slot.
//   - The body is "503 Service Unavailable" as text/plain, or
//     {"code":503,"description":"Service Unavailable"} when Accept names
//     application/json; a code without a name is "Unknown Code". Names
//     are the catalog's, which uses the IANA registry's (413 Content Too
//     Large, where httpstat.us said Request Entity Too Large).
//   - /status/{codes} is New's endpoint, so that the redirects' Location
//     (/status/200) resolves here; / answers 200 with a line on the
//     scheme, and /im-a-teapot redirects to RFC 2324, as on httpstat.us.
//
// Bad input (a code out of range, a bad list, a bad option or header
// value) is a 400 with a one-line reason; a path of another shape is a
// 404. The answers to a preflight, 1xx codes and HEAD are New's.
func NewCompat(opts ...Option) http.Handler { return New(opts...).Compat() }

// Compat returns the endpoint in httpstat.us's URL scheme (NewCompat)
// with h's settings, slow slots, byte budgets and sequences: a server that
// serves both counts a client's requests to either once, and a sequence
// key plays one sequence on both.
func (h *Handler) Compat() http.Handler {
	l := newHandler(h.cfg, h.limits)
	l.compat = true
	return &compat{l: l, status: h}
}

// compat serves httpstat.us's URL scheme (NewCompat).
type compat struct {
	l      *handler     // with httpstat.us's bodies
	status http.Handler // New's endpoint, for /status/
}

// Routes of httpstat.us's scheme.
const (
	routeNone   = iota // a 404
	routeRoot          // "/"
	routeTeapot        // "/im-a-teapot"
	routeStatus        // New's "/status/{codes}"
	routeCode          // "/{code}[/anything]"
	routeRandom        // "/random/{codes}[/anything]"
)

func (c *compat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, arg := compatRoute(r.URL.Path)
	switch route {
	case routeNone:
		writeError(w, r, http.StatusNotFound, "Not found: "+compatUsage+".")
		return
	case routeRoot:
		writeError(w, r, http.StatusOK, "httpstatus: "+compatUsage+".")
		return
	case routeTeapot:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, r, http.StatusMethodNotAllowed, "Method "+cut(r.Method)+" is not allowed: /im-a-teapot answers GET and HEAD.")
			return
		}
		w.Header().Set("Location", teapotURL)
		w.WriteHeader(http.StatusFound)
		return
	case routeStatus:
		c.status.ServeHTTP(w, r)
		return
	}
	if isPreflight(r) {
		preflight(w, r)
		return
	}
	l := c.l
	l.setHeaders(w.Header())
	var buf [4]choice
	choices, err := compatChoices(buf[:0], route, arg, l.allowed, l.hint)
	if err != nil {
		badRequest(w, r, err)
		return
	}
	p, err := parseCompat(r, &l.cfg)
	if err == nil {
		err = checkCompat(r, choices, &p)
	}
	if err != nil {
		badRequest(w, r, err)
		return
	}
	l.answer(w, r, choices, p)
}

// compatRoute returns the route of a path of httpstat.us's scheme and its
// codes segment: the digits of /{code}, the list of /random/{codes}.
func compatRoute(path string) (route int, codes string) {
	switch {
	case path == "/":
		return routeRoot, ""
	case path == "/im-a-teapot":
		return routeTeapot, ""
	case strings.HasPrefix(path, Prefix):
		return routeStatus, ""
	}
	first, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if first == "random" {
		list, _, _ := strings.Cut(rest, "/")
		if list == "" {
			return routeNone, ""
		}
		return routeRandom, list
	}
	if !isDigits(first) {
		return routeNone, "" // httpstat.us's route took an integer
	}
	return routeCode, first
}

// compatChoices parses the codes segment of a route into out: one code,
// or a random list of codes and ranges ("200,500-504"), each code of
// which is as likely as any other.
func compatChoices(out []choice, route int, codes string, allowed func(int) bool, hint string) ([]choice, error) {
	if route == routeCode {
		c, err := parseItem(codes, allowed, hint)
		if err != nil {
			return nil, err
		}
		return append(out, choice{lo: c.lo, hi: c.hi, weight: 1}), nil
	}
	if n := strings.Count(codes, ",") + 1; n > maxChoices {
		return nil, fmt.Errorf("too many choices (%d): at most %d codes or ranges in one list", n, maxChoices)
	}
	for part := range strings.SplitSeq(codes, ",") {
		if strings.Contains(part, ":") {
			return nil, fmt.Errorf("bad list %s: /random takes no weights: write /random/200,500-504; weights are for %s{codes}", quote(codes), Prefix)
		}
		c, err := parseItem(strings.TrimSpace(part), allowed, hint)
		if err != nil {
			return nil, err
		}
		// Each code of a range as likely as a code on its own.
		c.weight = c.hi - c.lo + 1
		out = append(out, c)
	}
	return out, nil
}

// A compatHeader is a request header of httpstat.us's scheme. One that
// stands in for a query option (query) is read only when the query
// string does not give that option.
type compatHeader struct {
	name, query string
	parse       func(p *params, name, v string, c *config) error
}

var compatHeaders = []compatHeader{
	{HeaderSleep, "sleep", compatSleep},
	{HeaderSuppressBody, "suppressBody", compatSuppress},
	{HeaderSleepAfterHeaders, "", compatSleepBody},
	{HeaderDribbleBody, "", compatDribble},
	{HeaderAbortBeforeHeaders, "", compatFault(faultResetBeforeHeaders)},
	{HeaderAbortAfterHeaders, "", compatFault(faultResetAfterHeaders)},
	{HeaderAbortDuringBody, "", compatFault(faultResetMidBody)},
}

// dribbleTime is the drip that X-HttpStatus-DribbleBody: true asks for:
// the body spread over one second.
const dribbleTime = time.Second

// abortHeaders name the header of httpstat.us's scheme that asks for each
// fault, for the 400 of a request that asks for two.
var abortHeaders = [numFaults]string{
	faultResetBeforeHeaders: HeaderAbortBeforeHeaders,
	faultResetAfterHeaders:  HeaderAbortAfterHeaders,
	faultResetMidBody:       HeaderAbortDuringBody,
}

// parseCompat reads what a request of httpstat.us's scheme asks for
// beyond its codes: the query options sleep and suppressBody (names
// matched without regard to case, as ASP.NET did), the X-HttpStatus-*
// headers and the requested response headers.
func parseCompat(r *http.Request, c *config) (params, error) {
	var p params
	given := map[string]bool{}
	if r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return p, errors.New("malformed query string: want name=value pairs joined by &, with %XX escapes")
		}
		for _, h := range compatHeaders {
			if h.query == "" {
				continue
			}
			var vs []string
			for k, v := range q {
				if strings.EqualFold(k, h.query) {
					vs = append(vs, v...)
				}
			}
			switch {
			case len(vs) > 1:
				return p, fmt.Errorf("the %s option is given %d times: give it once", h.query, len(vs))
			case len(vs) == 1:
				if err := h.parse(&p, h.query, vs[0], c); err != nil {
					return p, err
				}
				given[h.query] = true
			}
		}
	}
	for _, h := range compatHeaders {
		vs := r.Header.Values(h.name)
		switch {
		case len(vs) == 0 || (h.query != "" && given[h.query]):
		case len(vs) > 1:
			return p, fmt.Errorf("header %s is given %d times: give it once", h.name, len(vs))
		default:
			if err := h.parse(&p, h.name, vs[0], c); err != nil {
				return p, err
			}
		}
	}
	if w := p.waits(); w > c.maxSleep {
		return p, fmt.Errorf("the sleep, %s and the %d ms of %s add up to %d ms, over the cap of %d ms",
			HeaderSleepAfterHeaders, dribbleTime.Milliseconds(), HeaderDribbleBody, w.Milliseconds(), c.maxSleep.Milliseconds())
	}
	if asksHeaders(r.Header) {
		var err error
		if p.headers, err = parseRequested(r.Header); err != nil {
			return p, err
		}
	}
	return p, nil
}

// checkCompat refuses what cannot apply to this request and these codes,
// by the rules of checkCombination, naming the headers of httpstat.us's
// scheme: a header that needs a body (AbortDuringBody, DribbleBody,
// SleepAfterHeaders) with HEAD, with a response that has none, or with
// suppressBody.
func checkCompat(r *http.Request, choices []choice, p *params) error {
	var what string
	switch {
	case p.fault.cutsBody():
		what = HeaderAbortDuringBody
	case p.drip > 0:
		what = HeaderDribbleBody
	case p.sleepBody > 0:
		what = HeaderSleepAfterHeaders
	}
	if what != "" {
		if err := checkBody(r, choices, what, true); err != nil {
			return err
		}
		if p.noBody {
			return fmt.Errorf("%s needs a body, and suppressBody asks for none", what)
		}
	}
	return checkCombination(r, "", choices, p)
}

// compatSleep reads a sleep in milliseconds, up to the handler's cap.
func compatSleep(p *params, name, v string, c *config) error {
	ms, err := parseMillis(name, v, c)
	p.sleep = ms
	return err
}

// compatSuppress reads suppressBody: true or false.
func compatSuppress(p *params, name, v string, _ *config) error {
	b, err := parseBool(name, v)
	p.noBody = b
	return err
}

// compatSleepBody reads X-HttpStatus-SleepAfterHeaders: the wait between
// the headers and the body (sleep-body), in milliseconds.
func compatSleepBody(p *params, name, v string, c *config) error {
	ms, err := parseMillis(name, v, c)
	p.sleepBody = ms
	return err
}

// compatDribble reads X-HttpStatus-DribbleBody: true asks for the body
// spread over dribbleTime.
func compatDribble(p *params, name, v string, _ *config) error {
	b, err := parseBool(name, v)
	if b {
		p.drip = dribbleTime
	}
	return err
}

// compatFault returns the reader of an abort header: true asks for f,
// and a request may ask for one fault only.
func compatFault(f fault) func(p *params, name, v string, _ *config) error {
	return func(p *params, name, v string, _ *config) error {
		on, err := parseBool(name, v)
		switch {
		case err != nil || !on:
			return err
		case p.fault != faultNone:
			return fmt.Errorf("%s and %s both ask for a fault: ask for one", abortHeaders[p.fault], name)
		}
		p.fault = f
		return nil
	}
}

// parseMillis reads a number of milliseconds, up to the handler's cap on
// sleeps; name is the option or header, for the error.
func parseMillis(name, v string, c *config) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if !isDigits(v) {
		return 0, fmt.Errorf("bad %s %s: want milliseconds, such as 500", name, quote(v))
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > c.maxSleep.Milliseconds() {
		return 0, fmt.Errorf("%s of %s ms is over the cap of %d ms", name, cut(v), c.maxSleep.Milliseconds())
	}
	return time.Duration(n) * time.Millisecond, nil
}

// parseBool reads true or false, in any case, as .NET's bool.TryParse
// did; name is the option or header, for the error.
func parseBool(name, v string) (bool, error) {
	switch v = strings.TrimSpace(v); {
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, fmt.Errorf("bad %s %s: want true or false", name, quote(v))
}

// newStatus prepares the answer of code in the handler's style.
func (l *handler) newStatus(code int) *status {
	st := newStatus(l.cfg.cat, code, l.finalName)
	if l.compat {
		compatBodies(st, l.cfg.cat)
	}
	return st
}

// compatBodies gives st httpstat.us's text and JSON bodies. A 1xx keeps
// the final response's bodies of New (httpstat.us sent a 1xx as the
// final status, which a client cannot read as one); a status without a
// body keeps none. A 300 names no choices: the site's pages it names are
// not served on this address.
func compatBodies(st *status, cat *catalog.Catalog) {
	if st.code < 200 || st.body[formatText] == nil {
		return
	}
	desc := "Unknown Code"
	if k, err := cat.Lookup(st.code); err == nil {
		desc = k.Primary().Name
	}
	st.body[formatText] = []byte(strconv.Itoa(st.code) + " " + desc)
	st.body[formatJSON], _ = json.Marshal(struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	}{st.code, desc})
	for _, f := range [...]int{formatText, formatJSON} {
		st.bodyLen[f] = lengthOf(st.body[f])
		st.contentRange[f] = contentRange(st.code, int64(len(st.body[f])))
	}
	if st.code == http.StatusMultipleChoices {
		for i := len(st.headers) - 1; i >= 0; i-- {
			if n := st.headers[i][0]; n == "Location" || n == "Link" {
				st.headers = slices.Delete(st.headers, i, i+1)
				st.hvals = slices.Delete(st.hvals, i, i+1)
			}
		}
	}
}

// format picks the body format from Accept: formatOf for New; for
// httpstat.us's scheme JSON when Accept names application/json (with a
// q-value over 0), text otherwise.
func (l *handler) format(accept string) int {
	if !l.compat {
		return formatOf(accept)
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
			continue
		}
		q := 1000
		for p := range strings.SplitSeq(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				q = qvalue.Parse(strings.TrimSpace(v))
			}
		}
		if q > 0 {
			return formatJSON
		}
	}
	return formatText
}
