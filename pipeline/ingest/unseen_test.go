package ingest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// unseenWant is what a workbook of testdata/ingest/unseen holds, written by
// the program that wrote the workbook (gen/), never from offshore's reading.
type unseenWant struct {
	Valid   bool   `json:"valid"`
	Writer  string `json:"writer"`
	Notes   string `json:"notes"`
	Returns []struct {
		Sheet         string   `json:"sheet"`
		Row           int      `json:"row"`
		OperatorID    string   `json:"operator_id"`
		OperatorName  string   `json:"operator_name"`
		Sector        string   `json:"sector"`
		Region        string   `json:"region"`
		Period        string   `json:"period"`
		Headcount     int64    `json:"headcount"`
		Hires         *int64   `json:"hires"`
		HiresYouth    *int64   `json:"hires_youth"`
		HiresDisabled *int64   `json:"hires_disabled"`
		Export        float64  `json:"export_revenue_mad"`
		Total         *float64 `json:"total_revenue_mad"`
		Investment    *float64 `json:"investment_mad"`
	} `json:"returns"`
	Faults []struct {
		Sheet string `json:"sheet"`
		Cell  string `json:"cell"`
		What  string `json:"what"`
	} `json:"faults"`
}

// unseenNow is the run's date of the unseen corpus: its returns are for
// 2015Q1..2024Q4, so a later quarter is in the future.
var unseenNow = time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC)

// unseenScore tallies one half of the corpus.
type unseenScore struct {
	valid, validAccepted     int
	invalid, invalidAccepted int
	fields, fieldsRight      int
	faults, faultsAtCell     int
	misses                   []string
}

