package seriesfile

// Series is one series of an input file, ordered by period, from its first
// value to its last, one slot per period.
type Series struct {
	// ID is the series' name as written in the file's series column (the
	// file's name, without its extension, when the file has no such column).
	ID string
	// Freq is the number of periods per year: 1 (yearly), 4 (quarterly) or
	// 12 (monthly). It is also the seasonal period the models are given.
	Freq int
	// First is the index of the first period: the year for a yearly
	// series, year*4 + quarter - 1 for a quarterly one, year*12 + month - 1
	// for a monthly one.
	First int
	// Values holds one value per period from First on, oldest first; a
	// missing one (Missing[i]) is NaN.
	Values []float64
	// Missing, when not nil, marks the periods the file gives no value for
	// (no row, or an empty cell); the first and last never are.
	Missing []bool
	// Target is the series' own target (the file's target column), nil
	// when it has none.
	Target *float64
	// Warnings are what a person should know about how the series was
	// read (periods without a value at its ends, left out), in words.
	Warnings []string

	style labelStyle // how the input writes its periods
}

// Label returns the name of the period of index k in s's frequency, as the
// input writes it: 2016, 2016Q1, T1 2016, mars 2016... (a series made by
// hand: 2016, 2016Q1, 2016-03). k need not be one of s's own periods:
// forecast steps are labelled this way.
func (s *Series) Label(k int) string {
	return s.style.label(k, s.Freq)
}

// Last returns the index of s's last period.
func (s *Series) Last() int { return s.First + len(s.Values) - 1 }

// Observed returns the number of values s has, missing ones left out.
func (s *Series) Observed() int {
	n := len(s.Values)
	for _, m := range s.Missing {
		if m {
			n--
		}
	}
	return n
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
