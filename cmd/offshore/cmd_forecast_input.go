package main

import (
	"context"
	"errors"
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
	Input   string   // a .csv or .xlsx file with columns series_id, period, value
	Horizon int      // steps to forecast (years or quarters, each series its own)
	Target  *float64 // with a target, each step gets P(value >= target)
	Format  string   // csv, json or xlsx
	Out     string   // output file; "" is stdout (not for xlsx)
	Plot    string   // folder for one PNG fan chart per series; "" for none
	Model   string   // forecast.ByName name
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
	if _, err := forecast.ByName(o.Model); err != nil {
		return usageError("forecast: --model: %v", err)
	}
	return nil
}

// runForecastInput forecasts every series of the input file o.Input to
// o.Horizon steps and writes one row per series and step (see package
// seriesfile). A series the model cannot fit (fewer than 3 points) is
// reported on the log and left out; the command fails only when no series
// could be forecast.
func runForecastInput(ctx context.Context, o inputOptions, stdout io.Writer, log *slog.Logger) error {
	if err := o.validate(); err != nil {
		return err
	}
	model, _ := forecast.ByName(o.Model)
	format, _ := seriesfile.ParseFormat(o.Format)
	series, err := seriesfile.ReadFile(o.Input)
	if errors.Is(err, seriesfile.ErrFileType) {
		return usageError("forecast: --input %v", err)
	} else if err != nil {
		return err
	}
	results, err := seriesfile.Forecast(ctx, series, seriesfile.Options{Horizon: o.Horizon, Model: model, Target: o.Target}, log)
	if err != nil {
		return fmt.Errorf("%s: %w", o.Input, err)
	}
	if o.Out != "" {
		err = seriesfile.WriteFile(o.Out, format, results)
	} else {
		err = seriesfile.Write(stdout, format, results)
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
	return nil
}
