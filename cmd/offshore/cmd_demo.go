package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// demoMarker marks a folder the demo created, so a rerun may write into it.
const demoMarker = ".offshore-demo"

// demoOptions are the flags of `offshore demo`.
type demoOptions struct {
	dir string // the folder to run in, relative to --workdir
}

func cmdDemo(ctx context.Context, g *globals, args []string) error {
	var o demoOptions
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.StringVar(&o.dir, "dir", "offshore-demo", "folder to create and run in, relative to --workdir: a new or empty one, or one an earlier demo made")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	return runDemo(ctx, g, o)
}

// runDemo initialises o.dir, generates the synthetic returns into its inbox
// as an archive, runs the nightly job on them and prints the assessments.
func runDemo(ctx context.Context, g *globals, o demoOptions) error {
	dir := o.dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(g.workdir, dir)
	}
	if err := claimDemoDir(dir); err != nil {
		return err
	}
	if _, err := runInit(dir); err != nil {
		return err
	}
	g.workdir = dir
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	paths, err := synth.WriteDir(ctx, cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.DefaultOptions())
	if err != nil {
		return err
	}
	g.log.Info("gen finished", "files", len(paths), "dir", cfg.Settings.Paths.Inbox)
	cfg.Settings.Ingest.Backfill = true // the generated archive, dated as filed
	sum, err := pipeline.Run(ctx, cfg, nil, g.log)
	if err != nil && !errors.Is(err, pipeline.ErrRejected) {
		return err
	}
	for _, res := range sum.Published().Results {
		printTable(g.stdout, res)
		fmt.Fprintln(g.stdout)
	}
	fmt.Fprintln(g.stdout, "ministry workbook:", sum.Report)
	fmt.Fprintln(g.stdout, "warehouse (Parquet, readable by DuckDB/pandas):", cfg.Settings.Paths.Warehouse)
	return err
}

// claimDemoDir creates dir, or accepts it when it is empty or was made by an
// earlier demo; it refuses any other non-empty folder.
func claimDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	case err != nil:
		return err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return usageError("demo: %s is not empty and was not created by `offshore demo`; choose another --dir", dir)
		}
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("created by offshore demo\n"), 0o644)
}
