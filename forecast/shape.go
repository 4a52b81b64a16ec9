package forecast

import (
	"math"
	"slices"
	"sort"
)

// empirical is the distribution of a sample v (sorted): the k-th smallest
// value (0-based) is its (k+1)/(N+1) quantile, quantiles in between are
// interpolated linearly, and beyond the extreme values each tail is
// exponential, through the extreme value and the 10 % (90 %) one. It is the
// shape of the standardized errors an interval is drawn from (not assumed
// symmetric: a median away from zero says the forecasts the errors come
// from were biased), and the distribution of a simulated sum.
type empirical struct {
	v          []float64
	tauL, tauR float64
}

// minShape is the fewest values an empirical distribution is made of.
const minShape = 20

// minStepShape is the fewest errors a step's own shape is measured from;
// with fewer, the step takes the shape of all steps together.
const minStepShape = 100

// newEmpirical returns the distribution of u (NaN and infinite values
// skipped), or nil when fewer than minShape remain.
func newEmpirical(u []float64) *empirical {
	v := make([]float64, 0, len(u))
	for _, x := range u {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) < minShape {
		return nil
	}
	slices.Sort(v)
	n := len(v)
	m := min(max(int(math.Ceil(0.1*float64(n+1)))-1, 1), n-1) // the 10 % value's index
	d := math.Log(float64(m + 1))
	e := &empirical{v: v, tauL: (v[m] - v[0]) / d, tauR: (v[n-1] - v[n-1-m]) / d}
	spread := math.Max(v[n-1]-v[0], 1e-12) / 3
	if !(e.tauL > 0) {
		e.tauL = spread
	}
	if !(e.tauR > 0) {
		e.tauR = spread
	}
	return e
}

// u returns the p-quantile, p in (0, 1).
func (e *empirical) u(p float64) float64 {
	n := float64(len(e.v))
	pos := p*(n+1) - 1
	switch {
	case pos < 0:
		return e.v[0] - e.tauL*math.Log(1/((n+1)*p))
	case pos >= n-1:
		return e.v[len(e.v)-1] + e.tauR*math.Log(1/((n+1)*(1-p)))
	}
	k := int(pos)
	f := pos - float64(k)
	return e.v[k] + f*(e.v[k+1]-e.v[k])
}

// ucdf returns P(U <= x).
func (e *empirical) ucdf(x float64) float64 {
	n := float64(len(e.v))
	first, last := e.v[0], e.v[len(e.v)-1]
	switch {
	case x < first:
		return math.Exp(-(first-x)/e.tauL) / (n + 1)
	case x >= last:
		return 1 - math.Exp(-(x-last)/e.tauR)/(n+1)
	}
	k := sort.SearchFloat64s(e.v, x) // v[k-1] < x <= v[k]
	if k == 0 {
		return 1 / (n + 1)
	}
	lo, hi := e.v[k-1], e.v[k]
	f := 1.0
	if hi > lo {
		f = (x - lo) / (hi - lo)
	}
	return (float64(k) + f) / (n + 1)
}

// logOffset is the quantity f*exp(sd*U) (a positive series' forecast f
// with errors sd*U on the log scale) as an offset from its median med =
// f*exp(sd*u(0.5)) (newLogOffset).
type logOffset struct {
	f, sd, med float64
	u          *empirical
}

func newLogOffset(f, sd float64, u *empirical) logOffset {
	return logOffset{f: f, sd: sd, med: f * math.Exp(sd*u.u(0.5)), u: u}
}

func (o logOffset) at(p float64) float64 {
	if p <= 0 {
		return -o.med
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return o.f*math.Exp(o.sd*o.u.u(p)) - o.med
}

func (o logOffset) cdf(x float64) float64 {
	v := x + o.med
	if v <= 0 {
		return 0
	}
	return o.u.ucdf(math.Log(v/o.f) / o.sd)
}

// linOffset is the quantity sd*U as an offset from its median sd*u50, u50
// = u(0.5) (newLinOffset).
type linOffset struct {
	sd, u50 float64
	u       *empirical
}

func newLinOffset(sd float64, u *empirical) linOffset { return linOffset{sd: sd, u50: u.u(0.5), u: u} }

func (o linOffset) at(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return o.sd * (o.u.u(p) - o.u50)
}

func (o linOffset) cdf(x float64) float64 { return o.u.ucdf(x/o.sd + o.u50) }

// floored is an offset bounded below by min (-median): the distribution
// of max(0, X) for a quantity that cannot be negative.
type floored struct {
	o   offset
	min float64
}

func (o floored) at(p float64) float64 { return math.Max(o.o.at(p), o.min) }

func (o floored) cdf(x float64) float64 {
	if x < o.min {
		return 0
	}
	return o.o.cdf(x)
}

// sampleOffset is a sample of offsets from their median (a simulated sum)
// as an offset.
type sampleOffset struct{ e *empirical }

func (o sampleOffset) at(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return o.e.u(p)
}

func (o sampleOffset) cdf(x float64) float64 { return o.e.ucdf(x) }

// shaped returns the Dist with median m and the given shape, its Scale the
// equivalent normal scale of its central 80 % interval.
func shaped(m float64, o offset) Dist {
	return Dist{Mean: m, Scale: (o.at(0.9) - o.at(0.1)) / 2.5631031310892007, DF: math.Inf(1), shape: o}
}
