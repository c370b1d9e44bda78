package live

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// fuzzMaxBody is the cap on bytes=N of the handler FuzzLiveOptions
// fuzzes: small, so that a body costs little.
const fuzzMaxBody = 4096

// FuzzLiveOptions sends whole requests with fuzzed codes, query, requested
// header, Accept, method (GET or HEAD) and protocol (HTTP/1.1, HTTP/1.0 or
// HTTP/2) through the endpoint, and holds each answer to an oracle,
// liveVerdict, a model of the rules written apart from the parsers: a
// valid request gets a status it asked for (200 after a 1xx), never a
// 400, and a fault that breaks the connection breaks it (here, where the
// connection cannot be taken over, by aborting the handler); an invalid
// one gets a one-line 400 whose reason names the first problem, in the
// order the endpoint checks (codes, query options, requested headers,
// combinations).
func FuzzLiveOptions(f *testing.F) {
	f.Add("503", "", "Retry-After", "120", "", false, uint8(0))
	f.Add("200,500", "sleep=1", "Cache-Control", "no-cache", "application/json", false, uint8(0))
	f.Add("103", "sleep=0", "Link", "</x>; rel=preload", "application/problem+json", true, uint8(1))
	f.Add("200:3,500:1", "sleep=3", "Set-Cookie", "a=b", "*/*", false, uint8(2))
	f.Add("abc", "x=1&sleep=", "", "", "", false, uint8(0))
	f.Add("204", "%zz", "Vary", "\x00", "text/plain;q=0", false, uint8(0))
	f.Add("500-504", "_=1700000000", "", "", "", false, uint8(0))
	f.Add("200:8,500-504:2", "Sleep=2&x", "Age", "1", "", false, uint8(0))
	f.Add("504-500", "", "", "", "", false, uint8(0))
	f.Add("590-610:1", "sleep=1&sleep=1", "", "", "", false, uint8(0))
	f.Add("206,416,300", "a;b", "ETag", " x", "", false, uint8(0))
	f.Add("200", "fault=reset-mid-body&bytes=1", "", "", "", false, uint8(0))
	f.Add("200", "fault=TRUNCATE&drip=1", "", "", "", false, uint8(2))
	f.Add("200", "fault=bad-chunk", "", "", "", false, uint8(1))
	f.Add("200-210", "fault=reset-after-headers&sleep-body=1", "", "", "", true, uint8(0))
	f.Add("101", "fault=hang-after-headers", "", "", "", false, uint8(2))
	f.Add("100,204", "bytes=10", "", "", "", true, uint8(0))
	f.Add("503,503,200", "seq=k&seq-loop=1&fault=close-before-headers", "", "", "", false, uint8(0))
	f.Add("503:2,200", "seq=k", "", "", "", false, uint8(0))
	f.Add("500-504", "seq=a%20b&drip=x", "", "", "", false, uint8(0))
	f.Add("200", "sleep=1&drip=1&sleep-body=1&fault=garbage", "", "", "", false, uint8(0))
	f.Add("200", "bytes=4097&seq-loop=2&seq=", "", "", "", false, uint8(0))
	l := newTestLive(f, WithMaxSleep(2*time.Millisecond), WithMaxBody(fuzzMaxBody))
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, codes, query, name, value, accept string, head bool, proto uint8) {
		c := liveCase{codes: codes, query: query, name: name, value: value, method: http.MethodGet, major: 1, minor: 1, maxSleepMS: 2, maxBody: fuzzMaxBody}
		if head {
			c.method = http.MethodHead
		}
		switch proto % 3 {
		case 1:
			c.minor = 0
		case 2:
			c.major, c.minor = 2, 0
		}
		req := &http.Request{Method: c.method, URL: &url.URL{Path: "/status/" + codes, RawQuery: query}, Header: http.Header{}, Body: http.NoBody,
			Proto: fmt.Sprintf("HTTP/%d.%d", c.major, c.minor), ProtoMajor: c.major, ProtoMinor: c.minor}
		req = req.WithContext(context.Background())
		if name != "" {
			req.Header[ResponseHeaderPrefix+name] = []string{value}
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		w := &finalWriter{h: http.Header{}}
		broke := serveAborting(l, w, req)
		where := fmt.Sprintf("%s /status/%q?%q %s with %q: %q", c.method, codes, query, req.Proto, name, value)
		v := liveVerdict(cat, c)
		b := w.body.String()
		switch {
		case v.want != "" && w.status != http.StatusBadRequest:
			t.Fatalf("%s: answered %d %q (broken: %v), want a 400 that says %q", where, w.status, b, broke, v.want)
		case v.want != "" && !head && (!strings.Contains(b, v.want) || strings.Count(b, "\n") != 1 || !strings.HasSuffix(b, ".\n")):
			t.Fatalf("%s: 400 %q, want one line that says %q", where, b, v.want)
		case v.want == "" && broke != v.breaks:
			t.Fatalf("%s: answered %d %q, broken: %v; want broken: %v", where, w.status, b, broke, v.breaks)
		case v.want == "" && !v.statuses[w.status] && !(broke && w.status == 0):
			t.Fatalf("%s: answered %d %q, want one of the statuses asked for", where, w.status, b)
		}
	})
}

