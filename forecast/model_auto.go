package forecast

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// AutoOptions tune the automatic model. The zero value means the defaults.
type AutoOptions struct {
	// Methods restricts the candidates to these method names (see ByName);
	// nil means all of them, combinations included.
	Methods []string
	// Horizon is the longest step the rolling-origin cross-validation
	// scores and measures errors at; 0 means 2 periods for seasonal data (8
	// quarters) and 6 for yearly data. Steps beyond it extrapolate the error
	// growth measured up to it.
	Horizon int
	// MaxOrigins bounds the forecast origins held back (the latest ones);
	// 0 means 12. More origins cost time and reach further into the past.
	MaxOrigins int
}

// minOrigins is the fewest rolling origins the choice and the calibration
// need; with fewer, AICc chooses and the intervals come from the random
// walk's variance.
const minOrigins = 3

// combos are the combinations the automatic model considers, each the
// equal-weight mean of its members' forecasts. Fixed combinations of
// exponential smoothing and Theta forecasts are robust (Makridakis and
// Hibon 2000; Petropoulos and Svetunkov 2020): they rarely lose much, where a
// single method chosen on few errors sometimes loses badly.
var combos = [][]string{
	{"theta", "damped"},
	{"theta", "damped", "rw-drift"},
	{"rw-drift", "linear-trend", "log-linear-trend", "theta", "damped"},
}

// yearlyCombos are the combinations for yearly (non-seasonal period) data:
// combos and the random walk with drift averaged with the damped trend,
// placed before the broadest combination, which stays last (the choice's
// default while no error is known). On M1's yearly series, scored from the
// competition's origin and from origins 1, 2 and 3 years earlier
// (`go run ./bench/m1 --back N`), the pair lowers sMAPE on every origin
// (16.81, 16.77, 16.18, 16.26 → 16.76, 16.56, 15.94, 16.01) and MASE too;
// on the quarterly series it changed nothing on average (15.46 → 15.46
// over the same four origins), so they keep combos.
var yearlyCombos = [][]string{
	{"theta", "damped"},
	{"rw-drift", "damped"},
	{"theta", "damped", "rw-drift"},
	{"rw-drift", "linear-trend", "log-linear-trend", "theta", "damped"},
}

// Auto returns the automatic model with default options: it chooses, per
// series, among the random walk with drift, damped Holt, Theta and fixed
// combinations of them (the linear and log-linear trends included), by
// rolling-origin cross-validation, combining the two best, and calibrates
// its intervals on the errors of that cross-validation. Name() is "auto".
func Auto() Model { return NewAuto(AutoOptions{}) }

// NewAuto returns the automatic model with the given options.
//
// Fit, on a series of n points with seasonal period m:
//
//  1. Seasonality: for m > 1 and n > 2m, the autocorrelation at lag m is
//     tested (90 %, as R's thetaf); if significant, classical
//     decomposition indices (multiplicative for positive series) are
//     removed before the methods run and put back into their forecasts.
//     Each cross-validation fit estimates its own indices on the points it
//     trains on (no look-ahead).
//  2. Candidates: the methods that can fit n points (a method needing more
//     is left out, and the reason says so), and the combinations whose
//     members are all candidates (for yearly data, m = 1, also the random
//     walk with drift averaged with the damped trend).
//  3. Choice: each candidate forecasts from every origin k of the last
//     MaxOrigins (training on the first k points, k at least what every
//     method needs) up to Horizon steps ahead; errors are scaled by the
//     level at the origin (the mean of the last m values) when the series is
//     positive, else by its mean absolute difference. The two candidates
//     with the lowest mean absolute scaled errors are combined, weighted by
//     the inverse of their scores. With fewer than 3 origins, AICc chooses
//     among the single methods.
//  4. Uncertainty: the scaled errors of the choice procedure (at each
//     origin, those of the candidate it would have chosen with the errors
//     known then) give, per step h, a root mean square error; a power law
//     c*h^g is fitted to them (weighted by counts), which smooths the noisy
//     per-step figures and extrapolates beyond the cross-validated steps,
//     and scaled back by the last level. Step h is then Student t with that
//     scale and
//     max(2, count_h/h) degrees of freedom, count_h the number of h-step
//     errors (consecutive origins' h-step errors share h-1 future values).
//     Sums over future periods take correlations sqrt(min(i,j)/max(i,j)),
//     those of a random walk's errors, and the degrees of freedom of their
//     last step. With too few origins the scale is that of a random walk
//     with drift fitted to the (adjusted) series, with n-2 degrees of
//     freedom.
func NewAuto(opts AutoOptions) Model {
	if opts.MaxOrigins <= 0 {
		opts.MaxOrigins = 12
	}
	return auto{opts: opts}
}

