package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/progress"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// WriteReport is `offshore report`: it forecasts the report's target sets
// (report.target_sets) as of asOf, as ForecastTargets does (and records it
// so), compares them with the latest nightly run, and writes the ministry
// workbook to out, or to outbox/<prefix>_<as-of>_<run stamp>.xlsx when out
// is empty. It returns the workbook's path.
func WriteReport(ctx context.Context, cfg *config.Config, asOf domain.AsOf, out string, log *slog.Logger) (string, error) {
	// Three steps, each long at national scale: read and assess, compare
	// with the last nightly run, write the workbook.
	bar := progress.Start(ctx, "report", "steps", 3)
	defer bar.Done()
	o, err := ForecastTargets(ctx, cfg, asOf, cfg.Settings.Report.TargetSets, log)
	if err != nil {
		return "", err
	}
	bar.Add(1)
	started := time.Now()
	compare(ctx, cfg, o, started, log)
	bar.Add(1)
	path, err := writeWorkbook(ctx, cfg, o, out, started, log)
	bar.Add(1)
	return path, err
}

// writeWorkbook writes the ministry workbook of o atomically to out, or to
// outbox/<prefix>_<as-of>_<run stamp>.xlsx when out is empty (so earlier
// reports are kept), and returns its path. started is the run's start: it
// names the run and is printed as the generation time. The workbook shows
// what the run computed: o's assessments, the consolidated returns behind
// the series (for the aggregate sheets, under the confidentiality rule), the
// previous run and the attribution of the changes since (compare); it adds
// only the rejected files by reason.
func writeWorkbook(ctx context.Context, cfg *config.Config, o *Outlook, out string, started time.Time, log *slog.Logger) (string, error) {
	log = orDiscard(log)
	if out == "" {
		out = filepath.Join(cfg.Settings.Paths.Outbox, fmt.Sprintf("%s_%s_%s.xlsx", cfg.Settings.Report.FilePrefix, o.Series.Last, runlog.Stamp(started)))
	}
	opts := secrecyOptions(cfg, o)
	opts.Lang, opts.GeneratedAt = cfg.Settings.Report.Lang, started
	opts.OnTrack, opts.AtRisk = cfg.Settings.Forecast.OnTrack, cfg.Settings.Forecast.AtRisk
	opts.FilingDelayDays = cfg.Settings.Forecast.FilingDelayDays
	opts.RunID, opts.Version, opts.Cutoff = runlog.Stamp(started), Version(), o.AsOf.Cutoff
	opts.AsOf = &report.AsOfChoice{Rule: string(o.Official.Rule), Coverage: o.Official.Coverage,
		MinOperators: cfg.Settings.Coverage.MinOperators, MinWeight: cfg.Settings.Coverage.MinWeight,
		MinReported: cfg.Settings.Coverage.MinReportedAfterDeadline, Collecting: o.Official.Collecting,
		Released: o.Official.Released, Cutoff: o.Official.Cutoff, Later: o.Official.Later}
	var err error
	if opts.Rejections, err = rejections(ctx, cfg.Settings.Paths.Warehouse, o.catalog); err != nil {
		return "", err
	}
	if prev := o.Previous; prev != nil {
		opts.Previous, opts.PreviousAt, opts.PreviousConfidential = prev.Results, prev.Started, prev.Confidential
		opts.PreviousRunID = prev.ID
		opts.Changes = o.Changes
	}
	f, err := report.Ministry(o.Results, o.Series, opts)
	if err != nil {
		return "", fmt.Errorf("building the ministry workbook: %w", err)
	}
	defer f.Close()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	err = atomicfile.Write(out, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
	if err != nil {
		return "", err
	}
	log.Info("report written", "file", out)
	return out, nil
}

// rejections counts the files the warehouse holds as rejected, by the code of
// each file's first error. When read (the catalog the outlook read; nil if
// unknown) names no rejected file, the problems table is not read: all it
// holds then is accepted files' warnings, and reading it with its catalog
// took a fifth of the national report's time.
func rejections(ctx context.Context, dir string, read *warehouse.Catalog) (map[string]int, error) {
	if read != nil && !anyRejected(read) {
		return map[string]int{}, nil
	}
	ps, cat, err := warehouse.ReadProblemsAt(ctx, dir, read)
	if err != nil {
		return nil, err
	}
	first := map[string]string{} // sha256 → code
	for _, p := range ps {
		if src, ok := cat.Sources[p.SHA256]; ok && src.Status == warehouse.StatusRejected && p.Severity == domain.SeverityError {
			if _, seen := first[p.SHA256]; !seen {
				first[p.SHA256] = p.Code
			}
		}
	}
	out := map[string]int{}
	for _, code := range first {
		out[code]++
	}
	return out, nil
}

// anyRejected reports whether cat names a rejected file.
func anyRejected(cat *warehouse.Catalog) bool {
	for _, src := range cat.Sources {
		if src.Status == warehouse.StatusRejected {
			return true
		}
	}
	return false
}
