package report

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
)

// TestCountsSayWhatTheyCount recomputes every count of the demo's workbook
// from the returns the warehouse serves (the consolidated panel), by what
// its header says it counts: operators are distinct operators, returns are
// quarterly returns. A column of returns headed "operators" (the hires
// table once counted an operator's four returns a year) fails.
func TestCountsSayWhatTheyCount(t *testing.T) {
	b, panel, _ := demoWorkbook(t, "fr")
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last := domain.Period(0)
	for _, r := range panel {
		last = max(last, r.Period)
	}
	// distinct counts the operators of the returns that keep.
	distinct := func(keep func(*domain.Return) bool) int {
		ops := map[string]bool{}
		for i := range panel {
			if keep(&panel[i]) {
				ops[panel[i].OperatorID] = true
			}
		}
		return len(ops)
	}
	returns := func(keep func(*domain.Return) bool) int {
		n := 0
		for i := range panel {
			if keep(&panel[i]) {
				n++
			}
		}
		return n
	}
	// column finds the table whose header row holds first in column A and
	// header in column col, and returns its rows (key in column A, the
	// count in col), up to the first empty row.
	column := func(sheet, first, header string, col int) map[string]int {
		t.Helper()
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for i, r := range rows {
			if len(r) < col || r[0] != first || r[col-1] != header {
				continue
			}
			for _, data := range rows[i+1:] {
				if len(data) < col || data[0] == "" {
					break
				}
				n, err := strconv.Atoi(data[col-1])
				if err != nil {
					t.Fatalf("%s %q, row %q: %q is not a count", sheet, header, data[0], data[col-1])
				}
				out[data[0]] = n
			}
			return out
		}
		t.Fatalf("%s: no column %q", sheet, header)
		return nil
	}
	check := func(what string, got map[string]int, want func(key string) int) {
		t.Helper()
		if len(got) == 0 {
			t.Errorf("%s: no row", what)
		}
		for k, n := range got {
			if w := want(k); n != w {
				t.Errorf("%s, %s: %d in the workbook, %d recomputed from the returns", what, k, n, w)
			}
		}
	}
	atLast := func(key func(*domain.Return) string, k string) func(*domain.Return) bool {
		return func(r *domain.Return) bool { return r.Period == last && (k == fr.total || key(r) == k) }
	}
	sector := func(r *domain.Return) string { return r.Sector }
	region := func(r *domain.Return) string { return r.Region }

	check("Filières, "+fr.sectorCols[1], column("Filières", fr.sectorCols[0], fr.sectorCols[1], 2), func(k string) int { return distinct(atLast(sector, k)) })
	check("Régions, "+fr.regionCols[1], column("Régions", fr.regionCols[0], fr.regionCols[1], 2), func(k string) int { return distinct(atLast(region, k)) })

	hired := func(year int, key func(*domain.Return) string, k string) func(*domain.Return) bool {
		return func(r *domain.Return) bool {
			return r.Hires != nil && r.Period.Year() == year && (key == nil || k == fr.total || key(r) == k)
		}
	}
	byYear := column("Emploi inclusif", fr.inclusiveCols[0], fr.inclusiveCols[1], 2)
	check("Emploi inclusif, "+fr.inclusiveCols[1]+" by year", byYear, func(k string) int {
		y, _ := strconv.Atoi(k)
		return distinct(hired(y, nil, ""))
	})
	if ops, rs := distinct(hired(last.Year(), nil, "")), returns(hired(last.Year(), nil, "")); ops == rs {
		t.Errorf("the operators that reported hires in %d are as many as their returns (%d): the check cannot tell them apart", last.Year(), ops)
	}
	check("Emploi inclusif, "+fr.inclusiveSectorCols[1]+" by sector", column("Emploi inclusif", fr.inclusiveSectorCols[0], fr.inclusiveSectorCols[1], 2), func(k string) int {
		return distinct(hired(last.Year(), sector, k))
	})

	// Qualité des données: returns expected (an operator that filed for
	// the quarter or one of the four before), received, late, missing.
	quality := map[int]func(p domain.Period) int{
		2: func(p domain.Period) int {
			return distinct(func(r *domain.Return) bool { return r.Period <= p && r.Period >= p-4 })
		},
		3: func(p domain.Period) int { return returns(func(r *domain.Return) bool { return r.Period == p }) },
		4: func(p domain.Period) int {
			return returns(func(r *domain.Return) bool {
				return r.Period == p && r.ReceivedAt.After(p.End().AddDate(0, 0, 45))
			})
		},
		5: func(p domain.Period) int {
			return distinct(func(r *domain.Return) bool { return r.Period <= p && r.Period >= p-4 }) - returns(func(r *domain.Return) bool { return r.Period == p })
		},
	}
	for col, want := range quality {
		check("Qualité des données, "+fr.qualityCols[col-1], column("Qualité des données", fr.qualityCols[0], fr.qualityCols[col-1], col), func(k string) int {
			p, err := parsePeriodName(k)
			if err != nil {
				t.Fatal(err)
			}
			return want(p)
		})
	}

	// Synthèse: the operators behind the series.
	wantText(t, f, "Synthèse", ref(t, colLabel, rowSeriesSpan), fmt.Sprintf(fr.seriesSpan, "T1 2015", fr.periodName(last), distinct(func(*domain.Return) bool { return true })))
}
