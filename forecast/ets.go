package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// The exponential smoothing state-space family ETS(E,T,S) of Hyndman,
// Koehler, Ord and Snyder ("Forecasting with Exponential Smoothing", 2008),
// as R's forecast::ets fits it with its defaults (model "ZZZ", opt.crit
// "lik", bounds "both", ic "aicc", restrict TRUE, no multiplicative trend):
//
//   - error A or M, trend N, A or Ad (damped), seasonal N, A or M;
//     additive error with multiplicative seasonality is left out (R's
//     restrict), and so are multiplicative errors and seasonality unless
//     every value is positive;
//   - the states follow R's etscalc: the same smoothing recursion for both
//     error types (the error type changes only the likelihood), with R's
//     beta (beta* = alpha*beta of Holt's form, beta < alpha);
//   - the parameters maximise the likelihood: R's "lik", n*log(sum e^2)
//     with e = y - yhat (additive errors) or (y - yhat)/yhat plus
//     2*sum log|yhat| (multiplicative errors), over alpha in (1e-4,
//     0.9999), beta in (1e-4, alpha), gamma in (1e-4, 1-alpha), phi in
//     (0.8, 0.98) and the initial level, slope and m-1 seasonal states (the
//     last one normalises them: they sum to 0, or to m when
//     multiplicative). Starting states are R's heuristic (initstate): a
//     classical decomposition of the series, a regression on the first
//     max(10, 2m) adjusted values. R's "admissible" check (roots of the
//     characteristic polynomial) is not made, as it would cost a root
//     finding per evaluation: within the usual bounds above the
//     non-seasonal forms are always admissible, but a seasonal form can
//     reach parameters R would reject;
//   - forms are compared by AICc = lik + 2k + 2k(k+1)/(n-k-1), k the
//     parameters plus the variance; a form with k-1 >= n-1 is not fitted.
//
// Where R runs Nelder-Mead on the raw parameters with a penalty outside the
// bounds (2000 iterations), this runs the package's nelderMead on an
// unconstrained transform (logistic for the smoothing parameters, shifts
// scaled to the series for the states) with a budget fixed by the
// dimension, so fits are deterministic and cheap but not always at R's
// optimum, nor R at the true one.

// etsTrend is an ETS trend: none, additive, or additive damped.
type etsTrend uint8

const (
	trendN etsTrend = iota
	trendA
	trendAd
)

// etsSeason is an ETS seasonal component: none, additive, multiplicative.
type etsSeason uint8

const (
	seasonN etsSeason = iota
	seasonA
	seasonM
)

// etsSpec is one ETS form.
type etsSpec struct {
	mulErr bool
	trend  etsTrend
	season etsSeason
}

// String returns the form in the book's notation, "ETS(M,Ad,N)".
func (s etsSpec) String() string {
	e := "A"
	if s.mulErr {
		e = "M"
	}
	t, z := "?", "?"
	if int(s.trend) < 3 {
		t = [...]string{"N", "A", "Ad"}[s.trend]
	}
	if int(s.season) < 3 {
		z = [...]string{"N", "A", "M"}[s.season]
	}
	return "ETS(" + e + "," + t + "," + z + ")"
}

// etsForms are the forms selectETS compares, in R's loop order (error,
// trend, seasonal, damping): on equal AICc the first wins.
var etsForms = []etsSpec{
	{false, trendN, seasonN}, {false, trendN, seasonA},
	{false, trendA, seasonN}, {false, trendA, seasonA},
	{false, trendAd, seasonN}, {false, trendAd, seasonA},
	{true, trendN, seasonN}, {true, trendN, seasonA}, {true, trendN, seasonM},
	{true, trendA, seasonN}, {true, trendA, seasonA}, {true, trendA, seasonM},
	{true, trendAd, seasonN}, {true, trendAd, seasonA}, {true, trendAd, seasonM},
}

