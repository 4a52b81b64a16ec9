package synth

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/ingest"
)

// TestGenerateComplete: the national workload's panel has exactly one
// return per operator and quarter.
func TestGenerateComplete(t *testing.T) {
	m := mappings(t)
	o := Options{Operators: 40, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2020, 4), Complete: true}
	files, err := Generate(m, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 40*24 {
		t.Fatalf("%d files, want %d", len(files), 40*24)
	}
	seen := map[string]bool{}
	ops := map[string]int{}
	for _, f := range files {
		r := f.Rows[0]
		if seen[r.Key()] {
			t.Fatalf("%s twice", r.Key())
		}
		seen[r.Key()] = true
		ops[r.OperatorID]++
	}
	for id, n := range ops {
		if n != 24 {
			t.Errorf("operator %s: %d quarters, want 24", id, n)
		}
	}
	checkRules(t, m, o.withDefaults(), files, false)
}

func fileSHA(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// zipPart returns one part of an xlsx.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

func TestWriteFederation(t *testing.T) {
	m := mappings(t)
	const rows = 2000
	path := filepath.Join(t.TempDir(), "federation.xlsx")
	if err := WriteFederation(context.Background(), path, m, rows, 5); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	// As Excel writes it: shared strings with their counts, text cells by
	// index, a dimension, dates as serial numbers with a date style.
	sst := zipPart(t, data, "xl/sharedStrings.xml")
	mm := regexp.MustCompile(`<sst [^>]*count="(\d+)" uniqueCount="(\d+)">`).FindStringSubmatch(sst)
	if mm == nil {
		t.Fatalf("sharedStrings.xml without count and uniqueCount: %.200s", sst)
	}
	count, _ := strconv.Atoi(mm[1])
	unique, _ := strconv.Atoi(mm[2])
	if got := strings.Count(sst, "<si>"); got != unique {
		t.Errorf("%d <si>, uniqueCount %d", got, unique)
	}
	sheet := zipPart(t, data, "xl/worksheets/sheet1.xml")
	if got := strings.Count(sheet, ` t="s"`); got != count {
		t.Errorf("%d shared-string cells, count says %d", got, count)
	}
	if count < 6*(rows+1) || unique >= count/2 {
		t.Errorf("count %d, uniqueCount %d: want six text columns sharing their strings", count, unique)
	}
	if strings.Contains(sheet, `t="inlineStr"`) || strings.Contains(sheet, `t="str"`) {
		t.Error("inline strings in the sheet")
	}
	if !strings.Contains(sheet, fmt.Sprintf(`<dimension ref="A1:O%d"/>`, rows+1)) {
		t.Errorf("no dimension A1:O%d", rows+1)
	}
	styles := zipPart(t, data, "xl/styles.xml")
	if !strings.Contains(styles, `formatCode="dd/mm/yyyy"`) || !strings.Contains(styles, `numFmtId="14"`) {
		t.Error("styles without date formats")
	}
	if !regexp.MustCompile(`<c r="F2" s="5"><v>\d{5}</v></c>`).MatchString(sheet) {
		t.Errorf("F2 is not a serial date with a date style: %s", regexp.MustCompile(`<c r="F2"[^/]*/c>`).FindString(sheet))
	}

	// 15 columns, rows+1 rows, read by excelize as a workbook.
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != rows+1 || len(got[0]) != FederationColumns {
		t.Fatalf("%d rows × %d columns, want %d × %d", len(got), len(got[0]), rows+1, FederationColumns)
	}
	if v, _ := f.GetCellValue(f.GetSheetList()[0], "F2"); !regexp.MustCompile(`^\d\d?-\d\d?-\d\d$|^\d\d?/\d\d?/\d{2,4}$`).MatchString(v) {
		t.Errorf("F2 formatted as %q, want a date", v)
	}

	// Read back by ingest, with the plausibility checks of the defaults:
	// every row accepted, no error, no warning, the 3 extra columns noted.
	opts := ingest.Options{HeadcountChangeMax: 0.5, ExportPerEmployeeMin: 1000, ExportPerEmployeeMax: 5e6, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	res := ingest.Read("federation.xlsx", fileSHA(data), data, time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), ingest.NewMatcher(m), opts)
	extra := 0
	for _, p := range res.Problems {
		if p.Code == "extra_column" && p.Severity == domain.SeverityInfo {
			extra++
			continue
		}
		t.Errorf("problem: %s %s %s %s: %s (found %q)", p.Severity, p.Code, p.Cell, p.Column, p.Message, p.Found)
	}
	if extra != FederationColumns-12 {
		t.Errorf("%d extra columns reported, want %d", extra, FederationColumns-12)
	}
	if len(res.Returns) != rows {
		t.Fatalf("%d returns read, want %d", len(res.Returns), rows)
	}
	keys := map[string]bool{}
	for _, r := range res.Returns {
		keys[r.Key()] = true
		if r.Period < domain.NewPeriod(2015, 1) || r.Period > domain.NewPeriod(2020, 4) {
			t.Fatalf("period %s", r.Period)
		}
	}
	if len(keys) != rows {
		t.Errorf("%d distinct operator × period, want %d", len(keys), rows)
	}
}

func TestWriteFederationDeterministic(t *testing.T) {
	m := mappings(t)
	dir := t.TempDir()
	write := func(name string, rows int, seed uint64) []byte {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := WriteFederation(context.Background(), p, m, rows, seed); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := write("a.xlsx", 500, 9), write("b.xlsx", 500, 9), write("c.xlsx", 500, 10)
	if !bytes.Equal(a, b) {
		t.Error("the same seed wrote different bytes")
	}
	if bytes.Equal(a, c) {
		t.Error("another seed wrote the same bytes")
	}
	if err := WriteFederation(context.Background(), filepath.Join(dir, "0.xlsx"), m, 0, 1); err == nil {
		t.Error("0 rows: no error")
	}
	if err := WriteFederation(context.Background(), filepath.Join(dir, "1.xlsx"), m, 1, 1); err != nil {
		t.Errorf("1 row: %v", err)
	}
}

func TestWriteSeries(t *testing.T) {
	dir := t.TempDir()
	const n = 300
	read := func(name string, seed uint64) ([]byte, [][]string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := WriteSeries(p, n, seed); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return b, recs
	}
	a, recs := read("a.csv", 3)
	b, _ := read("b.csv", 3)
	c, _ := read("c.csv", 4)
	if !bytes.Equal(a, b) {
		t.Error("the same seed wrote different bytes")
	}
	if bytes.Equal(a, c) {
		t.Error("another seed wrote the same bytes")
	}
	if strings.Join(recs[0], ",") != "series_id,period,value" {
		t.Fatalf("header %v", recs[0])
	}
	lengths := map[string]int{}
	var order []string
	last := map[string]domain.Period{}
	for i, r := range recs[1:] {
		p, err := domain.ParsePeriod(r[1])
		if err != nil || r[1] != p.String() {
			t.Fatalf("row %d: period %q", i+2, r[1])
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil || v <= 0 {
			t.Fatalf("row %d: value %q, want a positive number", i+2, r[2])
		}
		if prev, ok := last[r[0]]; ok && p != prev+1 {
			t.Fatalf("row %d: series %s goes from %s to %s", i+2, r[0], prev, p)
		}
		if _, ok := lengths[r[0]]; !ok {
			order = append(order, r[0])
		}
		last[r[0]] = p
		lengths[r[0]]++
	}
	if len(lengths) != n {
		t.Fatalf("%d series, want %d", len(lengths), n)
	}
	short, long := 0, 0
	for _, id := range order {
		l := lengths[id]
		if l < SeriesMinLen || l > SeriesMaxLen {
			t.Errorf("series %s: %d quarters", id, l)
		}
		if l < 20 {
			short++
		}
		if l > 32 {
			long++
		}
	}
	if short == 0 || long == 0 {
		t.Errorf("lengths not varied: %d short, %d long", short, long)
	}
	if _, err := GenerateSeries(0, 1); err == nil {
		t.Error("0 series: no error")
	}
}
