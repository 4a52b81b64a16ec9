package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// process simulates a series of n values of one kind the automatic model
// must forecast without being told its form. Every process stays positive
// (levels near 1000 with moderate noise), as the sector's series are.
type process struct {
	name   string
	period int
	gen    func(rng *rand.Rand, n int) []float64
}

// calibrationProcesses are plausible shapes for the sector's series: a
// straight line plus noise, a random walk with drift, a damped local trend,
// and a local trend with multiplicative seasonality (quarterly).
var calibrationProcesses = []process{
	{"trend+noise", 1, func(rng *rand.Rand, n int) []float64 {
		a, b, sd := 1000.0, 30+20*rng.NormFloat64(), 10+40*rng.Float64()
		y := make([]float64, n)
		for i := range y {
			y[i] = a + b*float64(i) + sd*rng.NormFloat64()
		}
		return y
	}},
	{"rw-drift", 1, func(rng *rand.Rand, n int) []float64 {
		v, d, sd := 1000.0, 25+15*rng.NormFloat64(), 10+40*rng.Float64()
		y := make([]float64, n)
		for i := range y {
			v += d + sd*rng.NormFloat64()
			y[i] = v
		}
		return y
	}},
	{"damped", 1, func(rng *rand.Rand, n int) []float64 {
		level, slope, phi := 1000.0, 40+20*rng.NormFloat64(), 0.8+0.15*rng.Float64()
		sd := 10 + 30*rng.Float64()
		y := make([]float64, n)
		for i := range y {
			slope = phi*slope + 0.3*sd*rng.NormFloat64()
			level += slope + 0.5*sd*rng.NormFloat64()
			y[i] = level + 0.5*sd*rng.NormFloat64()
		}
		return y
	}},
	{"seasonal", 4, func(rng *rand.Rand, n int) []float64 {
		level, slope, sd := 1000.0, 10+8*rng.NormFloat64(), 5+15*rng.Float64()
		amp := 0.05 + 0.15*rng.Float64()
		idx := [4]float64{1 - amp, 1 + amp/2, 1 - amp/2, 1 + amp}
		y := make([]float64, n)
		for i := range y {
			slope += 0.1 * sd * rng.NormFloat64()
			level += slope + 0.5*sd*rng.NormFloat64()
			y[i] = level*idx[i%4] + sd*rng.NormFloat64()
		}
		return y
	}},
}

// calibrationMeasures are the kinds of target judged: a value one step
// ahead, the value at the horizon (jobs at the end of 2020) and the sum of
// the horizon's last four periods (a year's exports).
var calibrationMeasures = []struct {
	name string
	w    func(h int) []float64
}{
	{"step 1", func(int) []float64 { return []float64{1} }},
	{"horizon", func(h int) []float64 { w := make([]float64, h); w[h-1] = 1; return w }},
	{"sum of last 4", func(h int) []float64 {
		w := make([]float64, h)
		for k := h - 4; k < h; k++ {
			w[k] = 1
		}
		return w
	}},
}

// verdict is one target judged: the probability given and whether the
// target was met, for the automatic model and for the naive baseline.
type verdict struct {
	process, measure int
	p, naive, line   float64
	met              bool
}

