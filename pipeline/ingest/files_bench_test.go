package ingest

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

var (
	benchOnce  sync.Once
	benchFiles string
	benchErr   error
)

// benchInputs is a folder of generated returns shared by the benchmarks:
// $OFFSHORE_BENCH_RETURNS when set (e.g. the national workload written by
// `offshore gen --operators 1500 --from 2015Q1 --to 2020Q4`), else 100
// operators × 2015Q1..2015Q4 (about 400 files).
func benchInputs(b *testing.B) string {
	if d := os.Getenv("OFFSHORE_BENCH_RETURNS"); d != "" {
		return d
	}
	benchOnce.Do(func() {
		cfg, err := config.Default("")
		if err != nil {
			benchErr = err
			return
		}
		benchFiles, benchErr = os.MkdirTemp("", "offshore-bench-")
		if benchErr != nil {
			return
		}
		_, benchErr = synth.WriteDir(context.Background(), benchFiles, &cfg.Mappings,
			synth.Options{Operators: 100, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2015, 4), Seed: 1})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFiles
}

// BenchmarkIngest ingests a folder of returns (named paths: the files stay)
// into an empty warehouse, then again with nothing new.
func BenchmarkIngest(b *testing.B) {
	src := benchInputs(b)
	files, _, err := listInputs([]string{src}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("empty", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			cfg, err := config.Default(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := ingestPaths(b, cfg, []string{src}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(files)), "ms/file")
	})
	b.Run("rerun", func(b *testing.B) {
		cfg, err := config.Default(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ingestPaths(b, cfg, []string{src}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			sum, err := ingestPaths(b, cfg, []string{src})
			if err != nil || sum.Known != len(files) {
				b.Fatalf("%+v, %v", sum, err)
			}
		}
	})
}