// serveAborting serves r and reports whether the handler aborted the
// response (http.ErrAbortHandler), as a fault does where it cannot take
// the connection over.
func serveAborting(h http.Handler, w http.ResponseWriter, r *http.Request) (aborted bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, r)
	return false
}

// The forms liveVerdict accepts, as regular expressions: a model of the
// syntax apart from the parsers it checks.
var (
	reCode   = regexp.MustCompile(`^[1-9][0-9]{2}$`)
	reRange  = regexp.MustCompile(`^([1-9][0-9]{2})-([1-9][0-9]{2})$`)
	reWeight = regexp.MustCompile(`^(?:[0-9]{1,4}(?:\.[0-9]{1,3})?|\.[0-9]{1,3})$`)
	reMS     = regexp.MustCompile(`^[0-9]+$`)
	reValue  = regexp.MustCompile(`^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$`)
	reSeqKey = regexp.MustCompile(`^[\x21-\x7e]{1,128}$`)
)

// The query options, in the order the endpoint reads them: of two bad
// options, the first of this list is the one its 400 names.
var verdictOptions = []string{"sleep", "drip", "sleep-body", "fault", "bytes", "seq", "seq-loop"}

// The faults, as the package comment lists them.
var (
	verdictFaults = []string{"reset-before-headers", "close-before-headers", "garbage", "reset-after-headers",
		"hang-after-headers", "reset-mid-body", "truncate", "bad-chunk"}
	// cutFaults send part of the body; they need one of 2 bytes or more.
	cutFaults = []string{"reset-mid-body", "truncate", "bad-chunk"}
	// http2Faults are the ones HTTP/2 can carry: resets and the hang.
	http2Faults = []string{"reset-before-headers", "reset-after-headers", "reset-mid-body", "hang-after-headers"}
)

// liveCase is a request to /status/{codes}?query, with the request header
// ResponseHeaderPrefix+name when name is not empty, as liveVerdict judges
// it, and the caps of the handler that answers it.
type liveCase struct {
	codes, query, name, value string
	method                    string
	major, minor              int // the protocol's version
	maxSleepMS, maxBody       int64
}

// verdict is what the endpoint must answer: a 400 whose one line holds
// want, or, when want is "", one of statuses as the final status; breaks
// says that the request asks for a fault that breaks the response.
type verdict struct {
	want     string
	statuses map[int]bool
	breaks   bool
}

// item is a code (lo == hi) or a range of a list, with its weight.
type item struct {
	lo, hi int
	w      float64
}

// liveVerdict says what the endpoint must answer to c.
func liveVerdict(cat *catalog.Catalog, c liveCase) verdict {
	want, items := codesVerdict(cat, c.codes)
	if want != "" {
		return verdict{want: want}
	}
	opts, want := queryVerdict(c)
	if want != "" {
		return verdict{want: want}
	}
	if c.name != "" {
		switch {
		case !slices.ContainsFunc(requestable, func(r string) bool { return strings.EqualFold(r, c.name) }):
			return verdict{want: "may not be requested"}
		case len(c.value) > maxHeaderLen || !reValue.MatchString(c.value):
			return verdict{want: "must be printable ASCII"}
		}
	}
	if want := comboVerdict(c, items, opts); want != "" {
		return verdict{want: want}
	}
	statuses := map[int]bool{}
	for _, it := range items {
		for code := it.lo; code <= it.hi && it.w > 0; code++ {
			switch {
			case code == http.StatusSwitchingProtocols && c.major == 1 && c.minor >= 1:
				statuses[code] = true // the final response
			case code < 200:
				statuses[http.StatusOK] = true // after the interim response, or without it
			default:
				statuses[code] = true
			}
		}
	}
	f := strings.ToLower(opts["fault"])
	return verdict{statuses: statuses, breaks: f != "" && f != "hang-after-headers"}
}

// queryVerdict reads the query options of c: the ones given, by name,
// each once and with a good value, or the words of the 400 that names the
// first problem.
func queryVerdict(c liveCase) (map[string]string, string) {
	q, err := url.ParseQuery(c.query)
	if err != nil {
		return nil, "Malformed query string"
	}
	opts := map[string]string{}
	for _, name := range verdictOptions {
		var vs []string
		for k, v := range q {
			if strings.EqualFold(k, name) {
				vs = append(vs, v...)
			}
		}
		switch {
		case len(vs) > 1:
			return nil, fmt.Sprintf("The %s option is given %d times", name, len(vs))
		case len(vs) == 1:
			if want := optionVerdict(c, name, vs[0]); want != "" {
				return nil, want
			}
			opts[name] = vs[0]
		}
	}
	if ms(opts["sleep"])+ms(opts["drip"])+ms(opts["sleep-body"]) > c.maxSleepMS {
		return nil, "drip and sleep-body add up to"
	}
	return opts, ""
}

