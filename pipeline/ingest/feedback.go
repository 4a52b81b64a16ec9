package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
)

// maxComments bounds the comments a feedback workbook adds; the problems
// sheet lists every problem anyway.
const maxComments = 2000

// DefaultFeedbackMaxCells is FeedbackOptions.MaxCells when zero.
const DefaultFeedbackMaxCells = 200_000

// FeedbackOptions bound the feedback workbook.
type FeedbackOptions struct {
	// Lang is "fr" (the default) or "en".
	Lang string
	// MaxCells: the operator's workbook is copied only when its sheets
	// hold at most this many cells, counted as excelize holds them (each
	// row, and each row's cells up to its last one); 0 means
	// DefaultFeedbackMaxCells (ingest.feedback_max_cells).
	MaxCells int
	// Timeout bounds the copy (0: none); past it the feedback lists the
	// problems only.
	Timeout time.Duration
}

// Feedback is WriteFeedback in lang with the default limits.
func Feedback(data []byte, res Result, lang string) ([]byte, error) {
	return WriteFeedback(data, res, FeedbackOptions{Lang: lang})
}

// WriteFeedback returns the workbook mailed back to an operator: a copy of
// its own file (data) with each faulty cell highlighted (red for errors,
// amber for warnings) and commented, and a first sheet listing every
// problem of res, each linked to its cell. When the file cannot be opened
// as a workbook (not an .xlsx, damaged, a zip bomb), is larger than
// o.MaxCells, or cannot be copied within o.Timeout (or at all), the
// feedback is a new workbook holding the problems sheet only, which says
// why when the operator's workbook was one. data is not modified; it is
// read with the default size limits. A copy abandoned at the timeout
// finishes in the background, bounded by MaxCells.
func WriteFeedback(data []byte, res Result, o FeedbackOptions) ([]byte, error) {
	lang := o.Lang
	if lang != "en" {
		lang = "fr"
	}
	maxCells := o.MaxCells
	if maxCells <= 0 {
		maxCells = DefaultFeedbackMaxCells
	}
	if data == nil {
		return freshFeedback(res, lang, text{})
	}
	type copied struct {
		b   []byte
		err error
	}
	done := make(chan copied, 1)
	stop := new(atomic.Bool)
	go func() {
		defer func() {
			if r := recover(); r != nil { // excelize on a workbook it did not expect
				done <- copied{err: fmt.Errorf("copying the workbook: %v", r)}
			}
		}()
		b, err := copyFeedback(data, res, lang, maxCells, stop)
		done <- copied{b, err}
	}()
	var timeout <-chan time.Time
	if o.Timeout > 0 {
		t := time.NewTimer(o.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case c := <-done:
		var big *tooManyCells
		switch {
		case c.err == nil:
			return c.b, nil
		case c.err == errNotWorkbook:
			return freshFeedback(res, lang, text{})
		case errors.As(c.err, &big):
			return freshFeedback(res, lang, text{
				fmt.Sprintf("Your workbook is too large to be copied here with its faulty cells marked (%d cells or more, at most %d): each problem is listed below with its sheet and cell.", big.cells, big.limit),
				fmt.Sprintf("Votre classeur est trop grand pour être recopié ici avec ses cellules signalées (au moins %d cellules, au plus %d) : chaque problème est listé ci-dessous avec sa feuille et sa cellule.", big.cells, big.limit)})
		default:
			return freshFeedback(res, lang, text{
				"Your workbook could not be copied here with its faulty cells marked: each problem is listed below with its sheet and cell.",
				"Votre classeur n'a pas pu être recopié ici avec ses cellules signalées : chaque problème est listé ci-dessous avec sa feuille et sa cellule."})
		}
	case <-timeout:
		stop.Store(true)
		return freshFeedback(res, lang, text{
			"Copying your workbook with its faulty cells marked took too long: each problem is listed below with its sheet and cell.",
			"La copie de votre classeur avec ses cellules signalées a pris trop de temps : chaque problème est listé ci-dessous avec sa feuille et sa cellule."})
	}
}

// errNotWorkbook: the file is not a workbook the feedback can copy.
var errNotWorkbook = errors.New("not a workbook that can be copied")

// tooManyCells: the operator's sheets hold more cells than the feedback copies.
type tooManyCells struct{ cells, limit int }

func (e *tooManyCells) Error() string {
	return fmt.Sprintf("%d cells or more, over %d", e.cells, e.limit)
}

// copyFeedback is the feedback as a copy of the operator's workbook.
func copyFeedback(data []byte, res Result, lang string, maxCells int, stop *atomic.Bool) ([]byte, error) {
	c, fe := sniff(data, DefaultMaxUnzipBytes, DefaultMaxXMLBytes, stop)
	if fe != nil {
		return nil, errNotWorkbook
	}
	cells := 0
	for _, p := range c.sheets {
		n, err := partCells(p, maxCells-cells, stop)
		if err != nil {
			return nil, err
		}
		if cells += n; cells > maxCells {
			return nil, &tooManyCells{cells, maxCells}
		}
	}
	f := openForFeedback(data)
	if f == nil {
		return nil, errNotWorkbook
	}
	defer f.Close()
	sheets := f.GetSheetList()
	name := problemsSheetName(sheets, lang)
	if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	if viewsReady(f) {
		if err := f.MoveSheet(name, sheets[0]); err != nil {
			return nil, err
		}
	}
	if idx, err := f.GetSheetIndex(name); err == nil {
		f.SetActiveSheet(idx)
	}
	if err := writeProblemsSheet(f, name, res, lang, text{}, true); err != nil {
		return nil, err
	}
	markCells(f, res, lang)
	if stop.Load() {
		return nil, errStopped
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// partCells counts a worksheet's cells as sheetCells does, up to limit.
func partCells(p *sheetPart, limit int, stop *atomic.Bool) (int, error) {
	if p.data != nil {
		return sheetCells(bytes.NewReader(p.data), limit, stop)
	}
	rc, err := p.file.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return sheetCells(rc, limit, stop)
}

// freshFeedback is the feedback as a new workbook holding the problems
// sheet only, with note (when set) saying why the operator's workbook was
// not copied.
func freshFeedback(res Result, lang string, note text) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	first := f.GetSheetList()[0]
	name := problemsSheetName(nil, lang)
	if err := f.SetSheetName(first, name); err != nil {
		return nil, err
	}
	if err := writeProblemsSheet(f, name, res, lang, note, false); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// problemsSheetName is the name of the problems sheet, unlike any of sheets.
func problemsSheetName(sheets []string, lang string) string {
	base := map[string]string{"fr": "Problèmes", "en": "Problems"}[lang]
	name := base
	for i := 2; slices.Contains(sheets, name); i++ {
		name = fmt.Sprintf("%s (%d)", base, i)
	}
	return name
}

// viewsReady gives every sheet a sheet view, which exceljs and others
// leave out (excelize's MoveSheet dereferences each sheet's views), and
// reports whether every sheet is a worksheet: MoveSheet cannot handle a
// chart sheet, so the problems sheet then stays last (it is still the one
// shown on opening).
func viewsReady(f *excelize.File) bool {
	for _, s := range f.GetSheetList() {
		if _, err := f.GetSheetView(s, 0); err != nil {
			return false
		}
	}
	return true
}

// openForFeedback opens the operator's workbook, which the pre-scan
// accepted, with a styles part when it has none; nil when excelize cannot
// open it.
func openForFeedback(data []byte) *excelize.File {
	if b := withStyles(data); b != nil {
		data = b
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: DefaultMaxUnzipBytes, UnzipXMLSizeLimit: DefaultMaxXMLBytes})
	if err != nil {
		return nil
	}
	return f
}

// writeProblemsSheet writes the problems sheet: a title, what to do, note
// (when set), and one line per problem, its cell a link to the cell when
// linked (the operator's sheets are in the workbook).
func writeProblemsSheet(f *excelize.File, sheet string, res Result, lang string, note text, linked bool) error {
	fr := lang == "fr"
	pick := func(frS, enS string) string {
		if fr {
			return frS
		}
		return enS
	}
	file := ""
	if len(res.Problems) > 0 {
		file = res.Problems[0].File
	}
	nErr, nWarn := 0, 0
	for _, p := range res.Problems {
		switch p.Severity {
		case domain.SeverityError:
			nErr++
		case domain.SeverityWarning:
			nWarn++
		}
	}
	title := pick(fmt.Sprintf("Retour sur votre déclaration « %s » : %d erreur(s), %d avertissement(s)", file, nErr, nWarn),
		fmt.Sprintf("Feedback on your return %q: %d error(s), %d warning(s)", file, nErr, nWarn))
	var advice string
	switch {
	case res.Rejected():
		advice = pick("La déclaration a été refusée. Corrigez chaque erreur (cellules en rouge dans vos feuilles, avec un commentaire) puis renvoyez le fichier.",
			"The return was rejected. Correct each error (cells in red in your sheets, with a comment) and send the file again.")
	case nErr > 0:
		advice = pick("Les lignes en erreur n'ont pas été intégrées ; les autres l'ont été. Corrigez-les puis renvoyez le fichier.",
			"The rows with errors were left out; the others were accepted. Correct them and send the file again.")
	default:
		advice = pick("La déclaration a été acceptée. Merci de vérifier les avertissements (cellules en orange).",
			"The return was accepted. Please check the warnings (cells in amber).")
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	link, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}, Alignment: &excelize.Alignment{Vertical: "top"}})
	_ = f.SetCellValue(sheet, "A1", title)
	_ = f.SetCellStyle(sheet, "A1", "A1", bold)
	_ = f.SetCellValue(sheet, "A2", advice)
	if n := pick(note.fr, note.en); n != "" {
		_ = f.SetCellValue(sheet, "A3", n)
	}
	hdr := []any{pick("Gravité", "Severity"), pick("Feuille", "Sheet"), pick("Cellule", "Cell"), pick("Colonne", "Column"),
		pick("Valeur trouvée", "Value found"), pick("Valeur attendue", "Expected"), pick("Problème", "Problem"), "Code"}
	_ = f.SetSheetRow(sheet, "A4", &hdr)
	_ = f.SetCellStyle(sheet, "A4", "H4", head)
	sev := map[domain.Severity][2]string{domain.SeverityError: {"Erreur", "Error"}, domain.SeverityWarning: {"Avertissement", "Warning"}, domain.SeverityInfo: {"Information", "Information"}}
	x := labelsFromProblems()
	for i, p := range res.Problems {
		r := 5 + i
		s := sev[p.Severity]
		msg, exp := p.Message, p.Expected
		if fr {
			if p.MessageFR != "" {
				msg = p.MessageFR
			}
			if p.ExpectedFR != "" {
				exp = p.ExpectedFR
			}
		}
		row := []any{pick(s[0], s[1]), p.Sheet, p.Cell, x(p.Column, lang), p.Found, exp, msg, p.Code}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		_ = f.SetSheetRow(sheet, cell, &row)
		_ = f.SetCellStyle(sheet, cell, fmt.Sprintf("H%d", r), wrap)
		// Spreadsheet programs do not grow a row for wrapped text they did
		// not write: its height is set from the longest text of the row.
		lines := 1
		for c, v := range []string{p.Found, exp, msg, x(p.Column, lang)} {
			lines = max(lines, wrappedLines(v, []float64{feedbackWidths["E"], feedbackWidths["F"], feedbackWidths["G"], feedbackWidths["D"]}[c]))
		}
		_ = f.SetRowHeight(sheet, r, 15*float64(min(lines, 20)))
		if linked && p.Sheet != "" && p.Cell != "" {
			c := fmt.Sprintf("C%d", r)
			_ = f.SetCellHyperLink(sheet, c, fmt.Sprintf("'%s'!%s", strings.ReplaceAll(p.Sheet, "'", "''"), p.Cell), "Location")
			_ = f.SetCellStyle(sheet, c, c, link)
		}
	}
	for col, w := range feedbackWidths {
		_ = f.SetColWidth(sheet, col, col, w)
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	if err := f.AutoFilter(sheet, fmt.Sprintf("A4:H%d", 4+max(1, len(res.Problems))), nil); err != nil {
		return err
	}
	// Printed on A4 landscape, one page wide, the header row on every page:
	// the ministry mails it, clerks print it. (After the filter, which
	// replaces the sheet's properties.)
	fit, a4, landscape, wide, tall := true, 9, "landscape", 1, 0
	_ = f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
	_ = f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
	_ = f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$4:$4", strings.ReplaceAll(sheet, "'", "''")), Scope: sheet})
	return nil
}

// feedbackWidths are the problems sheet's column widths, in characters:
// about 160 in all, so that a page one sheet wide prints at about 10 pt on A4
// landscape.
var feedbackWidths = map[string]float64{"A": 13, "B": 13, "C": 8, "D": 20, "E": 20, "F": 26, "G": 46, "H": 14}

// wrappedLines estimates the lines a text takes wrapped in a column of width
// characters.
func wrappedLines(s string, width float64) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		n += 1 + int(float64(utf8.RuneCountInString(line))/(width*1.1))
	}
	return n
}

