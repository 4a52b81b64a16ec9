package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/chart"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// AdHocDir is where an ad-hoc forecast's files (fan charts) are kept:
// warehouse/adhoc/<run id>/, never the official outbox.
func AdHocDir(cfg *config.Config, id string) string {
	return filepath.Join(cfg.Settings.Paths.Warehouse, "adhoc", id)
}

// AdHoc runs a checked ad-hoc forecast q, recorded as rec: the assessments
// of the request's targets and one fan chart per assessment in
// AdHocDir(cfg, rec.ID). It reads the warehouse without the writers' lock
// and writes nothing else: the outbox is the nightly run's.
func AdHoc(ctx context.Context, cfg *config.Config, q assess.Query, rec *runlog.Record, log *slog.Logger) error {
	rec.Request, rec.TargetSets = &q.Request, []string{q.Set.ID}
	return recorded(ctx, cfg, rec, func() error { return adHoc(ctx, cfg, q, rec, log) })
}

func adHoc(ctx context.Context, cfg *config.Config, q assess.Query, rec *runlog.Record, log *slog.Logger) error {
	c := *cfg // the request's choices, on a copy
	c.Settings.Warehouse.ImputeInForecasts = q.GapFilled
	set := q.Set
	if len(set.Targets) == 0 {
		return fmt.Errorf("target set %s has no target on sectors %v and metrics %v", set.ID, q.Request.Sectors, q.Request.Metrics)
	}
	c.Targets.Sets = []config.TargetSet{set}
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return err
	}
	o, err := outlook(ctx, &c, rs, cat, q.AsOf, []string{set.ID}, q.Model, log)
	if err != nil {
		return err
	}
	record(rec, o)
	dir := AdHocDir(cfg, rec.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gate := report.NewGate(secrecyOptions(&c, o))
	for _, a := range o.Published()[0].Assessments {
		if a.Secret {
			continue // its series would show what the rule hides
		}
		name := a.TargetID + ".png"
		hidden := func(p domain.Period) bool { return gate.Hidden(a.Sector, "", a.Metric, p) }
		if err := fanChart(o, a, hidden, filepath.Join(dir, name)); err != nil {
			orDiscard(log).Warn("fan chart not drawn", "target", a.TargetID, "err", err)
			continue
		}
		rec.Charts = append(rec.Charts, name)
	}
	return nil
}

// fanChart draws a's series and projection path. The target is drawn for
// jobs only: the other metrics are flows whose targets are annual or
// cumulative sums, not quarterly levels. A past quarter the confidentiality
// gate hides (hidden) is left out, as on the workbook's charts.
func fanChart(o *Outlook, a assess.Assessment, hidden func(domain.Period) bool, file string) error {
	s := o.Series.Get(a.Sector, a.Metric)
	if s == nil || len(a.Path) == 0 {
		return fmt.Errorf("no series or no projection path")
	}
	year := func(p domain.Period) float64 { return float64(p)/4 + 0.125 }
	f := chart.Fan{Title: a.Label, XLabel: "année", YLabel: "emplois", Legend: [3]string{"réalisé", "projection (moyenne, intervalle à 80 %)", "cible"}}
	scale := 1.0
	if a.Metric != domain.MetricJobs {
		scale, f.YLabel = 1e-9, "milliards de MAD par trimestre"
	}
	last := a.LatestPeriod
	if last == 0 {
		last = s.End()
	}
	for i, v := range s.Values {
		p := s.Start + domain.Period(i)
		if math.IsNaN(v) || p > last || hidden(p) {
			continue
		}
		f.HistoryX, f.History = append(f.HistoryX, year(p)), append(f.History, v*scale)
	}
	for _, pt := range a.Path {
		f.X, f.Median = append(f.X, year(pt.Period)), append(f.Median, pt.Mean*scale)
		f.Lo80, f.Hi80 = append(f.Lo80, pt.Lo80*scale), append(f.Hi80, pt.Hi80*scale)
	}
	if a.Metric == domain.MetricJobs {
		t := a.Target
		f.Target = &t
	}
	return f.Save(file)
}
