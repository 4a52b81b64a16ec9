package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// forecastOptions are the flags of `offshore forecast` without --input
// (with it, inputOptions).
type forecastOptions struct {
	asOf   string // a quarter or a date; "" for the official quarter
	set    string // target set id; "" for forecast.target_set
	format string // table or json
	model  string // forecast.ByName name; "" for forecast.model
}

func cmdForecast(ctx context.Context, g *globals, args []string) error {
	var o forecastOptions
	fs := flag.NewFlagSet("forecast", flag.ContinueOnError)
	fs.StringVar(&o.asOf, "as-of", "", "a quarter (2017Q4) or a date (2017-12-31); default: everything known now")
	fs.StringVar(&o.set, "target-set", "", "target set id (default: forecast.target_set of the configuration)")
	fs.StringVar(&o.format, "format", "table", "table or json; with --input: csv (default), json or xlsx")
	fs.StringVar(&o.model, "model", "", strings.Join(forecast.ModelNames(), ", ")+"\n"+
		"(default: forecast.model of the configuration; auto with --input)")
	in := inputOptions{}
	fs.StringVar(&in.Input, "input", "", "forecast the series of this .csv or .xlsx file (columns series_id,period,value) instead of the targets")
	fs.IntVar(&in.Horizon, "horizon", 0, "with --input: periods to forecast")
	target := fs.String("target", "", "with --input: a value; each step gets p_meet = P(value >= target)")
	fs.StringVar(&in.Out, "out", "", "with --input: output file, written atomically (default: stdout)")
	fs.StringVar(&in.Plot, "plot", "", "with --input: folder for one PNG fan chart per series;\n"+
		"with --sector/--region/--metric: folder for the PNG and SVG fan chart of the forecast and of each what-if")
	in.addFlags(fs)
	var ask askOptions
	fs.StringVar(&ask.sector, "sector", "", "ask: ALL (the nation) or a sector code (CRM, BPO, ITO, ESO, KPO): forecast its series, not the targets")
	fs.StringVar(&ask.region, "region", "", "ask: a region of mappings.yaml (all sectors together)")
	fs.StringVar(&ask.metric, "metric", "", "ask: jobs (default), exports, investment, hires, hires_youth or hires_disabled")
	fs.StringVar(&ask.whatIfs, "what-if", "", "ask: comma-separated what-ifs: required, best, worst, collecting")
	fs.StringVar(&ask.sep, "sep", ";", "ask --format csv: ; (French Excel: decimal comma, UTF-8 BOM) or ,")
	fs.StringVar(&ask.lang, "lang", "fr", "ask: the language of --format table and of the charts: fr or en")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	asked := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sector", "region", "metric", "what-if", "sep", "lang":
			asked = true
		}
	})
	if asked && in.Input == "" {
		ask.asOf, ask.model, ask.format, ask.out, ask.plot, ask.horizon, ask.target = o.asOf, o.model, o.format, in.Out, in.Plot, in.Horizon, *target
		if o.set != "" {
			return usageError("forecast: --target-set goes with the targets, not with --sector/--region/--metric")
		}
		return runForecastAsk(ctx, g, ask)
	}
	if in.Input != "" {
		in.Format, in.Model = "csv", "auto"
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "format":
				in.Format = o.format
			case "model":
				in.Model = o.model
			}
		})
		if *target != "" {
			v, err := strconv.ParseFloat(*target, 64)
			if err != nil {
				return usageError("forecast: --target %q: want a number", *target)
			}
			in.Target = &v
		}
		if err := inputsExist("forecast --input", in.Input); err != nil {
			return err
		}
		return runForecastInput(ctx, in, g.stdout, g.log)
	}
	if in.Horizon != 0 || *target != "" || in.Out != "" || in.Plot != "" {
		return usageError("forecast: --horizon, --target, --out and --plot go with --input FILE")
	}
	if o.format != "table" && o.format != "json" {
		return usageError("forecast: --format %q: want table or json", o.format)
	}
	return runForecast(ctx, g, o)
}

// runForecast assesses one target set as of o.asOf (the run is recorded in
// warehouse/runs) and prints it through the confidentiality gate.
func runForecast(ctx context.Context, g *globals, o forecastOptions) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	if o.set == "" {
		o.set = cfg.Settings.Forecast.TargetSet
	}
	if o.model != "" {
		if _, err := forecast.ByName(o.model); err != nil {
			return usageError("forecast: --model: %v", err)
		}
		cfg.Settings.Forecast.Model = o.model
	}
	if cfg.TargetSet(o.set) == nil {
		return usageError("forecast: --target-set %q is not in %s", o.set, cfg.Sources[config.TargetsFile])
	}
	a, err := pipeline.CheckAsOf(ctx, cfg, o.asOf) // a quarter after the data is refused, naming the latest
	if msg, bad := pipeline.BadInput(err, "en"); bad {
		return usageError("forecast: %s", msg)
	}
	if err != nil {
		return err
	}
	outlook, err := pipeline.ForecastTargets(ctx, cfg, a, []string{o.set}, g.log)
	if err != nil {
		return err
	}
	res := outlook.Published()[0] // the confidentiality gate's masks, as the workbook and the API apply them
	if o.format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printTable(g.stdout, res)
	for _, n := range outlook.Official.Notices {
		fmt.Fprintln(g.stdout, "not used, in collection:", n)
	}
	return nil
}

// printTable writes the assessments as an aligned table for a terminal;
// a masked (secret) assessment's figures read "s".
func printTable(w io.Writer, res *assess.Result) {
	fmt.Fprintf(w, "%s: as of %s\n", res.TargetSetName, res.AsOf)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tsector\tlatest\ttarget\tprojected\t80% interval\tP(meet)\tstatus\tmodel\t")
	for _, a := range res.Assessments {
		if a.Secret { // hidden by the confidentiality rule: no figure at all
			fmt.Fprintf(tw, "%s\t%s\ts\ts\ts\ts\ts\t%s\t\t\n", a.TargetID, a.Sector, a.Status)
			continue
		}
		if a.Closed { // judged on its actual: no projection, probability or model
			gap := ""
			if a.Gap != nil {
				gap = "gap " + human(*a.Gap, a.Metric)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\t\t%s\t\t\n", a.TargetID, a.Sector,
				human(a.Latest, a.Metric), human(a.Target, a.Metric), gap, a.Status)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s – %s\t%.0f%%\t%s\t%s\t\n", a.TargetID, a.Sector,
			human(a.Latest, a.Metric), human(a.Target, a.Metric), human(a.Projected, a.Metric),
			human(a.Lo80, a.Metric), human(a.Hi80, a.Metric), 100*a.PMeet, a.Status, a.Model)
	}
	tw.Flush()
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "not assessed: %s: %s\n", s.TargetID, s.Reason)
	}
}

// human writes jobs as persons and amounts in billions of MAD.
func human(v float64, metric domain.Metric) string {
	if metric == domain.MetricJobs {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f bn MAD", v/1e9)
}
