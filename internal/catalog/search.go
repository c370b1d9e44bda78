package catalog

import (
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Result is one meaning that matches a search, or with Find a guide, with
// its score. A meaning's Result has Code and Entry set; a guide's has
// Guide set and Code and Entry nil.
type Result struct {
	Code  *Code
	Entry *Entry
	Guide *Guide
	Score int
}

// Search returns at most limit meanings that match the query, best first.
//
// A query can be a number ("503"), the start of one ("50"), a class
// ("5xx"), a name or former name ("payload too large"), or words from the
// keywords, vendor and summary ("cloudflare origin down"). Words match
// whatever their order, in singular or plural, as the start of a word
// (as-you-type), and with a typo or two ("gatway timeout"): a word that
// matches nothing in the catalog is replaced by the closest words that do.
// A meaning whose name, a former name or a keyword is exactly the query
// ranks first. On equal scores a registered meaning ranks above a vendor's,
// then the lower number first. An empty query matches nothing. Search is
// safe for concurrent use.
func (c *Catalog) Search(q string, limit int) []Result {
	if limit <= 0 {
		return nil
	}
	c.searchOnce.Do(func() {
		if c.search == nil {
			c.search = newSearchIndex(c.codes)
		}
	})
	return c.search.search(q, limit)
}

// Field weights: how much a query word counts when it matches a word of
// each part of a meaning.
const (
	weightName    = 10
	weightAlias   = 9
	weightVendor  = 8
	weightKeyword = 7
	weightSummary = 3
)

// Match qualities: how well a query word matches a word of the catalog.
const (
	qualityExact = 1.0
	qualityFixed = 0.75 // a typo corrected to the closest catalog word
)

// Scores for the number and the class of a code.
const (
	scoreNumber      = 1000 // "503" finds 503
	scoreNumberStart = 200  // "50" finds 500 to 509, as one types
	scoreClass       = 100  // "5xx" finds every 5xx code
)

// unofficialFactor scales the word score of a vendor's meaning.
const unofficialFactor = 0.85

// Bounds that keep a hostile query cheap.
const (
	maxQueryWords = 16
	maxFuzzyLen   = 24
)

// searchIndex holds every meaning split into normalised words, and the
// vocabulary that typos are corrected against. It is read-only once built.
type searchIndex struct {
	docs  []doc
	vocab []string // every word of every field; a field holds indexes into it
	masks []uint64 // the letters of each vocab word, to skip most distances
	ids   map[string]int32
}

// doc is one meaning, or one guide, as the search sees it.
type doc struct {
	code       *Code
	entry      *Entry
	guide      *Guide
	nums       []string // a guide's codes
	num        string
	class      string
	registered bool
	name       field
	aliases    []field
	keywords   []field
	vendor     field
	summary    field
	all        []int32 // every word of every field, once
}

// field is a part of a meaning as normalised words, in order, with the
// compounds of neighbouring words ("time out" also gives "timeout"), each
// an index into the vocabulary.
type field struct {
	words     []int32
	compounds []int32
}

func newSearchIndex(codes []*Code) *searchIndex {
	idx := &searchIndex{ids: map[string]int32{}}
	for _, k := range codes {
		for i := range k.Entries {
			e := &k.Entries[i]
			d := doc{
				code:       k,
				entry:      e,
				num:        strconv.Itoa(k.Code),
				class:      k.Class(),
				registered: e.Status.Registered(),
				name:       idx.field(e.Name),
				vendor:     idx.field(e.Vendor),
				summary:    idx.field(e.Summary),
			}
			for _, a := range e.Aliases {
				d.aliases = append(d.aliases, idx.field(a))
			}
			for _, kw := range e.Keywords {
				d.keywords = append(d.keywords, idx.field(kw))
			}
			idx.add(d)
		}
	}
	return idx
}

// id returns the vocabulary index of a word, adding it when new.
func (idx *searchIndex) id(w string) int32 {
	if i, ok := idx.ids[w]; ok {
		return i
	}
	i := int32(len(idx.vocab))
	idx.ids[w] = i
	idx.vocab = append(idx.vocab, w)
	idx.masks = append(idx.masks, letters(w))
	return i
}

// field splits s into a field of the index.
func (idx *searchIndex) field(s string) field {
	raw := tokens(s)
	words := normalise(raw)
	f := field{words: make([]int32, 0, len(words))}
	for _, w := range words {
		f.words = append(f.words, idx.id(w))
	}
	if len(raw) > 1 {
		f.compounds = make([]int32, 0, len(raw)-1)
	}
	for i := 0; i+1 < len(raw); i++ {
		f.compounds = append(f.compounds, idx.id(stem(raw[i]+raw[i+1])))
	}
	return f
}

// add adds d to the index, with the set of all its words.
func (idx *searchIndex) add(d doc) {
	for _, f := range slices.Concat([]field{d.name, d.vendor, d.summary}, d.aliases, d.keywords) {
		d.all = append(d.all, f.words...)
		d.all = append(d.all, f.compounds...)
	}
	slices.Sort(d.all)
	d.all = slices.Compact(d.all)
	idx.docs = append(idx.docs, d)
}

// queryWord is one word of a query with how well it matches each word of
// the vocabulary.
type queryWord struct {
	text    string
	quality []float32 // by vocabulary index, from 0 (no match) to 1 (the same word)
	rarity  float64   // from 0.5 (in every meaning) to 1 (in one)
}

// query is a parsed search query.
type query struct {
	words   []queryWord
	numbers []string // three-digit numbers: "503"
	starts  []string // one or two digits: "50", the start of a number
	classes []string // "5xx"
}

func (idx *searchIndex) parse(q string) query {
	raw := tokens(q)
	if len(raw) > maxQueryWords {
		raw = raw[:maxQueryWords]
	}
	var out query
	var text []string
	for _, t := range raw {
		switch {
		case isDigits(t) && len(t) == 3:
			out.numbers = append(out.numbers, t)
			text = append(text, t) // also a word: "400" finds nginx's codes shown as 400
		case isDigits(t) && len(t) < 3 && len(raw) == 1:
			out.starts = append(out.starts, t) // a number being typed
		case len(t) == 3 && t[1:] == "xx" && t[0] >= '1' && t[0] <= '5':
			out.classes = append(out.classes, t)
		default:
			text = append(text, t)
		}
	}
	words := normalise(text)
	onlyStop := len(text) > 0 && !slices.ContainsFunc(text, func(t string) bool { return !stopWords[t] })
	for i, w := range words {
		// Every word may be a prefix when long enough; the last one also
		// when short, since it is the one being typed. A query of stop
		// words only ("the") must match them whole.
		n := utf8.RuneCountInString(w)
		prefix := !onlyStop && (n >= 3 || (i == len(words)-1 && n >= 2))
		if qw, ok := idx.word(w, prefix); ok {
			out.words = append(out.words, qw)
		}
	}
	return out
}

// word matches one query word against the vocabulary: the same word, a
// word it starts (when prefix is set) or, failing both, the closest words
// within the edit distance its length allows, one edit from four letters
// and two from seven. It reports false when the word matches nothing: it
// cannot rank anything.
func (idx *searchIndex) word(w string, prefix bool) (queryWord, bool) {
	qw := queryWord{text: w, quality: make([]float32, len(idx.vocab))}
	found := false
	for i, v := range idx.vocab {
		switch {
		case v == w:
			qw.quality[i] = qualityExact
			found = true
		case prefix && strings.HasPrefix(v, w):
			// "gatewa" is almost "gateway"; "ga" is barely anything.
			qw.quality[i] = float32(0.3 + 0.6*float64(len(w))/float64(len(v)))
			found = true
		}
	}
	if found {
		return qw, true
	}
	rw := []rune(w)
	if len(rw) < 4 || len(rw) > maxFuzzyLen || isDigits(w) {
		return qw, false
	}
	limit := 1
	if len(rw) >= 7 {
		limit = 2
	}
	buf := make([]int, 3*(maxFuzzyLen+limit+1))
	best := limit + 1
	dist := make([]int8, len(idx.vocab))
	mask := letters(w)
	var rv []rune
	for i, v := range idx.vocab {
		d := limit + 1
		// Each edit adds at most one letter the other word lacks.
		if bits.OnesCount64(mask&^idx.masks[i]) <= limit && bits.OnesCount64(idx.masks[i]&^mask) <= limit {
			rv = rv[:0]
			for _, r := range v {
				rv = append(rv, r)
			}
			d = editDistance(rw, rv, limit, buf)
		}
		dist[i] = int8(d)
		best = min(best, d)
	}
	if best > limit {
		return qw, false
	}
	for i, d := range dist {
		if int(d) == best {
			qw.quality[i] = qualityFixed
		}
	}
	return qw, true
}

// match returns how well qw matches vocabulary word t.
func (qw *queryWord) match(t int32) float64 { return float64(qw.quality[t]) }

// best returns the best quality with which qw matches a word of f.
func (qw *queryWord) best(f *field) float64 {
	m := 0.0
	for _, t := range f.words {
		m = max(m, qw.match(t))
	}
	for _, t := range f.compounds {
		m = max(m, qw.match(t))
	}
	return m
}

// phrase scores how well a query and a field match as a whole. When the
// field has every word of the query, it scores from a third of whole (the
// field has many more words) to whole (the same words, in any order, with
// a small bonus for the same order). When the query has every word of the
// field and more, it scores covered, less for a field of one or two words.
// Both are scaled by the worst match among the words.
func phrase(words []queryWord, f *field, whole, covered float64) float64 {
	if len(f.words) == 0 || len(words) == 0 {
		return 0
	}
	worst := 1.0
	inField := 0
	for i := range words {
		if m := words[i].best(f); m > 0 {
			inField++
			worst = min(worst, m)
		}
	}
	inQuery := 0
	for _, t := range f.words {
		m := 0.0
		for i := range words {
			m = max(m, words[i].match(t))
		}
		if m > 0 {
			inQuery++
			worst = min(worst, m)
		}
	}
	switch {
	case inField == len(words):
		s := whole * worst * (0.3 + 0.5*float64(inQuery)/float64(len(f.words)))
		if inQuery == len(f.words) {
			s += whole * worst * 0.2
			if len(words) == len(f.words) {
				same := true
				for i := range words {
					same = same && words[i].match(f.words[i]) > 0
				}
				if same {
					s += 3
				}
			}
		}
		return s
	case inQuery == len(f.words):
		return covered * worst * min(1, float64(len(f.words))/3)
	}
	return 0
}

// numScore is what the number and class of a meaning earn against a
// query ("503", "50", "5xx"): 0 when they do not match.
func (d *doc) numScore(q *query) float64 {
	num := 0.0
	for _, n := range q.numbers {
		if n == d.num {
			num += scoreNumber
		}
	}
	for _, p := range q.starts {
		if strings.HasPrefix(d.num, p) {
			num += scoreNumberStart
		}
	}
	for _, c := range q.classes {
		if c == d.class {
			num += scoreClass
		}
	}
	return num
}

// wordScore rates the meaning against the words of a query: each word by
// the best part of the meaning it matches, then bonuses for a name, former
// name, keyword or vendor that matches the words as a whole.
func (d *doc) wordScore(words []queryWord) float64 {
	if len(words) == 0 {
		return 0
	}
	sum, matched := 0.0, 0
	for i := range words {
		w := &words[i]
		b := weightName * w.best(&d.name)
		for j := range d.aliases {
			b = max(b, weightAlias*w.best(&d.aliases[j]))
		}
		for j := range d.keywords {
			b = max(b, weightKeyword*w.best(&d.keywords[j]))
		}
		b = max(b, weightVendor*w.best(&d.vendor), weightSummary*w.best(&d.summary))
		if b > 0 {
			matched++
		}
		sum += b * w.rarity
	}
	if matched == 0 {
		return 0
	}
	bonus := phrase(words, &d.name, 60, 30)
	for j := range d.aliases {
		bonus = max(bonus, phrase(words, &d.aliases[j], 55, 25))
	}
	kw := 0.0
	for j := range d.keywords {
		kw = max(kw, phrase(words, &d.keywords[j], 35, 15))
	}
	sum += bonus + kw + phrase(words, &d.vendor, 35, 15)
	// Matching every word beats matching most of them.
	if matched == len(words) {
		sum += 10
	} else {
		sum *= float64(matched) / float64(len(words))
	}
	if !d.registered {
		// Fewer people look for a vendor's meaning: on a near tie, the
		// registered one wins.
		sum *= unofficialFactor
	}
	return sum
}

// weigh sets the rarity of each query word: a word that few meanings have
// ("teapot") tells more than one that many have ("not", "request"). It
// reports which meanings have any of the words.
func (idx *searchIndex) weigh(words []queryWord) (touched []bool) {
	touched = make([]bool, len(idx.docs))
	n := float64(len(idx.docs))
	for i := range words {
		w := &words[i]
		df := 0
		for j := range idx.docs {
			if slices.ContainsFunc(idx.docs[j].all, func(t int32) bool { return w.quality[t] > 0 }) {
				df++
				touched[j] = true
			}
		}
		w.rarity = 0.5 + 0.5*math.Log(1+n/float64(max(df, 1)))/math.Log(1+n)
	}
	return touched
}

func (idx *searchIndex) search(q string, limit int) []Result {
	pq := idx.parse(q)
	if len(pq.words) == 0 && len(pq.numbers) == 0 && len(pq.starts) == 0 && len(pq.classes) == 0 {
		return nil
	}
	touched := idx.weigh(pq.words)
	type scored struct {
		d          *doc
		num, words float64
		score      int // what Result reports, and what the order follows
	}
	var all []scored
	top := 0.0
	for i := range idx.docs {
		d := &idx.docs[i]
		num, words := d.numScore(&pq), 0.0
		if touched[i] {
			ws := pq.words
			if num > 0 {
				// The code's own number is already counted; the other
				// words decide.
				ws = slices.DeleteFunc(slices.Clone(ws), func(w queryWord) bool { return w.text == d.num })
			}
			words = d.wordScore(ws)
		}
		if num > 0 || words > 0 {
			all = append(all, scored{d: d, num: num, words: words})
			top = max(top, words)
		}
	}
	var out []scored
	for _, r := range all {
		// Drop the long tail of meanings that share one common word with
		// the query; a number or class asked for is never dropped.
		if r.num > 0 || r.words >= top/40 {
			r.score = int(math.Round((r.num + r.words) * 10))
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		if a.score != b.score {
			return b.score - a.score
		}
		if a.d.registered != b.d.registered {
			if a.d.registered {
				return -1
			}
			return 1
		}
		return a.d.code.Code - b.d.code.Code // then, stably, the first meaning first
	})
	if len(out) > limit {
		out = out[:limit]
	}
	res := make([]Result, len(out))
	for i, r := range out {
		res[i] = Result{Code: r.d.code, Entry: r.d.entry, Score: r.score}
	}
	return res
}

// stopWords carry no meaning in a query or a name: "what is the 503 status
// code" is "503". Words like "not", "no" and "too" are kept: they tell
// "Not Found" from "Found".
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "for": true, "in": true,
	"on": true, "at": true, "by": true, "with": true, "from": true, "and": true, "or": true,
	"is": true, "are": true, "was": true, "be": true, "been": true, "it": true, "its": true,
	"this": true, "that": true, "what": true, "why": true, "how": true, "when": true,
	"does": true, "do": true, "did": true, "i": true, "my": true, "me": true, "we": true,
	"you": true, "your": true, "get": true, "getting": true, "got": true, "mean": true,
	"means": true, "meaning": true, "status": true, "code": true, "codes": true, "http": true,
}

