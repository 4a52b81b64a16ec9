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
	last := chartRow(domain.YearEnd(2020), s.First) // categories run to the horizon's Q4
	for _, col := range []string{"B", "C", "F"} {
		for _, want := range []string{
			fmt.Sprintf("'Graphique'!$%s$%d", col, chartHeaderRow),
			fmt.Sprintf("'Graphique'!$%s$%d:$%s$%d", col, chartFirstRow, col, last),
		} {
			if !formulas[want] {
				t.Errorf("chart1.xml does not reference %s; it references %v", want, formulas)
			}
		}
	}
	if want := fmt.Sprintf("'Graphique'!$A$%d:$A$%d", chartFirstRow, last); !formulas[want] {
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
	wantText(t, f, g, "A1", fr.jobsTable)
	for p := s.First; p <= domain.YearEnd(2020); p++ {
		row := chartRow(p, s.First)
		wantText(t, f, g, ref(t, chartColPeriod, row), fr.periodName(p))
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
	// The exports table follows, in millions of dirhams (its chart's axis
	// shows milliards).
	exports := last + 2
	wantText(t, f, g, ref(t, 1, exports), fr.exportsTable)
	e := results[0].Assessments[1]
	wantText(t, f, g, ref(t, exportsColYear, exports+1), fr.year)
	for y := 2016; y <= 2020; y++ {
		row := exports + 2 + y - 2016
		wantText(t, f, g, ref(t, exportsColYear, row), fmt.Sprint(y))
		wantNumber(t, f, g, ref(t, exportsColTarget, row), e.Target/1e6)
	}
	wantNumber(t, f, g, ref(t, exportsColProjection, exports+6), e.Projected/1e6)
	if chart := zipPart(t, b, "xl/charts/chart2.xml"); !strings.Contains(chart, `formatCode="[$-40C]#,##0,"`) || !strings.Contains(chart, "Md MAD") {
		t.Error("the exports chart's axis is not in milliards (Md MAD)")
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
	if rows, _ := f.GetRows("Data"); len(rows) != dataHeaderRow {
		t.Errorf("data sheet has %d rows, want its title and header only", len(rows))
	}
	// 2020Q2 (latest) .. 2020Q4: three quarters, under the title and header.
	if rows, _ := f.GetRows("Chart"); len(rows) != 5 {
		t.Errorf("chart table has %d rows, want 5", len(rows))
	}
	if _, formulas := chartPart(t, b); !formulas["'Chart'!$C$3:$C$5"] {
		t.Error("chart does not reference the projection column")
	}
}
