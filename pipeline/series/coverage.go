package series

import (
	"maps"
	"slices"

	"github.com/offshore-ma/offshore/domain"
)

// Coverage is how far the returns of one quarter have come in, measured
// against the operators expected to file: those active before it. It is what decides whether a quarter is complete enough
// to be the official as-of (see release.Choose).
type Coverage struct {
	Period domain.Period `json:"period"`
	// Expected is the number of operators active before Period (a return
	// for one of the quarters Coverages looks back on); Reported, how many
	// of them have one for Period.
	Expected int `json:"expected"`
	Reported int `json:"reported"`
	// Others counts the returns for Period from operators not expected
	// (entrants, operators back after a gap). They count in the figures but
	// not in the coverage, which measures what is still missing.
	Others int `json:"others"`
	// Operators is Reported / Expected; Weight is the share of the expected
	// operators' headcount (each as last reported) held by those that
	// reported. Both are 1 when no operator is expected (the first
	// quarter of the warehouse).
	Operators float64 `json:"operators"`
	Weight    float64 `json:"weight"`
	// WeightSecret says Weight may not be published: the operators that
	// reported, or those still missing, are fewer than the confidentiality
	// rule's minimum or one of them holds most of their headcount, and the
	// share times the published headcount would give back their own
	// (HideSmallGroups sets it).
	WeightSecret bool `json:"weight_secret,omitempty"`
	// topReported and topMissing are the largest single share of the
	// reporters' headcount, and of the missing operators' (each as last
	// reported), for HideSmallGroups.
	topReported, topMissing float64
	// Owed counts, by sector (the sector of the operator's latest return),
	// the expected returns not received; sectors that owe none are absent.
	Owed map[string]int `json:"owed,omitempty"`
}

// Coverages measures the coverage of every quarter of rs from its first to
// its last. rs are consolidated returns (one per operator × period, as
// Consolidate gives them, so only those received by its instant count).
// An operator is expected in a quarter when it has a return for one of the
// active quarters before it (at least 1: the previous quarter only; the
// panel's carry_forward_quarters makes "active" mean what the panel means,
// so that an operator late with its previous return is still expected and
// a later quarter cannot look complete before an earlier one); its weight
// is its headcount in its latest return before the quarter. The first
// quarter has nobody expected. The result is sorted by period; rs is not
// modified.
func Coverages(rs []domain.Return, active int) []Coverage {
	if len(rs) == 0 {
		return nil
	}
	active = max(active, 1)
	byPeriod := map[domain.Period]map[string]*domain.Return{}
	first, last := rs[0].Period, rs[0].Period
	for i := range rs {
		r := &rs[i]
		first, last = min(first, r.Period), max(last, r.Period)
		m := byPeriod[r.Period]
		if m == nil {
			m = map[string]*domain.Return{}
			byPeriod[r.Period] = m
		}
		m[r.OperatorID] = r
	}
	out := make([]Coverage, 0, int(last-first)+1)
	for p := first; p <= last; p++ {
		c := Coverage{Period: p, Operators: 1, Weight: 1}
		prev := map[string]*domain.Return{} // expected operator → its latest return before p
		for q := p - domain.Period(active); q < p; q++ {
			for id, r := range byPeriod[q] {
				prev[id] = r // later quarters overwrite earlier ones
			}
		}
		now := byPeriod[p]
		var prevHead, gotHead, maxGot, maxMissing float64
		for _, id := range slices.Sorted(maps.Keys(prev)) {
			r := prev[id]
			h := float64(r.Headcount)
			c.Expected++
			prevHead += h
			if _, ok := now[id]; ok {
				c.Reported++
				gotHead += h
				maxGot = max(maxGot, h)
				continue
			}
			maxMissing = max(maxMissing, h)
			if c.Owed == nil {
				c.Owed = map[string]int{}
			}
			c.Owed[r.Sector]++
		}
		for id := range now {
			if _, ok := prev[id]; !ok {
				c.Others++
			}
		}
		if c.Expected > 0 {
			c.Operators = float64(c.Reported) / float64(c.Expected)
			c.Weight = 1
			if prevHead > 0 {
				c.Weight = gotHead / prevHead
			}
			if gotHead > 0 {
				c.topReported = maxGot / gotHead
			}
			if missing := prevHead - gotHead; missing > 0 {
				c.topMissing = maxMissing / missing
			}
		}
		out = append(out, c)
	}
	return out
}

// HideSmallGroups marks the weight of each coverage as secret where the
// expected operators that reported, or those still missing (when any), are
// fewer than minOperators or one of them holds more than dominance of their
// headcount: the confidentiality rule applied to both groups.
func HideSmallGroups(cs []Coverage, minOperators int, dominance float64) {
	for i := range cs {
		c := &cs[i]
		missing := c.Expected - c.Reported
		c.WeightSecret = (c.Reported > 0 && (c.Reported < minOperators || c.topReported > dominance)) ||
			(missing > 0 && (missing < minOperators || c.topMissing > dominance))
	}
}