// labelsFromProblems returns a function naming a canonical column for a
// person; the Problem carries only the canonical name.
func labelsFromProblems() func(col, lang string) string {
	fr := map[string]string{"operator_id": "ICE", "operator_name": "Raison sociale", "sector": "Filière", "region": "Région", "period": "Période",
		"headcount": "Effectif fin de période", "hires": "Recrutements de la période", "hires_youth": "dont jeunes (moins de 35 ans)",
		"hires_disabled": "dont personnes en situation de handicap", "export_revenue_mad": "CA export de la période (MAD)",
		"total_revenue_mad": "CA total de la période (MAD)", "investment_mad": "Investissements de la période (MAD)"}
	en := map[string]string{"operator_id": "ICE", "operator_name": "Company name", "sector": "Sector", "region": "Region", "period": "Period",
		"headcount": "Headcount at end of period", "hires": "Hires in period", "hires_youth": "of which young people (under 35)",
		"hires_disabled": "of which people with disabilities", "export_revenue_mad": "Export revenue in period (MAD)",
		"total_revenue_mad": "Total revenue in period (MAD)", "investment_mad": "Investment in period (MAD)"}
	return func(col, lang string) string {
		m := fr
		if lang == "en" {
			m = en
		}
		if l, ok := m[col]; ok {
			return l
		}
		return col
	}
}

