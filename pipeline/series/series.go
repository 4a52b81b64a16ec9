package series

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// Series is one contiguous quarterly series: Values[i] is the value of period
// Start+i. The coverage slices, when set, run parallel to Values.
type Series struct {
	Sector string // a sector code or domain.National
	Region string // a region name for a regional series (Sector is then domain.National); else empty
	Metric domain.Metric
	Start  domain.Period
	Values []float64 // reported plus imputed; NaN marks a quarter with no return at all

	Reported     []float64 // the part of Values from returns for the quarter
	Operators    []int     // operators with a return for the quarter
	Imputed      []int     // operators carried forward (imputed)
	ImputedShare []float64 // share of the headcount that is imputed, 0..1
}

// At returns the value of period p, NaN when p is outside the series.
func (s *Series) At(p domain.Period) float64 {
	i := int(p - s.Start)
	if i < 0 || i >= len(s.Values) {
		return math.NaN()
	}
	return s.Values[i]
}

// Set is every series built from one consolidation, all over the same periods.
type Set struct {
	First, Last domain.Period
	// Sectors are the sectors series were built for, in order.
	Sectors []string
	// Series: national first, then sectors in Sectors order, then
	// (when built with regions) regions by name; metrics in the order built
	// (domain.TargetMetrics by default) within each.
	Series    []Series
	Operators int // operators counted in the consolidated returns
}

// Get returns the national or sector series of sector and metric, or nil.
func (s *Set) Get(sector string, metric domain.Metric) *Series {
	for i := range s.Series {
		if s.Series[i].Sector == sector && s.Series[i].Region == "" && s.Series[i].Metric == metric {
			return &s.Series[i]
		}
	}
	return nil
}

// GetRegion returns the series of region and metric, or nil.
func (s *Set) GetRegion(region string, metric domain.Metric) *Series {
	for i := range s.Series {
		if s.Series[i].Region == region && s.Series[i].Metric == metric {
			return &s.Series[i]
		}
	}
	return nil
}

// Consolidate keeps the latest version of each operator × period among the
// returns received at or before asOf (the zero time means no limit) and for
// periods up to last (0 means no limit). It returns them sorted by period then
// operator; the input is not modified.
func Consolidate(rs []domain.Return, asOf time.Time, last domain.Period) []domain.Return {
	latest := make(map[opPeriod]int, len(rs))
	for i := range rs {
		r := &rs[i]
		if !asOf.IsZero() && r.ReceivedAt.After(asOf) {
			continue
		}
		if last != 0 && r.Period > last {
			continue
		}
		k := opPeriod{r.OperatorID, r.Period}
		if j, ok := latest[k]; !ok || r.Newer(&rs[j]) {
			latest[k] = i
		}
	}
	// Sort the indices, not the returns (large structs); the keys are
	// unique, so the order is total.
	idx := slices.Collect(maps.Values(latest))
	slices.SortFunc(idx, func(i, j int) int {
		return cmp.Or(cmp.Compare(rs[i].Period, rs[j].Period), strings.Compare(rs[i].OperatorID, rs[j].OperatorID))
	})
	out := make([]domain.Return, len(idx))
	for k, i := range idx {
		out[k] = rs[i]
	}
	return out
}

// Build aggregates consolidated returns into series, from the first to the
// last period present, without imputation: national and sector series of
// domain.TargetMetrics. It returns an empty Set (no Series) when rs is empty.
func Build(rs []domain.Return) *Set {
	return BuildPanel(NewPanel(rs, 0), BuildOptions{})
}

// BuildOptions choose which series BuildPanel makes.
type BuildOptions struct {
	Metrics []domain.Metric // default: domain.TargetMetrics
	Regions bool            // add one series per region and metric
	// Sectors are the sectors to build series for, in order (the
	// configuration's, mappings.yaml); default: those of the panel's rows,
	// sorted. A row of a sector not listed counts in the national series
	// only.
	Sectors []string
}

