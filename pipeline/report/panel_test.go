package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// panelFixture: 2017Q4 and 2018Q4 returns; CRM 5 operators, ITO 4, BPO 3,
// KPO 2 (confidential); regions: Casablanca-Settat 8 operators,
// Rabat-Salé-Kénitra 4, L'Oriental 2 (confidential).
func panelFixture() []domain.Return {
	type op struct {
		sector, region string
		n              int
	}
	plan := []op{{"CRM", "Casablanca-Settat", 4}, {"CRM", "Rabat-Salé-Kénitra", 1}, {"ITO", "Rabat-Salé-Kénitra", 3},
		{"ITO", "Casablanca-Settat", 1}, {"BPO", "Casablanca-Settat", 3}, {"KPO", "L'Oriental", 2}}
	var rs []domain.Return
	id := 0
	for _, o := range plan {
		for range o.n {
			id++
			for _, p := range []domain.Period{domain.NewPeriod(2017, 4), domain.NewPeriod(2018, 4)} {
				h := int64(100*id) + int64(p.Year()-2017)*10
				name := fmt.Sprintf("Op %d", id)
				if id == 3 {
					name = `=HYPERLINK("http://x","y")`
				}
				rs = append(rs, domain.Return{
					OperatorID: fmt.Sprintf("%015d", id), OperatorName: name, Sector: o.sector, Region: o.region, Period: p,
					Headcount: h, ExportRevenueMAD: float64(h) * 1000, Hires: domain.Int64(10), HiresYouth: domain.Int64(7),
					HiresDisabled: domain.Int64(1), ReceivedAt: p.End().AddDate(0, 0, 20+id),
				})
			}
		}
	}
	return rs
}

