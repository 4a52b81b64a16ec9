package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Columns of the chart's source table.
const (
	chartColPeriod = iota + 1
	chartColActual
	chartColProjection
	chartColLo80
	chartColHi80
	chartColTarget
)

// nationalMetric returns the national assessment of metric in r, or nil.
func nationalMetric(r *assess.Result, metric domain.Metric) *assess.Assessment {
	for i := range r.Assessments {
		if a := &r.Assessments[i]; a.Metric == metric && a.Sector == domain.National {
			return a
		}
	}
	return nil
}

// jobsChart writes the source table of the national jobs chart to the chart
// sheet and draws the chart on the summary sheet at row. The quarters run
// from the series' first period to the horizon's Q4 (or further, when the
// series or the path do).
func (w *writer) jobsChart(a *assess.Assessment, s *series.Set, row int, set string) {
	if w.err != nil {
		return
	}
	secret := w.targetHidden(a, w.opts.BaselineYears[set]) // the projection would reveal the hidden actuals
	sh, l, st := w.l.chartSheet, w.l, w.st
	latest := a.LatestPeriod
	if latest == 0 {
		w.keep(fmt.Errorf("assessment %s: no latest period", a.TargetID))
		return
	}
	proj := map[domain.Period]assess.PathPoint{
		// The projection starts at the latest actual, so that its line joins the actual one.
		latest: {Period: a.LatestPeriod, Mean: a.Latest, Lo80: a.Latest, Hi80: a.Latest},
	}
	first, last := latest, latest
	for _, pt := range a.Path {
		p := pt.Period
		proj[p] = pt
		last = max(last, p)
	}
	horizon, herr := strconv.Atoi(a.Horizon)
	if herr == nil {
		last = max(last, domain.YearEnd(horizon))
	}
	if len(s.Series) > 0 {
		first, last = min(first, s.First), max(last, s.Last)
	}

	target, inTitle := l.cible, l.cibleInTitle
	if herr == nil {
		target, inTitle = fmt.Sprintf(l.cibleYear, horizon), fmt.Sprintf(l.cibleYearInTitle, horizon)
	}
	for i, h := range []string{l.period, l.actual, l.projection, l.lo80, l.hi80, target} {
		w.cell(sh, chartColPeriod+i, 1, h, st.dataHeader)
	}
	actual := s.Get(domain.National, domain.MetricJobs)
	for p := first; p <= last; p++ {
		r := periodRow(p, first)
		w.cell(sh, chartColPeriod, r, p.String(), st.dataPeriod)
		if actual != nil {
			if w.hiddenMetric(p, domain.MetricJobs)[domain.National] {
				w.cell(sh, chartColActual, r, w.l.secret, st.dataPeriod)
			} else {
				w.number(sh, chartColActual, r, actual.At(p), st.dataNumber)
			}
		}
		if pt, ok := proj[p]; ok && secret {
			w.cell(sh, chartColProjection, r, w.l.secret, st.dataPeriod)
		} else if ok {
			w.number(sh, chartColProjection, r, pt.Mean, st.dataNumber)
			w.number(sh, chartColLo80, r, pt.Lo80, st.dataNumber)
			w.number(sh, chartColHi80, r, pt.Hi80, st.dataNumber)
		}
		w.number(sh, chartColTarget, r, a.Target, st.dataNumber)
	}
	w.keep(w.f.SetRowHeight(sh, 1, 30))
	w.width(sh, chartColPeriod, 10)
	for col := chartColActual; col <= chartColTarget; col++ {
		w.width(sh, col, 16)
	}
	if w.err != nil {
		return
	}

	lastRow := periodRow(last, first)
	line := func(col int, color string, width float64, dash excelize.LineDashType) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       sheetRef(sh, col, 1, 1),
			Categories: sheetRef(sh, chartColPeriod, 2, lastRow),
			Values:     sheetRef(sh, col, 2, lastRow),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Line:       excelize.LineOptions{Width: width, Dash: dash},
			Marker:     excelize.ChartMarker{Symbol: "none"},
		}
	}
	// At most 16 quarter labels, one every 1, 2, 4 or 8 quarters.
	skip := 1
	for n := lastRow - 1; (n+skip-1)/skip > 16; {
		skip *= 2
	}
	title := fmt.Sprintf(l.chartTitle, inTitle)
	anchor, _ := excelize.CoordinatesToCellName(colLabel, row)
	w.keep(w.f.AddChart(w.l.summarySheet, anchor, &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{
			line(chartColActual, "1F4E79", 2.25, excelize.LineDashSolid),
			line(chartColProjection, "ED7D31", 2.25, excelize.LineDashDash),
			line(chartColLo80, "7F7F7F", 1, excelize.LineDashSysDot),
			line(chartColHi80, "7F7F7F", 1, excelize.LineDashSysDot),
			line(chartColTarget, "C00000", 1.5, excelize.LineDashSolid),
		},
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 960, Height: 420},
		ShowBlanksAs: "gap",
		XAxis: excelize.ChartAxis{
			TickLabelSkip: skip,
			Font:          excelize.Font{Color: "404040", Size: 9},
			Title:         excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: l.xAxis}}},
		},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           excelize.Font{Color: "404040", Size: 9},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: "#,##0"},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: l.yAxis}}},
		},
	}))
}

