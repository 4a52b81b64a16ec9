package pipeline

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// seasonStats are the figures of one filing-season replay.
type seasonStats struct {
	nights        int
	nightsPerAsOf map[returns.Period]int
	largestMove   float64 // of the national jobs projection between two nights with the same as-of, in 80 % interval widths
	statusChanges int     // changes of a target's status
	// Known gaps (issue 14, item 5), reported rather than failed: nights
	// on which the as-of skipped a quarter that never met the rule while the
	// next one did (a late filer of one quarter that filed the next on
	// time), and a second status change of a target while the as-of stayed
	// (late returns and corrections moving P(meet) across a threshold).
	skips, flipFlops []string
}

// replay runs the as-of rule and the assessment once per simulated night
// (every step) from start to end over the synthetic returns received by
// each night, and checks the invariants of issue 14 that hold: the official
// as-of never goes back and always meets the rule; the national jobs
// projection moves by less than half its 80 % interval between nights with
// the same as-of. Two more are measured, not yet kept (seasonStats.skips,
// flipFlops): the as-of moving one quarter at a time, and a status changing
// at most once while the as-of stays.
func replay(tb testing.TB, cfg *configs.Config, rs []returns.Return, start, end time.Time, step time.Duration, model string) seasonStats {
	st := seasonStats{nightsPerAsOf: map[returns.Period]int{}}
	var prevAsOf returns.Period
	var prevMean float64
	statuses := map[string]string{}
	changes := map[string]int{}
	c := cfg.Settings.Coverage
	for night := start; night.Before(end); night = night.Add(step) {
		o, err := assessReturns(context.Background(), cfg, rs, AsOf{Cutoff: night}, []string{"pai-2016-2020"}, model)
		if err != nil {
			tb.Fatalf("night %s: %v", night.Format(time.DateOnly), err)
		}
		st.nights++
		asOf := o.Series.Last
		st.nightsPerAsOf[asOf]++
		cov := o.Official.Coverage
		if o.Official.Rule != RuleCoverage || cov.Operators < c.MinOperators || cov.Weight < c.MinWeight {
			tb.Errorf("night %s: official %s by %s with %.0f %% of operators, %.0f %% of headcount", night.Format(time.DateOnly), asOf, o.Official.Rule, 100*cov.Operators, 100*cov.Weight)
		}
		if prevAsOf != 0 && asOf < prevAsOf {
			tb.Errorf("night %s: the as-of went back from %s to %s", night.Format(time.DateOnly), prevAsOf, asOf)
		}
		if prevAsOf != 0 && asOf > prevAsOf+1 {
			st.skips = append(st.skips, night.Format(time.DateOnly)+": "+prevAsOf.String()+" → "+asOf.String())
		}
		if asOf != prevAsOf {
			clear(changes)
		}
		for _, a := range o.Results[0].Assessments {
			if a.TargetID == "jobs-2020" && asOf == prevAsOf {
				if w := a.Hi80 - a.Lo80; w > 0 {
					move := math.Abs(a.Projected-prevMean) / w
					st.largestMove = max(st.largestMove, move)
					if move >= 0.5 {
						tb.Errorf("night %s: the jobs projection moved %.0f, %.2f of its 80 %% interval, with the as-of still %s", night.Format(time.DateOnly), a.Projected-prevMean, move, asOf)
					}
				}
			}
			if a.TargetID == "jobs-2020" {
				prevMean = a.Projected
			}
			if s, ok := statuses[a.TargetID]; ok && s != a.Status {
				st.statusChanges++
				if changes[a.TargetID]++; asOf == prevAsOf && changes[a.TargetID] > 1 {
					st.flipFlops = append(st.flipFlops, night.Format(time.DateOnly)+": "+a.TargetID+" at "+asOf.String())
				}
			}
			statuses[a.TargetID] = a.Status
		}
		prevAsOf = asOf
	}
	return st
}

// seasonReturns are the synthetic returns of the replay, with their filing
// dates (most 10 to 40 days after the quarter, some 60 to 200, corrections
// later, operators that leave never file again).
func seasonReturns(tb testing.TB) (*configs.Config, []returns.Return) {
	cfg, err := configs.Default(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	opts := synth.DefaultOptions()
	opts.To = returns.NewPeriod(2019, 4)
	files, err := synth.Generate(&cfg.Mappings, opts)
	if err != nil {
		tb.Fatal(err)
	}
	var rs []returns.Return
	for _, f := range files {
		for _, r := range f.Rows {
			r.ReceivedAt = f.ReceivedAt
			rs = append(rs, r)
		}
	}
	return cfg, rs
}

// TestFilingSeasonReplay replays two filing seasons and more, night by
// night (2018-01-01 to 2019-12-31), with the cheap rw-drift model.
func TestFilingSeasonReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays two years of nights")
	}
	cfg, rs := seasonReturns(t)
	start, end := time.Date(2018, 1, 1, 3, 30, 0, 0, time.UTC), time.Date(2020, 1, 1, 3, 30, 0, 0, time.UTC)
	st := replay(t, cfg, rs, start, end, 24*time.Hour, "rw-drift")
	if len(st.nightsPerAsOf) < 6 {
		t.Errorf("the as-of took only %d values over two years: %v", len(st.nightsPerAsOf), st.nightsPerAsOf)
	}
	t.Logf("%d nights; nights per as-of %v; largest move of the jobs projection with the same as-of: %.3f of its 80 %% interval; %d status changes",
		st.nights, st.nightsPerAsOf, st.largestMove, st.statusChanges)
	t.Logf("not yet kept: skipped quarters %q; second status changes with the same as-of %q", st.skips, st.flipFlops)
}

// BenchmarkSeason replays the same two years, one night a week, with the
// configured (automatic) model: go test -run XXX -bench Season ./pipeline/.
func BenchmarkSeason(b *testing.B) {
	cfg, rs := seasonReturns(b)
	start, end := time.Date(2018, 1, 1, 3, 30, 0, 0, time.UTC), time.Date(2020, 1, 1, 3, 30, 0, 0, time.UTC)
	for b.Loop() {
		st := replay(b, cfg, rs, start, end, 7*24*time.Hour, cfg.Settings.Forecast.Model)
		b.ReportMetric(float64(st.nights), "nights/op")
		b.ReportMetric(st.largestMove, "max-move/interval")
		b.ReportMetric(float64(st.statusChanges), "status-changes/op")
	}
}
