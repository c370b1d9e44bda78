package catalog

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Result is one meaning that matches a search, with its score.
type Result struct {
	Code  *Code
	Entry *Entry
	Score int
}

// Search returns at most limit meanings that match the query, best first.
// A query can be a number ("503"), a class ("5xx"), a name or alias
// ("payload too large"), or words from keywords, vendors and summaries
// ("cloudflare origin down"). Ties are broken by code number. An empty
// query matches nothing.
func (c *Catalog) Search(q string, limit int) []Result {
	words := tokens(q)
	if len(words) == 0 || limit <= 0 {
		return nil
	}
	phrase := strings.Join(words, " ")
	var out []Result
	for _, k := range c.codes {
		num := strconv.Itoa(k.Code)
		for i := range k.Entries {
			e := &k.Entries[i]
			s := score(k, e, num, phrase, words)
			if s > 0 {
				if i > 0 {
					s-- // the registered meaning ranks first on a tie
				}
				out = append(out, Result{Code: k, Entry: e, Score: s})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return a.Code.Code - b.Code.Code
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// tokens lower-cases s and splits it into words of letters and digits,
// folding "i'm" to "im" so that "I'm a teapot" matches "im a teapot".
func tokens(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "'", "")
	s = strings.ReplaceAll(s, "’", "")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func score(k *Code, e *Entry, num, phrase string, words []string) int {
	s := 0
	if len(words) == 1 && words[0] == num {
		return 1000
	}
	if len(words) == 1 && len(words[0]) == 3 && words[0][0] == num[0] && strings.HasSuffix(words[0], "xx") {
		return 100
	}
	name := strings.Join(tokens(e.Name), " ")
	if phrase == name {
		s += 500
	} else if strings.Contains(name, phrase) {
		s += 200
	}
	for _, a := range e.Aliases {
		al := strings.Join(tokens(a), " ")
		if phrase == al {
			s += 450
		} else if strings.Contains(al, phrase) {
			s += 150
		}
	}
	fields := []struct {
		text   string
		weight int
	}{
		{name, 30},
		{strings.ToLower(strings.Join(e.Aliases, " ")), 20},
		{strings.ToLower(strings.Join(e.Keywords, " ")), 25},
		{strings.ToLower(e.Vendor), 25},
		{strings.ToLower(e.Summary), 5},
	}
	matched := 0
	for _, w := range words {
		best := 0
		if w == num {
			best = 60
		}
		for _, f := range fields {
			if containsWord(f.text, w) && f.weight > best {
				best = f.weight
			}
		}
		if best > 0 {
			matched++
		}
		s += best
	}
	if matched == 0 {
		return 0
	}
	// Every word matching beats most words matching.
	if matched == len(words) {
		s += 40
	}
	return s
}

// containsWord reports whether w occurs in text as a word or the start of
// one ("limit" matches "limiting").
func containsWord(text, w string) bool {
	for _, t := range tokens(text) {
		if strings.HasPrefix(t, w) && (len(w) >= 3 || t == w) {
			return true
		}
	}
	return false
}
