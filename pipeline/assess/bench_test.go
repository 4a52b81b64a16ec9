package assess_test

import (
	"context"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// BenchmarkSetNational assesses both shipped target sets on the national
// workload's series (1,500 operators, 2015Q1..2020Q4) with the automatic
// model: the forecast stage of the nightly run, without the warehouse read.
func BenchmarkSetNational(b *testing.B) {
	cfg, err := config.Default(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	rs, err := synth.NationalReturns(&cfg.Mappings)
	if err != nil {
		b.Fatal(err)
	}
	s := series.BuildPanel(series.NewPanel(series.Consolidate(rs, time.Time{}, 0), 0), series.BuildOptions{})
	opts := assess.Options{Model: forecast.Auto(), MinPoints: 6, Thresholds: forecast.DefaultThresholds()}
	b.ReportAllocs()
	for b.Loop() {
		for i := range cfg.Targets.Sets {
			if _, err := assess.Set(context.Background(), s, &cfg.Targets.Sets[i], 0, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}
