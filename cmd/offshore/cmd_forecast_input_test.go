package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/pipeline/seriesfile"
)

// writeInput writes a yearly and a quarterly series (and optionally a
// too-short one) as series_id,period,value CSV.
func writeInput(t *testing.T, short bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("series_id,period,value\n")
	for i := range 12 {
		fmt.Fprintf(&b, "jobs,%d,%d\n", 2007+i, 40000+3000*i+(i%3)*500)
	}
	for i := range 16 {
		fmt.Fprintf(&b, "exports q,%dQ%d,%g\n", 2015+i/4, i%4+1, 2.0+0.08*float64(i)+0.1*float64(i%4))
	}
	if short {
		b.WriteString("tiny,2019,5\ntiny,2020,6\n")
	}
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestForecastInputCSV(t *testing.T) {
	in := writeInput(t, true)
	dir := t.TempDir()
	code, out, stderr := offshore(t, "forecast", "--input", in, "--horizon", "3", "--target", "3", "--plot", filepath.Join(dir, "plots"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "series_id,period,point,lo80,hi80,lo95,hi95,model,target,p_meet,warnings" {
		t.Errorf("header %s", got)
	}
	if len(recs) != 1+2*3 {
		t.Fatalf("%d rows, want 6:\n%s", len(recs)-1, out)
	}
	for _, want := range [][2]string{{"jobs", "2019"}, {"jobs", "2021"}, {"exports q", "2019Q1"}, {"exports q", "2019Q3"}} {
		found := false
		for _, r := range recs[1:] {
			found = found || (r[0] == want[0] && r[1] == want[1])
		}
		if !found {
			t.Errorf("no row for %s %s", want[0], want[1])
		}
	}
	for _, r := range recs[1:] {
		var v [5]float64
		for i := range v {
			fmt.Sscan(r[2+i], &v[i])
		}
		point, lo80, hi80, lo95, hi95 := v[0], v[1], v[2], v[3], v[4]
		if !(lo95 <= lo80 && lo80 <= point && point <= hi80 && hi80 <= hi95) || r[7] == "" || r[8] != "3" || r[9] == "" {
			t.Errorf("row %v: intervals not nested or fields missing", r)
		}
	}
	if !strings.Contains(stderr, "tiny") {
		t.Errorf("the too-short series is not reported: %s", stderr)
	}
	for _, f := range []string{"jobs.png", "exports_q.png"} {
		b, err := os.ReadFile(filepath.Join(dir, "plots", f))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("plot %s: %v", f, err)
		}
	}

	// The other formats, to stdout and to --out (the writers' own tests are
	// in pipeline/seriesfile).
	code, out, stderr = offshore(t, "forecast", "--input", in, "--horizon", "2", "--format", "json")
	var rows []seriesfile.Row
	if err := json.Unmarshal([]byte(out), &rows); code != exitOK || err != nil || len(rows) != 4 || rows[0].PMeet != nil {
		t.Errorf("json: exit %d, %v, %d rows: %s", code, err, len(rows), stderr)
	}
	x := filepath.Join(dir, "out.xlsx")
	if code, _, stderr := offshore(t, "forecast", "--input", in, "--horizon", "2", "--format", "xlsx", "--out", x); code != exitOK {
		t.Fatalf("xlsx: exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rs, err := f.GetRows("forecast"); err != nil || len(rs) != 5 || rs[1][1] != "2019" {
		t.Errorf("xlsx rows %v %v", rs, err)
	}
}

func TestForecastInputErrors(t *testing.T) {
	in := writeInput(t, false)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("series_id,period,value\na,2016,1\na,2017Q1,2\nb,2016,x\nc,2016,1\nc,2018,2\nd,2016,1e400\n"), 0o644)
	targets := filepath.Join(dir, "targets.csv")
	os.WriteFile(targets, []byte("series_id,period,value,target\na,2016,1,5\na,2017,2,\na,2018,3,\n"), 0o644)
	short := filepath.Join(dir, "short.csv")
	os.WriteFile(short, []byte("series_id,period,value\ntiny,2019,5\ntiny,2020,6\n"), 0o644)
	notCSV := filepath.Join(dir, "x.txt")
	os.WriteFile(notCSV, []byte("series_id,period,value\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no horizon", []string{"--input", in}, exitUsage, []string{"--horizon 0"}},
		{"bad format", []string{"--input", in, "--horizon", "2", "--format", "table"}, exitUsage, []string{"csv, json or xlsx"}},
		{"xlsx to stdout", []string{"--input", in, "--horizon", "2", "--format", "xlsx"}, exitUsage, []string{"--out"}},
		{"xlsx not named .xlsx", []string{"--input", in, "--horizon", "2", "--format", "xlsx", "--out", filepath.Join(dir, "f.csv")}, exitUsage, []string{"ending in .xlsx"}},
		{"bad target", []string{"--input", in, "--horizon", "2", "--target", "lots"}, exitUsage, []string{"--target"}},
		{"bad model", []string{"--input", in, "--horizon", "2", "--model", "arima"}, exitUsage, []string{"arima"}},
		{"not csv", []string{"--input", notCSV, "--horizon", "2"}, exitUsage, []string{".csv or .xlsx"}},
		{"horizon without input", []string{"--horizon", "2"}, exitUsage, []string{"go with --input"}},
		{"missing file", []string{"--input", filepath.Join(dir, "none.csv"), "--horizon", "2"}, exitUsage, []string{"none.csv"}},
		{"bad rows", []string{"--input", bad, "--horizon", "2"}, exitFailure, []string{ // every one (the rules: pipeline/seriesfile); c's gap is no error
			"row 3, column period, series a: \"2017Q1\", want a yearly period", "row 4, column value, series b: \"x\"", "row 7, column value, series d: \"1e400\", want a finite number"}},
		{"two targets", []string{"--input", targets, "--horizon", "2", "--target", "4"}, exitUsage, []string{"gives targets of its own (series a)"}},
		{"bad csv style", []string{"--input", in, "--horizon", "2", "--csv-style", "de"}, exitUsage, []string{"--csv-style"}},
		{"only short series", []string{"--input", short, "--horizon", "2"}, exitFailure, []string{"short.csv: no series could be forecast (tiny)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := offshore(t, append([]string{"forecast"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestForecastInputFrench: a French CSV file (semicolons, decimal commas,
// no-break spaces in thousands, T1 2016, a target column, a gap) is
// forecast into French CSV by default, periods labelled like the input,
// warnings in a column and once per series on stderr; --csv-style en
// writes English CSV with the same labels.
func TestForecastInputFrench(t *testing.T) {
	var b strings.Builder
	b.WriteString("\ufeffSérie;Période;Valeur;Cible\r\n")
	for i := range 16 {
		if i == 9 {
			continue // T2 2018 missing
		}
		fmt.Fprintf(&b, "emplois;T%d %d;%d\u00a0%03d,5;70 000\r\n", i%4+1, 2016+i/4, 52+i, (i*137)%1000)
	}
	in := filepath.Join(t.TempDir(), "fr.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := offshore(t, "forecast", "--input", in, "--horizon", "2", "--model", "rw-drift")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, "\ufeffseries_id;period;point;lo80;hi80;lo95;hi95;model;target;p_meet;warnings\n") {
		t.Errorf("not French CSV:\n%s", out)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("%v: %q", err, recs)
	}
	if r := recs[1]; r[1] != "T1 2020" || !strings.Contains(r[2], ",") || r[8] != "70000" || !strings.Contains(r[10], "filled in: T2 2018") {
		t.Errorf("row %q", r)
	}
	if recs[2][1] != "T2 2020" {
		t.Errorf("second step %q", recs[2][1])
	}
	if n := strings.Count(stderr, "T2 2018"); n != 1 {
		t.Errorf("the gap is said %d times on stderr, want once:\n%s", n, stderr)
	}
	code, out, stderr = offshore(t, "forecast", "--input", in, "--horizon", "1", "--csv-style", "en")
	if code != exitOK || !strings.HasPrefix(out, "series_id,period,") || !strings.Contains(out, ",T1 2020,") {
		t.Errorf("--csv-style en: exit %d:\n%s%s", code, out, stderr)
	}
}

// manyInput writes n quarterly series of 12 to 40 quarters (one too short
// to forecast) as series_id,period,value CSV.
func manyInput(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("series_id,period,value\n")
	for i := range n {
		m := 12 + (i*7)%29
		if i == n/2 {
			m = 2
		}
		for k := range m {
			v := 1000 + 20*float64(k) + float64((i*31+k*17)%50) + 40*float64((k+i)%4)
			fmt.Fprintf(&b, "s%03d,%dQ%d,%g\n", i, 2010+k/4, k%4+1, v)
		}
	}
	p := filepath.Join(t.TempDir(), "many.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// BenchmarkForecastInput runs the command on 200 quarterly series of a CSV
// file with the automatic model on all cores: reading, forecasting and
// writing (docs/forecast.md cites it; BenchmarkForecast in
// pipeline/seriesfile measures the forecasts alone).
func BenchmarkForecastInput(b *testing.B) {
	in := manyInput(b, 200)
	o := inputOptions{Input: in, Horizon: 8, Format: "csv", Model: "auto"}
	b.ReportAllocs()
	for b.Loop() {
		if err := runForecastInput(context.Background(), o, io.Discard, slog.New(slog.DiscardHandler)); err != nil {
			b.Fatal(err)
		}
	}
}
