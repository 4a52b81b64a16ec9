package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Outlook is one forecast: the series as of a date and the assessment of
// each requested target set.
type Outlook struct {
	AsOf       domain.AsOf
	CatalogSeq int // the warehouse commit the forecast read
	// Official says which rule chose the quarter assessed (Series.Last),
	// its coverage, and the later quarters still in collection.
	Official release.Official
	// Returns are the figures behind Series, one per operator × period:
	// the consolidated reported returns (the latest version as of AsOf)
	// and the operators carried forward (withImputed). The
	// confidentiality gate counts and weighs them.
	Returns []domain.Return
	Series  *series.Set
	Results []*assess.Result
	// Confidential lists the assessments ("set/target id") the
	// confidentiality rule hides, as the workbook does (see Published).
	Confidential []string

	// Previous is the nightly run the workbook's Évolution sheet compares
	// with, and Changes the attribution of each target's change of
	// projection since (key "set/target id"); set by compare, nil before.
	Previous *runlog.Record
	Changes  map[string]assess.Change

	all     []domain.Return    // every version read, for the report's Évolution split
	catalog *warehouse.Catalog // the catalog read
}

// ForecastTargets reads the warehouse, consolidates the returns known as of asOf,
// builds the series and assesses each target set (by id). It reads without
// the writers' lock (one catalog, then only the files it names, so never a
// half-done commit). The same warehouse content received by the as-of
// cutoff gives the same outlook, whatever arrived later. The only thing it
// writes is its run record, warehouse/runs/<id>.json (as-of,
// cutoff, commit read, results); failing to write it is logged, not fatal,
// so that a read-only warehouse can still be queried.
func ForecastTargets(ctx context.Context, cfg *config.Config, asOf domain.AsOf, sets []string, log *slog.Logger) (*Outlook, error) {
	rec := runlog.New(runlog.JobForecast, runlog.TriggerCLI)
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, err
	}
	model, err := configuredModel(cfg)
	if err != nil {
		return nil, err
	}
	o, err := outlook(ctx, cfg, rs, cat, asOf, sets, model, log)
	if err != nil {
		return nil, err
	}
	rec.TargetSets = sets
	record(rec, o)
	if err := runlog.Finish(ctx, cfg, rec, nil); err != nil {
		orDiscard(log).Warn("forecast run record not written", "err", err)
	}
	return o, nil
}

// Published returns o's results as they may leave the warehouse (the
// terminal, JSON): copies whose Confidential assessments are masked.
// o.Results stays whole, for the workbook's own gate.
func (o *Outlook) Published() []*assess.Result {
	return assess.Masked(o.Results, o.Confidential)
}

// outlook is ForecastTargets without the run record.
func outlook(ctx context.Context, cfg *config.Config, rs []domain.Return, cat *warehouse.Catalog, asOf domain.AsOf, sets []string, model forecast.Model, log *slog.Logger) (*Outlook, error) {
	log = orDiscard(log)
	start := time.Now()
	o, err := assessReturns(ctx, cfg, rs, asOf, sets, model)
	if err != nil {
		return nil, err
	}
	o.CatalogSeq, o.all, o.catalog = cat.Seq, rs, cat
	applySecrecy(cfg, o)
	log.Info("forecast finished", "as_of", o.Series.Last, "returns", len(rs), "operators", o.Series.Operators, "target_sets", len(sets), "duration", time.Since(start).Round(time.Millisecond))
	return o, nil
}