type auto struct{ opts AutoOptions }

var _ Model = auto{}

// Name returns "auto", or the method's name for a single method, or the
// members joined by "+".
func (a auto) Name() string {
	if a.opts.Methods == nil {
		return "auto"
	}
	return strings.Join(a.opts.Methods, "+")
}

// candidate is a single method or a combination, as indices into methods.
type candidate struct {
	members []int
}

func (c candidate) name() string {
	names := make([]string, len(c.members))
	for i, m := range c.members {
		names[i] = methods[m].name
	}
	return strings.Join(names, "+")
}

// Fit implements Model.
func (a auto) Fit(y []float64, period int) (Fitted, error) {
	if err := checkSeries(a.Name(), y, period, 3); err != nil {
		return nil, err
	}
	for _, name := range a.opts.Methods {
		if methodByName(name) < 0 {
			return nil, fmt.Errorf("%s: unknown method %q: %w", a.Name(), name, ErrBadInput)
		}
	}
	n := len(y)
	h := a.opts.Horizon
	if h <= 0 {
		h = 6
		if period > 1 {
			h = 2 * period
		}
	}
	positive := true
	for _, v := range y {
		if !(v > 0) {
			positive = false
		}
	}
	var notes []string

	var seas *seasonal
	if seasonalTest(y, period) {
		seas = decompose(y, period)
		notes = append(notes, fmt.Sprintf("seasonal at lag %d (classical %s adjustment)", period, map[bool]string{true: "multiplicative", false: "additive"}[seas.mult]))
	}
	adj := seas.adjust(y, 0)

	// Single methods that can fit this series.
	var singles []int
	for i, m := range methods {
		if a.opts.Methods != nil && !slices.Contains(a.opts.Methods, m.name) {
			continue
		}
		switch {
		case n < m.min:
			notes = append(notes, fmt.Sprintf("%s left out: needs %d points, has %d", m.name, m.min, n))
		case m.name == "log-linear-trend" && !positive:
			notes = append(notes, "log-linear-trend left out: values not all positive")
		default:
			singles = append(singles, i)
		}
	}
	if len(singles) == 0 {
		return nil, fmt.Errorf("%s: %d points, no candidate method can fit them: %s: %w", a.Name(), n, strings.Join(notes, "; "), ErrTooFewPoints)
	}
	var cands []candidate
	for _, s := range singles {
		// Global trend lines are poor forecasters alone (they extrapolate
		// the whole past's trend); the automatic choice uses them only
		// inside the broadest combination, unless asked for by name.
		if a.opts.Methods != nil || methods[s].standalone {
			cands = append(cands, candidate{members: []int{s}})
		}
	}
	if a.opts.Methods == nil {
		cl := combos
		if period <= 1 {
			cl = yearlyCombos
		}
		for _, c := range cl {
			var mem []int
			for _, name := range c {
				if i := methodByName(name); slices.Contains(singles, i) {
					mem = append(mem, i)
				}
			}
			if len(mem) == len(c) {
				cands = append(cands, candidate{members: mem})
			}
		}
	}

	// Rolling origins: train on y[:k], forecast up to h steps.
	kmin := max(n-a.opts.MaxOrigins, 3)
	for _, s := range singles {
		kmin = max(kmin, methods[s].min)
	}
	level := func(k int) float64 { // scale of errors made from origin k
		if !positive {
			return 1
		}
		m := min(max(period, 1), k)
		var s float64
		for _, v := range y[k-m : k] {
			s += v
		}
		return s / float64(m)
	}
	diffScale := 1.0
	if !positive {
		if d := meanAbsDiff(y); d > 0 {
			diffScale = d
		}
	}
	origins := 0
	if n-kmin > 0 {
		origins = n - kmin
	}
	// fcs[origin][single] holds the forecasts of each single method.
	fcs := make([][][]float64, origins)
	ok := make([]bool, len(methods))
	for _, s := range singles {
		ok[s] = true
	}
	for o := range origins {
		k := kmin + o
		hk := min(h, n-k)
		fcs[o] = make([][]float64, len(methods))
		fs, fadj := foldSeasonal(y[:k], period, seas)
		for _, s := range singles {
			pf, err := run(s, y[:k], fadj, fs, period, hk)
			if err != nil || !allFinite(pf.fc) {
				ok[s] = false
				continue
			}
			fcs[o][s] = pf.fc
		}
	}
	// A method that failed at some origin cannot be scored fairly.
	usable := func(c candidate) bool {
		for _, m := range c.members {
			if !ok[m] {
				return false
			}
		}
		return true
	}

	f := &autoFit{y: slices.Clone(y), adj: adj, seas: seas, period: period, h: h, notes: notes}
	var weights []float64 // of each method in methods
	var errs [][]float64  // scaled errors of the choice procedure, per origin and step
	if origins >= minOrigins {
		var ok []candidate
		var zs [][][]float64
		for _, c := range cands {
			if usable(c) {
				ok = append(ok, c)
				zs = append(zs, cvErrors(c, fcs, y, kmin, level, diffScale))
			}
		}
		if len(ok) > 0 {
			scores := make([]string, len(ok))
			for ci, c := range ok {
				scores[ci] = fmt.Sprintf("%s %.3f", c.name(), meanAbs(zs[ci], -1))
			}
			cw := selectWeights(zs, -1)
			weights = make([]float64, len(methods))
			var names []string
			for ci, c := range ok {
				if cw[ci] == 0 {
					continue
				}
				names = append(names, fmt.Sprintf("%s (%.0f %%)", c.name(), 100*cw[ci]))
				for _, m := range c.members {
					weights[m] += cw[ci] / float64(len(c.members))
				}
			}
			errs = procedureErrors(zs, origins)
			how := "the lowest mean absolute scaled error: " + names[0]
			if len(names) > 1 {
				how = fmt.Sprintf("the %d lowest mean absolute scaled errors, combined with weights inverse to them: %s",
					len(names), strings.Join(names, " and "))
			}
			f.reason = fmt.Sprintf("rolling-origin cross-validation over %d origins, up to %d steps, %d candidates (%s); %s",
				origins, h, len(scores), strings.Join(scores, ", "), how)
		}
	}
	if weights == nil {
		var chosen candidate
		bestAIC := math.Inf(1)
		for _, s := range singles {
			pf, err := run(s, y, adj, seas, period, 1)
			if err != nil {
				continue
			}
			if v := pf.aicc(); v < bestAIC || chosen.members == nil {
				bestAIC, chosen = v, candidate{members: []int{s}}
			}
		}
		if chosen.members == nil {
			return nil, fmt.Errorf("%s: no method could fit the series: %w", a.Name(), ErrBadInput)
		}
		f.reason = fmt.Sprintf("%d points, too few for %d rolling origins: lowest AICc among single methods", n, minOrigins)
		if len(singles) == 1 {
			f.reason = fmt.Sprintf("%d points: the only method that fits", n)
		}
		weights = make([]float64, len(methods))
		for _, m := range chosen.members {
			weights[m] = 1 / float64(len(chosen.members))
		}
	}
	f.method = weightsName(weights)
	f.weights = weights
	f.fc = f.forecast(cacheSteps)
	if !allFinite(f.fc) {
		return nil, fmt.Errorf("%s: %s gave a non-finite forecast: %w", a.Name(), f.method, ErrBadInput)
	}

	if errs != nil {
		f.calibrate(errs, origins, level(n)*diffScale)
	} else {
		f.randomWalkScale()
	}
	return f, nil
}

