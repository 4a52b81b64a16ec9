package report

import "math"

// nan marks an unknown value: written as an empty cell.
var nan = math.NaN()

// none is the mark of a figure with no operator behind it (néant), in both
// languages: a sector or region with no return reads "–", not 0.
const none = "–"

// cellKind says how a table cell is written.
type cellKind int

const (
	kindText cellKind = iota
	kindInt
	kindMMAD // MAD shown in millions
	kindPercent
)

// tableCol is one column of a table (writer.table).
type tableCol struct {
	header string
	kind   cellKind
	width  float64
}

// secretCell marks a value hidden by the confidentiality rule.
type secretCell struct{}

// noneCell marks a figure of a row with no operator: "–" (néant), not 0.
type noneCell struct{}

// table writes a titled table at row: a header row, then rows; it returns
// the row after the table. A secretCell value is written as the secret mark,
// a NaN as an empty cell.
func (w *writer) table(sh string, row int, cols []tableCol, rows [][]any, bold map[int]bool) int {
	st := w.st
	for j, c := range cols {
		w.cell(sh, j+1, row, c.header, st.header)
		if c.width > 0 {
			w.width(sh, j+1, c.width)
		}
	}
	w.keep(w.f.SetRowHeight(sh, row, 62))
	for i, r := range rows {
		row++
		for j, v := range r {
			c := cols[j]
			switch x := v.(type) {
			case secretCell:
				w.cell(sh, j+1, row, w.l.secret, st.textCenter)
			case noneCell:
				w.cell(sh, j+1, row, none, st.textCenter)
			case string:
				style := st.text
				if bold[i] {
					style = st.textBold
				}
				w.cell(sh, j+1, row, x, style)
			case int:
				w.cell(sh, j+1, row, x, st.integer)
			case float64:
				switch c.kind {
				case kindMMAD:
					w.number(sh, j+1, row, x/1e6, st.integer)
				case kindPercent:
					w.number(sh, j+1, row, x, st.growth)
				default:
					w.number(sh, j+1, row, x, st.integer)
				}
			}
		}
	}
	return row + 1
}
