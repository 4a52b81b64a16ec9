package ingest

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/offshore-ma/offshore/config"
)

// Headers are read by meaning, not from a list: a header cell is stripped of
// its unit, percent sign, stop words and qualifiers (its date, "de la
// période", "déclaré", the site's place), and what remains is scored against
// each canonical column's terms (mappings.yaml, columns[].terms): the share
// of the words that the column explains, key words counting twice. A header
// naming a column only by a weak term ("Date" for the period) scores 0.8 of
// that; one holding a "not" word ("Effectif féminin", "CA local") scores at
// most half the resemble threshold: it names something else, so it is
// neither read as the column nor said to resemble it. The wordings that
// mappings.yaml lists still win: a header equal to one of them (without
// case, accents or punctuation) scores 1 and is marked exact.
// Among equal scores, the header holding the column's earlier key term wins
// ("Région" over "Ville"), then the more exact wording.

// columnTerms is one column's terms, each a phrase of normalised words.
type columnTerms struct {
	name                   string
	key, weak, related, no [][]string
}

// headerScore is how well a header cell names one column.
type headerScore struct {
	column string
	score  float64
	// rank is the place, in the column's key terms, of the first one the
	// header holds (weak terms after them): "Région" names the region more
	// surely than "Ville".
	rank int
	// exact is 2 for the column's template header (its fr or en wording),
	// 1 for a listed alias, 0 for a reading by meaning.
	exact int
}

// better orders two scores: the higher score, then the lower rank, then
// the more exact wording. Equal on all three, two headers name a column
// equally well.
func (a headerScore) better(b headerScore) int {
	switch {
	case a.score != b.score:
		if a.score > b.score {
			return -1
		}
		return 1
	case a.rank != b.rank:
		return a.rank - b.rank
	}
	return b.exact - a.exact
}

// headerReading is what a header cell says: its scores for the columns
// (best first, only those above zero), the unit of its amounts and whether
// it is in percent.
type headerReading struct {
	scores  []headerScore
	factor  float64
	percent bool
}

// best returns the reading's best score, or a zero one.
func (h headerReading) best() headerScore {
	if len(h.scores) == 0 {
		return headerScore{}
	}
	return h.scores[0]
}

// scoreOf returns the reading's score for a column.
func (h headerReading) scoreOf(column string) headerScore {
	for _, s := range h.scores {
		if s.column == column {
			return s
		}
	}
	return headerScore{column: column}
}

// indexTerms prepares the columns' terms and the matching words.
func (x *Matcher) indexTerms(m *config.Mappings) {
	x.accept, x.resemble = m.Matching.Accept, m.Matching.Resemble
	if x.accept <= 0 || x.accept > 1 {
		x.accept = 0.75
	}
	if x.resemble <= 0 || x.resemble >= x.accept {
		x.resemble = min(0.4, x.accept/2)
	}
	x.qualifiers, x.stopwords = map[string]bool{}, map[string]bool{}
	for _, w := range m.Matching.Qualifiers {
		for _, t := range headerWords(w) {
			x.qualifiers[t] = true
		}
	}
	for _, ws := range append(slices.Clone(m.Periods.Months), m.Periods.Ordinals...) {
		for _, w := range ws {
			for _, t := range headerWords(w) {
				x.qualifiers[t] = true
			}
		}
	}
	for _, w := range m.Matching.Stopwords {
		for _, t := range headerWords(w) {
			x.stopwords[t] = true
		}
	}
	// Places: "Effectif du site de Casablanca" is the headcount. Only
	// single words, so that no place swallows a column's own word.
	for _, r := range m.Regions {
		for _, w := range append(append([]string{r.Name}, r.Aliases...), r.Cities...) {
			for _, t := range headerWords(w) {
				if utf8.RuneCountInString(t) > 3 {
					x.places[t] = true
				}
			}
		}
	}
	phrases := func(ws []string) [][]string {
		var out [][]string
		for _, w := range ws {
			if p := headerWords(w); len(p) > 0 {
				out = append(out, p)
			}
		}
		return out
	}
	for _, c := range m.Columns {
		x.terms = append(x.terms, columnTerms{name: c.Name, key: phrases(c.Terms.Key), weak: phrases(c.Terms.Weak),
			related: phrases(c.Terms.Related), no: phrases(c.Terms.Not)})
	}
}

