package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// sheetStart writes the title and as-of line of a sheet that opens with
// them (all but the Synthèse, Données and Graphique) and sets it up for
// print (A4 landscape, one page wide, header and footer); it returns the
// first free row.
func (w *writer) sheetStart(sh, title, asOf string) int {
	w.cell(sh, 1, 1, title, w.st.title)
	w.keep(w.f.SetRowHeight(sh, 1, 24))
	w.cell(sh, 1, 2, fmt.Sprintf(w.l.asOfLine, asOf), w.st.subtitle)
	w.printSetup(sh, title, asOf)
	return 4
}

// printSetup prints sh on A4 landscape, one page wide, with the title and
// as-of in the header and page numbers in the footer.
func (w *writer) printSetup(sh, title, asOf string) {
	fit, a4, landscape, wide, tall := true, 9, "landscape", 1, 0
	w.keep(w.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	w.keep(w.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}))
	w.keep(w.f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + escapeHF(title) + "&R" + escapeHF(fmt.Sprintf(w.l.asOfLine, asOf)),
		OddFooter: "&L" + escapeHF(w.l.docTitle) + "&R" + w.l.page,
	}))
}

// escapeHF doubles the ampersands of text printed in a header or footer,
// where & starts a code.
func escapeHF(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '&' {
			out = append(out, '&')
		}
		out = append(out, r)
	}
	return string(out)
}
