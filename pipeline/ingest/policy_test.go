package ingest

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

func TestSkipRowPolicy(t *testing.T) {
	data := book(t, "Fédération", 1, frHeader,
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q1", 100, 10, 5, 0, 1000000, 1200000, ""},
		[]any{"12AB", "Bad", "CRM", "Casa", "2016Q1", 100, "", "", "", 1000000, "", ""},
		[]any{"001234567000090", "Souss", "ITO", "Agadir", "2016Q1", 50, "", "", "", 400000, "", ""},
	)
	x := matcher(t)
	for _, tt := range []struct {
		policy   string
		rejected bool
		rows     int
	}{{OnErrorReject, true, 0}, {"", true, 0}, {OnErrorSkipRow, false, 2}} {
		res := Read("f.xlsx", "s", data, corpusNow, x, Options{OnError: tt.policy, Now: corpusNow})
		if res.Rejected() != tt.rejected || len(res.Returns) != tt.rows || !res.HasErrors() {
			t.Errorf("policy %q: rejected=%v rows=%d errors=%v, want %v %d", tt.policy, res.Rejected(), len(res.Returns), res.HasErrors(), tt.rejected, tt.rows)
		}
		if tt.policy == OnErrorSkipRow && res.SkippedRows != 1 {
			t.Errorf("skipped %d rows, want 1", res.SkippedRows)
		}
	}
	// A file-level error rejects even with skip_row.
	res := Read("f.xlsx", "s", []byte("%PDF-1.4"), corpusNow, x, Options{OnError: OnErrorSkipRow})
	if !res.Rejected() {
		t.Errorf("a PDF accepted with skip_row")
	}
	// All rows bad: nothing to accept.
	bad := book(t, "S", 1, frHeader, []any{"12AB", "Bad", "CRM", "Casa", "2016Q1", 100, "", "", "", 1, "", ""})
	if res := Read("f.xlsx", "s", bad, corpusNow, x, Options{OnError: OnErrorSkipRow, Now: corpusNow}); !res.Rejected() {
		t.Errorf("a file without a good row accepted")
	}
}

// TestPlausibilityWarnings: sharp headcount moves are warnings; an export
// revenue per employee outside the band is a warning with
// ingest.implausible_amounts: warning, and an error by default.
func TestPlausibilityWarnings(t *testing.T) {
	data := book(t, "S", 1, frHeader,
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q1", 100, "", "", "", 1000000, "", ""},
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q2", 300, "", "", "", 3000000, "", ""}, // +200 % on the row above
		[]any{"001234567000090", "Souss", "ITO", "Agadir", "2016Q2", 50, "", "", "", 500000, "", ""}, // -50 %+ on Previous: 120 → 50
		[]any{"001234567000091", "Rif", "ESO", "Fès", "2016Q2", 10, "", "", "", 100, "", ""},         // 10 MAD per employee
	)
	prev := func(id string, p domain.Period) (int64, bool) {
		if id == "001234567000090" && p == domain.NewPeriod(2016, 2) {
			return 120, true
		}
		return 0, false
	}
	o := corpusOptions()
	o.Previous = prev
	if res := Read("f.xlsx", "s", data, corpusNow, matcher(t), o); !res.Rejected() || !slices.ContainsFunc(res.Problems, func(p domain.Problem) bool {
		return p.Code == "export_per_employee" && p.Cell == "J5" && p.Severity == domain.SeverityError
	}) {
		t.Errorf("10 MAD of exports per employee by default: %v, want an error at J5", res.Problems)
	}
	o.ImplausibleAmounts = "warning"
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), o)
	if res.Rejected() || len(res.Returns) != 4 {
		t.Fatalf("rejected=%v rows=%d: %v", res.Rejected(), len(res.Returns), res.Problems)
	}
	got := map[string]string{}
	for _, p := range res.Problems {
		if p.Severity == domain.SeverityWarning {
			got[p.Cell] = p.Code
		}
	}
	want := map[string]string{"F3": "headcount_change", "F4": "headcount_change", "J5": "export_per_employee"}
	for c, code := range want {
		if got[c] != code {
			t.Errorf("cell %s: %q, want %q (all %v)", c, got[c], code, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
}

func TestDeclaredDateTotalsAndNotes(t *testing.T) {
	data := book(t, "Retour", 1,
		[]any{"Déclaration trimestrielle"},
		[]any{"Date de déclaration : 15/04/2016"},
		[]any{},
		frHeader,
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q1", 100, "", "", "", 1000000, "", ""},
		[]any{"001234567000090", "Souss", "ITO", "Agadir", "2016Q1", 50, "", "", "", 400000, "", ""},
		[]any{"001234567000090", "Souss", "ITO", "Agadir", "2016Q2", "", "", "", "", "-", "", ""}, // prepared, not filled
		[]any{"", "", "", "", "", 150, "", "", "", 1400000, "", ""},
		[]any{"Sous-total", "", "", "", "", 150},
		[]any{},
		[]any{"Source : direction des ressources humaines, chiffres au 31 mars"},
	)
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), corpusOptions())
	if res.Rejected() || len(res.Returns) != 2 {
		t.Fatalf("rejected=%v rows=%d: %v", res.Rejected(), len(res.Returns), res.Problems)
	}
	if !res.DeclaredAt.Equal(time.Date(2016, 4, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("declared at %v", res.DeclaredAt)
	}
	codes := map[string]int{}
	for _, p := range res.Problems {
		codes[p.Code]++
	}
	if codes["totals_row"] != 2 || codes["note_row"] != 1 || codes["unfilled_row"] != 1 {
		t.Errorf("problems %v", res.Problems)
	}
}

func TestTimeout(t *testing.T) {
	data, err := os.ReadFile("../../testdata/ingest/hostile/million-empty-rows.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	o := corpusOptions()
	o.Timeout = time.Millisecond
	start := time.Now()
	res := Read("slow.xlsx", "s", data, corpusNow, matcher(t), o)
	if time.Since(start) > time.Second || !res.Rejected() || res.Problems[0].Code != "timeout" {
		t.Fatalf("after %s: %v", time.Since(start), res.Problems)
	}
	// The abandoned reader stops and frees its slot.
	deadline := time.Now().Add(10 * time.Second)
	for len(slots) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned reader still runs")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUnitNoteAboveHeader(t *testing.T) {
	hdr := []any{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif", "CA export", "CA total (MAD)", "Investissements"}
	data := book(t, "S", 1,
		[]any{"Montants en KMAD"},
		hdr,
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "T1 2016", 100, "1 234,5", 2000000, 300},
	)
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), corpusOptions())
	if res.Rejected() || len(res.Returns) != 1 {
		t.Fatalf("%v", res.Problems)
	}
	r := res.Returns[0]
	// The header's own unit (MAD) wins over the note above the table.
	if r.ExportRevenueMAD != 1234500 || *r.TotalRevenueMAD != 2000000 || *r.InvestmentMAD != 300000 {
		t.Errorf("export %v total %v investment %v", r.ExportRevenueMAD, *r.TotalRevenueMAD, *r.InvestmentMAD)
	}
}

