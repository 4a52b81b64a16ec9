package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline"
)

func cmdIngest(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	backfill := fs.Bool("backfill", false, "loading an archive of past returns: each file counts as received at its own modification time, not at its arrival")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	cfg.Settings.Ingest.Backfill = *backfill
	sum, err := pipeline.Ingest(ctx, cfg, fs.Args(), g.log)
	fmt.Fprintf(g.stdout, "%d files: %d accepted (%d rows), %d rejected, %d already in the warehouse",
		sum.Files, sum.Accepted, sum.Rows, sum.Rejected, sum.Known)
	if sum.Backfill {
		fmt.Fprint(g.stdout, "; backfill: received at the files' own dates")
	}
	if sum.Waiting > 0 {
		fmt.Fprintf(g.stdout, "; %d still arriving, left in the inbox", sum.Waiting)
	}
	fmt.Fprintln(g.stdout)
	return err
}
