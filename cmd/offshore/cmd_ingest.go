package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

// ingestOptions are the flags and arguments of `offshore ingest`.
type ingestOptions struct {
	backfill bool     // an archive: files count as received at their own dates
	paths    []string // files or folders; none for the configured inbox
}

func cmdIngest(ctx context.Context, g *globals, args []string) error {
	var o ingestOptions
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.BoolVar(&o.backfill, "backfill", false, "loading an archive of past returns: each file counts as received at its own modification time, not at its arrival")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	o.paths = fs.Args()
	if err := inputsExist("ingest", o.paths...); err != nil {
		return err
	}
	return runIngest(ctx, g, o)
}

// runIngest ingests o.paths, or the configured inbox, into the warehouse
// and prints the summary.
func runIngest(ctx context.Context, g *globals, o ingestOptions) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	cfg.Settings.Ingest.Backfill = o.backfill
	sum, err := pipeline.IngestFiles(ctx, cfg, o.paths, g.log)
	if err == nil || sum.Files+sum.Waiting+len(sum.Skipped) > 0 || errors.Is(err, context.Canceled) { // a refused warehouse has nothing to count
		printIngest(g.stdout, sum, cfg.Settings.Ingest.Settle, errors.Is(err, context.Canceled))
	}
	return err
}

// printIngest is ingest's summary, which run prints too: the working
// folder's own paths it skipped, if any, then one line of counts. After an
// interruption (interrupted), the counts are those of the commits made
// before it: what is in the warehouse.
func printIngest(w io.Writer, sum ingest.Summary, settle time.Duration, interrupted bool) {
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(w, "skipped, the working folder's own (never ingested): %s\n", strings.Join(sum.Skipped, ", "))
	}
	if interrupted {
		fmt.Fprint(w, "interrupted; committed before the stop: ")
	}
	fmt.Fprintf(w, "%d files: %d accepted (%d rows), %d rejected, %d already in the warehouse",
		sum.Files, sum.Accepted, sum.Rows, sum.Rejected, sum.Known)
	if sum.Backfill {
		fmt.Fprint(w, "; backfill: received at the files' own dates")
	}
	if sum.Waiting > 0 {
		fmt.Fprintf(w, "; %d still arriving, left in the inbox (taken once unchanged for ingest.settle, %s, or at once when renamed in)", sum.Waiting, settle)
	}
	fmt.Fprintln(w)
}

// inputsExist fails with a usage error (exit 2) naming the first of paths
// that does not exist: a mistyped name is the caller's to fix, not a
// failure of the run.
func inputsExist(cmd string, paths ...string) error {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return usageError("%s: %s: no such file or folder", cmd, p)
			}
			return usageError("%s: %v", cmd, err)
		}
	}
	return nil
}
