package server

import (
	"strings"

	"github.com/httpstatus/httpstatus/internal/qvalue"
	"github.com/httpstatus/httpstatus/internal/render"
)

// The parsers here run on every request, so they walk the header value in
// place (strings.Cut, no Split, no ToLower) and allocate nothing.

// negotiate picks the format of a page named without an extension from the
// Accept header. No Accept header means HTML, as browsers and static file
// servers give. An Accept that names no type, only */* (curl, wget, most
// HTTP libraries), gets text, so the guide reads well in a terminal.
// Otherwise the format with the highest q-value wins; on a tie HTML, then
// JSON, then text. ok is false when Accept rules out every format.
func negotiate(accept string) (f render.Format, ok bool) {
	// The Accept values sent most, answered without parsing (a string
	// switch is a length check and a compare); TestNegotiateFastPath
	// checks that parseAccept agrees with each.
	switch accept {
	case "*/*":
		return render.Text, true
	case "application/json":
		return render.JSON, true
	case browserAccept, browserAcceptImages, chromeAccept:
		return render.HTML, true
	}
	return parseAccept(accept)
}

// The Accept headers browsers send when they navigate to a page.
const (
	browserAccept       = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"                                                                         // Firefox, Safari
	browserAcceptImages = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"                                                   // older Firefox
	chromeAccept        = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7" // Chrome, Edge
)

// parseAccept is negotiate for any Accept value.
func parseAccept(accept string) (f render.Format, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return render.HTML, true
	}
	// q-values in thousandths and how specific the range that set them
	// was (2 named, 1 type/*, 0 */*); -1 means not mentioned.
	q := [3]int{-1, -1, -1} // HTML, JSON, Text
	spec := [3]int{-1, -1, -1}
	set := func(i, s, qv int) {
		if s > spec[i] {
			spec[i], q[i] = s, qv
		}
	}
	explicit := false
	for rest := accept; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		mt, params, _ := strings.Cut(part, ";")
		qv := qParam(params)
		switch mediaRange(strings.TrimSpace(mt)) {
		case rangeHTML:
			set(0, 2, qv)
			explicit = explicit || qv > 0
		case rangeJSON:
			set(1, 2, qv)
			explicit = explicit || qv > 0
		case rangeText:
			set(2, 2, qv)
			explicit = explicit || qv > 0
		case rangeTextAny:
			set(0, 1, qv)
			set(2, 1, qv)
		case rangeAppAny:
			set(1, 1, qv)
		case rangeAny:
			set(0, 0, qv)
			set(1, 0, qv)
			set(2, 0, qv)
		}
	}
	if !explicit && q[2] > 0 && q[2] >= q[0] {
		return render.Text, true
	}
	best, bestQ := render.HTML, 0
	for i, f := range [...]render.Format{render.HTML, render.JSON, render.Text} {
		if q[i] > bestQ {
			best, bestQ = f, q[i]
		}
	}
	return best, bestQ > 0
}

// The media ranges negotiate knows.
const (
	rangeOther   = iota
	rangeHTML    // text/html, application/xhtml+xml
	rangeJSON    // application/json
	rangeText    // text/plain
	rangeTextAny // text/*
	rangeAppAny  // application/*
	rangeAny     // */*
)

// mediaRange says which range mt is, case-insensitively. The ranges all
// differ in length, so one comparison decides: a browser's Accept costs a
// few string compares, not one per range per element.
func mediaRange(mt string) int {
	var name string
	var r int
	switch len(mt) {
	case len("text/html"):
		name, r = "text/html", rangeHTML
	case len("application/xhtml+xml"):
		name, r = "application/xhtml+xml", rangeHTML
	case len("application/json"):
		name, r = "application/json", rangeJSON
	case len("text/plain"):
		name, r = "text/plain", rangeText
	case len("text/*"):
		name, r = "text/*", rangeTextAny
	case len("application/*"):
		name, r = "application/*", rangeAppAny
	case len("*/*"):
		name, r = "*/*", rangeAny
	default:
		return rangeOther
	}
	if !strings.EqualFold(mt, name) {
		return rangeOther
	}
	return r
}

// qParam returns the q-value among the ";"-separated parameters of one
// element of an Accept or Accept-Encoding header, in thousandths: 1000
// when there is none.
func qParam(params string) int {
	qv := 1000
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if found && strings.EqualFold(strings.TrimSpace(k), "q") {
			qv = parseQ(strings.TrimSpace(v))
		}
	}
	return qv
}

// parseQ parses a q-value ("0.5", "1", "0.001") into thousandths; an
// invalid one is 0.
func parseQ(s string) int { return qvalue.Parse(s) }

// acceptsGzip reports whether an Accept-Encoding value allows gzip: named
// with a q-value above 0, or covered by "*" and not refused by name.
func acceptsGzip(ae string) bool { return acceptsCoding(ae, "gzip", "x-gzip", true) }

// acceptsBrotli reports whether an Accept-Encoding value names br with a
// q-value above 0. "*" alone does not count: a client that has not named
// br may not know it, and gzip serves it as well.
func acceptsBrotli(ae string) bool { return acceptsCoding(ae, "br", "br", false) }

// acceptsCoding reports whether an Accept-Encoding value allows the coding
// name (or its alias), and, if star is set, whether "*" covers it.
func acceptsCoding(ae, name, alias string, star bool) bool {
	starQ := -1
	for rest := ae; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		n, params, _ := strings.Cut(part, ";")
		n = strings.TrimSpace(n)
		switch {
		case strings.EqualFold(n, name), strings.EqualFold(n, alias):
			return qParam(params) > 0
		case star && n == "*":
			starQ = qParam(params)
		}
	}
	return starQ > 0
}

// etagMatch reports whether an If-None-Match value matches etag, using
// the weak comparison RFC 9110 §13.1.2 asks for.
func etagMatch(inm, etag string) bool {
	if strings.TrimSpace(inm) == "*" {
		return true
	}
	for rest := inm; rest != ""; {
		var t string
		t, rest, _ = strings.Cut(rest, ",")
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == etag {
			return true
		}
	}
	return false
}
