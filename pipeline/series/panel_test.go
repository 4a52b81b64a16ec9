package series

import (
	"math"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

func TestPanelCarriesForwardAndDetectsExits(t *testing.T) {
	q := domain.NewPeriod(2016, 1)
	inv := func(v float64) *float64 { return &v }
	rs := []domain.Return{
		// A reports every quarter, B skips q+5 and stops after q+6, C enters at q+2.
		ret("A", "CRM", q, 100, 10, inv(1), "2016-04-20"),
		ret("A", "CRM", q+1, 100, 10, inv(1), "2016-07-20"),
		ret("A", "CRM", q+2, 100, 10, inv(1), "2016-10-20"),
		ret("A", "CRM", q+3, 100, 10, inv(1), "2017-01-20"),
		ret("A", "CRM", q+4, 110, 15, inv(1), "2017-04-20"), // A's exports grew 50 % on a year
		ret("A", "CRM", q+5, 120, 15, inv(1), "2017-07-20"),
		ret("A", "CRM", q+6, 120, 15, inv(1), "2017-10-20"),
		ret("A", "CRM", q+7, 120, 15, inv(1), "2018-01-20"),
		ret("A", "CRM", q+8, 120, 15, inv(1), "2018-04-20"),
		ret("A", "CRM", q+9, 120, 15, inv(1), "2018-07-20"),
		ret("B", "CRM", q+1, 50, 4, nil, "2016-07-20"),
		ret("B", "CRM", q+4, 60, 5, nil, "2017-04-20"),
		ret("B", "CRM", q+6, 70, 6, nil, "2017-10-20"),
		ret("C", "ITO", q+2, 30, 3, nil, "2016-10-20"),
		ret("C", "ITO", q+9, 40, 3, nil, "2018-07-20"),
	}
	for i := range rs {
		rs[i].Region = "Rabat-Salé-Kénitra"
	}
	p := NewPanel(Consolidate(rs, time.Time{}, 0), 2)
	at := map[string]Row{}
	for _, r := range p.Rows {
		at[r.OperatorID+r.Period.String()] = r
	}
	// B skipped 2017Q2 (q+5): headcount as last reported, exports as in
	// 2016Q2 scaled by the sector's growth from 2016Q2 to 2017Q2 (A alone
	// reported both: 10 → 15).
	b := at["B2017Q2"]
	if !b.Imputed() || b.Headcount != 60 || b.From != q+4 || math.Abs(b.ExportRevenueMAD-4*1.5) > 1e-9 || b.InvestmentMAD != nil {
		t.Errorf("B 2017Q2: %+v", b)
	}
	// B's 2016Q3 (q+2) has no return a year earlier: the last reported flows.
	if b := at["B2016Q3"]; !b.Imputed() || b.ExportRevenueMAD != 4 || b.Headcount != 50 {
		t.Errorf("B 2016Q3: %+v", b)
	}
	// After its last return (q+6), B is carried forward 2 quarters, then exits.
	if _, ok := at["B2018Q1"]; !ok {
		t.Error("B 2018Q1 should be carried forward")
	}
	if _, ok := at["B2018Q3"]; ok {
		t.Error("B 2018Q3 is past the carry-forward limit")
	}
	// C: entry at q+2, carried forward to q+4, exited (detected q+5), back at q+9.
	if c := at["C2016Q3"]; !c.Entry || c.Imputed() {
		t.Errorf("C's first return: %+v", c)
	}
	if _, ok := at["C2017Q2"]; ok {
		t.Error("C 2017Q2 is past the carry-forward limit")
	}
	exits := map[string]domain.Period{}
	for _, e := range p.Exits {
		exits[e.OperatorID+e.Last.String()] = e.Detected
	}
	if exits["B2017Q3"] != q+9 || exits["C2016Q3"] != q+5 || len(p.Exits) != 2 {
		t.Errorf("exits %+v", p.Exits)
	}

	s := BuildPanel(p, BuildOptions{Metrics: domain.Metrics, Regions: true})
	jobs := s.Get(domain.National, domain.MetricJobs)
	k := int(q + 5 - s.First) // 2017Q2: A reported 120, B imputed 60
	if jobs.Values[k] != 180 || jobs.Reported[k] != 120 || jobs.Operators[k] != 1 || jobs.Imputed[k] != 1 || math.Abs(jobs.ImputedShare[k]-60.0/180) > 1e-12 {
		t.Errorf("2017Q2 jobs %v reported %v, %d reporting, %d imputed, share %v", jobs.Values[k], jobs.Reported[k], jobs.Operators[k], jobs.Imputed[k], jobs.ImputedShare[k])
	}
	if r := s.GetRegion("Rabat-Salé-Kénitra", domain.MetricJobs); r == nil || r.Values[k] != 180 {
		t.Errorf("regional series %+v", r)
	}
	if s.Get(domain.National, domain.MetricHires) == nil {
		t.Error("no hires series")
	}

	// No carry forward: the panel is the returns themselves.
	if p0 := NewPanel(Consolidate(rs, time.Time{}, 0), 0); len(p0.Rows) != len(rs) {
		t.Errorf("carry forward 0: %d rows for %d returns", len(p0.Rows), len(rs))
	}
}

func TestVersionsNumberCorrections(t *testing.T) {
	q := domain.NewPeriod(2016, 1)
	rs := []domain.Return{
		ret("A", "CRM", q, 120, 12, nil, "2016-06-01"), // correction, listed first
		ret("A", "CRM", q, 100, 10, nil, "2016-04-20"),
		ret("B", "ITO", q, 50, 5, nil, "2016-04-25"),
	}
	v := Versions(rs, time.Time{}, 0)
	if len(v) != 3 || v[0].Headcount != 100 || v[0].Version != 1 || v[1].Version != 2 || v[1].Versions != 2 || v[2].Versions != 1 {
		t.Errorf("versions %+v", v)
	}
	if early := Versions(rs, time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC), 0); len(early) != 2 || early[0].Versions != 1 {
		t.Errorf("versions as of 2016-05-01: %+v", early)
	}
}

