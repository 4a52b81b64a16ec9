package report

import "github.com/offshore-ma/offshore/domain"

// group is an aggregate of operators' returns for one period: a sector, a
// region or the whole nation.
type group struct {
	key       string
	operators int     // operators with a return for the period
	jobs      float64 // headcount at the end of the period
	exports   float64 // export revenue of the four quarters ending with the period
	jobsYear  float64 // headcount one year earlier, same operators' group
	opsYear   int     // operators one year earlier

	topJobs   float64            // the largest single operator's headcount at the period
	opExports map[string]float64 // exports of the four quarters by operator, for the dominance rule
}

// cell is what the confidentiality rule needs to know of g: its operators,
// its headcount and largest operator's, and whether one operator holds more
// than dominance of its exports.
func (g *group) cell(dominance float64) cellSize {
	c := cellSize{operators: g.operators, size: g.jobs, top: g.topJobs}
	for _, v := range g.opExports {
		c.dominated = c.dominated || (g.exports > 0 && v > dominance*g.exports)
	}
	return c
}

// groupBy aggregates the consolidated returns rs for period p by key(r).
// Exports are summed over the four quarters ending with p.
func groupBy(rs []domain.Return, p domain.Period, key func(*domain.Return) string) map[string]*group {
	gs := map[string]*group{}
	get := func(k string) *group {
		g, ok := gs[k]
		if !ok {
			g = &group{key: k}
			gs[k] = g
		}
		return g
	}
	for i := range rs {
		r := &rs[i]
		switch {
		case r.Period == p:
			g := get(key(r))
			g.operators++
			g.jobs += float64(r.Headcount)
			g.topJobs = max(g.topJobs, float64(r.Headcount))
		case r.Period == p-4:
			g := get(key(r))
			g.opsYear++
			g.jobsYear += float64(r.Headcount)
		}
		if r.Period > p-4 && r.Period <= p {
			g := get(key(r))
			g.exports += r.ExportRevenueMAD
			if g.opExports == nil {
				g.opExports = map[string]float64{}
			}
			g.opExports[r.OperatorID] += r.ExportRevenueMAD
		}
	}
	return gs
}

// groupCells returns the confidentiality cells of gs for keys, in order,
// and the cell of their total: its operators, headcount, largest
// operator's headcount, and whether one operator holds more than dominance
// of the total's exports.
func groupCells(gs map[string]*group, keys []string, dominance float64) ([]cellSize, cellSize) {
	cells := make([]cellSize, len(keys))
	nat := &group{opExports: map[string]float64{}}
	for i, k := range keys {
		g := gs[k]
		if g == nil {
			continue
		}
		cells[i] = g.cell(dominance)
		nat.operators += g.operators
		nat.jobs += g.jobs
		nat.topJobs = max(nat.topJobs, g.topJobs)
		nat.exports += g.exports
		for op, v := range g.opExports {
			nat.opExports[op] += v
		}
	}
	return cells, nat.cell(dominance)
}

// breakdown builds the rows of a sector or region table for period p, one
// per key, named by it (gs: the groups of p by key), with the confidentiality rule applied row by row,
// and the total row last. The figures of a year earlier (jobs, change over
// the year) go through the rule as of p-4 too: a row published now may have
// been confidential then.
func (w *writer) breakdown(keys []string, gs map[string]*group, extra func(key string) []any, opts Options, p domain.Period, key func(*domain.Return) string) [][]any {
	nat := &group{}
	hidden, totalHidden := hiddenRows(gs, keys, opts.rule())
	hiddenE, totalHiddenE := hiddenRows(groupBy(opts.Panel, p-4, key), keys, opts.rule())
	for _, k := range keys {
		if g, ok := gs[k]; ok {
			nat.operators += g.operators
			nat.jobs += g.jobs
			nat.jobsYear += g.jobsYear
			nat.opsYear += g.opsYear
			nat.exports += g.exports
		}
	}
	row := func(name string, g *group, secret, secretEarlier bool, more []any) []any {
		r := []any{name, g.operators}
		if secret || g.operators == 0 {
			var mark any = secretCell{}
			if !secret {
				mark = noneCell{} // no operator: néant, not 0
			}
			for range 4 + len(more) {
				r = append(r, mark)
			}
			return r
		}
		var year, change any = orNaN(g.jobsYear, g.opsYear), share(g.jobs-g.jobsYear, g.jobsYear) * boolNaN(g.opsYear > 0)
		if secretEarlier {
			year, change = secretCell{}, secretCell{}
		}
		r = append(r, g.jobs, year, change, share(g.jobs, nat.jobs))
		return append(r, more...)
	}
	var rows [][]any
	for i, k := range keys {
		g := gs[k]
		if g == nil {
			g = &group{key: k}
		}
		rows = append(rows, row(k, g, hidden[i], hiddenE[i], extra(k)))
	}
	return append(rows, row(w.l.total, nat, totalHidden, totalHiddenE, extra("")))
}

// exportsOf is the exports of group key, or of all groups when key is "".
func exportsOf(gs map[string]*group, key string) float64 {
	if key != "" {
		if g := gs[key]; g != nil {
			return g.exports
		}
		return 0
	}
	total := 0.0
	for _, g := range gs {
		total += g.exports
	}
	return total
}

// share is part/whole, NaN when whole is 0.
func share(part, whole float64) float64 {
	if whole == 0 {
		return nan
	}
	return part / whole
}

func orNaN(v float64, n int) float64 {
	if n == 0 {
		return nan
	}
	return v
}

func boolNaN(ok bool) float64 {
	if ok {
		return 1
	}
	return nan
}
