package forecast

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// etsM1Dir is the shared M1 data, relative to this package's folder.
var etsM1Dir = filepath.Join("..", "..", "shared", "data", "m1")

// m1Series is one M1 series for the ETS accuracy check.
type m1Series struct {
	id              string
	history, future []float64
}

// readM1Long reads a series_id,period,value file, series in order of first
// appearance (the bench package reads these too, but imports forecast).
func readM1Long(t testing.TB, name string) (map[string][]float64, []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(etsM1Dir, name))
	if err != nil {
		t.Skipf("M1 data not found: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	m := map[string][]float64{}
	var order []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := m[rec[0]]; !ok {
			order = append(order, rec[0])
		}
		m[rec[0]] = append(m[rec[0]], v)
	}
	return m, order
}

// readM1 returns the M1 series whose id starts with prefix ("Y", "Q" or
// "M"), from the yearly-and-quarterly files or the monthly ones.
func readM1(t testing.TB, prefix string) []m1Series {
	hname, fname := "m1_history.csv", "m1_future.csv"
	if prefix == "M" {
		hname, fname = "m1_monthly_history.csv", "m1_monthly_future.csv"
	}
	hist, order := readM1Long(t, hname)
	fut, _ := readM1Long(t, fname)
	var out []m1Series
	for _, id := range order {
		if strings.HasPrefix(id, prefix) {
			out = append(out, m1Series{id: id, history: hist[id], future: fut[id]})
		}
	}
	return out
}

// etsM1SMAPE runs selectETS on every series and returns the sMAPE (mean
// over series of the mean over steps of 200|y-f|/(|y|+|f|)), the number of
// series it could not fit (forecast by the last value) and the forms
// chosen.
func etsM1SMAPE(t testing.TB, ss []m1Series, period int) (smape float64, failed int, forms map[string]int) {
	forms = map[string]int{}
	for _, s := range ss {
		h := len(s.future)
		spec, pf, err := selectETS(s.history, period, h)
		fc := pf.fc
		if err != nil {
			failed++
			fc = make([]float64, h)
			for i := range fc {
				fc[i] = s.history[len(s.history)-1]
			}
		} else {
			forms[spec.String()]++
		}
		var e float64
		for i, v := range s.future {
			if d := math.Abs(v) + math.Abs(fc[i]); d > 0 {
				e += 200 * math.Abs(v-fc[i]) / d
			}
		}
		smape += e / float64(h)
	}
	return smape / float64(len(ss)), failed, forms
}

// TestETSM1 checks selectETS's accuracy on the M1 competition against R's
// forecast::ets (sMAPE 18.61 yearly, 17.46 quarterly, 14.97 monthly; see
// ../shared/data/README.md): a faithful implementation lands within about
// a point of each.
func TestETSM1(t *testing.T) {
	for _, c := range []struct {
		prefix string
		period int
		r      float64 // R's sMAPE
	}{{"Y", 1, 18.61}, {"Q", 4, 17.46}, {"M", 12, 14.97}} {
		t.Run(c.prefix, func(t *testing.T) {
			ss := readM1(t, c.prefix)
			start := time.Now()
			smape, failed, forms := etsM1SMAPE(t, ss, c.period)
			t.Logf("%d series: sMAPE %.2f (R %.2f), %d failed, %s; forms %v", len(ss), smape, c.r, failed, time.Since(start).Round(time.Millisecond), forms)
			if failed > 0 {
				t.Errorf("%d series could not be fitted", failed)
			}
			if math.Abs(smape-c.r) > 1 {
				t.Errorf("sMAPE %.2f, R's ets %.2f: more than a point apart", smape, c.r)
			}
		})
	}
}

// etsQuarterly is a deterministic 40-quarter series with trend,
// multiplicative seasonality and noise: the engine's typical input.
func etsQuarterly() []float64 {
	rng := rand.New(rand.NewPCG(4, 40))
	y := make([]float64, 40)
	level := 1000.0
	for t := range y {
		level += 12 + 15*rng.NormFloat64()
		y[t] = level * (1 + 0.1*float64(t%4-1)) * (1 + 0.02*rng.NormFloat64())
	}
	return y
}

