package catalog

import (
	"math"
	"slices"
	"strconv"
)

// Find returns at most limit results for a query, best first: the
// meanings that Search gives, and the guides. A guide ranks first when the
// query names two or more of the codes it compares ("401 vs 403"), or asks
// to choose ("which status for a validation error", "redirect permanent or
// temporary") in words the guide has; a query that names a code or its
// meaning ("401", "validation error") still finds that code first. On equal
// scores a meaning ranks above a guide. Find is safe for concurrent use.
func (c *Catalog) Find(q string, limit int) []Result {
	if limit <= 0 {
		return nil
	}
	res := c.Search(q, limit)
	c.guideOnce.Do(func() { c.guideSearch = newGuideIndex(c.guides) })
	guides := c.guideSearch.find(q)
	if len(guides) == 0 {
		return res
	}
	out := make([]Result, 0, len(res)+len(guides))
	out = append(out, res...)
	out = append(out, guides...)
	slices.SortStableFunc(out, func(a, b Result) int { return b.Score - a.Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Scores of a guide against the numbers of a query.
const (
	scoreGuideCodes = 1100 // per code of the guide named, from two: "401 vs 403"
	scoreGuideCode  = 100  // one code of the guide named: "401" finds 401 first
	// Up to this much more for a guide whose codes are all named: "404 vs
	// 410" finds the comparison of those two before the decision guide,
	// which names every common code.
	scoreGuideFocus = 3000
)

// A guide's word score counts double, and more, when the query asks to
// choose; otherwise half, so that a name or a keyword finds its code first.
const (
	choiceFactor = 2.0
	choiceBonus  = 20.0
	plainFactor  = 0.4
)

// choiceWords say that a query asks to choose between codes.
var choiceWords = map[string]bool{
	"vs": true, "versus": true, "or": true, "which": true, "difference": true, "between": true,
	"choose": true, "choosing": true, "compare": true, "comparison": true, "instead": true, "should": true,
}

func newGuideIndex(guides []*Guide) *searchIndex {
	idx := &searchIndex{ids: map[string]int32{}}
	for _, g := range guides {
		d := doc{
			guide:      g,
			registered: true,
			name:       idx.field(g.Title),
			summary:    idx.field(g.Summary),
		}
		for _, n := range g.Codes {
			d.nums = append(d.nums, strconv.Itoa(n))
		}
		for _, kw := range g.Keywords {
			d.keywords = append(d.keywords, idx.field(kw))
		}
		idx.add(d)
	}
	return idx
}

// find scores every guide against q and returns those that match.
func (idx *searchIndex) find(q string) []Result {
	pq := idx.parse(q)
	choice := slices.ContainsFunc(tokens(q), func(t string) bool { return choiceWords[t] })
	idx.weigh(pq.words)
	var out []Result
	for i := range idx.docs {
		d := &idx.docs[i]
		named := 0
		for _, n := range pq.numbers {
			if slices.Contains(d.nums, n) {
				named++
			}
		}
		// The codes it names are counted as numbers; the other words decide.
		ws := slices.DeleteFunc(slices.Clone(pq.words), func(w queryWord) bool { return slices.Contains(d.nums, w.text) })
		words := d.wordScore(ws)
		if choice && words > 0 {
			words = words*choiceFactor + choiceBonus
		} else {
			words *= plainFactor
		}
		num := 0.0
		switch {
		case named >= 2:
			num = float64(scoreGuideCodes*named) + scoreGuideFocus*float64(named)/float64(len(d.nums))
		case named == 1:
			num = scoreGuideCode
		}
		if score := int(math.Round((num + words) * 10)); score > 0 {
			out = append(out, Result{Guide: d.guide, Score: score})
		}
	}
	return out
}
