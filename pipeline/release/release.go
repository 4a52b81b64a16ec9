package release

import (
	"cmp"
	"slices"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Rule names how the as-of quarter was chosen, as run records and the
// workbook name it.
type Rule string

// Rules that choose the as-of quarter.
const (
	// RuleForced: --as-of (or an API request's as_of) named the quarter.
	RuleForced Rule = "forced"
	// RuleCoverage: the latest quarter whose returns reach
	// coverage.min_operators and coverage.min_weight.
	RuleCoverage Rule = "coverage"
	// RuleImputed: the latest quarter past its filing deadline whose
	// reported shares reach coverage.min_reported_after_deadline, its missing
	// operators carried forward (coverage.impute_after_deadline).
	RuleImputed Rule = "deadline_imputed"
)

// Official is how the as-of quarter was chosen and how complete it is.
type Official struct {
	Rule Rule `json:"rule"` // RuleForced, RuleCoverage or RuleImputed
	// Coverage is the as-of quarter's coverage, among the returns received
	// by the run's cutoff.
	Coverage series.Coverage `json:"coverage"`
	// Collecting are the quarters after the as-of that have returns but
	// are not official: shown as in collection, not used. Oldest first.
	Collecting []series.Coverage `json:"collecting,omitempty"`
	// Deadline is the as-of quarter's filing deadline (quarter end plus
	// forecast.filing_delay_days).
	Deadline time.Time `json:"deadline"`
	// Released is when the as-of quarter became official (releasedAt).
	// The official figures rest on the returns received by Cutoff:
	// Released or, while no later quarter is being collected, the latest
	// filing deadline passed since; so a release stays as it was until
	// the next one. Later counts the files received since for the as-of
	// quarter and those before it (late returns, corrections): they enter
	// at the next release. Zero and 0 for a forced as-of.
	Released time.Time `json:"released,omitzero"`
	Cutoff   time.Time `json:"cutoff,omitzero"`
	Later    int       `json:"later,omitempty"`
	// Notices say, in report.lang, for each quarter in collection, how far
	// it has come and the returns each sector still owes: "T1 2019 en cours
	// de collecte : 37 % des déclarants attendus, …". Release leaves them
	// empty: they are the report's words (report.CollectingText), filled
	// in by the pipeline.
	Notices []string `json:"notices,omitempty"`
}

// Deadline is the filing deadline of quarter p: the quarter's end plus
// forecast.filing_delay_days.
func Deadline(cfg *config.Config, p domain.Period) time.Time {
	return p.End().AddDate(0, 0, cfg.Settings.Forecast.FilingDelayDays)
}

// Choose applies the as-of rule to consolidated returns (all the
// quarters known, received by now): the latest quarter that meets the
// coverage shares (or, with coverage.impute_after_deadline, is past its
// deadline with reported shares reaching min_reported_after_deadline), as
// each of the three quarters before it does. A quarter held back by a late
// return thus holds back the ones after it: the as-of never passes over a
// quarter that fails the rule, and when the return arrives after the next
// quarter is complete, both become official the same night. A quarter more
// than a year back that never met the rule (an old gap in the archive) does
// not hold back the present. The first quarter of the warehouse, with no
// operator expected, always meets the shares, so a non-empty rs always gives
// a quarter. forced, when not 0, is taken as is (RuleForced), the coverage
// still measured.
func Choose(cfg *config.Config, consolidated []domain.Return, forced domain.Period, now time.Time) Official {
	// Expected: the operators with a return for the previous quarter, as the
	// issue defines them. Looking further back (the panel's carry-forward)
	// would keep a late operator expected, but would also keep an operator
	// that closed expected for a year, holding back every quarter after it.
	cs := series.Coverages(consolidated, 1)
	if len(cs) == 0 {
		return Official{Rule: RuleForced}
	}
	series.HideSmallGroups(cs, cfg.Settings.Secrecy.MinOperators, cfg.Settings.Secrecy.Dominance)
	pick, rule := -1, RuleForced
	if forced == 0 {
		pick, rule = latestOfficial(cfg, cs, now)
	} else {
		pick = slices.IndexFunc(cs, func(c series.Coverage) bool { return c.Period == forced })
	}
	if pick < 0 { // a forced quarter outside the returns' span
		return Official{Rule: RuleForced, Coverage: series.Coverage{Period: forced}, Deadline: Deadline(cfg, forced)}
	}
	o := Official{Rule: rule, Coverage: cs[pick], Deadline: Deadline(cfg, cs[pick].Period)}
	if rule != RuleForced {
		for _, q := range cs[pick+1:] {
			if q.Reported+q.Others > 0 {
				o.Collecting = append(o.Collecting, q)
			}
		}
	}
	return o
}

// latestOfficial is the index in cs of the latest quarter that meets the
// rule, as do the three before it, and the rule it meets (Choose).
func latestOfficial(cfg *config.Config, cs []series.Coverage, now time.Time) (int, Rule) {
	c := cfg.Settings.Coverage
	rules := make([]Rule, len(cs)) // the rule each quarter meets, "" for none
	for i, q := range cs {
		switch {
		case q.Operators >= c.MinOperators && q.Weight >= c.MinWeight:
			rules[i] = RuleCoverage
		case c.ImputeAfterDeadline && !now.Before(Deadline(cfg, q.Period)) &&
			q.Operators >= c.MinReportedAfterDeadline && q.Weight >= c.MinReportedAfterDeadline:
			rules[i] = RuleImputed
		}
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if !slices.Contains(rules[max(i-3, 0):i+1], "") {
			return i, rules[i]
		}
	}
	return -1, ""
}

// releasedAt is when quarter q became official: the earliest moment, up to
// now, at which the returns received by then make q (or a later quarter)
// the official as-of. The candidates are the returns' receipt times and,
// with coverage.impute_after_deadline, the quarters' deadlines; found by
// bisection, as more returns only move the as-of forward (but for a late
// return that adds an expected operator; the bisection then gives one of the
// moments q was official, the same for the same returns). Only the returns
// of q and the four quarters before it decide (q's window and the operators
// expected in it), so only they are consolidated at each step.
func releasedAt(cfg *config.Config, rs []domain.Return, q domain.Period, now time.Time) time.Time {
	var window []domain.Return
	var times []time.Time
	for i := range rs {
		r := &rs[i]
		if r.ReceivedAt.After(now) {
			continue
		}
		times = append(times, r.ReceivedAt)
		if d := Deadline(cfg, r.Period); cfg.Settings.Coverage.ImputeAfterDeadline && !d.After(now) {
			times = append(times, d)
		}
		if r.Period >= q-4 && r.Period <= q {
			window = append(window, *r)
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	times = slices.CompactFunc(times, time.Time.Equal)
	i, _ := slices.BinarySearchFunc(times, q, func(t time.Time, q domain.Period) int {
		cs := series.Coverages(series.Consolidate(window, t, 0), 1)
		if pick, _ := latestOfficial(cfg, cs, t); pick >= 0 && cs[pick].Period >= q {
			return 1
		}
		return -1
	})
	if i == len(times) {
		return now
	}
	return times[i]
}

// release makes off, the official quarter chosen among the returns received
// by now, a release, and returns the returns consolidated as of its
// Cutoff, on which its figures rest. They are those received when the
// quarter became official (Released), so that its figures stay as they were
// while it is the as-of: the returns received since (Later) wait for the
// next release. Only while no later quarter is being collected (no return
// of one received yet: the archive has ended) do they enter at each filing
// deadline passed since. The coverage becomes the one among the release's
// returns; the quarters in collection stay as they are now.
func release(cfg *config.Config, rs []domain.Return, off *Official, now time.Time) []domain.Return {
	q := off.Coverage.Period
	off.Released = releasedAt(cfg, rs, q, now)
	off.Cutoff = off.Released
	open := now // when the next season opened: the first return of a later quarter
	for i := range rs {
		if r := &rs[i]; r.Period > q && r.ReceivedAt.Before(open) {
			open = r.ReceivedAt
		}
	}
	for p := q + 1; !Deadline(cfg, p).After(open); p++ {
		if d := Deadline(cfg, p); d.After(off.Cutoff) {
			off.Cutoff = d
		}
	}
	all := series.Consolidate(rs, off.Cutoff, 0)
	off.Coverage = Choose(cfg, all, q, off.Cutoff).Coverage
	later := map[string]bool{}
	for i := range rs {
		if r := &rs[i]; r.Period <= q && r.ReceivedAt.After(off.Cutoff) && !r.ReceivedAt.After(now) {
			later[r.SourceSHA256] = true
		}
	}
	off.Later = len(later)
	return all
}

// Returns consolidates rs (all versions) as of asOf and keeps the
// quarters up to the as-of quarter, chosen by the as-of rule (or forced by
// asOf.Period): the returns behind every published figure, with the rule's
// choice and the panel their series are built from (the reported returns
// and the known non-response, or the gap-filled panel with
// warehouse.impute_in_forecasts). The quarters in collection are left out.
func Returns(cfg *config.Config, rs []domain.Return, asOf domain.AsOf) (consolidated []domain.Return, off Official, panel *series.Panel) {
	now := asOf.Cutoff
	if now.IsZero() {
		now = time.Now()
	}
	all := series.Consolidate(rs, asOf.Cutoff, 0)
	off = Choose(cfg, all, asOf.Period, now)
	if off.Rule != RuleForced {
		all = release(cfg, rs, &off, now)
	}
	// Consolidate sorts by period: the official quarter and those before it
	// are a prefix.
	n, _ := slices.BinarySearchFunc(all, off.Coverage.Period+1, func(r domain.Return, p domain.Period) int { return cmp.Compare(r.Period, p) })
	consolidated = all[:n]
	// The reported returns and the known non-response, unless the
	// configuration asks for the gap-filled series. The operators expected
	// in the as-of quarter are carried forward while it is official; a
	// forced quarter is what was received, however thin.
	if cfg.Settings.Warehouse.ImputeInForecasts {
		return consolidated, off, series.NewPanel(consolidated, cfg.Settings.Warehouse.CarryForward)
	}
	return consolidated, off, series.NewNonResponsePanel(consolidated, cfg.Settings.Warehouse.CarryForward, off.Rule != RuleForced)
}
