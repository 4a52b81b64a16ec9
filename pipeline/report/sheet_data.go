package report

import (
	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// data writes the data sheet: one row per period from s.First to s.Last, one
// column per series in s.Series order (national first), values in persons
// and MAD as the series hold them; a quarter with no return is empty.
func (w *writer) data(s *series.Set) {
	sh, st := w.l.dataSheet, w.st
	w.cell(sh, 1, 1, w.l.period, st.dataHeader)
	for j := range s.Series {
		w.cell(sh, j+2, 1, w.l.seriesHeader(s.Series[j].Sector, s.Series[j].Metric), st.dataHeader)
	}
	w.keep(w.f.SetRowHeight(sh, 1, 45))
	if len(s.Series) > 0 {
		for p := s.First; p <= s.Last; p++ {
			row := periodRow(p, s.First)
			w.cell(sh, 1, row, p.String(), st.dataPeriod)
			for j := range s.Series {
				w.number(sh, j+2, row, s.Series[j].At(p), st.dataNumber)
			}
		}
	}
	w.width(sh, 1, 10)
	for j := range s.Series {
		w.width(sh, j+2, 18)
	}
	if w.err == nil {
		w.keep(w.f.SetPanes(sh, &excelize.Panes{
			Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
			Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}},
		}))
	}
}

// periodRow is the row of period p in a sheet whose first data row (row 2)
// holds period first.
func periodRow(p, first returns.Period) int { return int(p-first) + 2 }