// TestNonResponsePanelImputesOnlyKnownGaps: quarters an operator skipped
// between two returns (up to carryForward) are imputed; a trailing gap only
// in the last quarter, when the operator reported the one before and
// expectLast; never a leaver's quarters after it stopped.
func TestNonResponsePanelImputesOnlyKnownGaps(t *testing.T) {
	q := domain.NewPeriod(2017, 1)
	rs := []domain.Return{
		// A reports throughout; B skips q+1 and q+2; C skips q+1..q+3 (more
		// than carryForward 2); D stops after q+2; E after q+3, the last
		// quarter's return still expected.
		ret("A", "CRM", q, 100, 1, nil, "2017-04-20"), ret("A", "CRM", q+1, 100, 1, nil, "2017-07-20"),
		ret("A", "CRM", q+2, 100, 1, nil, "2017-10-20"), ret("A", "CRM", q+3, 100, 1, nil, "2018-01-20"),
		ret("A", "CRM", q+4, 100, 1, nil, "2018-04-20"),
		ret("B", "BPO", q, 50, 1, nil, "2017-04-20"), ret("B", "BPO", q+3, 60, 1, nil, "2018-01-20"),
		ret("B", "BPO", q+4, 60, 1, nil, "2018-04-20"),
		ret("C", "ITO", q, 30, 1, nil, "2017-04-20"), ret("C", "ITO", q+4, 30, 1, nil, "2018-04-20"),
		ret("D", "ESO", q, 20, 1, nil, "2017-04-20"), ret("D", "ESO", q+1, 20, 1, nil, "2017-07-20"),
		ret("D", "ESO", q+2, 20, 1, nil, "2017-10-20"),
		ret("E", "KPO", q, 10, 1, nil, "2017-04-20"), ret("E", "KPO", q+1, 10, 1, nil, "2017-07-20"),
		ret("E", "KPO", q+2, 10, 1, nil, "2017-10-20"), ret("E", "KPO", q+3, 10, 1, nil, "2018-01-20"),
	}
	for _, expectLast := range []bool{false, true} {
		p := NewNonResponsePanel(Consolidate(rs, time.Time{}, 0), 2, expectLast)
		imputed := map[string]bool{}
		for _, r := range p.Rows {
			if r.Imputed() {
				imputed[r.OperatorID+" "+r.Period.String()] = true
			}
		}
		want := map[string]bool{"B 2017Q2": true, "B 2017Q3": true}
		if expectLast {
			want["E 2018Q1"] = true
		}
		if len(imputed) != len(want) {
			t.Errorf("expectLast %v: imputed %v, want %v", expectLast, imputed, want)
		}
		for k := range want {
			if !imputed[k] {
				t.Errorf("expectLast %v: %s not imputed (imputed: %v)", expectLast, k, imputed)
			}
		}
	}
}
