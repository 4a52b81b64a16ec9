package main

import (
	"context"
	"flag"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/table"
)

// exportOptions are the flags and argument of `offshore export`.
type exportOptions struct {
	table  string // one of pipeline.ExportTables
	asOf   string // a quarter or a date; "" for the official quarter
	format string // one of table.Formats
	sep    string // csv: ";" (French: decimal comma, UTF-8 BOM) or ","
	out    string // file to write; "" for stdout
}

func cmdExport(ctx context.Context, g *globals, args []string) error {
	var o exportOptions
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&o.asOf, "as-of", "", "a quarter (2017Q4) or a date (2017-12-31); default: everything known now")
	fs.StringVar(&o.format, "format", "csv", "csv, json, parquet or xlsx")
	fs.StringVar(&o.sep, "sep", ";", "csv: ; (French Excel: decimal comma, UTF-8 BOM) or , (decimal point, no BOM)")
	fs.StringVar(&o.out, "out", "", "file to write, atomically (default: standard output)")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	o.table = fs.Arg(0)
	if fs.NArg() > 1 {
		return usageError("export: one table at a time; unexpected argument %q", fs.Arg(1))
	}
	if !slices.Contains(pipeline.ExportTables, o.table) {
		return usageError("export: want a table: %s", strings.Join(pipeline.ExportTables, ", "))
	}
	if !slices.Contains(table.Formats, o.format) {
		return usageError("export: --format %q: want csv, json, parquet or xlsx", o.format)
	}
	if o.sep != ";" && o.sep != "," {
		return usageError("export: --sep %q: want ; (French) or ,", o.sep)
	}
	return runExport(ctx, g, o)
}

// runExport writes one table of the warehouse as known at o.asOf.
func runExport(ctx context.Context, g *globals, o exportOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	a, err := domain.ParseAsOf(o.asOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
		return usageError("export: %v", err)
	}
	f := table.Format{Name: o.format, Sep: rune(o.sep[0])}
	if o.out != "" {
		_, err = pipeline.ExportFile(ctx, cfg, o.table, a, f, o.out, g.log)
		return err
	}
	_, err = pipeline.Export(ctx, cfg, o.table, a, f, g.stdout, g.log)
	return err
}
