package seriesfile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/offshore-ma/offshore/forecast"
)

// MaxHorizon is the most steps Forecast forecasts a series to.
const MaxHorizon = 200

// ErrNoForecast is returned (wrapped, with the series' ids) by Forecast when
// not one series could be forecast.
var ErrNoForecast = errors.New("no series could be forecast")

// ErrNonFinite is a Result's Err (wrapped, with the step and the figure)
// when the forecast of its series holds a NaN or an infinity: a model
// failure, not bad input. Forecast also returns it (wrapped, naming the
// series) so that a command writes the other series and then fails.
var ErrNonFinite = errors.New("forecast is not a finite number")

// ErrTooSparse is a Result's Err (wrapped) when more than half of its
// series' periods, between its first and last value, have no value:
// filling them in would be inventing the series.
var ErrTooSparse = errors.New("more periods missing than observed")

// Options say how Forecast forecasts. The zero value but Horizon is usable.
type Options struct {
	// Horizon is the number of steps to forecast, 1 to MaxHorizon, in each
	// series' own periods (years, quarters or months).
	Horizon int
	// Model fits each series; nil means forecast.Auto().
	Model forecast.Model
	// Target, when not nil, is every series' target: each step gets a
	// Row.PMeet = P(value >= *Target). When nil, a series' own target
	// (Series.Target, the file's target column) is used.
	Target *float64
	// Workers is the number of series fit at once; 0 or less means
	// GOMAXPROCS.
	Workers int
}

// Row is one step of one series' forecast, as written out. A series too
// short for an honest interval has a point only: its interval bounds are
// nil (null in JSON, an empty cell in CSV and xlsx), as is PMeet.
type Row struct {
	SeriesID string   `json:"series_id"`
	Period   string   `json:"period"` // labelled like the input's periods: 2019, 2019Q1, T1 2019, mars 2019
	Point    float64  `json:"point"`  // the median
	Lo80     *float64 `json:"lo80"`   // the central 80 % interval
	Hi80     *float64 `json:"hi80"`
	Lo95     *float64 `json:"lo95"` // the central 95 % interval
	Hi95     *float64 `json:"hi95"`
	Model    string   `json:"model"`
	Target   *float64 `json:"target,omitempty"` // the series' target, when it has one
	PMeet    *float64 `json:"p_meet,omitempty"` // P(value >= target), with a target and an interval only
	Warnings []string `json:"warnings"`         // the series' (Result.Warnings), never nil
}

// Result is the forecast of one series, or why there is none.
type Result struct {
	Series Series
	// Err says why there is no forecast: the model could not fit the
	// series (too few points, wrapping forecast.ErrTooFewPoints), too many
	// of its periods are missing (ErrTooSparse), or its forecast is not a
	// finite number (ErrNonFinite). The fields below but Warnings are then
	// empty.
	Err error
	// Model names the method behind the forecasts: the model's name, or
	// the automatic model's choice ("damped 66% + rw-drift 17% + theta 17%").
	Model string
	// Reason says why the automatic model chose it; "" for another model.
	Reason string
	// Target is the target Rows' PMeet refer to: Options.Target, else the
	// series' own; nil for none.
	Target *float64
	// Path is the predictive distribution of each step, 1 to the horizon.
	Path []forecast.Dist
	// Rows are Path as written out, one per step.
	Rows []Row
	// Warnings are what a person should know about the series and its
	// forecast, in words, labelled with the input's periods: periods left
	// out or filled in, values the model found out of line, an interval it
	// could not give.
	Warnings []string
}

// Forecast fits opts.Model to each series, on up to opts.Workers
// goroutines, then pools the fits (forecast.Pool: each series' intervals
// are calibrated with the errors of the whole file) and forecasts each
// opts.Horizon steps ahead. It returns one Result per series, in the order
// of series, the same whatever the number of workers.
//
// A series the model cannot fit, or with more periods missing than
// observed, gets a Result with Err set and is logged as a warning (log nil:
// discard); so is a series whose forecast is not a finite number, and then
// the error returned wraps ErrNonFinite and names it, while the other
// results stand. Each series' Warnings are logged once, as one warning.
// When no series could be forecast the error wraps ErrNoForecast. Once ctx
// is cancelled no further series is started, the ones running finish, and
// ctx's error is returned. The series are only read.
func Forecast(ctx context.Context, series []Series, opts Options, log *slog.Logger) ([]Result, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Horizon < 1 || opts.Horizon > MaxHorizon {
		return nil, fmt.Errorf("horizon %d: want 1 to %d steps", opts.Horizon, MaxHorizon)
	}
	if opts.Target != nil && (math.IsNaN(*opts.Target) || math.IsInf(*opts.Target, 0)) {
		return nil, fmt.Errorf("target %v: want a finite number", *opts.Target)
	}
	if opts.Model == nil {
		opts.Model = forecast.Auto()
	}
	out := make([]Result, len(series))
	fits := make([]forecast.Fitted, len(series))
	err := parallel(ctx, len(series), opts.Workers, func(i int) {
		out[i], fits[i] = fitOne(series[i], opts)
	})
	if err != nil {
		return out, err
	}
	fits = forecast.Pool(fits)
	if err := parallel(ctx, len(series), opts.Workers, func(i int) {
		if fits[i] != nil {
			pathOne(&out[i], fits[i], opts)
		}
	}); err != nil {
		return out, err
	}
	var failed, nonFinite []string
	for _, r := range out {
		if len(r.Warnings) > 0 {
			log.Warn("series forecast with warnings", "series", r.Series.ID, "warnings", strings.Join(r.Warnings, "; "))
		}
		if r.Err != nil {
			log.Warn("series not forecast", "series", r.Series.ID, "points", r.Series.Observed(), "error", r.Err)
			failed = append(failed, r.Series.ID)
			if errors.Is(r.Err, ErrNonFinite) {
				nonFinite = append(nonFinite, r.Series.ID)
			}
			continue
		}
		log.Debug("series forecast", "series", r.Series.ID, "model", r.Model, "reason", r.Reason)
	}
	var errs []error
	if len(failed) == len(out) {
		errs = append(errs, fmt.Errorf("%w (%s)", ErrNoForecast, strings.Join(failed, ", ")))
	}
	if len(nonFinite) > 0 {
		errs = append(errs, fmt.Errorf("%w for series %s: they are not written", ErrNonFinite, strings.Join(nonFinite, ", ")))
	}
	return out, errors.Join(errs...)
}

