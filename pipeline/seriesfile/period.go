package seriesfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// period is one period cell read: its index k at frequency freq (see
// Series.First), and the form it was written in, which labels the
// forecasts. A full date has freq 0 and k its month (year*12 + month - 1):
// the series it belongs to decides whether it stands for a month, a quarter
// or a year (see resolveDates).
type period struct {
	k, freq int
	style   labelStyle
}

// form is the way a period is written.
type form uint8

const (
	formDefault   form = iota // 2016, 2016Q1, 2016-03
	formYearQ                 // 2016Q1, 2016-T1, 2016 T1: year, sep, letter, quarter
	formQYear                 // T1 2016, Q1-2016: letter, quarter, sep, year
	formOrdinal               // 1er trimestre 2016, 2e trimestre 2016
	formYearMonth             // 2016-03, 2016/3, 2016M03
	formMonthYear             // 03/2016, 3-2016
	formMonthName             // mars 2016, Janv. 2016, March 2016
	formDate                  // 2016-03-01, 01/03/2016, a workbook's date cell
)

// labelStyle says how to write a period like the input's. Its zero value
// writes 2016, 2016Q1 and 2016-03.
type labelStyle struct {
	form     form
	sep      string // between year and quarter or month
	letter   string // Q or T
	pad      bool   // months with two digits
	upper    bool   // month names capitalised
	english  bool   // month names in English
	dayFirst bool   // dates as 01/03/2016 rather than 2016-03-01
	day      int    // dates: the day of the month; 0 for its last day
	offset   int    // dates: the month within the period (0 to 2 for quarters, 0 to 11 for years)
}

var (
	reYear      = regexp.MustCompile(`^(\d{4})(?:\.0+)?$`)
	reYearQ     = regexp.MustCompile(`^(\d{4})( ?[-/] ?| )?([qt])([1-4])$`)
	reQYear     = regexp.MustCompile(`^([qt])([1-4])( ?[-/] ?| )?(\d{4})$`)
	reOrdinal   = regexp.MustCompile(`^([1-4]|premier|deuxieme|second|troisieme|quatrieme) ?(?:er|re|e|eme|nd|d)? ?trim(?:estre|\.)? ?(\d{4})$`)
	reYearMonth = regexp.MustCompile(`^(\d{4}) ?([-/m]) ?(\d{1,2})$`)
	reMonthYear = regexp.MustCompile(`^(\d{1,2}) ?([-/.]) ?(\d{4})$`)
	reMonthName = regexp.MustCompile(`^([a-z]+)\.? ?[-/ ]? ?(\d{4}|\d{2})$`)
	reISODate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?$`)
	reFRDate    = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`)
)

// ordinals are the words of French quarter ordinals, by quarter.
var ordinals = map[string]int{"premier": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4}

// frenchMonths and englishMonths name the months for labels, January first.
var (
	frenchMonths  = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	englishMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
)

// monthNames maps a month's name or abbreviation, lower case without
// accents or final point, to its number and whether it is English only.
var monthNames = func() map[string][2]int {
	m := map[string][2]int{}
	fr := [][]string{
		{"janvier", "janv", "jan"}, {"fevrier", "fevr", "fev", "fevr"}, {"mars", "mar"}, {"avril", "avr"},
		{"mai"}, {"juin"}, {"juillet", "juil", "jul"}, {"aout", "aou"},
		{"septembre", "sept", "sep"}, {"octobre", "oct"}, {"novembre", "nov"}, {"decembre", "dec"},
	}
	en := [][]string{
		{"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"}, {"may"}, {"june", "jun"},
		{"july", "jul"}, {"august", "aug"}, {"september", "sept", "sep"}, {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
	}
	for i, names := range en {
		for _, n := range names {
			m[n] = [2]int{i + 1, 1}
		}
	}
	for i, names := range fr { // a name both languages use reads as French
		for _, n := range names {
			m[n] = [2]int{i + 1, 0}
		}
	}
	return m
}()

// fold returns s in lower case, without accents, with every run of spaces
// (no-break ones included) made one space and trimmed.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	src := s
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf { // decompose accents only where there may be some
			src = norm.NFD.String(s)
			break
		}
	}
	for _, r := range src {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// parsePeriod parses a period cell in any of the forms the package
// documentation lists. The cell is already trimmed of spaces.
func parsePeriod(s string) (period, bool) {
	f := fold(s)
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := reYear.FindStringSubmatch(f); m != nil {
		return period{atoi(m[1]), 1, labelStyle{}}, true
	}
	if m := reYearQ.FindStringSubmatch(f); m != nil {
		st := labelStyle{form: formYearQ, sep: m[2], letter: strings.ToUpper(m[3])}
		if st.sep == "" && st.letter == "Q" {
			st = labelStyle{}
		}
		return period{4*atoi(m[1]) + atoi(m[4]) - 1, 4, st}, true
	}
	if m := reQYear.FindStringSubmatch(f); m != nil {
		return period{4*atoi(m[4]) + atoi(m[2]) - 1, 4, labelStyle{form: formQYear, sep: m[3], letter: strings.ToUpper(m[1])}}, true
	}
	if m := reOrdinal.FindStringSubmatch(f); m != nil {
		q, ok := ordinals[m[1]]
		if !ok {
			q = atoi(m[1])
		}
		return period{4*atoi(m[2]) + q - 1, 4, labelStyle{form: formOrdinal}}, true
	}
	if m := reYearMonth.FindStringSubmatch(f); m != nil {
		if mo := atoi(m[3]); mo >= 1 && mo <= 12 {
			st := labelStyle{form: formYearMonth, sep: strings.ToUpper(m[2]), pad: len(m[3]) == 2}
			if st.sep == "-" && st.pad {
				st = labelStyle{}
			}
			return period{12*atoi(m[1]) + mo - 1, 12, st}, true
		}
	}
	if m := reMonthYear.FindStringSubmatch(f); m != nil {
		if mo := atoi(m[1]); mo >= 1 && mo <= 12 {
			return period{12*atoi(m[3]) + mo - 1, 12, labelStyle{form: formMonthYear, sep: m[2], pad: len(m[1]) == 2}}, true
		}
	}
	if m := reMonthName.FindStringSubmatch(f); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			y := atoi(m[2])
			if len(m[2]) == 2 { // mars-16, as a French workbook's mmm-aa writes it
				y += 2000
				if y > 2069 {
					y -= 100
				}
			}
			up := false
			for _, r := range strings.TrimSpace(s) {
				up = unicode.IsUpper(r)
				break
			}
			return period{12*y + mo[0] - 1, 12, labelStyle{form: formMonthName, upper: up, english: mo[1] == 1}}, true
		}
	}
	var y, mo, d int
	dayFirst := false
	if m := reISODate.FindStringSubmatch(f); m != nil {
		y, mo, d = atoi(m[1]), atoi(m[2]), atoi(m[3])
	} else if m := reFRDate.FindStringSubmatch(f); m != nil {
		y, mo, d, dayFirst = atoi(m[3]), atoi(m[2]), atoi(m[1]), true
	} else {
		return period{}, false
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return period{}, false
	}
	if d == daysIn(y, mo) && d >= 28 {
		d = 0 // the month's last day, whatever its length
	}
	return period{12*y + mo - 1, 0, labelStyle{form: formDate, dayFirst: dayFirst, day: d}}, true
}