// BenchmarkETSSelect is selectETS on a 40-point quarterly series: all 15
// forms fitted, the best by AICc.
func BenchmarkETSSelect(b *testing.B) {
	y := etsQuarterly()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := selectETS(y, 4, 8); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkETSFit is one form refitted on the same series, as the
// automatic model's rolling origins do.
func BenchmarkETSFit(b *testing.B) {
	y := etsQuarterly()
	for _, s := range []etsSpec{{false, trendN, seasonN}, {true, trendAd, seasonN}, {true, trendA, seasonM}, {true, trendAd, seasonM}} {
		b.Run(s.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.fit(y, 4, 8); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// rETSCalc is R's etscalc (forecast package, etscalc.c), transcribed
// literally: the states are x = (l, b, s_0..s_{m-1}) with s_{m-1} the
// season of the next observation, the one-step forecast and update are R's
// forecast() and update(), and lik is R's n*log(sum e^2) (+2 sum log|f|).
// It is the reference the restated recursion in etsWork.run is checked on.
func rETSCalc(y []float64, m int, l, b float64, s []float64, spec etsSpec, alpha, beta, gamma, phi float64) (lik, sse, lf, bf float64, sf []float64) {
	const tol, huge = 1e-10, 1e10
	trend := spec.trend != trendN
	if spec.trend != trendAd {
		phi = 1
	}
	s = append([]float64(nil), s...)
	olds := make([]float64, m)
	var lik2 float64
	for _, v := range y {
		oldl, oldb := l, b
		copy(olds, s)
		f := oldl
		if trend {
			f = oldl + phi*oldb
		}
		switch spec.season {
		case seasonA:
			f += olds[m-1]
		case seasonM:
			f *= olds[m-1]
		}
		e := v - f
		if spec.mulErr {
			e = (v - f) / f
		}
		sse += (v - f) * (v - f)
		lik += e * e
		lik2 += math.Log(math.Abs(f))
		// update()
		q, phib := oldl, 0.0
		if trend {
			phib = phi * oldb
			q = oldl + phib
		}
		p := v
		switch spec.season {
		case seasonA:
			p = v - olds[m-1]
		case seasonM:
			if math.Abs(olds[m-1]) < tol {
				p = huge
			} else {
				p = v / olds[m-1]
			}
		}
		l = q + alpha*(p-q)
		if trend {
			r := l - oldl
			b = phib + (beta/alpha)*(r-phib)
		}
		if spec.season != seasonN {
			var t float64
			if spec.season == seasonA {
				t = v - q
			} else if math.Abs(q) < tol {
				t = huge
			} else {
				t = v / q
			}
			s[0] = olds[m-1] + gamma*(t-olds[m-1])
			for j := 1; j < m; j++ {
				s[j] = olds[j-1]
			}
		}
	}
	lik = float64(len(y)) * math.Log(lik)
	if spec.mulErr {
		lik += 2 * lik2
	}
	return lik, sse, l, b, s
}

// positiveSeries returns n positive quarterly values with trend and
// seasonality.
func positiveSeries(seed uint64, n int) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	y := make([]float64, n)
	level := 50.0
	for t := range y {
		level += 0.5 + rng.NormFloat64()
		y[t] = level*(1+0.15*math.Sin(float64(t)*math.Pi/2)) + rng.NormFloat64()
	}
	return y
}

// TestETSRunMatchesR checks the restated recursion against R's, for every
// form, on random parameters and states: same likelihood, squared errors
// and final states.
func TestETSRunMatchesR(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	y := positiveSeries(3, 30)
	ys, scale, positive, err := etsPrepare(y)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range etsForms {
		w, err := newETSWork(spec, ys, scale, positive, 4)
		if err != nil {
			t.Fatal(err)
		}
		for trial := range 5 {
			x := w.start()
			for i := range x {
				x[i] += 0.3 * rng.NormFloat64()
			}
			p := w.unpack(x)
			m := w.m
			rs := make([]float64, m) // R's order: s[m-1] is time 1's
			for k := range m {
				rs[m-1-k] = w.ring[k]
			}
			wantLik, wantSSE, wantL, wantB, wantS := rETSCalc(ys, m, p.l, p.b, rs, spec, p.alpha, p.beta, p.gamma, p.phi)
			lik, sse, l, b, pos := w.run(p)
			close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
			if !close(lik, wantLik) || !close(sse, wantSSE) || !close(l, wantL) || !close(b, wantB) {
				t.Errorf("%s trial %d: lik %v sse %v l %v b %v, R's %v %v %v %v", spec, trial, lik, sse, l, b, wantLik, wantSSE, wantL, wantB)
			}
			if spec.season != seasonN {
				for k := range m {
					if got, want := w.ring[(pos+k)%m], wantS[m-1-k]; !close(got, want) {
						t.Errorf("%s trial %d: seasonal state of time n+%d %v, R's %v", spec, trial, k+1, got, want)
					}
				}
			}
		}
	}
}

// etsSimulate draws n values from an ETS process with R's recursion:
// Gaussian errors of standard deviation sigma, added (y = f + e) or
// relative (y = f (1 + e)). s holds the seasonal states of times 1..m.
func etsSimulate(rng *rand.Rand, spec etsSpec, n int, alpha, beta, gamma, phi, l, b float64, s []float64, sigma float64) []float64 {
	m := max(len(s), 1)
	ring := append([]float64(nil), s...)
	if spec.trend != trendAd {
		phi = 1
	}
	y := make([]float64, n)
	for t := range y {
		q := l + phi*b
		if spec.trend == trendN {
			q = l
		}
		f, sj := q, 0.0
		switch spec.season {
		case seasonA:
			sj = ring[t%m]
			f = q + sj
		case seasonM:
			sj = ring[t%m]
			f = q * sj
		}
		e := sigma * rng.NormFloat64()
		v := f + e
		if spec.mulErr {
			v = f * (1 + e)
		}
		y[t] = v
		p := v
		switch spec.season {
		case seasonA:
			p = v - sj
		case seasonM:
			p = v / sj
		}
		nl := q + alpha*(p-q)
		if spec.trend != trendN {
			b = phi*b + beta*(p-q)
		}
		switch spec.season {
		case seasonA:
			ring[t%m] = sj + gamma*(v-q-sj)
		case seasonM:
			ring[t%m] = sj + gamma*(v/q-sj)
		}
		l = nl
	}
	return y
}

// TestETSRecovers simulates known ETS processes and checks that selectETS
// finds their trend and seasonal components (trend or not, the seasonal
// type) most of the time, and that the fitted alpha of the true form is
// near the truth. Over 100 series of 80 quarters each, the components are
// found in 76, 90, 96, 73 and 95 % of them (A,N,A is often taken for
// M,N,A or M,N,M: on a flat level the two seasonalities look alike); the
// error type, which only the scale of the noise tells apart, in about half.
func TestETSRecovers(t *testing.T) {
	seas := []float64{0.8, 1.05, 1.25, 0.9}
	seasA := []float64{-20, 5, 25, -10}
	for _, c := range []struct {
		spec                    etsSpec
		alpha, beta, gamma, phi float64
		l, b                    float64
		s                       []float64
		sigma                   float64
		alphaLo, alphaHi        float64
	}{
		{etsSpec{false, trendN, seasonN}, 0.3, 0, 0, 0, 100, 0, nil, 2, 0.1, 0.6},
		{etsSpec{true, trendN, seasonN}, 0.6, 0, 0, 0, 100, 0, nil, 0.03, 0.35, 0.9},
		{etsSpec{false, trendA, seasonN}, 0.5, 0.15, 0, 0, 100, 3, nil, 2, 0.25, 0.8},
		{etsSpec{false, trendN, seasonA}, 0.2, 0, 0.1, 0, 200, 0, seasA, 3, 0.05, 0.45},
		{etsSpec{true, trendA, seasonM}, 0.3, 0.05, 0.1, 0, 200, 2, seas, 0.02, 0.1, 0.6},
	} {
		t.Run(c.spec.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(c.spec.trend)*10+uint64(c.spec.season)))
			hits, alphaIn := 0, 0
			var got []string
			for range 20 {
				y := etsSimulate(rng, c.spec, 80, c.alpha, c.beta, c.gamma, c.phi, c.l, c.b, c.s, c.sigma)
				spec, pf, err := selectETS(y, 4, 8)
				if err != nil {
					t.Fatal(err)
				}
				if len(pf.fc) != 8 || !allFinite(pf.fc) {
					t.Fatalf("forecasts %v", pf.fc)
				}
				got = append(got, spec.String())
				trendOK := (spec.trend == trendN) == (c.spec.trend == trendN)
				if trendOK && spec.season == c.spec.season {
					hits++
				}
				r, err := etsFitRaw(c.spec, y, 4)
				if err != nil {
					t.Fatal(err)
				}
				if r.p.alpha >= c.alphaLo && r.p.alpha <= c.alphaHi {
					alphaIn++
				}
			}
			if hits < 12 {
				t.Errorf("components found in %d of 20 series, want at least 12: %v", hits, got)
			}
			if alphaIn < 15 {
				t.Errorf("alpha in [%v, %v] in %d of 20 fits of the true form, want at least 15", c.alphaLo, c.alphaHi, alphaIn)
			}
		})
	}
}

