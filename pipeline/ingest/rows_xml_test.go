package ingest

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFastRowsMatchExcelize reads every sheet of the test workbooks with
// the fast reader and with excelize: the rows must be the same, or the fast
// reader must give up (errFallback).
func TestFastRowsMatchExcelize(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata/ingest/corpus", "../../testdata/ingest/hostile", "testdata/fuzz/FuzzReadWorkbook"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*"))
		files = append(files, m...)
	}
	if p := os.Getenv("OFFSHORE_BENCH_FEDERATION"); p != "" {
		files = append(files, p)
	}
	fast, fell := 0, 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(data, []byte("PK")) {
			continue
		}
		c, fe := sniff(data, DefaultMaxUnzipBytes, DefaultMaxXMLBytes, nil)
		if fe != nil {
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			continue
		}
		rd := &reader{f: f, c: c, stop: new(atomic.Bool)}
		for _, sheet := range f.GetSheetList() {
			it, closer, ok := rd.fastRows(sheet)
			if !ok {
				continue
			}
			got, gerr := rd.collectRows(it, 0)
			closer.Close()
			if gerr == errFallback {
				fell++
				continue
			}
			fast++
			x, err := f.Rows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			want, werr := rd.collectRows(excelizeRows{x}, 0)
			x.Close()
			if (gerr == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s, sheet %s: fast reader\n%q (%v)\nexcelize\n%q (%v)", path, sheet, got, gerr, want, werr)
			}
		}
		f.Close()
	}
	t.Logf("%d sheets read by the fast reader, %d left to excelize", fast, fell)
	if fast == 0 {
		t.Error("the fast reader read no sheet")
	}
}

// TestStreamedTableMatches reads the test workbooks with their table
// streamed and not: the results must be the same, with ingest.max_rows
// large or small (too_many_rows found at the end of the stream).
func TestStreamedTableMatches(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata/ingest/corpus", "../../testdata/ingest/hostile"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		files = append(files, m...)
	}
	if p := os.Getenv("OFFSHORE_BENCH_FEDERATION"); p != "" {
		files = append(files, p)
	}
	defer func(n int64) { streamOver = n }(streamOver)
	x := matcher(t)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, maxRows := range []int{100000, 3} {
			opts := corpusOptions()
			opts.MaxRows = maxRows
			streamOver = 1 << 62
			want := Read(filepath.Base(path), "sha", data, corpusNow, x, opts)
			streamOver = 0
			got := Read(filepath.Base(path), "sha", data, corpusNow, x, opts)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (max_rows %d): streamed\n%+v\nnot streamed\n%+v", path, maxRows, got, want)
			}
		}
	}
}

// FuzzFastRows: on any worksheet XML, the fast reader gives excelize's rows
// or gives up.
func FuzzFastRows(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>1.5</v></c></row><row r="3"><c t="inlineStr"><is><t>a&amp;b</t></is></c></row>`)
	f.Add(`<x:row><x:c r="B2" t="str"><x:f>A1</x:f><x:v>x</x:v></x:c></x:row><row r="4"/>`)
	f.Add(`<row r="2" spans="1:3"><c r="A2" s="1"/><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#REF!</v></c></row>`)
	f.Fuzz(func(t *testing.T, rows string) {
		sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range map[string]string{
			"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
			"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
			"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
			"xl/sharedStrings.xml":       `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>zero</t></si><si><r><t>o</t></r><r><t>ne</t></r></si></sst>`,
			"xl/worksheets/sheet1.xml":   sheet,
		} {
			w, _ := zw.Create(name)
			w.Write([]byte(body))
		}
		zw.Close()
		data := buf.Bytes()
		c, fe := sniff(data, DefaultMaxUnzipBytes, DefaultMaxXMLBytes, nil)
		if fe != nil {
			return
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer x.Close()
		rd := &reader{f: x, c: c, stop: new(atomic.Bool)}
		it, closer, ok := rd.fastRows("S")
		if !ok {
			return
		}
		got, gerr := rd.collectRows(it, 0)
		closer.Close()
		if gerr == errFallback {
			return
		}
		xr, err := x.Rows("S")
		if err != nil {
			return
		}
		want, werr := rd.collectRows(excelizeRows{xr}, 0)
		xr.Close()
		if (gerr == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("sheet data %q: fast reader\n%q (%v)\nexcelize\n%q (%v)", rows, got, gerr, want, werr)
		}
	})
}
