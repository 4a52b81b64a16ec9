package report

import (
	"slices"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// The confidentiality gate: every figure of the workbook that aggregates
// operators' returns asks it whether it may be published. A sector (or the
// nation) is confidential in a quarter under the frequency and dominance
// rules with secondary suppression (confidentialSectors, suppress); a
// figure built from several quarters (a year's exports, cumulative
// investment, a target's baseline and latest) is confidential when its
// group is in any of them, so that no hidden quarter can be recovered by
// subtracting published quarters from a published sum.

// gate answers for one set of Options, remembering its answers per quarter.
type gate struct {
	opts     Options
	hidden   map[domain.Period]map[string]bool
	byMetric map[metricAt]map[string]bool
}

// metricAt names one metric in one quarter, of the sectors' table or of
// the regions' one.
type metricAt struct {
	p       domain.Period
	metric  domain.Metric
	regions bool
}

// sectorOf and regionOf are the groups a return belongs to.
func sectorOf(r *domain.Return) string { return r.Sector }
func regionOf(r *domain.Return) string { return r.Region }

// hiddenMetric returns the groups whose figure of metric in quarter p is
// confidential: the groups of hiddenAt (the frequency rule and the
// headcount's and exports' dominance, for the tables that show a group's
// figures together), plus those where one operator dominates metric itself
// (an investment made by one operator), with their secondary suppression
// across the sectors and the national total. The union of two safe
// suppressions is safe: the hidden cells together still hold enough
// operators, none dominant.
func (w *gate) hiddenMetric(p domain.Period, metric domain.Metric) map[string]bool {
	return w.hiddenGroups(p, metric, false)
}

// hiddenRegion is hiddenMetric for the regions' table: the regions (and
// domain.National) whose figure of metric in quarter p is confidential,
// decided as the Régions sheet decides, plus the dominance of metric itself.
func (w *gate) hiddenRegion(p domain.Period, metric domain.Metric) map[string]bool {
	return w.hiddenGroups(p, metric, true)
}

// hiddenGroups is hiddenMetric (regions false) or hiddenRegion.
func (w *gate) hiddenGroups(p domain.Period, metric domain.Metric, regions bool) map[string]bool {
	k := metricAt{p, metric, regions}
	if h, ok := w.byMetric[k]; ok {
		return h
	}
	if w.byMetric == nil {
		w.byMetric = map[metricAt]map[string]bool{}
	}
	out := map[string]bool{}
	if len(w.opts.Panel) > 0 {
		keys, of, base := w.opts.sectors(), sectorOf, w.hiddenAt(p)
		if regions {
			of = regionOf
			keys = regionKeys(w.opts.Regions, groupBy(w.opts.Panel, p, of))
			base = confidentialGroups(w.opts, p, keys, of)
		}
		for g, h := range base {
			out[g] = h
		}
		cells := make([]cellSize, len(keys))
		idx := map[string]int{}
		for i, key := range keys {
			idx[key] = i
		}
		var total cellSize
		for i := range w.opts.Panel {
			r := &w.opts.Panel[i]
			j, ok := idx[of(r)]
			if r.Period != p || !ok {
				continue
			}
			v := metricValue(r, metric)
			cells[j].operators++
			cells[j].size += v
			cells[j].top = max(cells[j].top, v)
			total.operators++
			total.size += v
			total.top = max(total.top, v)
		}
		hidden, totalHidden := suppress(cells, w.opts.rule(), &total)
		out[domain.National] = out[domain.National] || totalHidden
		for i, key := range keys {
			out[key] = out[key] || hidden[i]
		}
	}
	w.byMetric[k] = out
	return out
}

// regionKeys are the rows of a regions' table: the listed regions (all of
// them, so that a region with no operator shows as empty), then the
// regions of gs not listed, sorted.
func regionKeys(listed []string, gs map[string]*group) []string {
	keys := slices.Clone(listed)
	var more []string
	for k := range gs {
		if !slices.Contains(keys, k) {
			more = append(more, k)
		}
	}
	slices.Sort(more)
	return append(keys, more...)
}

// metricValue is r's figure of metric (a blank optional figure: none).
func metricValue(r *domain.Return, metric domain.Metric) float64 {
	var v *int64
	switch metric {
	case domain.MetricJobs:
		return float64(r.Headcount)
	case domain.MetricExports:
		return r.ExportRevenueMAD
	case domain.MetricInvestment:
		if r.InvestmentMAD != nil {
			return *r.InvestmentMAD
		}
		return 0
	case domain.MetricHires:
		v = r.Hires
	case domain.MetricHiresYouth:
		v = r.HiresYouth
	case domain.MetricHiresDisabled:
		v = r.HiresDisabled
	}
	if v != nil {
		return float64(*v)
	}
	return 0
}

// hiddenAt returns the groups (sector codes, domain.National) confidential
// in quarter p, computed once per quarter. Without a panel nothing is.
func (w *gate) hiddenAt(p domain.Period) map[string]bool {
	if h, ok := w.hidden[p]; ok {
		return h
	}
	if w.hidden == nil {
		w.hidden = map[domain.Period]map[string]bool{}
	}
	h := confidentialSectors(w.opts, p)
	w.hidden[p] = h
	return h
}

// confidentialSectors returns the sectors (and domain.National when the
// total itself is too small) whose figures for period p must be hidden.
func confidentialSectors(opts Options, p domain.Period) map[string]bool {
	return confidentialGroups(opts, p, opts.sectors(), sectorOf)
}

// confidentialGroups returns the groups of keys (r's group: of(r)), and
// domain.National when the total itself is too small, whose headcount and
// exports for period p must be hidden: the frequency and dominance rules
// with secondary suppression, as a table of the groups' figures decides.
func confidentialGroups(opts Options, p domain.Period, keys []string, of func(*domain.Return) string) map[string]bool {
	if len(opts.Panel) == 0 {
		return nil
	}
	hidden, totalHidden := hiddenRows(groupBy(opts.Panel, p, of), keys, opts.rule())
	out := map[string]bool{domain.National: totalHidden}
	for i, k := range keys {
		out[k] = hidden[i]
	}
	return out
}

// hiddenRows decides, for a table of the groups gs of keys (one row each,
// in order) and their total, which rows' headcount and exports must be
// hidden and whether the total must: r's frequency and dominance rules with
// secondary suppression. confidentialGroups gives the same answer by group;
// a table's rows take it by position, whatever their keys.
func hiddenRows(gs map[string]*group, keys []string, r rule) (hidden []bool, totalHidden bool) {
	cells, total := groupCells(gs, keys, r.dominance)
	return suppress(cells, r, &total)
}

// hiddenIn reports whether group's figure of metric is confidential in
// any quarter of ps.
func (w *gate) hiddenIn(group string, metric domain.Metric, ps ...domain.Period) bool {
	for _, p := range ps {
		if w.hiddenMetric(p, metric)[group] {
			return true
		}
	}
	return false
}

// panelFirst is the first quarter of the panel (0 without one).
func (w *gate) panelFirst() domain.Period {
	var first domain.Period
	for i := range w.opts.Panel {
		if p := w.opts.Panel[i].Period; first == 0 || p < first {
			first = p
		}
	}
	return first
}

// targetHidden reports whether a's figures must be hidden: its group is
// confidential in a quarter its published figures depend on (the latest
// actual: one quarter for jobs, four for exports, every quarter so far for
// a cumulative target; the baseline year's Q4). baselineYear 0: none.
func (w *gate) targetHidden(a *assess.Assessment, baselineYear int) bool {
	if len(w.opts.Panel) == 0 {
		return false
	}
	latest := a.LatestPeriod
	if latest == 0 {
		return true // cannot tell: hide
	}
	var ps []domain.Period
	switch {
	case a.Kind == domain.KindCumulative:
		for p := w.panelFirst(); p != 0 && p <= latest; p++ {
			ps = append(ps, p)
		}
	case a.Metric == domain.MetricExports:
		ps = []domain.Period{latest - 3, latest - 2, latest - 1, latest}
	default:
		ps = []domain.Period{latest}
	}
	if baselineYear != 0 && a.Kind != domain.KindCumulative {
		ps = append(ps, domain.YearEnd(baselineYear))
	}
	return w.hiddenIn(a.Sector, a.Metric, ps...)
}

// secret reports whether a, of target set set, may say nothing but that
// it is confidential: masked already (a.Secret, the run record's published
// results) or hidden by w's rule.
func (w *gate) secret(set string, a *assess.Assessment) bool {
	return a.Secret || w.targetHidden(a, w.opts.BaselineYears[set])
}

// yearHidden reports whether group's metric is confidential in any quarter of year.
func (w *gate) yearHidden(group string, metric domain.Metric, year int) bool {
	return w.hiddenIn(group, metric, domain.NewPeriod(year, 1), domain.NewPeriod(year, 2), domain.NewPeriod(year, 3), domain.NewPeriod(year, 4))
}

// ConfidentialTargets returns the targets (keys "set/target id") whose
// figures the workbook hides under opts's confidentiality rule (Options.Panel,
// MinOperators, Dominance, BaselineYears): what else leaves (the page, the
// API, fan charts) must hide them too.
func ConfidentialTargets(results []*assess.Result, opts Options) []string {
	g := &gate{opts: opts}
	var out []string
	for _, r := range results {
		for i := range r.Assessments {
			if g.targetHidden(&r.Assessments[i], opts.BaselineYears[r.TargetSet]) {
				out = append(out, r.TargetSet+"/"+r.Assessments[i].TargetID)
			}
		}
	}
	return out
}

// Gate is the confidentiality gate for figures that leave outside the
// workbook (the exported series). It takes the decisions the workbook's
// sheets take, from the same Options (Panel, MinOperators, Dominance,
// Regions), so that no output reveals what another hides.
type Gate struct{ g *gate }

// NewGate returns the gate of opts. Without opts.Panel nothing is hidden.
func NewGate(opts Options) *Gate { return &Gate{g: &gate{opts: opts}} }

// Hidden reports whether the figure of metric built from the quarters ps
// is confidential: for sector (a sector code or domain.National) when
// region is empty, else for region (the regions' table). A figure built
// from several quarters (a year) is hidden when any of them is, so that no
// hidden quarter can be recovered by subtraction.
func (g *Gate) Hidden(sector, region string, metric domain.Metric, ps ...domain.Period) bool {
	for _, p := range ps {
		if region != "" && g.g.hiddenRegion(p, metric)[region] {
			return true
		}
		if region == "" && g.g.hiddenMetric(p, metric)[sector] {
			return true
		}
	}
	return false
}
