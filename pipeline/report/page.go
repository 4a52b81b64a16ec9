package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Paper. Every sheet prints on A4 at 100 %, never shrunk to fit: a sheet
// is laid out for its page (its columns' widths add up to at most the
// page's width, pageWidth), and a table wider than that is split across
// pages at column breaks, its title columns and header rows repeated on
// each page. So the text prints at the sizes of styles.go, 8 pt at the
// least.
//
// Widths are in Excel's column units (a digit of the default font). The
// widest common rendering is LibreOffice's without Calibri, which draws
// it in DejaVu Sans: a unit is 7 pt there (5.3 pt in Excel), and that is
// what the layouts are measured for.
const (
	unitPt        = 7.0  // a column width unit, in points, at its widest
	marginSide    = 0.35 // left and right margins, inches
	marginTop     = 0.6  // top and bottom margins, inches (the header and footer sit in them)
	marginHF      = 0.25 // header and footer distance from the edge, inches
	a4Short       = 595.3
	a4Long        = 841.9
	pointsPerInch = 72.0
)

// pageWidth is the width a sheet's columns may take on A4, in column
// units: 113 in landscape, 77 in portrait.
func pageWidth(landscape bool) float64 {
	w := a4Short
	if landscape {
		w = a4Long
	}
	return math.Floor((w - 2*marginSide*pointsPerInch) / unitPt)
}

// pageHeight is the height a sheet's rows may take on A4, in points.
func pageHeight(landscape bool) float64 {
	h := a4Long
	if landscape {
		h = a4Short
	}
	return h - 2*marginTop*pointsPerInch
}

// layout is how a sheet prints.
type layout struct {
	landscape bool
	// titleRows and titleCols are repeated on every page ("2:2", "A:A"),
	// for a table split across pages; "" for none.
	titleRows, titleCols string
	// colBreaks are the columns (1-based) that start a new page; rowBreaks
	// the rows.
	colBreaks, rowBreaks []int
}

// sheetStart writes the title and as-of line of a sheet that opens with
// them (all but the Synthèse) and sets it up for print; it returns the
// first free row. The sheet's columns' widths are set before: the title
// wraps within them.
func (w *writer) sheetStart(sh, title, asOf string, lay layout) int {
	last := 1
	for c := range w.widths[sh] {
		last = max(last, c)
	}
	w.paragraph(sh, 1, 1, last, title, w.st.title, sizeTitle, true)
	w.cell(sh, 1, 2, fmt.Sprintf(w.l.asOfLine, asOf), w.st.subtitle)
	w.printSetup(sh, asOf, lay)
	return 4
}

// setWidths sets the widths of the columns of a table from column 1.
func (w *writer) setWidths(sh string, cols []tableCol) {
	for j, c := range cols {
		if c.width > 0 {
			w.width(sh, j+1, c.width)
		}
	}
}

// printSetup prints sh on A4 as lay says, at 100 %, with the sheet's name
// and the as-of in the header, the workbook's title and the page number in
// the footer.
func (w *writer) printSetup(sh, asOf string, lay layout) {
	a4, orientation, scale := 9, "portrait", uint(100)
	if lay.landscape {
		orientation = "landscape"
	}
	order := "overThenDown" // a table split across pages reads page by page, left to right
	fit := false
	w.keep(w.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	w.keep(w.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, AdjustTo: &scale, PageOrder: &order}))
	side, top, hf := marginSide, marginTop, marginHF
	w.keep(w.f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf}))
	size := fmt.Sprintf("&%d", sizeText)
	w.keep(w.f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + size + escapeHF(sh) + "&R" + size + escapeHF(fmt.Sprintf(w.l.asOfLine, asOf)),
		OddFooter: "&L" + size + escapeHF(w.l.docTitle) + "&R" + size + w.l.page,
	}))
	var titles []string
	for _, r := range []string{lay.titleCols, lay.titleRows} {
		if r != "" {
			titles = append(titles, quoteSheet(sh)+"!$"+strings.ReplaceAll(r, ":", ":$"))
		}
	}
	if len(titles) > 0 {
		w.keep(w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(titles, ","), Scope: sh}))
	}
	for _, c := range lay.colBreaks {
		name, err := excelize.CoordinatesToCellName(c, 1)
		w.keep(err)
		if err == nil {
			w.keep(w.f.InsertPageBreak(sh, name))
		}
	}
	for _, r := range lay.rowBreaks {
		name, err := excelize.CoordinatesToCellName(1, r)
		w.keep(err)
		if err == nil {
			w.keep(w.f.InsertPageBreak(sh, name))
		}
	}
}

