package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// goodAndBad writes generated returns into the inbox of a new working
// folder, and a copy of the first with one figure changed (another file),
// bad.xlsx, which the test makes fail; it returns the config and the
// number of good files.
func goodAndBad(t *testing.T) (*config.Config, int) {
	t.Helper()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Ingest.Settle = 0 // the files the test writes are whole
	paths, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: 3, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 2), Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// A rejected file, so that quarantine and feedback run for it.
	if err := os.WriteFile(filepath.Join(cfg.Settings.Paths.Inbox, "bad.xlsx"), []byte("ICE;Raison sociale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, len(paths)
}

// TestIngestPanicAtEachStep: a panic at any step of one file refuses that
// file with internal_error (quarantined, with its reports) and commits the
// others; exit 3. A file that panics before it is even loaded is not
// committed and stays in the inbox.
func TestIngestPanicAtEachStep(t *testing.T) {
	defer func() { stepHook = nil }()
	tests := []struct {
		step, victim string // victim: "good" (a valid return) or "bad" (rejected anyway)
	}{
		{"load", "good"}, {"load", "bad"},
		{"read", "good"}, {"read", "bad"},
		{"headcounts", "good"}, {"headcounts", "bad"},
		{"quarantine", "bad"}, // these two run for rejected files only
		{"feedback", "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.step+"/"+tt.victim, func(t *testing.T) {
			cfg, good := goodAndBad(t)
			files, _ := filepath.Glob(filepath.Join(cfg.Settings.Paths.Inbox, "*.xlsx"))
			target := filepath.Join(cfg.Settings.Paths.Inbox, "bad.xlsx")
			rejected := 1
			if tt.victim == "good" {
				target = files[0]
				good--
				rejected++
			}
			stepHook = func(s, path string) {
				if s == tt.step && path == target {
					panic("injected at " + s)
				}
			}
			sum, err := ingestPaths(t, cfg, nil)
			stepHook = nil
			if !errors.Is(err, ErrRejected) || sum.Accepted != good || sum.Rejected != rejected {
				t.Fatalf("%+v, %v; want %d accepted, %d rejected, ErrRejected", sum, err, good, rejected)
			}
			rs, cat, err := warehouse.ReadReturns(context.Background(), cfg.Settings.Paths.Warehouse)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != good {
				t.Errorf("%d returns committed, want %d", len(rs), good)
			}
			name := filepath.Base(target)
			if tt.step == "load" {
				if _, err := os.Stat(target); err != nil {
					t.Errorf("a file that could not be loaded left the inbox: %v", err)
				}
				if len(cat.Sources) != good+rejected-1 {
					t.Errorf("%d sources committed, want %d", len(cat.Sources), good+rejected-1)
				}
				return
			}
			if _, err := os.Stat(target); err == nil {
				t.Error("the file is still in the inbox")
			}
			if len(cat.Sources) != good+rejected {
				t.Errorf("%d sources committed, want %d", len(cat.Sources), good+rejected)
			}
			if _, err := os.Stat(filepath.Join(cfg.Settings.Paths.Quarantine, name)); err != nil && tt.step != "quarantine" {
				t.Errorf("not quarantined: %v", err)
			}
			if _, err := os.Stat(filepath.Join(cfg.Settings.Paths.Quarantine, name+".feedback.xlsx")); err != nil {
				t.Errorf("no feedback: %v", err)
			}
			report, _ := os.ReadFile(filepath.Join(cfg.Settings.Paths.Quarantine, name+".problems.txt"))
			if !strings.Contains(string(report), "le programme du ministère a échoué") {
				t.Errorf("report without internal_error:\n%s", report)
			}
			if strings.Contains(string(report), "injected") || strings.Contains(string(report), "goroutine") {
				t.Errorf("the panic reached the operator:\n%s", report)
			}
			ps, _, err := warehouse.ReadProblems(context.Background(), cfg.Settings.Paths.Warehouse)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range ps {
				found = found || p.Code == "internal_error" && p.File == name
			}
			if !found {
				t.Error("no internal_error archived in the warehouse")
			}
		})
	}
}

// TestIngestHostileFolder: one ingest of a folder holding every hostile
// file of testdata/ingest/hostile among good returns commits every good
// one and quarantines each hostile one; exit 3.
func TestIngestHostileFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Ingest.Settle = 0 // the files the test writes are whole
	paths, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: 4, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 4), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../testdata/ingest/hostile/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	accepted, rejected := len(paths), 0
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		name, code, _ := strings.Cut(line, " ")
		data, err := os.ReadFile(filepath.Join("../../testdata/ingest/hostile", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfg.Settings.Paths.Inbox, "hostile-"+name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if code == "ok" {
			accepted++
		} else {
			rejected++
		}
	}
	sum, err := ingestPaths(t, cfg, nil)
	if !errors.Is(err, ErrRejected) || sum.Accepted != accepted || sum.Rejected != rejected {
		t.Fatalf("%+v, %v; want %d accepted, %d rejected", sum, err, accepted, rejected)
	}
	cat, err := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		found := false
		for _, s := range cat.Sources {
			found = found || s.Name == filepath.Base(p) && s.Status == warehouse.StatusAccepted
		}
		if !found {
			t.Errorf("%s not committed", filepath.Base(p))
		}
	}
	if left, _ := os.ReadDir(cfg.Settings.Paths.Inbox); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
}
