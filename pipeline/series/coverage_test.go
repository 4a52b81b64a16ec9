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
	cs := Coverages(rs)
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
