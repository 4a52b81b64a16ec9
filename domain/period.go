package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a calendar quarter, counted as year*4 + quarter-1, so that
// consecutive quarters are consecutive integers.
type Period int

// NewPeriod returns the period of year and quarter (1..4).
func NewPeriod(year, quarter int) Period { return Period(year*4 + quarter - 1) }

// Year is the period's calendar year.
func (p Period) Year() int { return int(p) / 4 }

// Quarter is the period's quarter, 1..4.
func (p Period) Quarter() int { return int(p)%4 + 1 }

// String writes the period as 2016Q1; the zero Period, which no return
// has, as "" (no period).
func (p Period) String() string {
	if p == 0 {
		return ""
	}
	return fmt.Sprintf("%dQ%d", p.Year(), p.Quarter())
}

// Start is the first instant of the quarter, in UTC.
func (p Period) Start() time.Time {
	return time.Date(p.Year(), time.Month(3*(p.Quarter()-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first instant after the quarter, in UTC.
func (p Period) End() time.Time { return (p + 1).Start() }

// PeriodOf returns the quarter holding t (read in UTC).
func PeriodOf(t time.Time) Period {
	t = t.UTC()
	return NewPeriod(t.Year(), (int(t.Month())-1)/3+1)
}

// ParsePeriod reads the canonical form 2016Q1 (case-insensitive, surrounding
// spaces ignored). Years outside 1990..2100 are refused.
func ParsePeriod(s string) (Period, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	y, q, ok := strings.Cut(u, "Q")
	if !ok || len(y) != 4 || len(q) != 1 {
		return 0, fmt.Errorf("period %q: want a quarter such as 2016Q1", s)
	}
	year, err1 := strconv.Atoi(y)
	quarter, err2 := strconv.Atoi(q)
	if err1 != nil || err2 != nil || quarter < 1 || quarter > 4 || year < 1990 || year > 2100 {
		return 0, fmt.Errorf("period %q: want a quarter such as 2016Q1", s)
	}
	return NewPeriod(year, quarter), nil
}

// YearEnd is the last quarter of year.
func YearEnd(year int) Period { return NewPeriod(year, 4) }

// MarshalText writes the period as String does, so that JSON carries
// "2016Q1"; the zero Period, which no return has, is "" (no period).
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = 0
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
