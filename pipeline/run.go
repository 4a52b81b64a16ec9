package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Run is the nightly job: ingest the inbox, compact the warehouse when a
// table holds more than warehouse.compact_after_files Parquet files, forecast
// the report's target sets, write the ministry workbook. rec is its record
// (from runlog.New(runlog.JobRun, trigger); a CLI one when nil): saved as running when
// it starts and with its outcome when it ends. A rejected input does not stop
// it: it finishes and then returns ErrRejected (wrapped).
//
// When the ingest committed nothing and the last successful run read the
// same warehouse commit with the same settings, targets, mappings and
// software version, its assessments and workbook stand: they are recorded
// again (UnchangedSince names that run) rather than recomputed, since they
// would come out the same.
//
// With report.mail on, a new workbook is then mailed, once (deliver.go):
// the record is saved ok with its Delivery pending, then with the
// attempt's outcome. A failed attempt leaves the run ok (its figures and
// workbook stand) and is returned matching ErrDelivery (joined with
// ErrRejected when both); the daemon tries again later. A run with
// nothing new sends nothing.
//
// A run that succeeded then applies retention (Prune): what it cannot
// remove is logged, and does not fail the run.
func Run(ctx context.Context, cfg *config.Config, rec *runlog.Record, log *slog.Logger) (*runlog.Record, error) {
	if rec == nil {
		rec = runlog.New(runlog.JobRun, runlog.TriggerCLI)
	}
	rec.TargetSets = cfg.Settings.Report.TargetSets
	if err := runlog.Save(cfg, rec); err != nil {
		return rec, err
	}
	o, err := run(ctx, cfg, rec, log)
	mailing := o != nil && rec.Report != "" && cfg.Settings.Report.Mail.Enabled() && (err == nil || errors.Is(err, ErrRejected))
	if mailing {
		rec.Delivery = newDelivery(cfg, rec, time.Now().UTC())
	}
	if ferr := runlog.Finish(ctx, cfg, rec, err); ferr != nil && err == nil {
		err = ferr
	}
	if mailing && rec.Succeeded() && rec.Delivery.Status == runlog.DeliveryPending {
		if merr := attempt(ctx, cfg, rec, secrecyOptions(cfg, o), log); merr != nil {
			err = errors.Join(err, deliveryError{merr})
		}
	} else if mailing && rec.Delivery.Status == runlog.DeliveryFailed {
		err = errors.Join(err, deliveryError{errors.New(rec.Delivery.LastError)})
	}
	if rec.Succeeded() && ctx.Err() == nil {
		if _, perr := Prune(ctx, cfg, time.Now(), false, log); perr != nil {
			orDiscard(log).Warn("retention not fully applied", "err", perr)
		}
	}
	return rec, err
}

// run is the nightly job's work. It opens the warehouse once, for writing:
// ingest and compaction commit through that handle, and the forecast reads
// the returns its final catalog names (read once, when the warehouse was
// opened, and kept up to date by the commits), after the lock is released
// so that the frequent ingest is not held up by the forecast and report.
//
// It returns the outlook of a new workbook, nil when it wrote none (nothing
// new, or a failure).
func run(ctx context.Context, cfg *config.Config, rec *runlog.Record, log *slog.Logger) (*Outlook, error) {
	cat, rejected, prev, err := update(ctx, cfg, rec, log)
	if err != nil || prev != nil {
		if prev != nil {
			orDiscard(log).Info("nothing new since the last run: its assessments and workbook stand", "run", prev.ID, "report", prev.Report)
		}
		return nil, errors.Join(err, rejected)
	}
	rs, cat, err := warehouse.ReadReturnsAt(ctx, cfg.Settings.Paths.Warehouse, cat)
	if err != nil {
		return nil, err
	}
	model, err := configuredModel(cfg)
	if err != nil {
		return nil, err
	}
	o, err := outlook(ctx, cfg, rs, cat, domain.AsOf{}, cfg.Settings.Report.TargetSets, model, log)
	if err != nil {
		return nil, err
	}
	record(rec, o)
	compare(ctx, cfg, o, rec.Started, log)
	if rec.Report, err = writeWorkbook(ctx, cfg, o, "", rec.Started, log); err != nil {
		return nil, err
	}
	return o, rejected
}

