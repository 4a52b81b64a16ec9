package domain

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		ok   bool
	}{
		{"2016Q1", NewPeriod(2016, 1), true},
		{" 2018q4 ", NewPeriod(2018, 4), true},
		{"2016Q5", 0, false},
		{"2016Q0", 0, false},
		{"16Q1", 0, false},
		{"2016-Q1", 0, false},
		{"1899Q1", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPeriodArithmetic(t *testing.T) {
	p := NewPeriod(2016, 4)
	if p+1 != NewPeriod(2017, 1) || (p+1).String() != "2017Q1" {
		t.Errorf("2016Q4 + 1 = %v", p+1)
	}
	if !p.Start().Equal(time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC)) || !p.End().Equal(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2016Q4 spans %v..%v", p.Start(), p.End())
	}
	if got := PeriodOf(time.Date(2017, 3, 31, 23, 0, 0, 0, time.UTC)); got != NewPeriod(2017, 1) {
		t.Errorf("PeriodOf(2017-03-31) = %v", got)
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2016Q1", "2020q4", "x", "9999Q9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		back, err := ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("%q → %v → %v, %v", s, p, back, err)
		}
	})
}
