package report

import (
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Rows of the data sheet: its title (with the units), the header, then
// one row per quarter.
const (
	dataHeaderRow = 2
	dataFirstRow  = 3
)

// data writes the data sheet: one row per period from s.First to s.Last, one
// column per series in s.Series order (national first), jobs in persons
// and amounts in millions of dirhams (MDH, unrounded); a quarter with no
// return is empty. With a panel, a sector built from too few operators in
// a quarter is hidden ("s"), with the secondary suppression that keeps it
// from being derived from the national total. It prints on A4 landscape,
// whole sectors to a page, the quarters and the header repeated.
func (w *writer) data(s *series.Set, opts Options) {
	sh, st, l := w.l.dataSheet, w.st, w.l
	w.width(sh, 1, 9)
	for j := range s.Series {
		w.width(sh, j+2, 11) // "Investissement", in bold 8 pt, takes 10.5
	}
	// Page breaks between sectors, as many whole sectors to a page as fit.
	var breaks []int
	used := w.colWidth(sh, 1)
	for j := 0; j < len(s.Series); {
		k := j
		for k < len(s.Series) && s.Series[k].Sector == s.Series[j].Sector {
			k++
		}
		group := w.span(sh, j+2, k+1)
		if used+group > pageWidth(true) && j > 0 {
			breaks = append(breaks, j+2)
			used = w.colWidth(sh, 1)
		}
		used += group
		j = k
	}
	firstPage := len(s.Series) + 1
	if len(breaks) > 0 {
		firstPage = breaks[0] - 1
	}
	w.paragraph(sh, 1, 1, max(firstPage, 2), l.dataTitle, st.setTitle, sizeSetTitle, true)
	heads := []string{l.period}
	for j := range s.Series {
		heads = append(heads, l.seriesHeader(s.Series[j].Sector, s.Series[j].Metric))
	}
	w.header(sh, dataHeaderRow, 1, heads)
	if len(s.Series) > 0 {
		for p := s.First; p <= s.Last; p++ {
			row := dataRow(p, s.First)
			w.cell(sh, 1, row, l.periodName(p), st.dataPeriod)
			for j := range s.Series {
				x := &s.Series[j]
				if w.hiddenMetric(p, x.Metric)[x.Sector] {
					w.cell(sh, j+2, row, w.l.secret, st.dataPeriod)
					continue
				}
				if noOperator(x, p) {
					w.cell(sh, j+2, row, none, st.dataPeriod)
					continue
				}
				style := st.dataNumber // persons
				if x.Metric != domain.MetricJobs {
					style = st.dataDecimal // millions of dirhams, to the hundred thousand
				}
				w.number(sh, j+2, row, x.At(p)/divisor(x.Metric), style)
			}
		}
	}
	if w.err == nil {
		w.keep(w.f.SetPanes(sh, &excelize.Panes{
			Freeze: true, XSplit: 1, YSplit: dataHeaderRow, TopLeftCell: "B3", ActivePane: "bottomRight",
			Selection: []excelize.Selection{{SQRef: "B3", ActiveCell: "B3", Pane: "bottomRight"}},
		}))
	}
	w.printSetup(sh, l.periodName(s.Last), layout{landscape: true, titleRows: "2:2", titleCols: "A:A", colBreaks: breaks})
}

// dataRow is the row of period p in the data sheet, whose first quarter
// is first.
func dataRow(p, first domain.Period) int { return int(p-first) + dataFirstRow }

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
