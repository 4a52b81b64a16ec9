package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEmpiricalShape: the quantile function and the CDF of an empirical
// distribution invert each other, in the body and in the exponential
// tails, and are increasing; fewer than 20 values make none.
func TestEmpiricalShape(t *testing.T) {
	if newEmpirical(make([]float64, minShape-1)) != nil {
		t.Error("a shape from 19 values")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	u := make([]float64, 500)
	for i := range u {
		u[i] = rng.NormFloat64() + 0.3*rng.ExpFloat64() // skewed
	}
	u = append(u, math.NaN(), math.Inf(1)) // skipped
	e := newEmpirical(u)
	if len(e.v) != 500 {
		t.Fatalf("%d values kept, want 500", len(e.v))
	}
	prev := math.Inf(-1)
	for _, p := range []float64{1e-6, 0.001, 0.01, 0.025, 0.1, 0.5, 0.9, 0.975, 0.99, 0.999, 1 - 1e-6} {
		x := e.u(p)
		if !(x > prev) {
			t.Errorf("u(%v) = %v, not above u of the previous p (%v)", p, x, prev)
		}
		prev = x
		if got := e.ucdf(x); math.Abs(got-p) > 1e-9*math.Max(1, 1/p) {
			t.Errorf("ucdf(u(%v)) = %v", p, got)
		}
	}
}

// TestShapedDists: a positive series' distribution (log scale) is skewed
// and never below zero; a floored level-scale one stops at zero; CDF and
// Quantile agree; moving the median moves the whole distribution.
func TestShapedDists(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	u := make([]float64, 400)
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	e := newEmpirical(u)
	o := newLogOffset(100, 0.8, e)
	d := shaped(o.med, o)
	lo, hi := d.Interval(0.95)
	if !(lo > 0 && hi-d.Mean > d.Mean-lo) {
		t.Errorf("log scale: 95 %% [%v, %v] around %v: want positive and skewed up", lo, hi, d.Mean)
	}
	fl := shaped(10, floored{newLinOffset(20, e), -10})
	if lo, _ := fl.Interval(0.95); lo != 0 {
		t.Errorf("floored: lower bound %v, want 0", lo)
	}
	for _, p := range []float64{0.05, 0.3, 0.5, 0.8, 0.99} {
		if got := d.CDF(d.Quantile(p)); math.Abs(got-p) > 1e-9 {
			t.Errorf("CDF(Quantile(%v)) = %v", p, got)
		}
	}
	// The floored distribution has an atom at zero: below its mass every
	// quantile is 0; above, CDF and Quantile agree.
	atom := fl.CDF(0)
	if !(atom > 0.05) || fl.CDF(-1e-9) != 0 || fl.Quantile(atom/2) != 0 {
		t.Errorf("floored: P(0) = %v, P(<0) = %v, q(%v) = %v", atom, fl.CDF(-1e-9), atom/2, fl.Quantile(atom/2))
	}
	for _, p := range []float64{0.5, 0.8, 0.99} {
		if got := fl.CDF(fl.Quantile(p)); math.Abs(got-p) > 1e-9 {
			t.Errorf("floored: CDF(Quantile(%v)) = %v", p, got)
		}
	}
	moved := d.Shift(50)
	if got, want := moved.Quantile(0.9), d.Quantile(0.9)+50; math.Abs(got-want) > 1e-9 {
		t.Errorf("shifted q90 %v, want %v", got, want)
	}
}

// TestPoolLends: a series too short for an interval alone borrows one from
// a set of three series with errors; with only two it does not; Pool
// leaves its input untouched and gives the same result twice.
func TestPoolLends(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	long := func() Fitted {
		y := make([]float64, 30)
		v := 100.0
		for i := range y {
			v *= 1.02 + 0.03*rng.NormFloat64()
			y[i] = v
		}
		f, err := Auto().Fit(y, 1)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	short, err := Auto().Fit([]float64{10, 11, 12.5, 13}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if short.Path(1)[0].HasInterval() {
		t.Fatal("a 4-point series has an interval alone")
	}
	a, b, c := long(), long(), long()
	if Pool([]Fitted{short, a, b})[0].Path(1)[0].HasInterval() {
		t.Error("two series with errors lent an interval")
	}
	set := []Fitted{short, a, b, c}
	p1, p2 := Pool(set), Pool(set)
	d := p1[0].Path(3)
	if lo, hi := d[2].Interval(0.8); !d[2].HasInterval() || !(0 < lo && lo < d[2].Mean && d[2].Mean < hi) {
		t.Errorf("pooled short series, step 3: [%v, %v] around %v", lo, hi, d[2].Mean)
	}
	if short.Path(1)[0].HasInterval() {
		t.Error("Pool changed its input")
	}
	for _, p := range []float64{0.025, 0.5, 0.9} {
		if q1, q2 := p1[0].Path(3)[2].Quantile(p), p2[0].Path(3)[2].Quantile(p); q1 != q2 {
			t.Errorf("Pool is not deterministic: q%v %v then %v", p, q1, q2)
		}
	}
}
