package pipeline

import (
	"cmp"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// seasonStats are the figures of one filing-season replay.
type seasonStats struct {
	nights        int
	nightsPerAsOf map[domain.Period]int
	largestMove   float64 // of the national jobs projection between two nights with the same as-of, in 80 % interval widths
	statusChanges int     // changes of a target's status
	// doubleSteps are the nights on which the as-of moved two quarters or
	// more: the return that held a quarter back arrived after the next one
	// was complete (both then meet the rule, which the replay checks).
	doubleSteps []string
}

// replay runs the as-of rule and the assessment once per simulated night
// (every step) from start to end over the synthetic returns received by
// each night, and checks the invariants of issue 14: the official as-of
// never goes back; it and the three quarters before it meet the coverage
// shares among the returns of its release (recomputed here from the
// returns, not taken from the outlook), so no quarter is passed over; the
// national jobs projection moves by less than half its 80 % interval
// between nights with the same as-of; a target's status changes at most
// once per season (the night the as-of moves, or once while it stays).
func replay(tb testing.TB, cfg *config.Config, rs []domain.Return, start, end time.Time, step time.Duration, model string) seasonStats {
	st := seasonStats{nightsPerAsOf: map[domain.Period]int{}}
	var prevAsOf domain.Period
	var prevMean float64
	statuses := map[string]forecast.Status{}
	changes := map[string]int{}
	c := cfg.Settings.Coverage
	for night := start; night.Before(end); night = night.Add(step) {
		day := night.Format(time.DateOnly)
		o, err := assessReturns(context.Background(), cfg, rs, domain.AsOf{Cutoff: night}, []string{"pai-2016-2020"}, mustModel(tb, model))
		if err != nil {
			tb.Fatalf("night %s: %v", day, err)
		}
		st.nights++
		asOf := o.Series.Last
		st.nightsPerAsOf[asOf]++
		if o.Official.Rule != release.RuleCoverage || o.Official.Released.After(night) {
			tb.Errorf("night %s: official %s by rule %q, released %s", day, asOf, o.Official.Rule, o.Official.Released)
		}
		for _, cv := range series.Coverages(series.Consolidate(rs, o.Official.Released, 0), 1) {
			if cv.Period > asOf-4 && cv.Period <= asOf && (cv.Operators < c.MinOperators || cv.Weight < c.MinWeight) {
				tb.Errorf("night %s: official %s, but %s has %.0f %% of its operators, %.0f %% of the headcount", day, asOf, cv.Period, 100*cv.Operators, 100*cv.Weight)
			}
		}
		if prevAsOf != 0 && asOf < prevAsOf {
			tb.Errorf("night %s: the as-of went back from %s to %s", day, prevAsOf, asOf)
		}
		if prevAsOf != 0 && asOf > prevAsOf+1 {
			st.doubleSteps = append(st.doubleSteps, day+": "+prevAsOf.String()+" → "+asOf.String())
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
						tb.Errorf("night %s: the jobs projection moved %.0f, %.2f of its 80 %% interval, with the as-of still %s", day, a.Projected-prevMean, move, asOf)
					}
				}
			}
			if a.TargetID == "jobs-2020" {
				prevMean = a.Projected
			}
			if s, ok := statuses[a.TargetID]; ok && s != a.Status {
				st.statusChanges++
				if changes[a.TargetID]++; changes[a.TargetID] > 1 {
					tb.Errorf("night %s: %s changed status a second time (%s → %s) in the season of %s", day, a.TargetID, s, a.Status, asOf)
				}
			}
			statuses[a.TargetID] = a.Status
		}
		prevAsOf = asOf
	}
	return st
}

// Lateness patterns of the replay, on top of the generator's.
const (
	filedAsGenerated = iota
	slowSeason       // every delay after the quarter's end stretched by 1.6: most returns 16 to 64 days late, some up to 320
	bigLateFiler     // the largest operator files every quarter 100 days after its end
)

