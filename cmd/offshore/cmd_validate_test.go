package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	corpus := "../../testdata/ingest/corpus/"
	dir := t.TempDir()
	// Odd file names: spaces, accents, a newline.
	good, err := os.ReadFile(corpus + "lo-title-block-kmad.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	odd := filepath.Join(dir, "déclaration T1\n2024 (copie).xlsx")
	if err := os.WriteFile(odd, good, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"good", []string{"validate", corpus + "py-template.xlsx"}, exitOK, []string{"py-template.xlsx: ok, 6 rows"}},
		{"odd name, flags after the file", []string{"validate", odd, "--lang", "fr"}, exitOK, []string{"accepté, 5 ligne(s) lue(s)", "[info] unit: ", "MAD × 1000"}},
		{"bad and good", []string{"validate", corpus + "js-bad-cells.xlsx", corpus + "js-template.xlsx"}, exitRejected,
			[]string{"js-bad-cells.xlsx: REJECTED", "[error] bad_ice", "cell A2", `"12AB"`, "js-template.xlsx: ok"}},
		{"hostile", []string{"validate", "../../testdata/ingest/hostile/xls-renamed.xlsx"}, exitRejected, []string{"Excel 97-2003 workbook (.xls)"}},
		{"no file", []string{"validate"}, exitUsage, nil},
		{"bad format", []string{"validate", "--format", "xml", corpus + "py-template.xlsx"}, exitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := offshore(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; out %s; err %s", code, tt.code, out, stderr)
			}
			for _, w := range tt.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	code, out, stderr := offshore(t, "validate", "--format", "json", "../../testdata/ingest/corpus/lo-period-range-duplicate.xlsx", "../../testdata/ingest/corpus/lo-template.xlsx")
	if code != exitRejected {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v struct {
		Files []struct {
			File, Verdict string
			Rows          int
			Problems      []struct {
				Severity, Code, Cell string
				MessageFR            string `json:"message_fr"`
			}
		}
		Rejected int
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(v.Files) != 2 || v.Rejected != 1 || v.Files[0].Verdict != "rejected" || v.Files[1].Verdict != "accepted" || v.Files[1].Rows != 6 {
		t.Fatalf("%+v", v)
	}
	codes := map[string]string{}
	for _, p := range v.Files[0].Problems {
		codes[p.Cell] = p.Code
		if p.MessageFR == "" {
			t.Errorf("no French message: %+v", p)
		}
	}
	if codes["E2"] != "period_too_early" || codes["A5"] != "duplicate" {
		t.Errorf("problems %v", codes)
	}
}
