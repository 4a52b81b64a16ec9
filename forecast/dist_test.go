package forecast

import (
	"math"
	"testing"
)

func TestDistQuantile(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		d    Dist
		p    float64
		want float64
	}{
		// Reference values from R's qt and qnorm (17 significant digits).
		{"t10 0.975", Dist{Mean: 0, Scale: 1, DF: 10}, 0.975, 2.2281388519862744},
		{"t10 0.9", Dist{Mean: 0, Scale: 1, DF: 10}, 0.9, 1.3721836411103356},
		{"t10 0.025", Dist{Mean: 0, Scale: 1, DF: 10}, 0.025, -2.2281388519862744},
		{"t30 0.975", Dist{Mean: 0, Scale: 1, DF: 30}, 0.975, 2.0422724563012373},
		{"t5 0.995", Dist{Mean: 0, Scale: 1, DF: 5}, 0.995, 4.0321429835575350},
		{"normal 0.975", Dist{Mean: 0, Scale: 1, DF: inf}, 0.975, 1.9599639845400540},
		{"normal 0.9", Dist{Mean: 0, Scale: 1, DF: inf}, 0.9, 1.2815515655446004},
		// Closed forms: t1 is Cauchy, q = tan(pi (p - 1/2)); t2 has
		// q = (2p-1)/sqrt(2p(1-p)).
		{"t1 0.75", Dist{Mean: 0, Scale: 1, DF: 1}, 0.75, 1},
		{"t1 0.975", Dist{Mean: 0, Scale: 1, DF: 1}, 0.975, math.Tan(math.Pi * 0.475)},
		{"t2 0.975", Dist{Mean: 0, Scale: 1, DF: 2}, 0.975, 0.95 / math.Sqrt(2*0.975*0.025)},
		{"median", Dist{Mean: 5, Scale: 3, DF: 4}, 0.5, 5},
		{"location-scale t10", Dist{Mean: 100, Scale: 10, DF: 10}, 0.975, 100 + 10*2.2281388519862744},
		{"location-scale normal", Dist{Mean: -3, Scale: 0.5, DF: inf}, 0.1, -3 - 0.5*1.2815515655446004},
		{"point mass", Dist{Mean: 7, Scale: 0, DF: 3}, 0.975, 7},
		{"point mass p=0", Dist{Mean: 7, Scale: 0, DF: 3}, 0, 7},
		{"p=0", Dist{Mean: 0, Scale: 1, DF: 10}, 0, math.Inf(-1)},
		{"p=1", Dist{Mean: 0, Scale: 1, DF: 10}, 1, inf},
		{"p out of range", Dist{Mean: 0, Scale: 1, DF: 10}, 1.5, math.NaN()},
		{"p NaN", Dist{Mean: 0, Scale: 1, DF: 10}, math.NaN(), math.NaN()},
		{"negative scale", Dist{Mean: 0, Scale: -1, DF: 10}, 0.5, math.NaN()},
		{"zero DF", Dist{Mean: 0, Scale: 1, DF: 0}, 0.5, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.Quantile(tt.p)
			if !near(got, tt.want, 1e-12) {
				t.Errorf("%+v.Quantile(%v) = %.17g, want %.17g", tt.d, tt.p, got, tt.want)
			}
		})
	}
}

func TestDistCDF(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		d    Dist
		x    float64
		want float64
	}{
		{"t10 at its 0.975 quantile", Dist{Mean: 0, Scale: 1, DF: 10}, 2.2281388519862744, 0.975},
		{"t10 lower tail", Dist{Mean: 0, Scale: 1, DF: 10}, -1.3721836411103356, 0.1},
		{"t1 at 1", Dist{Mean: 0, Scale: 1, DF: 1}, 1, 0.75},
		{"t2 closed form", Dist{Mean: 0, Scale: 1, DF: 2}, 1.5, 0.5 + 1.5/(2*math.Sqrt(2+1.5*1.5))},
		{"normal at 1.96", Dist{Mean: 0, Scale: 1, DF: inf}, 1.9599639845400540, 0.975},
		{"location-scale", Dist{Mean: 100, Scale: 10, DF: 10}, 100 - 13.721836411103356, 0.1},
		{"centre", Dist{Mean: 3, Scale: 2, DF: 7}, 3, 0.5},
		{"point mass below", Dist{Mean: 7, Scale: 0, DF: 3}, 6.999, 0},
		{"point mass at", Dist{Mean: 7, Scale: 0, DF: 3}, 7, 1},
		{"point mass above", Dist{Mean: 7, Scale: 0, DF: inf}, 8, 1},
		{"x NaN", Dist{Mean: 0, Scale: 1, DF: 10}, math.NaN(), math.NaN()},
		{"mean NaN", Dist{Mean: math.NaN(), Scale: 1, DF: 10}, 0, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.CDF(tt.x)
			if !near(got, tt.want, 1e-12) {
				t.Errorf("%+v.CDF(%v) = %.17g, want %.17g", tt.d, tt.x, got, tt.want)
			}
			s := tt.d.Survival(tt.x)
			if !near(s, 1-tt.want, 1e-12) {
				t.Errorf("%+v.Survival(%v) = %.17g, want %.17g", tt.d, tt.x, s, 1-tt.want)
			}
		})
	}
}

// TestDistRoundTrip checks CDF(Quantile(p)) = p across degrees of freedom and
// probabilities, including the far tails PMeet may reach.
func TestDistRoundTrip(t *testing.T) {
	for _, df := range []float64{1, 2, 3, 7, 30, 200, math.Inf(1)} {
		d := Dist{Mean: 123000, Scale: 4500, DF: df}
		for _, p := range []float64{1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999} {
			q := d.Quantile(p)
			if got := d.CDF(q); !near(got, p, 1e-9) {
				t.Errorf("df %v: CDF(Quantile(%v)) = %.12g", df, p, got)
			}
		}
		lo, hi := d.Interval(0.8)
		if !near(d.CDF(lo), 0.1, 1e-9) || !near(d.CDF(hi), 0.9, 1e-9) || !near(d.Mean-lo, hi-d.Mean, 1e-9) {
			t.Errorf("df %v: Interval(0.8) = [%v, %v] not central", df, lo, hi)
		}
	}
}

// near reports whether got equals want to a relative tolerance tol (absolute
// when want is 0); NaN equals NaN and infinities must match exactly.
func near(got, want, tol float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	case want == 0:
		return math.Abs(got) <= tol
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}
