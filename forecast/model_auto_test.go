package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestMethodsOnExactData(t *testing.T) {
	line := make([]float64, 12)
	expo := make([]float64, 12)
	for i := range line {
		line[i] = 100 + 5*float64(i)
		expo[i] = 100 * math.Pow(1.1, float64(i))
	}
	tests := []struct {
		method string
		y      []float64
		want   func(h int) float64 // step h (1-based)
		tol    float64
	}{
		{"rw-drift", line, func(h int) float64 { return 155 + 5*float64(h) }, 1e-9},
		{"linear-trend", line, func(h int) float64 { return 155 + 5*float64(h) }, 1e-9},
		{"log-linear-trend", expo, func(h int) float64 { return 100 * math.Pow(1.1, float64(11+h)) }, 1e-9},
		// Theta on a line: the mean of the regression line (slope b) and
		// of SES (flat, alpha near 1 on a line), so half the slope.
		{"theta", line, func(h int) float64 { return 155 + 2.5*float64(h) }, 0.01},
		// Damped Holt on a line follows it, damped (phi <= 0.98), so a
		// little below it.
		{"damped", line, func(h int) float64 { return 155 + 5*float64(h) }, 0.04},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			pf, err := methods[methodByName(tt.method)].fit(tt.y, 6)
			if err != nil {
				t.Fatal(err)
			}
			for h := 1; h <= 6; h++ {
				want := tt.want(h)
				if got := pf.fc[h-1]; math.Abs(got-want) > tt.tol*math.Abs(want) {
					t.Errorf("step %d: %v, want %v within %g", h, got, want, tt.tol)
				}
			}
		})
	}
	if _, err := fitLogLinear([]float64{1, 0, 2}, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("log-linear on a zero: %v, want ErrBadInput", err)
	}
}

func TestSeasonalAdjustment(t *testing.T) {
	idx := []float64{0.8, 1.1, 0.9, 1.2}
	y := make([]float64, 24)
	for i := range y {
		y[i] = (1000 + 10*float64(i)) * idx[i%4]
	}
	if !seasonalTest(y, 4) {
		t.Fatal("seasonal test misses a strong seasonal pattern")
	}
	s := decompose(y, 4)
	if !s.mult {
		t.Fatal("positive series: want multiplicative indices")
	}
	for j, want := range idx {
		if got := s.index[j]; math.Abs(got-want) > 0.01 {
			t.Errorf("index %d = %.4f, want %.4f", j, got, want)
		}
	}
	flat := make([]float64, 24)
	for i := range flat {
		flat[i] = 1000 + 10*float64(i)
	}
	// A cross-validation fold estimates its indices on its own points: a
	// pattern that changes after them cannot leak into them.
	changed := slices.Clone(y)
	for i := 12; i < len(changed); i++ {
		changed[i] = (1000 + 10*float64(i)) * idx[(i+1)%4]
	}
	fs, fadj := foldSeasonal(changed[:12], 4, decompose(changed, 4))
	if want := decompose(y[:12], 4); !reflect.DeepEqual(fs, want) || !reflect.DeepEqual(fadj, want.adjust(y[:12], 0)) {
		t.Errorf("fold indices %v, want %v (estimated on the fold alone)", fs.index, want.index)
	}
	if fs, _ := foldSeasonal(y[:12], 4, nil); fs != nil {
		t.Error("fold of a non-seasonal series adjusted")
	}
	if seasonalTest(flat, 4) || seasonalTest(y, 1) || seasonalTest(y[:8], 4) {
		t.Error("seasonal test fires on a line, on yearly data or on two years")
	}
	f, err := Auto().Fit(y, 4)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.(Explained).Reason(); !strings.Contains(r, "seasonal at lag 4") {
		t.Errorf("reason %q does not mention the seasonality", r)
	}
	// The forecast keeps the seasonal pattern: Q1 below Q4.
	p := f.Path(4)
	if !(p[0].Mean < p[3].Mean && p[1].Mean > p[2].Mean) {
		t.Errorf("forecast lost the seasonal pattern: %v %v %v %v", p[0].Mean, p[1].Mean, p[2].Mean, p[3].Mean)
	}
}

