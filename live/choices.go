package live

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// Bounds of a list of codes.
const (
	maxChoices = 32   // items (codes or ranges) in one list
	maxWeight  = 1000 // per item
)

// choice is one item of a list: a code (lo == hi) or a range of codes,
// with its weight in thousandths. A range is one choice: its weight is
// shared evenly by its codes, so "200:8,500-504:2" answers 200 eight
// times in ten and each of 500 to 504 once in 25.
type choice struct {
	lo, hi int
	weight int
}

// parseChoices parses the {codes} segment: "503", "200,500",
// "200:3,500:1.5", "500-504" or "200:8,500-504:2". A weight is a decimal
// from 0 to 1000 with at most three decimals; an item without one weighs
// 1. allowed says which codes may be asked for, and hint names them for
// an error. Errors are one line, with the input quoted and cut short. The
// choices are appended to out.
func parseChoices(out []choice, s string, allowed func(int) bool, hint string) ([]choice, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("no status code: use /status/503, /status/200,500, /status/200:3,500:1 or /status/500-504")
	}
	if n := strings.Count(s, ",") + 1; n > maxChoices {
		return nil, fmt.Errorf("too many choices (%d): at most %d codes or ranges in one list", n, maxChoices)
	}
	total := 0
	for part := range strings.SplitSeq(s, ",") {
		cs, ws, weighted := strings.Cut(part, ":")
		c, err := parseItem(strings.TrimSpace(cs), allowed, hint)
		if err != nil {
			return nil, err
		}
		c.weight = 1000
		if weighted {
			if c.weight, err = parseWeight(strings.TrimSpace(ws)); err != nil {
				return nil, fmt.Errorf("bad weight %s for %s: want a number from 0 to %d, such as 3 or 0.25", quote(ws), c, maxWeight)
			}
		}
		total += c.weight
		out = append(out, c)
	}
	if total == 0 {
		return nil, errors.New("the weights add up to 0: at least one must be more than 0")
	}
	return out, nil
}

// parseItem parses one code ("503") or range ("500-504") of a list,
// without its weight.
func parseItem(s string, allowed func(int) bool, hint string) (choice, error) {
	los, his, isRange := strings.Cut(s, "-")
	if !isRange {
		code, err := catalog.ParseCode(s)
		if err != nil {
			return choice{}, fmt.Errorf("bad status code %s: want three digits, such as 503", quote(s))
		}
		if !allowed(code) {
			return choice{}, fmt.Errorf("status %d is out of range: use %s", code, hint)
		}
		return choice{lo: code, hi: code}, nil
	}
	lo, err1 := catalog.ParseCode(los)
	hi, err2 := catalog.ParseCode(his)
	if err1 != nil || err2 != nil {
		return choice{}, fmt.Errorf("bad range %s: want two three-digit codes, such as 500-504", quote(s))
	}
	if lo > hi {
		return choice{}, fmt.Errorf("range %d-%d is reversed: write %d-%d", lo, hi, hi, lo)
	}
	for c := lo; c <= hi; c++ {
		if !allowed(c) {
			return choice{}, fmt.Errorf("range %d-%d holds %d, which is out of range: use %s", lo, hi, c, hint)
		}
	}
	return choice{lo: lo, hi: hi}, nil
}

// String writes the choice as it is written in a list, without weight.
func (c choice) String() string {
	if c.lo == c.hi {
		return strconv.Itoa(c.lo)
	}
	return strconv.Itoa(c.lo) + "-" + strconv.Itoa(c.hi)
}

// parseWeight parses a weight such as "3", "0.25" or "1000" into
// thousandths.
func parseWeight(s string) (int, error) {
	whole, frac, dot := strings.Cut(s, ".")
	if (whole == "" && frac == "") || len(whole) > 4 || len(frac) > 3 || (dot && frac == "") {
		return 0, strconv.ErrSyntax
	}
	n := 0
	for _, c := range whole + frac + strings.Repeat("0", 3-len(frac)) {
		if c < '0' || c > '9' {
			return 0, strconv.ErrSyntax
		}
		n = n*10 + int(c-'0')
	}
	if n > maxWeight*1000 {
		return 0, strconv.ErrRange
	}
	return n, nil
}

// pick returns one code at random: a choice by weight, then a code of it
// uniformly. randN returns a number in [0, n).
func pick(choices []choice, randN func(uint64) uint64) int {
	c := choices[len(choices)-1]
	if len(choices) > 1 {
		total := 0
		for _, c := range choices {
			total += c.weight
		}
		n := int(randN(uint64(total)))
		for _, cc := range choices {
			if n < cc.weight {
				c = cc
				break
			}
			n -= cc.weight
		}
	}
	if c.lo == c.hi {
		return c.lo
	}
	return c.lo + int(randN(uint64(c.hi-c.lo+1)))
}
