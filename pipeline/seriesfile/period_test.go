package seriesfile

import (
	"testing"
)

func TestParsePeriod(t *testing.T) {
	q := func(y, q int) int { return 4*y + q - 1 }
	m := func(y, m int) int { return 12*y + m - 1 }
	tests := []struct {
		in      string
		k, freq int
		ok      bool
		relabel string // what the period's style labels it
	}{
		{"2016", 2016, 1, true, "2016"},
		{"2016.0", 2016, 1, true, "2016"},
		{"2016Q1", q(2016, 1), 4, true, "2016Q1"},
		{"2016q4", q(2016, 4), 4, true, "2016Q4"},
		{"0001Q1", 4, 4, true, "1Q1"},
		{"2016-Q2", q(2016, 2), 4, true, "2016-Q2"},
		{"2016-T1", q(2016, 1), 4, true, "2016-T1"},
		{"2016 t3", q(2016, 3), 4, true, "2016 T3"},
		{"T1 2016", q(2016, 1), 4, true, "T1 2016"},
		{"t4\u00a02016", q(2016, 4), 4, true, "T4 2016"},
		{"Q2-2016", q(2016, 2), 4, true, "Q2-2016"},
		{"1er trimestre 2016", q(2016, 1), 4, true, "1er trimestre 2016"},
		{"2e trimestre 2016", q(2016, 2), 4, true, "2e trimestre 2016"},
		{"3ème trimestre 2016", q(2016, 3), 4, true, "3e trimestre 2016"},
		{"4eme Trimestre 2016", q(2016, 4), 4, true, "4e trimestre 2016"},
		{"Premier trimestre 2016", q(2016, 1), 4, true, "1er trimestre 2016"},
		{"2e trim. 2016", q(2016, 2), 4, true, "2e trimestre 2016"},
		{"2016-03", m(2016, 3), 12, true, "2016-03"},
		{"2016/3", m(2016, 3), 12, true, "2016/3"},
		{"2016M03", m(2016, 3), 12, true, "2016M03"},
		{"03/2016", m(2016, 3), 12, true, "03/2016"},
		{"3-2016", m(2016, 3), 12, true, "3-2016"},
		{"mars 2016", m(2016, 3), 12, true, "mars 2016"},
		{"Février 2016", m(2016, 2), 12, true, "Février 2016"},
		{"fevrier 2016", m(2016, 2), 12, true, "février 2016"},
		{"août 2016", m(2016, 8), 12, true, "août 2016"},
		{"aout 2016", m(2016, 8), 12, true, "août 2016"},
		{"décembre 2016", m(2016, 12), 12, true, "décembre 2016"},
		{"janv. 2016", m(2016, 1), 12, true, "janvier 2016"},
		{"juil. 2016", m(2016, 7), 12, true, "juillet 2016"},
		{"sept. 2016", m(2016, 9), 12, true, "septembre 2016"},
		{"déc. 2016", m(2016, 12), 12, true, "décembre 2016"},
		{"mars-16", m(2016, 3), 12, true, "mars 2016"},
		{"March 2016", m(2016, 3), 12, true, "March 2016"},
		{"2016-13", 0, 0, false, ""},
		{"13/2016", 0, 0, false, ""},
		{"00/2016", 0, 0, false, ""},
		{"2016Q0", 0, 0, false, ""},
		{"2016Q5", 0, 0, false, ""},
		{"2017Q5", 0, 0, false, ""},
		{"T5 2016", 0, 0, false, ""},
		{"5e trimestre 2016", 0, 0, false, ""},
		{"16", 0, 0, false, ""},
		{"2016.5", 0, 0, false, ""},
		{"marsh 2016", 0, 0, false, ""},
		{"", 0, 0, false, ""},
		// Dates: freq 0 until the series says (resolveDates); labelled monthly here.
		{"2016-03-01", m(2016, 3), 0, true, "2016-03-01"},
		{"2016-03-31 00:00:00", m(2016, 3), 0, true, "2016-03-31"},
		{"01/03/2016", m(2016, 3), 0, true, "01/03/2016"},
		{"2016-02-30", 0, 0, false, ""},
	}
	for _, tt := range tests {
		p, ok := parsePeriod(tt.in)
		if p.k != tt.k || p.freq != tt.freq || ok != tt.ok {
			t.Errorf("parsePeriod(%q) = %d, %d, %v; want %d, %d, %v", tt.in, p.k, p.freq, ok, tt.k, tt.freq, tt.ok)
			continue
		}
		if ok {
			if got := periodText(p); got != tt.relabel {
				t.Errorf("%q labelled %q, want %q", tt.in, got, tt.relabel)
			}
			if p.freq != 0 && p.k >= 1000*p.freq {
				if q, ok := parsePeriod(p.style.label(p.k+1, p.freq)); !ok || q.k != p.k+1 || q.freq != p.freq {
					t.Errorf("%q: the next period's label %q reads as %+v, %v", tt.in, p.style.label(p.k+1, p.freq), q, ok)
				}
			}
		}
	}
}

// TestResolveDates: a series of dates is yearly, quarterly or monthly as
// they are spaced, and labels its forecasts with dates like its own.
func TestResolveDates(t *testing.T) {
	tests := []struct {
		dates []string
		freq  int
		next  string // the label of the period after the last
	}{
		{[]string{"2016-01-01", "2016-04-01", "2016-10-01"}, 4, "2017-01-01"},
		{[]string{"31/03/2016", "30/06/2016"}, 4, "30/09/2016"},
		{[]string{"2016-03-31", "2016-04-30", "2016-06-30"}, 12, "2016-07-31"},
		{[]string{"2016-07-01", "2017-07-01", "2019-07-01"}, 1, "2020-07-01"},
		{[]string{"2016-05-15"}, 12, "2016-06-15"},
	}
	for _, tt := range tests {
		ps := make([]*period, len(tt.dates))
		for i, d := range tt.dates {
			p, ok := parsePeriod(d)
			if !ok {
				t.Fatalf("%q not read", d)
			}
			ps[i] = &p
		}
		if f := resolveDates(ps); f != tt.freq {
			t.Errorf("%v: frequency %d, want %d", tt.dates, f, tt.freq)
		}
		last := ps[len(ps)-1]
		if got := last.style.label(last.k+1, tt.freq); got != tt.next {
			t.Errorf("%v: next %q, want %q", tt.dates, got, tt.next)
		}
	}
}

// FuzzParsePeriod: whatever it reads is a year, a quarter, a month or a
// date, and the label of the period it reads parses back to the same
// period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2016", "2016Q1", "2016q4", "2016.0", "0000Q1", "9999Q4", "T1 2016", "", "1er trimestre 2016", "mars-16", "03/2016", "2016-03-01", "janv. 2016"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePeriod(s)
		if !ok {
			return
		}
		switch p.freq {
		case 0, 1, 4, 12:
		default:
			t.Fatalf("parsePeriod(%q): frequency %d", s, p.freq)
		}
		if p.freq == 0 || floorDiv(p.k, max(p.freq, 1)) < 1000 {
			return // dates resolve in their series; years below 1000 are labelled without the zeros the parser wants
		}
		label := p.style.label(p.k, p.freq)
		if q, ok := parsePeriod(label); !ok || q.k != p.k || q.freq != p.freq {
			t.Fatalf("%q → %d → %q → %+v, %v", s, p.k, label, q, ok)
		}
	})
}
