package forecast

import (
	"math"
	"slices"
	"sort"
)

// absShape is an empirical distribution of absolute standardized errors
// |U|, from a sorted sample a: the k-th smallest value (0-based) is its
// (k+1)/(N+1) quantile, quantiles in between are interpolated linearly,
// from 0 at probability 0 up to the first value, and beyond the last value
// the tail is exponential, through the last value and the 90 % one. U itself
// is taken symmetric: P(U <= -x) = P(U >= x).
type absShape struct {
	a   []float64
	tau float64 // the exponential tail's scale
}

// newAbsShape returns the shape of the absolute values of u (NaN values
// skipped), or nil when fewer than minShape remain.
func newAbsShape(u []float64) *absShape {
	a := make([]float64, 0, len(u))
	for _, v := range u {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			a = append(a, math.Abs(v))
		}
	}
	if len(a) < minShape {
		return nil
	}
	slices.Sort(a)
	n := len(a)
	m := int(math.Ceil(0.9*float64(n+1))) - 1
	m = min(max(m, 0), n-2)
	s := &absShape{a: a}
	if d := math.Log(float64(n - m)); d > 0 {
		s.tau = (a[n-1] - a[m]) / d
	}
	if !(s.tau > 0) {
		s.tau = math.Max(a[n-1], 1e-12) / 3
	}
	return s
}

// minStepShape is the fewest errors a step's own shape is measured from;
// with fewer, the step takes the shape of all steps together.
const minStepShape = 100

// minShape is the fewest errors a shape is measured from.
const minShape = 20

// quantile returns the q-quantile of |U|, q in [0, 1).
func (s *absShape) quantile(q float64) float64 {
	n := float64(len(s.a))
	pos := q*(n+1) - 1 // index in a, fractional
	switch {
	case pos < 0:
		return s.a[0] * q * (n + 1)
	case pos >= n-1:
		// Survival 1/(N+1) at a[N-1], decaying as exp(-(x-a[N-1])/tau).
		return s.a[len(s.a)-1] + s.tau*math.Log(1/((n+1)*(1-q)))
	}
	k := int(pos)
	f := pos - float64(k)
	return s.a[k] + f*(s.a[k+1]-s.a[k])
}

// cdf returns P(|U| <= x).
func (s *absShape) cdf(x float64) float64 {
	n := float64(len(s.a))
	last := s.a[len(s.a)-1]
	switch {
	case x <= 0:
		return 0
	case x < s.a[0]:
		return x / s.a[0] / (n + 1)
	case x >= last:
		return 1 - math.Exp(-(x-last)/s.tau)/(n+1)
	}
	k := sort.SearchFloat64s(s.a, x) // a[k-1] < x <= a[k]
	if k == 0 {
		return 1 / (n + 1)
	}
	lo, hi := s.a[k-1], s.a[k]
	f := 1.0
	if hi > lo {
		f = (x - lo) / (hi - lo)
	}
	return (float64(k) + f) / (n + 1)
}

// u returns the p-quantile of the symmetric U.
func (s *absShape) u(p float64) float64 {
	if p >= 0.5 {
		return s.quantile(2*p - 1)
	}
	return -s.quantile(1 - 2*p)
}

// ucdf returns P(U <= x).
func (s *absShape) ucdf(x float64) float64 {
	if x >= 0 {
		return 0.5 + 0.5*s.cdf(x)
	}
	return 0.5 - 0.5*s.cdf(-x)
}

// errShape is the distribution of standardized errors U.
type errShape interface {
	u(p float64) float64    // the p-quantile of U
	ucdf(x float64) float64 // P(U <= x)
}

var _ errShape = (*absShape)(nil)
var _ errShape = (*signedShape)(nil)

// signedShape is an empirical distribution of standardized errors U from a
// sorted sample v, not assumed symmetric: the k-th smallest value (0-based)
// is its (k+1)/(N+1) quantile, quantiles in between are interpolated
// linearly, and beyond the extreme values each tail is exponential, through
// the extreme value and the 10 % (90 %) one. A median away from zero says
// the forecasts the errors come from were biased.
type signedShape struct {
	v          []float64
	tauL, tauR float64
}