// cacheSteps is how many steps ahead Fit computes the point forecasts;
// Predict computes further ones on demand.
const cacheSteps = 64

// meanAbs returns the mean absolute value of the errors z[o][i] known at
// origin upto (o+i < upto), or of all of them when upto is negative.
func meanAbs(z [][]float64, upto int) float64 {
	var s float64
	var n int
	for o, row := range z {
		for i, v := range row {
			if upto >= 0 && o+i >= upto {
				break
			}
			s += math.Abs(v)
			n++
		}
	}
	if n == 0 {
		return math.Inf(1)
	}
	return s / float64(n)
}

// procedureErrors returns the errors of the choice procedure itself, the
// ones calibration needs: at each origin, those of the candidate the choice
// would have made with the errors known then (the last candidate, the
// broadest combination, while none are). Calibrating on the winner's own
// errors would make the intervals too narrow, since the winner is the
// candidate whose past errors happened to be smallest.
func procedureErrors(zs [][][]float64, origins int) [][]float64 {
	out := make([][]float64, origins)
	for o := range origins {
		w := selectWeights(zs, o)
		out[o] = make([]float64, len(zs[0][o]))
		for ci, wc := range w {
			if wc == 0 {
				continue
			}
			for i, v := range zs[ci][o] {
				out[o][i] += wc * v
			}
		}
	}
	return out
}

