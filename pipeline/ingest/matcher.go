package ingest

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/offshore-ma/offshore/config"
)

// Matcher maps the words operators write to canonical names, using the
// wordings of mappings.yaml. It is read-only once built and safe for
// concurrent use.
type Matcher struct {
	columns     map[string]string // normalised wording → column name
	templates   map[string]bool   // normalised template headers (fr, en, name)
	sectors     map[string]string // normalised wording → sector code
	sectorsSing map[string]string // the same, every word singular
	regions     map[string]string // normalised wording → region name
	order       []string          // canonical column order
	labels      map[string][2]string
	aliases     map[string][]string
	units       []unitWord // longest wording first
	fillers     map[string]bool
	percent     []string // normalised percent words
	totals      []string // normalised totals words
	declared    []string // normalised declaration-date labels, longest first
	quarter     map[string]bool
	ordinal     map[string]int // word → quarter 1..4
	months      map[string]int // word → month 1..12
	sectorCodes []string
	sectorWords []sectorWording

	// Reading headers by meaning (headers.go).
	terms                         []columnTerms
	qualifiers, stopwords, places map[string]bool
	accept, resemble              float64

	// headers remembers the readings of header cells: a national inbox holds thousands
	// of workbooks with the same few header wordings, and matching one costs
	// more than reading its row. At most maxMemo entries, so that a file of
	// distinct texts cannot grow it.
	mu      sync.Mutex
	headers map[string]headerReading
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// sectorWording is a sector's wording as words, for finding it in longer text.
type sectorWording struct {
	words []string
	code  string
}

// maxMemo bounds Matcher.headers.
const maxMemo = 4096

type unitWord struct {
	words  string // normalised
	factor float64
}

// NewMatcher indexes the mappings. A mappings.yaml written before the
// units, periods and labels sections existed (by an older `offshore init`)
// gets those sections from the embedded defaults.
func NewMatcher(m *config.Mappings) *Matcher {
	if len(m.Units) == 0 || len(m.Periods.Quarter) == 0 || len(m.Labels.Fillers) == 0 || len(m.Matching.Qualifiers) == 0 || !hasTerms(m) {
		if def, err := embeddedMappings(); err == nil {
			mm := *m
			if len(mm.Units) == 0 {
				mm.Units = def.Units
			}
			if len(mm.Periods.Quarter) == 0 {
				mm.Periods = def.Periods
			}
			if len(mm.Labels.Fillers) == 0 {
				mm.Labels = def.Labels
			}
			if len(mm.Matching.Qualifiers) == 0 {
				mm.Matching = def.Matching
			}
			// Columns without terms (an older mappings.yaml) take the
			// embedded ones of the same name.
			mm.Columns = slices.Clone(mm.Columns)
			for i, c := range mm.Columns {
				for _, d := range def.Columns {
					if d.Name == c.Name && len(c.Terms.Key) == 0 {
						mm.Columns[i].Terms = d.Terms
					}
				}
			}
			m = &mm
		}
	}
	x := &Matcher{columns: map[string]string{}, templates: map[string]bool{}, sectors: map[string]string{}, sectorsSing: map[string]string{}, regions: map[string]string{},
		labels: map[string][2]string{}, aliases: map[string][]string{}, fillers: map[string]bool{}, quarter: map[string]bool{}, ordinal: map[string]int{}, months: map[string]int{}, places: map[string]bool{}}
	for _, u := range m.Units {
		if u.Factor <= 0 {
			continue
		}
		for _, w := range u.Words {
			if n := strings.TrimSpace(unitForm(w)); n != "" {
				x.units = append(x.units, unitWord{n, u.Factor})
			}
		}
	}
	sort.SliceStable(x.units, func(i, j int) bool { return len(x.units[i].words) > len(x.units[j].words) })
	for _, w := range m.Labels.Fillers {
		x.fillers[Normalize(w)] = true
	}
	for _, w := range m.Labels.Percent {
		if w == "%" {
			continue
		}
		x.percent = append(x.percent, Normalize(w))
	}
	for _, w := range m.Labels.Totals {
		x.totals = append(x.totals, Normalize(w))
	}
	for _, w := range m.Labels.Declared {
		x.declared = append(x.declared, Normalize(w))
	}
	sort.SliceStable(x.declared, func(i, j int) bool { return len(x.declared[i]) > len(x.declared[j]) })
	for _, w := range m.Periods.Quarter {
		x.quarter[Normalize(w)] = true
	}
	for i, ws := range m.Periods.Ordinals[:min(4, len(m.Periods.Ordinals))] {
		for _, w := range ws {
			x.ordinal[Normalize(w)] = i + 1
		}
	}
	for i, ws := range m.Periods.Months[:min(12, len(m.Periods.Months))] {
		for _, w := range ws {
			x.months[Normalize(w)] = i + 1
		}
	}
	for _, c := range m.Columns {
		x.order = append(x.order, c.Name)
		x.labels[c.Name] = [2]string{c.FR, c.EN}
		x.aliases[c.Name] = c.Aliases
		for i, w := range append([]string{c.Name, c.FR, c.EN}, c.Aliases...) {
			x.columns[Normalize(w)] = c.Name
			if i < 3 {
				x.templates[Normalize(w)] = true
			}
		}
	}
	for _, s := range m.Sectors {
		x.sectorCodes = append(x.sectorCodes, s.Code)
		for _, w := range append([]string{s.Code, s.FR, s.EN}, s.Aliases...) {
			x.sectors[Normalize(w)] = s.Code
			x.sectorsSing[singularAll(Normalize(w))] = s.Code
			x.sectorWords = append(x.sectorWords, sectorWording{strings.Fields(singularAll(Normalize(w))), s.Code})
		}
	}
	for _, r := range m.Regions {
		for _, w := range append(append([]string{r.Name}, r.Aliases...), r.Cities...) {
			x.regions[Normalize(w)] = r.Name
		}
	}
	x.indexTerms(m)
	return x
}

// hasTerms reports whether every column of m has key terms.
func hasTerms(m *config.Mappings) bool {
	for _, c := range m.Columns {
		if len(c.Terms.Key) == 0 {
			return false
		}
	}
	return true
}

// embeddedMappings decodes the mappings.yaml embedded in the binary.
func embeddedMappings() (*config.Mappings, error) {
	b, err := config.Files.ReadFile(config.MappingsFile)
	if err != nil {
		return nil, err
	}
	var m config.Mappings
	return &m, yaml.Unmarshal(b, &m)
}

// Header is what a header cell says: the canonical column, the unit factor
// of its amounts (0 when the header names no unit) and whether it is in percent.
type Header struct {
	Column  string
	Factor  float64
	Percent bool
}

// Header reads a header cell alone: the column it names with a score of at
// least matching.accept (see headers.go), with its unit and percent sign.
// Within a header row, each column takes its best header (see headerIn).
func (x *Matcher) Header(header string) Header {
	r := x.reading(header)
	if b := r.best(); b.score >= x.accept {
		return Header{Column: b.column, Factor: r.factor, Percent: r.percent}
	}
	return Header{Factor: r.factor, Percent: r.percent}
}

// reading is read, remembered: a national inbox holds thousands of
// workbooks with the same few header wordings.
func (x *Matcher) reading(header string) headerReading {
	x.mu.Lock()
	h, ok := x.headers[header]
	x.mu.Unlock()
	if ok {
		return h
	}
	h = x.read(header)
	x.mu.Lock()
	if x.headers == nil || len(x.headers) >= maxMemo {
		x.headers = map[string]headerReading{}
	}
	x.headers[header] = h
	x.mu.Unlock()
	return h
}

var sectorSep = regexp.MustCompile(`[/;|()\[\]]|\s[-–]\s`)

var parens = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)

