package main

import (
	"context"
	"flag"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/pipeline"
)

func cmdExport(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	asOf := fs.String("as-of", "", "a quarter (2017Q4) or a date (2017-12-31); default: everything known now")
	format := fs.String("format", "csv", "csv, json or parquet")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	table := fs.Arg(0)
	if !slices.Contains(pipeline.ExportTables, table) {
		return usageError("export: want a table: %s", strings.Join(pipeline.ExportTables, ", "))
	}
	if !slices.Contains(pipeline.ExportFormats, *format) {
		return usageError("export: --format %q: want csv, json or parquet", *format)
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	a, err := pipeline.ParseAsOf(*asOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
		return usageError("export: %v", err)
	}
	if *out != "" {
		_, err = pipeline.ExportFile(ctx, cfg, table, a, *format, *out, g.log)
		return err
	}
	_, err = pipeline.Export(ctx, cfg, table, a, *format, g.stdout, g.log)
	return err
}
