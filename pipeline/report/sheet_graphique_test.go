package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

func TestMinistryChart(t *testing.T) {
	s := fixtureSet()
	results := fixtureResults()
	f, b := build(t, results, s, fixtureOptions("fr"))

	chart, formulas := chartPart(t, b)
	if !strings.Contains(chart, "<lineChart>") {
		t.Error("chart1.xml holds no line chart")
	}
	last := int(domain.YearEnd(2020)-s.First) + 2 // categories run to the horizon's Q4
	for _, col := range []string{"B", "C", "F"} {
		for _, want := range []string{
			fmt.Sprintf("'Graphique'!$%s$1", col),
			fmt.Sprintf("'Graphique'!$%s$2:$%s$%d", col, col, last),
		} {
			if !formulas[want] {
				t.Errorf("chart1.xml does not reference %s; it references %v", want, formulas)
			}
		}
	}
	if want := fmt.Sprintf("'Graphique'!$A$2:$A$%d", last); !formulas[want] {
		t.Errorf("chart1.xml does not use the categories %s", want)
	}
	// The chart is drawn on the summary sheet.
	rels := zipPart(t, b, "xl/worksheets/_rels/sheet1.xml.rels")
	if !strings.Contains(rels, "drawing") {
		t.Errorf("the summary sheet (sheet1) has no drawing: %s", rels)
	}

	// Its source table.
	const g = "Graphique"
	a := results[0].Assessments[0]
	actual := s.Get(domain.National, domain.MetricJobs)
	path := map[domain.Period]assess.PathPoint{a.LatestPeriod: {Mean: a.Latest, Lo80: a.Latest, Hi80: a.Latest}}
	for _, pt := range a.Path {
		path[pt.Period] = pt
	}
	for p := s.First; p <= domain.YearEnd(2020); p++ {
		row := int(p-s.First) + 2
		wantText(t, f, g, ref(t, chartColPeriod, row), p.String())
		wantNumber(t, f, g, ref(t, chartColActual, row), actual.At(p))
		pt, ok := path[p]
		if !ok {
			pt = assess.PathPoint{Mean: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN()}
		}
		wantNumber(t, f, g, ref(t, chartColProjection, row), pt.Mean)
		wantNumber(t, f, g, ref(t, chartColLo80, row), pt.Lo80)
		wantNumber(t, f, g, ref(t, chartColHi80, row), pt.Hi80)
		wantNumber(t, f, g, ref(t, chartColTarget, row), a.Target)
	}
	if rows, _ := f.GetRows(g); len(rows) != last {
		t.Errorf("chart table has %d rows, want %d", len(rows), last)
	}
}

func TestMinistryNoNationalJobs(t *testing.T) {
	results := fixtureResults()
	// Only sector targets and national exports in the main set: no chart.
	results[0].Assessments = results[0].Assessments[1:]
	f, b := build(t, results, fixtureSet(), fixtureOptions("fr"))
	if got := strings.Join(f.GetSheetList(), "|"); got != "Synthèse|Évolution|Méthodologie|Données" {
		t.Errorf("sheets = %s, want no chart sheet", got)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/") {
			t.Errorf("unexpected chart part %s", zf.Name)
		}
	}
}

// TestMinistryEmptySeries: a set without series still gives a workbook whose
// chart shows the projection and the target.
func TestMinistryEmptySeries(t *testing.T) {
	f, b := build(t, fixtureResults(), &series.Set{}, fixtureOptions("en"))
	if rows, _ := f.GetRows("Data"); len(rows) != 1 {
		t.Errorf("data sheet has %d rows, want the header only", len(rows))
	}
	// 2020Q2 (latest) .. 2020Q4: three quarters.
	if rows, _ := f.GetRows("Chart"); len(rows) != 4 {
		t.Errorf("chart table has %d rows, want 4", len(rows))
	}
	if _, formulas := chartPart(t, b); !formulas["'Chart'!$C$2:$C$4"] {
		t.Error("chart does not reference the projection column")
	}
}