// Bounds of the smoothing parameters, R's defaults (lower, upper).
const (
	etsLo    = 1e-4
	etsHi    = 0.9999
	etsPhiLo = 0.8
	etsPhiHi = 0.98
	// etsMaxPeriod is the longest season R's ets models (24).
	etsMaxPeriod = 24
	// etsTol and etsHuge are R's TOL and HUGEN: a multiplicative update
	// dividing by less than etsTol uses etsHuge instead.
	etsTol  = 1e-10
	etsHuge = 1e10
)

// The Nelder-Mead budget of one form with d parameters: at most
// etsEvalsBase + etsEvalsPerDim*d evaluations, stopping after
// max(10, etsItersPerDim*d) major iterations without a relative decrease of
// etsRel of the criterion; then one restart from the best point with a
// fresh simplex and etsRestartPerDim*d evaluations, which frees a simplex
// collapsed along the seasonal states. Measured on M1's yearly and
// quarterly series (every form, against runs 100 times as long): these
// leave the criterion 0.55 above the long runs' on average (R's AICc units)
// at 165 evaluations a form; 290 evaluations leave 0.3, and sMAPE does not
// move with either (within 0.2 of 16.6 quarterly).
const (
	etsEvalsBase     = 40
	etsEvalsPerDim   = 15
	etsRel           = 1e-6
	etsItersPerDim   = 2
	etsRestartPerDim = 10
)

// etsStretch multiplies the transformed coordinates: nelderMead's fixed
// first step of 0.05 becomes 0.4 logit units for a smoothing parameter
// (alpha 0.5 to 0.6) rather than 0.05 (0.5 to 0.51). The state shifts are
// scaled to the mean absolute one-step change d of the series: level 2d,
// slope 0.3d, additive seasonal states 0.5d, multiplicative ones
// 0.5d/level.
const (
	etsStretch = 8
	etsShiftL  = 2
	etsShiftB  = 0.3
	etsShiftS  = 0.5
)

// etsParams are one form's parameters, on the normalised series.
type etsParams struct {
	alpha, beta, gamma, phi float64
	l, b                    float64 // initial level and slope
}

// etsWork is one form's fitting problem on a series divided by its scale
// (ETS is scale-equivariant; normalising keeps the likelihood's products
// and R's absolute tolerances meaningful for values of 1e-300 or 1e150).
type etsWork struct {
	spec  etsSpec
	y     []float64 // the series divided by scale
	scale float64
	m     int // season length, 1 without a seasonal component

	// Starting states (R's initstate) and the scales of their shifts.
	l0, b0     float64
	s0         []float64 // seasonal states of times 1..m; s0[0] is implied
	norm       float64   // what the m seasonal states sum to: 0 or m
	dl, db, ds float64

	// Starting smoothing parameters, in transformed coordinates.
	xa, xb, xg, xp float64

	ring []float64 // seasonal states during a run
	dim  int       // parameters Nelder-Mead searches
}

// etsResult is a fitted form.
type etsResult struct {
	spec etsSpec
	p    etsParams
	aicc float64
	k    int     // parameters, the variance included
	sse  float64 // one-step squared errors, original units
	l, b float64 // final level and slope (normalised)
	ring []float64
	pos  int // ring index of the season of time n+1
	w    *etsWork
}

// etsSeries checks y and returns its scale: its mean absolute value, or 1
// when it is 0.
func etsSeries(y []float64) (scale float64, positive bool, err error) {
	maxAbs := 0.0
	positive = true
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false, fmt.Errorf("ets: y[%d] = %v, want a finite number: %w", i, v, ErrBadInput)
		}
		maxAbs = math.Max(maxAbs, math.Abs(v))
		if !(v > 0) {
			positive = false
		}
	}
	if maxAbs == 0 {
		return 1, positive, nil
	}
	var s float64
	for _, v := range y {
		s += math.Abs(v) / maxAbs
	}
	return s / float64(len(y)) * maxAbs, positive, nil
}

