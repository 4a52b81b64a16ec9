package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// A method is a point forecaster: it fits a (seasonally adjusted) series and
// returns its forecasts for steps 1..h, with what AICc needs. Methods are the
// building blocks of the automatic model; their uncertainty is not theirs to
// say: it is measured on rolling-origin errors (see model_auto.go).
type method struct {
	name string
	// min is the fewest points the method needs.
	min int
	// standalone means the automatic choice may pick the method alone, not
	// only inside a combination.
	standalone bool
	// fit fits y (oldest first, already seasonally adjusted) and returns h
	// forecasts. It fails on data it cannot use (log-linear on values <= 0).
	fit func(y []float64, h int) (pointFit, error)
	// seasonalFit, when not nil, fits a seasonal series itself (raw, not
	// adjusted) with the given period: the trend lines take seasonal
	// dummies. Time 0 is y[0], for every series of the same origin.
	seasonalFit func(y []float64, period, h int) (pointFit, error)
}

// pointFit is a method's forecasts and its in-sample fit.
type pointFit struct {
	fc  []float64 // forecasts for steps 1..h
	sse float64   // in-sample sum of squared one-step errors or residuals
	nse int       // number of errors in sse
	k   int       // parameters estimated (for AICc), noise variance included
}

// aicc returns the corrected Akaike criterion of the fit under Gaussian
// errors, or +Inf when it has too few errors to be computed.
func (p pointFit) aicc() float64 {
	n, k := float64(p.nse), float64(p.k)
	if n-k-1 <= 0 || p.sse <= 0 {
		return math.Inf(1)
	}
	return n*math.Log(p.sse/n) + 2*k + 2*k*(k+1)/(n-k-1)
}

// The methods, simplest first. Their names are those ByName accepts.
var methods = []method{
	{name: "rw-drift", min: 3, standalone: true, fit: fitRWDrift},
	{name: "linear-trend", min: 3, fit: fitLinear, seasonalFit: fitLinearSeasonal},
	{name: "log-linear-trend", min: 3, fit: fitLogLinear, seasonalFit: fitLogLinearSeasonal},
	{name: "theta", min: 4, standalone: true, fit: fitTheta},
	{name: "damped", min: 6, standalone: true, fit: fitDamped},
	// ETS's form is chosen once per series by the automatic model, which
	// fits it itself (run, autoFit.wholeFit): no fit function here.
	{name: "ets", min: 4, standalone: true},
}

// methodByName returns the index of the named method in methods, or -1.
func methodByName(name string) int {
	for i, m := range methods {
		if m.name == name {
			return i
		}
	}
	return -1
}

// fitRWDrift is the random walk with drift: y[n+h] = y[n] + h*d with d the
// mean first difference.
func fitRWDrift(y []float64, h int) (pointFit, error) {
	n := len(y)
	d := (y[n-1] - y[0]) / float64(n-1)
	var sse float64
	for t := 1; t < n; t++ {
		e := y[t] - y[t-1] - d
		sse += e * e
	}
	fc := make([]float64, h)
	for i := range fc {
		fc[i] = y[n-1] + float64(i+1)*d
	}
	return pointFit{fc: fc, sse: sse, nse: n - 1, k: 2}, nil
}

// trend fits z = a + b t by OLS and returns the fitted line's values at
// t = n..n+h-1 and the residual sum of squares.
func trend(z []float64, h int) ([]float64, float64, error) {
	n := len(z)
	x := mat.NewDense(n, 1, nil)
	for i := range n {
		x.Set(i, 0, float64(i))
	}
	fit, err := ols(x, z, OLSOptions{Intercept: true}, false)
	if err != nil {
		return nil, 0, err
	}
	fc := make([]float64, h)
	for i := range fc {
		fc[i] = fit.Coef[0] + fit.Coef[1]*float64(n+i)
	}
	return fc, fit.ResidualSD * fit.ResidualSD * float64(fit.DF), nil
}

// fitLinear is the OLS linear trend.
func fitLinear(y []float64, h int) (pointFit, error) {
	fc, sse, err := trend(y, h)
	return pointFit{fc: fc, sse: sse, nse: len(y), k: 3}, err
}