// assessReturns consolidates rs (all versions) as of asOf, builds the series
// and assesses each target set with the named model.
func assessReturns(ctx context.Context, cfg *config.Config, rs []domain.Return, asOf domain.AsOf, sets []string, model forecast.Model) (*Outlook, error) {
	consolidated, off, panel := release.Returns(cfg, rs, asOf)
	for _, q := range off.Collecting {
		line, owed := report.CollectingText(cfg.Settings.Report.Lang, q, cfg.Mappings.SectorCodes(), cfg.Settings.Forecast.FilingDelayDays)
		off.Notices = append(off.Notices, line+" ; "+owed)
	}
	s := series.BuildPanel(panel, series.BuildOptions{Sectors: cfg.Mappings.SectorCodes()})
	if len(s.Series) == 0 {
		return nil, fmt.Errorf("warehouse %s: no returns%s; run `offshore ingest` first: %w", cfg.Settings.Paths.Warehouse, asOfText(asOf), assess.ErrNoData)
	}
	if asOf.Period != 0 && s.Last < asOf.Period {
		return nil, fmt.Errorf("as of %s: no return for %s had been received by the end of %s, its cutoff (the latest quarter with returns by then: %s): %w",
			asOf.Period, asOf.Period, asOf.Cutoff.Add(-time.Nanosecond).Format(time.DateOnly), s.Last, assess.ErrNoData)
	}
	opts := assessOptions(cfg, model)
	o := &Outlook{AsOf: asOf, Official: off, Returns: withImputed(consolidated, panel), Series: s}
	for _, id := range sets {
		set := cfg.TargetSet(id)
		if set == nil {
			return nil, fmt.Errorf("target set %q is not in %s", id, cfg.Sources[config.TargetsFile])
		}
		res, err := assess.Set(ctx, s, set, asOf.Period, opts)
		if err != nil {
			return nil, err
		}
		o.Results = append(o.Results, res)
	}
	return o, nil
}

func asOfText(a domain.AsOf) string {
	if a.Period == 0 {
		return ""
	}
	return " as of " + a.Period.String()
}

// withImputed is consolidated plus one return per imputed row of p (an
// operator carried forward into a quarter, with the figures it is carried
// with and the lineage of the return they come from): the contributors of
// the series built from p. A published figure that includes an operator
// carried forward includes that operator's own (carried) figures, so the
// confidentiality gate must count and weigh it: counted on the reported
// returns alone, a sector of three small reporters and one dominant
// operator carried forward was published.
func withImputed(consolidated []domain.Return, p *series.Panel) []domain.Return {
	toInt := func(v *float64) *int64 {
		if v == nil {
			return nil
		}
		n := int64(math.Round(*v))
		return &n
	}
	out := slices.Clip(consolidated) // appends never write into the caller's array
	for i := range p.Rows {
		row := &p.Rows[i]
		if !row.Imputed() {
			continue
		}
		out = append(out, domain.Return{OperatorID: row.OperatorID, OperatorName: row.OperatorName, Sector: row.Sector, Region: row.Region,
			Period: row.Period, Headcount: int64(math.Round(row.Headcount)), Hires: toInt(row.Hires), HiresYouth: toInt(row.HiresYouth),
			HiresDisabled: toInt(row.HiresDisabled), ExportRevenueMAD: row.ExportRevenueMAD, TotalRevenueMAD: row.TotalRevenueMAD,
			InvestmentMAD: row.InvestmentMAD, SourceSHA256: row.SourceSHA256, ReceivedAt: row.ReceivedAt})
	}
	return out
}

// record writes o into its run record r: the commit read, the results and
// the confidential ones, and what it knew (as-of, cutoff, the rule's choice).
func record(r *runlog.Record, o *Outlook) {
	r.CatalogSeq, r.Results, r.Confidential = o.CatalogSeq, o.Results, o.Confidential
	r.AsOf = o.Series.Last
	off := o.Official
	r.Official = &off
	if o.AsOf.Period != 0 && o.AsOf.Period < o.Series.Last {
		r.AsOf = o.AsOf.Period
	}
	c := o.AsOf.Cutoff
	if c.IsZero() {
		c = r.Started
	}
	c = c.UTC()
	r.Cutoff = &c
}

// configuredModel is the model forecast.model names.
func configuredModel(cfg *config.Config) (forecast.Model, error) {
	model, err := forecast.ByName(cfg.Settings.Forecast.Model)
	if err != nil {
		return nil, fmt.Errorf("%s: forecast.model: %w", cfg.Sources[config.SettingsFile], err)
	}
	return model, nil
}

// assessOptions are the configuration's assessment options with model.
func assessOptions(cfg *config.Config, model forecast.Model) assess.Options {
	f := cfg.Settings.Forecast
	return assess.Options{Model: model, MinPoints: f.MinPoints, Thresholds: forecast.Thresholds{OnTrack: f.OnTrack, AtRisk: f.AtRisk}}
}
