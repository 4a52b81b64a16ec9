package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// PruneSummary says what Prune removed, or would remove (dry run).
type PruneSummary struct {
	DryRun     bool
	Runs       int      // run records
	AdHoc      int      // ad-hoc forecasts' chart folders
	Quarantine int      // quarantined copies and their reports
	Outbox     int      // superseded ministry workbooks
	Bytes      int64    // their size
	Paths      []string // every file or folder removed, in that order
}

// Prune removes what retention (offshore.yaml) lets go, as of now: run
// records past retention.runs_days beyond the newest retention.runs_keep of
// each job, records of ingests that took no file past
// retention.empty_ingest_hours, ad-hoc charts past retention.adhoc_days,
// quarantined files past retention.quarantine_days, and ministry workbooks
// of the outbox superseded by a newer one, past retention.outbox_days
// beyond the newest retention.outbox_keep. It never touches the
// warehouse's data (catalog, raw files, Parquet parts), a running run's
// record, the last successful nightly run's, nor a workbook (or its run)
// whose delivery by mail is still owed. With dryRun it removes nothing and
// says what it would. It goes on past a file it cannot remove and returns
// those errors joined.
func Prune(ctx context.Context, cfg *config.Config, now time.Time, dryRun bool, log *slog.Logger) (PruneSummary, error) {
	log = orDiscard(log)
	p := &pruner{cfg: cfg, now: now, sum: PruneSummary{DryRun: dryRun}, log: log}
	steps := []func(context.Context) error{p.runs, p.adhoc, p.quarantine, p.outbox}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return p.sum, err
		}
		if err := step(ctx); err != nil {
			p.errs = append(p.errs, err)
		}
	}
	if n := p.sum.Runs + p.sum.AdHoc + p.sum.Quarantine + p.sum.Outbox; n > 0 {
		msg := "pruned"
		if dryRun {
			msg = "would prune (dry run)"
		}
		log.Info(msg, "runs", p.sum.Runs, "adhoc", p.sum.AdHoc, "quarantine", p.sum.Quarantine, "outbox", p.sum.Outbox, "bytes", p.sum.Bytes)
	}
	return p.sum, errors.Join(p.errs...)
}

type pruner struct {
	cfg  *config.Config
	now  time.Time
	sum  PruneSummary
	log  *slog.Logger
	errs []error
	// owed are the workbooks whose delivery is still owed: kept.
	owed map[string]bool
}

// older tells whether t is more than days days before now; days 0 keeps
// forever.
func (p *pruner) older(t time.Time, days int) bool {
	return days > 0 && p.now.Sub(t) > config.Days(days)
}

// remove removes path (a file or a folder), counting it in *n, unless dry.
func (p *pruner) remove(path string, n *int) {
	size := diskSize(path)
	if !p.sum.DryRun {
		if err := os.RemoveAll(path); err != nil {
			p.errs = append(p.errs, err)
			return
		}
	}
	*n++
	p.sum.Bytes += size
	p.sum.Paths = append(p.sum.Paths, path)
}

// runs prunes the run records.
func (p *pruner) runs(ctx context.Context) error {
	r := p.cfg.Settings.Retention
	// The last successful nightly run (the next one compares with it) and
	// the last that wrote a workbook (the daemon's mail loop reads it).
	var keepID, workbookID string
	p.owed = map[string]bool{}
	byJob := map[runlog.Job]int{}
	var drop []*runlog.Record
	err := runlog.Each(p.cfg, "", func(rec *runlog.Record) bool {
		if ctx.Err() != nil {
			return false
		}
		if rec.Delivery != nil && rec.Delivery.Owed() && rec.Delivery.NextAttempt != nil {
			p.owed[rec.Delivery.Workbook] = true
			return true // still to be delivered: kept
		}
		if rec.Job == runlog.JobRun && rec.Succeeded() {
			protected := false
			if keepID == "" {
				keepID, protected = rec.ID, true
			}
			if workbookID == "" && rec.Report != "" && rec.UnchangedSince == "" {
				workbookID, protected = rec.ID, true
			}
			if protected {
				byJob[rec.Job]++
				return true
			}
		}
		if rec.Status == runlog.StatusRunning {
			return true
		}
		if rec.Job == runlog.JobIngest && emptyIngest(rec) {
			if r.EmptyIngestHours > 0 && p.now.Sub(rec.Started) > time.Duration(r.EmptyIngestHours)*time.Hour {
				drop = append(drop, rec)
			}
			return true // not counted among the newest kept
		}
		byJob[rec.Job]++
		if byJob[rec.Job] > r.RunsKeep && p.older(rec.Started, r.RunsDays) {
			drop = append(drop, rec)
		}
		return true
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, rec := range drop {
		p.remove(runlog.Path(p.cfg, rec.ID), &p.sum.Runs)
	}
	return nil
}

// emptyIngest tells whether rec is an ingest that took no file: nothing
// committed, nothing waiting, nothing skipped.
func emptyIngest(rec *runlog.Record) bool {
	in := rec.Ingest
	return (rec.Status == runlog.StatusOK || rec.Status == runlog.StatusSkipped) &&
		in.Files == 0 && in.Waiting == 0 && len(in.Skipped) == 0
}

// adhoc prunes the ad-hoc forecasts' folders, dated by their run id.
func (p *pruner) adhoc(ctx context.Context) error {
	days := p.cfg.Settings.Retention.AdHocDays
	root := filepath.Dir(AdHocDir(p.cfg, "_"))
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		at, ok := runlog.StampTime(e.Name())
		if !ok {
			if info, err := e.Info(); err == nil {
				at = info.ModTime()
			} else {
				continue
			}
		}
		if p.older(at, days) {
			p.remove(filepath.Join(root, e.Name()), &p.sum.AdHoc)
		}
	}
	return nil
}

// quarantine prunes the quarantined files (copies, problems reports,
// feedback workbooks), dated by their modification time.
func (p *pruner) quarantine(ctx context.Context) error {
	return p.files(p.cfg.Settings.Paths.Quarantine, func(string) bool { return true }, p.cfg.Settings.Retention.QuarantineDays, 0, &p.sum.Quarantine)
}

// outbox prunes the superseded ministry workbooks
// (<report.file_prefix>_*.xlsx); other files of the outbox are not
// offshore's and are left alone.
func (p *pruner) outbox(ctx context.Context) error {
	prefix := p.cfg.Settings.Report.FilePrefix + "_"
	mine := func(name string) bool {
		return strings.HasPrefix(name, prefix) && strings.HasSuffix(name, ".xlsx") && !p.owed[filepath.Join(p.cfg.Settings.Paths.Outbox, name)]
	}
	r := p.cfg.Settings.Retention
	return p.files(p.cfg.Settings.Paths.Outbox, mine, r.OutboxDays, r.OutboxKeep, &p.sum.Outbox)
}

// files removes the regular files of dir that match, newest first past
// the keep newest, older than days days.
func (p *pruner) files(dir string, match func(name string) bool, days, keep int, n *int) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	type file struct {
		name string
		mod  time.Time
	}
	var fs []file
	for _, e := range entries {
		if !e.Type().IsRegular() || !match(e.Name()) || strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		fs = append(fs, file{e.Name(), info.ModTime()})
	}
	slices.SortFunc(fs, func(a, b file) int { return b.mod.Compare(a.mod) })
	for i, f := range fs {
		if i >= keep && p.older(f.mod, days) {
			p.remove(filepath.Join(dir, f.name), n)
		}
	}
	return nil
}

// diskSize is the size of a file, or of a folder's files.
func diskSize(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
