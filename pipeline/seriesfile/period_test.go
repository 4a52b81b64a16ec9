package seriesfile

import "testing"

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		k, freq int
		ok      bool
		relabel string // what Label gives back
	}{
		{"2016", 2016, 1, true, "2016"},
		{"2016.0", 2016, 1, true, "2016"},
		{"2016Q1", 2016 * 4, 4, true, "2016Q1"},
		{"2016q4", 2016*4 + 3, 4, true, "2016Q4"},
		{"0001Q1", 4, 4, true, "1Q1"},
		{"2016Q0", 0, 0, false, ""},
		{"2016Q5", 0, 0, false, ""},
		{"16", 0, 0, false, ""},
		{"2016-Q1", 0, 0, false, ""},
		{"T1 2016", 0, 0, false, ""},
		{"2016.5", 0, 0, false, ""},
		{"", 0, 0, false, ""},
	}
	for _, tt := range tests {
		k, freq, ok := parsePeriod(tt.in)
		if k != tt.k || freq != tt.freq || ok != tt.ok {
			t.Errorf("parsePeriod(%q) = %d, %d, %v; want %d, %d, %v", tt.in, k, freq, ok, tt.k, tt.freq, tt.ok)
			continue
		}
		if ok {
			if got := periodLabel(k, freq); got != tt.relabel {
				t.Errorf("periodLabel(%d, %d) = %q, want %q", k, freq, got, tt.relabel)
			}
		}
	}
}

// FuzzParsePeriod: whatever it reads is a year or a quarter, and the
// label of the period it reads parses back to the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2016", "2016Q1", "2016q4", "2016.0", "0000Q1", "9999Q4", "T1 2016", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, freq, ok := parsePeriod(s)
		if !ok {
			return
		}
		year := k
		switch freq {
		case 1:
		case 4:
			year = floorDiv(k, 4)
		default:
			t.Fatalf("parsePeriod(%q): frequency %d", s, freq)
		}
		if year < 1000 {
			return // labelled without the leading zeros the parser wants
		}
		label := periodLabel(k, freq)
		if k2, f2, ok := parsePeriod(label); !ok || k2 != k || f2 != freq {
			t.Fatalf("%q → %d → %q → %d, %d, %v", s, k, label, k2, f2, ok)
		}
	})
}
