package seriesfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/offshore-ma/offshore/pipeline/chart"
)

// Plot writes one PNG fan chart per result that has a forecast into dir
// (created when missing), named after its series id with every run of
// characters other than letters, digits, '.', '_' and '-' replaced by '_'
// ("exports q" → exports_q.png): the history, the forecast median, its 80 %
// and 95 % bands, and the target as a dashed line when there is one. Two ids
// that give the same name give one file, the later series'. ctx is checked
// between charts.
func Plot(ctx context.Context, dir string, results []Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fanChart(r, filepath.Join(dir, fileName(r.Series.ID)+".png")); err != nil {
			return err
		}
	}
	return nil
}

// fanChart writes r's fan chart to file. The x axis is in years (a quarter
// is a quarter of a year, drawn at its middle).
func fanChart(r Result, file string) error {
	s := r.Series
	x := func(k int) float64 {
		if s.Freq == 1 {
			return float64(k)
		}
		return float64(k)/4 + 0.125 // mid-quarter, in years
	}
	f := chart.Fan{Title: fmt.Sprintf("%s (%s)", s.ID, r.Model), XLabel: "year", YLabel: "value", Target: r.Target}
	for i, v := range s.Values {
		f.HistoryX, f.History = append(f.HistoryX, x(s.First+i)), append(f.History, v)
	}
	last := s.Last()
	for h, d := range r.Path {
		lo80, hi80 := d.Interval(0.8)
		lo95, hi95 := d.Interval(0.95)
		f.X, f.Median = append(f.X, x(last+h+1)), append(f.Median, d.Quantile(0.5))
		f.Lo80, f.Hi80 = append(f.Lo80, lo80), append(f.Hi80, hi80)
		f.Lo95, f.Hi95 = append(f.Lo95, lo95), append(f.Hi95, hi95)
	}
	return f.Save(file)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileName turns a series id into a safe file name.
func fileName(id string) string {
	n := unsafeName.ReplaceAllString(id, "_")
	if n == "" || n == "." || n == ".." {
		n = "series"
	}
	return n
}