// topK is how many of the best candidates the choice combines. Choosing
// the single best on a dozen origins is noisy; combining the two best,
// weighted by the inverse of their scores, hedges against the choice (on
// M1: sMAPE 16.54 → 16.04 quarterly, 16.71 → 16.81 yearly; three: 15.90 and
// 17.04).
const topK = 2

// selectWeights returns the weight of each candidate given the errors known
// at origin upto (all when negative): the topK lowest mean absolute scaled
// errors, weighted by the inverse of their score; the last candidate (the
// broadest combination) when no error is known.
func selectWeights(zs [][][]float64, upto int) []float64 {
	w := make([]float64, len(zs))
	sc := make([]float64, len(zs))
	idx := make([]int, len(zs))
	for ci, z := range zs {
		sc[ci] = meanAbs(z, upto)
		idx[ci] = ci
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case sc[a] < sc[b]:
			return -1
		case sc[a] > sc[b]:
			return 1
		}
		return 0
	})
	if math.IsInf(sc[idx[0]], 1) {
		w[len(w)-1] = 1
		return w
	}
	var tot float64
	for _, ci := range idx[:min(topK, len(idx))] {
		if math.IsInf(sc[ci], 1) {
			break
		}
		w[ci] = 1 / math.Max(sc[ci], 1e-12)
		tot += w[ci]
	}
	for ci := range w {
		w[ci] /= tot
	}
	return w
}

// run fits method m to a series and returns its forecasts of the series
// itself: on the seasonally adjusted series adj with the seasonal factors
// put back into the forecasts, or, for a method with its own seasonal fit
// (trend lines with dummies), on the raw series y.
func run(m int, y, adj []float64, seas *seasonal, period, h int) (pointFit, error) {
	if seas != nil && methods[m].seasonalFit != nil {
		return methods[m].seasonalFit(y, period, h)
	}
	pf, err := methods[m].fit(adj, h)
	if err == nil {
		seas.restore(pf.fc, len(adj))
	}
	return pf, err
}

// weightsName names a weighted combination of methods: the method alone,
// or the methods by decreasing weight with their weights in percent
// ("damped 45% + theta 30% + rw-drift 25%").
func weightsName(w []float64) string {
	idx := make([]int, 0, len(w))
	for m, v := range w {
		if v > 0 {
			idx = append(idx, m)
		}
	}
	if len(idx) == 1 {
		return methods[idx[0]].name
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case w[a] > w[b]:
			return -1
		case w[a] < w[b]:
			return 1
		}
		return 0
	})
	parts := make([]string, len(idx))
	for i, m := range idx {
		parts[i] = fmt.Sprintf("%s %.0f%%", methods[m].name, 100*w[m])
	}
	return strings.Join(parts, " + ")
}

