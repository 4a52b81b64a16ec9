package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/offshore-ma/offshore/pipeline/runlog"

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
	run := func() *runlog.Record {
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
