package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// sectors writes the Filières sheet: each sector's jobs and exports at the
// latest period, growth over a year, share, contribution to job growth since
// the baseline year, and the projection when a target covers the sector.
func (w *writer) sectors(results []*assess.Result, s *series.Set, opts Options) {
	sh, l := w.l.sectorsSheet, w.l
	p := s.Last
	cols := []tableCol{{l.sectorCols[0], kindText, 10}, {l.sectorCols[1], kindInt, 10}, {l.sectorCols[2], kindInt, 8},
		{l.sectorCols[3], kindInt, 8}, {l.sectorCols[4], kindPercent, 9}, {l.sectorCols[5], kindPercent, 8},
		{"", kindPercent, 11}, {l.sectorCols[7], kindMDH, 11}, {l.sectorCols[8], kindInt, 11}}
	w.setWidths(sh, cols)
	row := 4
	chartRow := w.sectorChartRow(row, opts)
	w.sheetStart(sh, l.sectorsTitle, l.periodName(p), layout{landscape: true, rowBreaks: []int{chartRow}})
	base := 0
	if len(results) > 0 {
		base = opts.BaselineYears[results[0].TargetSet]
	}
	gs := groupBy(opts.Panel, p, sectorOf)
	baseJobs := func(sector string) float64 {
		if base == 0 {
			return nan
		}
		if x := s.Get(sector, domain.MetricJobs); x != nil {
			return x.At(domain.YearEnd(base))
		}
		return nan
	}
	natGrowth := s.Get(domain.National, domain.MetricJobs).At(p) - baseJobs(domain.National)
	projected := func(sector string) any {
		for _, r := range results {
			for _, a := range r.Assessments {
				if a.Sector == sector && a.Metric == domain.MetricJobs {
					if w.targetHidden(&a, opts.BaselineYears[r.TargetSet]) {
						return secretCell{} // hidden on the Synthèse
					}
					return a.Projected
				}
			}
		}
		return nan
	}
	extra := func(sector string) []any {
		sec := sector
		if sec == "" {
			sec = domain.National
		}
		var contrib any = nan
		if x := s.Get(sec, domain.MetricJobs); x != nil {
			contrib = share(x.At(p)-baseJobs(sec), natGrowth)
		}
		if base != 0 && (w.hiddenMetric(domain.YearEnd(base), domain.MetricJobs)[sec] || w.hiddenMetric(domain.YearEnd(base), domain.MetricJobs)[domain.National]) {
			contrib = secretCell{} // the baseline year's jobs were confidential
		}
		return []any{contrib, exportsOf(gs, sector), projected(sec)}
	}
	cols[6].header = fmt.Sprintf(l.sectorCols[6], base)
	rows := w.breakdown(opts.sectors(), gs, extra, opts, p, sectorOf)
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.paragraph(sh, row+1, 1, len(cols), secretNote(l, opts), w.st.note, sizeText, false)
	w.sectorChart(s, opts, chartRow)
}

// sectorChartRow is the row the sectors' chart table starts at, on a page
// of its own: after the sectors' table from row, its total and the note.
func (w *writer) sectorChartRow(row int, opts Options) int {
	return row + 1 + len(opts.sectors()) + 1 + 3
}

// sectorChart writes, on the page after the Filières table, from row, each
// sector's jobs at the end of each year (confidential figures left blank),
// and draws them beside it as stacked columns: the sectors' contributions
// to national jobs.
func (w *writer) sectorChart(s *series.Set, opts Options, row int) {
	if w.err != nil || len(s.Series) == 0 {
		return
	}
	sh, st, l := w.l.sectorsSheet, w.st, w.l
	w.paragraph(sh, row, 1, 1+len(opts.sectors()), l.sectorChartTable, st.setTitle, sizeSetTitle, true)
	row++
	head := row
	w.header(sh, head, 1, append([]string{w.l.period}, opts.sectors()...))
	r := head
	for y := s.First.Year(); y <= s.Last.Year(); y++ {
		p := domain.YearEnd(y)
		if p > s.Last {
			p = s.Last // the current year so far
		}
		r++
		w.cell(sh, 1, r, l.periodName(p), st.dataPeriod)
		hidden := w.hiddenMetric(p, domain.MetricJobs)
		for j, sec := range opts.sectors() {
			if hidden[sec] {
				w.cell(sh, j+2, r, l.secret, st.dataPeriod)
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
	for j := range opts.sectors() {
		ser = append(ser, excelize.ChartSeries{
			Name:       sheetRef(sh, j+2, head, head),
			Categories: sheetRef(sh, 1, head+1, r),
			Values:     sheetRef(sh, j+2, head+1, r),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[j%len(colors)]}},
		})
	}
	// Beside the table, as wide as the page leaves it (spanPx).
	col := len(opts.sectors()) + 3
	room := (pageWidth(true) - w.span(sh, 1, col-1)) * 7
	anchor, _ := excelize.CoordinatesToCellName(col, head)
	w.keep(w.f.AddChart(sh, anchor, &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    ser,
		Title:     chartTitleText(l.sectorChartTitle),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: uint(min(room, 640)), Height: 400},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: chartFont(),
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: l.formats.integer}, Title: axisTitle(l.yAxis)},
		XAxis: excelize.ChartAxis{Font: chartFont()},
	}))
}