// daysIn is the number of days of month mo (1 to 12) of year y.
func daysIn(y, mo int) int {
	return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// periodsWanted says what a period cell may hold, for error messages.
const periodsWanted = "a year (2016), a quarter (2016Q1, T1 2016, 2016-T1, 1er trimestre 2016), a month (2016-03, 03/2016, mars 2016) or a date (2016-03-01, 01/03/2016)"

// freqName names a frequency for error messages.
func freqName(f int) string {
	switch f {
	case 1:
		return "yearly"
	case 4:
		return "quarterly"
	case 12:
		return "monthly"
	}
	return "dated"
}

// label writes the period of index k at frequency freq in style st.
func (st labelStyle) label(k, freq int) string {
	switch freq {
	case 1:
		if st.form == formDate {
			return st.date(k, 0)
		}
		return strconv.Itoa(k)
	case 4:
		y, q := floorDiv(k, 4), k-4*floorDiv(k, 4)+1
		switch st.form {
		case formYearQ:
			return fmt.Sprintf("%d%s%s%d", y, st.sep, st.letter, q)
		case formQYear:
			return fmt.Sprintf("%s%d%s%d", st.letter, q, st.sep, y)
		case formOrdinal:
			if q == 1 {
				return fmt.Sprintf("1er trimestre %d", y)
			}
			return fmt.Sprintf("%de trimestre %d", q, y)
		case formDate:
			return st.date(y, 3*(q-1))
		}
		return fmt.Sprintf("%dQ%d", y, q)
	}
	y, mo := floorDiv(k, 12), k-12*floorDiv(k, 12)+1
	num := strconv.Itoa(mo)
	if st.pad {
		num = fmt.Sprintf("%02d", mo)
	}
	switch st.form {
	case formYearMonth:
		return fmt.Sprintf("%d%s%s", y, st.sep, num)
	case formMonthYear:
		return fmt.Sprintf("%s%s%d", num, st.sep, y)
	case formMonthName:
		name := frenchMonths[mo-1]
		if st.english {
			name = englishMonths[mo-1]
		}
		if st.upper {
			r := []rune(name)
			r[0] = unicode.ToUpper(r[0])
			name = string(r)
		}
		return fmt.Sprintf("%s %d", name, y)
	case formDate:
		return st.date(y, mo-1)
	}
	return fmt.Sprintf("%d-%02d", y, mo)
}

// date writes the date st's day of the month st.offset months after the
// start month (0-based) of year y: a period labelled like the input's dates.
func (st labelStyle) date(y, start int) string {
	mo := start + st.offset + 1
	y += floorDiv(mo-1, 12)
	mo = mo - 12*floorDiv(mo-1, 12)
	d := st.day
	if d == 0 || d > daysIn(y, mo) {
		d = daysIn(y, mo)
	}
	if st.dayFirst {
		return fmt.Sprintf("%02d/%02d/%04d", d, mo, y)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// resolveDates gives a series whose periods are all dates (freq 0, k their
// months) its frequency: yearly when the dates are whole years apart,
// quarterly when they are whole quarters apart, monthly otherwise. It
// rewrites each period's k at that frequency and returns it. The month of
// the first date within its period, and its day, label the forecasts.
func resolveDates(ps []*period) int {
	g := 0
	for _, p := range ps[1:] {
		g = gcd(g, p.k-ps[0].k)
	}
	freq := 12
	switch {
	case g != 0 && g%12 == 0:
		freq = 1
	case g != 0 && g%3 == 0:
		freq = 4
	}
	step := 12 / freq
	offset := ps[0].k - step*floorDiv(ps[0].k, step)
	for _, p := range ps {
		p.k = floorDiv(p.k, step)
		p.freq = freq
		p.style.offset = offset
	}
	return freq
}

// gcd is the greatest common divisor of |a| and |b|.
func gcd(a, b int) int {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
