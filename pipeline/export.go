package pipeline

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// ExportTables are the tables Export writes.
var ExportTables = []string{"returns", "panel", "series", "problems", "runs", "forecasts"}

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"csv", "json", "parquet"}

// Export writes one table of the warehouse, as known at asOf, to w in format
// (csv, json or parquet), and returns the number of rows written. It reads
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
//     headcount imputed), through the confidentiality gate (exportSeries);
//   - problems: every problem found in the files received by the cutoff
//     (with the values found in operators' cells: internal);
//   - runs: the run records of warehouse/runs started by the cutoff;
//   - forecasts: the assessments those runs recorded, one row per target,
//     confidential ones masked as the API serves them.
func Export(ctx context.Context, cfg *config.Config, table string, asOf domain.AsOf, format string, w io.Writer, log *slog.Logger) (int, error) {
	log = orDiscard(log)
	if !slices.Contains(ExportFormats, format) {
		return 0, fmt.Errorf("export: format %q: want csv, json or parquet", format)
	}
	var t *exportTable
	var err error
	switch table {
	case "returns":
		t, err = exportReturns(ctx, cfg, asOf)
	case "panel":
		t, err = exportPanel(ctx, cfg, asOf)
	case "series":
		t, err = exportSeries(ctx, cfg, asOf)
	case "problems":
		t, err = exportProblems(ctx, cfg, asOf)
	case "runs", "forecasts":
		t, err = exportRuns(cfg, asOf, table == "forecasts")
	default:
		return 0, fmt.Errorf("export: table %q: want one of %s", table, strings.Join(ExportTables, ", "))
	}
	if err != nil {
		return 0, err
	}
	switch format {
	case "csv":
		err = t.writeCSV(w)
	case "json":
		err = t.writeJSON(w)
	default:
		err = t.writeParquet(w)
	}
	if err != nil {
		return 0, err
	}
	log.Info("export finished", "table", table, "rows", len(t.rows), "format", format)
	return len(t.rows), nil
}

// ExportFile writes the export to path atomically (temporary name, sync, rename).
func ExportFile(ctx context.Context, cfg *config.Config, table string, asOf domain.AsOf, format, path string, log *slog.Logger) (int, error) {
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
// panel the official series are built from (see officialReturns).
func official(ctx context.Context, cfg *config.Config, asOf domain.AsOf) ([]domain.Return, *series.Panel, error) {
	rs, _, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, nil, err
	}
	consolidated, _, panel := release.Returns(cfg, rs, asOf)
	return consolidated, panel, nil
}

func exportReturns(ctx context.Context, cfg *config.Config, asOf domain.AsOf) (*exportTable, error) {
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, err
	}
	t := newTable(
		"operator_id", tString, "operator_name", tString, "sector", tString, "region", tString, "period", tString, "version", tInt, "versions", tInt, "superseded", tBool,
		"headcount", tInt, "hires", tInt, "hires_youth", tInt, "hires_disabled", tInt, "export_revenue_mad", tFloat, "total_revenue_mad", tFloat, "investment_mad", tFloat,
		"source_sha256", tString, "source_name", tString, "sheet", tString, "row", tInt, "received_at", tTime, "ingested_at", tTime, "declared_at", tTime)
	for _, v := range series.Versions(rs, asOf.Cutoff, asOf.Period) {
		r := &v.Return
		declared := cat.Sources[r.SourceSHA256].DeclaredAt // the date the workbook says it was made; zero (blank) when none
		t.add(r.OperatorID, r.OperatorName, r.Sector, r.Region, r.Period.String(), v.Version, v.Versions, v.Version < v.Versions,
			r.Headcount, r.Hires, r.HiresYouth, r.HiresDisabled, r.ExportRevenueMAD, r.TotalRevenueMAD, r.InvestmentMAD,
			r.SourceSHA256, r.SourceName, r.Sheet, r.Row, r.ReceivedAt, r.IngestedAt, declared)
	}
	return t, nil
}

func exportPanel(ctx context.Context, cfg *config.Config, asOf domain.AsOf) (*exportTable, error) {
	rs, _, err := official(ctx, cfg, asOf)
	if err != nil {
		return nil, err
	}
	p := series.NewPanel(rs, cfg.Settings.Warehouse.CarryForward)
	exits := map[string]bool{}
	for _, e := range p.Exits {
		exits[e.OperatorID+"/"+(e.Detected-1).String()] = true
	}
	t := newTable(
		"operator_id", tString, "operator_name", tString, "sector", tString, "region", tString, "period", tString, "status", tString, "imputed", tBool, "entry", tBool, "exit", tBool, "from_period", tString,
		"headcount", tFloat, "hires", tFloat, "hires_youth", tFloat, "hires_disabled", tFloat, "export_revenue_mad", tFloat, "total_revenue_mad", tFloat, "investment_mad", tFloat,
		"source_sha256", tString, "received_at", tTime)
	for k := range p.Rows {
		r := &p.Rows[k]
		t.add(r.OperatorID, r.OperatorName, r.Sector, r.Region, r.Period.String(), r.Status, r.Imputed(), r.Entry,
			exits[r.OperatorID+"/"+r.Period.String()], r.From.String(),
			r.Headcount, r.Hires, r.HiresYouth, r.HiresDisabled, r.ExportRevenueMAD, r.TotalRevenueMAD, r.InvestmentMAD,
			r.SourceSHA256, r.ReceivedAt)
	}
	return t, nil
}

