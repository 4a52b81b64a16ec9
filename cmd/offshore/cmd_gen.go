package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

func cmdGen(ctx context.Context, g *globals, args []string) error {
	def := synth.DefaultOptions()
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "folder to write the workbooks into, required")
	ops := fs.Int("operators", def.Operators, "number of operators")
	from := fs.String("from", def.From.String(), "first quarter")
	to := fs.String("to", def.To.String(), "last quarter")
	seed := fs.Uint64("seed", def.Seed, "random seed: the same seed gives the same files")
	lang := fs.String("lang", def.Lang, "template language: fr or en")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("gen: --out DIR is required")
	}
	opts := synth.Options{Operators: *ops, Seed: *seed, Lang: *lang}
	var err error
	if opts.From, err = returns.ParsePeriod(*from); err != nil {
		return usageError("gen: --from: %v", err)
	}
	if opts.To, err = returns.ParsePeriod(*to); err != nil {
		return usageError("gen: --to: %v", err)
	}
	if opts.To < opts.From || opts.Operators <= 0 || (*lang != "fr" && *lang != "en") {
		return usageError("gen: want --from ≤ --to, --operators > 0 and --lang fr or en")
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	paths, err := synth.WriteDir(ctx, *out, &cfg.Mappings, opts)
	if err != nil {
		return err
	}
	g.log.Info("gen finished", "files", len(paths), "dir", *out)
	fmt.Fprintf(g.stdout, "wrote %d returns into %s\n", len(paths), *out)
	return nil
}