func TestNoHeaderSaysWhatIsMissing(t *testing.T) {
	data := book(t, "S", 3, []any{"ICE", "Raison sociale", "Filière", "Période", "Effectif", "CA export"},
		[]any{"001234567000089", "Atlas", "CRM", "2016Q1", 100, 1000000})
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), corpusOptions())
	p := res.Problems[0]
	if !res.Rejected() || p.Code != "no_header" || p.Cell != "A3" || !strings.Contains(p.Message, "Region") || !strings.Contains(p.MessageFR, "« Région »") {
		t.Errorf("%+v", p)
	}
}

func TestAmbiguousSeparatorDependsOnUnit(t *testing.T) {
	hdr := []any{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif", "CA export (MAD)", "CA total (MMAD)", "Investissements (KMAD)"}
	data := book(t, "S", 1, hdr, []any{"001234567000089", "Atlas", "CRM", "Casa", "T1 2016", 100, "548,000", "15,234", "1.5"})
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), corpusOptions())
	if res.Rejected() || len(res.Returns) != 1 {
		t.Fatalf("%v", res.Problems)
	}
	r := res.Returns[0]
	if r.ExportRevenueMAD != 548000 || *r.TotalRevenueMAD != 15234000 || *r.InvestmentMAD != 1500 {
		t.Errorf("export %v total %v investment %v", r.ExportRevenueMAD, *r.TotalRevenueMAD, *r.InvestmentMAD)
	}
}

// TestReaderPanicIsInternalError: a panic inside the reading (a bug of
// offshore's or of a library) refuses that file with internal_error, keeps
// the panic for the log, never shows it to the operator, and the next file
// is read as usual, with or without a timeout (a goroutine of its own).
func TestReaderPanicIsInternalError(t *testing.T) {
	data := book(t, "S", 1, frHeader, []any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q1", 100, "", "", "", 1000000, "", ""})
	readHook = func(name string) {
		if name == "bad.xlsx" {
			panic("boom")
		}
	}
	defer func() { readHook = nil }()
	for _, timeout := range []time.Duration{0, 10 * time.Second} {
		o := corpusOptions()
		o.Timeout = timeout
		bad := Read("bad.xlsx", "s", data, corpusNow, matcher(t), o)
		if !bad.Rejected() || len(bad.Problems) != 1 || bad.Problems[0].Code != "internal_error" || bad.Fault == nil || bad.Fault.Value != "boom" || len(bad.Fault.Stack) == 0 {
			t.Errorf("timeout %s: %+v, fault %+v", timeout, bad.Problems, bad.Fault)
		}
		if strings.Contains(bad.Problems[0].MessageFR, "boom") {
			t.Errorf("the panic reaches the operator: %s", bad.Problems[0].MessageFR)
		}
		if good := Read("good.xlsx", "s", data, corpusNow, matcher(t), o); good.Rejected() || len(good.Returns) != 1 {
			t.Errorf("timeout %s: the next file: %v", timeout, good.Problems)
		}
	}
}

// TestNumberingRowUnderHeader: a row numbering the columns under the
// header ("(1)", "(2)"…) is no return.
func TestNumberingRowUnderHeader(t *testing.T) {
	data := book(t, "S", 1, []any{"ICE", "Raison sociale", "Filière", "Région", "Période", "Effectif", "CA export"},
		[]any{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"},
		[]any{"001234567000089", "Atlas", "CRM", "Casa", "2016Q1", 100, 1000000},
	)
	res := Read("f.xlsx", "s", data, corpusNow, matcher(t), corpusOptions())
	if res.Rejected() || len(res.Returns) != 1 || res.Returns[0].Row != 3 {
		t.Errorf("rejected %v, %d returns: %v", res.Rejected(), len(res.Returns), res.Problems)
	}
}
