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
	row := w.sheetStart(sh, l.sectorsTitle, p.String())
	base := 0
	if len(results) > 0 {
		base = opts.BaselineYears[results[0].TargetSet]
	}
	gs := groupBy(opts.Panel, p, func(r *domain.Return) string { return r.Sector })
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
	cols := []tableCol{{l.sectorCols[0], kindText, 22}, {l.sectorCols[1], kindInt, 13}, {l.sectorCols[2], kindInt, 13},
		{l.sectorCols[3], kindInt, 13}, {l.sectorCols[4], kindPercent, 12}, {l.sectorCols[5], kindPercent, 12},
		{fmt.Sprintf(l.sectorCols[6], base), kindPercent, 16}, {l.sectorCols[7], kindMMAD, 18}, {l.sectorCols[8], kindInt, 16}}
	rows := w.breakdown(opts.sectors(), func(k string) string { return k }, gs, extra, opts, p, func(r *domain.Return) string { return r.Sector })
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.cell(sh, 1, row+1, secretNote(l, opts), w.st.note)
	w.sectorChart(s, opts, row+3)
}

// sectorChart writes, below the Filières table at row, each sector's jobs at
// the end of each year (confidential figures left blank), and draws them as
// stacked columns: the sectors' contributions to national jobs.
func (w *writer) sectorChart(s *series.Set, opts Options, row int) {
	if w.err != nil || len(s.Series) == 0 {
		return
	}
	sh, st, l := w.l.sectorsSheet, w.st, w.l
	w.cell(sh, 1, row, l.sectorChartTable, st.setTitle)
	row++
	head := row
	w.cell(sh, 1, head, w.l.period, st.dataHeader)
	for j, sec := range opts.sectors() {
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
	anchor, _ := excelize.CoordinatesToCellName(8, head)
	w.keep(w.f.AddChart(sh, anchor, &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    ser,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: l.sectorChartTitle, Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040", Size: 9},
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		XAxis: excelize.ChartAxis{Font: excelize.Font{Color: "404040", Size: 9}},
	}))
}
