package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// workdir makes a working folder whose warehouse holds a few operators'
// returns for 2015Q1–2017Q4 (ingested once, then copied), and whose
// schedule is run and ingest specs.
func workdir(t *testing.T, run, ingest string) *config.Config {
	t.Helper()
	tmplOnce.Do(func() { tmplDir, tmplErr = ingested() })
	if tmplErr != nil {
		t.Fatal(tmplErr)
	}
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Schedule.Run, cfg.Settings.Schedule.Ingest = run, ingest
	if err := os.CopyFS(cfg.Settings.Paths.Warehouse, os.DirFS(tmplDir)); err != nil {
		t.Fatal(err)
	}
	return cfg
}

var (
	tmplOnce sync.Once
	tmplDir  string
	tmplErr  error
)

// ingested makes the warehouse workdir copies.
func ingested() (string, error) {
	dir, err := os.MkdirTemp("", "offshore-schedule-test-")
	if err != nil {
		return "", err
	}
	cfg, err := config.Default(dir)
	if err != nil {
		return "", err
	}
	cfg.Settings.Ingest.Backfill = true // a generated archive, dated as filed
	src := filepath.Join(dir, "returns")
	if _, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 6, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2017, 4), Seed: 7}); err != nil {
		return "", err
	}
	if _, err := pipeline.IngestFiles(context.Background(), cfg, []string{src}, nil); err != nil && !errors.Is(err, pipeline.ErrRejected) {
		return "", err
	}
	return cfg.Settings.Paths.Warehouse, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tmplDir != "" {
		os.RemoveAll(filepath.Dir(tmplDir))
	}
	if benchDir != "" {
		os.RemoveAll(filepath.Dir(benchDir))
	}
	os.Exit(code)
}

// succeeded records a successful run of job now, so that start-up has no
// catch-up to do.
func succeeded(t *testing.T, cfg *config.Config, job runlog.Job) {
	t.Helper()
	r := runlog.New(job, runlog.TriggerCLI)
	if err := runlog.Finish(context.Background(), cfg, r, nil); err != nil {
		t.Fatal(err)
	}
}

// midyear is a fixed "now" for tests whose verdict depends on the previous
// scheduled time: the runs they make start later, in real time.
var midyear = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newDaemon(t *testing.T, cfg *config.Config) *Daemon {
	t.Helper()
	d, err := New(cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Stop(time.Second) })
	return d
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s did not happen", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runs(t *testing.T, cfg *config.Config, job runlog.Job) []*runlog.Record {
	t.Helper()
	rs, err := runlog.List(cfg, job, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func count(rs []*runlog.Record, keep func(*runlog.Record) bool) int {
	n := 0
	for _, r := range rs {
		if keep(r) {
			n++
		}
	}
	return n
}

func TestBadSpecsAreErrorsNamingTheKey(t *testing.T) {
	for _, tt := range []struct{ run, ingest, want string }{
		{"0 0 30 2 *", "", `schedule.run "0 0 30 2 *": it never fires`},
		{"TZ=", "", `schedule.run "TZ="`},
		{"30 3 * * *", "every hour", `schedule.ingest "every hour"`},
		{"61 * * * *", "", `schedule.run "61 * * * *"`},
	} {
		cfg, _ := config.Default(t.TempDir())
		cfg.Settings.Schedule.Run, cfg.Settings.Schedule.Ingest = tt.run, tt.ingest
		_, err := New(cfg, quiet())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run %q ingest %q: err = %v, want it to contain %q", tt.run, tt.ingest, err, tt.want)
		}
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), strings.SplitN(tt.want, " ", 2)[0]) {
			t.Errorf("Validate: run %q ingest %q: err = %v", tt.run, tt.ingest, err)
		}
	}
}

