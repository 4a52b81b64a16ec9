package report

import (
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// TestCollectingTextKeepsSmallGroupsSecret: with one or two operators
// reported (or still missing), the share of the previous quarter's headcount
// they hold, times the published headcount, gives back their own: it reads
// "une part confidentielle".
func TestCollectingTextKeepsSmallGroupsSecret(t *testing.T) {
	q := domain.NewPeriod(2019, 1)
	cs := []series.Coverage{
		{Period: q, Expected: 40, Reported: 15, Operators: 15.0 / 40, Weight: 0.41},
		{Period: q, Expected: 40, Reported: 2, Operators: 2.0 / 40, Weight: 0.23},
		{Period: q, Expected: 40, Reported: 39, Operators: 39.0 / 40, Weight: 0.96},
		{Period: q, Expected: 40, Reported: 40, Operators: 1, Weight: 1},
	}
	series.HideSmallGroups(cs, 3, 0.85)
	for i, want := range []string{"41 % des effectifs", "une part confidentielle des effectifs", "une part confidentielle des effectifs", "100 % des effectifs"} {
		line, _ := CollectingText("fr", cs[i], fiveSectors, 45)
		if !strings.Contains(line, want) {
			t.Errorf("%d of %d reported: %q, want %q", cs[i].Reported, cs[i].Expected, line, want)
		}
	}
	if line, _ := CollectingText("en", cs[1], fiveSectors, 45); !strings.Contains(line, "a confidential share of the previous quarter's headcount") {
		t.Errorf("en: %q", line)
	}
}
