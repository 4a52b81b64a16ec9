package report

import (
	"testing"

	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/xuri/excelize/v2"
)

func TestChangesSheet(t *testing.T) {
	prev := fixtureResults()
	prev[0].Assessments[0].Projected -= 2000
	prev[0].Assessments[0].PMeet = 0.5
	prev[0].Assessments[0].Status = "at_risk"
	opts := fixtureOptions("fr")
	opts.Previous = prev
	opts.Changes = map[string]assess.Change{"pai-2016-2020/jobs-2020": {NewReturns: 1500, RevisedReturns: 300, Model: 200}}
	f, _ := build(t, fixtureResults(), fixtureSet(), opts)
	c := findText(t, f, "Évolution", fixtureResults()[0].Assessments[0].Label)
	if c == "" {
		t.Fatal("jobs target not on the Évolution sheet")
	}
	_, row, _ := excelize.CellNameToCoordinates(c)
	for col, want := range map[int]float64{4: 2000, 5: 1500, 6: 300, 7: 200, 8: 0.5} {
		wantNumber(t, f, "Évolution", ref(t, col, row), want)
	}
	wantText(t, f, "Évolution", ref(t, 10, row), "À risque")
}
