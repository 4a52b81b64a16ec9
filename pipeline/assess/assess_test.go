package assess

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// set builds national and CRM series from 2015Q1 with the given values.
func set(jobs, exports, inv []float64) *series.Set {
	start := domain.NewPeriod(2015, 1)
	s := &series.Set{First: start, Last: start + domain.Period(len(jobs)) - 1}
	for _, sector := range []string{domain.National, "CRM"} {
		s.Series = append(s.Series,
			series.Series{Sector: sector, Metric: domain.MetricJobs, Start: start, Values: jobs},
			series.Series{Sector: sector, Metric: domain.MetricExports, Start: start, Values: exports},
			series.Series{Sector: sector, Metric: domain.MetricInvestment, Start: start, Values: inv})
	}
	return s
}

func line(n int, a, b float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = a + b*float64(i) + 0.5*math.Sin(float64(i)*1.7) // a little noise
	}
	return v
}

func opts() Options {
	return Options{Model: forecast.LinearTrend(), MinPoints: 6, Thresholds: forecast.DefaultThresholds()}
}

func f(v float64) *float64 { return &v }

func TestSetMeasuresAndStatuses(t *testing.T) {
	// 16 quarters 2015Q1..2018Q4: jobs +1000 a quarter from 60,000; exports 2e9 a quarter, flat; investment 50e6 a quarter.
	s := set(line(16, 60000, 1000), line(16, 2e9, 0), line(16, 50e6, 0))
	ts := &config.TargetSet{ID: "t", Name: "T", BaselineYear: 2015, Horizon: 2020, Targets: []config.Target{
		{ID: "jobs-easy", Metric: "jobs", Kind: "increase", Sector: "ALL", Baseline: f(63000), Value: 20000},
		{ID: "jobs-hard", Metric: "jobs", Kind: "level", Sector: "ALL", Value: 200000},
		{ID: "exports", Metric: "exports", Kind: "level", Sector: "ALL", Value: 8e9},
		{ID: "inv-met", Metric: "investment", Kind: "cumulative", Sector: "ALL", From: 2016, Value: 500e6},
		{ID: "crm-from-data", Metric: "jobs", Kind: "increase", Sector: "CRM", Value: 1000},
		{ID: "nosuch", Metric: "jobs", Kind: "level", Sector: "KPO", Value: 1},
	}}
	res, err := Set(context.Background(), s, ts, 0, opts())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Assessment{}
	for _, a := range res.Assessments {
		got[a.TargetID] = a
	}
	if res.AsOf.String() != "2018Q4" || len(res.Skipped) != 1 || res.Skipped[0].TargetID != "nosuch" || res.Skipped[0].Code != SkipNoSeries {
		t.Fatalf("as of %s, skipped %+v", res.AsOf, res.Skipped)
	}
	// jobs at 2020Q4 is 8 quarters ahead of 2018Q4: about 60000 + 1000*23 = 83000.
	if a := got["jobs-easy"]; math.Abs(a.Projected-83000) > 50 || a.Target != 83000 || a.Latest != s.Series[0].Values[15] || len(a.Path) != 8 || a.Path[7].Period.String() != "2020Q4" {
		t.Errorf("jobs-easy %+v", a)
	}
	if a := got["jobs-hard"]; a.Status != "off_track" || a.PMeet > 0.01 {
		t.Errorf("jobs-hard %+v", a)
	}
	// exports: sum of four flat quarters ≈ 8e9, about even odds of being
	// above 8e9 in 2020, but the last four quarters already reach it: met.
	if a := got["exports"]; math.Abs(a.Projected-8e9) > 1e7 || a.Latest < 8e9 || a.Status != "met" || !a.Reached || a.PMeet < 0.2 || a.PMeet > 0.8 {
		t.Errorf("exports %+v", a)
	}
	// 12 quarters of 50e6 already observed since 2016: 600e6 > 500e6.
	if a := got["inv-met"]; a.Status != "met" || a.PMeet != 1 || math.Abs(a.Latest-600e6) > 1e3 || a.RequiredGrowth != nil {
		t.Errorf("inv-met %+v", a)
	}
	// CRM has no configured baseline: it is the 2015Q4 value.
	if a := got["crm-from-data"]; a.Baseline != s.Series[3].Values[3] || a.Target != a.Baseline+1000 {
		t.Errorf("crm baseline %v target %v", a.Baseline, a.Target)
	}
	if a := got["jobs-easy"]; a.RequiredGrowth == nil || a.ObservedGrowth == nil || *a.ObservedGrowth < 0.05 {
		t.Errorf("growth %v %v", a.RequiredGrowth, a.ObservedGrowth)
	}
}

