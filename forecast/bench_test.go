package forecast_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/offshore-ma/offshore/bench"
	"github.com/offshore-ma/offshore/forecast"
)

// m1Dir is the shared M1 data, relative to this package's folder.
var m1Dir = filepath.Join("..", "..", "shared", "data", "m1")

// BenchmarkM1 forecasts all 384 yearly and quarterly M1 series with the
// automatic model (cross-validation included) and reports the accuracy and
// coverage of the last run as metrics. `go run ./bench/m1` prints the full
// table beside R's figures.
func BenchmarkM1(b *testing.B) {
	if _, err := os.Stat(m1Dir); err != nil {
		b.Skipf("M1 data not found: %v", err)
	}
	all, err := bench.ReadM1(m1Dir)
	if err != nil {
		b.Fatal(err)
	}
	var scores []bench.Score
	for b.Loop() {
		scores = bench.Run(forecast.Auto(), all, true)
	}
	for _, sc := range scores {
		b.ReportMetric(sc.SMAPE, sc.Frequency+"-sMAPE")
		b.ReportMetric(sc.Cov80, sc.Frequency+"-cov80%")
		b.ReportMetric(sc.Cov95, sc.Frequency+"-cov95%")
	}
}

// BenchmarkAutoFit is one fit of a 40-quarter seasonal series.
func BenchmarkAutoFit(b *testing.B) {
	y := make([]float64, 40)
	for i := range y {
		y[i] = (1000 + 15*float64(i)) * (1 + 0.1*float64(i%4-1))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := forecast.Auto().Fit(y, 4); err != nil {
			b.Fatal(err)
		}
	}
}

// manySeries returns n deterministic synthetic series: local linear trends
// of 16 to 48 quarters, every other one with multiplicative seasonality,
// the kind of series the national run and analysts' files hold.
func manySeries(n int) [][]float64 {
	rng := rand.New(rand.NewPCG(8, 8))
	out := make([][]float64, n)
	for i := range out {
		y := make([]float64, 16+rng.IntN(33))
		level, slope := 1000.0, 10*rng.NormFloat64()
		for t := range y {
			slope += 2 * rng.NormFloat64()
			level += slope + 20*rng.NormFloat64()
			s := 1.0
			if i%2 == 0 {
				s = 1 + 0.08*float64(t%4-1)
			}
			y[t] = math.Max(level, 1) * s
		}
		out[i] = y
	}
	return out
}

// BenchmarkAutoMany fits 200 quarterly series one after the other with the
// automatic model (cross-validation included): the per-series cost behind
// `offshore forecast --input` on thousands of series.
func BenchmarkAutoMany(b *testing.B) {
	ss := manySeries(200)
	m := forecast.Auto()
	b.ReportAllocs()
	for b.Loop() {
		for _, y := range ss {
			if _, err := m.Fit(y, 4); err != nil {
				b.Fatal(err)
			}
		}
	}
}
