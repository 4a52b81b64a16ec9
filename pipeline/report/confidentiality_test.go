package report

import (
	"reflect"
	"testing"
)

// cells builds table rows from counts and sizes, each row's largest
// operator holding an equal share (no dominance).
func cells(counts []int, size []float64) []cellSize {
	out := make([]cellSize, len(counts))
	for i := range counts {
		out[i] = cellSize{operators: counts[i], size: size[i]}
		if counts[i] > 0 {
			out[i].top = size[i] / float64(counts[i])
		}
	}
	return out
}

func TestSuppress(t *testing.T) {
	r := rule{min: 3, dominance: 0.85}
	tests := []struct {
		name      string
		rows      []cellSize
		want      []bool
		wantTotal bool
	}{
		{"nothing small", cells([]int{5, 3, 10}, []float64{50, 30, 100}), []bool{false, false, false}, false},
		{"one small: the smallest other joins it", cells([]int{2, 10, 4, 7}, []float64{20, 100, 40, 70}), []bool{true, false, true, false}, false},
		{"two small together under min: a third joins", cells([]int{1, 1, 10, 4}, []float64{5, 6, 100, 40}), []bool{true, true, false, true}, false},
		{"two small together reaching min", cells([]int{2, 2, 10}, []float64{5, 6, 100}), []bool{true, true, false}, false},
		{"empty rows are not confidential", cells([]int{0, 2, 9, 0, 5}, []float64{0, 10, 90, 0, 50}), []bool{false, true, false, false, true}, false},
		{"total too small", cells([]int{1, 1, 0}, []float64{1, 1, 0}), []bool{true, true, false}, true},
		{"a single row equal to the total", cells([]int{2, 0}, []float64{5, 0}), []bool{true, false}, true},
		{"one operator holds 90 % of a sector", []cellSize{{5, 100, 90, false}, {10, 200, 30, false}, {6, 120, 30, false}, {8, 150, 30, false}},
			[]bool{true, false, true, false}, false},
		{"dominated by its exports", []cellSize{{5, 100, 30, true}, {10, 200, 30, false}, {6, 120, 30, false}}, []bool{true, false, true}, false},
		{"the secondary must not be dominated by the primary's operator", []cellSize{{4, 1000, 950, false}, {3, 30, 10, false}, {3, 40, 15, false}, {20, 5000, 300, false}},
			[]bool{true, true, true, true}, false},
		{"a total dominated by one operator", []cellSize{{3, 1000, 950, false}, {3, 20, 10, false}}, []bool{true, true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := suppress(tt.rows, r, nil)
			if !reflect.DeepEqual(got, tt.want) || total != tt.wantTotal {
				t.Errorf("suppress(%v) = %v, %v; want %v, %v", tt.rows, got, total, tt.want, tt.wantTotal)
			}
		})
	}
}

// TestSuppressCannotBeUndone checks the property behind the rule on random
// tables: whenever a row is hidden, the hidden rows together are at least
// two, hold at least min operators and are not dominated by one operator, so
// subtracting the published rows from the total never isolates a
// confidential figure; and no published row is confidential.
func TestSuppressCannotBeUndone(t *testing.T) {
	r := rule{min: 3, dominance: 0.85}
	seed := uint64(1)
	next := func(n int) int { seed = seed*6364136223846793005 + 1442695040888963407; return int(seed>>33) % n }
	for iter := 0; iter < 5000; iter++ {
		n := 1 + next(8)
		rows := make([]cellSize, n)
		for i := range rows {
			c := next(6)
			rows[i] = cellSize{operators: c}
			if c > 0 {
				rows[i].size = float64(c*10 + next(10))
				rows[i].top = rows[i].size / float64(c)
				if next(5) == 0 {
					rows[i].top = rows[i].size * 0.9 // a dominant operator
				}
			}
		}
		hidden, totalHidden := suppress(rows, r, nil)
		if totalHidden {
			continue
		}
		k := 0
		var h cellSize
		for i, hd := range hidden {
			if hd {
				k++
				h.operators += rows[i].operators
				h.size += rows[i].size
				h.top = max(h.top, rows[i].top)
			}
			if !hd && r.sensitive(rows[i].operators, rows[i].size, rows[i].top, false) {
				t.Fatalf("%v: row %d published though confidential", rows, i)
			}
		}
		nonEmpty := 0
		for _, c := range rows {
			if c.operators > 0 {
				nonEmpty++
			}
		}
		if k > 0 && k < nonEmpty && (k == 1 || r.sensitive(h.operators, h.size, h.top, false)) {
			t.Fatalf("%v → %v: the hidden rows can be recovered (%d rows, %+v)", rows, hidden, k, h)
		}
	}
}
