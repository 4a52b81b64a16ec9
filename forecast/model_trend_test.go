package forecast

import (
	"errors"
	"math"
	"testing"
)

func TestLinearTrendErrors(t *testing.T) {
	tests := []struct {
		name   string
		y      []float64
		period int
		want   error
	}{
		{"empty", nil, 4, ErrTooFewPoints},
		{"one point", []float64{1}, 4, ErrTooFewPoints},
		{"two points", []float64{1, 2}, 1, ErrTooFewPoints},
		{"NaN", []float64{1, 2, math.NaN(), 4}, 4, ErrBadInput},
		{"+Inf", []float64{1, 2, 3, math.Inf(1)}, 4, ErrBadInput},
		{"NaN and too short", []float64{math.NaN()}, 4, ErrBadInput},
		{"period 0", []float64{1, 2, 3, 4}, 0, ErrBadInput},
		{"negative period", []float64{1, 2, 3, 4}, -4, ErrBadInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LinearTrend().Fit(tt.y, tt.period)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Fit error = %v, want %v", err, tt.want)
			}
			if f != nil {
				t.Errorf("Fit returned a model along with error %v", err)
			}
		})
	}
	if _, err := LinearTrend().Fit([]float64{1, 2, 4}, 4); err != nil {
		t.Errorf("three points: %v, want a fit", err)
	}
}

// TestLinearTrendPredict checks Predict against the textbook formulas for a
// straight line: a, b from Sxy/Sxx and
// Var(L - L-hat) = s^2 ((sum w)^2/n + (sum w_h (t_h - tbar))^2/Sxx + sum w^2).
func TestLinearTrendPredict(t *testing.T) {
	tests := []struct {
		name string
		y    []float64
		w    []float64
	}{
		{"point 1 step", []float64{10, 12, 11, 15, 16, 18}, []float64{1}},
		{"point 8 steps", []float64{10, 12, 11, 15, 16, 18}, []float64{0, 0, 0, 0, 0, 0, 0, 1}},
		{"year sum", []float64{10, 12, 11, 15, 16, 18, 17, 21}, []float64{0, 0, 0, 0, 1, 1, 1, 1}},
		{"mixed weights", []float64{3, -1, 4, 1, -5, 9, 2, 6, 5}, []float64{0.5, 0, 2, -1}},
		{"three points", []float64{100, 90, 130}, []float64{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := LinearTrend().Fit(tt.y, 4)
			if err != nil {
				t.Fatal(err)
			}
			n := float64(len(tt.y))
			tbar := (n - 1) / 2
			var ybar, sxx, sxy float64
			for _, v := range tt.y {
				ybar += v / n
			}
			for i, v := range tt.y {
				sxx += (float64(i) - tbar) * (float64(i) - tbar)
				sxy += (float64(i) - tbar) * (v - ybar)
			}
			b := sxy / sxx
			a := ybar - b*tbar
			var rss float64
			for i, v := range tt.y {
				e := v - a - b*float64(i)
				rss += e * e
			}
			s2 := rss / (n - 2)
			var mean, sw, swd, ww float64
			for h, wh := range tt.w {
				th := n + float64(h)
				mean += wh * (a + b*th)
				sw += wh
				swd += wh * (th - tbar)
				ww += wh * wh
			}
			want := Dist{Mean: mean, Scale: math.Sqrt(s2 * (sw*sw/n + swd*swd/sxx + ww)), DF: n - 2}

			got := f.Predict(tt.w)
			if !near(got.Mean, want.Mean, 1e-12) || !near(got.Scale, want.Scale, 1e-12) || got.DF != want.DF {
				t.Errorf("Predict(%v) = %+v, want %+v", tt.w, got, want)
			}

			// The mean of a combination is the combination of the Path means.
			path := f.Path(len(tt.w))
			if len(path) != len(tt.w) {
				t.Fatalf("Path(%d) has %d values", len(tt.w), len(path))
			}
			var pathMean float64
			for h, d := range path {
				pathMean += tt.w[h] * d.Mean
				single := make([]float64, h+1)
				single[h] = 1
				if p := f.Predict(single); p != d {
					t.Errorf("Path[%d] = %+v, Predict(e_%d) = %+v", h, d, h, p)
				}
			}
			if !near(pathMean, got.Mean, 1e-12) {
				t.Errorf("sum of w*Path means = %.15g, Predict mean = %.15g", pathMean, got.Mean)
			}
		})
	}
}

func TestLinearTrendExactLine(t *testing.T) {
	// A noiseless line: sigma is 0 and predictions are point masses on the
	// line's continuation.
	y := []float64{3, 5, 7, 9, 11}
	f, err := LinearTrend().Fit(y, 1)
	if err != nil {
		t.Fatal(err)
	}
	for h, d := range f.Path(3) {
		want := 13 + 2*float64(h)
		if d.Mean != want || d.Scale != 0 {
			t.Errorf("Path[%d] = %+v, want a point mass at %v", h, d, want)
		}
	}
	if d := f.Predict([]float64{1, 1, 1, 1}); d.Mean != 13+15+17+19 || d.Scale != 0 {
		t.Errorf("Predict(sum of 4) = %+v, want a point mass at 64", d)
	}
}

func TestLinearTrendEdges(t *testing.T) {
	f, err := LinearTrend().Fit([]float64{1, 3, 2, 5}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Path(0); got != nil {
		t.Errorf("Path(0) = %v, want nil", got)
	}
	for _, w := range [][]float64{nil, {}, {0, 0, 0}} {
		if d := f.Predict(w); d.Mean != 0 || d.Scale != 0 {
			t.Errorf("Predict(%v) = %+v, want a point mass at 0", w, d)
		}
	}
	// Uncertainty grows with the horizon.
	path := f.Path(8)
	for h := 1; h < len(path); h++ {
		if path[h].Scale <= path[h-1].Scale {
			t.Errorf("Scale at step %d (%v) not above step %d (%v)", h+1, path[h].Scale, h, path[h-1].Scale)
		}
	}
	if name := LinearTrend().Name(); name != "linear-trend" {
		t.Errorf("Name() = %q", name)
	}
}

// BenchmarkLinearTrend fits 10 years of quarters and predicts a year's sum.
func BenchmarkLinearTrend(b *testing.B) {
	y := make([]float64, 40)
	for i := range y {
		y[i] = 60000 + 1500*float64(i) + float64(i%7)*300
	}
	w := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	b.ReportAllocs()
	for b.Loop() {
		f, err := LinearTrend().Fit(y, 4)
		if err != nil {
			b.Fatal(err)
		}
		_ = f.Predict(w)
	}
}
