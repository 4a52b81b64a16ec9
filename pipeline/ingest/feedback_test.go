package ingest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestFeedback(t *testing.T) {
	x := matcher(t)
	tests := []struct {
		file, lang, first, cell, title string
	}{
		{"../../testdata/ingest/corpus/lo-bad-cells.xlsx", "fr", "Problèmes", "A2", "Retour sur votre déclaration"},
		{"../../testdata/ingest/corpus/js-bad-cells.xlsx", "en", "Problems", "C3", "Feedback on your return"},
		{"../../testdata/ingest/hostile/pdf-renamed.xlsx", "fr", "Problèmes", "", "Retour sur votre déclaration"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			res := Read(filepath.Base(tt.file), "sha", data, corpusNow, x, corpusOptions())
			f, out := openFeedback(t, data, res, tt.lang)
			if got := f.GetSheetList()[0]; got != tt.first {
				t.Errorf("first sheet %q, want %q", got, tt.first)
			}
			if v, _ := f.GetCellValue(tt.first, "A1"); !strings.HasPrefix(v, tt.title) {
				t.Errorf("title %q", v)
			}
			rows, _ := f.GetRows(tt.first)
			if len(rows)-4 != len(res.Problems) {
				t.Errorf("%d problem rows, want %d", len(rows)-4, len(res.Problems))
			}
			if tt.cell == "" {
				return
			}
			cs, err := f.GetComments("Déclaration")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range cs {
				if c.Cell == tt.cell {
					found = true
				}
			}
			if !found {
				t.Errorf("no comment on %s: %v", tt.cell, cs)
			}
			st, _ := f.GetCellStyle("Déclaration", tt.cell)
			s, _ := f.GetStyle(st)
			// (excelize reads back the fill of some LibreOffice styles without its colour.)
			if s == nil || s.Fill.Pattern != 1 || len(s.Fill.Color) > 0 && s.Fill.Color[0] != "FFC7CE" && s.Fill.Color[0] != "" {
				t.Errorf("cell %s not highlighted: %+v", tt.cell, s)
			}
			// The operator's data is intact: the same rows read again.
			res2 := Read("again.xlsx", "sha", out, corpusNow, x, corpusOptions())
			if dump(res2) != dump(res) {
				t.Errorf("feedback changed the data:\n%s\nvs\n%s", dump(res2), dump(res))
			}
		})
	}
}

// TestFeedbackWithoutData: a file refused unread (too large) still gets a
// feedback workbook.
func TestFeedbackWithoutData(t *testing.T) {
	res := TooLarge("enorme.xlsx", 80<<20, 50<<20)
	f, _ := openFeedback(t, nil, res, "fr")
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Problèmes" {
		t.Errorf("sheets %v", got)
	}
	if v, _ := f.GetCellValue("Problèmes", "H5"); v != "too_large" {
		t.Errorf("H5 = %q", v)
	}
}

// TestFeedbackOpensInLibreOffice converts a feedback workbook with
// LibreOffice when it is installed (CI installs it when it can).
func TestFeedbackOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("libreoffice not installed")
	}
	if testing.Short() {
		t.Skip("short")
	}
	data, _ := os.ReadFile("../../testdata/ingest/corpus/py-bad-cells.xlsx")
	res := Read("py-bad-cells.xlsx", "sha", data, corpusNow, matcher(t), corpusOptions())
	out, err := Feedback(data, res, "fr")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "retour.xlsx")
	if err := os.WriteFile(in, out, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "csv", "--outdir", dir, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "retour.csv"))
	if err != nil || !strings.Contains(string(csv), "Retour sur votre d") {
		t.Errorf("LibreOffice did not read the problems sheet first: %v %q", err, csv)
	}
}

// openFeedback writes the feedback workbook of data and res in lang and
// returns it opened (closed when the test ends) and as bytes.
func openFeedback(t *testing.T, data []byte, res Result, lang string) (*excelize.File, []byte) {
	t.Helper()
	out, err := Feedback(data, res, lang)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, out
}
