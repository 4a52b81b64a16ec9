package seriesfile

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		mark decimalMark
		v    float64
		st   numberStatus
	}{
		{"1234.5", markPoint, 1234.5, numOK},
		{"-1.5e3", markPoint, -1500, numOK},
		{"52 000", markPoint, 52000, numOK},
		{"1,5", markPoint, 0, numBad},
		{"1,5", markComma, 1.5, numOK},
		{"98\u00a0685,5", markComma, 98685.5, numOK},
		{"1\u202f254\u202f300,5", markComma, 1254300.5, numOK},
		{"1.254.300,5", markComma, 1254300.5, numOK},
		{"1.5", markComma, 0, numBad},
		{"3,1E+150", markComma, 3.1e150, numOK},
		{"1,5E+400", markComma, 0, numNonFinite},
		{"1e400", markPoint, 0, numNonFinite},
		{"NaN", markPoint, 0, numNonFinite},
		{"-Infinity", markPoint, 0, numNonFinite},
		{"inf", markComma, 0, numNonFinite},
		{"", markComma, 0, numMissing},
		{" ", markPoint, 0, numMissing},
		{"N/A", markPoint, 0, numBad},
		{"#DIV/0!", markComma, 0, numBad},
		{"0x1p3", markPoint, 0, numBad},
		{"2,5", markEither, 2.5, numOK},
		{"2.5", markEither, 2.5, numOK},
	}
	for _, tt := range tests {
		v, st := parseNumber(tt.in, tt.mark)
		if v != tt.v || st != tt.st {
			t.Errorf("parseNumber(%q, %d) = %v, %d; want %v, %d", tt.in, tt.mark, v, st, tt.v, tt.st)
		}
	}
}

// TestDialect: the separator the header line holds most of decides the
// dialect; a semicolon file is French, with a decimal comma unless no value
// has a comma and some have a point.
func TestDialect(t *testing.T) {
	tests := []struct {
		in     string
		style  Style
		values string
	}{
		{"series_id,period,value\na,2016,1.5\na,2017,2\n", English, "1.5 2"},
		{"serie;periode;valeur\na;2016;1,5\na;2017;2\n", French, "1.5 2"},
		{"serie;periode;valeur\na;2016;1.5\na;2017;2\n", French, "1.5 2"},
		{"\ufeff\"série\";\"a,b\";période;valeur\r\na;x;2016;1,5\r\na;y;2017;2\r\n", French, "1.5 2"},
		{"serie\tperiode\tvaleur\na\t2016\t1,5\na\t2017\t2\n", English, "1.5 2"},
	}
	for _, tt := range tests {
		f, err := Read(strings.NewReader(tt.in), "d.csv")
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got := strings.TrimSpace(strings.SplitN(dump(f.Series), ": ", 2)[1][:len(tt.values)]); f.Style != tt.style || got != tt.values {
			t.Errorf("%q: style %s, values %s; want %s, %s", tt.in, f.Style, got, tt.style, tt.values)
		}
	}
}

// TestReadXLSXDates: a workbook's cells formatted as dates read as their
// month; quarter starts make a quarterly series. Periods typed as text
// and years typed as numbers read as in a CSV file.
func TestReadXLSXDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	custom := "mmm-yy"
	monthFmt, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Série", "Période", "Valeur"}}
	for i, serial := range []int{42370, 42461, 42552, 42644} { // 2016-01-01, 04-01, 07-01, 10-01
		rows = append(rows, []any{"q", serial, i + 1})
	}
	for i, serial := range []int{42430, 42461, 42491} { // 2016-03-01, 04-01, 05-01
		rows = append(rows, []any{"m", serial, i + 1})
	}
	rows = append(rows, []any{"t", "T1 2016", "1,5"}, []any{"t", "T2 2016", 2}, []any{"y", 2016, 1}, []any{"y", 2017.0, 2})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellStyle("Sheet1", "B2", "B5", date)
	f.SetCellStyle("Sheet1", "B6", "B8", monthFmt)
	path := filepath.Join(t.TempDir(), "d.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	file, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `"q" quarterly 2016-01-01..2016-10-01: 1 2 3 4
	next: 2017-01-01
"m" monthly 2016-03-01..2016-05-01: 1 2 3
	next: 2016-06-01
"t" quarterly T1 2016..T2 2016: 1.5 2
	next: T3 2016
"y" yearly 2016..2017: 1 2
	next: 2018
`
	if got := dump(file.Series); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
