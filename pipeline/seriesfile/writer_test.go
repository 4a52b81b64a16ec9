package seriesfile

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/forecast"
)

// forecastTwo forecasts testdata/two.good.csv three steps with the random
// walk with drift (a model whose figures do not depend on a search), with
// or without a target.
func forecastTwo(t *testing.T, target *float64) []Result {
	t.Helper()
	file, err := ReadFile(filepath.Join("testdata", "two.good.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ss := file.Series
	m, err := forecast.ByName("rw-drift")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Forecast(context.Background(), ss, Options{Horizon: 3, Model: m, Target: target}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// ptr returns a pointer to v.
func ptr(v float64) *float64 { return &v }

// TestWriteGolden compares with testdata/: the CSV of forecasts (the
// figures have 10 significant digits, which do not depend on how the
// platform rounds the last bit), and the CSV and JSON of rows made by hand,
// a row with p_meet beside one without (a blank cell, no key) included.
func TestWriteGolden(t *testing.T) {
	target := 45000.0
	for _, tt := range []struct {
		name   string
		target *float64
	}{{"two", nil}, {"two.target", &target}} {
		var b bytes.Buffer
		if err := Write(&b, CSV, English, forecastTwo(t, tt.target)); err != nil {
			t.Fatal(err)
		}
		golden(t, tt.name+".h3.csv.golden", b.String())
	}
	p := 0.25
	hand := []Result{
		{Series: Series{ID: "a,b \"c\""}, Model: "theta", Target: &target, Rows: []Row{
			{SeriesID: "a,b \"c\"", Period: "2019Q4", Point: 1.5, Lo80: ptr(1), Hi80: ptr(2), Lo95: ptr(0.5), Hi95: ptr(2.5), Model: "theta", Target: &target, PMeet: &p,
				Warnings: []string{"1 missing value filled in: 2018Q2", "a; b"}}}},
		{Series: Series{ID: "short"}, Err: forecast.ErrTooFewPoints},
		{Series: Series{ID: "x"}, Model: "damped 60% + theta 40%", Rows: []Row{
			{SeriesID: "x", Period: "2020", Point: 1e21, Lo80: ptr(-0.000001), Hi80: ptr(123456789.125), Lo95: ptr(-1e-7), Hi95: ptr(2e21), Model: "damped 60% + theta 40%"}}},
		{Series: Series{ID: "y"}, Model: "theta", Rows: []Row{
			{SeriesID: "y", Period: "T1 2020", Point: 3.25, Model: "theta", Warnings: []string{"too short for an honest interval: point forecast only, no interval or p_meet"}}}},
	}
	for _, tt := range []struct {
		f  Format
		st Style
	}{{CSV, English}, {JSON, English}, {CSV, French}} {
		var b bytes.Buffer
		if err := Write(&b, tt.f, tt.st, hand); err != nil {
			t.Fatal(err)
		}
		golden(t, "rows."+string(tt.st)+"."+string(tt.f)+".golden", b.String())
	}
}

// TestWriteFormats: the three formats hold the same rows; JSON has p_meet
// only with a target; the workbook has one sheet, "forecast", with numbers
// as numbers; nothing forecast writes a header or [] alone.
func TestWriteFormats(t *testing.T) {
	target := 45000.0
	res := forecastTwo(t, &target)
	var c bytes.Buffer
	if err := Write(&c, CSV, English, res); err != nil {
		t.Fatal(err)
	}
	csvLines := strings.Split(strings.TrimSpace(c.String()), "\n")

	var j bytes.Buffer
	if err := Write(&j, JSON, English, res); err != nil {
		t.Fatal(err)
	}
	var rows []Row
	if err := json.Unmarshal(j.Bytes(), &rows); err != nil || len(rows) != len(csvLines)-1 || rows[0].PMeet == nil {
		t.Errorf("json: %v, %d rows, want %d with p_meet", err, len(rows), len(csvLines)-1)
	}
	j.Reset()
	if err := Write(&j, JSON, English, forecastTwo(t, nil)); err != nil || strings.Contains(j.String(), "p_meet") {
		t.Errorf("json without a target: %v\n%s", err, j.String())
	}

	path := filepath.Join(t.TempDir(), "out", "f.xlsx") // its folder is created
	if err := WriteFile(path, XLSX, English, res); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "forecast" {
		t.Errorf("sheets %v", sheets)
	}
	xrows, err := f.GetRows("forecast")
	if err != nil || len(xrows) != len(csvLines) {
		t.Fatalf("xlsx: %v, %d rows, want %d", err, len(xrows), len(csvLines))
	}
	if got := strings.Join(xrows[0], ","); got != csvLines[0] {
		t.Errorf("xlsx header %s, want %s", got, csvLines[0])
	}
	if typ, _ := f.GetCellType("forecast", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("point stored as %v, want a number", typ)
	}
	for i, line := range csvLines[1:] {
		want := strings.Split(line, ",")
		got := xrows[i+1]
		if got[0] != want[0] || got[1] != want[1] || got[7] != want[7] {
			t.Errorf("xlsx row %d %v, want %v", i+2, got, want)
		}
		x, _ := strconv.ParseFloat(got[2], 64)
		y, _ := strconv.ParseFloat(want[2], 64)
		if d := x - y; d > 1e-6*max(1, y) || d < -1e-6*max(1, y) {
			t.Errorf("xlsx row %d point %s, csv %s", i+2, got[2], want[2])
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d files beside the workbook (a temporary left?)", len(entries)-1)
	}

	none := []Result{{Series: Series{ID: "tiny"}, Err: forecast.ErrTooFewPoints}}
	for f, want := range map[Format]string{CSV: "series_id,period,point,lo80,hi80,lo95,hi95,model,warnings\n", JSON: "[]\n"} {
		var b bytes.Buffer
		if err := Write(&b, f, English, none); err != nil || b.String() != want {
			t.Errorf("%s of nothing: %v %q, want %q", f, err, b.String(), want)
		}
	}
}

// TestWriteRefused: an unknown format, and an xlsx file not named .xlsx,
// are refused and write nothing.
func TestWriteRefused(t *testing.T) {
	res := forecastTwo(t, nil)
	var b bytes.Buffer
	if err := Write(&b, "table", English, res); err == nil || b.Len() > 0 {
		t.Errorf("format table: %v, wrote %d bytes", err, b.Len())
	}
	if _, err := ParseFormat("xls"); err == nil {
		t.Errorf("ParseFormat(xls) accepted")
	}
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := WriteFile(path, XLSX, English, res); err == nil {
		t.Errorf("xlsx into %s accepted", path)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s written: %v", path, err)
	}
}

// TestCSVNeutralisesFormulas: a series id, like any text the tool writes to
// a CSV, cannot open as a formula in a spreadsheet.
func TestCSVNeutralisesFormulas(t *testing.T) {
	pt := 1.0
	rows := []Row{{SeriesID: "=cmd|' /c calc'!A1", Period: "2019", Point: pt, Model: "theta"}, {SeriesID: "-2+3", Period: "2019", Point: -4, Model: "theta"}}
	for _, st := range []Style{English, French} {
		var b bytes.Buffer
		if err := writeCSV(&b, st, []string{"series_id", "period", "point", "lo80", "hi80", "lo95", "hi95", "model", "warnings"}, false, rows); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "'=cmd") || !strings.Contains(out, "'-2+3") || strings.Contains(out, "'-4") {
			t.Errorf("style %v: formulas not neutralised, or a number was:\n%s", st, out)
		}
	}
}
