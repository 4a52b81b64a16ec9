package series

import (
	"testing"

	"github.com/offshore-ma/offshore/pipeline/returns"
)

func TestCoverages(t *testing.T) {
	q := returns.NewPeriod(2019, 1)
	r := func(id, sector string, p returns.Period, head int64) returns.Return {
		return returns.Return{OperatorID: id, Sector: sector, Period: p, Headcount: head}
	}
	rs := Consolidate([]returns.Return{
		r("a", "CRM", q-1, 600), r("b", "CRM", q-1, 300), r("c", "ITO", q-1, 100),
		r("a", "CRM", q, 650), r("d", "BPO", q, 50), // b and c still owe theirs; d is an entrant
	}, returns.NewPeriod(2030, 1).End(), 0)
	cs := Coverages(rs, 1)
	if len(cs) != 2 {
		t.Fatalf("%d quarters, want 2", len(cs))
	}
	if c := cs[0]; c.Expected != 0 || c.Operators != 1 || c.Weight != 1 {
		t.Errorf("first quarter %+v: nobody expected, fully covered", c)
	}
	c := cs[1]
	if c.Quarter != "2019Q1" || c.Expected != 3 || c.Reported != 1 || c.Others != 1 || c.Weight != 0.6 || c.Operators != 1.0/3 {
		t.Errorf("2019Q1 %+v: want 1 of 3 expected, 60 %% of the headcount, one other", c)
	}
	if c.Owed["CRM"] != 1 || c.Owed["ITO"] != 1 || len(c.Owed) != 2 {
		t.Errorf("owed %v, want one CRM and one ITO", c.Owed)
	}
}

// TestCoveragesExpectActiveOperators: looking back further than the
// previous quarter, an operator late with its previous return is still
// expected.
func TestCoveragesExpectActiveOperators(t *testing.T) {
	q := returns.NewPeriod(2019, 1)
	r := func(id string, p returns.Period, head int64) returns.Return {
		return returns.Return{OperatorID: id, Sector: "CRM", Period: p, Headcount: head}
	}
	// big filed 2018Q3, not yet 2018Q4 nor 2019Q1; small filed all.
	rs := []returns.Return{r("big", q-2, 900), r("small", q-2, 100), r("small", q-1, 100), r("small", q, 100)}
	for _, tt := range []struct {
		active   int
		expected int
		weight   float64
	}{{1, 1, 1}, {4, 2, 0.1}} {
		c := Coverages(rs, tt.active)[2]
		if c.Expected != tt.expected || c.Weight != tt.weight {
			t.Errorf("active %d: 2019Q1 expects %d with weight %v; want %d, %v", tt.active, c.Expected, c.Weight, tt.expected, tt.weight)
		}
	}
}