// cvErrors returns the scaled errors of candidate c at each origin (row)
// and step (column).
func cvErrors(c candidate, fcs [][][]float64, y []float64, kmin int, level func(int) float64, diffScale float64) [][]float64 {
	z := make([][]float64, len(fcs))
	for o := range fcs {
		k := kmin + o
		hk := len(fcs[o][c.members[0]])
		sc := level(k) * diffScale
		z[o] = make([]float64, hk)
		for i := range hk {
			var f float64
			for _, m := range c.members {
				f += fcs[o][m][i]
			}
			f /= float64(len(c.members))
			z[o][i] = (y[k+i] - f) / sc
		}
	}
	return z
}

// autoFit is the fitted automatic model.
type autoFit struct {
	y, adj  []float64
	seas    *seasonal
	period  int
	h       int
	weights []float64 // of each method in methods
	method  string
	reason  string
	notes   []string
	fc      []float64 // point forecasts, steps 1..cacheSteps

	// Step h has scale scale*h^gamma and dfAt(h) degrees of freedom:
	// df when there was no cross-validation (origins 0).
	scale, gamma, df float64
	origins          int

	filled, outliers []int // see Flagged
}

var _ Flagged = (*autoFit)(nil)

// Outliers implements Flagged.
func (f *autoFit) Outliers() []int { return f.outliers }

// Filled implements Flagged.
func (f *autoFit) Filled() []int { return f.filled }

var _ Explained = (*autoFit)(nil)

// Explained is a fitted model that says which method it chose and why.
type Explained interface {
	Fitted
	// Method names the method or weighted combination behind the
	// forecasts ("theta", "damped 45% + theta 30% + rw-drift 25%").
	Method() string
	// Reason says why that method was chosen, in a sentence or two: the
	// procedure, the candidates' scores and any method left out.
	Reason() string
}

// Method implements Explained.
func (f *autoFit) Method() string { return f.method }

// Reason implements Explained.
func (f *autoFit) Reason() string {
	if len(f.notes) == 0 {
		return f.reason
	}
	return f.reason + "; " + strings.Join(f.notes, "; ")
}

// forecast returns the chosen candidate's point forecasts for steps 1..h.
func (f *autoFit) forecast(h int) []float64 {
	out := make([]float64, h)
	for m, wm := range f.weights {
		if wm == 0 {
			continue
		}
		pf, err := run(m, f.y, f.adj, f.seas, f.period, h)
		if err != nil {
			for i := range out {
				out[i] = math.NaN()
			}
			return out
		}
		for i, v := range pf.fc {
			out[i] += wm * v
		}
	}
	return out
}

// calibrate sets the scale law from the scaled cross-validation errors;
// lastScale turns scaled errors into errors at the end of the series.
func (f *autoFit) calibrate(z [][]float64, origins int, lastScale float64) {
	sum := make([]float64, f.h)
	cnt := make([]float64, f.h)
	for _, row := range z {
		for i, v := range row {
			sum[i] += v * v
			cnt[i]++
		}
	}
	// Weighted least squares of log RMS_h on log h.
	var sw, sx, sy, sxx, sxy float64
	for i := range f.h {
		if cnt[i] == 0 || sum[i] == 0 {
			continue
		}
		x := math.Log(float64(i + 1))
		yv := 0.5 * math.Log(sum[i]/cnt[i])
		w := cnt[i]
		sw += w
		sx += w * x
		sy += w * yv
		sxx += w * x * x
		sxy += w * x * yv
	}
	gamma := 0.5
	if d := sw*sxx - sx*sx; sw > 0 && d > 1e-12*sw*sw {
		gamma = (sw*sxy - sx*sy) / d
	}
	gamma = math.Min(math.Max(gamma, 0), 1.5)
	var c float64
	if sw > 0 {
		c = math.Exp((sy - gamma*sx) / sw)
	}
	f.scale = c * lastScale
	f.gamma = gamma
	f.origins = origins
}