// seasonReturns are the synthetic returns of the replay for seed, with
// their filing dates (most 10 to 40 days after the quarter, some 60 to 200,
// corrections later, operators that leave never file again), changed by
// pattern.
func seasonReturns(tb testing.TB, seed uint64, pattern int) (*config.Config, []domain.Return) {
	cfg, err := config.Default(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	opts := synth.DefaultOptions()
	opts.To, opts.Seed = domain.NewPeriod(2019, 4), seed
	files, err := synth.Generate(&cfg.Mappings, opts)
	if err != nil {
		tb.Fatal(err)
	}
	var rs []domain.Return
	for _, f := range files {
		for _, r := range f.Rows {
			r.ReceivedAt = f.ReceivedAt
			if pattern == slowSeason {
				end := r.Period.End()
				r.ReceivedAt = end.Add(r.ReceivedAt.Sub(end) * 8 / 5)
			}
			rs = append(rs, r)
		}
	}
	if pattern == bigLateFiler {
		big := slices.MaxFunc(rs, func(a, b domain.Return) int { return cmp.Compare(a.Headcount, b.Headcount) }).OperatorID
		for i := range rs {
			if rs[i].OperatorID == big {
				rs[i].ReceivedAt = rs[i].Period.End().AddDate(0, 0, 100)
			}
		}
	}
	return cfg, rs
}

// TestFilingSeasonReplay replays two filing seasons and more (2018-01-01
// to 2019-12-31) with the cheap rw-drift model: seed 1 night by night,
// seeds 2 to 4 every third night (seed 3 in a slow season, seed 4 with its
// largest operator always 100 days late); with -short, seed 1 weekly.
func TestFilingSeasonReplay(t *testing.T) {
	cases := []struct {
		seed    uint64
		pattern int
		step    time.Duration
	}{{1, filedAsGenerated, 24 * time.Hour}, {2, filedAsGenerated, 72 * time.Hour}, {3, slowSeason, 72 * time.Hour}, {4, bigLateFiler, 72 * time.Hour}}
	if testing.Short() { // seed 1, a night a week
		cases = cases[:1]
		cases[0].step = 7 * 24 * time.Hour
	}
	for _, c := range cases {
		cfg, rs := seasonReturns(t, c.seed, c.pattern)
		start, end := time.Date(2018, 1, 1, 3, 30, 0, 0, time.UTC), time.Date(2020, 1, 1, 3, 30, 0, 0, time.UTC)
		st := replay(t, cfg, rs, start, end, c.step, "rw-drift")
		if len(st.nightsPerAsOf) < 5 {
			t.Errorf("seed %d: the as-of took only %d values over two years: %v", c.seed, len(st.nightsPerAsOf), st.nightsPerAsOf)
		}
		t.Logf("seed %d (pattern %d): %d nights; nights per as-of %v; largest move of the jobs projection with the same as-of: %.3f of its 80 %% interval; %d status changes; double steps %q",
			c.seed, c.pattern, st.nights, st.nightsPerAsOf, st.largestMove, st.statusChanges, st.doubleSteps)
	}
}

// BenchmarkSeason replays the same two years, one night a week, with the
// configured (automatic) model: go test -run XXX -bench Season ./pipeline/.
func BenchmarkSeason(b *testing.B) {
	cfg, rs := seasonReturns(b, 1, filedAsGenerated)
	start, end := time.Date(2018, 1, 1, 3, 30, 0, 0, time.UTC), time.Date(2020, 1, 1, 3, 30, 0, 0, time.UTC)
	for b.Loop() {
		st := replay(b, cfg, rs, start, end, 7*24*time.Hour, cfg.Settings.Forecast.Model)
		b.ReportMetric(float64(st.nights), "nights/op")
		b.ReportMetric(st.largestMove, "max-move/interval")
		b.ReportMetric(float64(st.statusChanges), "status-changes/op")
		b.ReportMetric(float64(len(st.doubleSteps)), "double-steps/op")
	}
}