// etsSeasonal reports whether a seasonal form may be fitted to n points of
// period m: m from 2 to 24 (R's limit) and at least two full periods and
// two points.
func etsSeasonal(n, m int) bool { return m > 1 && m <= etsMaxPeriod && n >= 2*m+2 }

// newETSWork prepares spec's problem on y (normalised by scale, positive
// telling whether every value is > 0). ys is y divided by scale, shared
// between forms.
func newETSWork(spec etsSpec, ys []float64, scale float64, positive bool, period int) (*etsWork, error) {
	n := len(ys)
	if spec.trend > trendAd || spec.season > seasonM {
		return nil, fmt.Errorf("%s: unknown form: %w", spec, ErrBadInput)
	}
	if !spec.mulErr && spec.season == seasonM {
		return nil, fmt.Errorf("%s: additive errors with multiplicative seasonality are unstable (left out, as R's ets): %w", spec, ErrBadInput)
	}
	if (spec.mulErr || spec.season == seasonM) && !positive {
		return nil, fmt.Errorf("%s: multiplicative forms need positive values: %w", spec, ErrBadInput)
	}
	m := 1
	if spec.season != seasonN {
		if period <= 1 || period > etsMaxPeriod {
			return nil, fmt.Errorf("%s: seasonal period %d, want 2 to %d: %w", spec, period, etsMaxPeriod, ErrBadInput)
		}
		if !etsSeasonal(n, period) {
			return nil, fmt.Errorf("%s: %d points, a seasonal form of period %d needs %d: %w", spec, n, period, 2*period+2, ErrTooFewPoints)
		}
		m = period
	}
	w := &etsWork{spec: spec, y: ys, scale: scale, m: m}
	w.dim = 2 // alpha, l
	if spec.trend != trendN {
		w.dim += 2 // beta, b
	}
	if spec.trend == trendAd {
		w.dim++ // phi
	}
	if spec.season != seasonN {
		w.dim += m // gamma, m-1 states
	}
	if w.dim >= n-1 {
		return nil, fmt.Errorf("%s: %d points for %d parameters: %w", spec, n, w.dim, ErrTooFewPoints)
	}
	if err := w.initStates(); err != nil {
		return nil, err
	}

	// R's starting smoothing parameters (initparam).
	alpha := etsLo + 0.2*(etsHi-etsLo)/float64(m)
	w.xa = logit((alpha-etsLo)/(etsHi-etsLo)) / etsStretch
	w.xb = logit(0.1) / etsStretch  // beta = 1e-4 + 0.1 (alpha - 1e-4)
	w.xg = logit(0.05) / etsStretch // gamma = 1e-4 + 0.05 (1 - alpha - 1e-4)
	w.xp = logit(0.99) / etsStretch // phi = 0.8 + 0.99 (0.98 - 0.8)
	w.ring = make([]float64, m)
	return w, nil
}

