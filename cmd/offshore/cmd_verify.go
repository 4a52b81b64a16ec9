package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// cmdVerify checks every file of the warehouse against its catalog. It
// changes nothing; a damaged warehouse is exit 1 with one line per file.
func cmdVerify(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	dir := cfg.Settings.Paths.Warehouse
	rep, err := pipeline.Verify(ctx, cfg, g.log)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(g.stdout, p)
	}
	if len(rep.Problems) > 0 {
		return fmt.Errorf("%w: %s: %d of %d files are not as committed or named by no commit (listed above); restore them from a backup, or run `offshore repair`", warehouse.ErrDamaged, dir, len(rep.Problems), rep.Parts+rep.Raw)
	}
	fmt.Fprintf(g.stdout, "%s: %d Parquet parts and %d raw files, %d bytes, all as committed\n", dir, rep.Parts, rep.Raw, rep.Bytes)
	return nil
}
