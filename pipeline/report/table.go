package report

import (
	"math"

	"github.com/offshore-ma/offshore/forecast"
)

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
	kindMDH // MAD, shown in millions (MDH): MAD / 1e6, unrounded
	kindPercent
	kindProbability
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

// statusCell is a status, written in words in its colour.
type statusCell forecast.Status

// table writes a table at row: a header row, then rows; it sets the
// columns' widths and makes each row as tall as its wrapped text needs. It
// returns the row after the table. A secretCell value is written as the
// secret mark, a NaN as an empty cell.
func (w *writer) table(sh string, row int, cols []tableCol, rows [][]any, bold map[int]bool) int {
	st := w.st
	header := 1
	for j, c := range cols {
		if c.width > 0 {
			w.width(sh, j+1, c.width)
		}
		w.cell(sh, j+1, row, c.header, st.header)
		header = max(header, textLines(c.header, w.colWidth(sh, j+1), sizeHeader, true))
	}
	w.fitRow(sh, row, header, sizeHeader)
	for i, r := range rows {
		row++
		lines := 1
		for j, v := range r {
			c := cols[j]
			switch x := v.(type) {
			case secretCell:
				w.cell(sh, j+1, row, w.l.secret, st.textCenter)
			case noneCell:
				w.cell(sh, j+1, row, none, st.textCenter)
			case statusCell:
				lines = max(lines, w.status(sh, j+1, row, forecast.Status(x)))
			case string:
				style := st.text
				if bold[i] {
					style = st.textBold
				}
				w.cell(sh, j+1, row, x, style)
				lines = max(lines, textLines(x, w.colWidth(sh, j+1), sizeText, bold[i]))
			case int:
				w.cell(sh, j+1, row, x, st.integer)
			case float64:
				switch c.kind {
				case kindMDH:
					w.number(sh, j+1, row, x/1e6, st.integer)
				case kindPercent:
					w.number(sh, j+1, row, x, st.growth)
				case kindProbability:
					w.number(sh, j+1, row, x, st.probability)
				default:
					w.number(sh, j+1, row, x, st.integer)
				}
			}
		}
		w.fitRow(sh, row, lines, sizeText)
	}
	return row + 1
}

// status writes st in words at col, row in its colour (an unknown status
// in statusUnknown's), and returns the lines its text takes in the column,
// for the row's height.
func (w *writer) status(sh string, col, row int, st forecast.Status) int {
	style, ok := w.st.status[st]
	if !ok {
		style = w.st.status[statusUnknown]
	}
	name := w.l.statusName(st)
	w.cell(sh, col, row, name, style)
	return textLines(name, w.colWidth(sh, col), sizeText, true)
}