// logit is the inverse of the standard logistic function.
func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// initStates sets the starting states by R's heuristic (initstate): the
// seasonal states of a classical decomposition (or, with fewer than three
// periods, of the series less a regression on time and one Fourier pair),
// then the level (and slope) of the first max(10, 2m) seasonally adjusted
// values: their mean, or their regression line at time 0.
func (w *etsWork) initStates() error {
	y, m, n := w.y, w.m, len(w.y)
	sa := y
	if w.spec.season != seasonN {
		mult := w.spec.season == seasonM
		seas, err := etsInitSeasonal(y, m, mult)
		if err != nil {
			return fmt.Errorf("%s: %w", w.spec, err)
		}
		w.s0 = make([]float64, m)
		copy(w.s0[1:], seas[1:m])
		sa = make([]float64, n)
		if mult {
			w.norm = float64(m)
			var sum float64
			for j := 1; j < m; j++ {
				w.s0[j] = math.Max(w.s0[j], 1e-2)
				sum += w.s0[j]
			}
			if sum > float64(m) { // as R, which divides by sum(s + 1e-2)
				d := sum + 1e-2*float64(m-1)
				for j := 1; j < m; j++ {
					w.s0[j] /= d
				}
			}
			for t, v := range y {
				sa[t] = v / math.Max(seas[t%m], 1e-2)
			}
		} else {
			for t, v := range y {
				sa[t] = v - seas[t%m]
			}
		}
		w.s0[0] = w.norm
		for j := 1; j < m; j++ {
			w.s0[0] -= w.s0[j]
		}
	}
	maxn := min(max(10, 2*m), n)
	if w.spec.trend == trendN {
		var s float64
		for _, v := range sa[:maxn] {
			s += v
		}
		w.l0 = s / float64(maxn)
	} else {
		// Least squares line on t = 1..maxn; l0 is its value at t = 0.
		var mt, mv float64
		for t, v := range sa[:maxn] {
			mt += float64(t + 1)
			mv += v
		}
		mt /= float64(maxn)
		mv /= float64(maxn)
		var sxy, sxx float64
		for t, v := range sa[:maxn] {
			d := float64(t+1) - mt
			sxy += d * (v - mv)
			sxx += d * d
		}
		w.b0 = sxy / sxx
		w.l0 = mv - w.b0*mt
		if math.Abs(w.l0+w.b0) < 1e-8 { // as R: keep yhat_1 off 0
			w.l0 *= 1 + 1e-3
			w.b0 *= 1 + 1e-3
		}
	}

	// Shift scales: a typical one-step change of the series.
	d := meanAbsDiff(y)
	if !(d > 1e-6) {
		d = 1e-6
	}
	w.dl = etsShiftL * d
	w.db = etsShiftB * d
	w.ds = etsShiftS * d
	if w.spec.season == seasonM {
		lev := math.Max(math.Abs(w.l0), 1e-6)
		w.ds = etsShiftS * math.Min(d/lev, 0.5)
	}
	return nil
}

// etsInitSeasonal returns the seasonal component of times 1..m (index
// t mod m for time t+1) as R's initstate finds it: a classical
// decomposition (centred moving average, mean detrended value per season,
// normalised) with three periods or more, else the first period of the
// series less (or divided by) a regression on time and one Fourier pair.
func etsInitSeasonal(y []float64, m int, mult bool) ([]float64, error) {
	n := len(y)
	out := make([]float64, m)
	if n >= 3*m {
		out = classicalIndices(y, m, mult)
		if !allFinite(out) {
			return nil, fmt.Errorf("classical decomposition gave non-finite seasonal indices: %w", ErrBadInput)
		}
		return out, nil
	}
	// R: tslm(y ~ trend + fourier(y, 1)), trend and Fourier terms at
	// t = 1..n. For m = 2 the sine is 0 and left out.
	cols := 3
	if m == 2 {
		cols = 2
	}
	x := mat.NewDense(n, cols, nil)
	for t := range n {
		tt := float64(t + 1)
		x.Set(t, 0, tt)
		x.Set(t, 1, math.Cos(2*math.Pi*tt/float64(m)))
		if cols == 3 {
			x.Set(t, 2, math.Sin(2*math.Pi*tt/float64(m)))
		}
	}
	fit, err := ols(x, y, OLSOptions{Intercept: true}, false)
	if err != nil {
		return nil, err
	}
	for t := range m {
		tr := fit.Coef[0] + fit.Coef[1]*float64(t+1)
		if mult {
			out[t] = y[t] / tr
		} else {
			out[t] = y[t] - tr
		}
	}
	if !allFinite(out) {
		return nil, fmt.Errorf("regression on time gave non-finite seasonal indices: %w", ErrBadInput)
	}
	return out, nil
}

