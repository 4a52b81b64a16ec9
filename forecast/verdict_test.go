package forecast

import (
	"errors"
	"math"
	"testing"
)

// fixedFit is a Fitted whose every linear combination of future values has
// the same distribution d: it lets tests choose PMeet exactly.
type fixedFit struct{ d Dist }

func (f fixedFit) Predict(w []float64) Dist { return f.d }
func (f fixedFit) Path(h int) []Dist {
	out := make([]Dist, h)
	for i := range out {
		out[i] = f.d
	}
	return out
}

func TestJudge(t *testing.T) {
	nan := math.NaN()
	year2 := []float64{0, 0, 0, 0, 0, 0, 0, 1}
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	d := Dist{Mean: 120000, Scale: 5000, DF: 10}
	th := DefaultThresholds()
	tests := []struct {
		name      string
		f         Fitted
		m         Measure
		target    float64
		wantP     float64 // NaN: want NaN
		wantS     Status
		projected float64 // NaN: want NaN
	}{
		{"observed, met", nil, Measure{Known: 130000}, 123000, 1, StatusMet, 130000},
		{"observed, met exactly", fixedFit{d}, Measure{Known: 123000, Weights: []float64{0, 0}}, 123000, 1, StatusMet, 123000},
		{"observed, missed", fixedFit{d}, Measure{Known: 100000, Weights: []float64{0, 0, 0}}, 123000, 0, StatusOffTrack, 100000},
		{"monotone, met early", fixedFit{Dist{Mean: 4e8, Scale: 1e8, DF: 8}},
			Measure{Known: 1.6e9, Weights: ones, Monotone: true}, 1.5e9, 1, StatusMet, 2e9},
		{"monotone, met early, no model", nil, Measure{Known: 1.6e9, Weights: ones, Monotone: true}, 1.5e9, 1, StatusMet, nan},
		{"not monotone, above target so far", fixedFit{Dist{Mean: -2e8, Scale: 1e8, DF: 8}},
			Measure{Known: 1.6e9, Weights: ones}, 1.5e9, 1 - d8CDF(1), StatusOffTrack, 1.4e9},
		{"on track", fixedFit{d}, Measure{Weights: year2}, d.Quantile(0.2), 0.8, StatusOnTrack, 120000},
		{"at risk", fixedFit{d}, Measure{Weights: year2}, d.Quantile(0.5), 0.5, StatusAtRisk, 120000},
		{"off track", fixedFit{d}, Measure{Weights: year2}, d.Quantile(0.9), 0.1, StatusOffTrack, 120000},
		{"known shifts the measure", fixedFit{d}, Measure{Known: 5000, Weights: year2}, 125000, 0.5, StatusAtRisk, 125000},
		{"monotone, not yet met", fixedFit{d}, Measure{Known: 60000, Weights: ones, Monotone: true}, 180000, 0.5, StatusAtRisk, 180000},
		{"certain future, reaches target", fixedFit{Dist{Mean: 10, DF: 5}}, Measure{Weights: year2}, 10, 1, StatusOnTrack, 10},
		{"certain future, misses target", fixedFit{Dist{Mean: 10, DF: 5}}, Measure{Weights: year2}, 11, 0, StatusOffTrack, 10},
		{"no model", nil, Measure{Weights: year2}, 123000, nan, StatusUnknown, nan},
		{"NaN target", fixedFit{d}, Measure{Weights: year2}, nan, nan, StatusUnknown, 120000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Judge(tt.f, "test-model", tt.m, tt.target, th)
			if !near(a.PMeet, tt.wantP, 1e-9) || a.Status != tt.wantS {
				t.Errorf("PMeet %v status %q, want %v %q", a.PMeet, a.Status, tt.wantP, tt.wantS)
			}
			if !near(a.Projected, tt.projected, 1e-12) {
				t.Errorf("Projected = %v, want %v", a.Projected, tt.projected)
			}
			if a.Model != "test-model" {
				t.Errorf("Model = %q", a.Model)
			}
			if math.IsNaN(tt.projected) {
				return
			}
			if !(a.Lo95 <= a.Lo80 && a.Lo80 <= a.Projected && a.Projected <= a.Hi80 && a.Hi80 <= a.Hi95) {
				t.Errorf("intervals not ordered: %v <= %v <= %v <= %v <= %v", a.Lo95, a.Lo80, a.Projected, a.Hi80, a.Hi95)
			}
			if tt.m.Monotone && a.Lo95 < tt.m.Known {
				t.Errorf("monotone measure: Lo95 = %v below Known %v", a.Lo95, tt.m.Known)
			}
			future := false
			for _, w := range tt.m.Weights {
				future = future || w != 0
			}
			if !future && (a.Lo95 != tt.m.Known || a.Hi95 != tt.m.Known) {
				t.Errorf("fully observed: 95%% interval [%v, %v], want collapsed on %v", a.Lo95, a.Hi95, tt.m.Known)
			}
		})
	}
}

