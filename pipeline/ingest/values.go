package ingest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// number is a figure read from a cell.
type number struct {
	v       float64
	percent bool    // written with a % sign: v is already divided by 100
	alt     float64 // the other reading of an ambiguous separator ("1,234": 1.234 or 1234)
	hasAlt  bool
}

// parseNumber reads a number as Excel stores it ("1234.5", "1.2E+7") or as a
// person types it: spaces, non-breaking or narrow no-break spaces or
// apostrophes between thousands, a decimal comma or point ("1 234 567,50",
// "1,234,567.50", "1.234.567,50"), a trailing % (divided by 100) or currency
// word (MAD, DH). A single separator followed by exactly three digits
// ("1,234", "1.234") is ambiguous: the decimal reading is returned and the
// thousands reading is kept as alt, for counts to use. Anything else is refused.
func parseNumber(s string) (float64, bool) {
	n, ok := readNumber(s)
	return n.v, ok
}

func readNumber(s string) (number, bool) {
	var n number
	s = strings.TrimSpace(s)
	if len(s) > 64 || s == "" {
		return n, false
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\u2007', '\'', '’', '\t':
			return -1
		case '−', '–': // minus sign, en dash
			return '-'
		}
		return r
	}, s)
	low := strings.ToLower(s)
	for _, cur := range []string{"mad", "dhs", "dh"} {
		if strings.HasSuffix(low, cur) {
			s = s[:len(s)-len(cur)]
			break
		}
		if strings.HasPrefix(low, cur) {
			s = s[len(cur):]
			break
		}
	}
	if strings.HasSuffix(s, "%") {
		n.percent = true
		s = s[:len(s)-1]
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	if s == "" {
		return n, false
	}
	// Only digits, one sign, separators and an exponent are allowed.
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9', r == ',', r == '.':
		case (r == '-' || r == '+') && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		case r == 'e' || r == 'E':
		default:
			return n, false
		}
	}
	comma, dot := strings.Count(s, ","), strings.Count(s, ".")
	std := s
	switch {
	case comma > 0 && dot > 0:
		lc, ld := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
		if lc > ld { // 1.234.567,50
			if dot > 0 && !groups(s[:lc], '.') || comma > 1 {
				return n, false
			}
			std = strings.ReplaceAll(s[:lc], ".", "") + "." + s[lc+1:]
		} else { // 1,234,567.50
			if !groups(s[:ld], ',') || dot > 1 {
				return n, false
			}
			std = strings.ReplaceAll(s[:ld], ",", "") + "." + s[ld+1:]
		}
	case comma > 1:
		if !groups(s, ',') {
			return n, false
		}
		std = strings.ReplaceAll(s, ",", "")
	case dot > 1:
		if !groups(s, '.') {
			return n, false
		}
		std = strings.ReplaceAll(s, ".", "")
	case comma == 1:
		std = strings.Replace(s, ",", ".", 1)
		if groups(s, ',') {
			n.alt, n.hasAlt = mustFloat(strings.Replace(s, ",", "", 1))
		}
	case dot == 1 && !strings.ContainsAny(s, "eE"):
		if groups(s, '.') {
			n.alt, n.hasAlt = mustFloat(strings.Replace(s, ".", "", 1))
		}
	}
	f, err := strconv.ParseFloat(std, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return n, false
	}
	if neg {
		f, n.alt = -f, -n.alt
	}
	if n.percent {
		f, n.alt = f/100, n.alt/100
	}
	n.v = f
	return n, true
}

func mustFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// groups reports whether s is digits grouped by sep in threes: 1,234,567 (an
// optional sign first).
func groups(s string, sep byte) bool {
	s = strings.TrimLeft(s, "+-")
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for i, p := range parts {
		if i > 0 && len(p) != 3 {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// icePrefix is a label typed before an ICE in its cell: "ICE:", "ICE n° ".
var icePrefix = regexp.MustCompile(`^(?i:ice)\s*(?:(?i:n)\s*[°º.]?|(?i:no)\.?)?\s*[:：]?\s*`)

// parseICE accepts 15 digits, with spaces, dots, dashes or slashes between
// them, or a number that lost its leading zeros (stored as a number, maybe
// written 1.2345E+14 or 12345.0), which is padded back to 15 digits. The
// caller refuses a padded id typed as text (padded reports it): only a
// number loses its leading zeros.
func parseICE(s string) (id string, ok bool) {
	id, _, ok = parseICEPadded(s)
	return id, ok
}

// parseICEPadded is parseICE, also reporting whether zeros were added.
func parseICEPadded(s string) (id string, padded, ok bool) {
	s = icePrefix.ReplaceAllString(strings.TrimSpace(s), "") // "ICE : …", "ICE n° …"
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return "", false, false
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && strings.ContainsAny(s, ".eE") {
		if f != math.Trunc(f) || f < 0 || f >= 1e15 {
			return "", false, false
		}
		s = strconv.FormatFloat(f, 'f', 0, 64) // stored as a number: 1.2345E+14
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '-' || r == '.' || r == '/' || r == '\'':
		default:
			return "", false, false
		}
	}
	d := b.String()
	if len(d) == 0 || len(d) > 15 {
		return "", false, false
	}
	return strings.Repeat("0", 15-len(d)) + d, len(d) < 15, true
}

// nothingWords are what people write in a cell to say "nothing to report".
var nothingWords = map[string]bool{"-": true, "–": true, "—": true, "n/a": true, "na": true, "n.a.": true, "nd": true, "n.d.": true, "/": true, "néant": true, "neant": true, "none": true, "nil": true}

// isNothing reports whether a cell says "nothing to report": it is read as blank.
func isNothing(s string) bool { return nothingWords[strings.ToLower(strings.TrimSpace(s))] }

// excelErrors are the error values a formula cell can hold.
var excelErrors = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#EXTERNAL!"}

// isExcelError reports whether a cell value is a spreadsheet error value.
func isExcelError(s string) bool {
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, e := range excelErrors {
		if u == e {
			return true
		}
	}
	return false
}

// serialDate converts an Excel date serial to a date, in the workbook's 1900
// or 1904 date system. Serials outside 1900..2200 are refused.
func serialDate(v float64, date1904 bool) (time.Time, bool) {
	if v < 1 || v > 110000 {
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC) // 1900 system, with Lotus' 29 Feb 1900
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if v < 61 {
		v++ // before the phantom 29 Feb 1900
	}
	days := math.Floor(v)
	return base.AddDate(0, 0, int(days)), true
}

// parseTextDate reads a date written as text: 31/03/2016, 31-03-2016,
// 31.03.2016, 2016-03-31, 2016/03/31 (day first, as in Morocco and France),
// "31 mars 2016", "mars 2016", "March 31, 2016" (month names from
// mappings.yaml), with an optional time after it.
func (x *Matcher) parseTextDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return time.Time{}, false
	}
	if i := strings.IndexAny(s, "T "); i == 10 && strings.Count(s[:10], "-") == 2 {
		s = s[:10] // 2016-03-31T00:00:00, 2016-03-31 00:00:00
	}
	toks := splitTokens(Normalize(s))
	var nums []int
	var numTok []string
	month := 0
	for _, t := range toks {
		if m, ok := x.months[t]; ok && month == 0 {
			month = m
			continue
		}
		v, err := strconv.Atoi(t)
		if err != nil {
			if t == "er" || t == "h" || t == "st" || t == "nd" || t == "rd" || t == "th" || t == "le" || t == "the" {
				continue
			}
			return time.Time{}, false
		}
		nums = append(nums, v)
		numTok = append(numTok, t)
	}
	var y, m, d int
	switch {
	case month > 0 && len(nums) == 1 && len(numTok[0]) == 4:
		y, m, d = nums[0], month, 1
	case month > 0 && len(nums) == 2:
		if len(numTok[1]) == 4 {
			y, m, d = nums[1], month, nums[0]
		} else if len(numTok[0]) == 4 {
			y, m, d = nums[0], month, nums[1]
		} else {
			return time.Time{}, false
		}
	case month == 0 && len(nums) >= 3 && len(nums) <= 6:
		if len(numTok[0]) == 4 {
			y, m, d = nums[0], nums[1], nums[2]
		} else if len(numTok[2]) == 4 || len(numTok[2]) == 2 {
			y, m, d = nums[2], nums[1], nums[0]
			if len(numTok[2]) == 2 {
				y += 2000
			}
		} else {
			return time.Time{}, false
		}
	case month == 0 && len(nums) == 2 && len(numTok[1]) == 4 && nums[0] >= 1 && nums[0] <= 12 && len(numTok[0]) <= 2 && strings.ContainsAny(s, "/.-"):
		y, m, d = nums[1], nums[0], 1 // 03/2016
	default:
		return time.Time{}, false
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// splitTokens splits a normalised string into words, and words at each
// change between letters and digits ("2016q1" → 2016 q 1).
func splitTokens(n string) []string {
	var out []string
	for _, w := range strings.Fields(n) {
		start := 0
		rs := []rune(w)
		for i := 1; i <= len(rs); i++ {
			if i == len(rs) || unicode.IsDigit(rs[i]) != unicode.IsDigit(rs[i-1]) {
				out = append(out, string(rs[start:i]))
				start = i
			}
		}
	}
	return out
}
