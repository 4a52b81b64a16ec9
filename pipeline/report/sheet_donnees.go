package report

import (
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// data writes the data sheet: one row per period from s.First to s.Last, one
// column per series in s.Series order (national first), values in persons
// and MAD as the series hold them; a quarter with no return is empty. With a
// panel, a sector built from too few operators in a quarter is hidden ("s"),
// with the secondary suppression that keeps it from being derived from the
// national total.
func (w *writer) data(s *series.Set, opts Options) {
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
				if w.hiddenMetric(p, s.Series[j].Metric)[s.Series[j].Sector] {
					w.cell(sh, j+2, row, w.l.secret, st.dataPeriod)
					continue
				}
				if noOperator(&s.Series[j], p) {
					w.cell(sh, j+2, row, none, st.dataPeriod)
					continue
				}
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
func periodRow(p, first domain.Period) int { return int(p-first) + 2 }

// noOperator reports whether no operator (reported or carried forward) is
// behind x's value for p while other series have some: the figure is néant
// ("–"), not 0. A series built without coverage (no Operators) never is.
func noOperator(x *series.Series, p domain.Period) bool {
	i := int(p - x.Start)
	if i < 0 || i >= len(x.Operators) || i >= len(x.Imputed) || math.IsNaN(x.Values[i]) {
		return false
	}
	return x.Operators[i]+x.Imputed[i] == 0
}