// markCells highlights and comments each located problem's cell in the
// operator's own sheets, keeping each cell's number format and font.
func markCells(f *excelize.File, res Result, lang string) {
	styles := map[[2]int]int{} // (old style, severity) → new style
	comments := 0
	seen := map[string]bool{}
	exists := map[string]bool{}
	for _, s := range f.GetSheetList() {
		exists[s] = true
	}
	for _, p := range res.Problems {
		if p.Sheet == "" || p.Cell == "" || !exists[p.Sheet] || p.Severity == domain.SeverityInfo {
			continue
		}
		key := p.Sheet + "!" + p.Cell
		sevIdx, color := 0, "FFC7CE" // light red
		if p.Severity == domain.SeverityWarning {
			sevIdx, color = 1, "FFEB9C" // amber
		}
		if !seen[key] || sevIdx == 0 {
			old, _ := f.GetCellStyle(p.Sheet, p.Cell)
			id, ok := styles[[2]int{old, sevIdx}]
			if !ok {
				st, err := f.GetStyle(old)
				if err != nil || st == nil {
					st = &excelize.Style{}
				}
				st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
				st.Border = []excelize.Border{{Type: "left", Color: "C00000", Style: 2}, {Type: "right", Color: "C00000", Style: 2},
					{Type: "top", Color: "C00000", Style: 2}, {Type: "bottom", Color: "C00000", Style: 2}}
				if id, err = f.NewStyle(st); err != nil {
					continue
				}
				styles[[2]int{old, sevIdx}] = id
			}
			_ = f.SetCellStyle(p.Sheet, p.Cell, p.Cell, id)
		}
		if seen[key] || comments >= maxComments {
			continue
		}
		seen[key] = true
		comments++
		msg, exp := p.MessageFR, p.ExpectedFR
		if lang == "en" || msg == "" {
			msg, exp = p.Message, p.Expected
		}
		if exp == "" {
			exp = p.Expected
		}
		text := msg
		if exp != "" {
			text += map[string]string{"fr": " — attendu : ", "en": " — expected: "}[lang] + exp
		}
		_ = f.AddComment(p.Sheet, excelize.Comment{Cell: p.Cell, Author: "offshore", Paragraph: []excelize.RichTextRun{
			{Text: "offshore: ", Font: &excelize.Font{Bold: true}}, {Text: text}}})
	}
}

