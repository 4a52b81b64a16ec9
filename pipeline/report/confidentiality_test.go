package report

import (
	"reflect"
	"testing"
)

func TestSuppress(t *testing.T) {
	tests := []struct {
		name      string
		counts    []int
		size      []float64
		want      []bool
		wantTotal bool
	}{
		{"nothing small", []int{5, 3, 10}, []float64{50, 30, 100}, []bool{false, false, false}, false},
		{"one small: the smallest other joins it", []int{2, 10, 4, 7}, []float64{20, 100, 40, 70}, []bool{true, false, true, false}, false},
		{"two small together under min: a third joins", []int{1, 1, 10, 4}, []float64{5, 6, 100, 40}, []bool{true, true, false, true}, false},
		{"two small together reaching min", []int{2, 2, 10}, []float64{5, 6, 100}, []bool{true, true, false}, false},
		{"empty rows are not confidential", []int{0, 2, 9, 0, 5}, []float64{0, 10, 90, 0, 50}, []bool{false, true, false, false, true}, false},
		{"total too small", []int{1, 1, 0}, []float64{1, 1, 0}, []bool{true, true, false}, true},
		{"a single row equal to the total", []int{2, 0}, []float64{5, 0}, []bool{true, false}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total := suppress(tt.counts, tt.size, 3)
			if !reflect.DeepEqual(got, tt.want) || total != tt.wantTotal {
				t.Errorf("suppress(%v) = %v, %v; want %v, %v", tt.counts, got, total, tt.want, tt.wantTotal)
			}
		})
	}
}

// TestSuppressCannotBeUndone checks the property behind the rule on random
// tables: whenever a row is hidden, the hidden rows together hold at least
// min operators and are at least two, so subtracting the published rows from
// the total never isolates one operator group below min.
func TestSuppressCannotBeUndone(t *testing.T) {
	seed := uint64(1)
	next := func(n int) int { seed = seed*6364136223846793005 + 1442695040888963407; return int(seed>>33) % n }
	for iter := 0; iter < 5000; iter++ {
		n := 1 + next(8)
		counts, size := make([]int, n), make([]float64, n)
		for i := range counts {
			counts[i] = next(6)
			size[i] = float64(counts[i]*10 + next(10))
		}
		hidden, totalHidden := suppress(counts, size, 3)
		if totalHidden {
			continue
		}
		k, ops := 0, 0
		for i, h := range hidden {
			if h {
				k++
				ops += counts[i]
			}
			if counts[i] > 0 && counts[i] < 3 && !h {
				t.Fatalf("%v: row %d published with %d operators", counts, i, counts[i])
			}
		}
		if k == 1 || (k > 0 && ops < 3) {
			t.Fatalf("%v → %v: the hidden rows can be recovered (%d rows, %d operators)", counts, hidden, k, ops)
		}
	}
}
