package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Fan is what a fan chart shows. X values are in years (a quarter is a
// quarter of a year). The forecast slices have one value per step after the
// last history point; Lo95/Hi95 may be nil. Target is drawn as a dashed
// line when not nil. Legend names the history, the forecast and the target
// (English by default).
type Fan struct {
	Title, XLabel, YLabel string
	Legend                [3]string
	HistoryX, History     []float64
	X                     []float64
	Median                []float64
	Lo80, Hi80            []float64
	Lo95, Hi95            []float64
	Target                *float64
}

// Save writes f as a 16 × 10 cm PNG to file.
func (f *Fan) Save(file string) error {
	if len(f.History) == 0 || len(f.History) != len(f.HistoryX) || len(f.X) != len(f.Median) {
		return fmt.Errorf("%s: fan chart needs a history and a forecast of matching lengths", file)
	}
	legend := f.Legend
	for i, def := range [3]string{"history", "forecast (median)", "target"} {
		if legend[i] == "" {
			legend[i] = def
		}
	}
	pl := plot.New()
	pl.Title.Text = f.Title
	pl.X.Label.Text = f.XLabel
	pl.Y.Label.Text = f.YLabel
	pl.Add(plotter.NewGrid())
	n := len(f.History) - 1
	origin := plotter.XY{X: f.HistoryX[n], Y: f.History[n]}
	band := func(lo, hi []float64, c color.Color) error {
		if len(lo) != len(f.X) || len(hi) != len(f.X) {
			return nil
		}
		pts := plotter.XYs{origin}
		for i := range f.X {
			pts = append(pts, plotter.XY{X: f.X[i], Y: lo[i]})
		}
		for i := len(f.X) - 1; i >= 0; i-- {
			pts = append(pts, plotter.XY{X: f.X[i], Y: hi[i]})
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
	if err := band(f.Lo95, f.Hi95, color.RGBA{R: 198, G: 219, B: 239, A: 255}); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := band(f.Lo80, f.Hi80, color.RGBA{R: 107, G: 174, B: 214, A: 255}); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	hist := make(plotter.XYs, len(f.History))
	for i, v := range f.History {
		hist[i] = plotter.XY{X: f.HistoryX[i], Y: v}
	}
	fc := plotter.XYs{origin}
	for i, v := range f.Median {
		fc = append(fc, plotter.XY{X: f.X[i], Y: v})
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
	pl.Legend.Add(legend[0], hl)
	pl.Legend.Add(legend[1], fl)
	if f.Target != nil {
		end := f.HistoryX[n]
		if len(f.X) > 0 {
			end = f.X[len(f.X)-1]
		}
		tl, err := plotter.NewLine(plotter.XYs{{X: f.HistoryX[0], Y: *f.Target}, {X: end, Y: *f.Target}})
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		tl.Color = color.RGBA{R: 203, G: 24, B: 29, A: 255}
		tl.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		pl.Add(tl)
		pl.Legend.Add(legend[2], tl)
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	if err := pl.Save(16*vg.Centimeter, 10*vg.Centimeter, file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}
