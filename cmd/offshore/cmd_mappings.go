package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

// mappingsOptions are the arguments of `offshore mappings suggest FILE…`.
type mappingsOptions struct {
	files []string // the workbooks to read
}

// cmdMappings runs `offshore mappings suggest FILE…`.
func cmdMappings(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("mappings suggest", flag.ContinueOnError)
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if fs.Arg(0) != "suggest" {
		return usageError("mappings: want `mappings suggest FILE...`")
	}
	if fs.NArg() == 1 {
		return usageError("mappings suggest: name at least one workbook")
	}
	if err := inputsExist("mappings suggest", fs.Args()[1:]...); err != nil {
		return err
	}
	return runMappingsSuggest(ctx, g, mappingsOptions{files: fs.Args()[1:]})
}

// suggestion is one header not understood and the column it most resembles.
type suggestion struct {
	column, wording string
	where           []string // file, sheet!cell
}

// runMappingsSuggest reads each workbook as ingest does and prints, for
// every header that resembles a column but was not read (header_unclear),
// read only for want of a clearer one (header_guessed), and every required
// column found only in such a header (no_header), the
// mappings.yaml aliases that would make it read, for the ministry to review
// before adding them. It writes nothing.
func runMappingsSuggest(ctx context.Context, g *globals, o mappingsOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	var found []*suggestion
	err = pipeline.Validate(ctx, cfg, o.files, func(path, _ string, res ingest.Result) error {
		for _, p := range res.Problems {
			if (p.Code != "header_unclear" && p.Code != "header_guessed" && p.Code != "no_header") || p.Column == "" || p.Found == "" {
				continue
			}
			where := fmt.Sprintf("%s, %s!%s", filepath.Base(path), p.Sheet, p.Cell)
			i := slices.IndexFunc(found, func(s *suggestion) bool { return s.column == p.Column && s.wording == p.Found })
			if i < 0 {
				found = append(found, &suggestion{column: p.Column, wording: p.Found})
				i = len(found) - 1
			}
			found[i].where = append(found[i].where, where)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeSuggestions(g.stdout, cfg.Mappings.Columns, found)
	return nil
}

// writeSuggestions prints the suggested aliases as mappings.yaml lines,
// column by column in the file's order.
func writeSuggestions(w io.Writer, columns []config.Column, found []*suggestion) {
	if len(found) == 0 {
		fmt.Fprintln(w, "# every header of these workbooks is read: nothing to add")
		return
	}
	fmt.Fprintln(w, "# Headers these workbooks use that offshore does not read with confidence, each under")
	fmt.Fprintln(w, "# the column it most resembles. Review each: if it means that column, add it to the")
	fmt.Fprintln(w, "# column's aliases in mappings.yaml (the ingest reads it from then on).")
	fmt.Fprintln(w, "columns:")
	for _, c := range columns {
		var lines []*suggestion
		for _, s := range found {
			if s.column == c.Name {
				lines = append(lines, s)
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "  - name: %s\n    aliases:\n", c.Name)
		for _, s := range lines {
			fmt.Fprintf(w, "      - %s  # %s\n", strconv.Quote(s.wording), s.where[0])
		}
	}
}
