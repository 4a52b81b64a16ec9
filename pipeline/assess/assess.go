package assess

import (
	"errors"
	"fmt"
	"math"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Options choose the model and the status thresholds.
type Options struct {
	Model      forecast.Model
	MinPoints  int // fewer observed quarters than this: the target is skipped
	Thresholds forecast.Thresholds
}

// Assessment is the verdict on one target. Amounts are in MAD, jobs in persons.
type Assessment struct {
	TargetID       string      `json:"target_id"`
	Label          string      `json:"label"`
	Sector         string      `json:"sector"`
	Metric         string      `json:"metric"`
	Kind           string      `json:"kind"`
	Horizon        string      `json:"horizon"`
	Baseline       float64     `json:"baseline"`
	Latest         float64     `json:"latest"`
	LatestPeriod   string      `json:"latest_period"`
	Target         float64     `json:"target"`
	Projected      float64     `json:"projected"`
	Lo80           float64     `json:"lo80"`
	Hi80           float64     `json:"hi80"`
	Lo95           float64     `json:"lo95"`
	Hi95           float64     `json:"hi95"`
	PMeet          float64     `json:"p_meet"`
	Status         string      `json:"status"`
	Model          string      `json:"model"`
	RequiredGrowth *float64    `json:"required_growth,omitempty"` // compound annual rate from latest to target
	ObservedGrowth *float64    `json:"observed_growth,omitempty"` // compound annual rate over the fitted span
	Path           []PathPoint `json:"path,omitempty"`            // quarterly projection of the series to the horizon
}

// PathPoint is the projection of one future quarter of the target's series.
type PathPoint struct {
	Period string  `json:"period"`
	Mean   float64 `json:"mean"`
	Lo80   float64 `json:"lo80"`
	Hi80   float64 `json:"hi80"`
}

// Skipped names a target that could not be assessed, and why.
type Skipped struct {
	TargetID string `json:"target_id"`
	Reason   string `json:"reason"`
}

// Result is the assessment of one target set as of one period.
type Result struct {
	AsOf          string       `json:"as_of"`
	TargetSet     string       `json:"target_set"`
	TargetSetName string       `json:"target_set_name"`
	Assessments   []Assessment `json:"assessments"`
	Skipped       []Skipped    `json:"skipped,omitempty"`
}

// ErrNoData is returned when the series hold nothing to assess.
var ErrNoData = errors.New("no returns to assess")

// Set assesses every target of set on the series, as of period asOf (the
// series' last period when 0). A target that cannot be assessed is listed in
// Skipped with its reason; Set fails only when there are no series at all.
func Set(s *series.Set, set *configs.TargetSet, asOf returns.Period, opts Options) (*Result, error) {
	if len(s.Series) == 0 {
		return nil, ErrNoData
	}
	if asOf == 0 || asOf > s.Last {
		asOf = s.Last
	}
	res := &Result{AsOf: asOf.String(), TargetSet: set.ID, TargetSetName: set.Name, Assessments: []Assessment{}}
	for _, t := range set.Targets {
		a, err := target(s, set, t, asOf, opts)
		if err != nil {
			res.Skipped = append(res.Skipped, Skipped{TargetID: t.ID, Reason: err.Error()})
			continue
		}
		res.Assessments = append(res.Assessments, a)
	}
	return res, nil
}

func target(s *series.Set, set *configs.TargetSet, t configs.Target, asOf returns.Period, opts Options) (Assessment, error) {
	ser := s.Get(t.Sector, t.Metric)
	if ser == nil {
		return Assessment{}, fmt.Errorf("no %s series for sector %s", t.Metric, t.Sector)
	}
	y := observed(ser, asOf)
	if len(y) < opts.MinPoints {
		return Assessment{}, fmt.Errorf("%d contiguous quarters up to %s; the model needs at least %d", len(y), asOf, opts.MinPoints)
	}
	first := asOf - returns.Period(len(y)) + 1
	a := Assessment{
		TargetID: t.ID, Label: t.Label, Sector: t.Sector, Metric: t.Metric, Kind: t.Kind,
		Horizon: fmt.Sprint(set.Horizon), LatestPeriod: asOf.String(), Model: opts.Model.Name(),
	}
	if t.Baseline != nil {
		a.Baseline = *t.Baseline
	} else if v, ok := series.Annual(ser, set.BaselineYear); ok && t.Kind != configs.KindCumulative {
		a.Baseline = v
	} else if t.Kind != configs.KindCumulative {
		return Assessment{}, fmt.Errorf("no baseline in targets.yaml and %d is not fully observed", set.BaselineYear)
	}
	switch t.Kind {
	case configs.KindIncrease:
		a.Target = a.Baseline + t.Value
	default:
		a.Target = t.Value
	}

	from := set.BaselineYear + 1
	if t.From != 0 {
		from = t.From
	}
	m, lastQ := measure(ser, t, set.Horizon, from, asOf)
	a.Latest = latest(y, t, ser, from, asOf)

	fit, err := opts.Model.Fit(y, 4)
	if err != nil {
		return Assessment{}, fmt.Errorf("fitting %s: %w", opts.Model.Name(), err)
	}
	v := forecast.Assess(fit, opts.Model.Name(), m, a.Target, opts.Thresholds)
	a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95, a.PMeet, a.Status = v.Projected, v.Lo80, v.Hi80, v.Lo95, v.Hi95, v.PMeet, string(v.Status)

	if steps := int(lastQ - asOf); steps > 0 {
		for i, d := range fit.Path(steps) {
			a.Path = append(a.Path, PathPoint{Period: (asOf + returns.Period(i+1)).String(), Mean: d.Mean, Lo80: d.Quantile(0.1), Hi80: d.Quantile(0.9)})
		}
	}
	if t.Kind != configs.KindCumulative {
		years := float64(returns.YearEnd(set.Horizon)-asOf) / 4
		if g := forecast.GrowthRate(a.Latest, a.Target, years); years > 0 && !math.IsNaN(g) {
			a.RequiredGrowth = &g
		}
		start := y[0]
		if t.Metric == configs.MetricExports && len(y) >= 8 {
			start = sum(y[:4])
		}
		span := float64(asOf-first) / 4
		if t.Metric == configs.MetricExports {
			span = float64(len(y)-4) / 4
		}
		if g := forecast.GrowthRate(start, a.Latest, span); span > 0 && !math.IsNaN(g) {
			a.ObservedGrowth = &g
		}
	}
	return a, nil
}

// observed returns the trailing run of observed values of s up to asOf.
func observed(s *series.Series, asOf returns.Period) []float64 {
	end := int(asOf - s.Start)
	if end >= len(s.Values) {
		end = len(s.Values) - 1
	}
	start := end + 1
	for start > 0 && !math.IsNaN(s.Values[start-1]) {
		start--
	}
	if end < 0 {
		return nil
	}
	return s.Values[start : end+1]
}

// measure builds the target's measure from the quarter after asOf, and
// returns the last quarter the measure needs.
func measure(s *series.Series, t configs.Target, horizon, from int, asOf returns.Period) (forecast.Measure, returns.Period) {
	var quarters []returns.Period
	switch {
	case t.Metric == configs.MetricJobs:
		quarters = []returns.Period{returns.YearEnd(horizon)}
	case t.Kind == configs.KindCumulative:
		quarters = span(returns.NewPeriod(from, 1), returns.YearEnd(horizon))
	default:
		quarters = span(returns.NewPeriod(horizon, 1), returns.YearEnd(horizon))
	}
	m := forecast.Measure{Monotone: t.Kind == configs.KindCumulative}
	last := quarters[len(quarters)-1]
	if last > asOf {
		m.Weights = make([]float64, int(last-asOf))
	}
	for _, q := range quarters {
		if q <= asOf {
			if v := s.At(q); !math.IsNaN(v) {
				m.Known += v
			}
			continue
		}
		m.Weights[int(q-asOf)-1] = 1
	}
	return m, last
}

// latest is the latest actual comparable to the target.
func latest(y []float64, t configs.Target, s *series.Series, from int, asOf returns.Period) float64 {
	switch {
	case t.Kind == configs.KindCumulative:
		total := 0.0
		for _, q := range span(returns.NewPeriod(from, 1), asOf) {
			if v := s.At(q); !math.IsNaN(v) {
				total += v
			}
		}
		return total
	case t.Metric == configs.MetricJobs:
		return y[len(y)-1]
	default:
		return sum(y[max(0, len(y)-4):])
	}
}

func span(a, b returns.Period) []returns.Period {
	var ps []returns.Period
	for p := a; p <= b; p++ {
		ps = append(ps, p)
	}
	return ps
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
