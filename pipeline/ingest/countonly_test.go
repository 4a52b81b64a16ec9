package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// TestCountOnlyMatches: a read with Options.CountOnly (offshore validate)
// counts the returns a normal read keeps and reports the same problems, on
// the corpus, the hostile files and a federation workbook with errors,
// duplicates and implausible figures, streamed or not, with either policy,
// with the headcount check in Read or deferred to CheckHeadcounts.
func TestCountOnlyMatches(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata/ingest/corpus", "../../testdata/ingest/hostile"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		files = append(files, m...)
	}
	fed := federationWithErrors(t)
	files = append(files, fed)
	defer func(n int64) { streamOver = n }(streamOver)
	x := matcher(t)
	// Previous knows a quarter before every operator's first: with a
	// headcount of 1, most first quarters raise a warning.
	previous := func(string, domain.Period) (int64, bool) { return 1, true }
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		for _, policy := range []string{OnErrorReject, OnErrorSkipRow} {
			for _, stream := range []int64{1 << 62, 0} {
				for _, deferred := range []bool{false, true} {
					streamOver = stream
					opts := corpusOptions()
					opts.OnError = policy
					if deferred {
						opts.DeferHeadcounts, opts.Previous = true, previous
					}
					read := func(countOnly bool) Result {
						o := opts
						o.CountOnly = countOnly
						res := Read(name, "sha", data, corpusNow, x, o)
						if deferred {
							CheckHeadcounts(&res, o)
						}
						return res
					}
					want, got := read(false), read(true)
					if got.Rows() != len(want.Returns) || want.Rows() != len(want.Returns) || len(got.Returns) != 0 ||
						got.Sheet != want.Sheet || !got.DeclaredAt.Equal(want.DeclaredAt) || got.SkippedRows != want.SkippedRows ||
						got.Rejected() != want.Rejected() || !reflect.DeepEqual(got.Problems, want.Problems) {
						t.Errorf("%s (%s, streamed %v, deferred %v): count only: %d rows, %d skipped, rejected %v, problems\n%v\nread: %d rows, %d skipped, rejected %v, problems\n%v",
							name, policy, stream == 0, deferred, got.Rows(), got.SkippedRows, got.Rejected(), got.Problems,
							len(want.Returns), want.SkippedRows, want.Rejected(), want.Problems)
					}
					if path == fed && policy == OnErrorSkipRow {
						var codes []string
						for _, p := range got.Problems {
							codes = append(codes, p.Code)
						}
						for _, c := range []string{"duplicate", "bad_ice", "required", "headcount_change", "export_per_employee"} {
							if !slices.Contains(codes, c) {
								t.Errorf("%s: no %s among %v", name, c, codes)
							}
						}
						// The odd export figure is an error too (a unit left unsaid).
						if got.Rows() != 3000-4 || got.SkippedRows != 4 {
							t.Errorf("%s: %d rows, %d skipped; want 2996 and 4", name, got.Rows(), got.SkippedRows)
						}
					}
				}
			}
		}
	}
}

// federationWithErrors writes a federation workbook of 3,000 rows (three
// batches of the streaming reader) with a duplicate row, a bad ICE, a blank
// region, a headcount ten times its previous quarter's and an export revenue
// of 1 MAD, and returns its path.
func federationWithErrors(t *testing.T) string {
	cfg, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "federation-errors.xlsx")
	if err := synth.WriteFederation(context.Background(), path, &cfg.Mappings, 3000, 1); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	header, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	x := NewMatcher(&cfg.Mappings)
	col := map[string]int{}
	for c, v := range header[0] {
		if h := x.Header(v); h.Column != "" {
			col[h.Column] = c + 1
		}
	}
	set := func(column string, row int, v any) {
		cell, _ := excelize.CoordinatesToCellName(col[column], row)
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	get := func(column string, row int) string {
		cell, _ := excelize.CoordinatesToCellName(col[column], row)
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		return v
	}
	// Row 2000 repeats row 10's operator and period.
	set("operator_id", 2000, get("operator_id", 10))
	set("period", 2000, get("period", 10))
	set("operator_id", 1500, "12AB")
	set("region", 2500, "")
	var head int64
	for _, c := range get("headcount", 11) {
		head = 10*head + int64(c-'0')
	}
	set("headcount", 12, 10*head+10)
	set("export_revenue_mad", 1200, 1)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}