// TestAutoFallbacks checks what the automatic model does as series get
// shorter: below what a method needs it leaves it out and says so; below 3
// rolling origins it chooses by AICc; below 3 points it fails. Alone, a
// series with fewer than 20 cross-validation errors has a point forecast
// and no interval; pooled with longer series of its set (Pool needs three
// with errors), it has one.
func TestAutoFallbacks(t *testing.T) {
	y := []float64{10, 12, 13, 15, 18, 19, 22, 24, 25, 28, 30, 31, 35, 36, 39, 41}
	tests := []struct {
		n       int
		reasons []string
		err     error
		alone   bool // an interval alone
	}{
		{2, nil, ErrTooFewPoints, false},
		{3, []string{"too few for 3 rolling origins", "damped left out: needs 6 points, has 3", "theta left out"}, nil, false},
		{5, []string{"lowest AICc", "damped left out"}, nil, false},
		{8, []string{"lowest AICc"}, nil, false},
		{9, []string{"rolling-origin cross-validation over 3 origins"}, nil, false},
		{16, []string{"rolling-origin cross-validation over 10 origins"}, nil, true},
	}
	whole, err := Auto().Fit(y, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		f, err := Auto().Fit(y[:tt.n], 1)
		if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("%d points: error %v, want %v", tt.n, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		r := f.(Explained).Reason()
		for _, want := range tt.reasons {
			if !strings.Contains(r, want) {
				t.Errorf("%d points: reason %q lacks %q", tt.n, r, want)
			}
		}
		for h, d := range f.Path(6) {
			lo, hi := d.Interval(0.8)
			if !isFinite(d.Mean) || d.Quantile(0.5) != d.Mean || d.HasInterval() != tt.alone ||
				(tt.alone && !(lo < d.Mean && d.Mean < hi)) || (!tt.alone && !math.IsNaN(lo)) {
				t.Errorf("%d points alone: step %d: %+v, 80 %% [%v, %v]", tt.n, h+1, d, lo, hi)
			}
		}
		pooled := Pool([]Fitted{f, whole, whole, whole})[0]
		for h, d := range pooled.Path(6) {
			if lo, hi := d.Interval(0.8); !d.HasInterval() || !(0 < lo && lo < d.Mean && d.Mean < hi) {
				t.Errorf("%d points pooled: step %d: %+v, 80 %% [%v, %v]", tt.n, h+1, d, lo, hi)
			}
		}
	}
	if _, err := NewAuto(AutoOptions{Methods: []string{"nosuch"}}).Fit(y, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("unknown method: %v", err)
	}
	if _, err := Auto().Fit([]float64{1, 2, math.NaN(), 4}, 1); !errors.Is(err, ErrBadInput) {
		t.Errorf("NaN: %v", err)
	}
	// Non-positive values: log-linear is left out, errors are scaled by
	// the mean absolute difference; still a forecast.
	// A constant series: a point mass at the constant.
	flat := []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}
	if f, err := Auto().Fit(flat, 4); err != nil {
		t.Errorf("constant series: %v", err)
	} else if d := f.Path(3)[2]; d.Mean != 5 || d.Scale != 0 {
		t.Errorf("constant series: step 3 %+v", d)
	}
	// 200 points, the longest series the package is meant for.
	long := make([]float64, 200)
	for i := range long {
		long[i] = 1000 + 3*float64(i) + 20*math.Sin(float64(i))
	}
	if f, err := Auto().Fit(long, 4); err != nil || !strings.Contains(f.(Explained).Reason(), "over 12 origins") {
		t.Errorf("200 points: %v", err)
	}
	neg := []float64{-5, -3, 0, 2, 1, 4, 6, 5, 8, 9, 12, 11}
	f, err := Auto().Fit(neg, 1)
	if err != nil || !strings.Contains(f.(Explained).Reason(), "log-linear-trend left out") {
		t.Errorf("non-positive series: %v", err)
	}
}

func TestAutoDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	y := make([]float64, 40)
	v := 100.0
	for i := range y {
		v += 1 + rng.NormFloat64()
		y[i] = v * (1 + 0.1*float64(i%4-2))
	}
	a, err := Auto().Fit(y, 4)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Auto().Fit(y, 4)
	if !reflect.DeepEqual(a.Path(12), b.Path(12)) || a.(Explained).Reason() != b.(Explained).Reason() {
		t.Error("two fits of the same series differ")
	}
	// Predict of a single step is that step's Path element; beyond the
	// cached steps the forecasts go on.
	w := make([]float64, 100)
	w[99] = 1
	if d := a.Predict(w); !isFinite(d.Mean) || d.Scale <= a.Path(1)[0].Scale {
		t.Errorf("step 100: %+v", d)
	}
	if d, p := a.Predict([]float64{0, 0, 1}), a.Path(3)[2]; d != p {
		t.Errorf("Predict(step 3) %+v, Path %+v", d, p)
	}
}

