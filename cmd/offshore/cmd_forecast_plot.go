package main

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/offshore-ma/offshore/forecast"
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
	pl := plot.New()
	pl.Title.Text = fmt.Sprintf("%s (%s)", p.s.ID, p.model)
	pl.X.Label.Text = "year"
	pl.Y.Label.Text = "value"
	pl.Add(plotter.NewGrid())

	last := p.s.First + len(p.s.Values) - 1
	band := func(level float64, c color.Color) error {
		var pts plotter.XYs
		pts = append(pts, plotter.XY{X: x(last), Y: p.s.Values[len(p.s.Values)-1]})
		for h, d := range p.path {
			lo, _ := d.Interval(level)
			pts = append(pts, plotter.XY{X: x(last + h + 1), Y: lo})
		}
		for h := len(p.path) - 1; h >= 0; h-- {
			_, hi := p.path[h].Interval(level)
			pts = append(pts, plotter.XY{X: x(last + h + 1), Y: hi})
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return err
		}
		poly.Color = c
		poly.LineStyle.Width = 0
		pl.Add(poly)
		return nil
	}
	if err := band(0.95, color.RGBA{R: 198, G: 219, B: 239, A: 255}); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := band(0.8, color.RGBA{R: 107, G: 174, B: 214, A: 255}); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}

	hist := make(plotter.XYs, len(p.s.Values))
	for i, v := range p.s.Values {
		hist[i] = plotter.XY{X: x(p.s.First + i), Y: v}
	}
	fc := plotter.XYs{{X: x(last), Y: p.s.Values[len(p.s.Values)-1]}}
	for h, d := range p.path {
		fc = append(fc, plotter.XY{X: x(last + h + 1), Y: d.Quantile(0.5)})
	}
	hl, err := plotter.NewLine(hist)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	hl.Color = color.Black
	fl, err := plotter.NewLine(fc)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fl.Color = color.RGBA{R: 8, G: 48, B: 107, A: 255}
	fl.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
	pl.Add(hl, fl)
	pl.Legend.Add("history", hl)
	pl.Legend.Add("forecast (median)", fl)
	if target != nil {
		tl, err := plotter.NewLine(plotter.XYs{{X: x(p.s.First), Y: *target}, {X: x(last + len(p.path)), Y: *target}})
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		tl.Color = color.RGBA{R: 203, G: 24, B: 29, A: 255}
		tl.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		pl.Add(tl)
		pl.Legend.Add("target", tl)
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	if err := pl.Save(16*vg.Centimeter, 10*vg.Centimeter, file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}
