package forecast

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// trendMinPoints is the fewest points a linear trend needs: two parameters
// and at least one residual degree of freedom to estimate the noise.
const trendMinPoints = 3

// LinearTrend returns the linear trend model y_t = a + b t + e_t, with e_t
// independent N(0, sigma^2), fitted by OLS through QR. Its predictive
// distributions are exact under that model: Student t with n-2 degrees of
// freedom, scaled by s*sqrt(x0'(X'X)^{-1}x0 + w'w), so they include both the
// uncertainty of a and b and the noise of every future value. The seasonal
// period is checked (>= 1) and otherwise ignored. Name() is "linear-trend".
//
// Real series are rarely straight lines with independent errors; then these
// intervals are too narrow. The model is a baseline others must beat.
func LinearTrend() Model { return linearTrend{} }

type linearTrend struct{}

var _ Model = linearTrend{}

// Name returns "linear-trend".
func (linearTrend) Name() string { return "linear-trend" }

// Fit regresses y on (1, t) with t = 0..n-1, the index of each value.
func (m linearTrend) Fit(y []float64, period int) (Fitted, error) {
	if err := checkSeries(m.Name(), y, period, trendMinPoints); err != nil {
		return nil, err
	}
	n := len(y)
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		x.Set(i, 0, 1)
		x.Set(i, 1, float64(i)) // time index of y[i]; future step h is n-1+h
	}
	ols, err := OLS(x, y, OLSOptions{})
	if err != nil {
		return nil, err
	}
	return &trendFit{ols: ols, n: n}, nil
}

// trendFit is a fitted linear trend.
type trendFit struct {
	ols *OLSFit
	n   int // number of observations; the first future value has t = n
}

var _ Fitted = (*trendFit)(nil)

// Predict implements Fitted.Predict: exact t with n-2 degrees of freedom.
func (f *trendFit) Predict(w []float64) Dist {
	// L = sum w_h y_{n+h}; L-hat = x0'b-hat with x0 = sum w_h (1, t_h).
	// L - L-hat has variance sigma^2 (x0'(X'X)^{-1}x0 + sum w_h^2) and, divided
	// by its estimate, is t with n-2 degrees of freedom.
	var sw, swt, ww, mean float64
	a, b := f.ols.Coef[0], f.ols.Coef[1]
	for h, wh := range w {
		t := float64(f.n + h)
		sw += wh
		swt += wh * t
		ww += wh * wh
		mean += wh * (a + b*t)
	}
	if ww == 0 {
		return Dist{Mean: 0, Scale: 0, DF: float64(f.ols.DF)}
	}
	lev := f.ols.Leverage([]float64{sw, swt})
	return Dist{
		Mean:  mean,
		Scale: f.ols.ResidualSD * math.Sqrt(lev+ww),
		DF:    float64(f.ols.DF),
	}
}

// Path implements Fitted.Path.
func (f *trendFit) Path(h int) []Dist {
	if h <= 0 {
		return nil
	}
	out := make([]Dist, h)
	w := make([]float64, h)
	for i := range h {
		w[i] = 1
		out[i] = f.Predict(w[:i+1])
		w[i] = 0
	}
	return out
}