func TestAsOfAndShortSeries(t *testing.T) {
	s := set(line(16, 60000, 1000), line(16, 2e9, 0), line(16, 50e6, 0))
	ts := &config.TargetSet{ID: "t", BaselineYear: 2015, Horizon: 2016, Targets: []config.Target{
		{ID: "jobs", Metric: "jobs", Kind: "level", Sector: "ALL", Value: 60000},
	}}
	// The horizon is observed: judged on the actual, not on a projection.
	res, err := Set(context.Background(), s, ts, domain.NewPeriod(2018, 1), opts())
	if err != nil || res.Assessments[0].Status != StatusAchieved || !res.Assessments[0].Closed || *res.Assessments[0].Actual != s.Series[0].Values[7] {
		t.Fatalf("%+v %v", res, err)
	}
	// Too few quarters as of 2015Q3.
	ts.Horizon = 2020
	res, _ = Set(context.Background(), s, ts, domain.NewPeriod(2015, 3), opts())
	if k := res.Skipped[0]; len(res.Assessments) != 0 || !strings.Contains(k.Reason, "at least 6") || k.Code != SkipTooFewQuarters || k.Quarters != 3 || k.Needed != 6 {
		t.Errorf("short series: %+v", res)
	}
	// A gap: the fit uses the run after it.
	jobs := line(16, 60000, 1000)
	jobs[5] = math.NaN()
	res, _ = Set(context.Background(), set(jobs, line(16, 2e9, 0), line(16, 1, 0)), ts, 0, opts())
	if len(res.Assessments) != 1 {
		t.Errorf("after a gap: %+v", res)
	}
	if _, err := Set(context.Background(), &series.Set{}, ts, 0, opts()); err != ErrNoData {
		t.Errorf("empty set: %v", err)
	}
}