// minimalStyles is the styles part Excel needs at least: one font, the two
// fills every workbook has, one border, one cell format.
const minimalStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// withStyles returns the workbook data with a minimal xl/styles.xml (its
// relationship and content type included) when it has none, as some
// writers leave it out: excelize's NewStyle dereferences the styles' cell
// formats. nil when data has its styles, or cannot be patched.
func withStyles(data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, stylesPart) {
			return nil
		}
	}
	patch := map[string]func([]byte) []byte{
		"[content_types].xml": func(b []byte) []byte {
			return insertBefore(b, "</Types>", `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
		},
		"xl/_rels/workbook.xml.rels": func(b []byte) []byte {
			return insertBefore(b, "</Relationships>", `<Relationship Id="rIdOffshoreStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
		},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	patched := 0
	for _, f := range zr.File {
		fix := patch[strings.ToLower(f.Name)]
		if fix == nil {
			if err := zw.Copy(f); err != nil {
				return nil
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(rc, DefaultMaxXMLBytes))
		rc.Close()
		if b = fix(b); err != nil || b == nil {
			return nil
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil
		}
		if _, err := w.Write(b); err != nil {
			return nil
		}
		patched++
	}
	w, err := zw.Create(stylesPart)
	if err != nil || patched != len(patch) {
		return nil
	}
	if _, err := io.WriteString(w, minimalStyles); err != nil || zw.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// insertBefore inserts s before the last end tag end of b; nil when b has none.
func insertBefore(b []byte, end, s string) []byte {
	i := bytes.LastIndex(b, []byte(end))
	if i < 0 {
		return nil
	}
	return append(append(append([]byte{}, b[:i]...), s...), b[i:]...)
}