// TestPMeetCalibration checks that the automatic model's P(meet) means what
// it says on series whose futures are known: among targets given a
// probability near p, about a fraction p are met. Each draw simulates a
// series from one of several processes (the model is not told which), 12 to
// 40 points long, fits the automatic model on all but the last h points (6
// yearly, 8 quarterly) and judges three measures against targets set from
// the history alone, by a rule that does not depend on the model judged:
// the random walk with drift's projection of the measure moved by
// U(-2.5, 2.5) of its standard deviations (any target set from the history
// keeps a calibrated forecaster calibrated; this one also lets Brier scores
// of different models and versions be compared on the same targets).
//
// Checks: within each fifth of [0, 1] the share of targets met is within
// 0.04 + 3 binomial standard errors of the mean P(meet); the recalibration
// slope (below) is in [0.85, 1.6]; and the Brier score (mean squared
// difference between P(meet) and the 0/1 outcome) beats the climatological
// forecaster (the overall met rate, known in hindsight) and a naive one
// (last value, Gaussian errors with the in-sample standard deviation of
// changes times sqrt(h), no drift, as a spreadsheet would do). The linear
// trend's Brier score (the first release's model) is logged beside them.
func TestPMeetCalibration(t *testing.T) {
	perProcess := 300
	if testing.Short() {
		perProcess = 80
	}
	type job struct{ proc, draw int }
	jobs := make(chan job)
	results := make([][]verdict, len(calibrationProcesses)*perProcess)
	var wg sync.WaitGroup
	var failMu sync.Mutex
	var failures []string
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				// One generator per draw: the results do not depend on
				// which worker runs which draw.
				rng := rand.New(rand.NewPCG(20200101, uint64(j.proc*100000+j.draw)))
				pr := calibrationProcesses[j.proc]
				h := 6
				if pr.period > 1 {
					h = 8
				}
				n := 12 + rng.IntN(29)
				y := pr.gen(rng, n+h)
				fit, err := Auto().Fit(y[:n], pr.period)
				if err != nil {
					failMu.Lock()
					failures = append(failures, fmt.Sprintf("%s draw %d: %v", pr.name, j.draw, err))
					failMu.Unlock()
					continue
				}
				naive := naiveDist(y[:n])
				lfit, err := LinearTrend().Fit(y[:n], pr.period)
				if err != nil {
					t.Error(err)
					continue
				}
				var out []verdict
				for mi, m := range calibrationMeasures {
					w := m.w(h)
					var outcome, sw, drift float64
					for k, wk := range w {
						outcome += wk * y[n+k]
						sw += wk
						drift += wk * float64(k+1) * naive.drift
					}
					// Naive: the measure's mean is sw times the last value;
					// its variance sums random-walk covariances min(i,j).
					var v float64
					for i, wi := range w {
						for k, wk := range w {
							v += wi * wk * float64(min(i, k)+1)
						}
					}
					nd := Dist{Mean: sw * naive.Mean, Scale: naive.Scale * math.Sqrt(v), DF: math.Inf(1)}
					// The target: the random walk with drift's projection
					// moved by U(-2.5, 2.5) of its standard deviations, a
					// rule on the history alone that does not depend on
					// the model judged.
					target := nd.Mean + drift + nd.Scale*(5*rng.Float64()-2.5)
					a := Judge(fit, "auto", Measure{Weights: w}, target, DefaultThresholds())
					out = append(out, verdict{process: j.proc, measure: mi, p: a.PMeet, naive: nd.Survival(target),
						line: lfit.Predict(w).Survival(target), met: outcome >= target})
				}
				results[j.proc*perProcess+j.draw] = out
			}
		}()
	}
	for p := range calibrationProcesses {
		for d := range perProcess {
			jobs <- job{p, d}
		}
	}
	close(jobs)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}

	var all []verdict
	for _, r := range results {
		all = append(all, r...)
	}
	var metRate float64
	for _, v := range all {
		if v.met {
			metRate++
		}
	}
	metRate /= float64(len(all))

	// Calibration by bucket, pooled over processes and measures.
	const nb = 5
	var bk [nb]struct{ n, sumP, met float64 }
	for _, v := range all {
		k := min(int(v.p*nb), nb-1)
		bk[k].n++
		bk[k].sumP += v.p
		if v.met {
			bk[k].met++
		}
	}
	for k, b := range bk {
		if b.n < 50 {
			t.Errorf("P(meet) bucket [%.1f, %.1f) has %v targets, the design should fill it", float64(k)/nb, float64(k+1)/nb, b.n)
			continue
		}
		p, freq := b.sumP/b.n, b.met/b.n
		tol := 0.04 + 3*math.Sqrt(p*(1-p)/b.n)
		msg := fmt.Sprintf("P(meet) in [%.1f, %.1f): %4.0f targets, mean P(meet) %.3f, met %.3f", float64(k)/nb, float64(k+1)/nb, b.n, p, freq)
		t.Log(msg)
		if math.Abs(freq-p) > tol {
			t.Errorf("%s: miscalibrated by more than %.3f", msg, tol)
		}
	}

	// Recalibration slope: the logistic regression of the outcome on
	// logit(P(meet)) has slope 1 for a calibrated forecaster, below 1 for an
	// overconfident one (probabilities too near 0 and 1) and above 1 for an
	// underconfident one. Overconfidence is the dangerous direction ("a
	// wrong answer with a confident interval is worse than none"): the
	// slope must be at least 0.85. The automatic model is somewhat
	// underconfident on these clean processes (its intervals are
	// calibrated on the errors of the whole choice procedure from shorter
	// training sets, which is what holds nominal coverage on real series,
	// M1): the slope must stay below 1.6.
	a0, b1 := logisticFit(all)
	t.Logf("recalibration: logit P(met) = %.3f + %.3f logit(P(meet)) (calibrated: 0 + 1)", a0, b1)
	if b1 < 0.85 || b1 > 1.6 {
		t.Errorf("recalibration slope %.3f, want within [0.85, 1.6]", b1)
	}

	// The same buckets per measure and per process, for the log.
	logBuckets := func(label string, keep func(verdict) bool) {
		var bk [nb]struct{ n, sumP, met float64 }
		for _, v := range all {
			if !keep(v) {
				continue
			}
			k := min(int(v.p*nb), nb-1)
			bk[k].n++
			bk[k].sumP += v.p
			if v.met {
				bk[k].met++
			}
		}
		line := ""
		for _, b := range bk {
			line += fmt.Sprintf("  %.2f→%.2f (%3.0f)", b.sumP/b.n, b.met/b.n, b.n)
		}
		t.Logf("%-14s mean P(meet)→met by fifth:%s", label, line)
	}
	for mi, m := range calibrationMeasures {
		logBuckets(m.name, func(v verdict) bool { return v.measure == mi })
	}
	for pi, pr := range calibrationProcesses {
		logBuckets(pr.name, func(v verdict) bool { return v.process == pi })
	}

	// Brier scores, overall and per process and measure for the log.
	brier := func(keep func(verdict) bool) (model, naive, line, clim float64, n int) {
		for _, v := range all {
			if !keep(v) {
				continue
			}
			o := 0.0
			if v.met {
				o = 1
			}
			model += (v.p - o) * (v.p - o)
			naive += (v.naive - o) * (v.naive - o)
			line += (v.line - o) * (v.line - o)
			clim += (metRate - o) * (metRate - o)
			n++
		}
		return model / float64(n), naive / float64(n), line / float64(n), clim / float64(n), n
	}
	for pi, pr := range calibrationProcesses {
		for mi, m := range calibrationMeasures {
			b, nv, l, c, n := brier(func(v verdict) bool { return v.process == pi && v.measure == mi })
			t.Logf("%-12s %-14s %4d targets: Brier auto %.3f, naive %.3f, linear-trend %.3f, climatology %.3f", pr.name, m.name, n, b, nv, l, c)
		}
	}
	b, nv, l, c, n := brier(func(verdict) bool { return true })
	t.Logf("all %d targets: Brier auto %.3f, naive %.3f, linear-trend %.3f, climatology %.3f (skill vs naive %.2f)", n, b, nv, l, c, 1-b/nv)
	if !(b < nv && b < c) {
		t.Errorf("Brier score %.3f, want below the naive forecaster's %.3f and climatology's %.3f", b, nv, c)
	}
}

