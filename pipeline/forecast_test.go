package pipeline

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/offshore-ma/offshore/forecast"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/release"
)

// panelOf builds consolidated returns: heads[q][i] is operator i's
// headcount in quarter first+q, 0 when it has no return.
func panelOf(first domain.Period, heads [][]int64) []domain.Return {
	var rs []domain.Return
	for q, row := range heads {
		for i, h := range row {
			if h == 0 {
				continue
			}
			rs = append(rs, domain.Return{OperatorID: fmt.Sprintf("%015d", i+1), Sector: fiveSectors[i%len(fiveSectors)],
				Period: first + domain.Period(q), Headcount: h})
		}
	}
	return rs
}

func TestOutlookKeepsTheOfficialQuarter(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q1 := domain.NewPeriod(2018, 1)
	full := []int64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	eight := []int64{100, 100, 100, 100, 100, 100, 100, 100, 0, 0}
	rs := panelOf(q1, [][]int64{full, full, full, full, full, full, eight})
	for i := range rs {
		rs[i].ExportRevenueMAD = 1e6
	}
	o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{}, nil, mustModel(t, "rw-drift"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Series.Last != q1+5 || o.Official.Rule != release.RuleCoverage || len(o.Official.Collecting) != 1 {
		t.Errorf("as-of %s by %s; want %s by coverage with one quarter in collection", o.Series.Last, o.Official.Rule, q1+5)
	}
	cfg.Settings.Coverage.ImputeAfterDeadline = true
	o, err = assessReturns(context.Background(), cfg, rs, domain.AsOf{}, nil, mustModel(t, "rw-drift"))
	if err != nil {
		t.Fatal(err)
	}
	if jobs := o.Series.Get(domain.National, domain.MetricJobs); o.Series.Last != q1+6 || o.Official.Rule != release.RuleImputed || jobs.At(q1+6) != 1000 || jobs.Imputed[6] != 2 {
		t.Errorf("imputed after the deadline: as-of %s by %s, jobs %v", o.Series.Last, o.Official.Rule, jobs.Values)
	}
}

// TestGateWeighsOperatorsCarriedForward: in the official quarter CRM's
// dominant operator has not reported yet and is carried forward into CRM's
// figure; counted on the three small reporters alone, the figure (87 % that
// operator's) was published.
func TestGateWeighsOperatorsCarriedForward(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// 20 operators, CRM's are 0, 5, 10 and 15 (panelOf: sector i % 5).
	// Operator 0 holds 100 until it grows to 1000 in the fifteenth
	// quarter (CRM's 2015 baseline is not dominated); it has not yet
	// reported the sixteenth.
	var heads [][]int64
	for k := range 16 {
		row := make([]int64, 20)
		for i := range row {
			row[i] = 2000
			if i%5 == 0 {
				row[i] = 50
			}
		}
		switch {
		case k < 14:
			row[0] = 100
		case k == 14:
			row[0] = 1000
		default:
			row[0] = 0
		}
		heads = append(heads, row)
	}
	first := domain.NewPeriod(2015, 1)
	rs := panelOf(first, heads)
	o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{}, []string{"pai-2016-2020"}, mustModel(t, "rw-drift"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Series.Last != first+15 {
		t.Fatalf("as-of %s, want %s (95 %% of operators, 97 %% of the headcount)", o.Series.Last, first+15)
	}
	if crm := o.Series.Get("CRM", domain.MetricJobs); crm.At(first+15) != 1150 {
		t.Fatalf("CRM's jobs in %s: %v, want 1150 (three reported, one carried forward)", first+15, crm.At(first+15))
	}
	if conf := confidential(cfg, o); !slices.Contains(conf, "pai-2016-2020/crm-jobs-2020") {
		t.Errorf("CRM's figure, 87 %% one operator's (carried forward), is published: confidential %v", conf)
	}
}

// TestGrowthHidesItsFirstQuarter: CRM's figure of one quarter is secret
// (two operators in its first quarters; one dominant operator a year before
// the latest), every other is published, its target's too (the latest
// quarter and the 2015 baseline). A growth rate from that quarter to the
// latest actual gives the secret figure back by division: it is dropped,
// and kept for the national target. The quarter is the first of the span
// (the growth observed since the start) or the one a year before the latest
// (the growth over the last four quarters).
func TestGrowthHidesItsFirstQuarter(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	growth := map[string]func(a assess.Assessment) *float64{
		"observed": func(a assess.Assessment) *float64 { return a.ObservedGrowth },
		"recent":   func(a assess.Assessment) *float64 { return a.RecentGrowth },
	}
	for _, tc := range []struct {
		name     string
		thin     []int // quarters (from 2015Q1) where CRM has two operators
		dominant int   // a quarter where one CRM operator holds nearly all; -1: none
		hidden   string
	}{
		{"first quarters", []int{0, 1}, -1, "observed"},
		{"a year before the latest", nil, 11, "recent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var heads [][]int64
			for k := range 16 {
				row := make([]int64, 25) // CRM: operators 0, 5, 10, 15, 20
				for i := range row {
					row[i] = int64(500 + 20*k + i)
					if slices.Contains(tc.thin, k) && i%5 == 0 && i > 5 {
						row[i] = 0
					}
					if k == tc.dominant && i == 0 {
						row[i] = 20000 // 87 % of CRM, 54 % of the nation
					}
				}
				heads = append(heads, row)
			}
			o, err := outlookOf(cfg, panelOf(domain.NewPeriod(2015, 1), heads))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range o.Results[0].Assessments {
				for kind, g := range growth {
					switch {
					case a.TargetID == "crm-jobs-2020" && slices.Contains(o.Confidential, "pai-2016-2020/crm-jobs-2020"):
						t.Fatalf("crm-jobs-2020 is hidden whole: the test no longer provokes the growth rule")
					case a.TargetID == "crm-jobs-2020" && kind == tc.hidden && g(a) != nil:
						t.Errorf("crm-jobs-2020: %s growth %v published, from a quarter where CRM had two operators", kind, *g(a))
					case a.TargetID == "crm-jobs-2020" && kind != tc.hidden && g(a) == nil:
						t.Errorf("crm-jobs-2020: the %s growth was dropped, though its quarters are published", kind)
					case a.TargetID == "jobs-2020" && g(a) == nil:
						t.Errorf("jobs-2020: the national %s growth was dropped", kind)
					}
				}
			}
		})
	}
}

// outlookOf assesses the official quarter of rs with the secrecy applied,
// as forecast and the nightly run do.
func outlookOf(cfg *config.Config, rs []domain.Return) (*Outlook, error) {
	m, err := forecast.ByName("rw-drift")
	if err != nil {
		return nil, err
	}
	o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{}, []string{"pai-2016-2020"}, m)
	if err != nil {
		return nil, err
	}
	applySecrecy(cfg, o)
	return o, nil
}

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}