// undot writes "I.C.E" and "C.A." as "ICE" and "CA", and "Nº" as "No".
func undot(s string) string {
	s = dotted.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, ".", "") })
	return strings.NewReplacer("º", "o", "°", "o").Replace(s)
}

// abbreviated matches a word cut short with a dot: "Eff.", "Invest.".
var abbreviated = regexp.MustCompile(`(\pL{3,})\.`)

// dotted matches an abbreviation written with dots: "I.C.E", "C.A.".
var dotted = regexp.MustCompile(`\b(?:\pL\.)+\pL\b\.?`)

// headerWords splits a wording into normalised words, each singular, Arabic
// letters folded and the Arabic article removed; "I.C.E" is one word, "Nº"
// is "no", "35ans" two.
func headerWords(s string) []string {
	f := splitTokens(Normalize(undot(s))) // "35ans" is "35 ans"
	out := f[:0]
	for _, w := range f {
		if !ascii(w) {
			w = arabicFold(w)
		}
		if w != "" {
			out = append(out, singular(w))
		}
	}
	return out
}

// arabicFold folds the spellings of Arabic letters that vary in typing (the
// forms of alif, tā' marbūṭa, alif maqṣūra) and drops the article "ال" and a
// leading conjunction "و" or preposition "ب"/"ل" before it.
func arabicFold(w string) string {
	w = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ة", "ه", "ى", "ي", "ـ", "").Replace(w)
	for _, p := range []string{"وال", "بال", "لل", "ال"} {
		if strings.HasPrefix(w, p) && utf8.RuneCountInString(w)-utf8.RuneCountInString(p) >= 2 {
			return w[len(p):]
		}
	}
	return w
}

// wordMatches reports whether a header word is a term's word: the same once
// singular; a longer form of a term word of five letters or more ("export"
// in "exportations", "handicap" in "handicapées"); a word cut short with a
// dot, of three letters or more, of a term word of six or more ("eff." for
// "effectif", "invest." for "investissement"); or, for a term word of eight letters or
// more, the word with one letter left out, added, changed or two swapped
// ("investissemnt").
func wordMatches(word, term string) bool {
	switch {
	case word == term:
		return true
	case len(term) >= 5 && strings.HasPrefix(word, term) && len(word)-len(term) <= 5:
		return true
	case strings.HasSuffix(word, "."):
		return len(term) >= 6 && strings.HasPrefix(term, word[:len(word)-1])
	}
	switch {
	case !ascii(word) || len(term) < 6:
		return false
	case len(term) >= 8:
		return oneEdit(word, term)
	}
	return swapped(word, term) // "rasion" for "raison"; "expert" is not "export"
}

// swapped reports whether a is b with two neighbouring letters swapped.
func swapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// oneEdit reports whether a and b differ by one letter left out, added or
// changed, or two neighbours swapped.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if i == len(a) {
			return true
		}
		return a[i+1:] == b[i+1:] || // changed
			i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // swapped
	}
	return a[i:] == b[i+1:] // one left out of a
}

// phraseAt returns the header words a phrase covers (all its words present,
// in any order), or nil.
func phraseAt(words []string, phrase []string) []int {
	var at []int
	for _, p := range phrase {
		found := -1
		for i, w := range words {
			if !slices.Contains(at, i) && wordMatches(w, p) {
				found = i
				break
			}
		}
		if found < 0 {
			return nil
		}
		at = append(at, found)
	}
	return at
}

// strong reports whether a score comes from one of the column's key terms
// (or a listed wording), not from a weak one.
func (x *Matcher) strong(s headerScore) bool {
	for i := range x.terms {
		if x.terms[i].name == s.column {
			return s.exact > 0 || s.rank < len(x.terms[i].key)
		}
	}
	return false
}

// shareColumns are the columns a header in percent may name: shares of
// the hires, turned into counts.
var shareColumns = map[string]bool{"hires_youth": true, "hires_disabled": true}

// noRank is the rank of a header that holds no key term of the column.
const noRank = 1000