// start returns Nelder-Mead's starting vector: R's starting smoothing
// parameters and the heuristic states.
func (w *etsWork) start() []float64 {
	x := make([]float64, 0, w.dim)
	x = append(x, w.xa)
	if w.spec.trend != trendN {
		x = append(x, w.xb)
	}
	if w.spec.season != seasonN {
		x = append(x, w.xg)
	}
	if w.spec.trend == trendAd {
		x = append(x, w.xp)
	}
	x = append(x, 0) // level
	if w.spec.trend != trendN {
		x = append(x, 0)
	}
	for j := 1; j < w.m; j++ {
		x = append(x, 0)
	}
	return x
}

// unpack maps a Nelder-Mead vector to parameters and sets w.ring to the
// initial seasonal states.
func (w *etsWork) unpack(x []float64) etsParams {
	p := etsParams{phi: 1}
	i := 0
	p.alpha = logistic(etsStretch*x[i], etsLo, etsHi)
	i++
	if w.spec.trend != trendN {
		p.beta = logistic(etsStretch*x[i], etsLo, p.alpha)
		i++
	}
	if w.spec.season != seasonN {
		p.gamma = logistic(etsStretch*x[i], etsLo, 1-p.alpha)
		i++
	}
	if w.spec.trend == trendAd {
		p.phi = logistic(etsStretch*x[i], etsPhiLo, etsPhiHi)
		i++
	}
	p.l = w.l0 + w.dl*x[i]
	i++
	if w.spec.trend != trendN {
		p.b = w.b0 + w.db*x[i]
		i++
	}
	if w.spec.season != seasonN {
		sum := 0.0
		for j := 1; j < w.m; j++ {
			w.ring[j] = w.s0[j] + w.ds*x[i]
			sum += w.ring[j]
			i++
		}
		w.ring[0] = w.norm - sum
	}
	return p
}

// objective is the criterion Nelder-Mead minimises: R's -2 log-likelihood
// (lik) of the parameters x, +Inf where they cannot be used.
func (w *etsWork) objective(x []float64) float64 {
	p := w.unpack(x)
	lik, _, _, _, _ := w.run(p)
	return lik
}

// run filters the series with parameters p from the initial seasonal
// states in w.ring (which it updates in place) and returns R's lik, the
// sum of squared one-step errors y - yhat, and the final level, slope and
// ring index (that of the season of time n+1). lik is +Inf when the
// states or forecasts leave the numbers (NaN, Inf) or, multiplicative
// seasonality, an initial seasonal state is negative; it is at least
// -1e10, as R's (a perfect fit would otherwise win everything).
func (w *etsWork) run(p etsParams) (lik, sse, l, b float64, pos int) {
	y, m, ring := w.y, w.m, w.ring
	trend, damped := w.spec.trend != trendN, w.spec.trend == trendAd
	season := w.spec.season
	if season == seasonM {
		for _, s := range ring {
			if s < 0 {
				return math.Inf(1), math.Inf(1), 0, 0, 0
			}
		}
	}
	phi := 1.0
	if damped {
		phi = p.phi
	}
	alpha, gamma := p.alpha, p.gamma
	beta := 0.0
	if trend {
		beta = p.beta
	}
	// R's update(), restated: with q = l + phi*b (the level part of the
	// one-step forecast), c = phi*b, pv the observation less (or divided
	// by) its seasonal state and d = pv - q, the new level is q + alpha*d
	// and the new slope c + beta*d (R's beta/alpha times the level's
	// change), so the next q and c are
	//   q' = (1-k) q + phi c + k pv, k = alpha + phi beta,
	//   c' = phi c + phi beta d.
	// Each is one multiply-add away from the last q: the chain from step to
	// step is short, and the divisions by seasonal states and forecasts
	// are off it.
	k, pb := alpha+phi*beta, phi*beta
	q, c := p.l+phi*p.b, phi*p.b
	var sumE, prod float64 = 0, 1
	exp2 := 0
	j := 0
	mulErr := w.spec.mulErr
	for _, v := range y {
		f, s, pv := q, 0.0, v
		var t float64 // multiplicative seasonality: v/q
		switch season {
		case seasonA:
			s = ring[j]
			f = q + s
			pv = v - s
		case seasonM:
			s = ring[j]
			f = q * s
			pv = etsHuge
			if math.Abs(s) >= etsTol {
				pv = v / s
			}
			t = etsHuge
			if math.Abs(q) >= etsTol {
				t = v / q
			}
		}
		e := v - f
		sse += e * e
		if mulErr {
			r := e / f
			sumE += r * r
			prod *= math.Abs(f)
			if prod > 1e100 || prod < 1e-100 {
				fr, ex := math.Frexp(prod)
				prod = fr
				exp2 += ex
			}
		}
		switch season {
		case seasonA:
			ring[j] = s + gamma*(pv-q)
		case seasonM:
			ring[j] = s + gamma*(t-s)
		}
		if j++; j == m {
			j = 0
		}
		if trend {
			qn := (1-k)*q + (phi*c + k*pv)
			c = phi*c + pb*(pv-q)
			q = qn
		} else {
			q = (1-alpha)*q + alpha*pv
		}
	}
	// Back to the final level and slope: c = phi*b, q = l + c.
	l, b = q, 0
	if trend {
		b = c / phi
		l = q - c
	}
	n := float64(len(y))
	if w.spec.mulErr {
		lik = n*math.Log(sumE) + 2*(math.Log(prod)+float64(exp2)*math.Ln2)
	} else {
		lik = n * math.Log(sse)
	}
	if math.IsNaN(lik) || math.IsInf(lik, 1) || math.IsNaN(l) || math.IsInf(l, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
		return math.Inf(1), sse, l, b, j
	}
	return math.Max(lik, -1e10), sse, l, b, j
}

