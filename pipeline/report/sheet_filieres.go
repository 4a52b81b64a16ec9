package report

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Columns of the annual exports table on the chart sheet, right of the jobs table.
const (
	exportsColYear = chartColTarget + 2 + iota
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
	sh, l, st, d := w.l.chartSheet, w.l, w.st, w.d
	actual := s.Get(domain.National, domain.MetricExports)
	path := map[int][]float64{} // year → projected quarters
	for _, pt := range a.Path {
		if p, err := domain.ParsePeriod(pt.Period); err == nil {
			path[p.Year()] = append(path[p.Year()], pt.Mean)
		}
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
				w.cell(sh, exportsColActual, r, d.secret, st.dataPeriod)
				continue
			}
			w.number(sh, exportsColActual, r, v/1e9, st.dataDecimal)
			if y == s.Last.Year() && !secret {
				w.number(sh, exportsColProjection, r, v/1e9, st.dataDecimal) // joins the lines
			}
		} else if secret {
			w.cell(sh, exportsColProjection, r, d.secret, st.dataPeriod)
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
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf(d.exportsChartTitle, horizon), Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 960, Height: 380},
		ShowBlanksAs: "gap",
		XAxis:        excelize.ChartAxis{Font: excelize.Font{Color: "404040", Size: 9}},
		YAxis: excelize.ChartAxis{
			MajorGridLines: true,
			Font:           excelize.Font{Color: "404040", Size: 9},
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: "#,##0.0"},
			Title:          excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.exportsAxis}}},
		},
	}))
}

// sectorChart writes, below the Filières table at row, each sector's jobs at
// the end of each year (confidential figures left blank), and draws them as
// stacked columns: the sectors' contributions to national jobs.
func (w *writer) sectorChart(s *series.Set, opts Options, row int) {
	if w.err != nil || len(s.Series) == 0 {
		return
	}
	sh, st, d := w.d.sectorsSheet, w.st, w.d
	w.cell(sh, 1, row, d.sectorChartTable, st.setTitle)
	row++
	head := row
	w.cell(sh, 1, head, w.l.period, st.dataHeader)
	for j, sec := range domain.Sectors {
		w.cell(sh, j+2, head, sec, st.dataHeader)
	}
	r := head
	for y := s.First.Year(); y <= s.Last.Year(); y++ {
		p := domain.YearEnd(y)
		if p > s.Last {
			p = s.Last // the current year so far
		}
		r++
		w.cell(sh, 1, r, p.String(), st.dataPeriod)
		hidden := w.hiddenMetric(p, domain.MetricJobs)
		for j, sec := range domain.Sectors {
			if hidden[sec] {
				w.cell(sh, j+2, r, d.secret, st.dataPeriod)
				continue
			}
			if x := s.Get(sec, domain.MetricJobs); x != nil {
				if noOperator(x, p) {
					w.cell(sh, j+2, r, none, st.dataPeriod)
					continue
				}
				w.number(sh, j+2, r, x.At(p), st.dataNumber)
			}
		}
	}
	if w.err != nil || r == head {
		return
	}
	colors := []string{"1F4E79", "2E75B6", "9DC3E6", "ED7D31", "A5A5A5"}
	var ser []excelize.ChartSeries
	for j := range domain.Sectors {
		ser = append(ser, excelize.ChartSeries{
			Name:       sheetRef(sh, j+2, head, head),
			Categories: sheetRef(sh, 1, head+1, r),
			Values:     sheetRef(sh, j+2, head+1, r),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[j%len(colors)]}},
		})
	}
	anchor, _ := excelize.CoordinatesToCellName(8, head)
	w.keep(w.f.AddChart(sh, anchor, &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    ser,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.sectorChartTitle, Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040", Size: 9},
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		XAxis: excelize.ChartAxis{Font: excelize.Font{Color: "404040", Size: 9}},
	}))
}