// fitLogLinear is the OLS trend of log y (constant growth rate); forecasts
// are exp of the fitted line, the median under log-normal errors. It needs
// positive values. Its sse is measured on y, so that AICc compares it with
// the others.
func fitLogLinear(y []float64, h int) (pointFit, error) {
	z := make([]float64, len(y))
	for i, v := range y {
		if !(v > 0) {
			return pointFit{}, fmt.Errorf("log-linear-trend: y[%d] = %v, need positive values: %w", i, v, ErrBadInput)
		}
		z[i] = math.Log(v)
	}
	fc, _, err := trend(z, h+len(y))
	if err != nil {
		return pointFit{}, err
	}
	// trend's line starts at t = n; rebuild in-sample values from it.
	n := len(y)
	b := 0.0
	if len(fc) > 1 {
		b = fc[1] - fc[0]
	}
	var sse float64
	for i, v := range y {
		e := v - math.Exp(fc[0]+b*float64(i-n))
		sse += e * e
	}
	out := make([]float64, h)
	for i := range out {
		out[i] = math.Exp(fc[i])
	}
	return pointFit{fc: out, sse: sse, nse: n, k: 3}, nil
}

// seasonalTrend fits z = a + b t + sum_j d_j [t mod period = j] (j >= 1)
// by OLS and returns the fitted values at t = 0..n+h-1.
func seasonalTrend(z []float64, period, h int) ([]float64, error) {
	n := len(z)
	p := period // t and period-1 dummies
	if n <= p+1 {
		return nil, fmt.Errorf("trend with seasonal dummies: %d points for %d parameters: %w", n, p+1, ErrTooFewPoints)
	}
	row := func(t int) []float64 {
		r := make([]float64, p)
		r[0] = float64(t)
		if j := t % period; j > 0 {
			r[j] = 1
		}
		return r
	}
	x := mat.NewDense(n, p, nil)
	for t := range n {
		x.SetRow(t, row(t))
	}
	fit, err := ols(x, z, OLSOptions{Intercept: true}, false)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n+h)
	for t := range out {
		v := fit.Coef[0]
		for j, xv := range row(t) {
			v += fit.Coef[j+1] * xv
		}
		out[t] = v
	}
	return out, nil
}

// fitLinearSeasonal is the OLS linear trend with seasonal dummies.
func fitLinearSeasonal(y []float64, period, h int) (pointFit, error) {
	line, err := seasonalTrend(y, period, h)
	if err != nil {
		return pointFit{}, err
	}
	n := len(y)
	var sse float64
	for t, v := range y {
		sse += (v - line[t]) * (v - line[t])
	}
	return pointFit{fc: line[n:], sse: sse, nse: n, k: period + 2}, nil
}

// fitLogLinearSeasonal is the OLS trend of log y with seasonal dummies:
// constant growth and multiplicative seasonality.
func fitLogLinearSeasonal(y []float64, period, h int) (pointFit, error) {
	z := make([]float64, len(y))
	for i, v := range y {
		if !(v > 0) {
			return pointFit{}, fmt.Errorf("log-linear-trend: y[%d] = %v, need positive values: %w", i, v, ErrBadInput)
		}
		z[i] = math.Log(v)
	}
	line, err := seasonalTrend(z, period, h)
	if err != nil {
		return pointFit{}, err
	}
	n := len(y)
	var sse float64
	for t, v := range y {
		e := v - math.Exp(line[t])
		sse += e * e
	}
	fc := make([]float64, h)
	for i := range fc {
		fc[i] = math.Exp(line[n+i])
	}
	return pointFit{fc: fc, sse: sse, nse: n, k: period + 2}, nil
}

// ses runs simple exponential smoothing with level starting at y[0] and
// returns the final level and the sum of squared one-step errors.
func ses(y []float64, alpha float64) (level, sse float64) {
	level = y[0]
	for _, v := range y[1:] {
		e := v - level
		sse += e * e
		level += alpha * e
	}
	return level, sse
}

