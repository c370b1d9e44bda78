package server

import (
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/render"
)

// negotiate picks the format of a page named without an extension from the
// Accept header. No Accept header means HTML, as browsers and static file
// servers give. An Accept that names no type, only */* (curl, wget, most
// HTTP libraries), gets text, so the guide reads well in a terminal.
// Otherwise the format with the highest q-value wins; on a tie HTML, then
// JSON, then text. ok is false when Accept rules out every format.
func negotiate(accept string) (f render.Format, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return render.HTML, true
	}
	// q-values in thousandths; -1 means not mentioned.
	q := [3]int{-1, -1, -1} // HTML, JSON, Text
	spec := [3]int{-1, -1, -1}
	explicit := false
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		qv := 1000
		for _, p := range strings.Split(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				qv = parseQ(strings.TrimSpace(v))
			}
		}
		set := func(i, s int) {
			if s > spec[i] {
				spec[i], q[i] = s, qv
			}
		}
		named := func(i int) {
			set(i, 2)
			explicit = explicit || qv > 0
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			named(0)
		case "application/json":
			named(1)
		case "text/plain":
			named(2)
		case "text/*":
			set(0, 1)
			set(2, 1)
		case "application/*":
			set(1, 1)
		case "*/*":
			set(0, 0)
			set(1, 0)
			set(2, 0)
		}
	}
	if !explicit && q[2] > 0 && q[2] >= q[0] {
		return render.Text, true
	}
	best, bestQ := render.HTML, 0
	for i, f := range []render.Format{render.HTML, render.JSON, render.Text} {
		if q[i] > bestQ {
			best, bestQ = f, q[i]
		}
	}
	return best, bestQ > 0
}

// parseQ parses a q-value ("0.5", "1", "0.001") into thousandths. A
// malformed value counts as 0 (not acceptable).
func parseQ(s string) int {
	if len(s) == 0 || len(s) > 5 {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1 {
		return 0
	}
	return int(f*1000 + 0.5)
}
