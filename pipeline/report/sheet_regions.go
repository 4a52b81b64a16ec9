package report

import "github.com/offshore-ma/offshore/pipeline/series"

// regions writes the Régions sheet: jobs by region at the latest period. It
// prints on A4 portrait.
func (w *writer) regions(s *series.Set, opts Options) {
	sh, l := w.l.regionsSheet, w.l
	p := s.Last
	cols := []tableCol{{l.regionCols[0], kindText, 20}, {l.regionCols[1], kindInt, 10}, {l.regionCols[2], kindInt, 8},
		{l.regionCols[3], kindInt, 8}, {l.regionCols[4], kindPercent, 9}, {l.regionCols[5], kindPercent, 8}, {l.regionCols[6], kindMDH, 11}}
	w.setWidths(sh, cols)
	row := w.sheetStart(sh, l.regionsTitle, l.periodName(p), layout{})
	gs := groupBy(opts.Panel, p, regionOf)
	keys := regionKeys(opts.Regions, gs)
	extra := func(region string) []any { return []any{exportsOf(gs, region)} }
	rows := w.breakdown(keys, gs, extra, opts, p, regionOf)
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.paragraph(sh, row+1, 1, len(cols), secretNote(l, opts), w.st.note, sizeText, false)
}