// exportSeries writes the official series, as the forecasts and the
// workbook use them (the reported returns and the known non-response, or gap-filled: see
// officialReturns), through the workbook's confidentiality gate: a figure
// the gate hides is null with secret true. Where operators are carried
// forward, the reported part and the imputed part are left null: the
// imputed part (value − reported) is the carried operators' own figures.
func exportSeries(ctx context.Context, cfg *config.Config, asOf domain.AsOf) (*exportTable, error) {
	rs, panel, err := official(ctx, cfg, asOf)
	if err != nil {
		return nil, err
	}
	gate := report.NewGate(secrecyFor(cfg, withImputed(rs, panel)))
	set := series.BuildPanel(panel, series.BuildOptions{Metrics: domain.Metrics, Regions: true})
	t := newTable("frequency", tString, "period", tString, "level", tString, "sector", tString, "region", tString, "metric", tString,
		"value", tFloat, "reported", tFloat, "imputed", tFloat, "operators", tInt, "operators_imputed", tInt, "imputed_headcount_share", tFloat, "complete", tBool, "secret", tBool)
	level := func(x *series.Series) string {
		switch {
		case x.Region != "":
			return "region"
		case x.Sector == domain.National:
			return "national"
		}
		return "sector"
	}
	// add writes one row; ps are the quarters the figure is built from.
	add := func(x *series.Series, freq, period string, v, rep float64, ops, imp int, share float64, ok bool, ps ...domain.Period) {
		secret := gate.Hidden(x.Sector, x.Region, x.Metric, ps...)
		if secret {
			v, rep, share = math.NaN(), math.NaN(), math.NaN()
		} else if imputedIn(x, ps) {
			rep, share = math.NaN(), math.NaN()
		}
		t.add(freq, period, level(x), x.Sector, x.Region, string(x.Metric), v, rep, v-rep, ops, imp, share, ok, secret)
	}
	for k := range set.Series {
		x := &set.Series[k]
		for j, v := range x.Values {
			p := x.Start + domain.Period(j)
			add(x, "quarter", p.String(), v, x.Reported[j], x.Operators[j], x.Imputed[j], x.ImputedShare[j], !math.IsNaN(v), p)
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
			add(x, "year", strconv.Itoa(y), v, rep, ops, imp, share, ok,
				domain.NewPeriod(y, 1), domain.NewPeriod(y, 2), domain.NewPeriod(y, 3), domain.YearEnd(y))
		}
	}
	return t, nil
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

func exportProblems(ctx context.Context, cfg *config.Config, asOf domain.AsOf) (*exportTable, error) {
	ps, cat, err := warehouse.ReadProblems(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, err
	}
	t := newTable("file", tString, "sha256", tString, "status", tString, "sheet", tString, "cell", tString, "code", tString, "severity", tString, "found", tString, "expected", tString, "message", tString,
		"received_at", tTime, "ingested_at", tTime)
	for _, p := range ps {
		src := cat.Sources[p.SHA256]
		if !asOf.Cutoff.IsZero() && src.ReceivedAt.After(asOf.Cutoff) {
			continue
		}
		t.add(p.File, p.SHA256, src.Status, p.Sheet, p.Cell, p.Code, string(p.Severity), p.Found, p.Expected, p.Message, src.ReceivedAt, p.IngestedAt)
	}
	return t, nil
}

func exportRuns(cfg *config.Config, asOf domain.AsOf, forecasts bool) (*exportTable, error) {
	runs, err := runlog.List(cfg, "", 0)
	if err != nil {
		return nil, err
	}
	slices.Reverse(runs) // oldest first
	var t *exportTable
	if forecasts {
		t = newTable("run", tString, "job", tString, "started", tTime, "as_of", tString, "cutoff", tTime, "target_set", tString, "target_id", tString, "sector", tString, "metric", tString,
			"kind_of_target", tString, "horizon", tString, "baseline", tFloat, "latest", tFloat, "latest_period", tString, "target", tFloat, "projected", tFloat,
			"lo80", tFloat, "hi80", tFloat, "lo95", tFloat, "hi95", tFloat, "p_meet", tFloat, "status", tString, "model", tString)
	} else {
		t = newTable("run", tString, "job", tString, "trigger", tString, "status", tString, "error", tString, "started", tTime, "finished", tTime, "as_of", tString, "cutoff", tTime, "catalog_seq", tInt,
			"files", tInt, "accepted", tInt, "rejected", tInt, "known", tInt, "rows", tInt, "report", tString)
	}
	for _, r := range runs {
		if !asOf.Cutoff.IsZero() && r.Started.After(asOf.Cutoff) {
			continue
		}
		var cutoff any
		if r.Cutoff != nil {
			cutoff = *r.Cutoff
		}
		if !forecasts {
			t.add(r.ID, string(r.Job), string(r.Trigger), string(r.Status), r.Error, r.Started, r.Finished, r.AsOf, cutoff, r.CatalogSeq,
				r.Ingest.Files, r.Ingest.Accepted, r.Ingest.Rejected, r.Ingest.Known, r.Ingest.Rows, r.Report)
			continue
		}
		for _, res := range r.Published().Results { // confidential assessments masked, as the API serves them
			for _, a := range res.Assessments {
				base, latest, target := a.Baseline, a.Latest, a.Target
				proj, lo80, hi80, lo95, hi95, p := a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95, a.PMeet
				nan := math.NaN()
				if a.Closed { // judged on its actual (latest): no projection nor probability, left empty
					proj, lo80, hi80, lo95, hi95, p = nan, nan, nan, nan, nan, nan
				}
				if a.Secret { // status secret, every figure left empty (not 0)
					base, latest, target, proj, lo80, hi80, lo95, hi95, p = nan, nan, nan, nan, nan, nan, nan, nan, nan
				}
				t.add(r.ID, string(r.Job), r.Started, res.AsOf, cutoff, res.TargetSet, a.TargetID, a.Sector, string(a.Metric), string(a.Kind), a.Horizon,
					base, latest, a.LatestPeriod, target, proj, lo80, hi80, lo95, hi95, p, a.Status, a.Model)
			}
		}
	}
	return t, nil
}

// Column types of an export table.
var (
	tString arrow.DataType = arrow.BinaryTypes.String
	tInt    arrow.DataType = arrow.PrimitiveTypes.Int64
	tFloat  arrow.DataType = arrow.PrimitiveTypes.Float64
	tBool   arrow.DataType = arrow.FixedWidthTypes.Boolean
	tTime   arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

// exportTable is a small typed table that writes itself as CSV, JSON or
// Parquet. Cells are nil (null), string, int64, float64 (NaN is null), bool
// or time.Time.
type exportTable struct {
	names []string
	types []arrow.DataType
	rows  [][]any
}

// newTable takes column names and types, alternating.
func newTable(cols ...any) *exportTable {
	t := &exportTable{}
	for k := 0; k < len(cols); k += 2 {
		t.names = append(t.names, cols[k].(string))
		t.types = append(t.types, cols[k+1].(arrow.DataType))
	}
	return t
}

// add appends a row, normalising Go values to the cell types.
func (t *exportTable) add(vals ...any) {
	if len(vals) != len(t.names) {
		panic(fmt.Sprintf("export: %d values for %d columns", len(vals), len(t.names)))
	}
	row := make([]any, len(vals))
	for k, v := range vals {
		switch x := v.(type) {
		case int:
			row[k] = int64(x)
		case *int64:
			if x != nil {
				row[k] = *x
			}
		case *float64:
			if x != nil {
				row[k] = *x
			}
		case float64:
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				row[k] = x
			}
		case time.Time:
			if !x.IsZero() {
				row[k] = x.UTC()
			}
		default:
			row[k] = v
		}
		if t.types[k] == tFloat {
			if n, ok := row[k].(int64); ok {
				row[k] = float64(n)
			}
		}
	}
	t.rows = append(t.rows, row)
}

// text writes a cell as CSV and JSON strings show it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func (t *exportTable) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(t.names)
	rec := make([]string, len(t.names))
	for _, row := range t.rows {
		for k, v := range row {
			rec[k] = text(v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array of objects, one per row, keys in column order.
func (t *exportTable) writeJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for r, row := range t.rows {
		if r > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n{")
		for k, v := range row {
			if k > 0 {
				bw.WriteString(",")
			}
			key, _ := json.Marshal(t.names[k])
			bw.Write(key)
			bw.WriteString(":")
			var val []byte
			if tm, ok := v.(time.Time); ok {
				val, _ = json.Marshal(tm.Format(time.RFC3339Nano))
			} else {
				val, _ = json.Marshal(v)
			}
			bw.Write(val)
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

func (t *exportTable) writeParquet(w io.Writer) error {
	fields := make([]arrow.Field, len(t.names))
	for k := range t.names {
		fields[k] = arrow.Field{Name: t.names[k], Type: t.types[k], Nullable: true}
	}
	bld := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer bld.Release()
	for _, row := range t.rows {
		for k, v := range row {
			fb := bld.Field(k)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch x := fb.(type) {
			case *array.StringBuilder:
				x.Append(v.(string))
			case *array.Int64Builder:
				x.Append(v.(int64))
			case *array.Float64Builder:
				x.Append(v.(float64))
			case *array.BooleanBuilder:
				x.Append(v.(bool))
			case *array.TimestampBuilder:
				x.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
			}
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	return warehouse.WriteParquet(w, rec)
}
