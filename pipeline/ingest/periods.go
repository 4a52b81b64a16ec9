package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// parsePeriod reads the quarter a period cell names. raw is the cell's value
// as stored (a date cell holds its serial); accepted: 2016Q1, T1 2016,
// 2016-T1, 1er trimestre 2016, Q1 2016, Q1-16, 2016/1, 2016.1, a span of
// months ("janvier-mars 2016") or a date inside the quarter, as text or as an
// Excel serial in the workbook's date system.
func (x *Matcher) parsePeriod(raw string, date1904 bool) (domain.Period, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > 64 {
		return 0, false
	}
	if p, err := domain.ParsePeriod(s); err == nil {
		return p, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "/-") {
		if strings.Count(s, ".") == 1 && len(s) == 6 { // 2016.1
			y, _ := strconv.Atoi(s[:4])
			q, _ := strconv.Atoi(s[5:])
			if okYear(y) && q >= 1 && q <= 4 {
				return domain.NewPeriod(y, q), true
			}
		}
		if f >= 3000 && f <= 110000 { // a date cell: its serial
			if t, ok := serialDate(f, date1904); ok && okYear(t.Year()) {
				return domain.PeriodOf(t), true
			}
		}
		return 0, false
	}
	toks := periodTokens(s)
	if p, ok := x.quarterTokens(toks, s); ok {
		return p, true
	}
	if _, _, ok := x.monthOnly(toks); ok {
		return 0, false // a month typed as text: a monthly return? (periodHint says so)
	}
	if t, ok := x.parseTextDate(s); ok && okYear(t.Year()) {
		return domain.PeriodOf(t), true
	}
	return x.periodRange(s)
}

// periodRange reads a quarter written as its span: "janvier-mars 2016",
// "Jan to Mar 2016", "du 01/01/2016 au 31/03/2016". Both ends must fall in
// one quarter.
func (x *Matcher) periodRange(s string) (domain.Period, bool) {
	var parts []string
	for _, sep := range []string{" au ", " à ", " a ", " to ", " - ", " – ", "-", "–", " till ", " until "} {
		if a, b, ok := strings.Cut(strings.ToLower(s), sep); ok {
			parts = []string{a, b}
			break
		}
	}
	if len(parts) != 2 {
		return 0, false
	}
	a := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(parts[0]), "du "))
	a = strings.TrimSpace(strings.TrimPrefix(a, "from "))
	b := strings.TrimSpace(parts[1])
	tb, ok := x.parseTextDate(b)
	if !ok || !okYear(tb.Year()) {
		return 0, false
	}
	ta, ok := x.parseTextDate(a)
	if !ok { // "janvier" without its year
		m, isMonth := x.months[Normalize(a)]
		if !isMonth {
			return 0, false
		}
		ta = time.Date(tb.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	}
	pa, pb := domain.PeriodOf(ta), domain.PeriodOf(tb)
	if pa != pb || ta.After(tb) {
		return 0, false
	}
	return pb, true
}

// periodTokens splits a period cell into its words and numbers, without the
// words that say nothing ("de", "exercice").
func periodTokens(s string) []string {
	var toks []string
	for _, t := range splitTokens(Normalize(s)) {
		if !periodStop[t] {
			toks = append(toks, t)
		}
	}
	return toks
}

// monthOnly reads a month and its year alone, typed as text (a date cell
// is read as the quarter it falls in): "janvier 2017", "Feb 2017",
// "01/2017" (two digits).
func (x *Matcher) monthOnly(toks []string) (month, year int, ok bool) {
	if len(toks) != 2 {
		return 0, 0, false
	}
	for i := range 2 {
		y, err := strconv.Atoi(toks[1-i])
		if err != nil || len(toks[1-i]) != 4 || !okYear(y) {
			continue
		}
		if m := x.months[toks[i]]; m > 0 {
			return m, y, true
		}
		if m, err := strconv.Atoi(toks[i]); err == nil && len(toks[i]) == 2 && m >= 1 && m <= 12 {
			return m, y, true
		}
	}
	return 0, 0, false
}

