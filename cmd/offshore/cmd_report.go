package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
)

// reportOptions are the flags of `offshore report`.
type reportOptions struct {
	out  string // the workbook to write; "" for the outbox (see pipeline.WriteReport)
	asOf string // a quarter or a date; "" for everything known now
}

func cmdReport(ctx context.Context, g *globals, args []string) error {
	var o reportOptions
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "", "workbook to write (default: <paths.outbox>/<report.file_prefix>_<as-of>_<run id>.xlsx,\n"+
		"e.g. outbox/Synthese_offshoring_2018Q4_20261127T230512.123456Z.xlsx, so that earlier reports are kept)")
	fs.StringVar(&o.asOf, "as-of", "", "a quarter (2017Q4) or a date (2017-12-31); default: everything known now")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	return runReport(ctx, g, o)
}

// runReport assesses the target sets of report.target_sets as of o.asOf and
// writes the ministry workbook.
func runReport(ctx context.Context, g *globals, o reportOptions) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	a, err := domain.ParseAsOf(o.asOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
		return usageError("report: %v", err)
	}
	path, err := pipeline.WriteReport(ctx, cfg, a, o.out, g.log)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, "report:", path)
	return nil
}
