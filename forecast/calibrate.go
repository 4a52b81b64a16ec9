package forecast

import (
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// law is a per-step error scale, sd(h) = c*h^g (h = 1, 2, ...): the noisy
// per-step figures of a cross-validation smoothed, and extrapolated beyond
// the last step it measured (a 2030 target) growing at least as a random
// walk's errors do, as sqrt(h): a law fitted on the first steps, where
// errors grow slowly, under-covered M1's monthly steps beyond them.
type law struct {
	c, g float64
	last int // the last step measured (0: no limit)
}

func (l law) sd(h int) float64 {
	if l.last <= 0 || h <= l.last || l.g >= 0.5 {
		return l.c * math.Pow(float64(h), l.g)
	}
	return l.c * math.Pow(float64(l.last), l.g) * math.Sqrt(float64(h)/float64(l.last))
}

// stepMS returns, per step, the mean square and the number of the errors
// z[o][i] known at origin upto (o+i < upto; all of them when upto < 0);
// NaN errors (a target that was missing or an outlier) are skipped.
func stepMS(z [][]float64, h, upto int) (ms, cnt []float64) {
	ms, cnt = make([]float64, h), make([]float64, h)
	for o, row := range z {
		for i, v := range row {
			if upto >= 0 && o+i >= upto {
				break
			}
			if math.IsNaN(v) {
				continue
			}
			ms[i] += v * v
			cnt[i]++
		}
	}
	for i := range ms {
		if cnt[i] > 0 {
			ms[i] /= cnt[i]
		}
	}
	return ms, cnt
}

// fitLaw fits sd(h) = c*h^g to per-step variances v by least squares of
// log sd on log h, weighted by w; g is kept in [0, 1.5]. It reports false
// when no step has both weight and variance.
func fitLaw(v, w []float64) (law, bool) {
	var sw, sx, sy, sxx, sxy float64
	last := 0
	for i := range v {
		if !(w[i] > 0) || !(v[i] > 0) {
			continue
		}
		last = i + 1
		x := math.Log(float64(i + 1))
		y := 0.5 * math.Log(v[i])
		sw += w[i]
		sx += w[i] * x
		sy += w[i] * y
		sxx += w[i] * x * x
		sxy += w[i] * x * y
	}
	if sw == 0 {
		return law{}, false
	}
	g := 0.5
	if d := sw*sxx - sx*sx; d > 1e-12*sw*sw {
		g = (sw*sxy - sx*sy) / d
	}
	g = math.Min(math.Max(g, 0), 1.5)
	return law{c: math.Exp((sy - g*sx) / sw), g: g, last: last}, true
}

// shrink returns the law of per-step variances moderated between a
// series' own mean squares ms (from cnt errors) and a prior law: at step h,
// (d*ms + d0*prior²)/(d + d0) with d = cnt/h, the number of independent
// h-step errors (consecutive origins' h-step errors share h-1 future
// values), and d0 the prior's weight (poolWeight). With no prior it is the
// series' own law.
func shrink(ms, cnt []float64, prior *law, d0 float64) (law, bool) {
	v := make([]float64, len(ms))
	w := make([]float64, len(ms))
	for i := range ms {
		d := cnt[i] / float64(i+1)
		if prior == nil {
			v[i], w[i] = ms[i], d
			continue
		}
		p := prior.sd(i + 1)
		v[i] = (d*ms[i] + d0*p*p) / (d + d0)
		w[i] = d + d0
	}
	return fitLaw(v, w)
}

// poolWeight is the prior's weight in shrink, in independent errors per
// step: how much a series' interval leans on the set's typical error scale.
// Chosen on the tune half of M1's yearly, quarterly and monthly series
// together (go run ./bench/m1 --half tune): 0, 1, 2, 4, 16 and 1000 tried;
// 1 gave the lowest MSIS on the quarterly and monthly sets and tied on the
// yearly one, with every coverage within 3 points of nominal.
const poolWeight = 1

// standardized returns the errors z divided by the scale shrink gives from
// the errors known before each origin (the scale the procedure would have
// used then): honest out-of-sample standardized errors, whose quantiles
// are the intervals' shape. Errors with no scale known are skipped.
// The result is by step: u[i] holds the (i+1)-step errors.
func standardized(z [][]float64, h int, prior *law, d0 float64) [][]float64 {
	u := make([][]float64, h)
	for o, row := range z {
		ms, cnt := stepMS(z, h, o)
		l, ok := shrink(ms, cnt, prior, d0)
		if !ok {
			continue
		}
		for i, v := range row {
			if !math.IsNaN(v) {
				u[i] = append(u[i], v/l.sd(i+1))
			}
		}
	}
	return u
}

// calibrate sets f's error law and shape from its own cross-validation
// errors alone; Pool redoes it with a set's.
func (f *autoFit) calibrate() {
	ms, cnt := stepMS(f.z, f.h, -1)
	own, ok := shrink(ms, cnt, nil, 0)
	if !ok {
		var n float64
		for _, c := range cnt {
			n += c
		}
		// Errors all exactly zero (a constant series): the forecast is
		// certain; no error at all: no interval (see Dist.HasInterval).
		f.exact = n >= minShape
		return
	}
	f.own = &own
	f.law = own
	var n, df float64
	for i, c := range cnt {
		n += c
		df += c / float64(i+1)
	}
	if n < minShape {
		return // too few errors for an honest interval alone; Pool may lend one
	}
	// Alone, the few errors of one series cannot measure a shape's tails:
	// it is a Student t whose degrees of freedom count the independent
	// errors behind the law (h-step errors of consecutive origins share
	// h-1 values), kept between 3 and 5: forecast errors have heavy tails.
	f.shape = tShapes()[int(math.Round(math.Min(math.Max(3, df), 5)))-3]
}

// tShapes returns the shapes of a standard Student t with 3, 4 and 5
// degrees of freedom, each as 1,998 quantiles (computed once).
var tShapes = sync.OnceValue(func() [3]*empirical {
	var out [3]*empirical
	for i := range out {
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(i + 3)}
		a := make([]float64, 999) // the upper quantiles; the lower ones mirror them
		for k := range a {
			a[k] = t.Quantile(0.5 + 0.5*float64(k+1)/1000)
		}
		out[i] = newEmpirical(append(a, neg(a)...))
	}
	return out
})