// BuildPanel aggregates a panel's rows (reported and imputed) into series over
// the panel's periods, each point with its coverage. A quarter in which no
// operator reported at all is a gap: NaN in every series. An optional figure
// left blank counts as none in the sums. It returns an empty Set when the
// panel has no rows.
func BuildPanel(p *Panel, opts BuildOptions) *Set {
	set := &Set{}
	if len(p.Rows) == 0 {
		return set
	}
	metrics := opts.Metrics
	if len(metrics) == 0 {
		metrics = domain.TargetMetrics
	}
	set.First, set.Last = p.First, p.Last
	ops := map[string]bool{}
	var regions []string
	for i := range p.Rows {
		if p.Rows[i].Status == StatusReported {
			ops[p.Rows[i].OperatorID] = true
		}
		if !slices.Contains(regions, p.Rows[i].Region) {
			regions = append(regions, p.Rows[i].Region)
		}
	}
	slices.Sort(regions)
	set.Operators = len(ops)
	n := int(set.Last-set.First) + 1
	type group struct {
		sector, region string
		regional       bool
	}
	set.Sectors = opts.Sectors
	if len(set.Sectors) == 0 {
		for i := range p.Rows {
			if !slices.Contains(set.Sectors, p.Rows[i].Sector) {
				set.Sectors = append(set.Sectors, p.Rows[i].Sector)
			}
		}
		slices.Sort(set.Sectors)
	}
	groups := []group{{domain.National, "", false}}
	for _, s := range set.Sectors {
		groups = append(groups, group{s, "", false})
	}
	if opts.Regions {
		for _, r := range regions {
			groups = append(groups, group{domain.National, r, true})
		}
	}
	index := map[group]int{} // index of the group's first metric
	for _, g := range groups {
		index[g] = len(set.Series)
		for _, m := range metrics {
			set.Series = append(set.Series, Series{Sector: g.sector, Region: g.region, Metric: m, Start: set.First,
				Values: make([]float64, n), Reported: make([]float64, n), Operators: make([]int, n), Imputed: make([]int, n), ImputedShare: make([]float64, n)})
		}
	}
	headImp := map[int][2]float64{} // first series of a group × period → imputed, total headcount
	filed := make([]bool, n)
	for i := range p.Rows {
		r := &p.Rows[i]
		t := int(r.Period - set.First)
		imp := r.Status == StatusImputed
		if !imp {
			filed[t] = true
		}
		for _, g := range []group{{domain.National, "", false}, {r.Sector, "", false}, {domain.National, r.Region, true}} {
			k0, ok := index[g]
			if !ok {
				continue
			}
			hk := k0*n + t
			h := headImp[hk]
			h[1] += r.Headcount
			if imp {
				h[0] += r.Headcount
			}
			headImp[hk] = h
			for j, m := range metrics {
				s := &set.Series[k0+j]
				v := r.value(m)
				s.Values[t] += v
				if imp {
					s.Imputed[t]++
				} else {
					s.Reported[t] += v
					s.Operators[t]++
				}
			}
		}
	}
	for _, k0 := range index {
		for t := range n {
			h := headImp[k0*n+t]
			share := 0.0
			if h[1] > 0 {
				share = h[0] / h[1]
			}
			for j := range metrics {
				set.Series[k0+j].ImputedShare[t] = share
			}
		}
	}
	for t, ok := range filed {
		if !ok {
			for k := range set.Series {
				set.Series[k].Values[t] = math.NaN()
				set.Series[k].Reported[t] = math.NaN()
			}
		}
	}
	return set
}

// value is the row's figure for metric; a blank optional figure counts as none.
func (r *Row) value(metric domain.Metric) float64 {
	opt := func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	}
	switch metric {
	case domain.MetricJobs:
		return r.Headcount
	case domain.MetricExports:
		return r.ExportRevenueMAD
	case domain.MetricInvestment:
		return opt(r.InvestmentMAD)
	case domain.MetricHires:
		return opt(r.Hires)
	case domain.MetricHiresYouth:
		return opt(r.HiresYouth)
	case domain.MetricHiresDisabled:
		return opt(r.HiresDisabled)
	}
	return math.NaN()
}

// Annual returns the yearly value of a series as targets define it: jobs is the
// Q4 value; exports and investment are the sum of the four quarters. ok is
// false when the year is not fully observed.
func Annual(s *Series, year int) (v float64, ok bool) {
	if s.Metric == domain.MetricJobs {
		v = s.At(domain.YearEnd(year))
		return v, !math.IsNaN(v)
	}
	for q := 1; q <= 4; q++ {
		x := s.At(domain.NewPeriod(year, q))
		if math.IsNaN(x) {
			return math.NaN(), false
		}
		v += x
	}
	return v, true
}

// Version is one return with its place among the versions of its operator ×
// period.
type Version struct {
	domain.Return
	Version  int // 1 for the first received (order of domain.Return.Newer)
	Versions int // versions received by the as-of instant
}

// Versions numbers every version of each operator × period among the returns
// received at or before asOf (zero: no limit) for periods up to last (0: no
// limit): the first received is 1 and the latest, which Consolidate keeps,
// is Versions. The result is sorted by operator, period, then version; the
// input is not modified.
func Versions(rs []domain.Return, asOf time.Time, last domain.Period) []Version {
	var out []Version
	for i := range rs {
		r := &rs[i]
		if (!asOf.IsZero() && r.ReceivedAt.After(asOf)) || (last != 0 && r.Period > last) {
			continue
		}
		out = append(out, Version{Return: *r})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i].Return, &out[j].Return
		if a.OperatorID != b.OperatorID {
			return a.OperatorID < b.OperatorID
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return b.Newer(a)
	})
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && out[j].Key() == out[i].Key() {
			j++
		}
		for k := i; k < j; k++ {
			out[k].Version, out[k].Versions = k-i+1, j-i
		}
		i = j
	}
	return out
}
