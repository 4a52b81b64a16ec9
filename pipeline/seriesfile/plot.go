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
// or a month is drawn at its middle). Missing values are left out of the
// history; a step without an interval has bands of no width.
func fanChart(r Result, file string) error {
	s := r.Series
	x := func(k int) float64 {
		if s.Freq == 1 {
			return float64(k)
		}
		return (float64(k) + 0.5) / float64(s.Freq) // mid-period, in years
	}
	f := chart.Fan{Title: fmt.Sprintf("%s (%s)", s.ID, r.Model), XLabel: "year", YLabel: "value", Target: r.Target}
	for i, v := range s.Values {
		if s.Missing != nil && s.Missing[i] {
			continue
		}
		f.HistoryX, f.History = append(f.HistoryX, x(s.First+i)), append(f.History, v)
	}
	last := s.Last()
	for h, d := range r.Path {
		med := d.Quantile(0.5)
		lo80, hi80, lo95, hi95 := med, med, med, med
		if hasInterval(d) {
			lo80, hi80 = d.Interval(0.8)
			lo95, hi95 = d.Interval(0.95)
		}
		f.X, f.Median = append(f.X, x(last+h+1)), append(f.Median, med)
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