// optionVerdict returns the words of the 400 for the value v of the query
// option name, or "" when v is good.
func optionVerdict(c liveCase, name, v string) string {
	switch name {
	case "sleep", "drip", "sleep-body":
		if !reMS.MatchString(v) {
			return "Bad " + name + ` "`
		}
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > c.maxSleepMS {
			return "A " + name + " of "
		}
	case "bytes":
		if !reMS.MatchString(v) {
			return `Bad bytes "`
		}
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n > c.maxBody {
			return "A body of "
		}
	case "fault":
		if !slices.ContainsFunc(verdictFaults, func(f string) bool { return strings.EqualFold(f, v) }) {
			return "Unknown fault"
		}
	case "seq":
		if !reSeqKey.MatchString(v) {
			return "Bad seq key"
		}
	case "seq-loop":
		if !slices.Contains([]string{"0", "1", "false", "true"}, v) {
			return "Bad seq-loop"
		}
	}
	return ""
}

// ms returns the number of a good option in milliseconds, 0 for none.
func ms(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// comboVerdict returns the words of the 400 for options, each good on its
// own, that cannot apply together or to this request and these codes, or
// "" when they can.
func comboVerdict(c liveCase, items []item, opts map[string]string) string {
	if opts["seq"] != "" {
		switch {
		case strings.Contains(c.codes, ":"):
			return "Weights are refused with seq"
		case strings.Contains(c.codes, "-"):
			return "Ranges are refused with seq"
		}
	}
	f := strings.ToLower(opts["fault"])
	cut := slices.Contains(cutFaults, f)
	_, hasBytes := opts["bytes"]
	var what string
	switch {
	case cut:
		what = "Fault=" + f
	case ms(opts["drip"]) > 0:
		what = "Drip"
	case ms(opts["sleep-body"]) > 0:
		what = "Sleep-body"
	case hasBytes:
		what = "Bytes"
	}
	if what != "" && what != "Bytes" && c.method == http.MethodHead {
		return what + " needs a body, and a response to HEAD has none"
	}
	for _, it := range items {
		for code := it.lo; code <= it.hi && what != ""; code++ {
			switch code {
			case 101, 204, 205, 304:
				return fmt.Sprintf("%s needs a body, and a %d response has none", what, code)
			}
		}
	}
	switch {
	case cut && hasBytes && ms(opts["bytes"]) < 2:
		return "is too short to cut"
	case f != "" && c.major != 1 && !slices.Contains(http2Faults, f):
		return "needs HTTP/1.x"
	case f == "bad-chunk" && c.major == 1 && c.minor == 0:
		return "needs HTTP/1.1"
	}
	return ""
}

// codesVerdict is liveVerdict for the codes alone: the words of the 400,
// or the items of the list.
func codesVerdict(cat *catalog.Catalog, codes string) (string, []item) {
	allowed := func(c int) bool {
		_, err := cat.Lookup(c)
		return (c >= 100 && c <= 599) || (c <= 999 && err == nil)
	}
	if strings.TrimSpace(codes) == "" {
		return "No status code", nil
	}
	parts := strings.Split(codes, ",")
	if len(parts) > maxChoices {
		return "Too many choices", nil
	}
	var items []item
	var total float64
	for _, part := range parts {
		cs, ws, weighted := strings.Cut(part, ":")
		cs = strings.TrimSpace(cs)
		it := item{w: 1}
		if strings.Contains(cs, "-") {
			m := reRange.FindStringSubmatch(cs)
			if m == nil {
				return "Bad range", nil
			}
			it.lo, _ = strconv.Atoi(m[1])
			it.hi, _ = strconv.Atoi(m[2])
			if it.lo > it.hi {
				return "is reversed", nil
			}
		} else {
			if !reCode.MatchString(cs) {
				return "Bad status code", nil
			}
			it.lo, _ = strconv.Atoi(cs)
			it.hi = it.lo
		}
		for c := it.lo; c <= it.hi; c++ {
			if !allowed(c) {
				return "out of range", nil
			}
		}
		if weighted {
			ws = strings.TrimSpace(ws)
			if !reWeight.MatchString(ws) {
				return "Bad weight", nil
			}
			it.w, _ = strconv.ParseFloat(ws, 64)
			if it.w > maxWeight {
				return "Bad weight", nil
			}
		}
		total += it.w
		items = append(items, it)
	}
	if total == 0 {
		return "add up to 0", nil
	}
	return "", items
}
