package seriesfile

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// decimalMark is how a file writes its numbers' fractions.
type decimalMark uint8

const (
	markPoint  decimalMark = iota // 1234.5 (a comma-separated CSV file)
	markComma                     // 1234,5 (a semicolon-separated one, as French Excel writes)
	markEither                    // a workbook's text cell: a comma if there is one, else a point
)

var (
	reNumber    = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)
	reDotGroups = regexp.MustCompile(`^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$`)
	reNonFinite = regexp.MustCompile(`^[+-]?(?:nan|inf|infinity|infini)$`)
)

// numberStatus is what parseNumber found in a cell.
type numberStatus uint8

const (
	numOK        numberStatus = iota
	numMissing                // blank: no value for that period
	numBad                    // not a number
	numNonFinite              // NaN, an infinity, or beyond ±1.8e308 (1e400)
)

// parseNumber parses a value or target cell. Thousands may be separated by
// spaces (a no-break or narrow no-break one too) whatever the mark, and by
// points in groups of three with a decimal comma (1.234.567,5).
func parseNumber(s string, mark decimalMark) (float64, numberStatus) {
	f := fold(s)
	if f == "" { // N/A and the like are errors: a typo would pass for one
		return 0, numMissing
	}
	if reNonFinite.MatchString(f) {
		return 0, numNonFinite
	}
	f = strings.ReplaceAll(f, " ", "")
	if mark == markEither {
		mark = markPoint
		if strings.Contains(f, ",") {
			mark = markComma
		}
	}
	if mark == markComma {
		if strings.Contains(f, ".") {
			if !reDotGroups.MatchString(f) {
				return 0, numBad
			}
			f = strings.ReplaceAll(f, ".", "")
		}
		f = strings.Replace(f, ",", ".", 1)
	}
	if !reNumber.MatchString(f) {
		return 0, numBad
	}
	v, err := strconv.ParseFloat(f, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, numNonFinite
	}
	return v, numOK
}

// numbersWanted says what a value cell may hold, for error messages.
func numbersWanted(mark decimalMark) string {
	switch mark {
	case markComma:
		return "a number with a decimal comma (1 234,5), or an empty cell for a missing value"
	case markPoint:
		return "a number with a decimal point (1234.5), or an empty cell for a missing value"
	}
	return "a number (1234.5 or 1 234,5), or an empty cell for a missing value"
}

// finiteWanted says what a cell holding NaN or an infinity should hold.
const finiteWanted = "a finite number (NaN, infinities and numbers beyond ±1.8e308 are not values; leave the cell empty for a missing value)"

// formatNumber writes v with 10 significant digits, with a decimal comma
// when comma is set.
func formatNumber(v float64, comma bool) string {
	s := strconv.FormatFloat(v, 'g', 10, 64)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
