package report

import (
	"context"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

var paperOut = flag.String("paper-out", "", "keep the demo workbooks and their PDFs in this folder (TestMinistryPrintsLegibly)")

// demoWorkbook builds the ministry workbook of the demo's returns (synth's
// default operators, consolidated as the warehouse serves them) in lang,
// with every sheet filled: a previous report (as of the quarter before,
// with its change split into causes), rejected files, the as-of rule and a
// quarter in collection. It returns the workbook's bytes, the panel and the
// results.
func demoWorkbook(t *testing.T, lang string) ([]byte, []domain.Return, []*assess.Result) {
	t.Helper()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := synth.Generate(&cfg.Mappings, synth.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var rows []domain.Return
	for _, f := range files {
		rows = append(rows, f.Rows...)
	}
	panel := series.Consolidate(rows, time.Time{}, 0)
	s := series.BuildPanel(series.NewPanel(panel, 0), series.BuildOptions{Sectors: cfg.Mappings.SectorCodes()})
	model, err := forecast.ByName(cfg.Settings.Forecast.Model)
	if err != nil {
		t.Fatal(err)
	}
	ao := assess.Options{Model: model, MinPoints: cfg.Settings.Forecast.MinPoints,
		Thresholds: forecast.Thresholds{OnTrack: cfg.Settings.Forecast.OnTrack, AtRisk: cfg.Settings.Forecast.AtRisk}}
	var results, previous []*assess.Result
	for _, id := range cfg.Settings.Report.TargetSets {
		res, err := assess.Set(context.Background(), s, cfg.TargetSet(id), 0, ao)
		if err != nil {
			t.Fatal(err)
		}
		prev, err := assess.Set(context.Background(), s, cfg.TargetSet(id), s.Last-1, ao)
		if err != nil {
			t.Fatal(err)
		}
		results, previous = append(results, res), append(previous, prev)
	}
	changes := map[string]assess.Change{}
	for i, r := range results {
		for j, a := range r.Assessments {
			d := a.Projected - previous[i].Assessments[j].Projected
			changes[r.TargetSet+"/"+a.TargetID] = assess.Change{NewReturns: 0.7 * d, RevisedReturns: 0.2 * d, Model: 0.1 * d}
		}
	}
	var regions []string
	for _, r := range cfg.Mappings.Regions {
		regions = append(regions, r.Name)
	}
	years := map[string]int{}
	for _, set := range cfg.Targets.Sets {
		years[set.ID] = set.BaselineYear
	}
	released := s.Last.End().AddDate(0, 0, 40)
	opts := Options{
		Lang: lang, GeneratedAt: time.Date(2019, 2, 20, 3, 30, 0, 0, time.FixedZone("+01", 3600)),
		Panel: panel, BaselineYears: years, Sectors: cfg.Mappings.SectorCodes(), Regions: regions,
		MinOperators: cfg.Settings.Secrecy.MinOperators, Dominance: cfg.Settings.Secrecy.Dominance,
		OnTrack: cfg.Settings.Forecast.OnTrack, AtRisk: cfg.Settings.Forecast.AtRisk,
		FilingDelayDays: cfg.Settings.Forecast.FilingDelayDays,
		Rejections:      map[string]int{"not_xlsx": 2, "bad_ice": 1, "no_such_code": 1},
		RunID:           "20190220T023000Z", Version: "test", Cutoff: released,
		AsOf: &AsOfChoice{Rule: "coverage", MinOperators: cfg.Settings.Coverage.MinOperators, MinWeight: cfg.Settings.Coverage.MinWeight,
			Coverage:   series.Coverage{Period: s.Last, Expected: 115, Reported: 114, Operators: 114.0 / 115, Weight: 0.99},
			Collecting: []series.Coverage{{Period: s.Last + 1, Expected: 115, Reported: 43, Operators: 43.0 / 115, Weight: 0.41, Owed: map[string]int{"CRM": 30, "BPO": 12, "ITO": 20, "ESO": 6, "KPO": 4}}},
			Released:   released, Cutoff: released, Later: 3},
		Previous: previous, PreviousAt: time.Date(2019, 2, 19, 3, 30, 0, 0, time.FixedZone("+01", 3600)), PreviousRunID: "20190219T023000Z",
		Changes: changes,
	}
	_, b := build(t, results, s, opts)
	return b, panel, results
}

// pdfWord is a word of a PDF page and its box, in points.
type pdfWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

// pdfPage is a page of a PDF: its size and its words.
type pdfPage struct {
	width, height float64
	words         []pdfWord
}

var (
	rePage = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	reWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>`)
)

// pdfPages reads the pages of a PDF and their words' boxes with poppler's
// pdftotext -bbox.
func pdfPages(t *testing.T, pdftotext, pdf string) []pdfPage {
	t.Helper()
	out, err := exec.Command(pdftotext, "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", pdf, err)
	}
	var pages []pdfPage
	for _, chunk := range strings.Split(string(out), "<page ")[1:] {
		m := rePage.FindStringSubmatch("<page " + chunk)
		if m == nil {
			t.Fatalf("pdftotext: a page without a size: %.80s", chunk)
		}
		p := pdfPage{width: atof(m[1]), height: atof(m[2])}
		for _, w := range reWord.FindAllStringSubmatch(chunk, -1) {
			p.words = append(p.words, pdfWord{html.UnescapeString(w[5]), atof(w[1]), atof(w[2]), atof(w[3]), atof(w[4])})
		}
		pages = append(pages, p)
	}
	return pages
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// soffice finds LibreOffice and pdftotext, or skips the test saying which
// is missing (CI installs both: .ci/run).
func soffice(t *testing.T) (soffice, pdftotext string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if soffice, err = exec.LookPath("libreoffice"); err != nil {
			t.Skip("libreoffice not installed (no soffice on PATH); skipping the printed workbook's check")
		}
	}
	if pdftotext, err = exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian's poppler-utils); skipping the printed workbook's check")
	}
	if testing.Short() {
		t.Skip("printing with LibreOffice is slow; skipped with -short")
	}
	return soffice, pdftotext
}

// toPDF prints the workbooks with LibreOffice, headless, in one run, and
// returns the PDFs' paths in the same order.
func toPDF(t *testing.T, soffice, dir string, xlsx ...string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "pdf", "--outdir", dir}, xlsx...)
	out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out)
	}
	var pdfs []string
	for _, x := range xlsx {
		p := filepath.Join(dir, strings.TrimSuffix(filepath.Base(x), ".xlsx")+".pdf")
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("no PDF %s (%v); soffice said:\n%s", p, err, out)
		}
		pdfs = append(pdfs, p)
	}
	return pdfs
}

// TestMinistryPrintsLegibly prints the demo's workbook, in French and in
// English, with LibreOffice and reads every page as pdftotext finds it:
// each page is A4, holds text, no number is printed as ### (a column too
// narrow), and no text is smaller than 8 pt. A word's box is as tall as
// its font's ascent and descent, which depends on the font LibreOffice
// draws Calibri with (DejaVu Sans when Calibri is not installed: 1.3 times
// the size); the box of 8 pt text in the same conversion is the measure.
func TestMinistryPrintsLegibly(t *testing.T) {
	office, pdftotext := soffice(t)
	dir := t.TempDir()
	if *paperOut != "" {
		dir = *paperOut
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The measure: 8 pt text in the workbook's font, regular, bold and
	// italic, printed at 100 %.
	cal := excelize.NewFile()
	for i, f := range []excelize.Font{{}, {Bold: true}, {Italic: true}} {
		f.Family, f.Size = "Calibri", 8
		id, err := cal.NewStyle(&excelize.Style{Font: &f})
		if err != nil {
			t.Fatal(err)
		}
		c := fmt.Sprintf("A%d", i+1)
		if err := cal.SetCellValue("Sheet1", c, "Mesure"); err != nil {
			t.Fatal(err)
		}
		if err := cal.SetCellStyle("Sheet1", c, c, id); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := []string{filepath.Join(dir, "mesure.xlsx")}
	if err := cal.SaveAs(xlsx[0]); err != nil {
		t.Fatal(err)
	}
	langs := []string{"fr", "en"}
	for _, lang := range langs {
		b, _, _ := demoWorkbook(t, lang)
		path := filepath.Join(dir, "demo-"+lang+".xlsx")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		xlsx = append(xlsx, path)
	}
	pdfs := toPDF(t, office, dir, xlsx...)

	min8 := math.Inf(1) // the box height of 8 pt text
	for _, w := range pdfPages(t, pdftotext, pdfs[0])[0].words {
		min8 = min(min8, w.yMax-w.yMin)
	}
	if math.IsInf(min8, 1) {
		t.Fatal("the 8 pt measure printed no text")
	}
	perPt := min8 / 8
	for i, lang := range langs {
		pages := pdfPages(t, pdftotext, pdfs[i+1])
		if len(pages) < 9 {
			t.Errorf("%s: %d pages; want every sheet printed", lang, len(pages))
		}
		for n, p := range pages {
			a4 := (near(p.width, a4Short) && near(p.height, a4Long)) || (near(p.width, a4Long) && near(p.height, a4Short))
			if !a4 {
				t.Errorf("%s page %d: %.0f × %.0f pt, not A4", lang, n+1, p.width, p.height)
			}
			body := 0 // words between the header and the footer
			for _, w := range p.words {
				if w.yMin > marginTop*pointsPerInch-4 && w.yMax < p.height-marginTop*pointsPerInch+4 {
					body++
				}
			}
			if body == 0 {
				t.Errorf("%s page %d: nothing but the header and footer (a page spilt over from the one before)", lang, n+1)
				continue
			}
			sort.Slice(p.words, func(a, b int) bool { return p.words[a].yMax-p.words[a].yMin < p.words[b].yMax-p.words[b].yMin })
			smallest := (p.words[0].yMax - p.words[0].yMin) / perPt
			t.Logf("%s page %d (%s): smallest text %.1f pt (%q)", lang, n+1, orientation(p), smallest, p.words[0].text)
			if smallest < 8*0.98 {
				var small []string
				for _, w := range p.words {
					if (w.yMax-w.yMin)/perPt >= 8*0.98 || len(small) == 8 {
						break
					}
					small = append(small, w.text)
				}
				t.Errorf("%s page %d: text of %.1f pt, under 8 pt: %q", lang, n+1, smallest, small)
			}
			for _, w := range p.words {
				if strings.Contains(w.text, "###") {
					t.Errorf("%s page %d: a number printed as %q (its column is too narrow)", lang, n+1, w.text)
				}
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1 }

func orientation(p pdfPage) string {
	if p.width > p.height {
		return "landscape"
	}
	return "portrait"
}