// optimise fits the form: Nelder-Mead from R's starting point. It fails
// when the starting point cannot be evaluated.
func (w *etsWork) optimise() (*etsResult, error) {
	x0 := w.start()
	f0 := w.objective(x0)
	if math.IsInf(f0, 1) {
		return nil, fmt.Errorf("%s: the starting parameters give a non-finite likelihood: %w", w.spec, ErrBadInput)
	}
	x := x0
	evals := etsEvalsBase + etsEvalsPerDim*w.dim
	iters := max(10, etsItersPerDim*w.dim)
	if xm, fm, ok := nelderMead(w.objective, x0, evals, etsRel, iters); ok && fm <= f0 {
		x = xm
		if xr, fr, ok := nelderMead(w.objective, xm, etsRestartPerDim*w.dim, etsRel, iters); ok && fr <= fm {
			x = xr
		}
	}
	p := w.unpack(x)
	lik, sse, l, b, pos := w.run(p)
	if math.IsInf(lik, 1) {
		return nil, fmt.Errorf("%s: no finite likelihood: %w", w.spec, ErrBadInput)
	}
	k := w.dim + 1
	n := len(w.y)
	aicc := math.Inf(1)
	if n-k-1 > 0 {
		aicc = lik + 2*float64(k) + 2*float64(k*(k+1))/float64(n-k-1)
	}
	return &etsResult{
		spec: w.spec, p: p, aicc: aicc, k: k,
		sse: sse * w.scale * w.scale, l: l, b: b, ring: w.ring, pos: pos, w: w,
	}, nil
}

// forecast returns the point forecasts of steps 1..h in original units:
// l + (phi + ... + phi^i) b, plus or times the season's state.
func (r *etsResult) forecast(h int) ([]float64, error) {
	fc := make([]float64, h)
	phi := 1.0
	if r.spec.trend == trendAd {
		phi = r.p.phi
	}
	damp, pk := 0.0, 1.0
	for i := range fc {
		f := r.l
		if r.spec.trend != trendN {
			pk *= phi
			damp += pk
			f += damp * r.b
		}
		switch r.spec.season {
		case seasonA:
			f += r.ring[(r.pos+i)%len(r.ring)]
		case seasonM:
			f *= r.ring[(r.pos+i)%len(r.ring)]
		}
		fc[i] = f * r.w.scale
	}
	if !allFinite(fc) {
		return nil, fmt.Errorf("%s: non-finite forecast: %w", r.spec, ErrBadInput)
	}
	return fc, nil
}