// minPool is the fewest series with cross-validation errors a set needs
// for Pool to lend their errors: with one or two, the "set's typical error"
// is one series' own (an exactly linear series would lend a short one an
// interval of zero width).
const minPool = 3

// Pool implements the package-level Pool for the automatic model's fits.
func pool(fits []Fitted) []Fitted {
	out := make([]Fitted, len(fits))
	copy(out, fits)
	type key struct {
		period int
		log    bool
		h      int
	}
	groups := map[key][]int{}
	var keys []key
	for i, f := range fits {
		a, ok := f.(*autoFit)
		if !ok || a == nil {
			continue
		}
		k := key{a.period, a.logScale, a.h}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range keys {
		idx := groups[k]
		// The prior: per step, the geometric mean of the members' own
		// scales.
		v := make([]float64, k.h)
		w := make([]float64, k.h)
		var n float64
		for _, i := range idx {
			a := fits[i].(*autoFit)
			if a.own == nil {
				continue
			}
			n++
			for s := range v {
				v[s] += 2 * math.Log(a.own.sd(s+1))
			}
		}
		if n < minPool {
			continue
		}
		for s := range v {
			v[s] = math.Exp(v[s] / n)
			w[s] = 1
		}
		prior, ok := fitLaw(v, w)
		if !ok {
			continue
		}
		// The shape: the set's standardized errors, all steps together,
		// and per step where the step has enough of them (the law's
		// growth with the step is a smooth guess; the shape at each step
		// corrects it).
		byStep := make([][]float64, k.h)
		var u []float64
		for _, i := range idx {
			for s, us := range standardized(fits[i].(*autoFit).z, k.h, &prior, poolWeight) {
				byStep[s] = append(byStep[s], us...)
				u = append(u, us...)
			}
		}
		shape := newEmpirical(u)
		if shape == nil {
			continue
		}
		steps := make([]*empirical, k.h)
		for s, us := range byStep {
			switch {
			case len(us) >= minStepShape:
				steps[s] = newEmpirical(us)
			case s > 0 && len(byStep[s-1]) >= minStepShape:
				steps[s] = steps[s-1] // beyond the errors: the last measured step's
			default:
				steps[s] = shape
			}
		}
		for _, i := range idx {
			a := *fits[i].(*autoFit)
			a.law = prior
			ms, cnt := stepMS(a.z, a.h, -1)
			if l, ok := shrink(ms, cnt, &prior, poolWeight); ok {
				a.law = l
			}
			a.shape, a.steps = shape, steps
			out[i] = &a
		}
	}
	return out
}

// simulated returns the distribution of sum_i w[i]*y[n+1+i] from paths
// simulated with a fixed seed: each step's quantity is drawn from its own
// distribution (Path), with the steps' errors correlated as a random walk's
// (Gaussian copula, correlation sqrt(min(i,j)/max(i,j))), the structure
// these series mostly share. Its median is set to the weighted sum of the
// steps' medians, so that a year's projection is the sum of its quarters'.
func simulated(path []Dist, w []float64) Dist {
	const draws = 2000
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, draws)
	var mean float64
	for i, wi := range w {
		mean += wi * path[i].Mean
	}
	root := make([]float64, len(w)) // sqrt(i+1): the walk's standard deviation at step i
	for i := range root {
		root[i] = math.Sqrt(float64(i + 1))
	}
	for k := range v {
		var walk, sum float64
		for i, wi := range w {
			walk += rng.NormFloat64()
			if wi == 0 {
				continue
			}
			p := 0.5 * math.Erfc(-walk/root[i]/math.Sqrt2)
			p = math.Min(math.Max(p, 1e-12), 1-1e-12)
			sum += wi * path[i].Quantile(p)
		}
		v[k] = sum
	}
	med := newEmpirical(v).u(0.5)
	for k := range v {
		v[k] -= med
	}
	return shaped(mean, sampleOffset{newEmpirical(v)})
}

// neg returns the values of a negated.
func neg(a []float64) []float64 {
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = -v
	}
	return out
}
