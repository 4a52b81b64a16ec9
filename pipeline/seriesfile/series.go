package seriesfile

import (
	"fmt"
	"strconv"
)

// Series is one series of an input file, ordered by period, without gaps.
type Series struct {
	// ID is the series' name as written in the file's series_id column.
	ID string
	// Freq is the number of periods per year: 1 (yearly) or 4 (quarterly).
	// It is also the seasonal period the models are given.
	Freq int
	// First is the index of the first period: the year for a yearly
	// series, year*4 + quarter - 1 for a quarterly one.
	First int
	// Values holds one value per period from First on, oldest first.
	Values []float64
}

// Label returns the name of the period of index k in s's frequency, as the
// input writes it: 2016 (yearly) or 2016Q1 (quarterly). k need not be one
// of s's own periods: forecast steps are labelled this way.
func (s *Series) Label(k int) string {
	return periodLabel(k, s.Freq)
}

// Last returns the index of s's last period.
func (s *Series) Last() int { return s.First + len(s.Values) - 1 }

// periodLabel names the period of index k at frequency freq.
func periodLabel(k, freq int) string {
	if freq == 1 {
		return strconv.Itoa(k)
	}
	return fmt.Sprintf("%dQ%d", floorDiv(k, 4), k-4*floorDiv(k, 4)+1)
}

// floorDiv is a / b rounded towards minus infinity (years before 0 keep
// their quarters in order).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