func TestClockChangeWarning(t *testing.T) {
	loc, _ := time.LoadLocation("Africa/Casablanca")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	s, err := config.ParseCron("30 2 * * *", loc)
	if err != nil {
		t.Fatal(err)
	}
	hits := clockChangeHits(s, loc, from, 1)
	if len(hits) != 2 {
		t.Fatalf("02:30 hits = %+v, want the two 2026 Ramadan changes", hits)
	}
	if got := hits[0].at.Format("2006-01-02 15:04"); got != "2026-02-15 02:30" || hits[0].effect != "run twice" {
		t.Errorf("first hit %s %s, want 2026-02-15 02:30, run twice", got, hits[0].effect)
	}
	if got := hits[1].at.Format("2006-01-02 15:04"); got != "2026-03-22 02:30" || hits[1].effect != "not run" {
		t.Errorf("second hit %s %s, want 2026-03-22 02:30, not run", got, hits[1].effect)
	}
	for _, spec := range []string{"30 3 * * *", "0 1 * * *", "@every 1h"} {
		s, _ := config.ParseCron(spec, loc)
		if h := clockChangeHits(s, loc, from, 2); len(h) != 0 {
			t.Errorf("%s: hits %+v, want none", spec, h)
		}
	}
	// The default nightly time is outside the hour; the daemon warns about one inside.
	cfg, _ := config.Default(t.TempDir())
	if w := newDaemon(t, cfg).Warnings(); len(w) != 0 {
		t.Errorf("default schedule warnings: %v", w)
	}
	cfg.Settings.Schedule.Run = "30 2 * * *"
	d := newDaemon(t, cfg)
	d.now = func() time.Time { return from }
	w := d.Warnings()
	if len(w) < 2 || !strings.Contains(w[0], "2026-02-15 02:30") || !strings.Contains(w[0], "run twice") {
		t.Errorf("warnings = %v", w)
	}
}

func TestPrevious(t *testing.T) {
	loc, _ := time.LoadLocation("Africa/Casablanca")
	s, _ := config.ParseCron("30 3 * * *", loc)
	now := time.Date(2026, 11, 28, 1, 0, 0, 0, loc)
	got, ok := previous(s, now)
	if want := time.Date(2026, 11, 27, 3, 30, 0, 0, loc); !ok || !got.Equal(want) {
		t.Errorf("previous = %v, want %v", got, want)
	}
	y, _ := config.ParseCron("0 0 1 1 *", loc)
	if got, ok := previous(y, now); !ok || !got.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, loc)) {
		t.Errorf("yearly previous = %v", got)
	}
	sec, _ := config.ParseCron("*/5 * * * * *", loc)
	if got, ok := previous(sec, now.Add(7*time.Second)); !ok || !got.Equal(now.Add(5*time.Second)) {
		t.Errorf("seconds previous = %v", got)
	}
}

// A job missed for many nights runs once at start-up, and a restart after
// it succeeded runs nothing.
func TestCatchUpOnceAcrossRestarts(t *testing.T) {
	cfg := workdir(t, "30 3 * * *", "")
	// an old success: the nightly run has missed many nights since
	old := runlog.New(runlog.JobRun, runlog.TriggerCron)
	old.ID = "20240101T033000.000000Z-run"
	old.Started, old.Finished, old.Status = time.Date(2024, 1, 1, 3, 30, 0, 0, time.UTC), time.Date(2024, 1, 1, 3, 31, 0, 0, time.UTC), runlog.StatusOK
	if err := runlog.Save(cfg, old); err != nil {
		t.Fatal(err)
	}
	for restart := range 3 {
		d := newDaemon(t, cfg)
		d.now = func() time.Time { return midyear } // well past 03:30, whatever the hour the test runs
		if err := d.Start(); err != nil {
			t.Fatal(err)
		}
		d.catchingUp.Wait()
		if !d.Stop(time.Minute) {
			t.Fatal("stop timed out")
		}
		rs := runs(t, cfg, runlog.JobRun)
		if n := count(rs, func(r *runlog.Record) bool { return r.Trigger == runlog.TriggerCatchUp }); n != 1 {
			t.Fatalf("after start %d: %d catch-up runs, want 1", restart+1, n)
		}
		if !rs[0].Succeeded() || rs[0].Report == "" {
			t.Fatalf("catch-up run: %+v", rs[0])
		}
	}
}

