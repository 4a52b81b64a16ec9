package report

import (
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// regions writes the Régions sheet: jobs by region at the latest period.
func (w *writer) regions(s *series.Set, opts Options) {
	sh, l := w.l.regionsSheet, w.l
	p := s.Last
	row := w.sheetStart(sh, l.regionsTitle, p.String())
	gs := groupBy(opts.Panel, p, func(r *domain.Return) string { return r.Region })
	keys := regionKeys(opts.Regions, gs)
	extra := func(region string) []any { return []any{exportsOf(gs, region)} }
	cols := []tableCol{{l.regionCols[0], kindText, 30}, {l.regionCols[1], kindInt, 13}, {l.regionCols[2], kindInt, 13},
		{l.regionCols[3], kindInt, 13}, {l.regionCols[4], kindPercent, 12}, {l.regionCols[5], kindPercent, 12}, {l.regionCols[6], kindMMAD, 18}}
	rows := w.breakdown(keys, func(k string) string { return k }, gs, extra, opts, p, func(r *domain.Return) string { return r.Region })
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.cell(sh, 1, row+1, secretNote(l, opts), w.st.note)
}