// d8CDF is the standard t CDF with 8 degrees of freedom.
func d8CDF(x float64) float64 { return Dist{Scale: 1, DF: 8}.CDF(x) }

func TestAssessIntervals(t *testing.T) {
	// The intervals are the measure's quantiles: 80 % is t_{0.9} scale
	// either side, 95 % t_{0.975}.
	d := Dist{Mean: 100, Scale: 10, DF: 10}
	a := Judge(fixedFit{d}, "m", Measure{Known: 1000, Weights: []float64{1}}, 1100, DefaultThresholds())
	want := [4]float64{1100 - 13.721836411103356, 1100 + 13.721836411103356, 1100 - 22.281388519862744, 1100 + 22.281388519862744}
	got := [4]float64{a.Lo80, a.Hi80, a.Lo95, a.Hi95}
	for i := range got {
		if !near(got[i], want[i], 1e-12) {
			t.Errorf("Lo80, Hi80, Lo95, Hi95 = %v, want %v", got, want)
			break
		}
	}
	// A monotone measure whose model allows a fall is clamped at Known.
	a = Judge(fixedFit{Dist{Mean: -5, Scale: 10, DF: 10}}, "m", Measure{Known: 1000, Weights: []float64{1}, Monotone: true}, 2000, DefaultThresholds())
	if a.Projected != 1000 || a.Lo80 != 1000 || a.Lo95 != 1000 || !near(a.Hi95, 995+22.281388519862744, 1e-12) {
		t.Errorf("monotone clamp: %+v", a)
	}
}

func TestThresholds(t *testing.T) {
	th := DefaultThresholds()
	if th.OnTrack != 0.7 || th.AtRisk != 0.3 {
		t.Fatalf("DefaultThresholds() = %+v", th)
	}
	for _, tt := range []struct {
		p    float64
		want Status
	}{
		{1, StatusOnTrack}, {0.7, StatusOnTrack}, {0.6999, StatusAtRisk}, {0.3, StatusAtRisk},
		{0.2999, StatusOffTrack}, {0, StatusOffTrack}, {math.NaN(), StatusUnknown},
	} {
		if got := th.Status(tt.p); got != tt.want {
			t.Errorf("Status(%v) = %q, want %q", tt.p, got, tt.want)
		}
	}
	for _, tt := range []struct {
		th Thresholds
		ok bool
	}{
		{DefaultThresholds(), true},
		{Thresholds{OnTrack: 0.5, AtRisk: 0.5}, true},
		{Thresholds{OnTrack: 0.3, AtRisk: 0.7}, false},
		{Thresholds{OnTrack: 1.2, AtRisk: 0.3}, false},
		{Thresholds{OnTrack: 0.7, AtRisk: -0.1}, false},
		{Thresholds{OnTrack: math.NaN(), AtRisk: 0.3}, false},
	} {
		err := tt.th.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrBadInput)) {
			t.Errorf("%+v.Validate() = %v, want ok=%v", tt.th, err, tt.ok)
		}
	}
}

func TestGrowthRate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		a, b, yrs float64
		want      float64
	}{
		{"jobs 63k to 123k over 5 years", 63000, 123000, 5, math.Pow(123.0/63, 0.2) - 1},
		{"doubling in one year", 10, 20, 1, 1},
		{"doubling in two years", 1, 2, 2, math.Sqrt2 - 1},
		{"flat", 5, 5, 3, 0},
		{"decline", 100, 81, 2, -0.1},
		{"to zero", 100, 0, 4, -1},
		{"half a year", 100, 121, 0.5, 0.4641},
		{"zero start", 0, 5, 1, nan},
		{"negative start", -1, 5, 1, nan},
		{"negative end", 1, -5, 1, nan},
		{"zero years", 1, 2, 0, nan},
		{"NaN", nan, 2, 1, nan},
		{"infinite end", 1, math.Inf(1), 1, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GrowthRate(tt.a, tt.b, tt.yrs)
			if !near(got, tt.want, 1e-12) {
				t.Errorf("GrowthRate(%v, %v, %v) = %.15g, want %.15g", tt.a, tt.b, tt.yrs, got, tt.want)
			}
		})
	}
}