// newSignedShape returns the shape of u (NaN and infinite values skipped),
// or nil when fewer than minShape remain.
func newSignedShape(u []float64) *signedShape {
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
	s := &signedShape{v: v, tauL: (v[m] - v[0]) / d, tauR: (v[n-1] - v[n-1-m]) / d}
	spread := math.Max(v[n-1]-v[0], 1e-12) / 3
	if !(s.tauL > 0) {
		s.tauL = spread
	}
	if !(s.tauR > 0) {
		s.tauR = spread
	}
	return s
}

func (s *signedShape) u(p float64) float64 {
	n := float64(len(s.v))
	pos := p*(n+1) - 1
	switch {
	case pos < 0:
		return s.v[0] - s.tauL*math.Log(1/((n+1)*p))
	case pos >= n-1:
		return s.v[len(s.v)-1] + s.tauR*math.Log(1/((n+1)*(1-p)))
	}
	k := int(pos)
	f := pos - float64(k)
	return s.v[k] + f*(s.v[k+1]-s.v[k])
}

func (s *signedShape) ucdf(x float64) float64 {
	n := float64(len(s.v))
	first, last := s.v[0], s.v[len(s.v)-1]
	switch {
	case x < first:
		return math.Exp(-(first-x)/s.tauL) / (n + 1)
	case x >= last:
		return 1 - math.Exp(-(x-last)/s.tauR)/(n+1)
	}
	k := sort.SearchFloat64s(s.v, x) // v[k-1] < x <= v[k]
	if k == 0 {
		return 1 / (n + 1)
	}
	lo, hi := s.v[k-1], s.v[k]
	f := 1.0
	if hi > lo {
		f = (x - lo) / (hi - lo)
	}
	return (float64(k) + f) / (n + 1)
}

// logOffset is the quantity f*exp(sd*U) (a positive series' forecast f
// with errors sd*U on the log scale) as an offset from its median
// f*exp(sd*u(0.5)).
type logOffset struct {
	f, sd float64
	u     errShape
}

func (o logOffset) median() float64 { return o.f * math.Exp(o.sd*o.u.u(0.5)) }

func (o logOffset) at(p float64) float64 {
	if p <= 0 {
		return -o.median()
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return o.f*math.Exp(o.sd*o.u.u(p)) - o.median()
}

func (o logOffset) cdf(x float64) float64 {
	v := x + o.median()
	if v <= 0 {
		return 0
	}
	return o.u.ucdf(math.Log(v/o.f) / o.sd)
}

// linOffset is the quantity sd*U as an offset from its median sd*u(0.5).
type linOffset struct {
	sd float64
	u  errShape
}

func (o linOffset) at(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	if p >= 1 {
		return math.Inf(1)
	}
	return o.sd * (o.u.u(p) - o.u.u(0.5))
}

func (o linOffset) cdf(x float64) float64 { return o.u.ucdf(x/o.sd + o.u.u(0.5)) }

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

// sampleOffset is an empirical distribution of offsets from a sorted
// sample (the simulated sums of Predict), interpolated linearly between
// plotting positions k/(N+1) and flat beyond the extreme draws.
type sampleOffset struct{ v []float64 }

func (o sampleOffset) at(p float64) float64 {
	n := float64(len(o.v))
	pos := p*(n+1) - 1
	switch {
	case pos <= 0:
		return o.v[0]
	case pos >= n-1:
		return o.v[len(o.v)-1]
	}
	k := int(pos)
	f := pos - float64(k)
	return o.v[k] + f*(o.v[k+1]-o.v[k])
}

func (o sampleOffset) cdf(x float64) float64 {
	n := float64(len(o.v))
	switch {
	case x < o.v[0]:
		return 0
	case x >= o.v[len(o.v)-1]:
		return 1
	}
	k := sort.SearchFloat64s(o.v, x)
	if k == 0 {
		return 1 / (n + 1)
	}
	lo, hi := o.v[k-1], o.v[k]
	f := 1.0
	if hi > lo {
		f = (x - lo) / (hi - lo)
	}
	return (float64(k) + f) / (n + 1)
}

// shaped returns the Dist with median m and the given shape, its Scale the
// equivalent normal scale of its central 80 % interval.
func shaped(m float64, o offset) Dist {
	return Dist{Mean: m, Scale: (o.at(0.9) - o.at(0.1)) / 2.5631031310892007, DF: math.Inf(1), shape: o}
}