// TestPanelSheetsKeepSecrets builds the workbook with a panel (every sheet)
// and checks what the sheets hide and show: confidential sectors and regions
// with their secondary suppression, operators' names as text, the quarter in
// collection and the as-of rule.
func TestPanelSheetsKeepSecrets(t *testing.T) {
	panel := panelFixture()
	// Operator 3 did not file for 2018Q4: it is missing, and its name (a
	// formula payload) is listed as text.
	var kept []domain.Return
	for _, r := range panel {
		if !(r.OperatorID == fmt.Sprintf("%015d", 3) && r.Period.Year() == 2018) {
			kept = append(kept, r)
		}
	}
	s := series.BuildPanel(series.NewPanel(kept, 0), series.BuildOptions{Sectors: fiveSectors})
	opts := fixtureOptions("fr")
	opts.Panel = kept
	opts.FilingDelayDays = 45
	opts.Regions = []string{"Casablanca-Settat", "Rabat-Salé-Kénitra", "L'Oriental", "Souss-Massa"}
	opts.Rejections = map[string]int{"bad_ice": 2}
	opts.AsOf = &AsOfChoice{Rule: "coverage", MinOperators: 0.9, MinWeight: 0.95, MinReported: 0.75,
		Coverage:   series.Coverage{Period: domain.NewPeriod(2018, 4), Expected: 14, Reported: 13, Operators: 13.0 / 14, Weight: 0.97},
		Collecting: []series.Coverage{{Period: domain.NewPeriod(2019, 1), Expected: 14, Reported: 5, Operators: 0.37, Weight: 0.41, Owed: map[string]int{"CRM": 3, "ITO": 2}}},
		Released:   time.Date(2019, 2, 11, 9, 0, 0, 0, time.UTC), Cutoff: time.Date(2019, 2, 11, 9, 0, 0, 0, time.UTC), Later: 4}
	results := fixtureResults()
	for _, r := range results {
		r.AsOf = domain.NewPeriod(2018, 4)
		for i := range r.Assessments {
			r.Assessments[i].Path = nil
			r.Assessments[i].LatestPeriod = domain.NewPeriod(2018, 4)
		}
	}
	f, b := build(t, results, s, opts)

	want := []string{"Synthèse", "Filières", "Régions", "Emploi inclusif", "Qualité des données", "Évolution", "Méthodologie", "Données", "Graphique"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q", got)
	}
	// Régions: L'Oriental (2 operators) is hidden, and so is the smallest
	// other region (Rabat, 4 operators), so the total cannot reveal it.
	rows, _ := f.GetRows("Régions")
	byName := map[string][]string{}
	for _, r := range rows {
		if len(r) > 0 {
			byName[r[0]] = r
		}
	}
	for _, name := range []string{"L'Oriental", "Rabat-Salé-Kénitra"} {
		if r := byName[name]; len(r) < 3 || r[2] != "s" {
			t.Errorf("%s row %q: want jobs hidden", name, r)
		}
	}
	if r := byName["Casablanca-Settat"]; len(r) < 3 || r[2] == "s" || r[2] == "" {
		t.Errorf("Casablanca row %q: want jobs shown", r)
	}
	if r := byName["Souss-Massa"]; len(r) < 2 || r[1] != "0" {
		t.Errorf("Souss-Massa (no operator) %q", r)
	}
	// Filières: KPO (2 operators) hidden, and CRM, the smallest other sector
	// in jobs in 2018Q4 (1,240 against BPO's 3,330 and ITO's 3,640).
	rows, _ = f.GetRows("Filières")
	var hidden []string
	for _, r := range rows {
		if len(r) > 2 && r[2] == "s" {
			hidden = append(hidden, r[0])
		}
	}
	if strings.Join(hidden, ",") != "CRM,KPO" {
		t.Errorf("hidden sectors %v, want CRM and KPO", hidden)
	}
	// Données: the same sectors hidden in 2018Q4, the others shown.
	data, _ := f.GetRows("Données")
	last := data[len(data)-1]
	for j, h := range data[dataHeaderRow-1] {
		sector, _, _ := strings.Cut(h, " ")
		secret := sector == "CRM" || sector == "KPO"
		if j > 0 && (last[j] == "s") != secret {
			t.Errorf("Données %s = %q (want hidden: %v)", h, last[j], secret)
		}
	}
	// Synthèse: the CRM target's figures are hidden as CRM is on Filières.
	crm := findRow(t, f, "Synthèse", "Emplois directs CRM fin 2020")
	for _, col := range []int{colLatest, colTarget, colProjected, colPMeet, colRecentGrowth} {
		wantText(t, f, "Synthèse", ref(t, col, crm), "s")
	}
	if findText(t, f, "Synthèse", "Emplois directs CRM fin 2020 : chiffres couverts par le secret statistique.") == "" {
		t.Error("the CRM target's sentence does not say it is confidential")
	}
	if jobs := findRow(t, f, "Synthèse", "Emplois directs fin 2020"); jobs > 0 {
		if v, _ := f.GetCellValue("Synthèse", ref(t, colLatest, jobs)); v == "s" {
			t.Error("national target hidden")
		}
	}
	// Qualité: operator 3 is missing for 2018Q4, listed by name, as text.
	if c := findText(t, f, "Qualité des données", `=HYPERLINK("http://x","y")`); c == "" {
		t.Error("missing operator not listed")
	} else if formula, _ := f.GetCellFormula("Qualité des données", c); formula != "" {
		t.Errorf("operator name became a formula: %q", formula)
	}
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet5.xml"} {
		if x := zipPart(t, b, part); strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
			t.Errorf("%s holds a formula", part)
		}
	}
	if findText(t, f, "Qualité des données", "identifiant ICE invalide") == "" {
		t.Error("rejections by reason not listed in words")
	}
	// The quarter in collection is shown, not used: on the Synthèse with the
	// returns each sector still owes, on Qualité des données with a table of them.
	collecting := "T1 2019 en cours de collecte : 37 % des déclarants attendus, 41 % des effectifs du trimestre précédent ; échéance le 15/05/2019"
	wantText(t, f, "Synthèse", "A5", collecting+" ; déclarations encore dues par filière : CRM 3, ITO 2")
	if c := findText(t, f, "Qualité des données", collecting); c == "" {
		t.Error("Qualité des données does not show the quarter in collection")
	} else {
		_, row, _ := excelize.CellNameToCoordinates(c)
		owed := map[string]string{}
		for r := row + 2; r < row+7; r++ {
			k, _ := f.GetCellValue("Qualité des données", ref(t, 1, r))
			v, _ := f.GetCellValue("Qualité des données", ref(t, 2, r))
			owed[k] = v
		}
		if owed["CRM"] != "3" || owed["ITO"] != "2" || owed["KPO"] != "0" {
			t.Errorf("returns owed by sector %v; want CRM 3, ITO 2, the others 0", owed)
		}
	}
	// Méthodologie says which rule chose the as-of, with what coverage, and
	// when the release was fixed.
	rule := "T4 2018 est le dernier trimestre dont les déclarations reçues couvrent, comme pour chacun des trois trimestres qui le précèdent, au moins 90 % des déclarants attendus (actifs le trimestre précédent) et 95 % des effectifs du trimestre précédent : 93 % des déclarants attendus (13 sur 14), 97 % des effectifs." +
		" Trimestre officiel depuis le 11/02/2019 ; chiffres arrêtés au 11/02/2019, sur les déclarations reçues à cette date, les déclarants attendus manquants étant reconduits (imputés) ; 4 fichier(s) reçu(s) depuis pour ce trimestre ou les précédents entreront dans la publication suivante ou à la prochaine échéance de dépôt."
	if c := findText(t, f, "Méthodologie", "Choix du trimestre"); c == "" || findText(t, f, "Méthodologie", rule) == "" {
		t.Errorf("Méthodologie lacks the as-of rule %q", rule)
	}
	// No operator-level figure anywhere: no cell equals one operator's headcount
	// except where the group holds several operators (never here: each
	// operator's headcount is a distinct multiple of 100 plus 10).
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh, excelize.Options{RawCellValue: true})
		for _, r := range rows {
			for _, v := range r {
				for id := 1; id <= 13; id++ {
					if v == fmt.Sprint(100*id+10) || v == fmt.Sprint(100*id+10)+"000" || v == fmt.Sprint(float64(100*id+10)/1000) {
						t.Errorf("sheet %s shows operator %d's figure %s", sh, id, v)
					}
				}
			}
		}
	}
}
