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

// Columns of the annual exports table on the chart sheet, under the jobs
// table.
const (
	exportsColYear = chartColPeriod + iota
	exportsColActual
	exportsColProjection
	exportsColLo80
	exportsColHi80
	exportsColTarget
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

// The chart sheet holds the charts' source tables, one under the other
// (it prints on one A4 portrait page): each has a title with its unit, a
// header row, then its rows.
const (
	chartTitleRow  = 1 // the jobs table's title
	chartHeaderRow = 2 // its header
	chartFirstRow  = 3 // its first quarter
)

// chartRows is the rows a chart takes on the Synthèse (280 px, rows of
// 20 px, and two between: LibreOffice draws rows a little shorter than
// Excel, and with one the first chart's legend touched the second chart),
// and the charts' height: both fit one landscape page.
const (
	chartRows   = 16
	chartHeight = 280
)

// chartWidth is the width of the Synthèse's charts, in pixels: its
// table's (spanPx).
func (w *writer) chartWidth() uint {
	return uint(w.spanPx(w.l.summarySheet, colLabel, colLast)) - 8
}

// jobsChart writes the source table of the national jobs chart to the chart
// sheet and draws the chart on the summary sheet at row. The quarters run
// from the series' first period to the horizon's Q4 (or further, when the
// series or the path do). It returns the chart sheet's first free row.
func (w *writer) jobsChart(a *assess.Assessment, s *series.Set, row int, set string) int {
	if w.err != nil {
		return 0
	}
	secret := w.targetHidden(a, w.opts.BaselineYears[set]) // the projection would reveal the hidden actuals
	sh, l, st := w.l.chartSheet, w.l, w.st
	latest := a.LatestPeriod
	if latest == 0 {
		w.keep(fmt.Errorf("assessment %s: no latest period", a.TargetID))
		return 0
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

	w.width(sh, chartColPeriod, 10)
	for col := chartColActual; col <= chartColTarget; col++ {
		w.width(sh, col, 11)
	}
	target, inTitle := l.cible, l.cibleInTitle
	if herr == nil {
		target, inTitle = fmt.Sprintf(l.cibleYear, horizon), fmt.Sprintf(l.cibleYearInTitle, horizon)
	}
	w.paragraph(sh, chartTitleRow, chartColPeriod, chartColTarget, l.jobsTable, st.setTitle, sizeSetTitle, true)
	w.header(sh, chartHeaderRow, chartColPeriod, []string{l.period, l.actual, l.projection, l.lo80, l.hi80, target})
	actual := s.Get(domain.National, domain.MetricJobs)
	r := chartFirstRow
	for p := first; p <= last; p++ {
		r = chartRow(p, first)
		w.cell(sh, chartColPeriod, r, l.periodName(p), st.dataPeriod)
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
	if w.err != nil {
		return 0
	}

	lastRow := chartRow(last, first)
	line := func(col int, color string, width float64, dash excelize.LineDashType) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       sheetRef(sh, col, chartHeaderRow, chartHeaderRow),
			Categories: sheetRef(sh, chartColPeriod, chartFirstRow, lastRow),
			Values:     sheetRef(sh, col, chartFirstRow, lastRow),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Line:       excelize.LineOptions{Width: width, Dash: dash},
			Marker:     excelize.ChartMarker{Symbol: "none"},
		}
	}
	// At most 12 quarter labels, one every 1, 2, 4 or 8 quarters.
	skip := 1
	for n := lastRow - chartFirstRow + 1; (n+skip-1)/skip > 12; {
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
		Title:        chartTitleText(title),
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: w.chartWidth(), Height: chartHeight},
		ShowBlanksAs: "gap",
		XAxis: excelize.ChartAxis{
			TickLabelSkip: skip,
			Font:          chartFont(),
			Alignment:     excelize.Alignment{TextRotation: -45}, // "T1 2015" on one line, never broken
			Title:         axisTitle(l.xAxis),
		},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           chartFont(),
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: l.formats.integer},
			Title:          axisTitle(l.yAxis),
		},
	}))
	return lastRow + 2
}

