package template

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

func mappings(t testing.TB) *config.Mappings {
	t.Helper()
	c, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &c.Mappings
}

func open(t *testing.T, m *config.Mappings, opts Options) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, m, opts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reading the written template: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// wording returns the header of a column in lang.
func wording(m *config.Mappings, name, lang string) string {
	for _, c := range m.Columns {
		if c.Name == name {
			if lang == "en" {
				return c.EN
			}
			return c.FR
		}
	}
	return ""
}

var canonicalNames = []string{"operator_id", "operator_name", "sector", "region", "period", "headcount", "hires", "hires_youth", "hires_disabled", "export_revenue_mad", "total_revenue_mad", "investment_mad"}

func TestNew(t *testing.T) {
	m := mappings(t)
	tests := []struct {
		lang, sheet string
		// words that the instructions must contain
		instructions []string
	}{
		{"", "Déclaration", []string{"2016Q1", "dirhams (MAD)", "pas en milliers", "une ligne par opérateur et par trimestre", "renvoyez simplement le fichier complet corrigé", "Obligatoire"}},
		{"fr", "Déclaration", []string{"2016Q1", "dirhams (MAD)"}},
		{"en", "Return", []string{"2016Q1", "dirhams (MAD)", "not in thousands", "one row per operator and quarter", "send the whole corrected file again", "Required"}},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			f := open(t, m, Options{Lang: tt.lang})
			lang := tt.lang
			if lang == "" {
				lang = "fr"
			}
			if got := SheetName(tt.lang); got != tt.sheet {
				t.Fatalf("SheetName(%q) = %q, want %q", tt.lang, got, tt.sheet)
			}
			if got, want := f.GetSheetList(), []string{tt.sheet, "Instructions", ListsSheet}; !slices.Equal(got, want) {
				t.Fatalf("sheets %q, want %q", got, want)
			}
			if i := f.GetActiveSheetIndex(); i != 0 {
				t.Errorf("active sheet %d, want 0 (the data sheet)", i)
			}
			if vis, _ := f.GetSheetVisible(ListsSheet); vis {
				t.Errorf("sheet %s is visible; want hidden", ListsSheet)
			}

			// Header: wordings in canonical order, bold, filled.
			rows, err := f.GetRows(tt.sheet)
			if err != nil || len(rows) == 0 {
				t.Fatalf("no header row: %v", err)
			}
			var want []string
			for _, n := range canonicalNames {
				want = append(want, wording(m, n, lang))
			}
			if !slices.Equal(rows[0], want) {
				t.Fatalf("header\n got %q\nwant %q", rows[0], want)
			}
			if len(rows) != 1 {
				t.Errorf("blank template has %d rows, want only the header", len(rows))
			}
			sid, _ := f.GetCellStyle(tt.sheet, "A1")
			st, _ := f.GetStyle(sid)
			if st.Font == nil || !st.Font.Bold || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
				t.Errorf("header style %+v: want bold with a solid fill", st)
			}

			// One comment per header cell, from the column's note in French.
			comments, err := f.GetComments(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			byCell := map[string]string{}
			for _, c := range comments {
				byCell[c.Cell] = c.Text
			}
			for i, n := range canonicalNames {
				cell, _ := excelize.CoordinatesToCellName(i+1, 1)
				text, ok := byCell[cell]
				switch {
				case !ok || text == "":
					t.Errorf("no comment on %s (%s)", cell, n)
				case lang == "fr" && text != m.Columns[slices.IndexFunc(m.Columns, func(c config.Column) bool { return c.Name == n })].Note:
					t.Errorf("comment on %s = %q, want the note of %s", cell, text, n)
				case lang == "en" && !strings.Contains(text, "Required.") && !strings.Contains(text, "Optional."):
					t.Errorf("comment on %s = %q, want it to say Required or Optional", cell, text)
				}
			}
			if len(comments) != len(canonicalNames) {
				t.Errorf("%d comments, want %d", len(comments), len(canonicalNames))
			}

			// Validations.
			dvs, err := f.GetDataValidations(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			bySqref := map[string]*excelize.DataValidation{}
			for _, dv := range dvs {
				bySqref[dv.Sqref] = dv
			}
			checks := []struct {
				sqref, typ, op, f1, f2 string
			}{
				{"A2:A5000", "textLength", "equal", "15", ""},
				{"C2:C5000", "list", "", "Listes!$A$2:$A$6", ""},
				{"D2:D5000", "list", "", "Listes!$C$2:$C$13", ""},
				{"E2:E5000", "textLength", "equal", "6", ""},
				{"F2:F5000", "whole", "greaterThanOrEqual", "0", ""},
				{"G2:G5000", "whole", "greaterThanOrEqual", "0", ""},
				{"H2:H5000", "whole", "between", "0", "$G2"},
				{"I2:I5000", "whole", "between", "0", "$G2"},
				{"J2:J5000", "decimal", "greaterThanOrEqual", "0", ""},
				{"K2:K5000", "decimal", "greaterThanOrEqual", "$J2", ""},
				{"L2:L5000", "decimal", "greaterThanOrEqual", "0", ""},
			}
			for _, c := range checks {
				dv := bySqref[c.sqref]
				if dv == nil {
					t.Errorf("no validation on %s (have %d validations)", c.sqref, len(dvs))
					continue
				}
				if dv.Type != c.typ || dv.Operator != c.op || dv.Formula1 != c.f1 || dv.Formula2 != c.f2 {
					t.Errorf("validation on %s: %s %s %q %q; want %s %s %q %q", c.sqref, dv.Type, dv.Operator, dv.Formula1, dv.Formula2, c.typ, c.op, c.f1, c.f2)
				}
				if !dv.ShowErrorMessage || dv.Error == nil || *dv.Error == "" {
					t.Errorf("validation on %s has no error message", c.sqref)
				}
			}

			// The lists the drop-downs refer to.
			lists, _ := f.GetRows(ListsSheet)
			var codes, regions []string
			for _, r := range lists[1:] {
				if len(r) > 0 && r[0] != "" {
					codes = append(codes, r[0])
				}
				if len(r) > 2 && r[2] != "" {
					regions = append(regions, r[2])
				}
			}
			var wantCodes, wantRegions []string
			for _, s := range m.Sectors {
				wantCodes = append(wantCodes, s.Code)
			}
			for _, r := range m.Regions {
				wantRegions = append(wantRegions, r.Name)
			}
			if !slices.Equal(codes, wantCodes) || !slices.Equal(regions, wantRegions) {
				t.Errorf("lists: sectors %q regions %q; want %q %q", codes, regions, wantCodes, wantRegions)
			}

			// Frozen header.
			panes, err := f.GetPanes(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
				t.Errorf("panes %+v: want the header row frozen", panes)
			}

			// Number formats of the data rows.
			formats := map[string]int{"A": 49, "B": 49, "C": 49, "D": 49, "E": 49, "F": 3, "G": 3, "H": 3, "I": 3, "J": 4, "K": 4, "L": 4}
			for col, want := range formats {
				for _, row := range []int{2, LastRow} {
					cell := fmt.Sprintf("%s%d", col, row)
					sid, err := f.GetCellStyle(tt.sheet, cell)
					if err != nil {
						t.Fatal(err)
					}
					st, _ := f.GetStyle(sid)
					if st.NumFmt != want {
						t.Errorf("%s number format %d, want %d", cell, st.NumFmt, want)
					}
				}
				if w, _ := f.GetColWidth(tt.sheet, col); w < 10 {
					t.Errorf("column %s width %.1f, want at least 10", col, w)
				}
			}

			// Instructions explain every column and the general rules.
			ins, err := f.GetRows(InstructionsSheet(tt.lang))
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, r := range ins {
				all.WriteString(strings.Join(r, "\t"))
				all.WriteString("\n")
			}
			text := all.String()
			for _, w := range append(slices.Clone(tt.instructions), want...) {
				if !strings.Contains(text, w) {
					t.Errorf("instructions do not mention %q", w)
				}
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	m := mappings(t)
	noRegion := *m
	noRegion.Regions = nil
	missing := *m
	missing.Columns = missing.Columns[1:]
	tests := []struct {
		name string
		m    *config.Mappings
		opts Options
		want string
	}{
		{"language", m, Options{Lang: "de"}, `language "de"`},
		{"no mappings", nil, Options{}, "no mappings"},
		{"missing column", &missing, Options{}, `no column "operator_id"`},
		{"no region", &noRegion, Options{}, "at least one sector and one region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := New(tt.m, tt.opts)
			if err == nil {
				f.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestWriteDeterministic(t *testing.T) {
	m := mappings(t)
	for _, lang := range []string{"fr", "en"} {
		var a, b bytes.Buffer
		if err := Write(&a, m, Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, m, Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("lang %s: two writes differ", lang)
		}
		// Zip times have a 2-second grain: look at them rather than trust
		// two writes a moment apart.
		zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range zr.File {
			if e.Modified.Year() >= 2000 {
				t.Errorf("lang %s: zip entry %s dated %v: the clock leaks into the file", lang, e.Name, e.Modified)
			}
		}
	}
}

func TestFill(t *testing.T) {
	m := mappings(t)
	rows := []domain.Return{
		{
			OperatorID: "001234567000089", OperatorName: "Atlas Contact Center", Sector: "CRM",
			Region: "Casablanca-Settat", Period: domain.NewPeriod(2016, 1),
			Headcount: 1250, Hires: domain.Int64(180), HiresYouth: domain.Int64(130), HiresDisabled: domain.Int64(2),
			ExportRevenueMAD: 31250000.5, TotalRevenueMAD: domain.Float64(34000000), InvestmentMAD: domain.Float64(0),
		},
		{
			OperatorID: "000987654000012", OperatorName: "Saïss Ingénierie", Sector: "ESO",
			Region: "Fès-Meknès", Period: domain.NewPeriod(2016, 4),
			Headcount: 42, ExportRevenueMAD: 2100000,
		},
	}
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			f, err := Fill(m, Options{Lang: lang}, rows)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			f.Close()
			g, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			sheet := SheetName(lang)
			got, err := g.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{
				{"001234567000089", "Atlas Contact Center", "CRM", "Casablanca-Settat", "2016Q1", "1250", "180", "130", "2", "31250000.5", "34000000", "0"},
				{"000987654000012", "Saïss Ingénierie", "ESO", "Fès-Meknès", "2016Q4", "42", "", "", "", "2100000"},
			}
			if len(got) != 3 {
				t.Fatalf("%d rows, want header + 2", len(got))
			}
			for i, w := range want {
				if !slices.Equal(got[i+1], w) {
					t.Errorf("row %d\n got %q\nwant %q", i+2, got[i+1], w)
				}
			}
			for cell, wantText := range map[string]bool{"A2": true, "E2": true, "F2": false, "J2": false, "L2": false} {
				typ, _ := g.GetCellType(sheet, cell)
				isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
				if isText != wantText {
					t.Errorf("%s cell type %v; text wanted: %v", cell, typ, wantText)
				}
			}
			// Formats shown: thousands separators on persons and amounts.
			if v, _ := g.GetCellValue(sheet, "F2"); v != "1,250" {
				t.Errorf("F2 shows %q, want 1,250", v)
			}
			if v, _ := g.GetCellValue(sheet, "J2"); v != "31,250,000.50" {
				t.Errorf("J2 shows %q, want 31,250,000.50", v)
			}
		})
	}
}

// TestLibreOffice proves another program reads the template: LibreOffice
// converts the blank templates and a filled one to CSV; the header line must
// come out whole, and the ICE and period as written.
func TestLibreOffice(t *testing.T) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("libreoffice not installed: soffice and libreoffice are not on PATH")
	}
	m := mappings(t)
	dir := t.TempDir()
	row := domain.Return{
		OperatorID: "000123456000078", OperatorName: "Tingis Contact, Center", Sector: "CRM",
		Region: "L'Oriental", Period: domain.NewPeriod(2017, 3), Headcount: 2500, ExportRevenueMAD: 41e6,
	}
	type workbook struct {
		name, lang string
		rows       []domain.Return
	}
	books := []workbook{{"blank_fr", "fr", nil}, {"blank_en", "en", nil}, {"filled_fr", "fr", []domain.Return{row}}}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless",
		// 44 = comma, 34 = double quote, 76 = UTF-8.
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir}
	for _, b := range books {
		f, err := Fill(m, Options{Lang: b.lang}, b.rows)
		if err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(dir, b.name+".xlsx")
		err = f.SaveAs(src)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, src)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, b := range books {
		t.Run(b.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, b.name+".csv"))
			if err != nil {
				t.Fatalf("soffice wrote no CSV: %v\n%s", err, out)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
			if err != nil || len(recs) != 1+len(b.rows) {
				t.Fatalf("CSV from LibreOffice: %d lines, err %v; want %d\n%s", len(recs), err, 1+len(b.rows), raw)
			}
			var want []string
			for _, n := range canonicalNames {
				want = append(want, wording(m, n, b.lang))
			}
			if !slices.Equal(recs[0], want) {
				t.Errorf("header line from LibreOffice\n got %q\nwant %q", recs[0], want)
			}
			for i, r := range b.rows {
				got := recs[i+1]
				digits := strings.NewReplacer(",", "", ".00", "", " ", "", "\u00a0", "")
				if got[0] != r.OperatorID || got[1] != r.OperatorName || got[4] != r.Period.String() || digits.Replace(got[5]) != "2500" {
					t.Errorf("row %d from LibreOffice %q; want ICE %s, name %q, period %s, headcount 2500", i+2, got, r.OperatorID, r.OperatorName, r.Period)
				}
			}
		})
	}
}
