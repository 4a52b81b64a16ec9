package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

var (
	fedOnce sync.Once
	fedData []byte
	fedErr  error
)

// federation returns the bytes of the benchmark's federation workbook,
// 200,000 rows written by synth.WriteFederation (as `offshore gen --scale
// national` writes it): the file at $OFFSHORE_BENCH_FEDERATION (written
// there first when missing), else a temporary one.
func federation(b *testing.B, m *config.Mappings) []byte {
	fedOnce.Do(func() {
		path := os.Getenv("OFFSHORE_BENCH_FEDERATION")
		if _, err := os.Stat(path); path != "" && err != nil {
			if fedErr = synth.WriteFederation(context.Background(), path, m, 200_000, 1); fedErr != nil {
				return
			}
		}
		if path == "" {
			dir, err := os.MkdirTemp("", "offshore-fed-")
			if err != nil {
				fedErr = err
				return
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "federation.xlsx")
			if fedErr = synth.WriteFederation(context.Background(), path, m, 200_000, 1); fedErr != nil {
				return
			}
		}
		fedData, fedErr = os.ReadFile(path)
	})
	if fedErr != nil {
		b.Fatal(fedErr)
	}
	return fedData
}

// BenchmarkReadFederation reads and validates the 200,000-row federation
// workbook (shared strings, 15 columns) with the default settings: keeping
// the returns, as ingest does, and counting them only (Options.CountOnly),
// as `offshore validate` does.
func BenchmarkReadFederation(b *testing.B) {
	cfg, err := config.Default("")
	if err != nil {
		b.Fatal(err)
	}
	data := federation(b, &cfg.Mappings)
	x := ingest.NewMatcher(&cfg.Mappings)
	for _, countOnly := range []bool{false, true} {
		name := "keep"
		if countOnly {
			name = "count-only"
		}
		b.Run(name, func(b *testing.B) {
			opts := ingest.OptionsFrom(cfg.Settings.Ingest)
			opts.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			opts.Timeout = 0
			opts.CountOnly = countOnly
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				res := ingest.Read("federation.xlsx", "sha", data, opts.Now, x, opts)
				if res.Rejected() || res.Rows() != 200_000 || (len(res.Returns) == 0) != countOnly {
					b.Fatalf("rejected=%v rows=%d kept=%d problems=%v", res.Rejected(), res.Rows(), len(res.Returns), res.Problems[:min(3, len(res.Problems))])
				}
			}
		})
	}
}
