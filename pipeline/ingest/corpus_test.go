package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// corpusNow is the run's date of the corpus tests: the generator puts a
// period after it in one file, to be refused.
var corpusNow = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

func corpusOptions() Options {
	o := DefaultTestOptions()
	o.Now = corpusNow
	return o
}

// DefaultTestOptions are the limits of the embedded offshore.yaml.
func DefaultTestOptions() Options {
	return Options{MaxRows: 100000, OnError: OnErrorReject, Timeout: 10 * time.Second, MaxUnzipBytes: 200 << 20, MaxXMLBytes: 100 << 20,
		HeadcountChangeMax: 0.5, ExportPerEmployeeMin: 1000, ExportPerEmployeeMax: 5e6, ImplausibleAmounts: "error", MaxHeadcount: 100000, MaxAmountMAD: 1e10,
		FirstPeriod: domain.NewPeriod(2015, 1)}
}

// dump writes what Read made of a file as sorted lines, the format of the
// corpus's golden files (testdata/ingest/gen/make_corpus.py writes them from
// the canonical data): one "row" line per return, one "error" line per error.
func dump(res Result) string {
	var lines []string
	opt := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatInt(*p, 10)
	}
	optf := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmtNum(*p)
	}
	for _, r := range res.Returns {
		lines = append(lines, fmt.Sprintf("row %s!%d %s", r.Sheet, r.Row, strings.Join([]string{r.OperatorID, r.OperatorName, r.Sector, r.Region, r.Period.String(),
			strconv.FormatInt(r.Headcount, 10), opt(r.Hires), opt(r.HiresYouth), opt(r.HiresDisabled), fmtNum(r.ExportRevenueMAD), optf(r.TotalRevenueMAD), optf(r.InvestmentMAD)}, "|")))
	}
	for _, p := range res.Problems {
		if p.Severity != domain.SeverityError {
			continue
		}
		where := "-"
		if p.Cell != "" {
			where = p.Sheet + "!" + p.Cell
		}
		lines = append(lines, fmt.Sprintf("error %s %s", p.Code, where))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestCorpus reads every workbook of testdata/ingest/corpus — written by
// openpyxl (py-), LibreOffice (lo-) and exceljs (js-) — and compares the
// rows and errors with the golden file written from the canonical data.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/ingest/corpus/*.xlsx")
	if len(files) < 40 {
		t.Fatalf("%d workbooks in the corpus, want at least 40", len(files))
	}
	x := matcher(t)
	fields, wrong := 0, 0
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".xlsx")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wantB, err := os.ReadFile(strings.TrimSuffix(path, ".xlsx") + ".want.txt")
			if err != nil {
				t.Fatal(err)
			}
			res := Read(filepath.Base(path), "sha", data, corpusNow, x, corpusOptions())
			got, want := dump(res), string(wantB)
			if got != want {
				g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
				for _, l := range w {
					if !slices.Contains(g, l) {
						t.Errorf("missing: %s", l)
					}
				}
				for _, l := range g {
					if !slices.Contains(w, l) {
						t.Errorf("unexpected: %s", l)
					}
				}
				for _, p := range res.Problems {
					t.Logf("[%s] %s", p.Severity, p.Error())
				}
			}
			// Field accuracy, for the report: fields of the golden rows found identical.
			for _, l := range strings.Split(want, "\n") {
				if !strings.HasPrefix(l, "row ") {
					continue
				}
				wf := strings.Split(l, "|")
				fields += len(wf)
				best := len(wf)
				for _, gl := range strings.Split(got, "\n") {
					if !strings.HasPrefix(gl, "row ") {
						continue
					}
					gf := strings.Split(gl, "|")
					if len(gf) != len(wf) {
						continue
					}
					d := 0
					for i := range wf {
						if wf[i] != gf[i] {
							d++
						}
					}
					best = min(best, d)
				}
				wrong += best
			}
		})
	}
	if fields > 0 {
		t.Logf("%d workbooks, %d fields, %d wrong (%.3f %% right)", len(files), fields, wrong, 100*float64(fields-wrong)/float64(fields))
	}
}

// TestHostile reads the hostile files: each is refused with its one clear
// reason (or read, for the sheet of a million formatted empty rows), within
// the time budget.
func TestHostile(t *testing.T) {
	f, err := os.Open("../../testdata/ingest/hostile/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x := matcher(t)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, code, _ := strings.Cut(sc.Text(), " ")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../../testdata/ingest/hostile", name))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res := Read(name, "sha", data, corpusNow, x, corpusOptions())
			if d := time.Since(start); d > 10*time.Second { // the budget per file (the race detector makes it ~10× slower)
				t.Errorf("took %s", d)
			}
			if code == "ok" {
				if res.Rejected() || len(res.Returns) == 0 {
					t.Errorf("rejected: %v", res.Problems)
				}
				return
			}
			if !res.Rejected() || len(res.Problems) == 0 || res.Problems[0].Code != code {
				t.Fatalf("problems %v, want first %s", res.Problems, code)
			}
			p := res.Problems[0]
			if p.Message == "" || p.MessageFR == "" || strings.Contains(p.Message, "\n") {
				t.Errorf("want one clear line in English and French: %+v", p)
			}
			t.Logf("%s (%s): %s", name, time.Since(start).Round(time.Millisecond), p.Message)
		})
	}
}

// BenchmarkRead reads a federation workbook of 400 returns (openpyxl).
func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile("../../testdata/ingest/corpus/py-federation.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	x := matcher(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if res := Read("f.xlsx", "s", data, corpusNow, x, corpusOptions()); res.Rejected() {
			b.Fatal(res.Problems)
		}
	}
}
