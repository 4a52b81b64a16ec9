package forecast

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrTooFewPoints is returned (wrapped) when a series or design has fewer
// observations than the model needs to estimate its parameters and its noise;
// the linear trend needs 3. Callers typically report "no projection" instead
// of failing.
var ErrTooFewPoints = errors.New("forecast: too few points")

// ErrBadInput is returned (wrapped, with the position and value at fault) for
// input no model can use: NaN or infinite values, mismatched lengths, a
// seasonal period below 1, a rank-deficient design.
var ErrBadInput = errors.New("forecast: bad input")

// Model fits a series. Implementations are stateless values safe for
// concurrent use; everything learnt from the data lives in the Fitted.
type Model interface {
	// Name identifies the model in reports and configuration
	// ("linear-trend").
	Name() string
	// Fit fits the model to y, ordered oldest first, one value per period,
	// with no NaN or Inf (else ErrBadInput). period is the seasonal period:
	// 4 for quarterly, 1 for yearly data; models without seasonality still
	// check it is at least 1. Fit does not keep y.
	Fit(y []float64, period int) (Fitted, error)
}

// Fitted is a fitted model. Future values are numbered from the end of the
// data: with n the index of the last observation, step h >= 1 is y[n+h].
type Fitted interface {
	// Predict returns the predictive distribution of
	// sum_{h=0}^{len(w)-1} w[h]*y[n+1+h], a linear combination of the future
	// values (w[0] weighs the first future value). It accounts for both
	// parameter uncertainty and the noise of each future value; for OLS it is
	// the exact t distribution with n-p degrees of freedom. Empty or all-zero
	// w gives a point mass at 0.
	Predict(w []float64) Dist
	// Path returns the predictive distribution of each future value, steps
	// 1..h (element i is step i+1). h <= 0 gives nil.
	Path(h int) []Dist
}

// checkSeries returns a wrapped ErrBadInput if y holds a NaN or Inf or period
// is below 1, and a wrapped ErrTooFewPoints if y has fewer than minPoints
// values.
func checkSeries(model string, y []float64, period, minPoints int) error {
	if period < 1 {
		return fmt.Errorf("%s: seasonal period %d, want 1 (yearly), 4 (quarterly) or another value >= 1: %w",
			model, period, ErrBadInput)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: y[%d] = %v, want a finite number: %w", model, i, v, ErrBadInput)
		}
	}
	if len(y) < minPoints {
		return fmt.Errorf("%s: %d points, need at least %d: %w", model, len(y), minPoints, ErrTooFewPoints)
	}
	return nil
}

// ByName returns the model a configuration names: "auto" (the default: the
// automatic choice, see [NewAuto]); "linear-trend" (the exact Student t
// linear trend, [LinearTrend]); or one method forced, with the automatic
// model's calibrated intervals: "rw-drift", "log-linear-trend", "theta",
// "damped".
func ByName(name string) (Model, error) {
	switch name {
	case "auto":
		return Auto(), nil
	case "linear-trend":
		return LinearTrend(), nil
	}
	if methodByName(name) >= 0 {
		return NewAuto(AutoOptions{Methods: []string{name}}), nil
	}
	names := []string{"auto", "linear-trend"}
	for _, m := range methods {
		if m.name != "linear-trend" {
			names = append(names, m.name)
		}
	}
	return nil, fmt.Errorf("unknown model %q; want one of %s: %w", name, strings.Join(names, ", "), ErrBadInput)
}