// Columns of the annual exports table on the chart sheet, right of the jobs table.
const (
	exportsColYear = chartColTarget + 2 + iota
	exportsColActual
	exportsColProjection
	exportsColLo80
	exportsColHi80
	exportsColTarget
)

// exportsChart draws the national exports target year by year, in billions
// of MAD: the actual exports of each full year, the projection of each
// future year (the sum of its quarters' projections; the horizon's with its
// 80 % interval) and the target. The source table goes to the chart sheet,
// the chart to the summary sheet at row.
func (w *writer) exportsChart(a *assess.Assessment, s *series.Set, row int, set string) {
	horizon, err := strconv.Atoi(a.Horizon)
	if err != nil || w.err != nil || len(s.Series) == 0 {
		return
	}
	secret := w.targetHidden(a, w.opts.BaselineYears[set]) // the projection would reveal the hidden actuals
	sh, l, st := w.l.chartSheet, w.l, w.st
	actual := s.Get(domain.National, domain.MetricExports)
	path := map[int][]float64{} // year → projected quarters
	for _, pt := range a.Path {
		path[pt.Period.Year()] = append(path[pt.Period.Year()], pt.Mean)
	}
	first := s.First.Year()
	if s.First.Quarter() != 1 {
		first++
	}
	heads := []string{l.period, l.actual, l.projection, l.lo80, l.hi80, fmt.Sprintf(l.cibleYear, horizon)}
	for i, h := range heads {
		w.cell(sh, exportsColYear+i, 1, h, st.dataHeader)
	}
	r := 1
	for y := first; y <= horizon; y++ {
		r++
		w.cell(sh, exportsColYear, r, strconv.Itoa(y), st.dataPeriod)
		if v, ok := series.Annual(actual, y); ok {
			if w.yearHidden(domain.National, domain.MetricExports, y) {
				w.cell(sh, exportsColActual, r, l.secret, st.dataPeriod)
				continue
			}
			w.number(sh, exportsColActual, r, v/1e9, st.dataDecimal)
			if y == s.Last.Year() && !secret {
				w.number(sh, exportsColProjection, r, v/1e9, st.dataDecimal) // joins the lines
			}
		} else if secret {
			w.cell(sh, exportsColProjection, r, l.secret, st.dataPeriod)
		} else if y == horizon {
			w.number(sh, exportsColProjection, r, a.Projected/1e9, st.dataDecimal)
			w.number(sh, exportsColLo80, r, a.Lo80/1e9, st.dataDecimal)
			w.number(sh, exportsColHi80, r, a.Hi80/1e9, st.dataDecimal)
		} else if q := path[y]; len(q) == 4 {
			w.number(sh, exportsColProjection, r, (q[0]+q[1]+q[2]+q[3])/1e9, st.dataDecimal)
		}
		w.number(sh, exportsColTarget, r, a.Target/1e9, st.dataDecimal)
	}
	for col := exportsColYear; col <= exportsColTarget; col++ {
		w.width(sh, col, 14)
	}
	if w.err != nil {
		return
	}
	line := func(col int, color string, width float64, dash excelize.LineDashType, marker string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name: sheetRef(sh, col, 1, 1), Categories: sheetRef(sh, exportsColYear, 2, r), Values: sheetRef(sh, col, 2, r),
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Line:   excelize.LineOptions{Width: width, Dash: dash},
			Marker: excelize.ChartMarker{Symbol: marker, Size: 6},
		}
	}
	anchor, _ := excelize.CoordinatesToCellName(colLabel, row)
	w.keep(w.f.AddChart(w.l.summarySheet, anchor, &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{
			line(exportsColActual, "1F4E79", 2.25, excelize.LineDashSolid, "circle"),
			line(exportsColProjection, "ED7D31", 2.25, excelize.LineDashDash, "circle"),
			line(exportsColLo80, "7F7F7F", 1, excelize.LineDashSysDot, "dash"),
			line(exportsColHi80, "7F7F7F", 1, excelize.LineDashSysDot, "dash"),
			line(exportsColTarget, "C00000", 1.5, excelize.LineDashSolid, "none"),
		},
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf(l.exportsChartTitle, horizon), Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 960, Height: 380},
		ShowBlanksAs: "gap",
		XAxis:        excelize.ChartAxis{Font: excelize.Font{Color: "404040", Size: 9}},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           excelize.Font{Color: "404040", Size: 9},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: "#,##0.0"},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: l.exportsAxis}}},
		},
	}))
}

// sheetRef is an absolute reference to rows r0..r1 of column col of sheet,
// for a chart series ('Graphique'!$B$2:$B$30, or one cell when r0 == r1).
func sheetRef(sheet string, col, r0, r1 int) string {
	c, _ := excelize.ColumnNumberToName(col)
	if r0 == r1 {
		return fmt.Sprintf("%s!$%s$%d", quoteSheet(sheet), c, r0)
	}
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(sheet), c, r0, c, r1)
}

// quoteSheet quotes a sheet name for a formula reference.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
