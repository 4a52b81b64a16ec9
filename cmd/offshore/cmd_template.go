package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/pipeline/template"
)

func cmdTemplate(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	out := fs.String("out", "", "file to write (.xlsx), required")
	lang := fs.String("lang", "fr", "language of headers and instructions: fr or en")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("template: --out F.xlsx is required")
	}
	if *lang != "fr" && *lang != "en" {
		return usageError("template: --lang %q: want fr or en", *lang)
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	err = atomicfile.Write(*out, func(w io.Writer) error {
		return template.Write(w, &cfg.Mappings, template.Options{Lang: *lang})
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, "wrote", *out)
	return nil
}
