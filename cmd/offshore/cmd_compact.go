package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline"
)

func cmdCompact(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	sum, err := pipeline.Compact(ctx, cfg, true, g.log)
	if err != nil {
		return err
	}
	if !sum.Compacted {
		fmt.Fprintf(g.stdout, "nothing to compact: %d Parquet files\n", sum.Before)
		return nil
	}
	fmt.Fprintf(g.stdout, "compacted %d Parquet files into %d (%d rows rewritten)\n", sum.Before, sum.After, sum.Rows)
	return nil
}
