package report

import "sort"

// DefaultMinOperators is the smallest number of operators a published
// figure may be built from ("secret statistique").
const DefaultMinOperators = 3

// suppress decides which rows of a table whose rows add up to a published
// total must be hidden so that no figure built from fewer than min operators
// can be read, directly or by subtracting the others from the total.
//
// counts[i] is the number of operators behind row i and size[i] a measure of
// the row (its headcount) used to pick secondary suppressions. Rows with no
// operator hold nothing confidential and are never suppressed. Primary: rows
// with 1..min-1 operators. Secondary: when exactly one row is suppressed, the
// smallest other non-empty row is suppressed too, so that the total minus the
// published rows gives only the sum of two hidden rows. When the suppressed
// rows together still hold fewer than min operators, the next smallest rows
// join them until they do. When the total itself has fewer than min
// operators, every row is hidden and totalHidden is true.
func suppress(counts []int, size []float64, min int) (hidden []bool, totalHidden bool) {
	hidden = make([]bool, len(counts))
	total, nonEmpty := 0, 0
	for i, c := range counts {
		total += c
		if c > 0 {
			nonEmpty++
		}
		hidden[i] = c > 0 && c < min
	}
	if total > 0 && total < min {
		for i, c := range counts {
			hidden[i] = c > 0
		}
		return hidden, true
	}
	order := make([]int, 0, len(counts)) // non-empty rows, smallest first
	for i, c := range counts {
		if c > 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] < size[order[b]] })
	for {
		n, ops := 0, 0
		for i, h := range hidden {
			if h {
				n++
				ops += counts[i]
			}
		}
		if n == 0 || (n >= 2 && ops >= min) || n == nonEmpty {
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
