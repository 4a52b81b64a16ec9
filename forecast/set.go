package forecast

import (
	"fmt"
	"math"
)

// Flagged is a fitted model that reports the values of its series it did not
// take at face value, as indices into the series it was given. (The
// missing values FitWithGaps fills are the caller's own.)
type Flagged interface {
	Fitted
	// Outliers are the values found far from the fit (by a robust scale)
	// and down-weighted in the fit and in the error distribution.
	Outliers() []int
}

// FitWithGaps fits m to y where missing[i] marks y[i] as not observed (its
// value is ignored; it may be NaN). Missing values inside the series are
// filled in before m fits it; the errors the automatic model measures at
// filled values do not enter its intervals. missing may be nil (nothing
// missing); the first and last values must be observed.
func FitWithGaps(m Model, y []float64, missing []bool, period int) (Fitted, error) {
	if missing == nil {
		return m.Fit(y, period)
	}
	if len(missing) != len(y) {
		return nil, fmt.Errorf("%s: %d values and %d missing flags: %w", m.Name(), len(y), len(missing), ErrBadInput)
	}
	if len(y) > 0 && (missing[0] || missing[len(y)-1]) {
		return nil, fmt.Errorf("%s: the first and last values must be observed: %w", m.Name(), ErrBadInput)
	}
	filled := fillGaps(y, missing)
	if a, ok := m.(auto); ok {
		return a.fit(filled, period, missing)
	}
	return m.Fit(filled, period)
}

// fillGaps returns y with each run of missing values filled by linear
// interpolation between its observed neighbours (geometric when both are
// positive).
func fillGaps(y []float64, missing []bool) []float64 {
	out := make([]float64, len(y))
	copy(out, y)
	for i := 0; i < len(y); i++ {
		if !missing[i] {
			continue
		}
		j := i
		for j < len(y) && missing[j] {
			j++
		}
		a, b := out[i-1], y[j]
		for k := i; k < j; k++ {
			t := float64(k-i+1) / float64(j-i+1)
			if a > 0 && b > 0 {
				out[k] = a * math.Pow(b/a, t)
			} else {
				out[k] = a + (b-a)*t
			}
		}
		i = j
	}
	return out
}

// Pool recalibrates the intervals of fits made on the series of one set (the
// sectors and metrics of a run, the series of an analyst's file) with the
// errors of all of them: where one series has few cross-validation errors,
// its interval borrows the shape and scale of the others'. Fits that are not
// the automatic model's are returned unchanged. The result is in the order
// of fits; nil entries stay nil.
func Pool(fits []Fitted) []Fitted { return pool(fits) }
