package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/pipeline/assess"
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
	asOf := o.Series.Last
	if q.AsOf.Period != 0 && q.AsOf.Period < asOf {
		asOf = q.AsOf.Period
	}
	explorer := assess.NewExplorer(o.Series, asOf, assessOptions(&c, q.Model)) // the series fitted once for every chart
	for _, a := range o.Published()[0].Assessments {
		if a.Secret {
			continue // its series would show what the rule hides
		}
		name := a.TargetID + ".png"
		hidden := func(p domain.Period) bool { return gate.Hidden(a.Sector, "", a.Metric, p) }
		if err := fanChart(explorer, &set, a, hidden, c.Settings.Report.Lang, filepath.Join(dir, name)); err != nil {
			orDiscard(log).Warn("fan chart not drawn", "target", a.TargetID, "err", err)
			continue
		}
		rec.Charts = append(rec.Charts, name)
	}
	return nil
}

// fanChart draws a's series and projection to its horizon, as the
// analysts' questions draw them (WriteAnswerChart): jobs by quarter, the
// flows by year (the sums the targets judge), with the target as a line
// (but for a cumulative target, a sum over years). A past quarter the
// confidentiality gate hides (hidden) is left out, as on the workbook's
// charts. A closed target (its horizon observed) has no projection: no
// chart.
func fanChart(explorer *assess.Explorer, set *config.TargetSet, a assess.Assessment, hidden func(domain.Period) bool, lang, file string) error {
	i := slices.IndexFunc(set.Targets, func(t config.Target) bool { return t.ID == a.TargetID })
	if i < 0 || a.Closed {
		return fmt.Errorf("no projection to draw")
	}
	t := set.Targets[i]
	if t.Kind == domain.KindIncrease {
		t.Kind, t.Value = domain.KindLevel, a.Target
	}
	if t.Kind == domain.KindCumulative && t.From == 0 {
		t.From = set.BaselineYear + 1
	}
	e, err := explorer.Explore(t, set.Horizon, hidden, nil)
	if err != nil {
		return err
	}
	ans := &Answer{Question: Question{Sector: a.Sector, Metric: a.Metric}, Yearly: e.Yearly, Target: &a.Target,
		Cumulative: t.Kind == domain.KindCumulative, History: points(e.History), Base: outcome(BaseName, e.Base), Horizon: set.Horizon}
	return atomicfile.Write(file, func(w io.Writer) error { return WriteAnswerChart(w, ans, "", "png", lang) })
}
