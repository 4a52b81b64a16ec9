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

// chart writes the source table of the national jobs chart to the chart
// sheet and draws the chart on the summary sheet at row. The quarters run
// from the series' first period to the horizon's Q4 (or further, when the
// series or the path do).
func (w *writer) chart(a *assess.Assessment, s *series.Set, row int, set string) {
	if w.err != nil {
		return
	}
	secret := w.targetHidden(a, w.opts.BaselineYears[set]) // the projection would reveal the hidden actuals
	sh, l, st := w.l.chartSheet, w.l, w.st
	latest, err := domain.ParsePeriod(a.LatestPeriod)
	if err != nil {
		w.keep(fmt.Errorf("assessment %s: latest period: %w", a.TargetID, err))
		return
	}
	proj := map[domain.Period]assess.PathPoint{
		// The projection starts at the latest actual, so that its line joins the actual one.
		latest: {Period: a.LatestPeriod, Mean: a.Latest, Lo80: a.Latest, Hi80: a.Latest},
	}
	first, last := latest, latest
	for _, pt := range a.Path {
		p, err := domain.ParsePeriod(pt.Period)
		if err != nil {
			w.keep(fmt.Errorf("assessment %s: path: %w", a.TargetID, err))
			return
		}
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
				w.cell(sh, chartColActual, r, w.d.secret, st.dataPeriod)
			} else {
				w.number(sh, chartColActual, r, actual.At(p), st.dataNumber)
			}
		}
		if pt, ok := proj[p]; ok && secret {
			w.cell(sh, chartColProjection, r, w.d.secret, st.dataPeriod)
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
