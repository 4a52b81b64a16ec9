package report

import (
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

func TestChangesSheet(t *testing.T) {
	prev := fixtureResults()
	prev[0].Assessments[0].Projected -= 2000
	prev[0].Assessments[0].PMeet = 0.5
	prev[0].Assessments[0].Status = "at_risk"
	opts := fixtureOptions("fr")
	opts.Previous = prev
	opts.PreviousAt, opts.PreviousRunID = time.Date(2020, 8, 14, 1, 30, 0, 0, time.UTC), "20200814T013000Z"
	opts.Changes = map[string]assess.Change{"pai-2016-2020/jobs-2020": {NewReturns: 1500, RevisedReturns: 300, Model: 200}}
	f, _ := build(t, fixtureResults(), fixtureSet(), opts)
	const sh = "Évolution"
	label := fixtureResults()[0].Assessments[0].Label
	row := 0
	if rows, err := f.GetRows(sh); err == nil {
		for i, r := range rows {
			if len(r) > 1 && r[0] == label && r[1] == "personnes" {
				row = i + 1
			}
		}
	}
	if row == 0 {
		t.Fatal("jobs target not in the Évolution table")
	}
	for col, want := range map[int]float64{5: 2000, 6: 1500, 7: 300, 8: 200, 9: 0.5} {
		wantNumber(t, f, sh, ref(t, col, row), want)
	}
	wantText(t, f, sh, ref(t, 11, row), "À risque")
	// It names the report it compares with (its date, in the run's time
	// zone, and its run id), and says what moved each projection.
	for _, want := range []string{
		"Rapport comparé : celui du 14/08/2020 02:30, calcul 20200814T013000Z.",
		"Emplois directs fin 2020 : projection relevée de 2\u202f000 postes depuis le rapport précédent (de 89\u202f500 à 91\u202f500 postes) : nouvelles déclarations +1\u202f500, déclarations rectifiées +300, modèle +200.",
		"Chiffre d'affaires à l'export 2020 : projection inchangée à l'arrondi près depuis le rapport précédent (10,1 Md MAD).",
	} {
		if c := findText(t, f, sh, want); c == "" {
			t.Errorf("Évolution does not say %q", want)
		} else if _, r, _ := excelize.CellNameToCoordinates(c); r >= row {
			t.Errorf("%q is below the table", want)
		}
	}
}