// parallel runs do(0) to do(n-1) on up to workers goroutines (GOMAXPROCS
// when 0 or less). Once ctx is cancelled no further call starts; the
// running ones finish, and ctx's error is returned.
func parallel(ctx context.Context, n, workers int, do func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		err = ctx.Err() // cancelled while the last call ran
	}
	return err
}

// fitOne fits one series: the first phase, before the fits are pooled.
func fitOne(s Series, opts Options) (Result, forecast.Fitted) {
	r := Result{Series: s, Warnings: slices.Clone(s.Warnings)}
	if obs := s.Observed(); len(s.Values)-obs > obs {
		r.Err = fmt.Errorf("%d of its %d periods from %s to %s have no value: %w", len(s.Values)-obs, len(s.Values), s.Label(s.First), s.Label(s.Last()), ErrTooSparse)
		return r, nil
	}
	fit, err := forecast.FitWithGaps(opts.Model, s.Values, s.Missing, s.Freq)
	if err != nil {
		r.Err = err
		return r, nil
	}
	return r, fit
}

// hasInterval reports whether d has an interval (a variable, so that tests
// can make a Dist without one, which package forecast alone can build).
var hasInterval = forecast.Dist.HasInterval

// pathOne forecasts one fitted series into r: the second phase, after the
// fits are pooled.
func pathOne(r *Result, fit forecast.Fitted, opts Options) {
	s := &r.Series
	r.Model, r.Target = opts.Model.Name(), opts.Target
	if r.Target == nil {
		r.Target = s.Target
	}
	if e, ok := fit.(forecast.Explained); ok {
		r.Model, r.Reason = e.Method(), e.Reason()
	}
	filled := make([]int, 0)
	for i, m := range s.Missing {
		if m {
			filled = append(filled, i)
		}
	}
	var outliers []int
	if f, ok := fit.(forecast.Flagged); ok {
		outliers = f.Outliers()
	}
	if len(filled) > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d missing %s filled in: %s", len(filled), plural(len(filled), "value", "values"), listPeriods(s, offsets(s, filled))))
	}
	if len(outliers) > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d %s (far from its neighbours and its season), replaced by its neighbours' level in the fit and left out of the error measure: %s", len(outliers), plural(len(outliers), "outlier", "outliers"), listPeriods(s, offsets(s, outliers))))
	}
	path := fit.Path(opts.Horizon)
	rows := make([]Row, 0, len(path))
	noInterval := false
	last := s.Last()
	for h, d := range path {
		row := Row{SeriesID: s.ID, Period: s.Label(last + h + 1), Point: d.Quantile(0.5), Model: r.Model, Target: r.Target}
		bad := []string{}
		if !finite(row.Point) {
			bad = append(bad, fmt.Sprintf("point %v", row.Point))
		}
		if hasInterval(d) {
			lo80, hi80 := d.Interval(0.8)
			lo95, hi95 := d.Interval(0.95)
			row.Lo80, row.Hi80, row.Lo95, row.Hi95 = &lo80, &hi80, &lo95, &hi95
			for _, v := range []float64{lo80, hi80, lo95, hi95} {
				if !finite(v) {
					bad = append(bad, fmt.Sprintf("interval bound %v", v))
					break
				}
			}
			if r.Target != nil {
				p := d.Survival(*r.Target)
				row.PMeet = &p
				if !finite(p) {
					bad = append(bad, fmt.Sprintf("p_meet %v", p))
				}
			}
		} else {
			noInterval = true
		}
		if len(bad) > 0 {
			*r = Result{Series: r.Series, Warnings: r.Warnings,
				Err: fmt.Errorf("step %s: %s: %w", row.Period, strings.Join(bad, ", "), ErrNonFinite)}
			return
		}
		rows = append(rows, row)
	}
	if noInterval {
		r.Warnings = append(r.Warnings, "too short for an honest interval: point forecast only, no interval or p_meet")
	}
	warnings := r.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	for i := range rows {
		rows[i].Warnings = warnings
	}
	r.Path, r.Rows = path, rows
}

// offsets turns indices into s.Values into period indices.
func offsets(s *Series, is []int) []int {
	ks := make([]int, len(is))
	for j, i := range is {
		ks[j] = s.First + i
	}
	return ks
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
