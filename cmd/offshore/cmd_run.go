package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/pipeline"
)

// runOptions are the flags of `offshore run`.
type runOptions struct {
	backfill bool // the inbox holds an archive: files count as received at their own dates
}

func cmdRun(ctx context.Context, g *globals, args []string) error {
	var o runOptions
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.BoolVar(&o.backfill, "backfill", false, "ingest as ingest --backfill does: the inbox's files count as received at their own modification times")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	return runRun(ctx, g, o)
}

// runRun is the nightly job: ingest, compaction when due, forecast, report.
func runRun(ctx context.Context, g *globals, o runOptions) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	cfg.Settings.Ingest.Backfill = o.backfill
	// Run from a crontab, it is the one to say so of a run whose process
	// died (the daemon does at start).
	if n, err := runlog.MarkDead(cfg); err != nil {
		return err
	} else if n > 0 {
		g.log.Warn("runs left unfinished by a dead process marked interrupted", "runs", n)
	}
	sum, err := pipeline.Run(ctx, cfg, nil, g.log)
	if sum != nil && (err == nil || sum.Ingest.Files+sum.Ingest.Waiting > 0) {
		printIngest(g.stdout, sum.Ingest, cfg.Settings.Ingest.Settle, errors.Is(err, context.Canceled))
	}
	if sum != nil && sum.Report != "" {
		fmt.Fprintln(g.stdout, "report:", sum.Report)
	}
	if d := sumDelivery(sum); d != nil {
		switch d.Status {
		case runlog.DeliverySent:
			fmt.Fprintf(g.stdout, "mail: sent to %s\n", strings.Join(d.Recipients(), ", "))
		default:
			fmt.Fprintf(g.stdout, "mail: not sent (%s); the workbook is in the outbox; `offshore schedule` retries it\n", d.LastError)
		}
	}
	return err
}

// sumDelivery is the delivery by mail of the workbook the run wrote, nil
// when it wrote none or mail is off.
func sumDelivery(r *runlog.Record) *runlog.Delivery {
	if r == nil || r.UnchangedSince != "" {
		return nil
	}
	return r.Delivery
}