// TestReconciliation builds a national series that is not the sum of its
// five sectors' and checks that the projections are made coherent: the
// reconciled sector projections sum to the national one, the method is
// named, and turning it off gives the base forecasts.
func TestReconciliation(t *testing.T) {
	start := domain.NewPeriod(2015, 1)
	const n = 16
	s := &series.Set{First: start, Last: start + n - 1, Sectors: fiveSectors}
	nat := make([]float64, n)
	var sectors [][]float64
	for k := range fiveSectors {
		v := line(n, 10000*float64(k+1), 100*float64(k+1))
		for i := range v {
			nat[i] += v[i]
		}
		sectors = append(sectors, v)
	}
	for i := range nat {
		nat[i] += 300 * float64(i) // the national grows faster than its parts
	}
	s.Series = append(s.Series, series.Series{Sector: domain.National, Metric: domain.MetricJobs, Start: start, Values: nat})
	for k, sec := range fiveSectors {
		s.Series = append(s.Series, series.Series{Sector: sec, Metric: domain.MetricJobs, Start: start, Values: sectors[k]})
	}
	ts := &config.TargetSet{ID: "t", BaselineYear: 2015, Horizon: 2020}
	for _, sec := range append([]string{domain.National}, fiveSectors...) {
		ts.Targets = append(ts.Targets, config.Target{ID: sec, Metric: "jobs", Kind: "level", Sector: sec, Value: 1e9})
	}
	for _, tc := range []struct {
		model    forecast.Model
		recon    string
		coherent bool
	}{
		{forecast.LinearTrend(), "", true},
		{forecast.Auto(), "", true},
		{forecast.LinearTrend(), ReconcileNone, false},
	} {
		o := opts()
		o.Model, o.Reconciliation = tc.model, tc.recon
		res, err := Set(context.Background(), s, ts, 0, o)
		if err != nil || len(res.Assessments) != 6 {
			t.Fatalf("%+v %v", res, err)
		}
		var sum float64
		for _, a := range res.Assessments[1:] {
			sum += a.Projected
		}
		total := res.Assessments[0]
		gap := math.Abs(total.Projected - sum)
		if tc.coherent && (gap > 1e-6*total.Projected || !strings.HasPrefix(total.Reconciliation, forecast.ReconcileMethod)) {
			t.Errorf("%s: national %.1f, sum of sectors %.1f, reconciliation %q", tc.model.Name(), total.Projected, sum, total.Reconciliation)
		}
		if !tc.coherent && (gap < 1000 || total.Reconciliation != ReconcileNone) {
			t.Errorf("without reconciliation: national %.1f, sum of sectors %.1f (%q)", total.Projected, sum, total.Reconciliation)
		}
		// The quarterly paths are reconciled too: quarter by quarter, the
		// sectors' means sum to the national mean.
		if len(total.Path) != 8 {
			t.Fatalf("%s: national path of %d quarters, want 8", tc.model.Name(), len(total.Path))
		}
		for k, q := range total.Path {
			var ps float64
			for _, a := range res.Assessments[1:] {
				if len(a.Path) != len(total.Path) || a.Path[k].Period != q.Period {
					t.Fatalf("%s: path of %s does not match the national one", tc.model.Name(), a.TargetID)
				}
				ps += a.Path[k].Mean
				if !(a.Path[k].Lo80 <= a.Path[k].Mean && a.Path[k].Mean <= a.Path[k].Hi80) {
					t.Errorf("%s: %s %s: mean %.1f outside [%.1f, %.1f]", tc.model.Name(), a.TargetID, q.Period, a.Path[k].Mean, a.Path[k].Lo80, a.Path[k].Hi80)
				}
			}
			gap := math.Abs(q.Mean - ps)
			if tc.coherent && gap > 1e-6*q.Mean {
				t.Errorf("%s: %s: national path %.1f, sum of sectors' %.1f", tc.model.Name(), q.Period, q.Mean, ps)
			}
			if !tc.coherent && gap < 100 {
				t.Errorf("without reconciliation: %s: national path %.1f, sum of sectors' %.1f", q.Period, q.Mean, ps)
			}
		}
		if tc.model.Name() == "auto" && (total.ModelChoice != "auto" || total.ModelReason == "" || total.Model == "auto") {
			t.Errorf("auto: model %q choice %q reason %q", total.Model, total.ModelChoice, total.ModelReason)
		}
	}
}

// TestClosedTargetsAreJudged: a target whose horizon is past and observed is
// achieved or not, with its actual and gap, and no model nor probability,
// even on a series too short to fit; a partly observed horizon year enters
// its observed quarters as observed.
func TestClosedTargetsAreJudged(t *testing.T) {
	s := set(line(16, 60000, 1000), line(16, 2e9, 0), line(16, 50e6, 0))
	ts := &config.TargetSet{ID: "t", BaselineYear: 2015, Horizon: 2017, Targets: []config.Target{
		{ID: "jobs-met", Metric: "jobs", Kind: "level", Sector: "ALL", Value: 70000},
		{ID: "jobs-missed", Metric: "jobs", Kind: "level", Sector: "ALL", Value: 80000},
		{ID: "exports-missed", Metric: "exports", Kind: "level", Sector: "ALL", Value: 9e9},
		{ID: "inv", Metric: "investment", Kind: "cumulative", Sector: "ALL", From: 2016, Value: 500e6},
	}}
	o := opts()
	o.MinPoints = 100 // no series is long enough to fit: a closed target needs none
	res, err := Set(context.Background(), s, ts, domain.NewPeriod(2018, 4), o)
	if err != nil || len(res.Skipped) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	exports2017 := s.Series[1].Values[8] + s.Series[1].Values[9] + s.Series[1].Values[10] + s.Series[1].Values[11]
	inv := 0.0
	for _, v := range s.Series[2].Values[4:12] {
		inv += v
	}
	want := map[string]struct {
		status forecast.Status
		actual float64
	}{
		"jobs-met": {StatusAchieved, s.Series[0].Values[11]}, "jobs-missed": {StatusNotAchieved, s.Series[0].Values[11]},
		"exports-missed": {StatusNotAchieved, exports2017}, "inv": {StatusNotAchieved, inv},
	}
	for _, a := range res.Assessments {
		w := want[a.TargetID]
		if !a.Closed || a.Status != w.status || a.Actual == nil || math.Abs(*a.Actual-w.actual) > 1e-6 || *a.Gap != *a.Actual-a.Target || a.Model != "" || a.LatestPeriod.String() != "2017Q4" {
			t.Errorf("%s: closed %v, status %s, actual %v, model %q; want %s, actual %v", a.TargetID, a.Closed, a.Status, a.Actual, a.Model, w.status, w.actual)
		}
		b, _ := json.Marshal(a)
		var doc map[string]any
		json.Unmarshal(b, &doc)
		for _, k := range []string{"p_meet", "model", "projected", "lo80", "hi95"} {
			if _, ok := doc[k]; ok {
				t.Errorf("%s: a closed target's JSON has %q: %s", a.TargetID, k, b)
			}
		}
		for _, k := range []string{"actual", "gap", "closed", "status"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("%s: a closed target's JSON lacks %q: %s", a.TargetID, k, b)
			}
		}
	}
	// As of 2017Q2 the 2017 exports are half observed: the two observed
	// quarters are in the measure as they are, only two are projected, and
	// the target is forecast, not judged.
	res, err = Set(context.Background(), s, ts, domain.NewPeriod(2017, 2), opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Assessments {
		if a.TargetID != "exports-missed" {
			continue
		}
		known := s.Series[1].Values[8] + s.Series[1].Values[9]
		if a.Closed || len(a.Path) != 2 || a.PMeet > 0.01 || math.Abs(a.Projected-(known+2*2e9)) > 2e7 || a.Lo95 < known {
			t.Errorf("partly observed exports 2017: %+v", a)
		}
	}
}

