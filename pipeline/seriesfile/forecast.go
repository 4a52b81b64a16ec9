package seriesfile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/offshore-ma/offshore/forecast"
)

// MaxHorizon is the most steps Forecast forecasts a series to.
const MaxHorizon = 200

// ErrNoForecast is returned (wrapped, with the series' ids) by Forecast when
// not one series could be forecast.
var ErrNoForecast = errors.New("no series could be forecast")

// Options say how Forecast forecasts. The zero value but Horizon is usable.
type Options struct {
	// Horizon is the number of steps to forecast, 1 to MaxHorizon, in each
	// series' own periods (years or quarters).
	Horizon int
	// Model fits each series; nil means forecast.Auto().
	Model forecast.Model
	// Target, when not nil, gives each step a Row.PMeet = P(value >= *Target).
	Target *float64
	// Workers is the number of series forecast at once; 0 or less means
	// GOMAXPROCS.
	Workers int
}

// Row is one step of one series' forecast, as written out.
type Row struct {
	SeriesID string   `json:"series_id"`
	Period   string   `json:"period"` // labelled like the input's periods: 2019, 2019Q1
	Point    float64  `json:"point"`  // the median
	Lo80     float64  `json:"lo80"`   // the central 80 % interval
	Hi80     float64  `json:"hi80"`
	Lo95     float64  `json:"lo95"` // the central 95 % interval
	Hi95     float64  `json:"hi95"`
	Model    string   `json:"model"`
	PMeet    *float64 `json:"p_meet,omitempty"` // P(value >= target), with a target only
}

// Result is the forecast of one series, or why there is none.
type Result struct {
	Series Series
	// Err says why the model could not fit the series (too few points,
	// wrapping forecast.ErrTooFewPoints); the fields below are then empty.
	Err error
	// Model names the method behind the forecasts: the model's name, or
	// the automatic model's choice ("damped 66% + rw-drift 17% + theta 17%").
	Model string
	// Reason says why the automatic model chose it; "" for another model.
	Reason string
	// Target is Options.Target, which Rows' PMeet refer to.
	Target *float64
	// Path is the predictive distribution of each step, 1 to the horizon.
	Path []forecast.Dist
	// Rows are Path as written out, one per step.
	Rows []Row
}

// Forecast fits opts.Model to each series and forecasts it opts.Horizon
// steps ahead, on up to opts.Workers goroutines. It returns one Result per
// series, in the order of series: each depends on its series alone, so the
// results are the same whatever the number of workers. A series the model
// cannot fit gets a Result with Err set and is logged as a warning (log nil:
// discard); when no series could be fit at all the error wraps
// ErrNoForecast. Once ctx is cancelled no further series is started, the
// ones running finish, and ctx's error is returned. The series are only
// read.
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
	out, err := forecastAll(ctx, series, opts)
	if err != nil {
		return out, err
	}
	var failed []string
	for _, r := range out {
		if r.Err != nil {
			log.Warn("series not forecast", "series", r.Series.ID, "points", len(r.Series.Values), "error", r.Err)
			failed = append(failed, r.Series.ID)
			continue
		}
		log.Debug("series forecast", "series", r.Series.ID, "model", r.Model, "reason", r.Reason)
	}
	if len(failed) == len(out) {
		return out, fmt.Errorf("%w (%s)", ErrNoForecast, strings.Join(failed, ", "))
	}
	return out, nil
}

// forecastAll runs forecastOne over series on a pool of workers.
func forecastAll(ctx context.Context, series []Series, opts Options) ([]Result, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Result, len(series))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(series)) {
		wg.Go(func() {
			for i := range next {
				out[i] = forecastOne(series[i], opts)
			}
		})
	}
	var err error
feed:
	for i := range series {
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
		err = ctx.Err() // cancelled while the last series ran
	}
	return out, err
}

// forecastOne fits one series and turns its forecast path into rows.
func forecastOne(s Series, opts Options) Result {
	r := Result{Series: s}
	fit, err := opts.Model.Fit(s.Values, s.Freq)
	if err != nil {
		r.Err = err
		return r
	}
	r.Model, r.Target = opts.Model.Name(), opts.Target
	if e, ok := fit.(forecast.Explained); ok {
		r.Model, r.Reason = e.Method(), e.Reason()
	}
	r.Path = fit.Path(opts.Horizon)
	last := s.Last()
	r.Rows = make([]Row, 0, len(r.Path))
	for h, d := range r.Path {
		row := Row{SeriesID: s.ID, Period: s.Label(last + h + 1), Point: d.Quantile(0.5), Model: r.Model}
		row.Lo80, row.Hi80 = d.Interval(0.8)
		row.Lo95, row.Hi95 = d.Interval(0.95)
		if opts.Target != nil {
			p := d.Survival(*opts.Target)
			row.PMeet = &p
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}
