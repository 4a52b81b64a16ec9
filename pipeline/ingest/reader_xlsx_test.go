package ingest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

var frHeader = []any{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif fin de période", "Recrutements de la période",
	"dont jeunes (moins de 35 ans)", "dont personnes en situation de handicap", "CA export de la période (MAD)", "CA total de la période (MAD)", "Investissements de la période (MAD)"}

func matcher(t testing.TB) *Matcher {
	c, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	return NewMatcher(&c.Mappings)
}

// book writes rows (the first one at startRow) into a one-sheet workbook.
func book(t testing.TB, sheet string, startRow int, rows ...[]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		f.SetSheetName("Sheet1", sheet)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, startRow+i)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readBook(t testing.TB, data []byte) Result {
	return Read("r.xlsx", "abc", data, time.Date(2016, 4, 20, 0, 0, 0, 0, time.UTC), matcher(t), Options{MaxRows: 1000, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func TestReadGoodTemplate(t *testing.T) {
	data := book(t, "Déclaration", 1, frHeader,
		[]any{"001234567000089", "Atlas Contact", "CRM", "Casablanca-Settat", "2016Q1", 1200, 90, 70, 1, 15000000.5, 16000000, ""},
		[]any{},
		[]any{"001234567000090", "Souss IT", "Services informatiques", "Agadir", "2016q1", 45, "", "", "", "1 234 567,50", "", 250000},
	)
	res := readBook(t, data)
	if res.Rejected() || len(res.Returns) != 2 || res.Sheet != "Déclaration" {
		t.Fatalf("rejected=%v returns=%d sheet=%q problems=%v", res.Rejected(), len(res.Returns), res.Sheet, res.Problems)
	}
	a, b := res.Returns[0], res.Returns[1]
	if a.OperatorID != "001234567000089" || a.Sector != "CRM" || a.Headcount != 1200 || *a.Hires != 90 || a.ExportRevenueMAD != 15000000.5 || a.InvestmentMAD != nil {
		t.Errorf("first row %+v", a)
	}
	if a.Row != 2 || a.Sheet != "Déclaration" || a.SourceSHA256 != "abc" || a.SourceName != "r.xlsx" {
		t.Errorf("lineage %+v", a)
	}
	if b.Sector != "ITO" || b.Region != "Souss-Massa" || b.Hires != nil || b.ExportRevenueMAD != 1234567.5 || *b.InvestmentMAD != 250000 || b.Row != 4 {
		t.Errorf("second row %+v", b)
	}
}

func TestReadHeaderBelowTitleEnglishAndExtraColumn(t *testing.T) {
	hdr := []any{"Notes", "Period", "ICE", "Company name", "SECTOR", "region", "Headcount at end of period", "Export revenue in period (MAD)"}
	data := book(t, "Data", 4, hdr, []any{"x", "2017Q2", 1234567000089, "ACME", "bpo", "Rabat", 10, 100})
	res := readBook(t, data)
	if res.Rejected() || len(res.Returns) != 1 {
		t.Fatalf("problems %v", res.Problems)
	}
	r := res.Returns[0]
	if r.OperatorID != "001234567000089" || r.Row != 5 || r.Region != "Rabat-Salé-Kénitra" || r.Period != domain.NewPeriod(2017, 2) {
		t.Errorf("row %+v", r)
	}
	if len(res.Problems) != 2 || res.Problems[0].Code != "extra_column" || res.Problems[0].Cell != "A4" || res.Problems[0].Severity != domain.SeverityInfo ||
		res.Problems[1].Code != "ice_padded" || res.Problems[1].Cell != "C5" || res.Problems[1].Severity != domain.SeverityInfo {
		t.Errorf("problems %v, want an info on A4 (extra column) and one on C5 (ICE padded)", res.Problems)
	}
}

// TestICETypedAsTextIsNotPadded: only a number loses its leading zeros; an
// ICE typed as text with 13 or 14 digits is another operator's, padded.
func TestICETypedAsTextIsNotPadded(t *testing.T) {
	for _, ice := range []string{"1234567000089", "12345670000890", "12 345 670 000 89"} {
		data := book(t, "Data", 1, []any{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif", "CA export"}, []any{ice, "ACME", "BPO", "Rabat", "2017Q2", 10, 100000})
		res := readBook(t, data)
		if !res.Rejected() || len(res.Problems) != 1 || res.Problems[0].Code != "bad_ice" || res.Problems[0].Cell != "A2" {
			t.Errorf("ICE %q typed as text: problems %v, want bad_ice at A2", ice, res.Problems)
		}
	}
}

func TestReadReportsEveryBadCell(t *testing.T) {
	data := book(t, "Déclaration", 1, frHeader,
		[]any{"12AB", "", "Boulangerie", "Paris", "2016Q7", -3, 5, 9, 0, "beaucoup", 10, ""},
		[]any{"001234567000089", "Atlas", "CRM", "Fès", "2016Q1", 10, 5, 1, 0, 100, 150, ""},
		[]any{"001234567000089", "Atlas", "CRM", "Fès", "2016Q1", 10, 5, 1, 0, 100, 150, ""},
		[]any{"001234567000090", "Atlas", "CRM", "Fès", "2016Q1", 10, 5, 1, 0, 100, 50, ""},
	)
	res := readBook(t, data)
	if !res.Rejected() || len(res.Returns) != 0 {
		t.Fatalf("want rejection with no rows, got %d rows", len(res.Returns))
	}
	want := map[string]string{ // cell → code
		"A2": "bad_ice", "B2": "required", "C2": "bad_sector", "D2": "bad_region", "E2": "bad_period",
		"F2": "bad_count", "H2": "exceeds_hires", "J2": "bad_amount", "A4": "duplicate", "K5": "total_below_export",
	}
	got := map[string]string{}
	for _, p := range res.Problems {
		got[p.Cell] = p.Code
		if p.File != "r.xlsx" || p.Sheet != "Déclaration" || p.Message == "" || p.Expected == "" {
			t.Errorf("problem without location or explanation: %+v", p)
		}
	}
	for cell, code := range want {
		if got[cell] != code {
			t.Errorf("cell %s: code %q, want %q (all: %v)", cell, got[cell], code, got)
		}
	}
	msg := res.Problems[0].Error()
	for _, s := range []string{"r.xlsx", "sheet Déclaration", "cell A2", `"12AB"`, "15 digits"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q lacks %q", msg, s)
		}
	}
}

func TestReadUnreadableAndHeaderless(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code string
	}{
		{"not a workbook", []byte("ICE;Raison sociale\n1;2\n"), "not_xlsx"},
		{"no header", book(t, "S", 1, []any{"a", "b"}, []any{1, 2}), "no_header"},
		{"header only", book(t, "S", 1, frHeader), "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readBook(t, tt.data)
			if !res.Rejected() || res.Problems[0].Code != tt.code {
				t.Errorf("problems %v, want %s", res.Problems, tt.code)
			}
		})
	}
}

func TestParseNumberAndICE(t *testing.T) {
	nums := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1234.5", 1234.5, true}, {"1.5E+7", 1.5e7, true}, {"1 234 567,50", 1234567.5, true},
		{"1\u00a0234", 1234, true}, {"12,5", 12.5, true}, {"abc", 0, false}, {"NaN", 0, false}, {"1,234,567.50", 1234567.5, true}, {"1.234.567,50", 1234567.5, true}, {"1,2,3", 0, false},
	}
	for _, n := range nums {
		if got, ok := parseNumber(n.in); ok != n.ok || got != n.want {
			t.Errorf("parseNumber(%q) = %v %v", n.in, got, ok)
		}
	}
	ices := []struct{ in, want string }{{"001234567000089", "001234567000089"}, {"1234567000089", "001234567000089"}, {"001 234 567 000 089", "001234567000089"}, {"1.234567000089E+12", "001234567000089"}, {"1234567890123456", ""}, {"12A", ""}}
	for _, c := range ices {
		if got, _ := parseICE(c.in); got != c.want {
			t.Errorf("parseICE(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
