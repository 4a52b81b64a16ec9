package pipeline

import (
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Rules that choose the as-of quarter, as run records and the workbook name them.
const (
	// RuleForced: --as-of (or an API request's as_of) named the quarter.
	RuleForced = "forced"
	// RuleCoverage: the latest quarter whose returns reach
	// coverage.min_operators and coverage.min_weight.
	RuleCoverage = "coverage"
	// RuleImputed: the latest quarter past its filing deadline whose
	// reported shares reach coverage.min_reported_after_deadline, its missing
	// operators carried forward (coverage.impute_after_deadline).
	RuleImputed = "deadline_imputed"
)

// Official is how the as-of quarter was chosen and how complete it is.
type Official struct {
	Rule string `json:"rule"` // RuleForced, RuleCoverage or RuleImputed
	// Coverage is the as-of quarter's coverage, among the returns received
	// by the run's cutoff.
	Coverage series.Coverage `json:"coverage"`
	// Collecting are the quarters after the as-of that have returns but
	// are not official: shown as in collection, not used. Oldest first.
	Collecting []series.Coverage `json:"collecting,omitempty"`
	// Deadline is the as-of quarter's filing deadline (quarter end plus
	// forecast.filing_delay_days).
	Deadline time.Time `json:"deadline"`
	// Notices say, in report.lang, for each quarter in collection, how far
	// it has come and the returns each sector still owes: "T1 2019 en cours
	// de collecte : 37 % des déclarants attendus, …" (report.CollectingText).
	Notices []string `json:"notices,omitempty"`
}

// Deadline is the filing deadline of quarter p: the quarter's end plus
// forecast.filing_delay_days.
func Deadline(cfg *configs.Config, p returns.Period) time.Time {
	return p.End().AddDate(0, 0, cfg.Settings.Forecast.FilingDelayDays)
}

// chooseAsOf applies the as-of rule to consolidated returns (all the
// quarters known, received by now): the latest quarter meeting the coverage
// shares, or, with coverage.impute_after_deadline, a later one past its
// deadline whose reported shares reach min_reported_after_deadline. The
// first quarter of the warehouse, with no operator expected, always meets
// the shares, so a non-empty rs always gives a quarter. forced, when not 0,
// is taken as is (RuleForced), the coverage still measured.
func chooseAsOf(cfg *configs.Config, consolidated []returns.Return, forced returns.Period, now time.Time) Official {
	// Expected: the operators with a return for the previous quarter, as the
	// issue defines them. Looking further back (the panel's carry-forward)
	// would keep a late operator expected, but would also keep an operator
	// that closed expected for a year, holding back every quarter after it.
	cs := series.Coverages(consolidated, 1)
	if len(cs) == 0 {
		return Official{Rule: RuleForced}
	}
	c := cfg.Settings.Coverage
	pick := -1
	rule := RuleCoverage
	for i := len(cs) - 1; i >= 0; i-- {
		q := cs[i]
		if forced != 0 {
			if q.Period == forced {
				pick, rule = i, RuleForced
				break
			}
			continue
		}
		if q.Operators >= c.MinOperators && q.Weight >= c.MinWeight {
			pick = i
			break
		}
		if c.ImputeAfterDeadline && !now.Before(Deadline(cfg, q.Period)) &&
			q.Operators >= c.MinReportedAfterDeadline && q.Weight >= c.MinReportedAfterDeadline {
			pick, rule = i, RuleImputed
			break
		}
	}
	if pick < 0 { // a forced quarter outside the returns' span
		return Official{Rule: RuleForced, Coverage: series.Coverage{Period: forced, Quarter: forced.String()}, Deadline: Deadline(cfg, forced)}
	}
	o := Official{Rule: rule, Coverage: cs[pick], Deadline: Deadline(cfg, cs[pick].Period)}
	if rule != RuleForced {
		for _, q := range cs[pick+1:] {
			if q.Reported+q.Others > 0 {
				o.Collecting = append(o.Collecting, q)
				line, owed := report.CollectingText(cfg.Settings.Report.Lang, q, cfg.Settings.Forecast.FilingDelayDays)
				o.Notices = append(o.Notices, line+" ; "+owed)
			}
		}
	}
	return o
}
