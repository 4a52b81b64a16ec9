package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
)

func cmdReport(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	out := fs.String("out", "", "workbook to write (default: outbox/<prefix>-<as-of>.xlsx)")
	asOf := fs.String("as-of", "", "a quarter (2017Q4) or a date (2017-12-31); default: everything known now")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	a, err := domain.ParseAsOf(*asOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
		return usageError("report: %v", err)
	}
	path, err := pipeline.WriteReport(ctx, cfg, a, *out, g.log)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, "report:", path)
	return nil
}
