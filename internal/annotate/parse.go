// Package annotate counts the status codes of access logs and explains
// them from the catalog: the requests per status, grouped by class, with
// the unusual ones flagged.
//
// It reads the combined and common log formats of nginx and Apache, and
// JSON lines with a "status" (or "code") field. It streams: memory does not
// grow with the size of a log. A line it cannot read is counted and
// skipped.
package annotate

import (
	"bytes"
	"encoding/json"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// ParseLine returns the status code of one log line (without its line
// ending), and whether it found one. A status is three digits, 100 to 999.
//
// A line whose first non-blank byte is '{' is read as a JSON object: its
// "status" field, or else its "code" field, is a number or a string of
// three digits (field names match case-insensitively, as encoding/json
// does). Any other line is read in the common log format, which the
// combined format extends:
//
//	host ident user [time] "request" status bytes ...
//
// host, ident and user are fields without spaces, time is anything up to
// the first ']', and the quoted request may hold spaces and quotes escaped
// with a backslash (Apache's \" and \\; nginx writes \x22).
func ParseLine(line []byte) (int, bool) {
	t := bytes.TrimLeft(line, " \t")
	if len(t) > 0 && t[0] == '{' {
		return parseJSON(t)
	}
	return parseCommon(line)
}

// parseCommon reads the status of a line in the common log format.
func parseCommon(line []byte) (int, bool) {
	i := 0
	for range 3 { // host ident user
		j := bytes.IndexByte(line[i:], ' ')
		if j < 0 {
			return 0, false
		}
		i += j + 1
	}
	if i >= len(line) || line[i] != '[' {
		return 0, false
	}
	j := bytes.IndexByte(line[i:], ']')
	if j < 0 {
		return 0, false
	}
	i += j + 1
	if i+1 >= len(line) || line[i] != ' ' || line[i+1] != '"' {
		return 0, false
	}
	i += 2
	for ; i < len(line) && line[i] != '"'; i++ {
		if line[i] == '\\' {
			i++ // the escaped byte, whatever it is
		}
	}
	// i is at the closing quote; the status follows it after one space.
	if i+1 >= len(line) || line[i+1] != ' ' {
		return 0, false
	}
	s := line[i+2:]
	if len(s) < 3 || (len(s) > 3 && s[3] != ' ') {
		return 0, false
	}
	return parseStatus(s[:3])
}

// parseStatus parses three digits, 100 to 999.
func parseStatus(b []byte) (int, bool) {
	if len(b) != 3 || b[0] < '1' || b[0] > '9' || b[1] < '0' || b[1] > '9' || b[2] < '0' || b[2] > '9' {
		return 0, false
	}
	return int(b[0]-'0')*100 + int(b[1]-'0')*10 + int(b[2]-'0'), true
}

// parseJSON reads the status of a JSON line.
func parseJSON(line []byte) (int, bool) {
	var v struct {
		Status json.RawMessage `json:"status"`
		Code   json.RawMessage `json:"code"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return 0, false
	}
	raw := v.Status
	if len(raw) == 0 || string(raw) == "null" {
		raw = v.Code
	}
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, false
		}
		raw = []byte(s)
	}
	code, err := catalog.ParseCode(string(raw))
	return code, err == nil
}