// A run left "running" by a killed process is marked interrupted at start-up.
func TestDeadRunMarkedInterrupted(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	dead := runlog.New(runlog.JobRun, runlog.TriggerCron)
	dead.PID = 1 << 30 // no such process
	if err := runlog.Save(cfg, dead); err != nil {
		t.Fatal(err)
	}
	d := newDaemon(t, cfg)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	r, err := runlog.Read(cfg, dead.ID)
	if err != nil || r.Status != runlog.StatusInterrupted {
		t.Errorf("dead run: %+v, %v", r, err)
	}
}

// The real cron, on a seconds-level spec, ingests a file dropped into the
// inbox.
func TestCronIngestsTheInbox(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "* * * * * *")
	succeeded(t, cfg, runlog.JobRun)
	d := newDaemon(t, cfg)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	d.catchingUp.Wait() // a catch-up ingest (the run recorded above may precede the last second) must not take the files
	if _, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.Options{Operators: 2, From: domain.NewPeriod(2018, 1), To: domain.NewPeriod(2018, 1), Seed: 9}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "a cron ingest accepting the new returns", func() bool {
		return count(runs(t, cfg, runlog.JobIngest), func(r *runlog.Record) bool {
			return r.Trigger == runlog.TriggerCron && r.Succeeded() && r.Ingest.Accepted == 2
		}) == 1
	})
	waitFor(t, 10*time.Second, "the inbox emptied", func() bool {
		left, _ := filepath.Glob(filepath.Join(cfg.Settings.Paths.Inbox, "*.xlsx"))
		return len(left) == 0
	})
}

