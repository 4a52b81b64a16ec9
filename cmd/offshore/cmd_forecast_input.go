package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"

	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/seriesfile"
)

// inputOptions are the flags of `offshore forecast --input`: forecasts of an
// analyst's own series, with no warehouse or target set involved.
type inputOptions struct {
	Input    string   // a .csv or .xlsx file of series, periods and values (see package seriesfile)
	Horizon  int      // steps to forecast (years, quarters or months, each series its own)
	Target   *float64 // with a target, each step gets P(value >= target); refused when the file has targets
	Format   string   // csv, json or xlsx
	CSVStyle string   // fr or en; "" for the input's
	Out      string   // output file; "" is stdout (not for xlsx)
	Plot     string   // folder for one PNG fan chart per series; "" for none
	Model    string   // forecast.ByName name
}

// addFlags registers the flags of --input that cmdForecast does not
// declare itself.
func (o *inputOptions) addFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.CSVStyle, "csv-style", "", "with --input and --format csv: fr (';', decimal comma, byte order mark) or en (',', decimal point)\n(default: the input's: fr for a ';'-separated file)")
}

// validate checks the options' values (exit code 2 when wrong).
func (o *inputOptions) validate() error {
	_, formatErr := seriesfile.ParseFormat(o.Format)
	switch {
	case o.Horizon <= 0:
		return usageError("forecast: --horizon %d: want the number of periods to forecast, 1 or more (with --input)", o.Horizon)
	case o.Horizon > seriesfile.MaxHorizon:
		return usageError("forecast: --horizon %d: want at most %d periods", o.Horizon, seriesfile.MaxHorizon)
	case formatErr != nil:
		return usageError("forecast: --format %q: want csv, json or xlsx with --input", o.Format)
	case o.Format == "xlsx" && o.Out == "":
		return usageError("forecast: --format xlsx needs --out FILE.xlsx")
	case o.Format == "xlsx" && !strings.HasSuffix(strings.ToLower(o.Out), ".xlsx"):
		return usageError("forecast: --format xlsx: --out %s: want a name ending in .xlsx", o.Out)
	case o.Target != nil && (math.IsNaN(*o.Target) || math.IsInf(*o.Target, 0)):
		return usageError("forecast: --target %v: want a finite number", *o.Target)
	}
	if o.CSVStyle != "" {
		if _, err := seriesfile.ParseStyle(o.CSVStyle); err != nil {
			return usageError("forecast: --csv-style %q: want fr or en", o.CSVStyle)
		}
	}
	if _, err := forecast.ByName(o.Model); err != nil {
		return usageError("forecast: --model: %v", err)
	}
	return nil
}

// runForecastInput forecasts every series of the input file o.Input to
// o.Horizon steps and writes one row per series and step (see package
// seriesfile), as CSV in the input's style unless o.CSVStyle says which.
//
// A series the model cannot fit (too few points, too many missing) is
// reported on the log and left out; the command fails only when no series
// could be forecast. A series whose forecast is not a finite number is
// reported and left out too, the others are written, and then the command
// fails (exit 1) naming it: a forecast that cannot be trusted is never
// written, and never passes for a success. --target with a file that gives
// targets of its own is refused (exit 2): which one the analyst meant is
// theirs to say.
func runForecastInput(ctx context.Context, o inputOptions, stdout io.Writer, log *slog.Logger) error {
	if err := o.validate(); err != nil {
		return err
	}
	model, _ := forecast.ByName(o.Model)
	format, _ := seriesfile.ParseFormat(o.Format)
	file, err := seriesfile.ReadFile(o.Input)
	if errors.Is(err, seriesfile.ErrFileType) {
		return usageError("forecast: --input %v", err)
	} else if err != nil {
		return err
	}
	if o.Target != nil {
		var own []string
		for _, s := range file.Series {
			if s.Target != nil {
				own = append(own, s.ID)
			}
		}
		if len(own) > 0 {
			return usageError("forecast: --target %v: %s gives targets of its own (series %s); drop --target, or the file's target column", *o.Target, o.Input, strings.Join(own, ", "))
		}
	}
	style := file.Style
	if o.CSVStyle != "" {
		style, _ = seriesfile.ParseStyle(o.CSVStyle)
	}
	results, ferr := seriesfile.Forecast(ctx, file.Series, seriesfile.Options{Horizon: o.Horizon, Model: model, Target: o.Target}, log)
	if ferr != nil && !(errors.Is(ferr, seriesfile.ErrNonFinite) && !errors.Is(ferr, seriesfile.ErrNoForecast)) {
		return fmt.Errorf("%s: %w", o.Input, ferr)
	}
	if o.Out != "" {
		err = seriesfile.WriteFile(o.Out, format, style, results)
	} else {
		err = seriesfile.Write(stdout, format, style, results)
	}
	if err != nil {
		return err
	}
	if o.Plot != "" {
		if err := seriesfile.Plot(ctx, o.Plot, results); err != nil {
			return err
		}
	}
	done, rows := 0, 0
	for _, r := range results {
		if r.Err == nil {
			done, rows = done+1, rows+len(r.Rows)
		}
	}
	log.Info("forecast finished", "input", o.Input, "series", done, "not_forecast", len(results)-done, "rows", rows)
	if ferr != nil {
		return fmt.Errorf("%s: %w", o.Input, ferr)
	}
	return nil
}
