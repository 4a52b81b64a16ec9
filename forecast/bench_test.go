package forecast_test

import (
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
		scores = bench.Run(forecast.Auto(), all)
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
