package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// partsBook is a workbook written by hand, part by part, to test the
// feedback writer on what other programs leave out. Each sheet is a return
// whose headcount is not a number (an error at F2).
type partsBook struct {
	sheets     int    // sheets, each holding the return (default 1)
	sheetViews bool   // <sheetViews> in each sheet
	styles     bool   // xl/styles.xml
	sst        bool   // xl/sharedStrings.xml (else inline strings)
	theme      bool   // xl/theme/theme1.xml
	docProps   bool   // docProps/core.xml and app.xml
	extraRows  string // more <row> elements after the data row, as written
	name       string // the operator's name (default "Atlas Services")
}

func (b partsBook) bytes(t testing.TB) []byte {
	t.Helper()
	if b.sheets == 0 {
		b.sheets = 1
	}
	header := []string{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif fin de période", "CA export de la période (MAD)"}
	opName := b.name
	if opName == "" {
		opName = "Atlas Services"
	}
	data := []string{"001234567000089", opName, "CRM", "Casablanca-Settat", "2016Q1", "beaucoup", "1000000"}
	var sst []string
	str := func(ref, s string) string {
		if b.sst {
			sst = append(sst, s)
			return fmt.Sprintf(`<c r="%s" t="s"><v>%d</v></c>`, ref, len(sst)-1)
		}
		return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, s)
	}
	row := func(r int, vals []string) string {
		var s strings.Builder
		fmt.Fprintf(&s, `<row r="%d">`, r)
		for i, v := range vals {
			ref := fmt.Sprintf("%c%d", 'A'+i, r)
			if i == len(vals)-1 && r > 1 {
				fmt.Fprintf(&s, `<c r="%s"><v>%s</v></c>`, ref, v)
			} else {
				s.WriteString(str(ref, v))
			}
		}
		s.WriteString(`</row>`)
		return s.String()
	}
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	views := ""
	if b.sheetViews {
		views = `<sheetViews><sheetView workbookViewId="0"/></sheetViews>`
	}
	sheetXML := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + ns + `>` + views + `<sheetData>` + row(1, header) + row(2, data) + b.extraRows + `</sheetData></worksheet>`
	parts := map[string]string{}
	var order []string
	add := func(name, body string) {
		order = append(order, name)
		parts[name] = body
	}
	ct := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	var sheets, rels strings.Builder
	for i := 1; i <= b.sheets; i++ {
		ct += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
		name := "Déclaration"
		if i > 1 {
			name = fmt.Sprintf("Feuille%d", i)
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	rid := b.sheets
	if b.styles {
		rid++
		ct += `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, rid)
	}
	if b.theme {
		rid++
		ct += `<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>`, rid)
	}
	var sheetBodies []string
	for i := 1; i <= b.sheets; i++ {
		sst = sst[:0:0]
		sheetBodies = append(sheetBodies, sheetXML)
	}
	// The shared strings: the same texts for every sheet, in order.
	if b.sst {
		sst = nil
		_ = row(1, header) + row(2, data)
		rid++
		ct += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, rid)
	}
	rootRels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`
	if b.docProps {
		ct += `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`
		rootRels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>`
	}
	add("[Content_Types].xml", ct+`</Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rootRels+`</Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<workbook `+ns+`><sheets>`+sheets.String()+`</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	for i, s := range sheetBodies {
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s)
	}
	if b.sst {
		var s strings.Builder
		for _, v := range sst {
			fmt.Fprintf(&s, `<si><t>%s</t></si>`, v)
		}
		add("xl/sharedStrings.xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>`, len(sst), len(sst), s.String()))
	}
	if b.styles {
		add("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>`+
			`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`+
			`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`)
	}
	if b.theme {
		add("xl/theme/theme1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements/></a:theme>`)
	}
	if b.docProps {
		add("docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>exceljs</dc:creator></cp:coreProperties>`)
		add("docProps/app.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>exceljs</Application></Properties>`)
	}
	return zipParts(t, order, parts)
}

// zipParts zips parts, deflated, in order.
func zipParts(t testing.TB, order []string, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFeedbackMissingParts: the feedback of a workbook that lacks optional
// parts keeps the operator's sheets, with a comment on the faulty cell.
func TestFeedbackMissingParts(t *testing.T) {
	full := partsBook{sheets: 1, sheetViews: true, styles: true, sst: true, theme: true, docProps: true}
	tests := []struct {
		name string
		book partsBook
	}{
		{"complete", full},
		{"exceljs multi-sheet without sheetViews", partsBook{sheets: 3, styles: true, sst: true, theme: true, docProps: true}},
		{"no styles", partsBook{sheets: 1, sheetViews: true, sst: true, theme: true, docProps: true}},
		{"no shared strings", partsBook{sheets: 1, sheetViews: true, styles: true, theme: true, docProps: true}},
		{"no theme", partsBook{sheets: 1, sheetViews: true, styles: true, sst: true, docProps: true}},
		{"no docProps", partsBook{sheets: 1, sheetViews: true, styles: true, sst: true, theme: true}},
		{"bare: sheets and workbook only", partsBook{sheets: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.book.bytes(t)
			res := Read("retour.xlsx", "sha", data, corpusNow, matcher(t), corpusOptions())
			if !hasProblemAt(res, "Déclaration", "F2") {
				t.Fatalf("no problem at F2: %v", res.Problems)
			}
			out, err := Feedback(data, res, "fr")
			if err != nil {
				t.Fatal(err)
			}
			checkFeedback(t, out, res, true)
		})
	}
}

func hasProblemAt(res Result, sheet, cell string) bool {
	for _, p := range res.Problems {
		if p.Sheet == sheet && p.Cell == cell {
			return true
		}
	}
	return false
}

// checkFeedback opens a feedback workbook and checks its problems sheet and,
// when copied, a comment on each faulty cell of the operator's sheets.
func checkFeedback(t *testing.T, out []byte, res Result, copied bool) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first := f.GetSheetList()[0]
	if first != "Problèmes" && first != "Problems" {
		t.Fatalf("first sheet %q", first)
	}
	if !copied {
		return
	}
	comments := map[string]bool{}
	for _, s := range f.GetSheetList()[1:] {
		cs, err := f.GetComments(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			comments[s+"!"+c.Cell] = true
		}
	}
	for _, p := range res.Problems {
		if p.Sheet != "" && p.Cell != "" && p.Severity != "info" && !comments[p.Sheet+"!"+p.Cell] {
			t.Errorf("no comment on %s!%s (%s); comments: %v", p.Sheet, p.Cell, p.Code, comments)
		}
	}
}

// TestFeedbackCommentsEveryWriter: the feedback of each corpus workbook with
// located problems has a comment on each faulty cell, whatever program
// last saved it (LibreOffice and openpyxl ones were missing theirs).
func TestFeedbackCommentsEveryWriter(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/ingest/corpus/*.xlsx")
	x := matcher(t)
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		res := Read(filepath.Base(file), "sha", data, corpusNow, x, corpusOptions())
		located := false
		for _, p := range res.Problems {
			located = located || p.Cell != "" && p.Severity != "info"
		}
		if !located {
			continue
		}
		n++
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, err := Feedback(data, res, "fr")
			if err != nil {
				t.Fatal(err)
			}
			checkFeedback(t, out, res, true)
		})
	}
	if n < 10 {
		t.Errorf("only %d corpus files with located problems", n)
	}
}

// TestFeedbackPrintsOnA4: the problems sheet prints on A4 landscape, one
// page wide, its header row repeated on each page.
func TestFeedbackPrintsOnA4(t *testing.T) {
	data := partsBook{sheets: 1, sheetViews: true, styles: true, sst: true}.bytes(t)
	res := Read("retour.xlsx", "sha", data, corpusNow, matcher(t), corpusOptions())
	f, _ := openFeedback(t, data, res, "fr")
	pl, err := f.GetPageLayout("Problèmes")
	if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v, %v", pl, err)
	}
	if sp, _ := f.GetSheetProps("Problèmes"); sp.FitToPage == nil || !*sp.FitToPage {
		t.Error("not fit to page")
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		found = found || dn.Name == "_xlnm.Print_Titles" && dn.Scope == "Problèmes" && strings.HasSuffix(dn.RefersTo, "!$4:$4")
	}
	if !found {
		t.Errorf("no repeated header row: %+v", f.GetDefinedName())
	}
}

// TestFeedbackBounded: a workbook too large to copy, or too slow, gets a
// feedback listing the problems only, which says why.
func TestFeedbackBounded(t *testing.T) {
	var xfd strings.Builder // 1,000 rows, each with one cell in column XFD
	for r := 3; r < 1003; r++ {
		fmt.Fprintf(&xfd, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
	}
	small := partsBook{sheetViews: true, styles: true, sst: true}.bytes(t)
	tests := []struct {
		name string
		data []byte
		o    FeedbackOptions
		note string
	}{
		{"column XFD", partsBook{sheetViews: true, styles: true, sst: true, extraRows: xfd.String()}.bytes(t), FeedbackOptions{}, "trop grand"},
		{"over the cap", small, FeedbackOptions{MaxCells: 10}, "trop grand"},
		{"within the cap", small, FeedbackOptions{MaxCells: 30}, ""},
		{"timeout", small, FeedbackOptions{Timeout: time.Nanosecond}, "trop de temps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Read("retour.xlsx", "sha", tt.data, corpusNow, matcher(t), corpusOptions())
			start := time.Now()
			out, err := WriteFeedback(tt.data, res, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
			f, err := excelize.OpenReader(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheets := f.GetSheetList()
			note, _ := f.GetCellValue(sheets[0], "A3")
			if tt.note == "" {
				if len(sheets) != 2 || note != "" {
					t.Errorf("not copied: sheets %v, note %q", sheets, note)
				}
				return
			}
			if len(sheets) != 1 || !strings.Contains(note, tt.note) {
				t.Errorf("sheets %v, note %q; want the problems only and a note with %q", sheets, note, tt.note)
			}
			if rows, _ := f.GetRows(sheets[0]); len(rows)-4 != len(res.Problems) {
				t.Errorf("%d problem rows, want %d", len(rows)-4, len(res.Problems))
			}
		})
	}
}