// headerUnit returns the scale its unit wording gives a header's amounts
// (0 when none) and whether it is in percent.
func (x *Matcher) headerUnit(header string) (factor float64, pct bool) {
	n := unitForm(header)
	for _, u := range x.units {
		if strings.Contains(n, " "+u.words+" ") {
			n = strings.Replace(n, " "+u.words+" ", " ", 1)
			factor = max(factor, u.factor)
		}
	}
	for _, p := range x.percent {
		if strings.Contains(n, " "+p+" ") {
			pct = true
		}
	}
	return factor, pct
}

// singular folds a plural word: "recrutements" and "recrutement" compare equal.
func singular(w string) string {
	if len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// unitForm is a text as unit wordings are compared: normalised, every word
// singular ("milliers de dirhams" is "millier de dirham"), a multiplier
// written as a number ("x 1 000 000 MAD") as its unit word, between spaces.
func unitForm(s string) string {
	n := " " + singularAll(Normalize(s)) + " "
	if strings.Contains(n, "000") || strings.Contains(n, " 10 ") { // "(x 1 000 000 MAD)", "10^3 DH": a multiplier
		n = multiplier.ReplaceAllStringFunc(n, func(m string) string {
			switch {
			case strings.Count(m, "000") == 1, strings.Contains(m, "10 3"):
				return " kmad "
			case strings.Count(m, "000") == 2, strings.Contains(m, "10 6"):
				return " mmad "
			}
			return m
		})
	}
	return n
}

// multiplier matches an amount's scale written as a number, normalised:
// "x 1 000 000 mad", "1000 dh", "10^3 MAD".
var multiplier = regexp.MustCompile(` (?:x ?)?(?:1(?: ?000)+|10 [36]) (?:mad|dh|dhs|dirham|mdh) `)

// singularAll folds every word of a normalised wording.
func singularAll(n string) string {
	w := strings.Fields(n)
	for i := range w {
		w[i] = singular(w[i])
	}
	return strings.Join(w, " ")
}

// UnitIn returns the scale of amounts a free-text cell states ("Montants en
// milliers de dirhams" → 1000); 0 when it names no scale other than MAD.
func (x *Matcher) UnitIn(text string) float64 {
	if len(text) > 2000 {
		return 0
	}
	n := unitForm(text)
	for _, u := range x.units {
		if u.factor != 1 && strings.Contains(n, " "+u.words+" ") {
			return u.factor
		}
	}
	return 0
}

// Sector returns the sector code a cell names: a code, a name or an alias,
// or text holding exactly one sector code as a word ("CRM - centre d'appels").
func (x *Matcher) Sector(s string) (string, bool) {
	n := Normalize(s)
	if c, ok := x.sectors[n]; ok {
		return c, true
	}
	if c, ok := x.sectorsSing[singularAll(n)]; ok {
		return c, true
	}
	// "Relation client / Call center", "BPO (back office)": every part names the same sector.
	found := ""
	parts := sectorSep.Split(s, -1)
	if len(parts) > 1 {
		for _, part := range parts {
			pn := Normalize(part)
			if pn == "" {
				continue
			}
			c, ok := x.sectors[pn]
			if !ok {
				c, ok = x.sectorsSing[singularAll(pn)]
			}
			if ok && found != "" && c != found {
				return "", false // two sectors named
			}
			if ok {
				found = c // a part that names nothing ("(France)") is ignored
			}
		}
		if found != "" {
			return found, true
		}
	}
	for _, w := range strings.Fields(n) {
		for _, code := range x.sectorCodes {
			if w == strings.ToLower(code) {
				if found != "" && found != code {
					return "", false
				}
				found = code
			}
		}
	}
	if found != "" {
		return found, true
	}
	// A sector's wording inside longer text: "Centres de relation client",
	// "Ingénierie automobile", as long as all the wordings found name one.
	words := strings.Fields(singularAll(n))
	if len(words) > 12 {
		return "", false
	}
	for _, sw := range x.sectorWords {
		if len(sw.words) == 1 && len(sw.words[0]) < 5 {
			continue // "IT", "R&D": too short to look for inside other words' company
		}
		if at := phraseAt(words, sw.words); at != nil && contiguous(at) != nil {
			if found != "" && found != sw.code {
				return "", false
			}
			found = sw.code
		}
	}
	return found, found != ""
}

// contiguous returns at, or nil when its indices do not follow one another
// in some order: a sector's wording is looked for as a run of words.
func contiguous(at []int) []int {
	s := slices.Sorted(slices.Values(at))
	if s[len(s)-1]-s[0] != len(s)-1 {
		return nil
	}
	return at
}

// Region returns the region a cell names (a region name, alias or city), or
// that of the longest leading words that name one ("Casablanca (Sidi
// Maarouf)", "Rabat - Technopolis").
func (x *Matcher) Region(s string) (string, bool) {
	n := Normalize(s)
	if c, ok := x.regions[n]; ok {
		return c, true
	}
	w := strings.Fields(n)
	if len(w) > 12 {
		return "", false
	}
	// The longest run of words that names one: "Casablanca (Sidi Maarouf)",
	// "Région de Casablanca-Settat", "Site de Rabat Technopolis".
	for size := len(w) - 1; size >= 1; size-- {
		for i := 0; i+size <= len(w); i++ {
			if c, ok := x.regions[strings.Join(w[i:i+size], " ")]; ok {
				return c, true
			}
		}
	}
	return "", false
}

// IsTotal reports whether a cell's text starts a totals row ("Total",
// "Sous-total CRM", "TOTAL GÉNÉRAL").
func (x *Matcher) IsTotal(s string) bool {
	n := Normalize(s)
	for _, t := range x.totals {
		if n == t || strings.HasPrefix(n, t+" ") {
			return true
		}
	}
	return false
}

// declaredLabel returns the text following a declaration-date label at the
// start of s ("Date de déclaration : 15/04/2016" → "15/04/2016") and
// whether s starts with such a label.
func (x *Matcher) declaredLabel(s string) (rest string, ok bool) {
	n := Normalize(s)
	for _, d := range x.declared {
		if n == d || strings.HasPrefix(n, d+" ") {
			if i := strings.IndexAny(s, ":："); i >= 0 {
				return strings.TrimSpace(s[i+len(string([]rune(s[i:])[0])):]), true
			}
			return "", true
		}
	}
	return "", false
}

// wordings lists, for a person, a few of the wordings read as a column:
// its template header in lang first.
func (x *Matcher) wordings(col, lang string) string {
	ws := []string{x.label(col, lang), x.label(col, map[string]string{"fr": "en", "en": "fr"}[lang])}
	for _, a := range x.aliases[col] {
		if len(ws) >= 5 {
			break
		}
		ws = append(ws, a)
	}
	ws = slices.Compact(ws)
	if lang == "fr" {
		return "« " + strings.Join(ws, " », « ") + " »"
	}
	return `"` + strings.Join(ws, `", "`) + `"`
}

// label returns a column's header in lang ("fr" or "en").
func (x *Matcher) label(col, lang string) string {
	l, ok := x.labels[col]
	if !ok {
		return col
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Normalize folds a wording for comparison: lower case, accents removed, every
// run of spaces, punctuation and line breaks turned into one space, trimmed.
func Normalize(s string) string {
	if ascii(s) { // most cells: the same result without decomposing
		b := make([]byte, 0, len(s))
		space := false
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = true
				continue
			}
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = append(b, c)
		}
		return string(b)
	}
	return normalizeRunes(s)
}

// normalizeRunes is Normalize for any text.
func normalizeRunes(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r): // combining accent
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}