// escapeHF doubles the ampersands of text printed in a header or footer,
// where & starts a code.
func escapeHF(s string) string {
	return strings.ReplaceAll(s, "&", "&&")
}

// paragraph writes text in the cells c1..c2 of row, merged, wrapped, and
// makes the row as tall as the text needs: long explanations read as a
// paragraph of a readable width, never as one line running off the page.
// The columns' widths must be set before.
func (w *writer) paragraph(sh string, row, c1, c2 int, v any, style int, size float64, bold bool) {
	w.cell(sh, c1, row, v, style)
	if c2 > c1 && w.err == nil {
		a, _ := excelize.CoordinatesToCellName(c1, row)
		b, _ := excelize.CoordinatesToCellName(c2, row)
		w.keep(w.f.MergeCell(sh, a, b))
	}
	text, _ := v.(string)
	w.fitRow(sh, row, textLines(text, w.span(sh, c1, c2), size, bold), size)
}

// span is the width of the columns c1..c2 of sh, in column units.
func (w *writer) span(sh string, c1, c2 int) float64 {
	total := 0.0
	for c := c1; c <= c2; c++ {
		total += w.colWidth(sh, c)
	}
	return total
}

// colWidth is the width set for column col of sh, or Excel's default.
func (w *writer) colWidth(sh string, col int) float64 {
	if v, ok := w.widths[sh][col]; ok {
		return v
	}
	return 8.43
}

// fitRow makes row at least as tall as lines of text of size points need.
func (w *writer) fitRow(sh string, row, lines int, size float64) {
	if w.err != nil {
		return
	}
	h := rowHeight(lines, size)
	if cur, ok := w.heights[sh][row]; ok && cur >= h {
		return
	}
	if w.heights[sh] == nil {
		w.heights[sh] = map[int]float64{}
	}
	w.heights[sh][row] = h
	w.keep(w.f.SetRowHeight(sh, row, h))
}

// rowHeight is the height, in points, of lines of text of size points.
func rowHeight(lines int, size float64) float64 {
	return math.Ceil(float64(max(lines, 1))*size*1.25 + 3)
}

// textLines is how many lines text takes wrapped in a cell width column
// units wide, at size points: words are wrapped greedily, a character
// taking 0.6 em (0.66 em bold), what DejaVu Sans takes on average, a
// little more than Calibri.
func textLines(text string, width, size float64, bold bool) int {
	em := 0.6
	if bold {
		em = 0.66
	}
	room := width*unitPt - 6 // the cell's padding
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		lines++
		used := 0.0
		for i, word := range strings.Fields(para) {
			wd := float64(utf8.RuneCountInString(word)) * em * size
			if i > 0 && used+0.32*size+wd > room {
				lines++
				used = 0
			} else if i > 0 {
				used += 0.32 * size
			}
			for wd > room { // a word longer than the cell breaks
				lines++
				wd -= room
			}
			used += wd
		}
	}
	return lines
}

// spanPx is the width of the columns c1..c2 of sh as Excel draws them, in
// pixels (7 a unit, and 5 of padding a column), the unit of a chart's
// size. LibreOffice stretches a chart over the cells it is anchored to,
// which it draws wider (unitPt a unit): a chart no wider than a page's
// cells fits the page in both.
func (w *writer) spanPx(sh string, c1, c2 int) float64 {
	return 7*w.span(sh, c1, c2) + 5*float64(c2-c1+1)
}

// rowsHeight is the height of the rows r1..r2 of sh, in points: as set, or
// Excel's default (15).
func (w *writer) rowsHeight(sh string, r1, r2 int) float64 {
	h := 0.0
	for r := r1; r <= r2; r++ {
		if v, ok := w.heights[sh][r]; ok {
			h += v
		} else {
			h += 15
		}
	}
	return h
}

// keepTogether returns the row break that keeps rows r1..r2 of sh on one
// page (r1: they start a page), or 0 when they fit below the used points
// of the current page (or fill a page of their own anyway); used is the
// height taken on the page so far, updated.
func (w *writer) keepTogether(sh string, r1, r2 int, used *float64, landscape bool) int {
	h := w.rowsHeight(sh, r1, r2)
	if *used > 0 && *used+h > pageHeight(landscape)-10 { // 10 pt to spare: readers round heights
		*used = h
		return r1
	}
	*used += h
	return 0
}
