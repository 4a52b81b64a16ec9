package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// Workloads of `gen --scale` (issue 8's benchmarks).
const (
	nationalOperators      = 1500
	nationalFederationRows = 200000
	seriesCount            = 10000
)

func cmdGen(ctx context.Context, g *globals, args []string) error {
	def := synth.DefaultOptions()
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "folder to write the workbooks into, required")
	scale := fs.String("scale", "", "a benchmark workload: national (OUT/returns/: 1,500 operators × 2015Q1..2020Q4, one return each;\n"+
		"OUT/federation.xlsx: a federation's workbook of 200,000 rows × 15 columns) or series (OUT/series.csv: 10,000 quarterly series)")
	ops := fs.Int("operators", def.Operators, "number of operators (--scale national: 1500)")
	from := fs.String("from", def.From.String(), "first quarter (--scale national: 2015Q1)")
	to := fs.String("to", def.To.String(), "last quarter (--scale national: 2020Q4)")
	seed := fs.Uint64("seed", def.Seed, "random seed: the same seed gives the same files")
	lang := fs.String("lang", def.Lang, "template language: fr or en")
	fedRows := fs.Int("federation-rows", nationalFederationRows, "rows of the federation workbook (--scale national)")
	nSeries := fs.Int("series", seriesCount, "number of series (--scale series)")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("gen: --out DIR is required")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch *scale {
	case "", "national":
	case "series":
		return genSeries(g, *out, *nSeries, *seed)
	default:
		return usageError("gen: --scale %q: want national or series", *scale)
	}
	opts := synth.Options{Operators: *ops, Seed: *seed, Lang: *lang}
	dir := *out
	if *scale == "national" {
		// Explicit flags win over the workload's values.
		if !set["operators"] {
			opts.Operators = nationalOperators
		}
		if !set["from"] {
			*from = "2015Q1"
		}
		if !set["to"] {
			*to = "2020Q4"
		}
		opts.Complete = true
		dir = filepath.Join(*out, "returns")
		if *fedRows < 1 || *fedRows > synth.FederationMaxRows {
			return usageError("gen: --federation-rows %d: want 1 to %d", *fedRows, synth.FederationMaxRows)
		}
	}
	var err error
	if opts.From, err = domain.ParsePeriod(*from); err != nil {
		return usageError("gen: --from: %v", err)
	}
	if opts.To, err = domain.ParsePeriod(*to); err != nil {
		return usageError("gen: --to: %v", err)
	}
	if opts.To < opts.From || opts.Operators <= 0 || (*lang != "fr" && *lang != "en") {
		return usageError("gen: want --from ≤ --to, --operators > 0 and --lang fr or en")
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	paths, err := synth.WriteDir(ctx, dir, &cfg.Mappings, opts)
	if err != nil {
		return err
	}
	g.log.Info("gen finished", "files", len(paths), "dir", dir)
	fmt.Fprintf(g.stdout, "wrote %d returns into %s\n", len(paths), dir)
	if *scale != "national" {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fed := filepath.Join(*out, "federation.xlsx")
	if err := synth.WriteFederation(ctx, fed, &cfg.Mappings, *fedRows, *seed); err != nil {
		return err
	}
	g.log.Info("gen federation finished", "rows", *fedRows, "file", fed)
	fmt.Fprintf(g.stdout, "wrote the federation workbook %s (%d rows × %d columns)\n", fed, *fedRows, synth.FederationColumns)
	return nil
}

// genSeries writes OUT/series.csv for `offshore forecast --input`.
func genSeries(g *globals, out string, n int, seed uint64) error {
	if n < 1 {
		return usageError("gen: --series %d: want 1 or more", n)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(out, "series.csv")
	if err := synth.WriteSeries(path, n, seed); err != nil {
		return err
	}
	g.log.Info("gen series finished", "series", n, "file", path)
	fmt.Fprintf(g.stdout, "wrote %d quarterly series into %s\n", n, path)
	return nil
}
