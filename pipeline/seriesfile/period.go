package seriesfile

import (
	"regexp"
	"strconv"
	"strings"
)

var rePeriod = regexp.MustCompile(`^(\d{4})(?:[Qq]([1-4]))?$`)

// parsePeriod parses 2016 (yearly) or 2016Q1 (quarterly) into an index (see
// Series.First) and a frequency. A year may come from a spreadsheet as
// 2016.0. The cell is already trimmed of spaces.
func parsePeriod(s string) (k, freq int, ok bool) {
	s = strings.TrimSuffix(s, ".0")
	m := rePeriod.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	y, _ := strconv.Atoi(m[1])
	if m[2] == "" {
		return y, 1, true
	}
	q, _ := strconv.Atoi(m[2])
	return 4*y + q - 1, 4, true
}

// periodsWanted says what a period cell may hold, for error messages.
const periodsWanted = "a year (2016) or a quarter (2016Q1)"

// freqName names a frequency for error messages.
func freqName(f int) string {
	if f == 1 {
		return "yearly"
	}
	return "quarterly"
}
