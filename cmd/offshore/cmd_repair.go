package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// cmdRepair rebuilds a damaged warehouse from its raw archive.
func cmdRepair(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("repair", flag.ContinueOnError)
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	sum, err := pipeline.Repair(ctx, cfg, g.log)
	if errors.Is(err, warehouse.ErrSound) {
		fmt.Fprintf(g.stdout, "%s: %v\n", cfg.Settings.Paths.Warehouse, err)
		return nil
	}
	if sum.Aside != "" {
		fmt.Fprintf(g.stdout, "damaged catalog and parts moved to %s (nothing removed)\n", sum.Aside)
	}
	for _, p := range sum.Unreadable {
		fmt.Fprintf(g.stdout, "old part unreadable, its history lost: %s\n", p)
	}
	for _, p := range sum.Damaged {
		fmt.Fprintf(g.stdout, "in raw/ but not an archived workbook, or no longer its bytes: moved aside to %s\n", p)
	}
	fmt.Fprintf(g.stdout, "%d raw files ingested again in %d commits: %d accepted (%d rows), %d rejected; %d with their recorded name and dates, %d without (named by sha256, dated by their archive time)\n",
		sum.Files, sum.Commits, sum.Accepted, sum.Rows, sum.Rejected, sum.Recorded, sum.Unrecorded)
	return err
}
