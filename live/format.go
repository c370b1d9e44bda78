package live

import (
	"strings"

	"github.com/httpstatus/httpstatus/internal/qvalue"
)

// formatOf picks the body format from Accept: the named type among
// application/problem+json, application/json and text/plain with the
// highest q-value, in that order on a tie; text when none is named.
func formatOf(accept string) int {
	if accept == "" || accept == "*/*" {
		return formatText // what nearly every client sends: nothing to parse
	}
	var q [numFormats]int
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		qv := 1000
		for p := range strings.SplitSeq(params, ";") {
			k, v, found := strings.Cut(strings.TrimSpace(p), "=")
			if found && strings.EqualFold(strings.TrimSpace(k), "q") {
				qv = qvalue.Parse(strings.TrimSpace(v))
			}
		}
		mt = strings.TrimSpace(mt)
		switch {
		case strings.EqualFold(mt, "application/problem+json"):
			q[formatProblem] = max(q[formatProblem], qv)
		case strings.EqualFold(mt, "application/json"):
			q[formatJSON] = max(q[formatJSON], qv)
		case strings.EqualFold(mt, "text/plain"):
			q[formatText] = max(q[formatText], qv)
		}
	}
	best, bestQ := formatText, 0
	for _, f := range [...]int{formatProblem, formatJSON, formatText} {
		if q[f] > bestQ {
			best, bestQ = f, q[f]
		}
	}
	return best
}
