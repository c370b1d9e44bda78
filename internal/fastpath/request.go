package fastpath

import (
	"bytes"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// maxHeaderLines is the most header lines a request served here may have.
const maxHeaderLines = 64

// fastRequestLine reports whether line (without its CRLF) may start a
// request served here: GET or HEAD, a target fastTarget accepts, HTTP/1.1.
func fastRequestLine[T string | []byte](line T) bool {
	var rest T
	switch {
	case len(line) > 4 && string(line[:4]) == "GET ":
		rest = line[4:]
	case len(line) > 5 && string(line[:5]) == "HEAD ":
		rest = line[5:]
	default:
		return false
	}
	const proto = " HTTP/1.1"
	if len(rest) <= len(proto) || string(rest[len(rest)-len(proto):]) != proto {
		return false
	}
	return fastTarget(rest[:len(rest)-len(proto)])
}

// startsFast reports whether b, the start of a request line, may be the
// start of one fastRequestLine accepts.
func startsFast(b []byte) bool {
	for _, m := range [...]string{"GET /", "HEAD /"} {
		if n := min(len(b), len(m)); string(b[:n]) == m[:n] {
			return true
		}
	}
	return false
}

// fastTarget reports whether target is an origin-form path, with or
// without a query, that url's parser keeps as it is (Path and RawQuery
// are the two sides of the first "?", no RawPath): a slash, then letters,
// digits and "-._~$&+,/:;=@"; then, optionally, a "?" and a query that is
// not empty, of the same bytes but ";" (which net/http warns about), and
// "?". A percent-encoding or any other byte sends the request to
// net/http.
func fastTarget[T string | []byte](target T) bool {
	if len(target) == 0 || target[0] != '/' {
		return false
	}
	set := &pathByte
	for i := 1; i < len(target); i++ {
		switch c := target[i]; {
		case set[c]:
		case c == '?' && set == &pathByte && i+1 < len(target):
			set = &queryByte
		default:
			return false
		}
	}
	return true
}

var (
	pathByte  = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~$&+,/:;=@")
	queryByte = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~$&+,/:=@?")
)

// tokenByte is RFC 9110's tchar, the bytes of a header name.
var tokenByte = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~")

// hostByte are the bytes of a Host value served here: a name, an IPv4
// or a bracketed IPv6 address, and a port.
var hostByte = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:[]")

func byteSet(s string) (set [256]bool) {
	for i := 0; i < len(s); i++ {
		set[s[i]] = true
	}
	return set
}

// parseHead fills r and u from head, a whole request head with its final
// blank line, and reports whether the request is one to serve here: a
// line fastRequestLine accepts; then header lines of a token, a colon and
// a value without control bytes; one Host; no Content-Length,
// Transfer-Encoding, Expect, Upgrade or Trailer; a Connection of only
// "close" and "keep-alive". What it fills in is what net/http's server
// would: r.Method, r.URL, r.Proto*, r.Header (canonical keys, Host
// removed, Pragma: no-cache copied to Cache-Control), r.Host, r.Close,
// r.RequestURI, r.ContentLength 0 and r.Body http.NoBody. The other
// fields of r are left as they are. The header goes into h, which must
// be empty, and its values into vals when they fit.
func parseHead(head string, r *http.Request, u *url.URL, vals []string, h http.Header) bool {
	i := strings.Index(head, "\r\n")
	if i < 0 || !fastRequestLine(head[:i]) || !strings.HasSuffix(head, "\r\n\r\n") {
		return false
	}
	method, rest, _ := strings.Cut(head[:i], " ")
	target := rest[:len(rest)-len(" HTTP/1.1")]
	lines := head[i+2 : len(head)-2]
	n := strings.Count(lines, "\n")
	if n > maxHeaderLines {
		return false
	}
	if len(vals) < n {
		vals = make([]string, n)
	}
	host, haveHost, closing := "", false, false
	for k := 0; lines != ""; k++ {
		j := strings.Index(lines, "\r\n")
		if j < 0 {
			return false
		}
		line := lines[:j]
		lines = lines[j+2:]
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validName(name) {
			return false
		}
		value = strings.Trim(value, " \t")
		if !validValue(value) {
			return false
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		switch key {
		case "Host":
			if haveHost || !validHost(value) {
				return false
			}
			host, haveHost = value, true
			continue
		case "Content-Length", "Transfer-Encoding", "Expect", "Upgrade", "Trailer":
			return false
		case "Connection":
			c, ok := connectionClose(value)
			if !ok {
				return false
			}
			closing = closing || c
		}
		vals[k] = value
		if vs, ok := h[key]; ok {
			h[key] = append(vs, value)
		} else {
			h[key] = vals[k : k+1 : k+1]
		}
	}
	if !haveHost {
		return false
	}
	// As net/http: HTTP/1.0's "Pragma: no-cache" stands for
	// Cache-Control when that is missing.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" {
		if _, ok := h["Cache-Control"]; !ok {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
	path, query, _ := strings.Cut(target, "?")
	*u = url.URL{Path: path, RawQuery: query}
	r.Method = method
	r.URL = u
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	r.Header = h
	r.Host = host
	r.Close = closing
	r.RequestURI = target
	r.ContentLength = 0
	r.Body = http.NoBody
	return true
}

// validName reports whether s is a header name: a token.
func validName[T string | []byte](s T) bool { return madeOf(s, &tokenByte) }

// headerLine reports whether line (without its CRLF) is a well-formed
// header field, as net/http requires of each line as it reads it: a
// token, a colon and a value without control bytes but HTAB.
func headerLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	return i >= 0 && validName(line[:i]) && validValue(bytes.Trim(line[i+1:], " \t"))
}

// validHost reports whether s is a Host value served here.
func validHost(s string) bool { return madeOf(s, &hostByte) }

// madeOf reports whether s is not empty and all its bytes are in set.
func madeOf[T string | []byte](s T, set *[256]bool) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !set[s[i]] {
			return false
		}
	}
	return true
}

// validValue reports whether s has no control byte but HTAB.
func validValue[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// connectionClose reads a Connection value: ok when each of its
// comma-separated options is "close" or "keep-alive" (in any case), and
// close when one is "close".
func connectionClose(v string) (close, ok bool) {
	for opt := range strings.SplitSeq(v, ",") {
		switch opt = strings.Trim(opt, " \t"); {
		case strings.EqualFold(opt, "close"):
			close = true
		case strings.EqualFold(opt, "keep-alive"):
		default:
			return false, false
		}
	}
	return close, true
}
