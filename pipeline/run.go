package pipeline

import (
	"context"
	"errors"
	"log/slog"

	"github.com/offshore-ma/offshore/configs"
)

// Run is the nightly job: ingest the inbox, compact the warehouse when a
// table holds more than warehouse.compact_after_files Parquet files, forecast
// the report's target sets, write the ministry workbook. rec is its record
// (from NewRun(JobRun, trigger); a CLI one when nil): saved as running when
// it starts and with its outcome when it ends. A rejected input does not stop
// it: it finishes and then returns ErrRejected (wrapped).
func Run(ctx context.Context, cfg *configs.Config, rec *RunSummary, log *slog.Logger) (*RunSummary, error) {
	if rec == nil {
		rec = NewRun(JobRun, TriggerCLI)
	}
	rec.TargetSets = cfg.Settings.Report.TargetSets
	if err := SaveRun(cfg, rec); err != nil {
		return rec, err
	}
	err := run(ctx, cfg, rec, log)
	if ferr := FinishRun(ctx, cfg, rec, err); ferr != nil && err == nil {
		err = ferr
	}
	return rec, err
}

func run(ctx context.Context, cfg *configs.Config, rec *RunSummary, log *slog.Logger) error {
	ing, err := Ingest(ctx, cfg, nil, log)
	rec.Ingest = ing
	if err != nil && !errors.Is(err, ErrRejected) {
		return err
	}
	rejected := err
	cs, err := Compact(ctx, cfg, false, log)
	if err != nil {
		return err
	}
	if cs.Compacted {
		rec.Compact = &cs
	}
	o, err := outlook(ctx, cfg, AsOf{}, cfg.Settings.Report.TargetSets, log)
	if err != nil {
		return err
	}
	rec.CatalogSeq, rec.Results = o.CatalogSeq, o.Results
	rec.setAsOf(o)
	if rec.Report, err = Report(ctx, cfg, o, "", rec.Started, log); err != nil {
		return err
	}
	return rejected
}

// IngestJob is the scheduler's ingest: Ingest of the inbox, recorded as rec.
func IngestJob(ctx context.Context, cfg *configs.Config, rec *RunSummary, log *slog.Logger) error {
	if err := SaveRun(cfg, rec); err != nil {
		return err
	}
	sum, err := Ingest(ctx, cfg, nil, log)
	rec.Ingest = sum
	if ferr := FinishRun(ctx, cfg, rec, err); ferr != nil && err == nil {
		err = ferr
	}
	return err
}
