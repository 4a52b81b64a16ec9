package series

import (
	"math"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

func ret(op, sector string, p domain.Period, head int64, exp float64, inv *float64, received string) domain.Return {
	at, _ := time.Parse(time.DateOnly, received)
	return domain.Return{OperatorID: op, Sector: sector, Period: p, Headcount: head, ExportRevenueMAD: exp, InvestmentMAD: inv, ReceivedAt: at, SourceName: op + received}
}

func TestConsolidateKeepsLatestVersionAsOf(t *testing.T) {
	q1 := domain.NewPeriod(2016, 1)
	rs := []domain.Return{
		ret("A", "CRM", q1, 100, 10, nil, "2016-04-20"),
		ret("A", "CRM", q1, 120, 12, nil, "2016-06-01"), // correction
		ret("B", "ITO", q1, 50, 5, nil, "2016-04-25"),
		ret("B", "ITO", q1+1, 55, 6, nil, "2016-07-20"),
	}
	all := Consolidate(rs, time.Time{}, 0)
	if len(all) != 3 || all[0].OperatorID != "A" || all[0].Headcount != 120 {
		t.Fatalf("latest versions: %+v", all)
	}
	early := Consolidate(rs, time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC), 0)
	if len(early) != 2 || early[0].Headcount != 100 {
		t.Fatalf("as of 2016-05-01: %+v", early)
	}
	upToQ1 := Consolidate(rs, time.Time{}, q1)
	if len(upToQ1) != 2 {
		t.Fatalf("up to 2016Q1: %+v", upToQ1)
	}
}

func TestBuildSumsSectorsAndMarksGaps(t *testing.T) {
	q := domain.NewPeriod(2016, 1)
	inv := 7.0
	rs := Consolidate([]domain.Return{
		ret("A", "CRM", q, 100, 10, &inv, "2016-04-20"),
		ret("B", "ITO", q, 50, 5, nil, "2016-04-20"),
		ret("A", "CRM", q+2, 130, 13, nil, "2016-10-20"), // q+1: nobody filed
	}, time.Time{}, 0)
	s := Build(rs)
	if s.First != q || s.Last != q+2 || s.Operators != 2 {
		t.Fatalf("span %v..%v, %d operators", s.First, s.Last, s.Operators)
	}
	jobs := s.Get(domain.National, domain.MetricJobs)
	if jobs.Values[0] != 150 || !math.IsNaN(jobs.Values[1]) || jobs.Values[2] != 130 {
		t.Errorf("national jobs %v", jobs.Values)
	}
	if v := s.Get("ITO", domain.MetricExports).Values; v[0] != 5 || v[2] != 0 {
		t.Errorf("ITO exports %v", v)
	}
	if v := s.Get(domain.National, domain.MetricInvestment).Values; v[0] != 7 {
		t.Errorf("investment %v (nil investment must count as none)", v)
	}
	if len(Build(nil).Series) != 0 {
		t.Error("Build(nil) has series")
	}
}

func TestAnnual(t *testing.T) {
	start := domain.NewPeriod(2015, 1)
	jobs := &Series{Metric: domain.MetricJobs, Start: start, Values: []float64{1, 2, 3, 4, 5}}
	exp := &Series{Metric: domain.MetricExports, Start: start, Values: []float64{1, 2, 3, 4, 5}}
	if v, ok := Annual(jobs, 2015); !ok || v != 4 {
		t.Errorf("jobs 2015 = %v %v, want Q4 value 4", v, ok)
	}
	if v, ok := Annual(exp, 2015); !ok || v != 10 {
		t.Errorf("exports 2015 = %v %v, want 10", v, ok)
	}
	if _, ok := Annual(exp, 2016); ok {
		t.Error("2016 is not fully observed")
	}
}