// TestSetWatchesItsContext reproduces issue 13: a long assessment ignored
// SIGTERM and the job's timeout. A cancelled context stops it between targets.
func TestSetWatchesItsContext(t *testing.T) {
	s := set(line(16, 60000, 1000), line(16, 2e9, 0), line(16, 50e6, 0))
	ts := &config.TargetSet{ID: "t", BaselineYear: 2015, Horizon: 2020, Targets: []config.Target{
		{ID: "jobs", Metric: "jobs", Kind: "level", Sector: "ALL", Value: 200000},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Set(ctx, s, ts, 0, opts()); !errors.Is(err, context.Canceled) {
		t.Errorf("Set with a cancelled context: %v, want context.Canceled", err)
	}
}

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}

// TestRecentGrowth: the growth over the last four quarters compares the
// latest quarter with the same quarter a year before (jobs), or the last
// four quarters' sum with the four before (exports).
func TestRecentGrowth(t *testing.T) {
	start := domain.NewPeriod(2015, 1)
	const n = 12
	jobs, exports := make([]float64, n), make([]float64, n)
	for i := range n {
		jobs[i] = 1000 + 10*float64(i)
		exports[i] = 100
		if i >= 8 {
			exports[i] = 125 // the last year's quarters: +25 %
		}
	}
	s := &series.Set{First: start, Last: start + n - 1, Sectors: fiveSectors, Series: []series.Series{
		{Sector: domain.National, Metric: domain.MetricJobs, Start: start, Values: jobs},
		{Sector: domain.National, Metric: domain.MetricExports, Start: start, Values: exports},
	}}
	ts := &config.TargetSet{ID: "t", BaselineYear: 2015, Horizon: 2020, Targets: []config.Target{
		{ID: "jobs", Metric: domain.MetricJobs, Kind: domain.KindLevel, Sector: domain.National, Value: 2000},
		{ID: "exports", Metric: domain.MetricExports, Kind: domain.KindLevel, Sector: domain.National, Value: 1000},
	}}
	res, err := Set(context.Background(), s, ts, 0, opts())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		g    float64
		from domain.Period
	}{"jobs": {1110.0/1070 - 1, start + 7}, "exports": {0.25, start + 4}}
	for _, a := range res.Assessments {
		w := want[a.TargetID]
		if a.RecentGrowth == nil || math.Abs(*a.RecentGrowth-w.g) > 1e-12 || a.RecentFrom != w.from {
			t.Errorf("%s: recent growth %v from %s, want %v from %s", a.TargetID, a.RecentGrowth, a.RecentFrom, w.g, w.from)
		}
	}
}
