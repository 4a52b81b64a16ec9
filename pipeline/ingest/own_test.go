package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/progress"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// TestIngestOfTheWorkingFolderSkipsItsOwnFiles reproduces issue 19:
// `offshore ingest .` inside the working folder read its YAML files, the
// catalog, the lock, Parquet parts, run records and the outbox workbook
// as returns, rejected and quarantined them. Now only the inbox's files
// are read, and the skipped paths are named.
func TestIngestOfTheWorkingFolderSkipsItsOwnFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := config.Init(dir); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: 2, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 1), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// A first ingest fills the warehouse; a workbook lies in the outbox.
	if _, err := ingestPaths(t, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Settings.Paths.Outbox, "Synthese.xlsx"), []byte("not a return"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Settings.Paths.Quarantine, "old.xlsx"), []byte("quarantined"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The operator sends them again, and runs `offshore ingest .`.
	paths, err = synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: 2, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 1), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ingestPaths(t, cfg, []string{dir})
	if err != nil {
		t.Fatalf("ingest of the working folder: %v (%+v)", err, sum)
	}
	if sum.Files != len(paths) || sum.Rejected != 0 || sum.Known != len(paths) {
		t.Errorf("ingest of the working folder: %+v, want only the %d inbox files, all known", sum, len(paths))
	}
	var bases []string
	for _, s := range sum.Skipped {
		bases = append(bases, filepath.Base(s))
	}
	slices.Sort(bases)
	want := []string{"mappings.yaml", "offshore.yaml", "outbox", "quarantine", "targets.yaml", "warehouse"}
	if !slices.Equal(bases, want) {
		t.Errorf("skipped %v, want %v", bases, want)
	}
	// Named one by one, the own files are skipped too.
	sum, err = ingestPaths(t, cfg, []string{filepath.Join(dir, "warehouse", "catalog.json"), filepath.Join(dir, "offshore.yaml")})
	if err != nil || sum.Files != 0 || len(sum.Skipped) != 2 {
		t.Errorf("own files named: %+v, %v; want both skipped, none read", sum, err)
	}
}

// counting is a progress.Reporter that cancels its context after n files.
type counting struct {
	n      int
	cancel context.CancelFunc
	added  int
}

func (c *counting) Start(what, unit string, total int) progress.Counter { return c }
func (c *counting) Done()                                               {}
func (c *counting) Add(n int) {
	c.added += n
	if c.added == c.n {
		c.cancel()
	}
}

// TestInterruptedIngestCountsWhatWasCommitted: issue 19's Ctrl-C said
// "7793 accepted" of which 7,000 were committed. The counts of an
// interrupted ingest are those of its commits alone.
func TestInterruptedIngestCountsWhatWasCommitted(t *testing.T) {
	cfg, paths := inboxOf(t, 3) // 6 files
	cfg.Settings.Ingest.Settle = 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep := &counting{n: 4, cancel: cancel}
	ctx = progress.With(ctx, rep)
	wh, err := warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Files(ctx, cfg, wh, nil, nil)
	wh.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want canceled", err)
	}
	cat, err := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != len(cat.Sources) || sum.Files != len(cat.Sources) {
		t.Errorf("interrupted after %d of %d files: summary %+v, but %d committed", rep.added, len(paths), sum, len(cat.Sources))
	}
}
