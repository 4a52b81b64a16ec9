package series

import (
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

func TestCoverages(t *testing.T) {
	q := domain.NewPeriod(2019, 1)
	r := func(id, sector string, p domain.Period, head int64) domain.Return {
		return domain.Return{OperatorID: id, Sector: sector, Period: p, Headcount: head}
	}
	rs := Consolidate([]domain.Return{
		r("a", "CRM", q-1, 600), r("b", "CRM", q-1, 300), r("c", "ITO", q-1, 100),
		r("a", "CRM", q, 650), r("d", "BPO", q, 50), // b and c still owe theirs; d is an entrant
	}, domain.NewPeriod(2030, 1).End(), 0)
	cs := Coverages(rs, 1)
	if len(cs) != 2 {
		t.Fatalf("%d quarters, want 2", len(cs))
	}
	if c := cs[0]; c.Expected != 0 || c.Operators != 1 || c.Weight != 1 {
		t.Errorf("first quarter %+v: nobody expected, fully covered", c)
	}
	c := cs[1]
	if c.Period.String() != "2019Q1" || c.Expected != 3 || c.Reported != 1 || c.Others != 1 || c.Weight != 0.6 || c.Operators != 1.0/3 {
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
	q := domain.NewPeriod(2019, 1)
	r := func(id string, p domain.Period, head int64) domain.Return {
		return domain.Return{OperatorID: id, Sector: "CRM", Period: p, Headcount: head}
	}
	// big filed 2018Q3, not yet 2018Q4 nor 2019Q1; small filed all.
	rs := []domain.Return{r("big", q-2, 900), r("small", q-2, 100), r("small", q-1, 100), r("small", q, 100)}
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

// TestHideSmallGroupsByDominance: four operators have reported 2019Q1, one
// of them 99 % of their headcount (last quarter), the eleven others are
// missing, one of them dominant too. Either share, times the published
// headcount, gives back one operator's: both make the weight secret; with
// no operator dominant it is published.
func TestHideSmallGroupsByDominance(t *testing.T) {
	q := domain.NewPeriod(2019, 1)
	build := func(bigReporter, bigMissing int64) Coverage {
		var rs []domain.Return
		for i := range 15 {
			head := int64(100)
			switch i {
			case 0:
				head = bigReporter
			case 14:
				head = bigMissing
			}
			id := string(rune('a' + i))
			rs = append(rs, domain.Return{OperatorID: id, Sector: "CRM", Period: q - 1, Headcount: head})
			if i < 4 {
				rs = append(rs, domain.Return{OperatorID: id, Sector: "CRM", Period: q, Headcount: head})
			}
		}
		cs := Coverages(Consolidate(rs, time.Time{}, 0), 1)
		HideSmallGroups(cs, 3, 0.85)
		return cs[1]
	}
	for _, c := range []struct {
		bigReporter, bigMissing int64
		secret                  bool
	}{{30000, 100, true}, {100, 30000, true}, {150, 150, false}} {
		if got := build(c.bigReporter, c.bigMissing); got.WeightSecret != c.secret {
			t.Errorf("largest reporter %d, largest missing %d: weight secret %v, want %v", c.bigReporter, c.bigMissing, got.WeightSecret, c.secret)
		}
	}
}
