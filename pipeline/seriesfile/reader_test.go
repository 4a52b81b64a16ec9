package seriesfile

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with the file testdata/name, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// dump writes series as text, one line each (a missing value is _), then
// the series' target and warnings, and the label of the period after its
// last.
func dump(ss []Series) string {
	var b strings.Builder
	for _, s := range ss {
		vals := make([]string, len(s.Values))
		for i, v := range s.Values {
			vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
			if s.Missing != nil && s.Missing[i] {
				vals[i] = "_"
			}
		}
		fmt.Fprintf(&b, "%q %s %s..%s: %s\n", s.ID, freqName(s.Freq), s.Label(s.First), s.Label(s.Last()), strings.Join(vals, " "))
		if s.Target != nil {
			fmt.Fprintf(&b, "\ttarget %g\n", *s.Target)
		}
		for _, w := range s.Warnings {
			fmt.Fprintf(&b, "\twarning: %s\n", w)
		}
		fmt.Fprintf(&b, "\tnext: %s\n", s.Label(s.Last()+1))
	}
	return b.String()
}

// TestReadFiles reads every file of testdata/: NAME.good.csv gives the series
// dumped in NAME.good.csv.series, NAME.bad.csv the errors listed one per line
// in NAME.bad.csv.errors, every one of them.
func TestReadFiles(t *testing.T) {
	good, _ := filepath.Glob(filepath.Join("testdata", "*.good.csv"))
	bad, _ := filepath.Glob(filepath.Join("testdata", "*.bad.csv"))
	if len(good) < 2 || len(bad) < 5 {
		t.Fatalf("fixtures: %v %v", good, bad)
	}
	files := append(good, bad...)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			file, err := ReadFile(path)
			if strings.HasSuffix(name, ".good.csv") {
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name+".series", dump(file.Series))
				return
			}
			if err == nil || file != nil {
				t.Fatalf("read %v, want an error", file)
			}
			golden(t, name+".errors", err.Error()+"\n")
		})
	}
}

// TestRowError: the errors of a bad file are RowErrors, with the position,
// the value and what was expected.
func TestRowError(t *testing.T) {
	_, err := ReadFile(filepath.Join("testdata", "rows.bad.csv"))
	var re *RowError
	if !errors.As(err, &re) {
		t.Fatalf("%v: no RowError", err)
	}
	want := RowError{File: filepath.Join("testdata", "rows.bad.csv"), Row: 4, Col: "value", Value: "x", Want: numbersWanted(markPoint), Series: "b"}
	if *re != want {
		t.Errorf("first error %+v, want %+v", *re, want)
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 2 {
		t.Errorf("%d errors, want 2", n)
	}
}

// TestReadXLSX: a workbook's first sheet reads as the same CSV would, years
// and values typed as numbers included, whether from a file or a reader.
func TestReadXLSX(t *testing.T) {
	csvPath := filepath.Join("testdata", "two.good.csv")
	wantFile, err := ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	want := wantFile.Series
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("second"); err != nil { // only the first sheet is read
		t.Fatal(err)
	}
	// The columns in another order, numbers as numbers.
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		c := strings.Split(line, ",")
		row := []any{c[2], c[0], c[1]}
		if i > 0 {
			v, _ := strconv.ParseFloat(c[2], 64)
			row[0] = v
			if y, err := strconv.Atoi(c[1]); err == nil {
				row[2] = y
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "in.XLSX")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	gotFile, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := gotFile.Series; dump(got) != dump(want) {
		t.Errorf("from the workbook:\n%s\nfrom the CSV:\n%s", dump(got), dump(want))
	}
	raw, _ := os.ReadFile(path)
	gotFile, err = Read(bytes.NewReader(raw), "upload.xlsx")
	if err != nil || dump(gotFile.Series) != dump(want) {
		t.Errorf("Read: %v\n%v", err, gotFile)
	}
}

// TestReadFileType: a name that is neither .csv nor .xlsx is ErrFileType,
// before anything is opened; a missing file names itself.
func TestReadFileType(t *testing.T) {
	for _, name := range []string{"x.txt", "x.xls", "x.csv.gz", "x"} {
		if _, err := ReadFile(filepath.Join(t.TempDir(), name)); !errors.Is(err, ErrFileType) {
			t.Errorf("%s: %v, want ErrFileType", name, err)
		}
		if _, err := Read(strings.NewReader("series_id,period,value\na,2016,1\n"), name); !errors.Is(err, ErrFileType) {
			t.Errorf("Read %s: %v, want ErrFileType", name, err)
		}
	}
	missing := filepath.Join(t.TempDir(), "none.csv")
	if _, err := ReadFile(missing); err == nil || errors.Is(err, ErrFileType) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Read(strings.NewReader("not a zip"), "x.xlsx"); err == nil || !strings.Contains(err.Error(), "reading x.xlsx") {
		t.Errorf("damaged workbook: %v", err)
	}
	if f, err := Read(strings.NewReader("series_id,period,value\na,2016,1\n"), "A.CSV"); err != nil || !slices.Equal(f.Series[0].Values, []float64{1}) {
		t.Errorf("upper-case .CSV: %v %v", f, err)
	}
}
