package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline"
)

func cmdIngest(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	sum, err := pipeline.Ingest(ctx, cfg, fs.Args(), g.log)
	fmt.Fprintf(g.stdout, "%d files: %d accepted (%d rows), %d rejected, %d already in the warehouse\n",
		sum.Files, sum.Accepted, sum.Rows, sum.Rejected, sum.Known)
	return err
}
