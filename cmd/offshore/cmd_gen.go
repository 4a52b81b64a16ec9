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

// genOptions are the flags of `offshore gen`, the workload's values filled
// in for --scale national.
type genOptions struct {
	out     string        // the folder to write into
	scale   string        // "", national or series
	returns synth.Options // the returns to generate (not for --scale series)
	fedRows int           // rows of the federation workbook (--scale national)
	series  int           // number of series (--scale series)
}

func cmdGen(ctx context.Context, g *globals, args []string) error {
	def := synth.DefaultOptions()
	o := genOptions{returns: synth.Options{Operators: def.Operators, Seed: def.Seed, Lang: def.Lang}}
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "", "folder to write into, required")
	fs.StringVar(&o.scale, "scale", "", "a benchmark workload: national (OUT/returns/: 1,500 operators × 2015Q1..2020Q4, one return each;\n"+
		"OUT/federation.xlsx: a federation's workbook of 200,000 rows × 15 columns) or series (OUT/series.csv: 10,000 quarterly series)")
	fs.IntVar(&o.returns.Operators, "operators", def.Operators, "number of operators (--scale national: 1500)")
	from := fs.String("from", def.From.String(), "first quarter (--scale national: 2015Q1)")
	to := fs.String("to", def.To.String(), "last quarter (--scale national: 2020Q4)")
	fs.Uint64Var(&o.returns.Seed, "seed", def.Seed, "random seed: the same seed gives the same files")
	fs.StringVar(&o.returns.Lang, "lang", def.Lang, "template language: fr or en")
	fs.IntVar(&o.fedRows, "federation-rows", nationalFederationRows, "rows of the federation workbook (--scale national)")
	fs.IntVar(&o.series, "series", seriesCount, "number of series (--scale series)")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	if o.out == "" {
		return usageError("gen: --out DIR is required")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch o.scale {
	case "":
	case "series":
		if o.series < 1 {
			return usageError("gen: --series %d: want 1 or more", o.series)
		}
		return runGenSeries(g, o)
	case "national":
		// Explicit flags win over the workload's values.
		if !set["operators"] {
			o.returns.Operators = nationalOperators
		}
		if !set["from"] {
			*from = "2015Q1"
		}
		if !set["to"] {
			*to = "2020Q4"
		}
		o.returns.Complete = true
		if o.fedRows < 1 || o.fedRows > synth.FederationMaxRows {
			return usageError("gen: --federation-rows %d: want 1 to %d", o.fedRows, synth.FederationMaxRows)
		}
	default:
		return usageError("gen: --scale %q: want national or series", o.scale)
	}
	var err error
	if o.returns.From, err = domain.ParsePeriod(*from); err != nil {
		return usageError("gen: --from: %v", err)
	}
	if o.returns.To, err = domain.ParsePeriod(*to); err != nil {
		return usageError("gen: --to: %v", err)
	}
	if o.returns.To < o.returns.From || o.returns.Operators <= 0 || (o.returns.Lang != "fr" && o.returns.Lang != "en") {
		return usageError("gen: want --from ≤ --to, --operators > 0 and --lang fr or en")
	}
	return runGen(ctx, g, o)
}

// runGen writes the synthetic returns into o.out (OUT/returns/ for --scale
// national, with OUT/federation.xlsx beside it).
func runGen(ctx context.Context, g *globals, o genOptions) error {
	dir := o.out
	if o.scale == "national" {
		dir = filepath.Join(o.out, "returns")
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	paths, err := synth.WriteDir(ctx, dir, &cfg.Mappings, o.returns)
	if err != nil {
		return err
	}
	g.log.Info("gen finished", "files", len(paths), "dir", dir)
	fmt.Fprintf(g.stdout, "wrote %d returns into %s\n", len(paths), dir)
	if o.scale != "national" {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fed := filepath.Join(o.out, "federation.xlsx")
	if err := synth.WriteFederation(ctx, fed, &cfg.Mappings, o.fedRows, o.returns.Seed); err != nil {
		return err
	}
	g.log.Info("gen federation finished", "rows", o.fedRows, "file", fed)
	fmt.Fprintf(g.stdout, "wrote the federation workbook %s (%d rows × %d columns)\n", fed, o.fedRows, synth.FederationColumns)
	return nil
}

// runGenSeries writes OUT/series.csv for `offshore forecast --input`.
func runGenSeries(g *globals, o genOptions) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(o.out, "series.csv")
	if err := synth.WriteSeries(path, o.series, o.returns.Seed); err != nil {
		return err
	}
	g.log.Info("gen series finished", "series", o.series, "file", path)
	fmt.Fprintf(g.stdout, "wrote %d quarterly series into %s\n", o.series, path)
	return nil
}
