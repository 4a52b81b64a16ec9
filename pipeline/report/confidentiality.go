package report

import "sort"

// DefaultMinOperators is the smallest number of operators a published
// figure may be built from ("secret statistique").
const DefaultMinOperators = 3

// DefaultDominance is the largest share of a published figure one operator
// may hold (the dominance rule).
const DefaultDominance = 0.85

// rule is the confidentiality rule: the frequency rule (at least min
// operators behind a figure) and the dominance rule (no operator above
// dominance of it).
type rule struct {
	min       int
	dominance float64
}

// cellSize is what the rule needs to know of one row of a table: the
// number of operators behind it, its size (headcount, hires: what picks the
// secondary suppressions and what dominance is measured on) and the largest
// single operator's part of that size. dominated marks a row in which one
// operator holds more than the rule's share of another figure of the row
// (exports).
type cellSize struct {
	operators int
	size, top float64
	dominated bool
}

// sensitive reports whether a figure of operators with the given size, top
// operator and other dominance is confidential under r.
func (r rule) sensitive(operators int, size, top float64, dominated bool) bool {
	if operators == 0 {
		return false // nothing to protect: the cell reads "–"
	}
	return operators < r.min || dominated || (size > 0 && top > r.dominance*size)
}

// suppress decides which rows of a table whose rows add up to a published
// total must be hidden so that no confidential figure can be read, directly
// or by subtracting the others from the total.
//
// Rows with no operator hold nothing confidential and are never suppressed
// (they read "–"). Primary: rows with 1..min-1 operators or dominated by one
// operator (its part above dominance of the row's size, or cellSize.dominated).
// Secondary: when rows are suppressed, the smallest other non-empty rows join
// them until the hidden rows are at least two, hold at least min operators
// together, and no single operator holds more than dominance of their sum,
// so that the total minus the published rows reveals nothing confidential.
// When the total itself is confidential, every row is hidden and
// totalHidden is true.
//
// total, when not nil, is the total's own cell (its dominance measured on
// every figure, as groupCells gives it); else it is summed from the rows.
func suppress(rows []cellSize, r rule, total *cellSize) (hidden []bool, totalHidden bool) {
	hidden = make([]bool, len(rows))
	var sum cellSize
	nonEmpty := 0
	for i, c := range rows {
		sum.operators += c.operators
		sum.size += c.size
		sum.top = max(sum.top, c.top)
		if c.operators > 0 {
			nonEmpty++
			sum.dominated = c.dominated // a single non-empty row's dominance is the total's
		}
		hidden[i] = r.sensitive(c.operators, c.size, c.top, c.dominated)
	}
	if nonEmpty > 1 {
		sum.dominated = false
	}
	if total == nil {
		total = &sum
	}
	if r.sensitive(total.operators, total.size, total.top, total.dominated) {
		for i, c := range rows {
			hidden[i] = c.operators > 0
		}
		return hidden, true
	}
	order := make([]int, 0, len(rows)) // non-empty rows, smallest first
	for i, c := range rows {
		if c.operators > 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rows[order[a]].size < rows[order[b]].size })
	for {
		var h cellSize
		n := 0
		for i, c := range rows {
			if hidden[i] {
				n++
				h.operators += c.operators
				h.size += c.size
				h.top = max(h.top, c.top)
			}
		}
		if n == 0 || (n >= 2 && !r.sensitive(h.operators, h.size, h.top, false)) || n == nonEmpty {
			return hidden, false
		}
		for _, i := range order {
			if !hidden[i] {
				hidden[i] = true
				break
			}
		}
	}
}
