package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

func TestMinistryAssessmentNumbers(t *testing.T) {
	results := fixtureResults()
	f, _ := build(t, results, fixtureSet(), fixtureOptions("fr"))
	const sum = "Synthèse"
	for _, res := range results {
		for _, a := range res.Assessments {
			t.Run(a.TargetID, func(t *testing.T) {
				row := findRow(t, f, sum, a.TargetID)
				div := 1.0
				if a.Metric != domain.MetricJobs {
					div = 1e6
				}
				baseline := a.Baseline / div
				if a.Kind == domain.KindCumulative {
					baseline = math.NaN() // no baseline: empty, not 0
				}
				for _, c := range []struct {
					col  int
					want float64
				}{
					{colBaseline, baseline},
					{colLatest, a.Latest / div},
					{colTarget, a.Target / div},
					{colProjected, a.Projected / div},
					{colLo80, a.Lo80 / div},
					{colHi80, a.Hi80 / div},
					{colPMeet, a.PMeet},
				} {
					wantNumber(t, f, sum, ref(t, c.col, row), c.want)
				}
				horizon, _ := strconv.ParseFloat(a.Horizon, 64)
				wantNumber(t, f, sum, ref(t, colHorizon, row), horizon)
				for col, g := range map[int]*float64{colRequiredGrowth: a.RequiredGrowth, colObservedGrowth: a.ObservedGrowth} {
					want := math.NaN()
					if g != nil {
						want = *g
					}
					wantNumber(t, f, sum, ref(t, col, row), want)
				}
				wantText(t, f, sum, ref(t, colLabel, row), a.Label)
				wantText(t, f, sum, ref(t, colLatestPeriod, row), a.LatestPeriod.String())
				wantText(t, f, sum, ref(t, colModel, row), a.Model)
			})
		}
	}
}

func TestMinistryFormats(t *testing.T) {
	results := fixtureResults()
	f, _ := build(t, results, fixtureSet(), fixtureOptions("fr"))
	const sum = "Synthèse"
	format := func(cell string) (*excelize.Style, int) {
		t.Helper()
		id, err := f.GetCellStyle(sum, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s, id
	}

	fills := map[forecast.Status]string{}
	for _, res := range results {
		for _, a := range res.Assessments {
			row := findRow(t, f, sum, a.TargetID)
			s, _ := format(ref(t, colStatus, row))
			if len(s.Fill.Color) != 1 || s.Fill.Pattern != 1 {
				t.Fatalf("%s: status fill = %+v, want one solid colour", a.TargetID, s.Fill)
			}
			fills[a.Status] = strings.ToUpper(s.Fill.Color[0])
			if n, _ := format(ref(t, colTarget, row)); n.NumFmt != numFmtInteger {
				t.Errorf("%s: target number format %d, want %d (#,##0)", a.TargetID, n.NumFmt, numFmtInteger)
			}
			if n, _ := format(ref(t, colPMeet, row)); n.NumFmt != numFmtPercent {
				t.Errorf("%s: probability number format %d, want %d (0%%)", a.TargetID, n.NumFmt, numFmtPercent)
			}
		}
	}
	want := map[string]string{"met": "63BE7B", "on_track": "C6EFCE", "at_risk": "FFC000", "off_track": "FF7C80", "unknown": "D9D9D9"}
	if fmt.Sprint(fills) != fmt.Sprint(want) {
		t.Errorf("status fills = %v, want %v", fills, want)
	}
	seen := map[string]forecast.Status{}
	for st, c := range fills {
		if other, dup := seen[c]; dup {
			t.Errorf("statuses %s and %s share fill %s", st, other, c)
		}
		seen[c] = st
	}

	panes, err := f.GetPanes(sum)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != rowFirstBlock+1 || panes.XSplit != 1 {
		t.Errorf("summary panes = %+v, want frozen below the first header row and after column A", panes)
	}
	if w, _ := f.GetColWidth(sum, "A"); w < 30 {
		t.Errorf("column A width = %v, want the labels to fit", w)
	}

	// The generation date is a real date: the wall clock of GeneratedAt.
	v, numeric := raw(t, f, sum, ref(t, colSector, rowGeneratedAt))
	serial, _ := strconv.ParseFloat(v, 64)
	wantSerial := 44058 + 2.5/24.0 // 2020-08-15 02:30
	if !numeric || math.Abs(serial-wantSerial) > 1e-9 {
		t.Errorf("generation date = %q, want the serial %v", v, wantSerial)
	}
	wantText(t, f, sum, ref(t, colSector, rowGeneratedAt), "15/08/2020 02:30")
	wantText(t, f, sum, ref(t, colMetric, rowGeneratedAt), "UTC+01:00")
}

// TestClosedTargetIsJudged: a target whose horizon is past reads
// "Atteinte"/"Non atteinte" with its actual and gap, and no projection,
// interval, probability nor model; the legend explains the status.
func TestClosedTargetIsJudged(t *testing.T) {
	results := fixtureResults()
	a := &results[0].Assessments[0]
	actual, gap := 120000.0, 120000.0-a.Target
	a.Closed, a.Actual, a.Gap, a.Status, a.Latest, a.LatestPeriod, a.Model = true, &actual, &gap, assess.StatusNotAchieved, actual, domain.NewPeriod(2020, 4), ""
	a.Path = nil
	f, _ := build(t, results, fixtureSet(), fixtureOptions("fr"))
	row := findRow(t, f, "Synthèse", a.TargetID)
	wantText(t, f, "Synthèse", ref(t, colStatus, row), "Non atteinte")
	wantNumber(t, f, "Synthèse", ref(t, colLatest, row), actual)
	wantNumber(t, f, "Synthèse", ref(t, colGap, row), gap)
	for _, col := range []int{colProjected, colLo80, colHi80, colPMeet, colModel} {
		wantText(t, f, "Synthèse", ref(t, col, row), "")
	}
	if cells, _ := f.SearchSheet("Synthèse", "^Non atteinte$", true); len(cells) != 2 {
		t.Errorf("Non atteinte in %v: want the target's status and the legend", cells)
	}
}
