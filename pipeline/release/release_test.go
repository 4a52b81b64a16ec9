package release

import (
	"fmt"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
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

func TestChoose(t *testing.T) {
	q1 := domain.NewPeriod(2018, 1)
	full := []int64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	nine := []int64{100, 100, 100, 100, 100, 100, 100, 100, 100, 0}      // 90 % of operators and of the headcount
	big := []int64{1000, 100, 100, 100, 100, 100, 100, 100, 100, 100}    // operator 1 holds half the headcount
	nineNoBig := []int64{0, 100, 100, 100, 100, 100, 100, 100, 100, 100} // 90 % of operators, 47 % of the headcount
	oneEarly := []int64{100, 0, 0, 0, 0, 0, 0, 0, 0, 0}                  // a quarter's first return
	eight := []int64{100, 100, 100, 100, 100, 100, 100, 100, 0, 0}       // 80 %
	longAgo := domain.NewPeriod(2020, 1).End()                           // every deadline passed
	beforeDeadline := q1.End().AddDate(0, 3, 10)                         // 2018Q2 ended, its deadline not passed
	tests := []struct {
		name    string
		heads   [][]int64
		forced  domain.Period
		now     time.Time
		impute  bool
		want    domain.Period
		rule    Rule
		collect int // quarters in collection
	}{
		{"all complete", [][]int64{full, full, full}, 0, longAgo, false, q1 + 2, RuleCoverage, 0},
		{"one early return of the next quarter", [][]int64{full, full, oneEarly}, 0, longAgo, false, q1 + 1, RuleCoverage, 1},
		{"thin quarter stays thin past its deadline", [][]int64{full, full, eight}, 0, longAgo, false, q1 + 1, RuleCoverage, 1},
		{"90 % of operators but not of the headcount", [][]int64{big, big, nineNoBig}, 0, longAgo, false, q1 + 1, RuleCoverage, 1},
		{"95 % of the headcount is needed: 90 % is not enough", [][]int64{full, full, nine}, 0, longAgo, false, q1 + 1, RuleCoverage, 1},
		{"past the deadline, imputed", [][]int64{full, full, eight}, 0, longAgo, true, q1 + 2, RuleImputed, 0},
		{"imputation waits for the deadline", [][]int64{full, eight}, 0, beforeDeadline, true, q1, RuleCoverage, 1},
		{"imputation needs the reported share", [][]int64{full, full, oneEarly}, 0, longAgo, true, q1 + 1, RuleCoverage, 1},
		{"a quarter held back holds back the next", [][]int64{full, full, nineNoBig, big}, 0, longAgo, false, q1 + 1, RuleCoverage, 2},
		{"a gap more than a year back does not", [][]int64{full, nineNoBig, full, full, full, full, full}, 0, longAgo, false, q1 + 6, RuleCoverage, 0},
		{"a gap within the year does", [][]int64{full, full, full, nineNoBig, full, full, full}, 0, longAgo, false, q1 + 2, RuleCoverage, 4},
		{"--as-of forces a thin quarter", [][]int64{full, full, oneEarly}, q1 + 2, longAgo, false, q1 + 2, RuleForced, 0},
		{"the first quarter has nobody expected", [][]int64{oneEarly}, 0, longAgo, false, q1, RuleCoverage, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Default(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			cfg.Settings.Coverage.ImputeAfterDeadline = tt.impute
			got := Choose(cfg, panelOf(q1, tt.heads), tt.forced, tt.now)
			if got.Coverage.Period != tt.want || got.Rule != tt.rule || len(got.Collecting) != tt.collect {
				t.Errorf("as-of %s by %s with %d in collection (%+v); want %s by %s with %d", got.Coverage.Period, got.Rule, len(got.Collecting), got, tt.want, tt.rule, tt.collect)
			}
		})
	}
}

// TestOutlookKeepsTheOfficialQuarter checks that the thin quarter's returns
// are left out of the series, and used once imputation makes it official.

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}