// periodHint says why a period cell that is not a quarter was refused: a
// half-year, a month, a year. ok is false for anything else.
func (x *Matcher) periodHint(s string) (msg text, ok bool) {
	toks := periodTokens(s)
	year := 0
	for _, t := range toks {
		if y, err := strconv.Atoi(t); err == nil && len(t) == 4 && okYear(y) {
			year = y
		}
	}
	if year == 0 {
		return text{}, false
	}
	half := 0
	for _, t := range toks {
		if t == "semestre" || t == "semester" || t == "half" || t == "s" || t == "h" {
			half = 1
		}
	}
	if half > 0 && slices.ContainsFunc(toks, func(t string) bool { return t == "2" || t == "second" || t == "deuxieme" || t == "2nd" || t == "ii" }) {
		half = 2
	}
	if half > 0 {
		q := 2*half - 1
		return text{fmt.Sprintf("a half-year where a quarter is expected: a return covers one quarter; send %dQ%d and %dQ%d, one row each", year, q, year, q+1),
			fmt.Sprintf("un semestre là où un trimestre est attendu : une déclaration par trimestre ; envoyez T%d et T%d %d, une ligne chacun", q, q+1, year)}, true
	}
	if m, y, ok := x.monthOnly(toks); ok {
		q := (m-1)/3 + 1
		return text{fmt.Sprintf("a month where a quarter is expected: a return covers a whole quarter; write %dQ%d for the quarter ending in %s", y, q, time.Month(3*q)),
			fmt.Sprintf("un mois là où un trimestre est attendu : une déclaration couvre un trimestre entier ; écrivez T%d %d pour le trimestre de %s", q, y, frQuarterMonths[q-1])}, true
	}
	if len(toks) == 1 {
		return text{fmt.Sprintf("a year where a quarter is expected: write the quarter, e.g. %dQ4", year),
			fmt.Sprintf("une année là où un trimestre est attendu : écrivez le trimestre, par exemple T4 %d", year)}, true
	}
	return text{}, false
}

var frQuarterMonths = []string{"janvier à mars", "avril à juin", "juillet à septembre", "octobre à décembre"}

// periodStop are words a period spelling may hold that say nothing.
var periodStop = map[string]bool{"of": true, "de": true, "du": true, "l": true, "annee": true, "year": true, "an": true, "the": true, "exercice": true, "fy": true, "au": true, "titre": true}

func okYear(y int) bool { return y >= 1990 && y <= 2100 }

// quarterTokens reads tokens such as [t 1 2016], [2016 q 1], [1 er trimestre
// 2016], [premier trimestre 2016], [2016 1] (from "2016/1" or "2016-1").
func (x *Matcher) quarterTokens(toks []string, orig string) (domain.Period, bool) {
	year, yi := 0, -1
	for i, t := range toks {
		if v, err := strconv.Atoi(t); err == nil && len(t) == 4 && okYear(v) {
			if yi >= 0 {
				return 0, false
			}
			year, yi = v, i
		}
	}
	rest := make([]string, 0, len(toks))
	if yi < 0 {
		// A two-digit year beside a quarter: "T1-16", "Q1 16", "1T16", "16Q1".
		hasQ := false
		for _, t := range toks {
			hasQ = hasQ || x.quarter[t]
		}
		if len(toks) != 3 || !hasQ {
			return 0, false
		}
		switch {
		case len(toks[2]) == 2 && toks[2][0] >= '0' && toks[2][0] <= '9':
			yi = 2
		case len(toks[0]) == 2 && toks[0][0] >= '0' && toks[0][0] <= '9':
			yi = 0
		default:
			return 0, false
		}
		v, err := strconv.Atoi(toks[yi])
		if err != nil {
			return 0, false
		}
		year = 2000 + v
		rest = append(append(rest, toks[:yi]...), toks[yi+1:]...)
	} else {
		rest = append(append(rest, toks[:yi]...), toks[yi+1:]...)
	}
	q := 0
	digit := func(t string) int {
		if len(t) == 1 && t[0] >= '1' && t[0] <= '4' {
			return int(t[0] - '0')
		}
		return 0
	}
	switch len(rest) {
	case 1: // 2016/1, 2016-1 (a lone quarter digit needs a separator), or "2016 T1" written "2016T1"? no: that has a quarter word
		if d := digit(rest[0]); d > 0 && strings.ContainsAny(orig, "/-_") {
			q = d
		} else if o := x.ordinal[rest[0]]; o > 0 {
			q = 0 // "premier 2016": no quarter word, refuse
		}
	case 2:
		switch {
		case x.quarter[rest[0]] && digit(rest[1]) > 0: // T 1, Q 1
			q = digit(rest[1])
		case digit(rest[0]) > 0 && x.quarter[rest[1]]: // 1 T, 1 trimestre
			q = digit(rest[0])
		case x.ordinal[rest[0]] > 0 && x.quarter[rest[1]]: // premier trimestre
			q = x.ordinal[rest[0]]
		case x.quarter[rest[0]] && x.ordinal[rest[1]] > 0: // trimestre 1er? rare
			q = x.ordinal[rest[1]]
		}
	case 3:
		switch {
		case digit(rest[0]) > 0 && x.ordinal[rest[0]+rest[1]] > 0 && x.quarter[rest[2]]: // 1 er trimestre, 2 eme trimestre
			q = digit(rest[0])
		case x.quarter[rest[0]] && x.quarter[rest[1]] && digit(rest[2]) > 0: // trim t 1? no; "quarter q 1"
			q = digit(rest[2])
		case x.quarter[rest[0]] && digit(rest[1]) > 0 && x.ordinal[rest[1]+rest[2]] > 0: // T 1 er
			q = digit(rest[1])
		}
	}
	if q == 0 {
		return 0, false
	}
	return domain.NewPeriod(year, q), true
}