// TestSectorAddedToMappingsIsForecast: the sectors are mappings.yaml's, one
// list for ingest, series, assessment and report. A sixth sector added there
// gets its series, its target's assessment and its place in the workbook,
// after the five, in the file's order.
func TestSectorAddedToMappingsIsForecast(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mappings.Sectors = append(cfg.Mappings.Sectors, config.Sector{Code: "GBS", FR: "Centres de services partagés", EN: "Shared services", Aliases: []string{"GBS"}})
	set := cfg.TargetSet("pai-2016-2020")
	set.Targets = append(set.Targets, config.Target{ID: "gbs-jobs-2020", Label: "GBS jobs", Sector: "GBS", Metric: domain.MetricJobs, Kind: domain.KindLevel, Value: 5000})
	q1 := domain.NewPeriod(2015, 1)
	row := []int64{100, 100, 100, 100, 100, 100}
	var heads [][]int64
	for range 16 {
		heads = append(heads, row)
	}
	rs := panelOf(q1, heads)
	for i := range rs {
		if i%6 == 5 { // the sixth operator of each quarter files as GBS
			rs[i].Sector = "GBS"
		}
		rs[i].ReceivedAt = rs[i].Period.End()
	}
	o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{}, []string{"pai-2016-2020"}, mustModel(t, "rw-drift"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"CRM", "BPO", "ITO", "ESO", "KPO", "GBS"}; !slices.Equal(o.Series.Sectors, want) {
		t.Errorf("series sectors %v, want %v", o.Series.Sectors, want)
	}
	if s := o.Series.Get("GBS", domain.MetricJobs); s == nil || s.At(q1) != 100 {
		t.Fatalf("no GBS jobs series: %+v", s)
	}
	found := false
	for _, a := range o.Results[0].Assessments {
		found = found || a.TargetID == "gbs-jobs-2020" && a.Latest == 100 && a.PMeet >= 0
	}
	if !found {
		t.Errorf("the GBS target was not assessed: %+v", o.Results[0].Skipped)
	}
	if opts := secrecyOptions(cfg, o); !slices.Contains(opts.Sectors, "GBS") {
		t.Errorf("the workbook's sectors %v leave GBS out", opts.Sectors)
	}
}

// mustModel is the forecast model named name.
func mustModel(tb testing.TB, name string) forecast.Model {
	tb.Helper()
	m, err := forecast.ByName(name)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