// TestAutoCoverage simulates series the automatic model does not know the
// form of (local linear trends with noise, yearly; and seasonal ones,
// quarterly), forecasts them as one set (their intervals pooled) and checks that its 80 % and 95 % intervals,
// and those of the sum of the last four steps, hold about 80 % and 95 % of
// the outcomes. The tolerance (±5 and ±4 points) allows for the few hundred
// series the test can afford.
func TestAutoCoverage(t *testing.T) {
	draws := 300
	if testing.Short() {
		draws = 100
	}
	for _, tc := range []struct {
		name   string
		period int
		h      int
	}{{"yearly", 1, 6}, {"quarterly", 4, 8}} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2016, uint64(tc.period)))
			var in80, in95, sum80, sum95, pts int
			var ys [][]float64
			var ns []int
			var fits []Fitted
			for range draws {
				n := 12 + rng.IntN(30)
				level, slope := 1000.0, 20*rng.NormFloat64()+30
				sd := 5 + 40*rng.Float64()
				amp := 0.0
				if tc.period > 1 && rng.IntN(2) == 0 {
					amp = 0.15
				}
				y := make([]float64, n+tc.h)
				for i := range y {
					slope += 0.2 * sd * rng.NormFloat64()
					level += slope + 0.5*sd*rng.NormFloat64()
					y[i] = level*(1+amp*math.Sin(math.Pi*float64(i)/2)) + sd*rng.NormFloat64()
				}
				f, err := Auto().Fit(y[:n], tc.period)
				if err != nil {
					t.Fatal(err)
				}
				ys, ns, fits = append(ys, y), append(ns, n), append(fits, f)
			}
			// The series are one set, as a file's: their intervals are
			// pooled.
			for i, f := range Pool(fits) {
				y, n := ys[i], ns[i]
				for k, d := range f.Path(tc.h) {
					v := y[n+k]
					if lo, hi := d.Interval(0.8); lo <= v && v <= hi {
						in80++
					}
					if lo, hi := d.Interval(0.95); lo <= v && v <= hi {
						in95++
					}
					pts++
				}
				w := make([]float64, tc.h)
				var s float64
				for k := tc.h - 4; k < tc.h; k++ {
					w[k] = 1
					s += y[n+k]
				}
				d := f.Predict(w)
				if lo, hi := d.Interval(0.8); lo <= s && s <= hi {
					sum80++
				}
				if lo, hi := d.Interval(0.95); lo <= s && s <= hi {
					sum95++
				}
			}
			c80, c95 := 100*float64(in80)/float64(pts), 100*float64(in95)/float64(pts)
			s80, s95 := 100*float64(sum80)/float64(draws), 100*float64(sum95)/float64(draws)
			t.Logf("coverage over %d series: steps 80%% %.1f, 95%% %.1f; sums of 4 steps 80%% %.1f, 95%% %.1f", draws, c80, c95, s80, s95)
			if math.Abs(c80-80) > 5 || math.Abs(c95-95) > 4 {
				t.Errorf("step coverage %.1f %% and %.1f %%, want 80 ± 5 and 95 ± 4", c80, c95)
			}
			if math.Abs(s80-80) > 8 || math.Abs(s95-95) > 6 {
				t.Errorf("sum coverage %.1f %% and %.1f %%, want 80 ± 8 and 95 ± 6", s80, s95)
			}
		})
	}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"auto", "linear-trend", "rw-drift", "log-linear-trend", "theta", "damped"} {
		m, err := ByName(name)
		if err != nil || m.Name() != name {
			t.Errorf("ByName(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := ByName("arima"); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "auto") {
		t.Errorf("ByName(arima): %v", err)
	}
}

func TestReconcile(t *testing.T) {
	total := Dist{Mean: 110, Scale: 2, DF: 10}
	parts := []Dist{{Mean: 50, Scale: 1, DF: 10}, {Mean: 40, Scale: 3, DF: 10}, {Mean: 5, Scale: 0, DF: 10}}
	rt, rp := Reconcile(total, parts)
	sum := 0.0
	for _, p := range rp {
		sum += p.Mean
	}
	// Incoherence 15 shared in proportion to variances 4, 1, 9, 0 (V=14).
	if math.Abs(rt.Mean-sum) > 1e-12 || math.Abs(rt.Mean-(110-15*4.0/14)) > 1e-12 ||
		math.Abs(rp[1].Mean-(40+15*9.0/14)) > 1e-12 || rp[2].Mean != 5 || parts[0].Mean != 50 {
		t.Errorf("reconciled %+v %+v", rt, rp)
	}
	if rt.Scale != total.Scale || rp[1].Scale != parts[1].Scale {
		t.Error("reconciliation changed the scales")
	}
	bad, _ := Reconcile(Dist{Mean: math.NaN(), Scale: 1, DF: 1}, parts)
	if !math.IsNaN(bad.Mean) {
		t.Error("invalid total reconciled")
	}
}
