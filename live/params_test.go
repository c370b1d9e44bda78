package live

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestParamsDescribeEveryOption: every row of queryOptions and every
// requestable header is a Param with a description and a type, and what
// a Param says of its values holds for the parser: its example, each
// value of its enum and its maximum parse, one over the maximum does
// not, and a header's pattern agrees with validValue.
func TestParamsDescribeEveryOption(t *testing.T) {
	t.Parallel()
	c := newConfig([]Option{WithMaxSleep(1500 * time.Millisecond)})
	ps := Params(WithMaxSleep(1500 * time.Millisecond))
	byName := map[string]Param{}
	for _, p := range ps {
		if p.Description == "" || (p.Type != "integer" && p.Type != "string") {
			t.Errorf("Param %s: description %q, type %q; want both", p.Name, p.Description, p.Type)
		}
		byName[p.In+" "+p.Name] = p
	}
	if ps[0].In != "path" || ps[0].Name != "codes" {
		t.Errorf("Params()[0] = %+v, want the path's codes first", ps[0])
	}
	if len(ps) != 1+len(queryOptions)+len(requestable) {
		t.Errorf("Params() has %d params, want %d: codes, %d options and %d headers", len(ps), 1+len(queryOptions)+len(requestable), len(queryOptions), len(requestable))
	}
	for _, o := range queryOptions {
		p, ok := byName["query "+o.name]
		if !ok {
			t.Errorf("query option %s: not in Params", o.name)
			continue
		}
		parses := func(v string) bool { var x params; return o.parse(&x, v, &c) == nil }
		for _, v := range append(slices.Clone(p.Enum), p.Example) {
			if !parses(v) {
				t.Errorf("option %s: its documented value %q is refused", o.name, v)
			}
		}
		if p.Type == "integer" {
			if !parses(strconv.FormatInt(p.Maximum, 10)) || parses(strconv.FormatInt(p.Maximum+1, 10)) || !parses(strconv.FormatInt(p.Minimum, 10)) {
				t.Errorf("option %s: documented as %d to %d, which the parser does not hold to", o.name, p.Minimum, p.Maximum)
			}
		}
	}
	for f := faultNone + 1; f < numFaults; f++ {
		if faultNames[f] == "" || faultDocs[f] == "" {
			t.Errorf("fault %d: name %q, doc %q; want both", f, faultNames[f], faultDocs[f])
		}
	}
	for _, name := range requestable {
		p, ok := byName["header "+ResponseHeaderPrefix+name]
		if !ok {
			t.Errorf("requestable header %s: not in Params", name)
			continue
		}
		re := regexp.MustCompile(p.Pattern)
		for _, v := range []string{p.Example, "", "a", "a b", " a", "a ", "é", "a\tb", string(make([]byte, maxHeaderLen+1))} {
			ok := re.MatchString(v) && len(v) <= p.MaxLength
			if ok != validValue(v) {
				t.Errorf("header %s: pattern and length say %v for %q, validValue %v", name, ok, v, validValue(v))
			}
		}
		if !validValue(p.Example) {
			t.Errorf("header %s: example %q is not a valid value", name, p.Example)
		}
	}
}

// TestResponseHeadersDescribeEveryHeader: every header a response of the
// endpoint carries, for every code it documents and a few requests of
// each kind, is one ResponseHeaders describes (Content-Type and
// Content-Length aside).
func TestResponseHeadersDescribeEveryHeader(t *testing.T) {
	t.Parallel()
	described := map[string]bool{"Content-Type": true, "Content-Length": true}
	for _, h := range ResponseHeaders() {
		if h.Description == "" {
			t.Errorf("ResponseHeaders: %s has no description", h.Name)
		}
		described[h.Name] = true
	}
	l := New(WithMaxSlow(1))
	var targets []string
	for _, k := range testCatalog(t).Codes() {
		targets = append(targets, Prefix+strconv.Itoa(k.Code))
	}
	targets = append(targets, Prefix+"299", Prefix+"abc", Prefix+"200,500-504")
	check := func(r *http.Request) {
		w := httptest.NewRecorder()
		l.ServeHTTP(w, r)
		for name := range w.Result().Header {
			if !described[name] {
				t.Errorf("%s %s sends %s, which ResponseHeaders does not describe", r.Method, r.URL, name)
			}
		}
	}
	for _, target := range targets {
		for _, accept := range []string{"", "application/json", "application/problem+json"} {
			r := httptest.NewRequest("GET", target, nil)
			r.Header.Set("Accept", accept)
			check(r)
		}
	}
	r := httptest.NewRequest("GET", Prefix+"503", nil)
	for _, name := range requestable {
		r.Header.Set(ResponseHeaderPrefix+name, "x")
	}
	r.Header.Del(ResponseHeaderPrefix + "Age")
	r.Header.Del(ResponseHeaderPrefix + "Vary")
	check(r)
}