func (s *unseenScore) String() string {
	return fmt.Sprintf("valid files accepted %d/%d (%.1f %%), fields exact %d/%d (%.2f %%), invalid files accepted %d/%d, faults named at their cell %d/%d",
		s.validAccepted, s.valid, pct(s.validAccepted, s.valid), s.fieldsRight, s.fields, pct(s.fieldsRight, s.fields),
		s.invalidAccepted, s.invalid, s.faultsAtCell, s.faults)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// scoreUnseen reads one workbook and scores what was read against its want.
func scoreUnseen(t *testing.T, x *Matcher, path string, s *unseenScore) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(strings.TrimSuffix(path, ".xlsx") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var want unseenWant
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	name := filepath.Base(path)
	o := corpusOptions()
	o.Now = unseenNow
	res := Read(name, "sha", data, unseenNow, x, o)
	miss := func(format string, a ...any) {
		s.misses = append(s.misses, name+": "+fmt.Sprintf(format, a...))
	}
	if want.Valid {
		s.valid++
		if !res.Rejected() {
			s.validAccepted++
		} else {
			var errs []string
			for _, p := range res.Problems {
				if p.Severity == domain.SeverityError {
					errs = append(errs, p.Text("en"))
				}
			}
			miss("valid file rejected: %s", strings.Join(errs, "; "))
		}
	} else {
		s.invalid++
		if !res.Rejected() {
			s.invalidAccepted++
			miss("invalid file accepted (%s)", want.Notes)
		}
		for _, f := range want.Faults {
			s.faults++
			found := false
			for _, p := range res.Problems {
				found = found || p.Severity == domain.SeverityError && p.Sheet == f.Sheet && p.Cell == f.Cell
			}
			if found {
				s.faultsAtCell++
			} else {
				miss("fault %s!%s (%s) not named at its cell", f.Sheet, f.Cell, f.What)
			}
		}
	}
	if !want.Valid {
		return // the rows of a rejected file are not kept: nothing to compare
	}
	// The fields of a valid file wrongly rejected all count as wrong.
	// Returns by row: two tables side by side hold two returns a row, told
	// apart by their ICE.
	got := map[string][]domain.Return{}
	for _, r := range res.Returns {
		k := fmt.Sprintf("%s!%d", r.Sheet, r.Row)
		got[k] = append(got[k], r)
	}
	for _, w := range want.Returns {
		s.fields += 12
		var r domain.Return
		rs := got[fmt.Sprintf("%s!%d", w.Sheet, w.Row)]
		ok := len(rs) > 0
		if ok {
			r = rs[0]
		}
		for _, c := range rs {
			if c.OperatorID == w.OperatorID && c.Period.String() == w.Period {
				r = c
			}
		}
		if !ok {
			if !res.Rejected() {
				miss("row %s!%d not read", w.Sheet, w.Row)
			}
			continue
		}
		eqI := func(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
		eqF := func(a, b *float64) bool {
			return a == nil && b == nil || a != nil && b != nil && math.Abs(*a-*b) < 0.005
		}
		checks := []struct {
			name string
			ok   bool
			got  any
			want any
		}{
			{"operator_id", r.OperatorID == w.OperatorID, r.OperatorID, w.OperatorID},
			{"operator_name", r.OperatorName == w.OperatorName, r.OperatorName, w.OperatorName},
			{"sector", r.Sector == w.Sector, r.Sector, w.Sector},
			{"region", r.Region == w.Region, r.Region, w.Region},
			{"period", r.Period.String() == w.Period, r.Period.String(), w.Period},
			{"headcount", r.Headcount == w.Headcount, r.Headcount, w.Headcount},
			{"hires", eqI(r.Hires, w.Hires), show(r.Hires), show(w.Hires)},
			{"hires_youth", eqI(r.HiresYouth, w.HiresYouth), show(r.HiresYouth), show(w.HiresYouth)},
			{"hires_disabled", eqI(r.HiresDisabled, w.HiresDisabled), show(r.HiresDisabled), show(w.HiresDisabled)},
			{"export_revenue_mad", math.Abs(r.ExportRevenueMAD-w.Export) < 0.005, r.ExportRevenueMAD, w.Export},
			{"total_revenue_mad", eqF(r.TotalRevenueMAD, w.Total), show(r.TotalRevenueMAD), show(w.Total)},
			{"investment_mad", eqF(r.InvestmentMAD, w.Investment), show(r.InvestmentMAD), show(w.Investment)},
		}
		for _, c := range checks {
			if c.ok {
				s.fieldsRight++
			} else {
				miss("%s!%d %s: read %v, want %v", w.Sheet, w.Row, c.name, c.got, c.want)
			}
		}
	}
}

func show[T any](p *T) any {
	if p == nil {
		return "blank"
	}
	return *p
}

// unseenBar is what TestUnseenCorpus requires of a half, in percent.
type unseenBar struct {
	validPct, fieldsPct, faultsPct float64
	invalidAccepted                int
}

// TestUnseenCorpus reads workbooks written by other programs (openpyxl,
// exceljs with and without sheet views, SheetJS, LibreOffice from .ods and
// .xls originals, Gnumeric) with wordings and layouts chosen by someone who
// never saw the reader, and scores each half against the bar: the
// reader was tuned on the dev half only. OFFSHORE_UNSEEN_VERBOSE=1 lists the
// dev half's misses.
func TestUnseenCorpus(t *testing.T) {
	x := matcher(t)
	for _, half := range []string{"dev", "dev2", "dev3", "dev4", "heldout"} {
		files, _ := filepath.Glob("../../testdata/ingest/unseen/" + half + "/*.xlsx")
		if len(files) < 40 {
			t.Fatalf("%s: %d workbooks, want at least 40", half, len(files))
		}
		var s unseenScore
		for _, f := range files {
			scoreUnseen(t, x, f, &s)
		}
		t.Logf("%s (%d workbooks): %s", half, len(files), &s)
		if half != "heldout" && os.Getenv("OFFSHORE_UNSEEN_VERBOSE") != "" {
			for _, m := range s.misses {
				t.Log(m)
			}
		}
		// The bar of issue 12 on the first set tuned on; on the later ones
		// (dev2..dev4: new wordings and layouts, files left that a reader
		// cannot get right alone, see docs/ingest.md) and on the held-out
		// half, the figures measured, as a floor: a change that reads fewer
		// unseen files right fails here.
		bar := map[string]unseenBar{
			"dev":     {validPct: 98, fieldsPct: 99.5, faultsPct: 100},
			"dev2":    {validPct: 95, fieldsPct: 89.5, faultsPct: 100},
			"dev3":    {validPct: 95, fieldsPct: 96.5, faultsPct: 100},
			"dev4":    {validPct: 91, fieldsPct: 96.5, faultsPct: 85},
			"heldout": {validPct: 93, fieldsPct: 98.5, faultsPct: 100},
		}[half]
		if pct(s.validAccepted, s.valid) < bar.validPct || pct(s.fieldsRight, s.fields) < bar.fieldsPct || s.invalidAccepted > bar.invalidAccepted || pct(s.faultsAtCell, s.faults) < bar.faultsPct {
			t.Errorf("%s: below %+v: %s", half, bar, &s)
		}
	}
}
