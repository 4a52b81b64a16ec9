package report_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// BenchmarkMinistryNational builds and writes the ministry workbook of the
// national workload (1,500 operators, 2015Q1..2020Q4, both target sets),
// every sheet included, from its series, assessments and consolidated
// returns.
func BenchmarkMinistryNational(b *testing.B) {
	cfg, err := config.Default(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	rs, err := synth.NationalReturns(&cfg.Mappings)
	if err != nil {
		b.Fatal(err)
	}
	panel := series.Consolidate(rs, time.Time{}, 0)
	s := series.BuildPanel(series.NewPanel(panel, 0), series.BuildOptions{})
	opts := assess.Options{Model: forecast.Auto(), MinPoints: 6, Thresholds: forecast.DefaultThresholds()}
	var results []*assess.Result
	years := map[string]int{}
	for i := range cfg.Targets.Sets {
		r, err := assess.Set(context.Background(), s, &cfg.Targets.Sets[i], 0, opts)
		if err != nil {
			b.Fatal(err)
		}
		results = append(results, r)
		years[cfg.Targets.Sets[i].ID] = cfg.Targets.Sets[i].BaselineYear
	}
	var regions []string
	for _, r := range cfg.Mappings.Regions {
		regions = append(regions, r.Name)
	}
	ropts := report.Options{
		GeneratedAt: time.Date(2021, 2, 15, 2, 30, 0, 0, time.UTC), BaselineYears: years,
		OnTrack: 0.7, AtRisk: 0.3, Panel: panel, Regions: regions, FilingDelayDays: 45,
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := report.Ministry(results, s, ropts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