// naiveFit is the naive forecaster's one-step distribution (the last value,
// with the sample standard deviation of the series' changes) and the mean
// change, the drift.
type naiveFit struct {
	Dist
	drift float64
}

// naiveDist fits the naive forecaster to y.
func naiveDist(y []float64) naiveFit {
	n := len(y)
	var m, ss float64
	for i := 1; i < n; i++ {
		m += y[i] - y[i-1]
	}
	m /= float64(n - 1)
	for i := 1; i < n; i++ {
		d := y[i] - y[i-1] - m
		ss += d * d
	}
	return naiveFit{Dist{Mean: y[n-1], Scale: math.Sqrt(ss / float64(n-2)), DF: math.Inf(1)}, m}
}

// logisticFit fits P(met) = 1/(1+exp(-(a + b logit(p)))) by Newton's method
// and returns a and b. Probabilities are clamped to [1e-4, 1-1e-4].
func logisticFit(vs []verdict) (a, b float64) {
	b = 1
	for range 50 {
		var ga, gb, haa, hab, hbb float64
		for _, v := range vs {
			p := math.Min(math.Max(v.p, 1e-4), 1-1e-4)
			x := math.Log(p / (1 - p))
			q := 1 / (1 + math.Exp(-(a + b*x)))
			o := 0.0
			if v.met {
				o = 1
			}
			ga += o - q
			gb += (o - q) * x
			w := q * (1 - q)
			haa += w
			hab += w * x
			hbb += w * x * x
		}
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a += da
		b += db
		if math.Abs(da)+math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}
