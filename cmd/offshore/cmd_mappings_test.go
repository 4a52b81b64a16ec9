package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestMappingsSuggest: a header that resembles a column but is not read
// gives the alias line that would make it read, under that column.
func TestMappingsSuggest(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif opérationnel", "CA export", "Recrutements", "Jeunes recrutés (tranche 18-34)"},
		{"001234567000089", "Atlas", "CRM", "Casablanca", "2017Q2", 120, 3000000, 10, 4},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	if d := os.Getenv("KEEP"); d != "" {
		path = filepath.Join(d, "r.xlsx")
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := offshore(t, "mappings", "suggest", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"  - name: headcount\n    aliases:\n      - \"Effectif opérationnel\"  # r.xlsx, Sheet1!F1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := offshore(t, "mappings", "list"); code != exitUsage {
		t.Errorf("mappings list: exit %d, want %d", code, exitUsage)
	}
}
