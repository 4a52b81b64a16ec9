package series

import (
	"math"
	"sort"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/returns"
)

// Metrics in the order reports show them.
var Metrics = []string{configs.MetricJobs, configs.MetricExports, configs.MetricInvestment}

// Series is one contiguous quarterly series: Values[i] is the value of period Start+i.
type Series struct {
	Sector string // a sector code or configs.National
	Metric string // configs.MetricJobs, MetricExports or MetricInvestment
	Start  returns.Period
	Values []float64 // NaN marks a quarter with no return at all
}

// End is the last period of the series.
func (s *Series) End() returns.Period { return s.Start + returns.Period(len(s.Values)) - 1 }

// At returns the value of period p, NaN when p is outside the series.
func (s *Series) At(p returns.Period) float64 {
	i := int(p - s.Start)
	if i < 0 || i >= len(s.Values) {
		return math.NaN()
	}
	return s.Values[i]
}

// Set is every series built from one consolidation, all over the same periods.
type Set struct {
	First, Last returns.Period
	Series      []Series // national first, then sectors in returns.Sectors order; Metrics order within
	Operators   int      // operators counted in the consolidated returns
}

// Get returns the series of sector and metric, or nil.
func (s *Set) Get(sector, metric string) *Series {
	for i := range s.Series {
		if s.Series[i].Sector == sector && s.Series[i].Metric == metric {
			return &s.Series[i]
		}
	}
	return nil
}

// Consolidate keeps the latest version of each operator × period among the
// returns received at or before asOf (the zero time means no limit) and for
// periods up to last (0 means no limit). It returns them sorted by period then
// operator; the input is not modified.
func Consolidate(rs []returns.Return, asOf time.Time, last returns.Period) []returns.Return {
	latest := make(map[string]int)
	for i := range rs {
		r := &rs[i]
		if !asOf.IsZero() && r.ReceivedAt.After(asOf) {
			continue
		}
		if last != 0 && r.Period > last {
			continue
		}
		if j, ok := latest[r.Key()]; !ok || r.Newer(&rs[j]) {
			latest[r.Key()] = i
		}
	}
	out := make([]returns.Return, 0, len(latest))
	for _, i := range latest {
		out = append(out, rs[i])
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Period != out[j].Period {
			return out[i].Period < out[j].Period
		}
		return out[i].OperatorID < out[j].OperatorID
	})
	return out
}

// Build aggregates consolidated returns into series, from the first to the last
// period present. It returns an empty Set (no Series) when rs is empty.
func Build(rs []returns.Return) *Set {
	set := &Set{}
	if len(rs) == 0 {
		return set
	}
	set.First, set.Last = rs[0].Period, rs[0].Period
	ops := map[string]bool{}
	for i := range rs {
		set.First = min(set.First, rs[i].Period)
		set.Last = max(set.Last, rs[i].Period)
		ops[rs[i].OperatorID] = true
	}
	set.Operators = len(ops)
	n := int(set.Last-set.First) + 1
	filed := make([]bool, n)
	index := map[[2]string]int{}
	for _, sector := range append([]string{configs.National}, returns.Sectors...) {
		for _, m := range Metrics {
			index[[2]string{sector, m}] = len(set.Series)
			set.Series = append(set.Series, Series{Sector: sector, Metric: m, Start: set.First, Values: make([]float64, n)})
		}
	}
	for i := range rs {
		r := &rs[i]
		t := int(r.Period - set.First)
		filed[t] = true
		inv := 0.0
		if r.InvestmentMAD != nil {
			inv = *r.InvestmentMAD
		}
		vals := map[string]float64{configs.MetricJobs: float64(r.Headcount), configs.MetricExports: r.ExportRevenueMAD, configs.MetricInvestment: inv}
		for _, sector := range []string{configs.National, r.Sector} {
			for m, v := range vals {
				if k, ok := index[[2]string{sector, m}]; ok {
					set.Series[k].Values[t] += v
				}
			}
		}
	}
	for t, ok := range filed {
		if !ok {
			for k := range set.Series {
				set.Series[k].Values[t] = math.NaN()
			}
		}
	}
	return set
}

// Annual returns the yearly value of a series as targets define it: jobs is the
// Q4 value; exports and investment are the sum of the four quarters. ok is
// false when the year is not fully observed.
func Annual(s *Series, year int) (v float64, ok bool) {
	if s.Metric == configs.MetricJobs {
		v = s.At(returns.YearEnd(year))
		return v, !math.IsNaN(v)
	}
	for q := 1; q <= 4; q++ {
		x := s.At(returns.NewPeriod(year, q))
		if math.IsNaN(x) {
			return math.NaN(), false
		}
		v += x
	}
	return v, true
}