// etsFitRaw fits one form and returns its parameters.
func etsFitRaw(spec etsSpec, y []float64, period int) (*etsResult, error) {
	ys, scale, positive, err := etsPrepare(y)
	if err != nil {
		return nil, err
	}
	return etsFit(spec, ys, scale, positive, period)
}

// TestETSANNIsSES checks ETS(A,N,N) against simple exponential smoothing:
// with the same alpha and initial level the recursion gives SES's level
// and squared errors, and the fitted form forecasts what SES with the
// least-squares alpha and initial level does (found here independently: a
// golden-section search on alpha, the initial level by least squares).
func TestETSANNIsSES(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := range 5 {
		y := make([]float64, 30+10*trial)
		level := 100.0
		for i := range y {
			level += 3 * rng.NormFloat64()
			y[i] = level + 4*rng.NormFloat64()
		}
		spec := etsSpec{false, trendN, seasonN}
		ys, scale, positive, err := etsPrepare(y)
		if err != nil {
			t.Fatal(err)
		}
		w, err := newETSWork(spec, ys, scale, positive, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, alpha := range []float64{0.05, 0.3, 0.9} {
			_, sse, l, _, _ := w.run(etsParams{alpha: alpha, l: ys[0]})
			sl, ssse := ses(ys, alpha)
			if math.Abs(l-sl) > 1e-12 || math.Abs(sse-ssse) > 1e-12*ssse {
				t.Errorf("trial %d alpha %v: level %v sse %v, SES %v %v", trial, alpha, l, sse, sl, ssse)
			}
		}

		// SES's least squares fit: for a given alpha the errors are
		// affine in the initial level l0 (e_t = e0_t - (1-alpha)^t l0).
		best := func(alpha float64) (sse, final float64) {
			e0 := make([]float64, len(y))
			a := make([]float64, len(y))
			q, at := 0.0, 1.0
			for i, v := range y {
				e0[i], a[i] = v-q, at
				q += alpha * (v - q)
				at *= 1 - alpha
			}
			var num, den float64
			for i := range y {
				num += e0[i] * a[i]
				den += a[i] * a[i]
			}
			l0 := num / den
			for i := range y {
				e := e0[i] - a[i]*l0
				sse += e * e
			}
			return sse, q + at*l0
		}
		alpha := golden(func(a float64) float64 { s, _ := best(a); return s }, 1e-4, 0.9999)
		_, want := best(alpha)
		pf, err := spec.fit(y, 1, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range pf.fc {
			if math.Abs(f-want) > 0.05 {
				t.Errorf("trial %d: ETS(A,N,N) forecasts %v, least squares SES %v (alpha %.4f)", trial, pf.fc, want, alpha)
				break
			}
		}
	}
}

// TestETSDampedToHolt checks the damped trend against Holt's linear method
// (the package's holt, whose beta is R's beta/alpha): with phi = 1 the
// undamped form is Holt's exactly, and as phi nears 1 the damped form's
// states and forecasts approach it.
func TestETSDampedToHolt(t *testing.T) {
	y := positiveSeries(9, 40)
	ys, scale, positive, err := etsPrepare(y)
	if err != nil {
		t.Fatal(err)
	}
	const alpha, beta, l0, b0 = 0.4, 0.1, 0.8, 0.01
	hl, hb, hsse := holt(ys, alpha, beta/alpha, 1, l0, b0)

	holtW, err := newETSWork(etsSpec{false, trendA, seasonN}, ys, scale, positive, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, sse, l, b, _ := holtW.run(etsParams{alpha: alpha, beta: beta, l: l0, b: b0})
	if math.Abs(l-hl) > 1e-12 || math.Abs(b-hb) > 1e-12 || math.Abs(sse-hsse) > 1e-12*hsse {
		t.Errorf("ETS(A,A,N): level %v slope %v sse %v, Holt's %v %v %v", l, b, sse, hl, hb, hsse)
	}
	holtFc := (&etsResult{spec: holtW.spec, p: etsParams{phi: 1}, l: l, b: b, w: holtW}).mustForecast(t, 8)

	dampW, err := newETSWork(etsSpec{false, trendAd, seasonN}, ys, scale, positive, 1)
	if err != nil {
		t.Fatal(err)
	}
	prevGap := math.Inf(1)
	for _, phi := range []float64{0.9, 0.99, 0.999, 1 - 1e-9} {
		p := etsParams{alpha: alpha, beta: beta, phi: phi, l: l0, b: b0}
		_, _, l, b, _ := dampW.run(p)
		fc := (&etsResult{spec: dampW.spec, p: p, l: l, b: b, w: dampW}).mustForecast(t, 8)
		var gap float64
		for i := range fc {
			gap = math.Max(gap, math.Abs(fc[i]-holtFc[i])/math.Abs(holtFc[i]))
		}
		if gap >= prevGap {
			t.Errorf("phi %v: forecasts %.3g from Holt's, no closer than at the smaller phi (%.3g)", phi, gap, prevGap)
		}
		prevGap = gap
	}
	if prevGap > 1e-7 {
		t.Errorf("phi 1-1e-9: forecasts %.3g from Holt's", prevGap)
	}
}

func (r *etsResult) mustForecast(t *testing.T, h int) []float64 {
	t.Helper()
	fc, err := r.forecast(h)
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

// TestETSHostile fits series that break naive implementations: it never
// panics, fails only with the package's sentinels, forecasts finite
// values, and leaves multiplicative forms out of series that are not
// positive.
func TestETSHostile(t *testing.T) {
	base := positiveSeries(2, 24)
	scaled := func(c float64) []float64 {
		out := make([]float64, len(base))
		for i, v := range base {
			out[i] = v * c
		}
		return out
	}
	outlier := slices.Clone(base)
	outlier[12] = 1e6
	zeros := slices.Clone(base)
	zeros[3], zeros[10] = 0, 0
	negative := scaled(-1)
	for _, c := range []struct {
		name    string
		y       []float64
		period  int
		wantErr error // nil: a fit is expected
	}{
		{"constant", []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 4, nil},
		{"all zero", make([]float64, 12), 4, nil},
		{"outlier 1e6", outlier, 4, nil},
		{"tiny 1e-300", scaled(1e-300), 4, nil},
		{"huge 1e150", scaled(1e150), 4, nil},
		{"largest floats", scaled(1e306), 4, nil},
		{"zeros", zeros, 4, nil},
		{"negative", negative, 4, nil},
		{"length 3", []float64{1, 2, 3}, 1, ErrTooFewPoints},
		{"length 4", []float64{1, 2, 4, 3}, 4, nil},
		{"length 5", []float64{1, 2, 4, 3, 5}, 4, nil},
		{"length 5 zeros", []float64{0, 0, 0, 0, 0}, 1, nil},
		{"short seasonal", base[:11], 4, nil},
		{"period 13", base, 13, nil},
		{"period 0", base, 0, nil},
		{"NaN", []float64{1, 2, math.NaN(), 4, 5, 6}, 1, ErrBadInput},
		{"Inf", []float64{1, 2, math.Inf(1), 4, 5, 6}, 1, ErrBadInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec, pf, err := selectETS(c.y, c.period, 6)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("error %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if len(pf.fc) != 6 || !allFinite(pf.fc) {
				t.Errorf("%s forecasts %v", spec, pf.fc)
			}
			if math.IsNaN(pf.sse) || pf.sse < 0 || pf.nse != len(c.y) || pf.k < 3 {
				t.Errorf("%s sse %v nse %d k %d", spec, pf.sse, pf.nse, pf.k)
			}
			positive := !slices.ContainsFunc(c.y, func(v float64) bool { return !(v > 0) })
			if !positive && (spec.mulErr || spec.season == seasonM) {
				t.Errorf("%s chosen for a series with values <= 0", spec)
			}
			if spec.season != seasonN && !etsSeasonal(len(c.y), c.period) {
				t.Errorf("%s chosen for %d points of period %d", spec, len(c.y), c.period)
			}
		})
	}
}

// TestETSFitErrors checks what a single form refuses.
func TestETSFitErrors(t *testing.T) {
	y := positiveSeries(4, 30)
	zeros := slices.Clone(y)
	zeros[5] = 0
	for _, c := range []struct {
		name   string
		spec   etsSpec
		y      []float64
		period int
		want   error
	}{
		{"A error, M season", etsSpec{false, trendN, seasonM}, y, 4, ErrBadInput},
		{"M error, zero value", etsSpec{true, trendN, seasonN}, zeros, 1, ErrBadInput},
		{"M season, zero value", etsSpec{true, trendN, seasonM}, zeros, 4, ErrBadInput},
		{"seasonal, period 1", etsSpec{false, trendN, seasonA}, y, 1, ErrBadInput},
		{"seasonal, period 30", etsSpec{false, trendN, seasonA}, y, 30, ErrBadInput},
		{"seasonal, 9 points", etsSpec{false, trendN, seasonA}, y[:9], 4, ErrTooFewPoints},
		{"damped, 6 points", etsSpec{false, trendAd, seasonN}, y[:6], 1, ErrTooFewPoints},
		{"unknown trend", etsSpec{false, 7, seasonN}, y, 1, ErrBadInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.spec.fit(c.y, c.period, 4); !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
}

// TestETSScaleEquivariant checks that multiplying a series by a power of
// two (exact in floating point) multiplies the forecasts by it and
// changes nothing else, down to 1e-300 and up to 1e150.
func TestETSScaleEquivariant(t *testing.T) {
	y := positiveSeries(6, 32)
	spec, pf, err := selectETS(y, 4, 8)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []int{-997, 498} {
		c := math.Ldexp(1, e)
		yc := make([]float64, len(y))
		for i, v := range y {
			yc[i] = v * c
		}
		specC, pfC, err := selectETS(yc, 4, 8)
		if err != nil {
			t.Fatal(err)
		}
		if specC != spec {
			t.Errorf("2^%d: %s, unscaled %s", e, specC, spec)
		}
		for i := range pf.fc {
			if pfC.fc[i] != pf.fc[i]*c {
				t.Errorf("2^%d: step %d forecast %v, want %v", e, i+1, pfC.fc[i], pf.fc[i]*c)
			}
		}
	}
}

// TestETSSelectIsFit checks that the chosen form, refitted alone, gives
// the fit selectETS returned: the caller refits it on rolling origins and
// must be scoring the same procedure.
func TestETSSelectIsFit(t *testing.T) {
	for seed := range uint64(6) {
		y := positiveSeries(seed, 20+6*int(seed))
		spec, pf, err := selectETS(y, 4, 8)
		if err != nil {
			t.Fatal(err)
		}
		again, err := spec.fit(y, 4, 8)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.fc, pf.fc) || again.sse != pf.sse || again.nse != pf.nse || again.k != pf.k {
			t.Errorf("seed %d %s: fit %+v, selectETS %+v", seed, spec, again, pf)
		}
	}
}

func TestETSSpecString(t *testing.T) {
	for _, c := range []struct {
		spec etsSpec
		want string
	}{
		{etsSpec{true, trendAd, seasonN}, "ETS(M,Ad,N)"},
		{etsSpec{false, trendA, seasonA}, "ETS(A,A,A)"},
		{etsSpec{true, trendN, seasonM}, "ETS(M,N,M)"},
		{etsSpec{false, 9, 9}, "ETS(A,?,?)"},
	} {
		if got := c.spec.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.spec, got, c.want)
		}
	}
}

// TestETSByName checks the "ets" method through the public API, on a
// seasonal quarterly series (seasonalFit) and a yearly one (fit).
func TestETSByName(t *testing.T) {
	m, err := ByName("ets")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		y      []float64
		period int
	}{{etsQuarterly(), 4}, {positiveSeries(8, 25), 1}} {
		f, err := m.Fit(c.y, c.period)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range f.Path(8) {
			if !isFinite(d.Mean) || !(d.Scale > 0) {
				t.Errorf("period %d step %d: %+v", c.period, i+1, d)
			}
		}
		if e, ok := f.(Explained); !ok || e.Method() != "ets" {
			t.Errorf("period %d: method %v, want ets", c.period, f)
		}
	}
}