// pointFit returns the forecasts and what AICc needs in the package's
// common terms: the one-step squared errors y - yhat in original units
// (for every form, so that methods compare), n of them, and k.
func (r *etsResult) pointFit(h int) (pointFit, error) {
	fc, err := r.forecast(h)
	if err != nil {
		return pointFit{}, err
	}
	return pointFit{fc: fc, sse: r.sse, nse: len(r.w.y), k: r.k}, nil
}

// etsFit fits one form to y (already checked, scaled to ys).
func etsFit(s etsSpec, ys []float64, scale float64, positive bool, period int) (*etsResult, error) {
	w, err := newETSWork(s, ys, scale, positive, period)
	if err != nil {
		return nil, err
	}
	return w.optimise()
}

// etsPrepare checks y and returns it divided by its scale.
func etsPrepare(y []float64) (ys []float64, scale float64, positive bool, err error) {
	if len(y) < 4 {
		return nil, 0, false, fmt.Errorf("ets: %d points, need at least 4: %w", len(y), ErrTooFewPoints)
	}
	scale, positive, err = etsSeries(y)
	if err != nil {
		return nil, 0, false, err
	}
	ys = make([]float64, len(y))
	for i, v := range y {
		ys[i] = v / scale
	}
	return ys, scale, positive, nil
}

// fit fits this one form to y (oldest first, seasonal period period; the
// parameters are re-estimated) and forecasts h steps. It fails with
// ErrBadInput for data the form cannot use (non-finite values, values <= 0
// for a multiplicative form, additive errors with multiplicative
// seasonality, period 1 for a seasonal form) and with ErrTooFewPoints when
// the series has no more points than the form has parameters plus one (or,
// seasonal, fewer than 2 periods and 2 points).
func (s etsSpec) fit(y []float64, period, h int) (pointFit, error) {
	ys, scale, positive, err := etsPrepare(y)
	if err != nil {
		return pointFit{}, err
	}
	r, err := etsFit(s, ys, scale, positive, period)
	if err != nil {
		return pointFit{}, err
	}
	return r.pointFit(max(h, 0))
}

// selectETS fits every admissible form to y (oldest first) and returns the
// one with the lowest AICc and its fit, forecasting h steps. Seasonal forms
// are tried when period is 2 to 24 and y holds at least two periods and
// two points; multiplicative ones when every value is positive. It fails
// with ErrTooFewPoints below 4 points and with ErrBadInput on non-finite
// values or when no form can be fitted.
func selectETS(y []float64, period, h int) (etsSpec, pointFit, error) {
	best, err := selectETSResult(y, period)
	if err != nil {
		return etsSpec{}, pointFit{}, err
	}
	pf, err := best.pointFit(max(h, 0))
	if err != nil {
		return etsSpec{}, pointFit{}, err
	}
	return best.spec, pf, nil
}

// selectETSResult is selectETS without the forecasts.
func selectETSResult(y []float64, period int) (*etsResult, error) {
	ys, scale, positive, err := etsPrepare(y)
	if err != nil {
		return nil, err
	}
	seasonal := etsSeasonal(len(y), period)
	var best *etsResult
	var firstErr error
	for _, s := range etsForms {
		if s.season != seasonN && !seasonal || (s.mulErr || s.season == seasonM) && !positive {
			continue
		}
		r, err := etsFit(s, ys, scale, positive, period)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best == nil || r.aicc < best.aicc {
			best = r
		}
	}
	if best == nil {
		if firstErr == nil {
			firstErr = fmt.Errorf("ets: no form applies: %w", ErrBadInput)
		}
		return nil, fmt.Errorf("ets: no form could be fitted: %w", firstErr)
	}
	return best, nil
}