// score returns how well the header words name column c, from 0 to 1, the
// rank of the first key term they hold, and whether they hold a "not" word
// of the column (the score is then capped).
func (x *Matcher) score(words []string, c *columnTerms) (float64, int, bool) {
	const (
		none = iota
		key
		related
	)
	role := make([]int, len(words))
	rank := noRank
	mark := func(ps [][]string, r, first int) bool {
		hit := false
		for j, p := range ps {
			for _, i := range phraseAt(words, p) {
				hit = true
				rank = min(rank, first+j)
				if role[i] == none || r == key {
					role[i] = r
				}
			}
		}
		return hit
	}
	strong := mark(c.key, key, 0)
	weak := mark(c.weak, key, len(c.key))
	if !strong && !weak {
		return 0, noRank, false
	}
	mark(c.related, related, noRank)
	var explained, unknown float64
	for i, w := range words {
		switch {
		case role[i] == key:
			explained += 2
		case role[i] == related:
			explained++
		case x.ignorable(w):
		default:
			unknown++
		}
	}
	s := explained / (explained + unknown)
	if !strong {
		s *= 0.8
	}
	for _, p := range c.no {
		// A "not" word counts unless a key term holds it ("hors Maroc").
		for _, i := range phraseAt(words, p) {
			if role[i] != key {
				return min(s, x.resemble/2), rank, true
			}
		}
	}
	return s, rank, false
}

// ignorable reports whether a header word never changes what it means: a
// stop word, a qualifier, a number (a date, "35" aside, which is a term of
// its own), a place.
func (x *Matcher) ignorable(w string) bool {
	w = strings.TrimSuffix(w, ".") // "Trim.", "Nbre."
	if utf8.RuneCountInString(w) == 1 {
		return true
	}
	// The feminine and plural forms of a listed word: "concernée", "déclarante".
	for _, f := range []string{w, strings.TrimSuffix(w, "e"), strings.TrimSuffix(w, "ee") + "e"} {
		if x.stopwords[f] || x.qualifiers[f] || x.places[f] {
			return true
		}
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// wordless reports whether a cell says nothing but qualifiers, stop words
// and numbers ("#", "nombre", "N°"), as in a row of hints under a header.
func (x *Matcher) wordless(s string) bool {
	if len(s) > 40 {
		return false
	}
	for _, w := range headerWords(x.stripUnits(s)) {
		if !x.ignorable(w) {
			return false
		}
	}
	return true
}

// read scores a header cell against every column.
func (x *Matcher) read(header string) headerReading {
	n := Normalize(header)
	if n == "" || len(n) > 200 {
		return headerReading{}
	}
	factor, pct := x.headerUnit(header)
	h := headerReading{factor: factor, percent: pct || strings.Contains(header, "%")}
	exact, level := x.columns[n], 1
	if x.templates[n] {
		level = 2
	}
	header = undot(header)
	cut := map[string]bool{}
	for _, m := range abbreviated.FindAllStringSubmatch(header, 8) {
		cut[singular(Normalize(m[1]))] = true
	}
	words := x.contentWords(header, cut)
	bare := x.contentWords(parens.ReplaceAllString(header, " "), cut)
	for i := range x.terms {
		c := &x.terms[i]
		if h.percent && !shareColumns[c.name] {
			continue // "Export share of revenue (%)" is no amount, "Effectif (%)" no headcount
		}
		s, rank, denied := x.score(words, c)
		// "Période (AAAA-TN)": a hint in brackets, set aside unless it says
		// the header is about something else ("Revenue (export)").
		if len(bare) > 0 && len(bare) < len(words) && !denied {
			if sb, rb, _ := x.score(bare, c); sb > s {
				s, rank = sb, rb
			}
		}
		if c.name == exact {
			h.scores = append(h.scores, headerScore{column: c.name, score: 1, rank: rank, exact: level})
		} else if s > 0 {
			h.scores = append(h.scores, headerScore{column: c.name, score: s, rank: rank})
		}
	}
	slices.SortStableFunc(h.scores, headerScore.better)
	return h
}

// contentWords returns a header's words without its unit and percent
// wordings, those cut short with a dot ending in ".".
func (x *Matcher) contentWords(header string, cut map[string]bool) []string {
	words := headerWords(x.stripUnits(header))
	for i, w := range words {
		if cut[w] {
			words[i] = w + "."
		}
	}
	return words
}

// stripUnits removes the unit and percent wordings from a header, as the
// words they leave must not count against the column.
func (x *Matcher) stripUnits(header string) string {
	n := unitForm(header)
	for _, u := range x.units {
		n = strings.ReplaceAll(n, " "+u.words+" ", " ")
	}
	for _, p := range x.percent {
		n = strings.ReplaceAll(n, " "+p+" ", " ")
	}
	return n
}
