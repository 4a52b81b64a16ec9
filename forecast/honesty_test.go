package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLinearTrendHonesty simulates series that truly are a line plus Gaussian
// noise and checks that the linear trend's probabilities mean what they say:
// 80 % and 95 % intervals hold about 80 % and 95 % of the outcomes, and
// targets given probability p of being met are met about a fraction p of the
// time.
//
// Each draw takes a random length (8 to 40 quarters, or 4 to 6), intercept, slope and
// noise level, and a target independent of the data: the true expected value
// of the measure plus a uniform offset of up to ±3 standard deviations of the
// forecast error (noise and parameter uncertainty; it depends on the design,
// not on the data). Calibration within buckets is exact only when the target
// is spread evenly around the truth on a scale wider than the forecast error
// (then the t predictive is the posterior under flat priors); targets
// crowded close to the truth would make low PMeet too low and high PMeet
// too high. ±3 is wide enough for the tolerance used here and fills every
// bucket.
func TestLinearTrendHonesty(t *testing.T) {
	const draws = 4000
	measures := []struct {
		name       string
		w          []float64
		nMin, nMax int // series length drawn uniformly in [nMin, nMax]
	}{
		{"next quarter", []float64{1}, 8, 40},
		{"end of year 2", []float64{0, 0, 0, 0, 0, 0, 0, 1}, 8, 40},
		{"sum of year 2", []float64{0, 0, 0, 0, 1, 1, 1, 1}, 8, 40},
		// Few degrees of freedom: a normal instead of a t would fail here.
		{"short series, year 2", []float64{0, 0, 0, 1}, 4, 6},
	}
	for i, m := range measures {
		t.Run(m.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(20160505, uint64(i)))
			var in80, in95 int
			var buckets [5]struct {
				n            int
				sumP, hits   float64
				lo, hi       float64
				meanP, freqM float64
			}
			for range draws {
				n := m.nMin + rng.IntN(m.nMax-m.nMin+1)
				a := 50000 + 20000*rng.Float64()
				b := 1000 * rng.NormFloat64()
				sigma := 500 * math.Exp(rng.NormFloat64())
				y := make([]float64, n+len(m.w))
				for k := range y {
					y[k] = a + b*float64(k) + sigma*rng.NormFloat64()
				}
				// True sd of the forecast error: sigma^2 times
				// (sum w)^2/n + (sum w_h (t_h - tbar))^2/Sxx + sum w^2.
				tbar := float64(n-1) / 2
				sxx := float64(n) * float64(n*n-1) / 12
				var truth, sw, swd, ww, outcome float64
				for h, wh := range m.w {
					th := float64(n + h)
					truth += wh * (a + b*th)
					sw += wh
					swd += wh * (th - tbar)
					ww += wh * wh
					outcome += wh * y[n+h]
				}
				errSD := sigma * math.Sqrt(sw*sw/float64(n)+swd*swd/sxx+ww)
				target := truth + errSD*(6*rng.Float64()-3)

				f, err := LinearTrend().Fit(y[:n], 4)
				if err != nil {
					t.Fatal(err)
				}
				as := Judge(f, "linear-trend", Measure{Weights: m.w}, target, DefaultThresholds())
				if as.Lo80 <= outcome && outcome <= as.Hi80 {
					in80++
				}
				if as.Lo95 <= outcome && outcome <= as.Hi95 {
					in95++
				}
				k := min(int(as.PMeet*5), 4)
				buckets[k].n++
				buckets[k].sumP += as.PMeet
				if outcome >= target {
					buckets[k].hits++
				}
			}

			cov80 := 100 * float64(in80) / draws
			cov95 := 100 * float64(in95) / draws
			t.Logf("coverage: 80%% interval %.1f%%, 95%% interval %.1f%% over %d draws", cov80, cov95, draws)
			if math.Abs(cov80-80) > 3 {
				t.Errorf("80%% interval covers %.1f%% of outcomes, want 80 ± 3", cov80)
			}
			if math.Abs(cov95-95) > 2 {
				t.Errorf("95%% interval covers %.1f%% of outcomes, want 95 ± 2", cov95)
			}

			// Calibration: within each PMeet bucket the share of targets met is
			// the bucket's mean PMeet, up to binomial noise (3.5 standard errors)
			// and 0.02.
			for k, bk := range buckets {
				if bk.n < 50 {
					t.Errorf("PMeet bucket %d has %d draws, the test design should fill it", k, bk.n)
					continue
				}
				p := bk.sumP / float64(bk.n)
				freq := bk.hits / float64(bk.n)
				tol := 0.02 + 3.5*math.Sqrt(p*(1-p)/float64(bk.n))
				msg := fmt.Sprintf("PMeet in [%.1f, %.1f): %4d draws, mean PMeet %.3f, met %.3f",
					float64(k)/5, float64(k+1)/5, bk.n, p, freq)
				t.Log(msg)
				if math.Abs(freq-p) > tol {
					t.Errorf("%s: miscalibrated by more than %.3f", msg, tol)
				}
			}
		})
	}
}
