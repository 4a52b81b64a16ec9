package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"

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
	// Years labels the x axis with whole years (2016, 2018…) rather than
	// gonum's default ticks.
	Years bool
	// YLabels writes the y axis' tick labels (a locale's thousands
	// separator); nil: gonum's.
	YLabels func(float64) string
	// Lines are other paths drawn over the fan (a what-if's growth, the
	// path that would reach the target), each with its legend.
	Lines []Line
}

// Line is a path drawn on a fan chart, solid or dotted.
type Line struct {
	Label  string
	X, Y   []float64
	Dotted bool
}

// Formats are the formats Write writes.
var Formats = []string{"png", "svg"}

// Save writes f as a 16 × 10 cm chart to file, PNG or SVG by its
// extension.
func (f *Fan) Save(file string) error {
	pl, err := f.plot()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := pl.Save(16*vg.Centimeter, 10*vg.Centimeter, file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}

// Write writes f as a 16 × 10 cm chart to w in format, png or svg.
func (f *Fan) Write(w io.Writer, format string) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("chart format %q: want png or svg", format)
	}
	pl, err := f.plot()
	if err != nil {
		return err
	}
	wt, err := pl.WriterTo(16*vg.Centimeter, 10*vg.Centimeter, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// plot draws f.
func (f *Fan) plot() (*plot.Plot, error) {
	if len(f.History) == 0 || len(f.History) != len(f.HistoryX) || len(f.X) != len(f.Median) {
		return nil, fmt.Errorf("fan chart needs a history and a forecast of matching lengths")
	}
	for _, l := range f.Lines {
		if len(l.X) != len(l.Y) {
			return nil, fmt.Errorf("fan chart line %q: %d x for %d y", l.Label, len(l.X), len(l.Y))
		}
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
		return nil, err
	}
	if err := band(f.Lo80, f.Hi80, color.RGBA{R: 107, G: 174, B: 214, A: 255}); err != nil {
		return nil, err
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
		return nil, err
	}
	hl.Color = color.Black
	fl, err := plotter.NewLine(fc)
	if err != nil {
		return nil, err
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
			return nil, err
		}
		tl.Color = color.RGBA{R: 203, G: 24, B: 29, A: 255}
		tl.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		pl.Add(tl)
		pl.Legend.Add(legend[2], tl)
	}
	colors := []color.Color{color.RGBA{R: 230, G: 85, B: 13, A: 255}, color.RGBA{R: 49, G: 163, B: 84, A: 255}, color.RGBA{R: 117, G: 107, B: 177, A: 255}}
	for i, l := range f.Lines {
		pts := make(plotter.XYs, len(l.X))
		for k := range l.X {
			pts[k] = plotter.XY{X: l.X[k], Y: l.Y[k]}
		}
		ll, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		ll.Color = colors[i%len(colors)]
		ll.Width = vg.Points(1.5)
		if l.Dotted {
			ll.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		}
		pl.Add(ll)
		pl.Legend.Add(l.Label, ll)
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	if f.Years {
		pl.X.Tick.Marker = yearTicks{}
	}
	if f.YLabels != nil {
		pl.Y.Tick.Marker = labelled{plot.DefaultTicks{}, f.YLabels}
	}
	// Room above the highest line for the legend, which sits top left.
	pl.Y.Max += 0.12 * (pl.Y.Max - pl.Y.Min)
	return pl, nil
}

// labelled is a ticker whose major ticks are labelled by label.
type labelled struct {
	plot.Ticker
	label func(float64) string
}

// Ticks are m's ticks relabelled.
func (m labelled) Ticks(min, max float64) []plot.Tick {
	ts := m.Ticker.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = m.label(ts[i].Value)
		}
	}
	return ts
}

// yearTicks marks whole years on an axis of years, without decimals.
type yearTicks struct{}

// Ticks returns a labelled tick at each whole year from min to max, every
// second or fifth year when the span is long.
func (yearTicks) Ticks(min, max float64) []plot.Tick {
	step := 1
	switch span := max - min; {
	case span > 20:
		step = 5
	case span > 10:
		step = 2
	}
	var ts []plot.Tick
	for y := int(math.Ceil(min)); float64(y) <= max; y++ {
		if y%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(y), Label: strconv.Itoa(y)})
		}
	}
	return ts
}
