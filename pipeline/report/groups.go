package report

import (
	"math"
	"sort"

	"github.com/offshore-ma/offshore/domain"
)

// nan marks an unknown value: written as an empty cell.
var nan = math.NaN()

// none is the mark of a figure with no operator behind it (néant), in both
// languages: a sector or region with no return reads "–", not 0.
const none = "–"

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

// hiring sums the hires of one year (or one group within it).
type hiring struct {
	operators               int // operators that reported hires
	hires, youth, disabled  int64
	youthOps, disabledOps   int // operators that reported each breakdown
	youthBase, disabledBase int64
}

func (h *hiring) add(r *domain.Return) {
	if r.Hires == nil {
		return
	}
	h.operators++
	h.hires += *r.Hires
	if r.HiresYouth != nil {
		h.youth += *r.HiresYouth
		h.youthBase += *r.Hires
		h.youthOps++
	}
	if r.HiresDisabled != nil {
		h.disabled += *r.HiresDisabled
		h.disabledBase += *r.Hires
		h.disabledOps++
	}
}

// share is part/whole, NaN when whole is 0.
func share(part, whole float64) float64 {
	if whole == 0 {
		return nan
	}
	return part / whole
}

// coverage is the filing record of one period.
type coverage struct {
	period   domain.Period
	expected int      // operators expected to file: filed this period or in one of the four before
	received int      // returns received for the period
	late     int      // of which received after the due date
	missing  []string // names of the expected operators with no return, sorted
}

// filing measures returns received against returns expected for each of
// the periods first..last. An operator is expected in a period when it filed
// for it or for one of the four periods before (so an operator that stopped
// filing a year ago counts as gone). A return is late when received after
// the end of its quarter plus delayDays.
func filing(rs []domain.Return, first, last domain.Period, delayDays int) []coverage {
	filed := map[domain.Period]map[string]*domain.Return{}
	names := map[string]string{}
	for i := range rs {
		r := &rs[i]
		if filed[r.Period] == nil {
			filed[r.Period] = map[string]*domain.Return{}
		}
		filed[r.Period][r.OperatorID] = r
		names[r.OperatorID] = r.OperatorName
	}
	var out []coverage
	for p := first; p <= last; p++ {
		c := coverage{period: p}
		expected := map[string]bool{}
		for q := p - 4; q <= p; q++ {
			for id := range filed[q] {
				expected[id] = true
			}
		}
		c.expected = len(expected)
		for id := range expected {
			r, ok := filed[p][id]
			if !ok {
				c.missing = append(c.missing, names[id])
				continue
			}
			c.received++
			if r.ReceivedAt.After(p.End().AddDate(0, 0, delayDays)) {
				c.late++
			}
		}
		sort.Strings(c.missing)
		out = append(out, c)
	}
	return out
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
