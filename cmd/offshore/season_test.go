package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/template"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// TestEarlyReturnKeepsTheCompleteQuarter is issue 14's first check: the demo
// folder plus one early return of the next quarter, then the nightly run.
// The official as-of stays on the last complete quarter, the new one is in
// collection, and --as-of still forces it.
func TestEarlyReturnKeepsTheCompleteQuarter(t *testing.T) {
	dir, cfg, early := demoWithEarlyReturn(t)
	got := domain.NewPeriod(2019, 1).End().AddDate(0, 0, 10) // its date, taken as its receipt with --backfill
	code, out, stderr := offshore(t, "--workdir", dir, "run", "--backfill")
	if code != exitOK {
		t.Fatalf("run exit %d\n%s\n%s", code, out, stderr)
	}
	rec, err := runlog.Last(cfg, runlog.JobRun, (*runlog.Record).Succeeded)
	if err != nil || rec == nil {
		t.Fatalf("no run record: %v", err)
	}
	if rec.Ingest.Accepted != 1 || rec.AsOf.String() != "2018Q4" || rec.Official == nil || rec.Official.Rule != release.RuleCoverage {
		t.Fatalf("run: accepted %d, as of %s, official %+v; want the early return accepted and 2018Q4 by coverage", rec.Ingest.Accepted, rec.AsOf, rec.Official)
	}
	if c := rec.Official.Collecting; len(c) != 1 || c[0].Period.String() != "2019Q1" || c[0].Reported != 1 || c[0].Operators > 0.05 {
		t.Errorf("in collection: %+v; want 2019Q1 with its one return", c)
	}
	if n := rec.Official.Notices; len(n) != 1 || !strings.HasPrefix(n[0], "T1 2019 en cours de collecte : 1 % des déclarants attendus") || !strings.Contains(n[0], "échéance le 15/05/2019") {
		t.Errorf("notices %q: want 2019Q1 in collection", n)
	}
	wb, err := excelize.OpenFile(rec.Report)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if v, _ := wb.GetCellValue("Synthèse", "A5"); !strings.HasPrefix(v, "T1 2019 en cours de collecte") {
		t.Errorf("Synthèse A5 = %q: want the quarter in collection", v)
	}
	if !strings.Contains(filepath.Base(rec.Report), "_2018Q4_") {
		t.Errorf("workbook %s is not the 2018Q4 one", rec.Report)
	}
	for _, a := range rec.Results[0].Assessments {
		if a.LatestPeriod.String() != "2018Q4" {
			t.Errorf("%s: latest period %s", a.TargetID, a.LatestPeriod)
		}
	}
	if res := forecastJSON(t, dir); res.AsOf.String() != "2018Q4" {
		t.Errorf("forecast without --as-of: as of %s", res.AsOf)
	}
	// A date is a night: the as-of rule, among the returns received by
	// its end, keeps 2018Q4 the day after the early return arrived.
	if res := forecastJSON(t, dir, "--as-of", got.AddDate(0, 0, 1).Format(time.DateOnly)); res.AsOf.String() != "2018Q4" {
		t.Errorf("forecast --as-of %s: as of %s, want the official 2018Q4", got.AddDate(0, 0, 1).Format(time.DateOnly), res.AsOf)
	}
	// Forced onto the quarter of one return, the forecast runs, and the
	// confidentiality gate hides what that one return would give away.
	res := forecastJSON(t, dir, "--as-of", "2019Q1")
	if res.AsOf.String() != "2019Q1" {
		t.Errorf("forecast --as-of 2019Q1: as of %s", res.AsOf)
	}
	for _, a := range res.Assessments {
		if (a.Sector == domain.National || a.Sector == early.Sector) && (!a.Secret || a.Latest != 0) {
			t.Errorf("forecast --as-of 2019Q1: %s (%s) published on one return: %+v", a.TargetID, a.Sector, a)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(cfg.Settings.Paths.Warehouse, "runs", rec.ID+".json"))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil || doc["official"] == nil {
		t.Errorf("the run record does not say which rule chose the as-of: %v\n%s", err, raw)
	}
}

// TestEarlyReturnArrivingNowKeepsTheDemoFigures: the demo folder, then one
// early return of 2019Q1 dropped into the inbox today and the nightly run
// (no --backfill: it arrives now). 2018Q4 stays official with the demo's
// own figures (nothing was being collected before today, so its release
// holds every return received), and 2019Q1 is in collection.
func TestEarlyReturnArrivingNowKeepsTheDemoFigures(t *testing.T) {
	dir, cfg, _ := demoWithEarlyReturn(t)
	before, err := runlog.Last(cfg, runlog.JobRun, (*runlog.Record).Succeeded)
	if err != nil || before == nil {
		t.Fatalf("the demo's run record: %v", err)
	}
	// Without --backfill its date (April 2019) does not count: it arrives now.
	if code, out, stderr := offshore(t, "--workdir", dir, "run"); code != exitOK {
		t.Fatalf("run exit %d\n%s\n%s", code, out, stderr)
	}
	after, err := runlog.Last(cfg, runlog.JobRun, (*runlog.Record).Succeeded)
	if err != nil || after == nil || after.ID == before.ID {
		t.Fatalf("no new run record: %v", err)
	}
	if after.AsOf.String() != "2018Q4" || after.Official == nil || len(after.Official.Collecting) != 1 || after.Official.Collecting[0].Period.String() != "2019Q1" {
		t.Fatalf("as of %s, official %+v; want 2018Q4 with 2019Q1 in collection", after.AsOf, after.Official)
	}
	// Forced onto 2019Q1, whose one return arrived years after its cutoff:
	// nothing to assess, said so, rather than a silent 2018Q4.
	if code, _, stderr := offshore(t, "--workdir", dir, "forecast", "--as-of", "2019Q1"); code == exitOK || !strings.Contains(stderr, "no return for 2019Q1 had been received by the end of 2019-05-15") {
		t.Errorf("forecast --as-of 2019Q1: exit %d, %s", code, stderr)
	}
	latest := map[string]float64{}
	for _, a := range before.Results[0].Assessments {
		latest[a.TargetID] = a.Latest
	}
	for _, a := range after.Results[0].Assessments {
		if a.Latest != latest[a.TargetID] {
			t.Errorf("%s: latest %v, the demo's %v", a.TargetID, a.Latest, latest[a.TargetID])
		}
	}
}

// demoWithEarlyReturn copies the demo folder and drops into its inbox one
// 2019Q1 return of 2018Q4's biggest operator (the most weight a single early
// return can hold), its times set once written to ten days after the
// quarter's end (as cp -p keeps a sender's; the inbox takes it at once):
// the folder, its configuration and the return.
func demoWithEarlyReturn(t *testing.T) (string, *config.Config, domain.Return) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "season")
	if err := os.CopyFS(dir, os.DirFS(demo(t))); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := warehouse.ReadReturns(t.Context(), cfg.Settings.Paths.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	var early domain.Return
	for _, r := range rs {
		if r.Period == domain.NewPeriod(2018, 4) && r.Headcount > early.Headcount {
			early = r
		}
	}
	early.Period++
	f, err := template.Fill(&cfg.Mappings, template.Options{Lang: "fr"}, []domain.Return{early})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(cfg.Settings.Paths.Inbox, "early_2019Q1.xlsx")
	if err := f.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	sent := domain.NewPeriod(2019, 1).End().AddDate(0, 0, 10)
	if err := os.Chtimes(file, sent, sent); err != nil {
		t.Fatal(err)
	}
	return dir, cfg, early
}
