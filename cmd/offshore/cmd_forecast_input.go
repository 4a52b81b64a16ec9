package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/forecast"
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
	Workers int      // series forecast at once; 0 means GOMAXPROCS
}

// inputSeries is one series of the input file, ordered by period.
type inputSeries struct {
	ID     string
	Freq   int // 1 yearly, 4 quarterly
	First  int // index of the first period: year, or year*4+quarter-1
	Values []float64
}

// label returns the period string of index k (2016 or 2016Q1).
func (s *inputSeries) label(k int) string {
	if s.Freq == 1 {
		return strconv.Itoa(k)
	}
	return fmt.Sprintf("%dQ%d", floorDiv(k, 4), k-4*floorDiv(k, 4)+1)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// forecastRow is one step of one series' forecast, as written out.
type forecastRow struct {
	SeriesID string   `json:"series_id"`
	Period   string   `json:"period"`
	Point    float64  `json:"point"`
	Lo80     float64  `json:"lo80"`
	Hi80     float64  `json:"hi80"`
	Lo95     float64  `json:"lo95"`
	Hi95     float64  `json:"hi95"`
	Model    string   `json:"model"`
	PMeet    *float64 `json:"p_meet,omitempty"`
}

// validate checks the options' values (exit code 2 when wrong).
func (o *inputOptions) validate() error {
	switch {
	case o.Horizon <= 0:
		return usageError("forecast: --horizon %d: want the number of periods to forecast, 1 or more (with --input)", o.Horizon)
	case o.Horizon > 200:
		return usageError("forecast: --horizon %d: want at most 200 periods", o.Horizon)
	case o.Format != "csv" && o.Format != "json" && o.Format != "xlsx":
		return usageError("forecast: --format %q: want csv, json or xlsx with --input", o.Format)
	case o.Format == "xlsx" && o.Out == "":
		return usageError("forecast: --format xlsx needs --out FILE.xlsx")
	case o.Target != nil && !isFinite(*o.Target):
		return usageError("forecast: --target %v: want a finite number", *o.Target)
	}
	ext := strings.ToLower(filepath.Ext(o.Input))
	if ext != ".csv" && ext != ".xlsx" {
		return usageError("forecast: --input %s: want a .csv or .xlsx file", o.Input)
	}
	if _, err := forecast.ByName(o.Model); err != nil {
		return usageError("forecast: --model: %v", err)
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// runForecastInput forecasts every series of the input file o.Input to
// o.Horizon steps and writes one row per series and step. A series the
// model cannot fit (fewer than 3 points) is reported on the log and left
// out; the command fails only when no series could be forecast.
func runForecastInput(ctx context.Context, o inputOptions, stdout io.Writer, log *slog.Logger) error {
	if err := o.validate(); err != nil {
		return err
	}
	model, _ := forecast.ByName(o.Model)
	ss, err := readInput(o.Input)
	if err != nil {
		return err
	}
	results, err := forecastAll(ctx, model, ss, o, o.Workers)
	if err != nil {
		return err
	}
	var rows []forecastRow
	var plotted []plotSeries
	var failed []string
	for i, r := range results {
		s := ss[i]
		if r.err != nil {
			log.Warn("series not forecast", "series", s.ID, "points", len(s.Values), "error", r.err)
			failed = append(failed, s.ID)
			continue
		}
		log.Debug("series forecast", "series", s.ID, "model", r.plot.model, "reason", r.reason)
		rows = append(rows, r.rows...)
		plotted = append(plotted, r.plot)
	}
	if len(plotted) == 0 {
		return fmt.Errorf("%s: no series could be forecast (%s)", o.Input, strings.Join(failed, ", "))
	}
	if err := writeRows(o, rows, stdout); err != nil {
		return err
	}
	if o.Plot != "" {
		if err := os.MkdirAll(o.Plot, 0o755); err != nil {
			return err
		}
		for _, p := range plotted {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fanChart(p, o.Target, filepath.Join(o.Plot, fileName(p.s.ID)+".png")); err != nil {
				return err
			}
		}
	}
	log.Info("forecast finished", "input", o.Input, "series", len(plotted), "not_forecast", len(failed), "rows", len(rows))
	return nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// seriesForecast is one series' forecast: its output rows and chart, or
// why the model could not fit it.
type seriesForecast struct {
	rows   []forecastRow
	plot   plotSeries
	reason string // the automatic model's reason for its choice
	err    error
}

// forecastOne fits one series and turns its forecast path into rows.
func forecastOne(model forecast.Model, s inputSeries, o inputOptions) seriesForecast {
	fit, err := model.Fit(s.Values, s.Freq)
	if err != nil {
		return seriesForecast{err: err}
	}
	var r seriesForecast
	name := model.Name()
	if e, ok := fit.(forecast.Explained); ok {
		name, r.reason = e.Method(), e.Reason()
	}
	path := fit.Path(o.Horizon)
	last := s.First + len(s.Values) - 1
	r.rows = make([]forecastRow, 0, len(path))
	for h, d := range path {
		row := forecastRow{SeriesID: s.ID, Period: s.label(last + h + 1), Point: d.Quantile(0.5), Model: name}
		row.Lo80, row.Hi80 = d.Interval(0.8)
		row.Lo95, row.Hi95 = d.Interval(0.95)
		if o.Target != nil {
			p := d.Survival(*o.Target)
			row.PMeet = &p
		}
		r.rows = append(r.rows, row)
	}
	r.plot = plotSeries{s: s, path: path, model: name}
	return r
}

// forecastAll forecasts every series on up to workers goroutines
// (GOMAXPROCS when workers <= 0) and returns the results in the order of
// ss: each series' forecast depends on that series alone, so the output is
// the same whatever the number of workers. Once ctx is cancelled no further
// series is started, the ones running finish, and ctx's error is returned.
func forecastAll(ctx context.Context, model forecast.Model, ss []inputSeries, o inputOptions, workers int) ([]seriesForecast, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]seriesForecast, len(ss))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(ss)) {
		wg.Go(func() {
			for i := range next {
				out[i] = forecastOne(model, ss[i], o)
			}
		})
	}
	var err error
feed:
	for i := range ss {
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

// fileName turns a series id into a safe file name.
func fileName(id string) string {
	n := unsafeName.ReplaceAllString(id, "_")
	if n == "" || n == "." || n == ".." {
		n = "series"
	}
	return n
}

// columns is the header of the output, in order.
var columns = []string{"series_id", "period", "point", "lo80", "hi80", "lo95", "hi95", "model", "p_meet"}

// writeRows writes the rows in o.Format to o.Out or stdout.
func writeRows(o inputOptions, rows []forecastRow, stdout io.Writer) (err error) {
	cols := columns
	if o.Target == nil {
		cols = cols[:len(cols)-1]
	}
	cells := func(r forecastRow) []any {
		c := []any{r.SeriesID, r.Period, r.Point, r.Lo80, r.Hi80, r.Lo95, r.Hi95, r.Model}
		if r.PMeet != nil {
			c = append(c, *r.PMeet)
		}
		return c
	}
	if o.Format == "xlsx" {
		f := excelize.NewFile()
		defer f.Close()
		sh := "forecast"
		if err := f.SetSheetName("Sheet1", sh); err != nil {
			return err
		}
		for j, c := range cols {
			cell, _ := excelize.CoordinatesToCellName(j+1, 1)
			if err := f.SetCellValue(sh, cell, c); err != nil {
				return err
			}
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			row := cells(r)
			if err := f.SetSheetRow(sh, cell, &row); err != nil {
				return err
			}
		}
		if err := f.SaveAs(o.Out); err != nil {
			return fmt.Errorf("writing %s: %w", o.Out, err)
		}
		return nil
	}

	w := stdout
	if o.Out != "" {
		f, err := os.Create(o.Out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	if o.Format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []forecastRow{}
		}
		return enc.Encode(rows)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	for _, r := range rows {
		rec := []string{r.SeriesID, r.Period, num(r.Point), num(r.Lo80), num(r.Hi80), num(r.Lo95), num(r.Hi95), r.Model}
		if r.PMeet != nil {
			rec = append(rec, strconv.FormatFloat(*r.PMeet, 'f', 4, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// inputError is a problem with one row of the input file.
type inputError struct {
	File  string
	Row   int // 1-based line (CSV) or row (xlsx), header included
	Col   string
	Value string
	Want  string
}

func (e *inputError) Error() string {
	return fmt.Sprintf("%s: row %d, column %s: %q, want %s", e.File, e.Row, e.Col, e.Value, e.Want)
}

// readInput reads a series_id,period,value table from a CSV or xlsx file
// (the first sheet) and returns its series in order of first appearance.
// Every bad row is reported (errors.Join), not only the first.
func readInput(path string) ([]inputSeries, error) {
	var records [][]string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		f, err := excelize.OpenFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		defer f.Close()
		records, err = f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	default:
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		records, err = r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty file; want a header series_id,period,value and one row per value", path)
	}
	col := map[string]int{}
	for j, h := range records[0] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = j
	}
	for _, c := range []string{"series_id", "period", "value"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: header %q lacks column %q; want series_id,period,value", path, strings.Join(records[0], ","), c)
		}
	}
	type point struct {
		k    int
		v    float64
		line int
	}
	byID := map[string][]point{}
	freq := map[string]int{}
	var order []string
	var errs []error
	cell := func(rec []string, name string) string {
		if j := col[name]; j < len(rec) {
			return strings.TrimSpace(rec[j])
		}
		return ""
	}
	for i, rec := range records[1:] {
		line := i + 2
		id, per, val := cell(rec, "series_id"), cell(rec, "period"), cell(rec, "value")
		if id == "" && per == "" && val == "" {
			continue
		}
		if id == "" {
			errs = append(errs, &inputError{path, line, "series_id", id, "a series name"})
			continue
		}
		k, f, ok := parsePeriod(per)
		if !ok {
			errs = append(errs, &inputError{path, line, "period", per, "a year (2016) or a quarter (2016Q1)"})
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || !isFinite(v) {
			errs = append(errs, &inputError{path, line, "value", val, "a number (decimal point, no thousands separator)"})
			continue
		}
		if _, seen := byID[id]; !seen {
			order = append(order, id)
			freq[id] = f
		} else if freq[id] != f {
			errs = append(errs, &inputError{path, line, "period", per, fmt.Sprintf("the same frequency as the series' other periods (%s)", freqName(freq[id]))})
			continue
		}
		byID[id] = append(byID[id], point{k, v, line})
	}
	var out []inputSeries
	for _, id := range order {
		pts := byID[id]
		slices.SortStableFunc(pts, func(a, b point) int { return a.k - b.k })
		s := inputSeries{ID: id, Freq: freq[id], First: pts[0].k}
		bad := false
		for i, p := range pts {
			if i > 0 && p.k == pts[i-1].k {
				errs = append(errs, &inputError{path, p.line, "period", s.label(p.k), fmt.Sprintf("one value per period (also on row %d)", pts[i-1].line)})
				bad = true
			} else if i > 0 && p.k != pts[i-1].k+1 {
				errs = append(errs, &inputError{path, p.line, "period", s.label(p.k), fmt.Sprintf("the period after %s: series %s has a gap", s.label(pts[i-1].k), id)})
				bad = true
			}
			s.Values = append(s.Values, p.v)
		}
		if !bad {
			out = append(out, s)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no data rows; want series_id,period,value rows under the header", path)
	}
	return out, nil
}

var rePeriod = regexp.MustCompile(`^(\d{4})(?:[Qq]([1-4]))?$`)

// parsePeriod parses 2016 (yearly) or 2016Q1 (quarterly) into an index and
// a frequency. A year may come from a spreadsheet as 2016.0.
func parsePeriod(s string) (k, freq int, ok bool) {
	s = strings.TrimSuffix(s, ".0")
	m := rePeriod.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	y, _ := strconv.Atoi(m[1])
	if m[2] == "" {
		return y, 1, true
	}
	q, _ := strconv.Atoi(m[2])
	return 4*y + q - 1, 4, true
}

func freqName(f int) string {
	if f == 1 {
		return "yearly"
	}
	return "quarterly"
}
