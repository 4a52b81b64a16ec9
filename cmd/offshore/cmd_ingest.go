package main

import (
	"context"
	"flag"
	"fmt"
	"io"
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
	return runIngest(ctx, g, o)
}

// runIngest ingests o.paths, or the configured inbox, into the warehouse
// and prints the summary.
func runIngest(ctx context.Context, g *globals, o ingestOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	cfg.Settings.Ingest.Backfill = o.backfill
	sum, err := pipeline.IngestFiles(ctx, cfg, o.paths, g.log)
	if err == nil || sum.Files+sum.Waiting > 0 { // a refused warehouse has nothing to count
		printIngest(g.stdout, sum, cfg.Settings.Ingest.Settle)
	}
	return err
}

// printIngest is ingest's one-line summary, which run prints too.
func printIngest(w io.Writer, sum ingest.Summary, settle time.Duration) {
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
