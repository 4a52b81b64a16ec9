package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/offshore-ma/offshore/pipeline"
)

// pruneOptions are the flags of `offshore prune`.
type pruneOptions struct {
	dryRun bool // list what would go, remove nothing
}

func cmdPrune(ctx context.Context, g *globals, args []string) error {
	var o pruneOptions
	fs := flag.NewFlagSet("prune", flag.ContinueOnError)
	fs.BoolVar(&o.dryRun, "dry-run", false, "list what would be removed, remove nothing")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	return runPrune(ctx, g, o, time.Now())
}

// runPrune applies retention as of now and prints what it removed (or
// would, with --dry-run): each path, then the counts.
func runPrune(ctx context.Context, g *globals, o pruneOptions, now time.Time) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	sum, err := pipeline.Prune(ctx, cfg, now, o.dryRun, g.log)
	verb := "removed"
	if o.dryRun {
		verb = "would remove"
	}
	for _, p := range sum.Paths {
		fmt.Fprintf(g.stdout, "%s %s\n", verb, p)
	}
	fmt.Fprintf(g.stdout, "%s %d run records, %d ad-hoc chart folders, %d quarantined files, %d superseded workbooks (%.1f MB); the warehouse's data is never pruned\n",
		verb, sum.Runs, sum.AdHoc, sum.Quarantine, sum.Outbox, float64(sum.Bytes)/1e6)
	return err
}
