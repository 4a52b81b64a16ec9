package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/runlog"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// TestPruneASimulatedMonth: thirty days of a working folder, back-dated
// (a nightly run a day, an ingest an hour of which one a day took a file,
// an ad-hoc forecast's charts, a rejected file, a workbook), then Prune
// as of the thirtieth day with a retention of a week for records and
// charts, two weeks for the quarantine, ten days and two workbooks for
// the outbox.
func TestPruneASimulatedMonth(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Retention = config.RetentionSettings{RunsDays: 7, RunsKeep: 3, EmptyIngestHours: 24,
		AdHocDays: 7, QuarantineDays: 14, OutboxKeep: 2, OutboxDays: 10}
	p := cfg.Settings.Paths
	for _, d := range []string{p.Outbox, p.Quarantine, p.Warehouse} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	now := day0.AddDate(0, 0, 30)
	save := func(r *runlog.Record) {
		t.Helper()
		if err := runlog.Save(cfg, r); err != nil {
			t.Fatal(err)
		}
	}
	file := func(path string, at time.Time) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	// The warehouse's data: never pruned, however old.
	data := []string{filepath.Join(p.Warehouse, "catalog.json"), filepath.Join(p.Warehouse, "raw", "ab", "abcdef"), filepath.Join(p.Warehouse, "returns", "year=2015", "c000001.parquet")}
	for _, f := range data {
		file(f, day0)
	}
	foreign := filepath.Join(p.Outbox, "notes.txt") // not offshore's
	file(foreign, day0)
	var owedWorkbook string
	for i := range 30 {
		day := day0.AddDate(0, 0, i)
		wb := filepath.Join(p.Outbox, fmt.Sprintf("Synthese_offshoring_2018Q4_%02d.xlsx", i))
		file(wb, day.Add(4*time.Hour))
		run := &runlog.Record{ID: runlog.Stamp(day.Add(3*time.Hour+30*time.Minute)) + "-run", Job: runlog.JobRun, Status: runlog.StatusOK,
			Started: day.Add(3*time.Hour + 30*time.Minute), Report: wb}
		if i == 5 { // a delivery still being retried: its workbook and record stay
			next := now.Add(time.Hour)
			run.Delivery = &runlog.Delivery{Workbook: wb, Status: runlog.DeliveryFailed, NextAttempt: &next}
			owedWorkbook = wb
		}
		save(run)
		for h := range 24 {
			at := day.Add(time.Duration(h)*time.Hour + 5*time.Minute)
			in := &runlog.Record{ID: runlog.Stamp(at) + "-ingest", Job: runlog.JobIngest, Status: runlog.StatusOK, Started: at}
			if h == 12 {
				in.Ingest.Files, in.Ingest.Accepted = 1, 1
			}
			save(in)
		}
		adhoc := runlog.Stamp(day.Add(10*time.Hour)) + "-forecast"
		file(filepath.Join(p.Warehouse, "adhoc", adhoc, "jobs-2020.png"), day.Add(10*time.Hour))
		file(filepath.Join(p.Quarantine, fmt.Sprintf("retour_%02d.xlsx", i)), day.Add(10*time.Hour))
		file(filepath.Join(p.Quarantine, fmt.Sprintf("retour_%02d.xlsx.problems.txt", i)), day.Add(10*time.Hour))
	}
	running := &runlog.Record{ID: runlog.Stamp(day0) + "-forecast", Job: runlog.JobForecast, Status: runlog.StatusRunning, Started: day0, PID: os.Getpid()}
	save(running)

	// Records: nightly runs older than 7 days, 22 (the one whose delivery
	// is owed stays); ingests that took a file, 23; empty ingests older
	// than a day, 690 - 23 (those of the last day stay).
	want := PruneSummary{Runs: 22 + 23 + 667, AdHoc: 23, Quarantine: 32, Outbox: 19}
	for _, dry := range []bool{true, false} {
		sum, err := Prune(context.Background(), cfg, now, dry, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Runs != want.Runs || sum.AdHoc != want.AdHoc || sum.Quarantine != want.Quarantine || sum.Outbox != want.Outbox {
			t.Errorf("dry run %v: pruned %d runs, %d ad-hoc, %d quarantine, %d outbox; want %d, %d, %d, %d",
				dry, sum.Runs, sum.AdHoc, sum.Quarantine, sum.Outbox, want.Runs, want.AdHoc, want.Quarantine, want.Outbox)
		}
		left, _ := runlog.List(cfg, "", 0)
		if dry && len(left) != 30*25+1 {
			t.Errorf("the dry run removed records: %d left", len(left))
		}
		if !dry && len(left) != 30*25+1-want.Runs {
			t.Errorf("%d records left, want %d", len(left), 30*25+1-want.Runs)
		}
	}
	for _, f := range append(data, foreign, owedWorkbook) {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("pruned what it must keep: %v", err)
		}
	}
	if _, err := runlog.Read(cfg, running.ID); err != nil {
		t.Errorf("the running record: %v", err)
	}
	// A second prune finds nothing more.
	if sum, err := Prune(context.Background(), cfg, now, false, nil); err != nil || len(sum.Paths) != 0 {
		t.Errorf("second prune: %+v, %v", sum, err)
	}
}

// TestEmptyIngestLeavesNoRecord: the hourly ingest of an empty inbox
// writes no record; one that takes a file does.
func TestEmptyIngestLeavesNoRecord(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Ingest.Settle = 0
	ctx := context.Background()
	if err := IngestInbox(ctx, cfg, runlog.New(runlog.JobIngest, runlog.TriggerCron), nil); err != nil {
		t.Fatal(err)
	}
	if rs, _ := runlog.List(cfg, "", 0); len(rs) != 0 {
		t.Errorf("an empty ingest left %d records", len(rs))
	}
	if _, err := synth.WriteDir(ctx, cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.Options{Operators: 1, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 1), Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := IngestInbox(ctx, cfg, runlog.New(runlog.JobIngest, runlog.TriggerCron), nil); err != nil {
		t.Fatal(err)
	}
	if rs, _ := runlog.List(cfg, "", 0); len(rs) != 1 || rs[0].Ingest.Accepted != 1 {
		t.Errorf("an ingest of one file: %d records", len(rs))
	}
}
