package assess

import (
	"errors"
	"fmt"
	"math"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// What-ifs of an exploration (Explore): each is a path of the series to the
// horizon with its own fan and probability of meeting the target.
const (
	// WhatIfRequired is the growth needed: the constant annual rate that
	// takes the latest actual to the target at the horizon, drawn over the
	// model's fan (whose probability it keeps).
	WhatIfRequired = "required"
	// WhatIfBest and WhatIfWorst grow the series from its latest actual at
	// the rate of its best (worst) observed year, the model's uncertainty
	// around that path.
	WhatIfBest  = "best"
	WhatIfWorst = "worst"
	// WhatIfCollecting assumes the missing returns of the quarter in
	// collection come in like last year (the panel's imputation: headcount
	// as last reported, flows as in the same quarter a year before, scaled
	// by the sector's growth) and forecasts from that quarter. The pipeline
	// builds its series (Explore knows nothing of returns).
	WhatIfCollecting = "collecting"
)

// WhatIfs are the what-ifs, in the order the page shows them.
var WhatIfs = []string{WhatIfRequired, WhatIfBest, WhatIfWorst, WhatIfCollecting}

// Point is one period of an exploration's chart and table: a quarter for
// jobs (a level), a year for the flows (exports, investment, hires: judged
// per year, the sum of its four quarters). X is in years (a quarter at its
// middle). Observed points have Lo80 = Hi80 = Value.
type Point struct {
	Label    string  `json:"period"` // 2019Q1 or 2019
	X        float64 `json:"-"`
	Value    float64 `json:"value"`
	Lo80     float64 `json:"lo80"`
	Hi80     float64 `json:"hi80"`
	Observed bool    `json:"observed"`
}

// Outcome is the measure at the horizon on one path: the base forecast or a
// what-if. PMeet is NaN without a target.
type Outcome struct {
	Name      string  // "" for the base forecast, else a WhatIf
	Growth    float64 // the annual rate of the path (NaN for the base)
	From      string  // the year whose growth it repeats (best, worst), or the quarter it adds (collecting)
	Projected float64
	Lo80      float64
	Hi80      float64
	PMeet     float64
	Status    forecast.Status
	Path      []Point // the future points, to the horizon
	// Reason says why a what-if could not be computed (Path empty).
	Reason string
}

// Exploration is the forecast of one series to a horizon year, with or
// without a target, and its what-ifs.
type Exploration struct {
	Assessment Assessment // the base forecast as an assessment (Target NaN without one)
	Yearly     bool       // points are years (flows), not quarters (jobs)
	History    []Point    // observed points up to the as-of (complete years for the flows), hidden ones left out
	Base       Outcome
	WhatIfs    []Outcome // in the order asked
}

// ErrHorizonObserved is returned when the horizon's measure is already
// observed: there is nothing to forecast.
var ErrHorizonObserved = errors.New("the horizon is already observed")

// Explore forecasts the series of t.Sector and t.Metric in s to the end of
// horizon, as of asOf, and judges it against t (t.Value NaN: no target,
// PMeet NaN). t.Kind is level or cumulative (from t.From); the series is
// reconciled with the others of s as the official assessments are. hidden
// reports a quarter the confidentiality rule hides: it is left out of the
// history and of the years whose growth the what-ifs may repeat. whatIfs
// are among WhatIfRequired, WhatIfBest and WhatIfWorst (the pipeline adds
// WhatIfCollecting, whose series differ).
func Explore(s *series.Set, t config.Target, horizon int, asOf domain.Period, opts Options, hidden func(domain.Period) bool, whatIfs []string) (*Exploration, error) {
	return NewExplorer(s, asOf, opts).Explore(t, horizon, hidden, whatIfs)
}

// Explorer explores several targets of one set as of one quarter: the
// set's series are fitted, and their intervals pooled, once for all of
// them (an ad-hoc run's charts, one per target).
type Explorer struct {
	s    *series.Set
	asOf domain.Period
	opts Options
	fits fitCache // filled at the first exploration
}

// NewExplorer returns the explorer of s as of asOf (0 or after the data:
// s's last quarter) with opts.
func NewExplorer(s *series.Set, asOf domain.Period, opts Options) *Explorer {
	if asOf == 0 || asOf > s.Last {
		asOf = s.Last
	}
	return &Explorer{s: s, asOf: asOf, opts: opts}
}

// Explore is the package's Explore on x's set, quarter and options.
func (x *Explorer) Explore(t config.Target, horizon int, hidden func(domain.Period) bool, whatIfs []string) (*Exploration, error) {
	s, asOf, opts := x.s, x.asOf, x.opts
	ser := s.Get(t.Sector, t.Metric)
	if ser == nil {
		return nil, skip(SkipNoSeries, "no %s series for %s", t.Metric, t.Sector)
	}
	if domain.YearEnd(horizon) <= asOf {
		return nil, fmt.Errorf("horizon %d ends at or before %s, the latest quarter: %w", horizon, asOf, ErrHorizonObserved)
	}
	if hidden == nil {
		hidden = func(domain.Period) bool { return false }
	}
	if t.Baseline == nil && t.Kind != domain.KindCumulative {
		b := math.NaN() // target() needs one; an exploration shows none
		t.Baseline = &b
	}
	set := &config.TargetSet{ID: "explore", Horizon: horizon, BaselineYear: asOf.Year() - 1}
	if t.From == 0 {
		t.From = asOf.Year()
	}
	if x.fits == nil {
		x.fits = fitCache{}
		x.fits.pool(s, asOf, opts) // the answer's intervals as the nightly run's: pooled with the other series
	}
	fits := x.fits
	a, err := target(s, set, t, asOf, opts, fits)
	if err != nil {
		return nil, err
	}
	noTarget := math.IsNaN(t.Value)
	if noTarget {
		a.Status, a.PMeet, a.Reached = "", math.NaN(), false
	}
	e := &Exploration{Assessment: a, Yearly: t.Metric.IsFlow()}
	fit, err := fits.fit(s, t.Sector, t.Metric, asOf, opts)
	if err != nil {
		return nil, err
	}
	// The base measure's distribution (the future part; Known apart).
	m, _ := measure(ser, t, horizon, t.From, asOf)
	d, _ := reconciled(s, t, m, asOf, opts, fits, fit)
	judge := func(d forecast.Dist) (float64, float64, float64, float64, forecast.Status) {
		v := forecast.JudgeDist(d, a.Model, m, a.Target, opts.Thresholds)
		if noTarget {
			v.PMeet, v.Status = math.NaN(), ""
		}
		return v.Projected, v.Lo80, v.Hi80, v.PMeet, v.Status
	}
	e.Base.Growth = math.NaN()
	e.Base.Projected, e.Base.Lo80, e.Base.Hi80, e.Base.PMeet, e.Base.Status = judge(d)

	year := func(p domain.Period) float64 { return float64(p)/4 + 0.125 }
	if e.Yearly {
		for y := ser.Start.Year(); y <= asOf.Year(); y++ {
			v, ok := series.Annual(ser, y)
			if !ok || domain.YearEnd(y) > asOf || anyHidden(hidden, y) {
				continue
			}
			e.History = append(e.History, Point{Label: fmt.Sprint(y), X: float64(y) + 0.5, Value: v, Lo80: v, Hi80: v, Observed: true})
		}
		first := asOf.Year()
		if domain.YearEnd(first) <= asOf {
			first++
		}
		for y := first; y <= horizon; y++ {
			ty := t
			ty.Kind = domain.KindLevel
			my, _ := measure(ser, ty, y, t.From, asOf)
			dy, _ := reconciled(s, ty, my, asOf, opts, fits, fit)
			dy = dy.Shift(my.Known)
			e.Base.Path = append(e.Base.Path, Point{Label: fmt.Sprint(y), X: float64(y) + 0.5, Value: dy.Quantile(0.5), Lo80: dy.Quantile(0.1), Hi80: dy.Quantile(0.9)})
		}
	} else {
		for i, v := range ser.Values {
			p := ser.Start + domain.Period(i)
			if math.IsNaN(v) || p > asOf || hidden(p) {
				continue
			}
			e.History = append(e.History, Point{Label: p.String(), X: year(p), Value: v, Lo80: v, Hi80: v, Observed: true})
		}
		for _, pt := range a.Path {
			e.Base.Path = append(e.Base.Path, Point{Label: pt.Period.String(), X: year(pt.Period), Value: pt.Mean, Lo80: pt.Lo80, Hi80: pt.Hi80})
		}
	}

	// A what-if path: the latest actual grown at g a year, with the base
	// band moved onto it; its measure is the base one moved by the same
	// difference at the horizon (for a cumulative target, by the sum of
	// the differences of the years it sums).
	latest := a.Latest
	if t.Kind == domain.KindCumulative { // the what-ifs grow the yearly flow, not the sum so far
		latest = sum(observed(ser, asOf)[max(0, len(observed(ser, asOf))-4):])
	}
	grow := func(name string, g float64, from string) Outcome {
		o := Outcome{Name: name, Growth: g, From: from}
		if math.IsNaN(g) || math.IsNaN(latest) {
			return o
		}
		delta := 0.0
		for _, pt := range e.Base.Path {
			end := yearEndOf(pt.Label)
			v := latest * math.Pow(1+g, float64(end-asOf)/4)
			diff := v - pt.Value
			o.Path = append(o.Path, Point{Label: pt.Label, X: pt.X, Value: v, Lo80: pt.Lo80 + diff, Hi80: pt.Hi80 + diff})
			switch {
			case t.Kind == domain.KindCumulative:
				delta += diff
			case end == domain.YearEnd(horizon):
				delta = diff
			}
		}
		o.Projected, o.Lo80, o.Hi80, o.PMeet, o.Status = judge(d.Shift(delta))
		if name == WhatIfRequired {
			o.Projected, o.Lo80, o.Hi80, o.PMeet, o.Status = e.Base.Projected, e.Base.Lo80, e.Base.Hi80, e.Base.PMeet, e.Base.Status
		}
		return o
	}
	for _, w := range whatIfs {
		switch w {
		case WhatIfRequired:
			o := Outcome{Name: w, Growth: math.NaN(), Reason: "no target: no growth is required"}
			if !noTarget && a.RequiredGrowth != nil {
				o = grow(w, *a.RequiredGrowth, "")
			} else if !noTarget {
				o.Reason = "the target is cumulative or already reached: no growth rate takes the series to it"
			}
			e.WhatIfs = append(e.WhatIfs, o)
		case WhatIfBest, WhatIfWorst:
			g, y := extremeYear(ser, asOf, hidden, w == WhatIfBest)
			o := Outcome{Name: w, Growth: math.NaN(), Reason: "fewer than two complete years observed: no year's growth to repeat"}
			if y != 0 {
				o = grow(w, g, fmt.Sprint(y))
			}
			e.WhatIfs = append(e.WhatIfs, o)
		}
	}
	return e, nil
}

// yearEndOf is the last quarter of a point's label: the quarter itself
// (2019Q1) or a year's Q4 (2019).
func yearEndOf(label string) domain.Period {
	if p, err := domain.ParsePeriod(label); err == nil {
		return p
	}
	var y int
	fmt.Sscan(label, &y)
	return domain.YearEnd(y)
}

// anyHidden reports whether a quarter of year y is hidden.
func anyHidden(hidden func(domain.Period) bool, y int) bool {
	for q := 1; q <= 4; q++ {
		if hidden(domain.NewPeriod(y, q)) {
			return true
		}
	}
	return false
}

// extremeYear returns the best (or worst) growth of ser from one complete
// year to the next, up to asOf, and the year it was observed in (0 when
// there are fewer than two complete years). Jobs compare Q4s, flows the
// years' sums; a year with a hidden quarter, or following one, is skipped:
// its rate and the published figures would give the hidden one back.
func extremeYear(ser *series.Series, asOf domain.Period, hidden func(domain.Period) bool, best bool) (float64, int) {
	g, year := math.NaN(), 0
	for y := ser.Start.Year() + 1; domain.YearEnd(y) <= asOf; y++ {
		a, okA := series.Annual(ser, y-1)
		b, okB := series.Annual(ser, y)
		if !okA || !okB || a <= 0 || anyHidden(hidden, y) || anyHidden(hidden, y-1) {
			continue
		}
		r := b/a - 1
		if year == 0 || (best && r > g) || (!best && r < g) {
			g, year = r, y
		}
	}
	return g, year
}
