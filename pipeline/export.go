package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/runlog"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/table"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// ExportTables are the tables Export writes.
var ExportTables = []string{"returns", "panel", "series", "problems", "runs", "forecasts"}

// Export writes one table of the warehouse, as known at asOf, to w in format
// f (csv in the French dialect or the plain one, json, parquet or xlsx; see
// table.Format), and returns the number of rows written. In CSV, every text
// cell that a spreadsheet would take for a formula (it begins with =, +, -,
// @, a tab or a carriage return: operators' names, problems' values found)
// is prefixed with a single quote (table.Neutralise); numbers stay numbers. It reads
// without the writers' lock (one catalog, then only the files it names) and
// never writes to the warehouse. Without asOf.Period, the panel and the
// series stop at the official quarter (the as-of rule): a quarter still in
// collection is not exported as if it were complete. The tables:
//
//   - returns: every version of every return received by the as-of cutoff,
//     for quarters up to the as-of quarter (without one: every quarter
//     received, the one in collection included), with version (1 = first
//     received, by received_at then file name then sha256), versions (how
//     many) and superseded (a later version exists by the cutoff). Operator
//     micro-data for the ministry's analysts, never gated: not for
//     publication;
//   - panel: one row per operator × quarter for the operators active then,
//     reported or imputed (carried forward; see series.NewPanel); micro-data
//     too;
//   - series: national, per sector and per region, quarterly and annual, for
//     every metric, with coverage (operators reporting, imputed, share of the
//     headcount imputed), through the confidentiality gate (exportSeries):
//     reported_sum (the returns received), carried_forward (the operators
//     carried forward) and reported_plus_carried_forward (the series the
//     forecasts use), named so that neither is taken for the other;
//   - problems: every problem found in the files received by the cutoff
//     (with the values found in operators' cells: internal);
//   - runs: the run records of warehouse/runs started by the cutoff;
//   - forecasts: the assessments those runs recorded, one row per target,
//     confidential ones masked as the API serves them.
func Export(ctx context.Context, cfg *config.Config, table string, asOf domain.AsOf, f table.Format, w io.Writer, log *slog.Logger) (int, error) {
	return export(ctx, cfg, table, asOf, f, w, log, memory.DefaultAllocator)
}

// export is Export with the allocator of the table's Arrow builders.
func export(ctx context.Context, cfg *config.Config, name string, asOf domain.AsOf, format table.Format, w io.Writer, log *slog.Logger, mem memory.Allocator) (int, error) {
	log = orDiscard(log)
	if err := format.Check(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	// Each declares its table's columns on t, in the files' order, then
	// appends the rows.
	build := map[string]func(context.Context, *config.Config, domain.AsOf, *table.Table) error{
		"returns":   exportReturns,
		"panel":     exportPanel,
		"series":    exportSeries,
		"problems":  exportProblems,
		"runs":      exportRuns,
		"forecasts": exportForecasts,
	}[name]
	if build == nil {
		return 0, fmt.Errorf("export: table %q: want one of %s", name, strings.Join(ExportTables, ", "))
	}
	t := table.New(mem)
	defer t.Release()
	if err := build(ctx, cfg, asOf, t); err != nil {
		return 0, err
	}
	n, err := t.WriteFormat(w, format)
	if err != nil {
		return 0, err
	}
	log.Info("export finished", "table", name, "rows", n, "format", format.Name)
	return n, nil
}

// ExportFile writes the export to path atomically (temporary name, sync, rename).
func ExportFile(ctx context.Context, cfg *config.Config, table string, asOf domain.AsOf, format table.Format, path string, log *slog.Logger) (int, error) {
	n := 0
	err := atomicfile.Write(path, func(w io.Writer) error {
		var err error
		n, err = Export(ctx, cfg, table, asOf, format, w, log)
		return err
	})
	return n, err
}

// official reads the warehouse and keeps the latest version of each
// operator × period known at asOf, for the quarters up to the as-of: the
// official quarter (the as-of rule, as `forecast` and `report` choose it)
// without --as-of, so that a quarter still in collection is not exported
// as if it were complete; the quarter named with it. It also returns the
// panel the official series are built from (see release.Returns).
func official(ctx context.Context, cfg *config.Config, asOf domain.AsOf) ([]domain.Return, *series.Panel, error) {
	rs, _, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, nil, err
	}
	consolidated, _, panel := release.Returns(cfg, rs, asOf)
	return consolidated, panel, nil
}

