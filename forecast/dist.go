package forecast

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a predictive distribution. A Dist written as a literal is a
// location-scale Student t: the quantity is Mean + Scale*T where T has a
// standard Student t distribution with DF degrees of freedom. DF =
// math.Inf(1) means T is standard normal. Scale 0 means a point mass at Mean
// (a value known for certain).
//
// The automatic model's distributions have an empirical shape instead (the
// quantiles of its measured errors, on the log scale for positive series,
// hence skewed): Mean is then their median, the quantity is Mean plus an
// offset drawn from the shape, and Scale is the equivalent normal scale of
// the central 80 % interval, (q90 - q10)/2.563, which Reconcile uses as the
// variance's square root; DF is +Inf. Moving Mean moves the whole
// distribution.
//
// For a t with DF > 1 Mean is the mean; for every Dist it is the median.
// Scale is not the standard deviation: that is Scale*sqrt(DF/(DF-2)) for a t
// with DF > 2.
//
// A Dist with Scale < 0, DF <= 0 or a NaN field is invalid; its methods
// return NaN.
type Dist struct {
	Mean, Scale, DF float64

	pointOnly bool   // see HasInterval
	shape     offset // nil: the Student t above
}

// offset is the shape of a non-t Dist: the quantity is Mean + at(p) at
// probability p, with at(0.5) = 0 and at increasing.
type offset interface {
	at(p float64) float64
	// cdf returns P(quantity - Mean <= x).
	cdf(x float64) float64
}

// HasInterval reports whether d says how uncertain the quantity is. A
// series too short for an honest interval gets a Dist with a point only: its
// median is the point forecast and its other quantiles are NaN.
func (d Dist) HasInterval() bool { return !d.pointOnly }

// valid reports whether d describes a distribution.
func (d Dist) valid() bool {
	return !math.IsNaN(d.Mean) && !math.IsNaN(d.Scale) && !math.IsNaN(d.DF) &&
		d.Scale >= 0 && d.DF > 0
}

// Quantile returns the p-quantile of d, the smallest x with CDF(x) >= p.
// It returns NaN if p is outside [0, 1] or d is invalid; Quantile(0) and
// Quantile(1) are -Inf and +Inf unless d is a point mass.
func (d Dist) Quantile(p float64) float64 {
	if !d.valid() || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	switch {
	case d.pointOnly:
		if p == 0.5 {
			return d.Mean
		}
		return math.NaN()
	case d.Scale == 0:
		return d.Mean
	case d.shape != nil:
		return d.Mean + d.shape.at(p)
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case math.IsInf(d.DF, 1):
		return distuv.Normal{Mu: d.Mean, Sigma: d.Scale}.Quantile(p)
	default:
		return distuv.StudentsT{Mu: d.Mean, Sigma: d.Scale, Nu: d.DF}.Quantile(p)
	}
}

// CDF returns P(X <= x). For a point mass it is 1 at and above Mean, 0 below.
// It returns NaN if x is NaN or d is invalid.
func (d Dist) CDF(x float64) float64 {
	if !d.valid() || math.IsNaN(x) {
		return math.NaN()
	}
	switch {
	case d.pointOnly:
		return math.NaN()
	case d.Scale == 0:
		if x >= d.Mean {
			return 1
		}
		return 0
	case d.shape != nil:
		return d.shape.cdf(x - d.Mean)
	case math.IsInf(d.DF, 1):
		return distuv.Normal{Mu: d.Mean, Sigma: d.Scale}.CDF(x)
	default:
		return distuv.StudentsT{Mu: d.Mean, Sigma: d.Scale, Nu: d.DF}.CDF(x)
	}
}

// Survival returns P(X > x) = 1 - CDF(x), computed directly so that small
// upper-tail probabilities keep their relative accuracy.
func (d Dist) Survival(x float64) float64 {
	if !d.valid() || math.IsNaN(x) {
		return math.NaN()
	}
	switch {
	case d.pointOnly:
		return math.NaN()
	case d.Scale == 0:
		if x >= d.Mean {
			return 0
		}
		return 1
	case d.shape != nil:
		return 1 - d.shape.cdf(x-d.Mean)
	case math.IsInf(d.DF, 1):
		return distuv.Normal{Mu: d.Mean, Sigma: d.Scale}.Survival(x)
	default:
		return distuv.StudentsT{Mu: d.Mean, Sigma: d.Scale, Nu: d.DF}.Survival(x)
	}
}

// Interval returns the central interval holding the given probability level
// (0.8 for an 80 % interval): the (1-level)/2 and (1+level)/2 quantiles.
func (d Dist) Interval(level float64) (lo, hi float64) {
	if !(level >= 0 && level <= 1) {
		return math.NaN(), math.NaN()
	}
	return d.Quantile((1 - level) / 2), d.Quantile((1 + level) / 2)
}

// Shift returns d moved by c: the distribution of X + c.
func (d Dist) Shift(c float64) Dist {
	d.Mean += c
	return d
}
