package ingest

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/offshore-ma/offshore/configs"
)

// Matcher maps the words operators write to canonical names, using the
// wordings of mappings.yaml.
type Matcher struct {
	columns map[string]string // normalised wording → column name
	sectors map[string]string // normalised wording → sector code
	regions map[string]string // normalised wording → region name
	order   []string          // canonical column order
}

// NewMatcher indexes the mappings.
func NewMatcher(m *configs.Mappings) *Matcher {
	x := &Matcher{columns: map[string]string{}, sectors: map[string]string{}, regions: map[string]string{}}
	for _, c := range m.Columns {
		x.order = append(x.order, c.Name)
		for _, w := range append([]string{c.Name, c.FR, c.EN}, c.Aliases...) {
			x.columns[Normalize(w)] = c.Name
		}
	}
	for _, s := range m.Sectors {
		for _, w := range append([]string{s.Code, s.FR, s.EN}, s.Aliases...) {
			x.sectors[Normalize(w)] = s.Code
		}
	}
	for _, r := range m.Regions {
		for _, w := range append(append([]string{r.Name}, r.Aliases...), r.Cities...) {
			x.regions[Normalize(w)] = r.Name
		}
	}
	return x
}

// Column returns the canonical column a header names.
func (x *Matcher) Column(header string) (string, bool) {
	c, ok := x.columns[Normalize(header)]
	return c, ok
}

// Sector returns the sector code a cell names.
func (x *Matcher) Sector(s string) (string, bool) {
	c, ok := x.sectors[Normalize(s)]
	return c, ok
}

// Region returns the region a cell names (a region name, alias or city).
func (x *Matcher) Region(s string) (string, bool) {
	c, ok := x.regions[Normalize(s)]
	return c, ok
}

// Normalize folds a wording for comparison: lower case, accents removed, every
// run of spaces, punctuation and line breaks turned into one space, trimmed.
func Normalize(s string) string {
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
