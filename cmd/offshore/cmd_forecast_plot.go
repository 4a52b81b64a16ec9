package main

import (
	"fmt"

	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/chart"
)

// plotSeries is what a fan chart shows: the history and the forecast path.
type plotSeries struct {
	s     inputSeries
	path  []forecast.Dist
	model string
}

// fanChart writes a PNG fan chart: the history, the forecast median and its
// 80 % and 95 % bands, and the target as a dashed line when given. The x
// axis is in years (a quarter is a quarter of a year).
func fanChart(p plotSeries, target *float64, file string) error {
	x := func(k int) float64 {
		if p.s.Freq == 1 {
			return float64(k)
		}
		return float64(k)/4 + 0.125 // mid-quarter, in years
	}
	f := chart.Fan{Title: fmt.Sprintf("%s (%s)", p.s.ID, p.model), XLabel: "year", YLabel: "value", Target: target}
	for i, v := range p.s.Values {
		f.HistoryX, f.History = append(f.HistoryX, x(p.s.First+i)), append(f.History, v)
	}
	last := p.s.First + len(p.s.Values) - 1
	for h, d := range p.path {
		lo80, hi80 := d.Interval(0.8)
		lo95, hi95 := d.Interval(0.95)
		f.X, f.Median = append(f.X, x(last+h+1)), append(f.Median, d.Quantile(0.5))
		f.Lo80, f.Hi80 = append(f.Lo80, lo80), append(f.Hi80, hi80)
		f.Lo95, f.Hi95 = append(f.Lo95, lo95), append(f.Hi95, hi95)
	}
	return f.Save(file)
}