// randomWalkScale sets the scale law of a random walk with drift fitted to
// the adjusted series: Var(step h) = s^2 h (1 + h/(n-1)), approximated by
// the power law through steps 1 and h.
func (f *autoFit) randomWalkScale() {
	n := len(f.adj)
	d := (f.adj[n-1] - f.adj[0]) / float64(n-1)
	var ss float64
	for t := 1; t < n; t++ {
		e := f.adj[t] - f.adj[t-1] - d
		ss += e * e
	}
	s := math.Sqrt(ss / float64(max(n-2, 1)))
	sd := func(h float64) float64 { return s * math.Sqrt(h*(1+h/float64(n-1))) }
	f.scale = sd(1)
	f.gamma = 0.5
	if hh := float64(f.h); hh > 1 && sd(1) > 0 {
		f.gamma = math.Log(sd(hh)/sd(1)) / math.Log(hh)
	}
	f.df = math.Max(1, float64(n-2))
}

// dfAt returns the degrees of freedom of step h (1-based).
func (f *autoFit) dfAt(h int) float64 {
	if f.origins == 0 {
		return f.df
	}
	return math.Max(2, float64(f.origins-h+1)/float64(h))
}

// sd returns the scale of step h (1-based).
func (f *autoFit) sd(h int) float64 { return f.scale * math.Pow(float64(h), f.gamma) }

// points returns the point forecasts of steps 1..h.
func (f *autoFit) points(h int) []float64 {
	if h <= len(f.fc) {
		return f.fc[:h]
	}
	return f.forecast(h)
}

// Predict implements Fitted: the mean is the weighted sum of point
// forecasts, the scale that of the weighted sum of errors whose scales
// follow the calibrated law, with correlation sqrt(min(i,j)/max(i,j)).
func (f *autoFit) Predict(w []float64) Dist {
	fc := f.points(len(w))
	var mean, v float64
	for i, wi := range w {
		if wi == 0 {
			continue
		}
		mean += wi * fc[i]
		si := f.sd(i + 1)
		for j, wj := range w {
			if wj == 0 {
				continue
			}
			lo, hi := float64(min(i, j)+1), float64(max(i, j)+1)
			v += wi * wj * si * f.sd(j+1) * math.Sqrt(lo/hi)
		}
	}
	last := 1
	for i, wi := range w {
		if wi != 0 {
			last = i + 1
		}
	}
	return Dist{Mean: mean, Scale: math.Sqrt(math.Max(v, 0)), DF: f.dfAt(last)}
}

// Path implements Fitted.
func (f *autoFit) Path(h int) []Dist {
	if h <= 0 {
		return nil
	}
	fc := f.points(h)
	out := make([]Dist, h)
	for i := range out {
		out[i] = Dist{Mean: fc[i], Scale: f.sd(i + 1), DF: f.dfAt(i + 1)}
	}
	return out
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if !isFinite(x) {
			return false
		}
	}
	return true
}

// foldSeasonal returns the seasonal adjustment a cross-validation fit on
// y (the first k points of the series) may use, and y adjusted by it. When
// the whole series is seasonal, the classical indices are estimated on y
// alone, so that no fold sees the values it forecasts: indices estimated on
// the whole series would have seen them and made the cross-validation
// errors, hence the intervals, too small. Whether to adjust at all is the
// whole series' decision, as in the final fit: rerunning the test on each
// shorter fold, where it has less power, left seasonal folds unadjusted and
// made intervals too wide (simulated seasonal series: 86 % inside the 80 %
// intervals against 85 %; M1 quarterly sMAPE 16.06 against 16.05).
func foldSeasonal(y []float64, period int, whole *seasonal) (*seasonal, []float64) {
	var s *seasonal
	if whole != nil {
		s = decompose(y, period)
	}
	return s, s.adjust(y, 0)
}
