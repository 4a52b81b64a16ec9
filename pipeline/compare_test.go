package pipeline

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// TestChangesAddUp runs the nightly job on returns up to 2017Q4, then again
// once 2018's returns (and some corrections) have arrived, and checks the
// split of each projection's change: new + revised + model = the change,
// and, the model being the same, the model part is nil.
func TestChangesAddUp(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Default(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Ingest.Backfill = true // generated archives, dated as filed
	ctx := context.Background()
	gen := func(to domain.Period) {
		t.Helper()
		opts := synth.Options{Operators: 30, From: domain.NewPeriod(2015, 1), To: to, Seed: 7}
		if _, err := synth.WriteDir(ctx, cfg.Settings.Paths.Inbox, &cfg.Mappings, opts); err != nil {
			t.Fatal(err)
		}
	}
	gen(domain.NewPeriod(2017, 4))
	first, err := Run(ctx, cfg, nil, nil)
	if err != nil && !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	gen(domain.NewPeriod(2018, 4))
	second, err := Run(ctx, cfg, nil, nil)
	if err != nil && !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{}, cfg.Settings.Report.TargetSets, mustModel(t, cfg.Settings.Forecast.Model))
	if err != nil {
		t.Fatal(err)
	}
	o.all, o.catalog = rs, cat
	compare(ctx, cfg, o, second.Started, nil)
	if o.Previous == nil || !o.Previous.Started.Equal(first.Started) {
		t.Fatalf("previous run %v", o.Previous)
	}
	split := o.Changes
	if len(split) == 0 {
		t.Fatal("no split computed")
	}
	projections := func(rs []*assess.Result) map[string]float64 {
		m := map[string]float64{}
		for _, r := range rs {
			for _, a := range r.Assessments {
				m[r.TargetSet+"/"+a.TargetID] = a.Projected
			}
		}
		return m
	}
	before, after := projections(first.Results), projections(o.Results)
	newSeen := false
	for key, c := range split {
		total := after[key] - before[key]
		if sum := c.NewReturns + c.RevisedReturns + c.Model; math.Abs(sum-total) > 1e-6*math.Max(1, math.Abs(total)) {
			t.Errorf("%s: parts add to %v, the change is %v", key, sum, total)
		}
		if math.Abs(c.Model) > 1e-6*math.Max(1, math.Abs(after[key])) {
			t.Errorf("%s: model part %v with the same model", key, c.Model)
		}
		newSeen = newSeen || c.NewReturns != 0
	}
	if !newSeen {
		t.Error("a year of new returns moved no projection")
	}
}
