package pipeline

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// A nightly run with nothing new keeps the last run's outcome; new returns
// or other settings make it compute again.
func TestRunWithNothingNewKeepsTheLastOutcome(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	gen := func(from, to domain.Period, seed uint64) {
		if _, err := synth.WriteDir(ctx, cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.Options{Operators: 5, From: from, To: to, Seed: seed}); err != nil {
			t.Fatal(err)
		}
	}
	run := func() *RunSummary {
		r, err := Run(ctx, cfg, nil, nil)
		if err != nil && !errors.Is(err, ErrRejected) {
			t.Fatal(err)
		}
		return r
	}
	gen(domain.NewPeriod(2015, 1), domain.NewPeriod(2017, 2), 5)
	first := run()
	second := run()
	if second.UnchangedSince != first.ID || second.Report != first.Report || second.CatalogSeq != first.CatalogSeq || len(second.Results) != len(first.Results) {
		t.Fatalf("nothing new: unchanged_since %q, report %q (first %q)", second.UnchangedSince, second.Report, first.Report)
	}
	cfg.Settings.Forecast.OnTrack = 0.8
	if third := run(); third.UnchangedSince != "" || third.Report == first.Report {
		t.Errorf("after a settings change: unchanged_since %q", third.UnchangedSince)
	}
	gen(domain.NewPeriod(2017, 3), domain.NewPeriod(2017, 3), 6)
	if fourth := run(); fourth.UnchangedSince != "" || fourth.Ingest.Accepted == 0 {
		t.Errorf("after new returns: unchanged_since %q, accepted %d", fourth.UnchangedSince, fourth.Ingest.Accepted)
	}
}

// TestDeadRunWithAReusedPID reproduces issue 13: a record left running by
// a process whose pid now belongs to another (pid 1 of a restarted
// container) was never marked interrupted. The pid's start time tells them
// apart.
func TestDeadRunWithAReusedPID(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	live := NewRun(JobIngest, TriggerCLI) // this process: alive
	dead := NewRun(JobIngest, TriggerCLI)
	dead.PIDStart = "another-boot/1" // the same pid, another incarnation
	for _, r := range []*RunSummary{live, dead} {
		if err := SaveRun(cfg, r); err != nil {
			t.Fatal(err)
		}
	}
	n, err := MarkDeadRuns(cfg)
	if live.PIDStart == "" {
		// Linux (the project's machines and CI) has /proc: the start time
		// must be there. Elsewhere the pid alone judges: both records
		// belong to this live process, and neither is marked.
		if runtime.GOOS == "linux" {
			t.Fatal("no process start time recorded on Linux")
		}
		if err != nil || n != 0 {
			t.Fatalf("MarkDeadRuns without start times: %d, %v; want none marked (the pid is alive)", n, err)
		}
		return
	}
	if err != nil || n != 1 {
		t.Fatalf("MarkDeadRuns: %d, %v; want the reused pid's record marked", n, err)
	}
	runs, _ := ReadRuns(cfg, "", 0)
	for _, r := range runs {
		want := map[string]string{live.ID: StatusRunning, dead.ID: StatusInterrupted}[r.ID]
		if r.Status != want {
			t.Errorf("%s: %s, want %s", r.ID, r.Status, want)
		}
	}
}
