package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/pipeline/template"
)

// templateOptions are the flags of `offshore template`.
type templateOptions struct {
	out  string // the .xlsx file to write
	lang string // fr or en
}

func cmdTemplate(ctx context.Context, g *globals, args []string) error {
	var o templateOptions
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "", "file to write (.xlsx), required")
	fs.StringVar(&o.lang, "lang", "fr", "language of headers and instructions: fr or en")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	if o.out == "" {
		return usageError("template: --out F.xlsx is required")
	}
	if !strings.EqualFold(filepath.Ext(o.out), ".xlsx") {
		return usageError("template: --out %s: want a name ending in .xlsx (the template is an Excel workbook)", o.out)
	}
	if o.lang != "fr" && o.lang != "en" {
		return usageError("template: --lang %q: want fr or en", o.lang)
	}
	return runTemplate(g, o)
}

// runTemplate writes the blank return template, atomically.
func runTemplate(g *globals, o templateOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	err = atomicfile.Write(o.out, func(w io.Writer) error {
		return template.Write(w, &cfg.Mappings, template.Options{Lang: o.lang})
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, "wrote", o.out)
	return nil
}