// IngestInbox is the scheduler's ingest: IngestFiles of the inbox, recorded
// as rec. A scheduled ingest (trigger cron) that found the inbox empty (no
// file taken, none waiting) and succeeded leaves no record: the hourly
// ingest would otherwise write 8,760 a year that say nothing. Its record is
// written while it runs, as any other, and removed at its end. An ingest a
// person asked for keeps its record, which says who.
func IngestInbox(ctx context.Context, cfg *config.Config, rec *runlog.Record, log *slog.Logger) error {
	err := recorded(ctx, cfg, rec, func() (err error) {
		rec.Ingest, err = IngestFiles(ctx, cfg, nil, log)
		return err
	})
	if err == nil && rec.Succeeded() && rec.Trigger == runlog.TriggerCron && emptyIngest(rec) {
		if rerr := runlog.Remove(cfg, rec.ID); rerr != nil {
			orDiscard(log).Warn("record of an empty ingest not removed", "run", rec.ID, "err", rerr)
		}
	}
	return err
}

// recorded saves rec as running, does work and saves rec again with its
// outcome (runlog.Finish); work's error comes first.
func recorded(ctx context.Context, cfg *config.Config, rec *runlog.Record, work func() error) error {
	if err := runlog.Save(cfg, rec); err != nil {
		return err
	}
	err := work()
	if ferr := runlog.Finish(ctx, cfg, rec, err); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

// update is the writing part of the nightly run, under the writers' lock:
// ingest of the inbox, then, unless nothing has changed since the last
// successful run (unchanged: prev is that run), compaction. It returns the
// catalog after its commits, and ErrRejected (wrapped) as rejected when a
// file was rejected.
func update(ctx context.Context, cfg *config.Config, rec *runlog.Record, log *slog.Logger) (cat *warehouse.Catalog, rejected error, prev *runlog.Record, err error) {
	wh, err := openWriter(ctx, cfg, log)
	if err != nil {
		return nil, nil, nil, err
	}
	defer wh.Close()
	rec.Ingest, err = ingest.Files(ctx, cfg, wh, nil, log)
	if err != nil && !errors.Is(err, ErrRejected) {
		return nil, nil, nil, err
	}
	rejected = err
	rec.Digest = digest(cfg)
	if prev, err = unchanged(cfg, rec, wh.Catalog()); err != nil || prev != nil {
		return nil, rejected, prev, err
	}
	cs, err := compact(ctx, cfg, wh, false)
	if err != nil {
		return nil, rejected, nil, err
	}
	if cs.Compacted {
		rec.Compact = &cs
	}
	return wh.Catalog(), rejected, nil, nil
}

// unchanged copies into rec the outcome of the last successful nightly run
// when nothing it depends on has changed since (cat is the warehouse's
// catalog now), and returns that run.
func unchanged(cfg *config.Config, rec *runlog.Record, cat *warehouse.Catalog) (*runlog.Record, error) {
	if rec.Ingest.Accepted > 0 {
		return nil, nil
	}
	prev, err := runlog.Last(cfg, runlog.JobRun, (*runlog.Record).Succeeded)
	if err != nil || prev == nil || prev.CatalogSeq != cat.Seq || prev.Digest != rec.Digest || prev.Report == "" {
		return nil, err
	}
	if cfg.Settings.Coverage.ImputeAfterDeadline && prev.Official != nil && len(prev.Official.Collecting) > 0 {
		return nil, nil // a deadline may have passed since: the as-of rule may choose another quarter
	}
	if _, err := os.Stat(prev.Report); err != nil {
		return nil, nil // its workbook is gone: make it again
	}
	rec.UnchangedSince = prev.ID
	rec.AsOf, rec.Cutoff, rec.Official, rec.CatalogSeq, rec.Results, rec.Report = prev.AsOf, prev.Cutoff, prev.Official, prev.CatalogSeq, prev.Results, prev.Report
	rec.Confidential = prev.Confidential
	return prev, nil
}

// digest identifies what a run's figures depend on besides the warehouse:
// the forecast, report and warehouse settings, the targets, the mappings
// and the software version.
func digest(cfg *config.Config) string {
	s := cfg.Settings
	b, _ := json.Marshal([]any{s.Warehouse, s.Forecast, s.Report, cfg.Targets, cfg.Mappings, Version()})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// orDiscard is log, or a logger that discards when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
