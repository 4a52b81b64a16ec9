package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForecastAsk asks the demo's warehouse questions from the command
// line: any sector, metric and horizon, what-ifs, each output format, the
// charts; bad questions exit 2 with what is wrong.
func TestForecastAsk(t *testing.T) {
	dir := demo(t)
	plot := filepath.Join(t.TempDir(), "charts")
	for _, tt := range []struct {
		name string
		args []string
		code int
		out  []string
		err  string
	}{
		{"BPO what-ifs 2030", []string{"--sector", "BPO", "--horizon", "2030", "--target", "40000", "--what-if", "required,best,worst,collecting", "--plot", plot},
			exitOK, []string{"Emplois — BPO, 2030", "latest 2018Q4:", "target 40\u202f000", "required", "best", "worst", "collecting"}, ""},
		{"national exports, official target, English", []string{"--metric", "exports", "--lang", "en"},
			exitOK, []string{"Export revenue — national, 2030", "(official: md-2030/exports-2030)", " MDH"}, ""},
		{"region hires as JSON", []string{"--region", "Casablanca-Settat", "--metric", "hires", "--horizon", "2025", "--format", "json"},
			exitOK, []string{`"level": "region"`, `"yearly": true`}, ""},
		{"csv, French", []string{"--sector", "CRM", "--format", "csv"}, exitOK, []string{"\ufeffscenario;period;observed;"}, ""},
		{"csv, comma", []string{"--sector", "CRM", "--format", "csv", "--sep", ","}, exitOK, []string{"scenario,period,observed,"}, ""},
		{"as-of after the data", []string{"--sector", "BPO", "--as-of", "2030Q1"}, exitUsage, nil, "latest quarter with returns, 2018Q4"},
		{"as-of after the data, targets", []string{"--as-of", "2026Q1"}, exitUsage, nil, "latest quarter with returns, 2018Q4"},
		{"unknown sector", []string{"--sector", "XYZ"}, exitUsage, nil, `sector is "XYZ"`},
		{"horizon too far", []string{"--sector", "BPO", "--horizon", "2040"}, exitUsage, nil, "horizon is 2040"},
		{"unknown what-if", []string{"--metric", "jobs", "--what-if", "boom"}, exitUsage, nil, `what-if "boom"`},
		{"xlsx without --out", []string{"--sector", "BPO", "--format", "xlsx"}, exitUsage, nil, "needs --out"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := offshore(t, append([]string{"forecast", "--workdir", dir}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, stderr)
			}
			for _, w := range tt.out {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(tt.name, "JSON") {
				var a map[string]any
				if err := json.Unmarshal([]byte(out), &a); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for _, f := range []string{"forecast.png", "forecast.svg", "required.png", "best.svg", "worst.png"} {
		if b, err := os.ReadFile(filepath.Join(plot, f)); err != nil || len(b) < 1000 {
			t.Errorf("chart %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(plot, "collecting.png")); err == nil {
		t.Error("a chart for a what-if that could not be computed (no quarter in collection)")
	}
	out := filepath.Join(t.TempDir(), "bpo.xlsx")
	if code, _, stderr := offshore(t, "forecast", "--workdir", dir, "--sector", "BPO", "--format", "xlsx", "--out", out); code != exitOK {
		t.Fatal(stderr)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("PK")) {
		t.Error("--format xlsx wrote no workbook")
	}
}