func exportReturns(ctx context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return err
	}
	var (
		operatorID    = t.String("operator_id")
		operatorName  = t.String("operator_name")
		sector        = t.String("sector")
		region        = t.String("region")
		period        = t.String("period")
		version       = t.Int64("version")
		versions      = t.Int64("versions")
		superseded    = t.Bool("superseded")
		headcount     = t.Int64("headcount")
		hires         = t.Int64("hires")
		hiresYouth    = t.Int64("hires_youth")
		hiresDisabled = t.Int64("hires_disabled")
		exportRevenue = t.Float64("export_revenue_mad")
		totalRevenue  = t.Float64("total_revenue_mad")
		investment    = t.Float64("investment_mad")
		sourceSHA256  = t.String("source_sha256")
		sourceName    = t.String("source_name")
		sheet         = t.String("sheet")
		row           = t.Int64("row")
		receivedAt    = t.Timestamp("received_at")
		ingestedAt    = t.Timestamp("ingested_at")
		declaredAt    = t.Timestamp("declared_at")
	)
	for _, v := range series.Versions(rs, asOf.Cutoff, asOf.Period) {
		r := &v.Return
		operatorID.Append(r.OperatorID)
		operatorName.Append(r.OperatorName)
		sector.Append(r.Sector)
		region.Append(r.Region)
		period.Append(r.Period.String())
		version.Append(int64(v.Version))
		versions.Append(int64(v.Versions))
		superseded.Append(v.Version < v.Versions)
		headcount.Append(r.Headcount)
		hires.AppendPtr(r.Hires)
		hiresYouth.AppendPtr(r.HiresYouth)
		hiresDisabled.AppendPtr(r.HiresDisabled)
		exportRevenue.Append(r.ExportRevenueMAD)
		totalRevenue.AppendPtr(r.TotalRevenueMAD)
		investment.AppendPtr(r.InvestmentMAD)
		sourceSHA256.Append(r.SourceSHA256)
		sourceName.Append(r.SourceName)
		sheet.Append(r.Sheet)
		row.Append(int64(r.Row))
		receivedAt.Append(r.ReceivedAt)
		ingestedAt.Append(r.IngestedAt)
		declaredAt.Append(cat.Sources[r.SourceSHA256].DeclaredAt) // the date the workbook says it was made; zero (null) when none
		if err := t.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

func exportPanel(ctx context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	rs, _, err := official(ctx, cfg, asOf)
	if err != nil {
		return err
	}
	p := series.NewPanel(rs, cfg.Settings.Warehouse.CarryForward)
	exits := map[string]bool{}
	for _, e := range p.Exits {
		exits[e.OperatorID+"/"+(e.Detected-1).String()] = true
	}
	var (
		operatorID    = t.String("operator_id")
		operatorName  = t.String("operator_name")
		sector        = t.String("sector")
		region        = t.String("region")
		period        = t.String("period")
		status        = t.String("status")
		imputed       = t.Bool("imputed")
		entry         = t.Bool("entry")
		exit          = t.Bool("exit")
		fromPeriod    = t.String("from_period")
		headcount     = t.Float64("headcount")
		hires         = t.Float64("hires")
		hiresYouth    = t.Float64("hires_youth")
		hiresDisabled = t.Float64("hires_disabled")
		exportRevenue = t.Float64("export_revenue_mad")
		totalRevenue  = t.Float64("total_revenue_mad")
		investment    = t.Float64("investment_mad")
		sourceSHA256  = t.String("source_sha256")
		receivedAt    = t.Timestamp("received_at")
	)
	for k := range p.Rows {
		r := &p.Rows[k]
		operatorID.Append(r.OperatorID)
		operatorName.Append(r.OperatorName)
		sector.Append(r.Sector)
		region.Append(r.Region)
		period.Append(r.Period.String())
		status.Append(r.Status)
		imputed.Append(r.Imputed())
		entry.Append(r.Entry)
		exit.Append(exits[r.OperatorID+"/"+r.Period.String()])
		fromPeriod.Append(r.From.String())
		headcount.Append(r.Headcount)
		hires.AppendPtr(r.Hires)
		hiresYouth.AppendPtr(r.HiresYouth)
		hiresDisabled.AppendPtr(r.HiresDisabled)
		exportRevenue.Append(r.ExportRevenueMAD)
		totalRevenue.AppendPtr(r.TotalRevenueMAD)
		investment.AppendPtr(r.InvestmentMAD)
		sourceSHA256.Append(r.SourceSHA256)
		receivedAt.Append(r.ReceivedAt)
		if err := t.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

// exportSeries writes the official series, as the forecasts and the
// workbook use them (the reported returns and the known non-response, or gap-filled: see
// release.Returns), through the workbook's confidentiality gate: a figure
// the gate hides is null with secret true. Where operators are carried
// forward, the reported part and the imputed part are left null: the
// imputed part (value − reported) is the carried operators' own figures.
func exportSeries(ctx context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	rs, panel, err := official(ctx, cfg, asOf)
	if err != nil {
		return err
	}
	gate := report.NewGate(secrecyFor(cfg, withImputed(rs, panel)))
	set := series.BuildPanel(panel, series.BuildOptions{Metrics: domain.Metrics, Regions: true, Sectors: cfg.Mappings.SectorCodes()})
	var (
		frequency        = t.String("frequency")
		period           = t.String("period")
		level            = t.String("level")
		sector           = t.String("sector")
		region           = t.String("region")
		metric           = t.String("metric")
		reported         = t.Float64("reported_sum")
		imputed          = t.Float64("carried_forward")
		value            = t.Float64("reported_plus_carried_forward")
		operators        = t.Int64("operators")
		operatorsImputed = t.Int64("operators_imputed")
		imputedShare     = t.Float64("imputed_headcount_share")
		complete         = t.Bool("complete")
		secret           = t.Bool("secret")
	)
	levelOf := func(x *series.Series) string {
		switch {
		case x.Region != "":
			return "region"
		case x.Sector == domain.National:
			return "national"
		}
		return "sector"
	}
	// add writes one row; ps are the quarters the figure is built from.
	add := func(x *series.Series, freq, p string, v, rep float64, ops, imp int, share float64, ok bool, ps ...domain.Period) error {
		hidden := gate.Hidden(x.Sector, x.Region, x.Metric, ps...)
		if hidden {
			v, rep, share = math.NaN(), math.NaN(), math.NaN()
		} else if imputedIn(x, ps) {
			rep, share = math.NaN(), math.NaN()
		}
		frequency.Append(freq)
		period.Append(p)
		level.Append(levelOf(x))
		sector.Append(x.Sector)
		region.Append(x.Region)
		metric.Append(string(x.Metric))
		reported.Append(rep)
		imputed.Append(v - rep) // NaN (null) when either is
		value.Append(v)
		operators.Append(int64(ops))
		operatorsImputed.Append(int64(imp))
		imputedShare.Append(share)
		complete.Append(ok)
		secret.Append(hidden)
		return t.EndRow()
	}
	for k := range set.Series {
		x := &set.Series[k]
		for j, v := range x.Values {
			p := x.Start + domain.Period(j)
			if err := add(x, "quarter", p.String(), v, x.Reported[j], x.Operators[j], x.Imputed[j], x.ImputedShare[j], !math.IsNaN(v), p); err != nil {
				return err
			}
		}
	}
	for k := range set.Series {
		x := &set.Series[k]
		for y := set.First.Year(); y <= set.Last.Year(); y++ {
			v, ok := series.Annual(x, y)
			rep, _ := series.Annual(&series.Series{Metric: x.Metric, Start: x.Start, Values: x.Reported}, y)
			q4 := int(domain.YearEnd(y) - x.Start)
			ops, imp, share := 0, 0, 0.0
			if q4 >= 0 && q4 < len(x.Values) {
				ops, imp, share = x.Operators[q4], x.Imputed[q4], x.ImputedShare[q4]
			}
			if err := add(x, "year", strconv.Itoa(y), v, rep, ops, imp, share, ok,
				domain.NewPeriod(y, 1), domain.NewPeriod(y, 2), domain.NewPeriod(y, 3), domain.YearEnd(y)); err != nil {
				return err
			}
		}
	}
	return nil
}

// imputedIn reports whether x has operators carried forward in one of ps.
func imputedIn(x *series.Series, ps []domain.Period) bool {
	for _, p := range ps {
		if i := int(p - x.Start); i >= 0 && i < len(x.Imputed) && x.Imputed[i] > 0 {
			return true
		}
	}
	return false
}

func exportProblems(ctx context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	ps, cat, err := warehouse.ReadProblems(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return err
	}
	var (
		file       = t.String("file")
		sha256     = t.String("sha256")
		status     = t.String("status")
		sheet      = t.String("sheet")
		cell       = t.String("cell")
		code       = t.String("code")
		severity   = t.String("severity")
		found      = t.String("found")
		expected   = t.String("expected")
		message    = t.String("message")
		receivedAt = t.Timestamp("received_at")
		ingestedAt = t.Timestamp("ingested_at")
	)
	for _, p := range ps {
		src := cat.Sources[p.SHA256]
		if !asOf.Cutoff.IsZero() && src.ReceivedAt.After(asOf.Cutoff) {
			continue
		}
		file.Append(p.File)
		sha256.Append(p.SHA256)
		status.Append(src.Status)
		sheet.Append(p.Sheet)
		cell.Append(p.Cell)
		code.Append(p.Code)
		severity.Append(string(p.Severity))
		found.Append(p.Found)
		expected.Append(p.Expected)
		message.Append(p.Message)
		receivedAt.Append(src.ReceivedAt)
		ingestedAt.Append(p.IngestedAt)
		if err := t.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

// runsAsOf returns the run records started by the as-of cutoff, oldest
// first.
func runsAsOf(cfg *config.Config, asOf domain.AsOf) ([]*runlog.Record, error) {
	runs, err := runlog.List(cfg, "", 0)
	if err != nil {
		return nil, err
	}
	slices.Reverse(runs) // oldest first
	if !asOf.Cutoff.IsZero() {
		runs = slices.DeleteFunc(runs, func(r *runlog.Record) bool { return r.Started.After(asOf.Cutoff) })
	}
	return runs, nil
}

func exportRuns(_ context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	runs, err := runsAsOf(cfg, asOf)
	if err != nil {
		return err
	}
	var (
		run        = t.String("run")
		job        = t.String("job")
		trigger    = t.String("trigger")
		status     = t.String("status")
		errs       = t.String("error")
		started    = t.Timestamp("started")
		finished   = t.Timestamp("finished")
		asOfCol    = t.String("as_of")
		cutoff     = t.Timestamp("cutoff")
		catalogSeq = t.Int64("catalog_seq")
		files      = t.Int64("files")
		accepted   = t.Int64("accepted")
		rejected   = t.Int64("rejected")
		known      = t.Int64("known")
		rows       = t.Int64("rows")
		reportCol  = t.String("report")
		// The workbook's delivery by mail (report.mail), on the run that
		// wrote it: pending, sent or failed ("" without one).
		mailCol      = t.String("mail")
		mailAttempts = t.Int64("mail_attempts")
		mailSent     = t.Timestamp("mail_sent")
	)
	for _, r := range runs {
		run.Append(r.ID)
		job.Append(string(r.Job))
		trigger.Append(string(r.Trigger))
		status.Append(string(r.Status))
		errs.Append(r.Error)
		started.Append(r.Started)
		finished.Append(r.Finished)
		asOfCol.Append(r.AsOf.String())
		cutoff.AppendPtr(r.Cutoff)
		catalogSeq.Append(int64(r.CatalogSeq))
		files.Append(int64(r.Ingest.Files))
		accepted.Append(int64(r.Ingest.Accepted))
		rejected.Append(int64(r.Ingest.Rejected))
		known.Append(int64(r.Ingest.Known))
		rows.Append(int64(r.Ingest.Rows))
		reportCol.Append(r.Report)
		var sent *time.Time
		if d := r.Delivery; d != nil {
			mailCol.Append(string(d.Status))
			mailAttempts.Append(int64(d.Attempts))
			sent = d.SentAt
		} else {
			mailCol.Append("")
			mailAttempts.Append(0)
		}
		mailSent.AppendPtr(sent)
		if err := t.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

func exportForecasts(_ context.Context, cfg *config.Config, asOf domain.AsOf, t *table.Table) error {
	runs, err := runsAsOf(cfg, asOf)
	if err != nil {
		return err
	}
	var (
		run          = t.String("run")
		job          = t.String("job")
		started      = t.Timestamp("started")
		asOfCol      = t.String("as_of")
		cutoff       = t.Timestamp("cutoff")
		targetSet    = t.String("target_set")
		targetID     = t.String("target_id")
		sector       = t.String("sector")
		metric       = t.String("metric")
		kind         = t.String("kind_of_target")
		horizon      = t.String("horizon")
		baseline     = t.Float64("baseline")
		latest       = t.Float64("latest")
		latestPeriod = t.String("latest_period")
		target       = t.Float64("target")
		projected    = t.Float64("projected")
		lo80         = t.Float64("lo80")
		hi80         = t.Float64("hi80")
		lo95         = t.Float64("lo95")
		hi95         = t.Float64("hi95")
		pMeet        = t.Float64("p_meet")
		status       = t.String("status")
		model        = t.String("model")
	)
	for _, r := range runs {
		for _, res := range r.Published().Results { // confidential assessments masked, as the API serves them
			for _, a := range res.Assessments {
				base, last, goal := a.Baseline, a.Latest, a.Target
				proj, l80, h80, l95, h95, p := a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95, a.PMeet
				nan := math.NaN()
				if a.Closed { // judged on its actual (latest): no projection nor probability, left empty
					proj, l80, h80, l95, h95, p = nan, nan, nan, nan, nan, nan
				}
				if a.Secret { // status secret, every figure left empty (not 0)
					base, last, goal, proj, l80, h80, l95, h95, p = nan, nan, nan, nan, nan, nan, nan, nan, nan
				}
				run.Append(r.ID)
				job.Append(string(r.Job))
				started.Append(r.Started)
				asOfCol.Append(res.AsOf.String())
				cutoff.AppendPtr(r.Cutoff)
				targetSet.Append(res.TargetSet)
				targetID.Append(a.TargetID)
				sector.Append(a.Sector)
				metric.Append(string(a.Metric))
				kind.Append(string(a.Kind))
				horizon.Append(a.Horizon)
				baseline.Append(base)
				latest.Append(last)
				latestPeriod.Append(a.LatestPeriod.String())
				target.Append(goal)
				projected.Append(proj)
				lo80.Append(l80)
				hi80.Append(h80)
				lo95.Append(l95)
				hi95.Append(h95)
				pMeet.Append(p)
				status.Append(string(a.Status))
				model.Append(a.Model)
				if err := t.EndRow(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