// normalise drops stop words (unless the words are nothing else) and
// stems the rest.
func normalise(raw []string) []string {
	var out []string
	for _, t := range raw {
		if !stopWords[t] {
			out = append(out, stem(t))
		}
	}
	if len(out) == 0 {
		for _, t := range raw {
			out = append(out, stem(t))
		}
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

// stem reduces an English word to a rough stem, the same way for the
// catalog and the query, so that "requests", "closed", "limiting" and
// "entities" match "request", "close", "limit" and "entity". It is not a
// linguist's stemmer: it only has to be consistent.
func stem(w string) string {
	if len(w) <= 3 || isDigits(w) || w == "https" {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "i"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ing") && len(w) >= 6:
		w = w[:len(w)-3]
	case strings.HasSuffix(w, "ed") && len(w) >= 5:
		w = w[:len(w)-2]
	}
	if len(w) >= 4 {
		switch c := w[len(w)-1]; {
		case c == 'e':
			w = w[:len(w)-1]
		case c == 'y' && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
			w = w[:len(w)-1] + "i"
		}
	}
	return w
}

// letters returns the set of letters and digits of w as bits, folding
// every other rune into one bit.
func letters(w string) uint64 {
	var m uint64
	for _, r := range w {
		switch {
		case 'a' <= r && r <= 'z':
			m |= 1 << (r - 'a')
		case '0' <= r && r <= '9':
			m |= 1 << (26 + r - '0')
		default:
			m |= 1 << 63
		}
	}
	return m
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// editDistance returns the optimal string alignment distance between a
// and b (insertions, deletions, substitutions and swaps of neighbours), or
// limit+1 as soon as it must exceed limit. buf holds at least
// 3*(len(b)+1) ints when len(b) is within limit of len(a).
func editDistance(a, b []rune, limit int, buf []int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	n := len(b) + 1
	prev2, prev, cur := buf[:n], buf[n:2*n], buf[2*n:3*n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