func TestOverlappingRunIsSkippedAndRecorded(t *testing.T) {
	cfg := workdir(t, "* * * * * *", "")
	d := newDaemon(t, cfg)
	started, release := make(chan string, 10), make(chan struct{})
	j := d.jobs[0]
	j.fn = func(ctx context.Context, rec *runlog.Record) error {
		started <- rec.ID
		select {
		case <-release:
			return runlog.Finish(ctx, cfg, rec, nil)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := d.Start(); err != nil { // the cron fires every second; the first run blocks
		t.Fatal(err)
	}
	first := <-started
	waitFor(t, 10*time.Second, "a skipped run", func() bool {
		return count(runs(t, cfg, runlog.JobRun), func(r *runlog.Record) bool { return r.Status == runlog.StatusSkipped }) > 0
	})
	close(release)
	waitFor(t, 10*time.Second, "the first run to finish", func() bool {
		r, _ := runlog.Read(cfg, first)
		return r != nil && r.Succeeded()
	})
	for _, r := range runs(t, cfg, runlog.JobRun) {
		if r.Status == runlog.StatusSkipped && !strings.Contains(r.Error, "still running") {
			t.Errorf("skipped run %s: error %q", r.ID, r.Error)
		}
	}
}

func TestPanicIsRecordedAndTheDaemonGoesOn(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	j := d.jobs[0]
	j.fn = func(ctx context.Context, rec *runlog.Record) error {
		runlog.Save(cfg, rec)
		panic("boom")
	}
	rec := d.execute(j, runlog.TriggerCron)
	if rec.Status != runlog.StatusFailed || !strings.Contains(rec.Error, "panic") {
		t.Fatalf("panicking run: %+v", rec)
	}
	if r, _ := runlog.Read(cfg, rec.ID); r == nil || r.Status != runlog.StatusFailed {
		t.Errorf("stored record: %+v", r)
	}
	j.fn = func(ctx context.Context, rec *runlog.Record) error {
		return runlog.Finish(ctx, cfg, rec, nil)
	}
	if rec := d.execute(j, runlog.TriggerCron); !rec.Succeeded() {
		t.Errorf("run after the panic: %+v", rec)
	}
}

func TestJobTimeout(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	cfg.Settings.Schedule.RunTimeout = 200 * time.Millisecond
	d := newDaemon(t, cfg)
	j := d.jobs[0]
	j.fn = func(ctx context.Context, rec *runlog.Record) error {
		<-ctx.Done()
		return ctx.Err()
	}
	rec := d.execute(j, runlog.TriggerCron)
	if rec.Status != runlog.StatusFailed || !strings.Contains(rec.Error, "timed out") {
		t.Errorf("run past its timeout: %s %q", rec.Status, rec.Error)
	}
}

// Stop lets a running job finish within the grace period; past it, the job
// is cancelled and recorded as interrupted.
func TestGracefulStop(t *testing.T) {
	for _, finishes := range []bool{true, false} {
		cfg := workdir(t, "0 0 1 1 *", "")
		d := newDaemon(t, cfg)
		j := d.jobs[0]
		started, release := make(chan string, 1), make(chan struct{})
		j.fn = func(ctx context.Context, rec *runlog.Record) error {
			runlog.Save(cfg, rec)
			started <- rec.ID
			select {
			case <-release:
				return runlog.Finish(ctx, cfg, rec, nil)
			case <-ctx.Done():
				return runlog.Finish(ctx, cfg, rec, ctx.Err())
			}
		}
		go d.execute(j, runlog.TriggerCron)
		id := <-started
		grace := 300 * time.Millisecond
		if finishes {
			grace = time.Minute
			time.AfterFunc(100*time.Millisecond, func() { close(release) })
		}
		if got := d.Stop(grace); got != finishes {
			t.Errorf("finishes=%v: Stop = %v", finishes, got)
		}
		r, _ := runlog.Read(cfg, id)
		want := runlog.StatusOK
		if !finishes {
			want = runlog.StatusInterrupted
		}
		if r == nil || r.Status != want {
			t.Errorf("finishes=%v: record %+v, want status %s", finishes, r, want)
		}
		if rec := d.execute(j, runlog.TriggerCron); rec != nil {
			t.Error("a job started after Stop")
		}
	}
}

// An ingest is skipped while the nightly run writes, and the nightly run
// waits for a running ingest rather than being skipped.
func TestWriterJobsDoNotOverlap(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "0 0 1 1 *")
	d := newDaemon(t, cfg)
	run, ing := d.jobs[0], d.jobs[1]
	started := make(chan runlog.Job, 2)
	release := map[runlog.Job]chan struct{}{runlog.JobRun: make(chan struct{}), runlog.JobIngest: make(chan struct{})}
	blocking := func(ctx context.Context, rec *runlog.Record) error {
		started <- rec.Job
		<-release[rec.Job]
		return runlog.Finish(ctx, cfg, rec, nil)
	}
	run.fn, ing.fn = blocking, blocking

	go d.execute(run, runlog.TriggerCron)
	<-started
	if rec := d.execute(ing, runlog.TriggerCron); rec.Status != runlog.StatusSkipped || !strings.Contains(rec.Error, "nightly run") {
		t.Errorf("ingest during the nightly run: %s %q", rec.Status, rec.Error)
	}
	close(release[runlog.JobRun])
	waitFor(t, 5*time.Second, "the nightly run to end", func() bool { return !run.running.Load() })

	release[runlog.JobRun] = make(chan struct{})
	go d.execute(ing, runlog.TriggerCron)
	if got := <-started; got != runlog.JobIngest {
		t.Fatalf("started %s", got)
	}
	done := make(chan *runlog.Record)
	go func() { done <- d.execute(run, runlog.TriggerCron) }()
	close(release[runlog.JobIngest]) // the nightly run may start now
	if got := <-started; got != runlog.JobRun {
		t.Fatalf("started %s", got)
	}
	close(release[runlog.JobRun])
	if rec := <-done; !rec.Succeeded() {
		t.Errorf("nightly run after an ingest: %s %q", rec.Status, rec.Error)
	}
}

// A nightly run that finds the warehouse locked by another writer (an
// `offshore ingest` from a shell) past warehouse.lock_wait is recorded as
// skipped, naming the holder.
func TestLockedWarehouseSkipsTheRun(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	cfg.Settings.Warehouse.LockWait = 100 * time.Millisecond
	wh, err := warehouse.Open(context.Background(), cfg.Settings.Paths.Warehouse, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	d := newDaemon(t, cfg)
	rec := d.execute(d.jobs[0], runlog.TriggerCron)
	if rec.Status != runlog.StatusSkipped || !strings.Contains(rec.Error, "locked") {
		t.Errorf("run on a locked warehouse: %s %q", rec.Status, rec.Error)
	}
}
