package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/table"
)

// askOptions are the flags of `offshore forecast --sector|--region|--metric`:
// a question to the warehouse (pipeline.Ask) rather than the targets.
type askOptions struct {
	sector, region, metric string
	horizon                int    // a year (with --input, --horizon counts periods)
	target                 string // a number; "" for the official target, if any
	whatIfs                string // comma-separated
	asOf, model            string
	format                 string // table (default), json, csv or xlsx
	sep                    string // csv: ; or ,
	lang                   string // table and charts: fr or en
	out                    string // file, written atomically; "" for stdout
	plot                   string // folder for the charts
}

// runForecastAsk answers one question and prints it (table, json, csv or
// xlsx), and with plot writes the fan chart of the forecast and of each
// what-if as PNG and SVG. Bad input (an unknown sector, an as-of after
// the data, a horizon out of range) is a usage error: exit 2.
func runForecastAsk(ctx context.Context, g *globals, o askOptions) error {
	if o.format == "" {
		o.format = "table"
	}
	switch {
	case o.format != "table" && o.format != "json" && o.format != "csv" && o.format != "xlsx":
		return usageError("forecast: --format %q: want table, json, csv or xlsx", o.format)
	case o.sep != ";" && o.sep != ",":
		return usageError("forecast: --sep %q: want ; (French) or ,", o.sep)
	case o.lang != "fr" && o.lang != "en":
		return usageError("forecast: --lang %q: want fr or en", o.lang)
	case o.format == "xlsx" && o.out == "":
		return usageError("forecast: --format xlsx needs --out FILE.xlsx")
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	q := pipeline.Question{Sector: o.sector, Region: o.region, Metric: domain.Metric(o.metric), Horizon: o.horizon, AsOf: o.asOf, Model: o.model}
	if o.target != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(o.target, ",", "."), 64)
		if err != nil {
			return usageError("forecast: --target %q: want a number", o.target)
		}
		q.Target = &v
	}
	for _, w := range strings.Split(o.whatIfs, ",") {
		if w = strings.TrimSpace(w); w != "" {
			q.WhatIfs = append(q.WhatIfs, w)
		}
	}
	a, err := pipeline.Ask(ctx, cfg, q, g.log)
	if msg, bad := pipeline.BadInput(err, "en"); bad {
		return usageError("forecast: %s", msg)
	}
	if err != nil {
		return err
	}
	if o.plot != "" {
		if err := os.MkdirAll(o.plot, 0o755); err != nil {
			return err
		}
		for _, oc := range append([]pipeline.Outcome{a.Base}, a.WhatIfs...) {
			if oc.Reason != "" || a.Secret {
				continue
			}
			for _, ext := range []string{"png", "svg"} {
				file := filepath.Join(o.plot, oc.Name+"."+ext)
				if err := atomicfile.Write(file, func(w io.Writer) error { return pipeline.WriteAnswerChart(w, a, oc.Name, ext, o.lang) }); err != nil {
					return err
				}
			}
		}
	}
	write := func(w io.Writer) error {
		switch o.format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(a)
		case "csv", "xlsx":
			return pipeline.WriteAnswerTable(w, a, table.Format{Name: o.format, Sep: rune(o.sep[0])})
		}
		printAnswer(w, a, o.lang)
		return nil
	}
	if o.out != "" {
		return atomicfile.Write(o.out, write)
	}
	return write(g.stdout)
}

// printAnswer writes the answer for a terminal, its numbers in lang's
// format: the subject, the latest actual and the target, then the forecast
// and each what-if at the horizon.
func printAnswer(w io.Writer, a *pipeline.Answer, lang string) {
	fmt.Fprintf(w, "%s, %d (as of %s)\n", a.Subject(lang), a.Horizon, a.AsOf)
	if a.Secret {
		fmt.Fprintln(w, "s: hidden by the confidentiality rule")
		return
	}
	target := "none"
	if a.Target != nil {
		target = a.Amount(lang, a.Target)
		if a.Official {
			target += " (official: " + a.TargetID + ")"
		}
	}
	fmt.Fprintf(w, "latest %s: %s; target %s\n", a.LatestPeriod, a.Amount(lang, a.Latest), target)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tgrowth\tprojected\t80% interval\tP(meet)\tstatus\t")
	rate := func(g *float64) string {
		if g == nil {
			return ""
		}
		return locale.Percent(lang, *g, 1)
	}
	for _, o := range append([]pipeline.Outcome{a.Base}, a.WhatIfs...) {
		if o.Reason != "" {
			fmt.Fprintf(tw, "%s\t\t\t\t\t%s\t\n", o.Name, "not computed: "+o.Reason)
			continue
		}
		p := ""
		if o.PMeet != nil {
			p = locale.Probability(lang, *o.PMeet)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s – %s\t%s\t%s\t\n", o.Name, rate(o.Growth), a.Amount(lang, o.Projected),
			a.Amount(lang, o.Lo80), a.Amount(lang, o.Hi80), p, o.Status)
	}
	tw.Flush()
	for _, n := range a.Notices {
		fmt.Fprintln(w, "not used, in collection:", n)
	}
}
