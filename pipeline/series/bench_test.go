package series_test

import (
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// national returns the national workload's returns, every version: 1,500
// operators, 2015Q1..2020Q4 (about 36,000 returns), as synth generates them.
func national(b *testing.B) []domain.Return {
	b.Helper()
	cfg, err := config.Default(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	rs, err := synth.NationalReturns(&cfg.Mappings)
	if err != nil {
		b.Fatal(err)
	}
	return rs
}

// BenchmarkConsolidate keeps the latest version of each operator × quarter
// of the national workload.
func BenchmarkConsolidate(b *testing.B) {
	rs := national(b)
	b.ReportAllocs()
	for b.Loop() {
		series.Consolidate(rs, time.Time{}, 0)
	}
}

// BenchmarkNewPanel builds the national panel with the default carry
// forward (4 quarters).
func BenchmarkNewPanel(b *testing.B) {
	rs := series.Consolidate(national(b), time.Time{}, 0)
	b.ReportAllocs()
	for b.Loop() {
		series.NewPanel(rs, 4)
	}
}

// BenchmarkBuildPanel aggregates the national panel into the national,
// sector and regional series.
func BenchmarkBuildPanel(b *testing.B) {
	p := series.NewPanel(series.Consolidate(national(b), time.Time{}, 0), 4)
	b.ReportAllocs()
	for b.Loop() {
		series.BuildPanel(p, series.BuildOptions{Regions: true})
	}
}