// fitTheta is the Theta method of Assimakopoulos and Nikolopoulos (2000) in
// the form of Hyndman and Billah (2003), as R's forecast::thetaf: simple
// exponential smoothing (alpha optimised by golden section) plus half the
// OLS trend slope b, y[n+h] = l_n + b/2 (h - 1 + (1 - (1-alpha)^n)/alpha).
func fitTheta(y []float64, h int) (pointFit, error) {
	n := len(y)
	alpha := golden(func(a float64) float64 { _, s := ses(y, a); return s }, 0.01, 0.99)
	level, sse := ses(y, alpha)
	line, _, err := trend(y, 2)
	if err != nil {
		return pointFit{}, err
	}
	b := line[1] - line[0]
	fc := make([]float64, h)
	c := (1 - math.Pow(1-alpha, float64(n))) / alpha
	for i := range fc {
		fc[i] = level + b/2*(float64(i)+c)
	}
	return pointFit{fc: fc, sse: sse, nse: n - 1, k: 3}, nil
}

// golden minimises a unimodal f on [a, b] by golden-section search to a
// tolerance of 1e-4 (smoothing parameters need no more).
func golden(f func(float64) float64, a, b float64) float64 {
	const g = 0.6180339887498949
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for b-a > 1e-4 {
		if fc <= fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	return (a + b) / 2
}

// holt runs Holt's damped additive trend method and returns the final level
// and slope and the sum of squared one-step errors.
func holt(y []float64, alpha, beta, phi, l0, b0 float64) (level, slope, sse float64) {
	level, slope = l0, b0
	for _, v := range y {
		f := level + phi*slope
		e := v - f
		sse += e * e
		prev := level
		level = f + alpha*e
		slope = beta*(level-prev) + (1-beta)*phi*slope
	}
	return level, slope, sse
}

// logistic maps the real line onto (lo, hi).
func logistic(x, lo, hi float64) float64 { return lo + (hi-lo)/(1+math.Exp(-x)) }

// The damped trend's Nelder-Mead budget: at most dampedEvals evaluations,
// stopping after dampedIters major iterations without a relative decrease of
// dampedRel (as optimize.Settings{FuncEvaluations: 300, Converger:
// &optimize.FunctionConverge{Relative: 1e-5, Iterations: 20}}).
const (
	dampedEvals = 300
	dampedRel   = 1e-5
	dampedIters = 20
)

// fitDamped is Holt's linear method with a damped trend (Gardner and
// McKenzie 1985): the smoothing parameters alpha in (0.01, 0.99), beta in
// (0.001, alpha) and the damping phi in (0.8, 0.98) and the initial level
// and slope minimise the sum of squared one-step errors (Nelder-Mead, as
// gonum/optimize's, on an unconstrained transform; see nelderMead).
func fitDamped(y []float64, h int) (pointFit, error) {
	n := len(y)
	k := min(n-1, 4)
	l0 := y[0]
	b0 := (y[k] - y[0]) / float64(k)
	scale := math.Max(meanAbsDiff(y), 1e-12*math.Max(1, math.Abs(l0)))
	params := func(x []float64) (alpha, beta, phi, l, b float64) {
		alpha = logistic(x[0], 0.01, 0.99)
		beta = logistic(x[1], 0.001, alpha)
		phi = logistic(x[2], 0.8, 0.98)
		return alpha, beta, phi, l0 + x[3]*scale, b0 + x[4]*scale
	}
	obj := func(x []float64) float64 {
		a, be, p, l, b := params(x)
		_, _, s := holt(y, a, be, p, l, b)
		return s
	}
	x0 := []float64{0, -1.5, 1, 0, 0} // alpha 0.5, beta 0.09 alpha, phi 0.93
	x := x0
	if xm, fm, ok := nelderMead(obj, x0, dampedEvals, dampedRel, dampedIters); ok && fm <= obj(x0) {
		x = xm
	}
	alpha, beta, phi, l, b := params(x)
	level, slope, sse := holt(y, alpha, beta, phi, l, b)
	fc := make([]float64, h)
	damp := 0.0
	pk := 1.0
	for i := range fc {
		pk *= phi
		damp += pk
		fc[i] = level + damp*slope
	}
	return pointFit{fc: fc, sse: sse, nse: n, k: 6}, nil
}

// meanAbsDiff returns the mean absolute first difference of y (0 for fewer
// than two values).
func meanAbsDiff(y []float64) float64 {
	if len(y) < 2 {
		return 0
	}
	var s float64
	for i := 1; i < len(y); i++ {
		s += math.Abs(y[i] - y[i-1])
	}
	return s / float64(len(y)-1)
}

// seasonalTest reports whether y shows seasonality of the given period, by
// the test of R's forecast::thetaf: the autocorrelation at lag period is
// significant at the 90 % level (two-sided), with Bartlett's standard error
// from the lower lags. It needs more than two full periods.
func seasonalTest(y []float64, period int) bool {
	n := len(y)
	if period <= 1 || n <= 2*period {
		return false
	}
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	var c0 float64
	for _, v := range y {
		c0 += (v - mean) * (v - mean)
	}
	if c0 == 0 {
		return false
	}
	acf := func(lag int) float64 {
		var s float64
		for t := lag; t < n; t++ {
			s += (y[t] - mean) * (y[t-lag] - mean)
		}
		return s / c0
	}
	var ss float64
	for k := 1; k < period; k++ {
		r := acf(k)
		ss += r * r
	}
	stat := math.Sqrt((1 + 2*ss) / float64(n))
	return math.Abs(acf(period))/stat > 1.6448536269514722
}

// seasonal holds classical decomposition indices: index[t mod period] is
// the seasonal factor of time t (counted from the first observation).
type seasonal struct {
	period int
	index  []float64
	mult   bool // multiplicative (y/index) or additive (y-index)
}

// decompose estimates classical seasonal indices (see classicalIndices):
// multiplicative when every value is positive, additive otherwise.
func decompose(y []float64, period int) *seasonal {
	mult := true
	for _, v := range y {
		if !(v > 0) {
			mult = false
		}
	}
	return &seasonal{period: period, index: classicalIndices(y, period, mult), mult: mult}
}

// classicalIndices returns the classical decomposition's seasonal indices
// of y: a centred moving average of one period, the mean detrended ratio
// (mult) or difference per season, normalised to average 1 (or 0). A
// season with no detrended value gets 1 (or 0).
func classicalIndices(y []float64, period int, mult bool) []float64 {
	n := len(y)
	index := make([]float64, period)
	sum := make([]float64, period)
	cnt := make([]float64, period)
	half := period / 2
	for t := half; t+half < n; t++ {
		var ma float64
		if period%2 == 0 {
			ma = 0.5*y[t-half] + 0.5*y[t+half]
			for k := t - half + 1; k < t+half; k++ {
				ma += y[k]
			}
		} else {
			for k := t - half; k <= t+half; k++ {
				ma += y[k]
			}
		}
		ma /= float64(period)
		if mult {
			sum[t%period] += y[t] / ma
		} else {
			sum[t%period] += y[t] - ma
		}
		cnt[t%period]++
	}
	var tot float64
	for j := range period {
		if cnt[j] > 0 {
			index[j] = sum[j] / cnt[j]
		} else if mult {
			index[j] = 1
		}
		tot += index[j]
	}
	for j := range period {
		if mult {
			index[j] *= float64(period) / tot
		} else {
			index[j] -= tot / float64(period)
		}
	}
	return index
}

// adjust returns y[t] with the seasonal factor of time t0+t removed.
func (s *seasonal) adjust(y []float64, t0 int) []float64 {
	out := make([]float64, len(y))
	for i, v := range y {
		if s == nil {
			out[i] = v
			continue
		}
		f := s.index[(t0+i)%s.period]
		if s.mult {
			out[i] = v / f
		} else {
			out[i] = v - f
		}
	}
	return out
}

// restore puts the seasonal factor of time t0+i back into fc[i], in place.
func (s *seasonal) restore(fc []float64, t0 int) {
	if s == nil {
		return
	}
	for i := range fc {
		f := s.index[(t0+i)%s.period]
		if s.mult {
			fc[i] *= f
		} else {
			fc[i] += f
		}
	}
}
