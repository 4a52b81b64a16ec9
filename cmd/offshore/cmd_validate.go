package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

func cmdValidate(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("validate: name at least one workbook")
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	x := ingest.NewMatcher(&cfg.Mappings)
	rejected := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		h := sha256.Sum256(data)
		res := ingest.Read(filepath.Base(path), hex.EncodeToString(h[:]), data, st.ModTime(), x, ingest.Options{MaxRows: cfg.Settings.Ingest.MaxRows})
		verdict := "ok"
		if res.Rejected() {
			verdict = "REJECTED"
			rejected++
		}
		fmt.Fprintf(g.stdout, "%s: %s, %d rows from sheet %q, %d problems\n", path, verdict, len(res.Returns), res.Sheet, len(res.Problems))
		for _, p := range res.Problems {
			fmt.Fprintf(g.stdout, "  [%s] %s\n", p.Severity, p.Error())
		}
	}
	if rejected > 0 {
		return fmt.Errorf("%d of %d files would be rejected: %w", rejected, fs.NArg(), pipeline.ErrRejected)
	}
	return nil
}