// chartRow is the row of period p in the jobs table, whose first row
// holds period first.
func chartRow(p, first domain.Period) int { return int(p-first) + chartFirstRow }

// header writes a row of table headers from column col, as tall as they
// need.
func (w *writer) header(sh string, row, col int, heads []string) {
	lines := 1
	for i, h := range heads {
		w.cell(sh, col+i, row, h, w.st.dataHeader)
		lines = max(lines, textLines(h, w.colWidth(sh, col+i), sizeHeader, true))
	}
	w.fitRow(sh, row, lines, sizeHeader)
}

// chartTitleText, chartFont and axisTitle are the charts' words, at sizes
// that print legibly: the charts print at 100 % too.
func chartTitleText(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: sizeSetTitle, Family: "Calibri"}}}}
}

func chartFont() excelize.Font {
	return excelize.Font{Color: "404040", Size: sizeText, Family: "Calibri"}
}

func axisTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Size: sizeText, Family: "Calibri", Color: "404040"}}}}
}

// exportsChart draws the national exports target year by year: the actual
// exports of each full year, the projection of each future year (the sum
// of its quarters' projections; the horizon's with its 80 % interval) and
// the target. The source table goes to the chart sheet at tableRow (in
// millions of dirhams, as every table), the chart to the summary sheet at
// row (its axis in milliards, as every chart).
func (w *writer) exportsChart(a *assess.Assessment, s *series.Set, row, tableRow int, set string) {
	horizon, err := strconv.Atoi(a.Horizon)
	if err != nil || w.err != nil || len(s.Series) == 0 || tableRow == 0 {
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
	w.paragraph(sh, tableRow, exportsColYear, exportsColTarget, l.exportsTable, st.setTitle, sizeSetTitle, true)
	head := tableRow + 1
	w.header(sh, head, exportsColYear, []string{l.year, l.actual, l.projection, l.lo80, l.hi80, fmt.Sprintf(l.cibleYear, horizon)})
	r := head
	for y := first; y <= horizon; y++ {
		r++
		w.cell(sh, exportsColYear, r, strconv.Itoa(y), st.dataPeriod)
		if v, ok := series.Annual(actual, y); ok {
			if w.yearHidden(domain.National, domain.MetricExports, y) {
				w.cell(sh, exportsColActual, r, l.secret, st.dataPeriod)
				continue
			}
			w.number(sh, exportsColActual, r, v/1e6, st.dataNumber)
			if y == s.Last.Year() && !secret {
				w.number(sh, exportsColProjection, r, v/1e6, st.dataNumber) // joins the lines
			}
		} else if secret {
			w.cell(sh, exportsColProjection, r, l.secret, st.dataPeriod)
		} else if y == horizon {
			w.number(sh, exportsColProjection, r, a.Projected/1e6, st.dataNumber)
			w.number(sh, exportsColLo80, r, a.Lo80/1e6, st.dataNumber)
			w.number(sh, exportsColHi80, r, a.Hi80/1e6, st.dataNumber)
		} else if q := path[y]; len(q) == 4 {
			w.number(sh, exportsColProjection, r, (q[0]+q[1]+q[2]+q[3])/1e6, st.dataNumber)
		}
		w.number(sh, exportsColTarget, r, a.Target/1e6, st.dataNumber)
	}
	if w.err != nil {
		return
	}
	line := func(col int, color string, width float64, dash excelize.LineDashType, marker string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name: sheetRef(sh, col, head, head), Categories: sheetRef(sh, exportsColYear, head+1, r), Values: sheetRef(sh, col, head+1, r),
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
		Title:        chartTitleText(fmt.Sprintf(l.exportsChartTitle, horizon)),
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: w.chartWidth(), Height: chartHeight},
		ShowBlanksAs: "gap",
		XAxis:        excelize.ChartAxis{Font: chartFont()},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           chartFont(),
			// The table's millions shown in milliards: "," divides by 1,000.
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: l.formats.integer + ","},
			Title:  axisTitle(l.exportsAxis),
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
