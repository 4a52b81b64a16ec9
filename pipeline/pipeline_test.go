package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

func TestParseAsOf(t *testing.T) {
	tests := []struct {
		in     string
		period domain.Period
		cutoff time.Time
		ok     bool
	}{
		{"", 0, time.Time{}, true},
		{"2017Q4", domain.NewPeriod(2017, 4), time.Date(2018, 2, 15, 0, 0, 0, 0, time.UTC), true},
		{"2017-12-31", 0, time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), true}, // the as-of rule, that night
		{"2018-01-01", 0, time.Date(2018, 1, 2, 0, 0, 0, 0, time.UTC), true},
		{"Q4 2017", 0, time.Time{}, false},
		{"9999-12-31", 0, time.Time{}, false}, // issue 13: left a run record running forever
		{"9999Q4", 0, time.Time{}, false},
		{"1900-01-01", 0, time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := domain.ParseAsOf(tt.in, 45)
		if (err == nil) != tt.ok || got.Period != tt.period || !got.Cutoff.Equal(tt.cutoff) {
			t.Errorf("domain.ParseAsOf(%q) = %v %v, %v", tt.in, got.Period, got.Cutoff, err)
		}
	}
}

func TestIngestNamedPathsStayAndRepeatIsANoOp(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Default(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "returns")
	paths, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 4, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 2), Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := IngestFiles(context.Background(), cfg, []string{src}, nil)
	if err != nil || sum.Accepted != len(paths) || sum.Rows != len(paths) {
		t.Fatalf("first ingest %+v, %v", sum, err)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("named file moved: %v", err)
		}
	}
	cat1, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	sum, err = IngestFiles(context.Background(), cfg, []string{src}, nil)
	cat2, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	if err != nil || sum.Known != len(paths) || sum.Accepted != 0 || cat2.Seq != cat1.Seq {
		t.Errorf("second ingest %+v, %v, commits %d → %d", sum, err, cat1.Seq, cat2.Seq)
	}
	o, err := ForecastTargets(context.Background(), cfg, domain.AsOf{}, []string{"pai-2016-2020"}, nil)
	if err != nil || o.Series.Last != domain.NewPeriod(2016, 2) {
		t.Fatalf("forecast: %v", err)
	}
	if len(o.Results[0].Skipped) == 0 {
		t.Error("two quarters cannot support a projection; targets should be skipped with a reason")
	}
}

func TestIngestCancelled(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := config.Default(dir)
	os.MkdirAll(cfg.Settings.Paths.Inbox, 0o755)
	os.WriteFile(filepath.Join(cfg.Settings.Paths.Inbox, "a.xlsx"), []byte("x"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := IngestFiles(ctx, cfg, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Settings.Paths.Inbox, "a.xlsx")); err != nil {
		t.Error("a cancelled ingest removed an inbox file")
	}
}
