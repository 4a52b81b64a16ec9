package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

var update = flag.Bool("update", false, "rewrite the golden dumps in testdata/")

// generatedAt is the fixed run time of the tests: 2 a.m. in Casablanca (UTC+1).
var generatedAt = time.Date(2020, 8, 15, 2, 30, 0, 0, time.FixedZone("+01", 3600))

// gapPeriod is a quarter with no return at all: NaN in every series.
var gapPeriod = domain.NewPeriod(2017, 3)

// fixtureSet builds national and CRM series over 2016Q1..2020Q2, with a gap.
func fixtureSet() *series.Set {
	first, last := domain.NewPeriod(2016, 1), domain.NewPeriod(2020, 2)
	n := int(last-first) + 1
	s := &series.Set{First: first, Last: last, Operators: 42}
	for _, sector := range []string{domain.National, "CRM"} {
		scale := 1.0
		if sector == "CRM" {
			scale = 0.4
		}
		for _, m := range domain.TargetMetrics {
			v := make([]float64, n)
			for i := range v {
				switch m {
				case domain.MetricJobs:
					v[i] = math.Round(scale * (63000 + 1500*float64(i)))
				case domain.MetricExports:
					v[i] = scale*(2.1e9+5e7*float64(i)) + 0.25
				case domain.MetricInvestment:
					v[i] = scale * (75e6 + 1e6*float64(i))
				}
				if first+domain.Period(i) == gapPeriod {
					v[i] = math.NaN()
				}
			}
			s.Series = append(s.Series, series.Series{Sector: sector, Metric: m, Start: first, Values: v})
		}
	}
	return s
}

func ptr(v float64) *float64 { return &v }

// fixtureResults holds one assessment per status over two target sets.
func fixtureResults() []*assess.Result {
	return []*assess.Result{
		{
			AsOf: domain.NewPeriod(2020, 2), TargetSet: "pai-2016-2020", TargetSetName: "Contrats de performance offshoring 2016-2020",
			Assessments: []assess.Assessment{
				{
					TargetID: "jobs-2020", Label: "Emplois directs fin 2020", Sector: domain.National, Metric: domain.MetricJobs,
					Kind: domain.KindIncrease, Horizon: "2020", Baseline: 63000, Latest: 88500, LatestPeriod: domain.NewPeriod(2020, 2),
					Target: 123000, Projected: 91512.5, Lo80: 89000.25, Hi80: 94100.75, PMeet: 0.8125, Status: "on_track",
					Model: "linear-trend", RequiredGrowth: ptr(0.9012), ObservedGrowth: ptr(0.0871),
					Path: []assess.PathPoint{
						{Period: domain.NewPeriod(2020, 3), Mean: 90000.5, Lo80: 88100, Hi80: 91900},
						{Period: domain.NewPeriod(2020, 4), Mean: 91512.5, Lo80: 89000.25, Hi80: 94100.75},
					},
				},
				{
					TargetID: "exports-2020", Label: "Chiffre d'affaires à l'export 2020", Sector: domain.National, Metric: domain.MetricExports,
					Kind: domain.KindIncrease, Horizon: "2020", Baseline: 8e9, Latest: 9876543210.5, LatestPeriod: domain.NewPeriod(2020, 2),
					Target: 26e9, Projected: 10123456789, Lo80: 9.5e9, Hi80: 10.75e9, PMeet: 0.4, Status: "at_risk",
					Model: "linear-trend", RequiredGrowth: ptr(5.25), ObservedGrowth: ptr(-0.0125),
				},
				{
					TargetID: "investment-2016-2020", Label: "Investissements cumulés 2016-2020", Sector: domain.National, Metric: domain.MetricInvestment,
					Kind: domain.KindCumulative, Horizon: "2020", Latest: 1.234e9, LatestPeriod: domain.NewPeriod(2020, 2),
					Target: 1.5e9, Projected: 1.41e9, Lo80: 1.38e9, Hi80: 1.44e9, PMeet: 0.05, Status: "off_track", Model: "linear-trend",
				},
				{
					TargetID: "crm-jobs-2020", Label: "Emplois directs CRM fin 2020", Sector: "CRM", Metric: domain.MetricJobs,
					Kind: domain.KindIncrease, Horizon: "2020", Baseline: 25000, Latest: 41000, LatestPeriod: domain.NewPeriod(2020, 2),
					Target: 40000, Projected: 41500, Lo80: 40800, Hi80: 42200, PMeet: 1, Status: "met", Model: "linear-trend",
					RequiredGrowth: ptr(-0.0099), ObservedGrowth: ptr(0.12),
				},
			},
			Skipped: []assess.Skipped{{TargetID: "kpo-jobs-2020", Label: "Emplois directs KPO fin 2020", Reason: "no jobs series for sector KPO", Code: assess.SkipNoSeries}},
		},
		{
			AsOf: domain.NewPeriod(2020, 2), TargetSet: "md-2030", TargetSetName: "Maroc Digital 2030 (offshoring)",
			Assessments: []assess.Assessment{
				{
					TargetID: "jobs-2030", Label: "Emplois offshoring 2030", Sector: domain.National, Metric: domain.MetricJobs,
					Kind: domain.KindLevel, Horizon: "2030", Baseline: 63000, Latest: 88500, LatestPeriod: domain.NewPeriod(2020, 2),
					Target: 270000, Projected: math.NaN(), Lo80: math.NaN(), Hi80: math.NaN(), PMeet: math.NaN(), Status: "unknown",
					Model: "linear-trend",
				},
			},
		},
	}
}

func fixtureOptions(lang string) Options {
	return Options{
		Lang: lang, GeneratedAt: generatedAt, Sectors: fiveSectors,
		BaselineYears: map[string]int{"pai-2016-2020": 2015, "md-2030": 2015},
		OnTrack:       0.7, AtRisk: 0.3,
	}
}

// build writes the workbook and opens it again from its bytes, as a reader would.
func build(t *testing.T, results []*assess.Result, s *series.Set, opts Options) (*excelize.File, []byte) {
	t.Helper()
	f, err := Ministry(results, s, opts)
	if err != nil {
		t.Fatalf("Ministry: %v", err)
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatalf("WriteToBuffer: %v", err)
	}
	b := bytes.Clone(buf.Bytes())
	g, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { g.Close() })
	return g, b
}

func ref(t *testing.T, col, row int) string {
	t.Helper()
	r, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// raw returns the raw value of a cell and whether it is stored as a number.
func raw(t *testing.T, f *excelize.File, sheet, cell string) (string, bool) {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v, v != "" && (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber)
}

// wantNumber checks that a cell is a numeric cell holding exactly want, or
// an empty cell when want is NaN.
func wantNumber(t *testing.T, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	v, numeric := raw(t, f, sheet, cell)
	if math.IsNaN(want) {
		if v != "" {
			t.Errorf("%s!%s = %q, want an empty cell", sheet, cell, v)
		}
		return
	}
	if !numeric {
		t.Errorf("%s!%s = %q is not a numeric cell; want %v", sheet, cell, v, want)
		return
	}
	got, err := strconv.ParseFloat(v, 64)
	if err != nil || got != want {
		t.Errorf("%s!%s = %q, want %v", sheet, cell, v, want)
	}
}

func wantText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if v != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, v, want)
	}
}

// findRow returns the summary table's row of the target labelled label:
// its label in column A and its unit beside it.
func findRow(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) >= colUnit && r[colLabel-1] == label && r[colUnit-1] != "" {
			return i + 1
		}
	}
	t.Fatalf("%s: no table row for %q", sheet, label)
	return 0
}

// parsePeriodName reads a period as the workbook writes it: "T4 2018" or
// "Q4 2018".
func parsePeriodName(s string) (domain.Period, error) {
	var q rune
	var quarter, year int
	if n, err := fmt.Sscanf(s, "%c%d %d", &q, &quarter, &year); err != nil || n != 3 || (q != 'T' && q != 'Q') || quarter < 1 || quarter > 4 {
		return 0, fmt.Errorf("period %q: want T4 2018 or Q4 2018", s)
	}
	return domain.NewPeriod(year, quarter), nil
}

// findText returns the first cell of sheet whose value is text, or "".
func findText(t *testing.T, f *excelize.File, sheet, text string) string {
	t.Helper()
	cells, err := f.SearchSheet(sheet, "^"+regexpQuote(text)+"$", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) == 0 {
		return ""
	}
	return cells[0]
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestMinistrySheetsAndWords(t *testing.T) {
	tests := []struct {
		lang                     string
		sheets                   []string
		jobsUnit, exportsUnit    string
		status                   map[forecast.Status]string
		baselineHeader, legendOn string
		chartTitle, targetHeader string
		generatedLabel, asOf     string
		skipped                  string
	}{
		{
			lang: "fr", sheets: []string{"Synthèse", "Évolution", "Méthodologie", "Données", "Graphique"},
			jobsUnit: "personnes", exportsUnit: "MDH",
			status:         map[forecast.Status]string{"met": "Atteint", "on_track": "En bonne voie", "at_risk": "À risque", "off_track": "Hors trajectoire", "unknown": "Indéterminé"},
			baselineHeader: "Référence 2015", legendOn: "la cible sera probablement atteinte (probabilité d'atteinte ≥ 70 %)",
			chartTitle: "Emplois directs, ensemble des filières : réalisé, projection et cible 2020", targetHeader: "Cible 2020",
			generatedLabel: "Généré le", asOf: "Données arrêtées à fin T2 2020",
			skipped: "aucune série pour la filière et l'indicateur de l'objectif",
		},
		{
			lang: "", sheets: []string{"Synthèse", "Évolution", "Méthodologie", "Données", "Graphique"},
			jobsUnit: "personnes", exportsUnit: "MDH",
			status:         map[forecast.Status]string{"met": "Atteint", "on_track": "En bonne voie", "at_risk": "À risque", "off_track": "Hors trajectoire", "unknown": "Indéterminé"},
			baselineHeader: "Référence 2015", legendOn: "la cible sera probablement atteinte (probabilité d'atteinte ≥ 70 %)",
			chartTitle: "Emplois directs, ensemble des filières : réalisé, projection et cible 2020", targetHeader: "Cible 2020",
			generatedLabel: "Généré le", asOf: "Données arrêtées à fin T2 2020",
			skipped: "aucune série pour la filière et l'indicateur de l'objectif",
		},
		{
			lang: "en", sheets: []string{"Summary", "Changes", "Methodology", "Data", "Chart"},
			jobsUnit: "persons", exportsUnit: "m MAD",
			status:         map[forecast.Status]string{"met": "Met", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "unknown": "Undetermined"},
			baselineHeader: "Baseline 2015", legendOn: "the target will probably be met (probability of meeting the target ≥ 70%)",
			chartTitle: "Direct jobs, all sectors: actual, projection and 2020 target", targetHeader: "Target 2020",
			generatedLabel: "Generated on", asOf: "Data up to the end of Q2 2020",
			skipped: "no series for the target's sector and indicator",
		},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			results := fixtureResults()
			opts := fixtureOptions(tt.lang)
			f, b := build(t, results, fixtureSet(), opts)
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(tt.sheets, "|") {
				t.Fatalf("sheets = %q, want %q", got, tt.sheets)
			}
			if got := f.GetActiveSheetIndex(); got != 0 {
				t.Errorf("active sheet = %d, want 0 (the summary)", got)
			}
			sum := tt.sheets[0]
			wantText(t, f, sum, ref(t, colLabel, rowAsOf), tt.asOf)
			wantText(t, f, sum, ref(t, colLabel, rowGeneratedAt), tt.generatedLabel)
			if findText(t, f, sum, tt.baselineHeader) == "" {
				t.Errorf("no baseline header %q", tt.baselineHeader)
			}
			for _, res := range results {
				for _, a := range res.Assessments {
					row := findRow(t, f, sum, a.Label)
					wantText(t, f, sum, ref(t, colStatus, row), tt.status[a.Status])
					unit := tt.jobsUnit
					if a.Metric != domain.MetricJobs {
						unit = tt.exportsUnit
					}
					wantText(t, f, sum, ref(t, colUnit, row), unit)
				}
			}
			// One sentence per target, above its table.
			for _, res := range results {
				for _, line := range Sentences([]*assess.Result{res}, opts) {
					c := findText(t, f, sum, line)
					if c == "" {
						t.Errorf("sentence %q not on the summary sheet", line)
						continue
					}
					_, row, _ := excelize.CellNameToCoordinates(c)
					if first := findRow(t, f, sum, res.Assessments[0].Label); row >= first {
						t.Errorf("sentence %q at row %d, not above its table (row %d)", line, row, first)
					}
				}
			}
			if findText(t, f, sum, tt.legendOn) == "" {
				t.Errorf("legend: no cell %q", tt.legendOn)
			}
			for _, k := range results[0].Skipped {
				c := findText(t, f, sum, k.Label)
				if c == "" {
					t.Fatalf("skipped target %s not listed", k.TargetID)
				}
				col, row, _ := excelize.CellNameToCoordinates(c)
				wantText(t, f, sum, ref(t, col+1, row), tt.skipped)
			}
			wantText(t, f, tt.sheets[len(tt.sheets)-1], ref(t, chartColTarget, chartHeaderRow), tt.targetHeader)
			if chart := zipPart(t, b, "xl/charts/chart1.xml"); !strings.Contains(chart, tt.chartTitle) {
				t.Errorf("chart title %q not in chart1.xml", tt.chartTitle)
			}
			props, err := f.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			if props.Creator != "offshore" || props.Created != "2020-08-15T01:30:00Z" || props.Modified != props.Created || props.Title == "" {
				t.Errorf("document properties = %+v", props)
			}
		})
	}
}

func TestMinistryDeterministic(t *testing.T) {
	_, a := build(t, fixtureResults(), fixtureSet(), fixtureOptions("fr"))
	_, b := build(t, fixtureResults(), fixtureSet(), fixtureOptions("fr"))
	if !bytes.Equal(a, b) {
		t.Error("two builds with the same GeneratedAt differ")
	}
	opts := fixtureOptions("fr")
	opts.GeneratedAt = opts.GeneratedAt.Add(time.Hour)
	_, c := build(t, fixtureResults(), fixtureSet(), opts)
	if bytes.Equal(a, c) {
		t.Error("a different GeneratedAt gives the same bytes")
	}
}

func TestMinistryErrors(t *testing.T) {
	good := fixtureOptions("fr")
	tests := []struct {
		name    string
		results []*assess.Result
		s       *series.Set
		opts    Options
		want    string
		is      error
	}{
		{"zero time", fixtureResults(), fixtureSet(), Options{Lang: "fr"}, "GeneratedAt is zero", nil},
		{"bad language", fixtureResults(), fixtureSet(), Options{Lang: "de", GeneratedAt: generatedAt}, `language "de"`, nil},
		{"no results", nil, fixtureSet(), good, "no assessment results", ErrNoResults},
		{"nil result", []*assess.Result{nil}, fixtureSet(), good, "result 0 is nil", nil},
		{"no series", fixtureResults(), nil, good, "no series set", nil},
		{"no latest period", func() []*assess.Result {
			r := fixtureResults()
			r[0].Assessments[0].LatestPeriod = 0
			return r
		}(), fixtureSet(), good, "no latest period", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Ministry(tt.results, tt.s, tt.opts)
			if err == nil {
				f.Close()
				t.Fatalf("Ministry succeeded; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

// TestMinistryGolden compares a text dump of every cell with testdata/.
func TestMinistryGolden(t *testing.T) {
	for _, name := range []string{"fr", "en", "fr-panel"} {
		t.Run(name, func(t *testing.T) {
			lang, panel, _ := strings.Cut(name, "-")
			opts := fixtureOptions(lang)
			results, s := fixtureResults(), fixtureSet()
			if panel != "" {
				// Every sheet: the panel's 2018Q4 with its confidential cells.
				opts.Panel, opts.FilingDelayDays = panelFixture(), 45
				opts.Rejections = map[string]int{"bad_ice": 2, "unreadable": 1}
				s = series.BuildPanel(series.NewPanel(opts.Panel, 0), series.BuildOptions{Sectors: fiveSectors})
				for _, r := range results {
					r.AsOf = domain.NewPeriod(2018, 4)
					for i := range r.Assessments {
						r.Assessments[i].LatestPeriod = domain.NewPeriod(2018, 4)
					}
				}
			}
			f, _ := build(t, results, s, opts)
			got := dump(t, f)
			path := filepath.Join("testdata", "ministry."+name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("workbook differs from %s (go test -update rewrites it); got:\n%s", path, got)
			}
		})
	}
}

// dump writes one line per non-empty cell: sheet, reference, raw value and
// number format, sorted by sheet order then row then column.
func dump(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for i, r := range rows {
			for j, v := range r {
				if v == "" {
					continue
				}
				cell := ref(t, j+1, i+1)
				id, _ := f.GetCellStyle(sh, cell)
				st, _ := f.GetStyle(id)
				nf := ""
				if st != nil && st.NumFmt != 0 {
					nf = fmt.Sprintf(" [fmt %d]", st.NumFmt)
				}
				if st != nil && st.CustomNumFmt != nil {
					nf = fmt.Sprintf(" [fmt %q]", *st.CustomNumFmt)
				}
				lines = append(lines, fmt.Sprintf("%s!%s\t%s%s", sh, cell, v, nf))
			}
		}
		// Rows are in order already; columns within a row too.
		b.WriteString(strings.Join(lines, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}

// chartPart returns the chart's XML and the set of its cell references (the
// text of its <f> elements, unescaped).
func chartPart(t *testing.T, b []byte) (string, map[string]bool) {
	t.Helper()
	chart := zipPart(t, b, "xl/charts/chart1.xml")
	formulas := map[string]bool{}
	dec := xml.NewDecoder(strings.NewReader(chart))
	inF := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart1.xml: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inF = tok.Name.Local == "f"
		case xml.CharData:
			if inF {
				formulas[string(tok)] = true
			}
		case xml.EndElement:
			inF = false
		}
	}
	return chart, formulas
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
		names = append(names, zf.Name)
	}
	sort.Strings(names)
	t.Fatalf("no part %s in the workbook; parts: %v", name, names)
	return ""
}

// TestMinistryLibreOffice converts the workbook headless with LibreOffice,
// when it is installed, to check that another reader than excelize opens it.
func TestMinistryLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if soffice, err = exec.LookPath("libreoffice"); err != nil {
			t.Skip("libreoffice not installed (no soffice on PATH); skipping the conversion check")
		}
	}
	if testing.Short() {
		t.Skip("conversion with LibreOffice is slow; skipped with -short")
	}
	dir := t.TempDir()
	opts := fixtureOptions("fr")
	opts.Panel = panelFixture()
	results := fixtureResults()
	for _, r := range results {
		r.AsOf = domain.NewPeriod(2018, 4)
	}
	_, b := build(t, results, fixtureSet(), opts)
	in := filepath.Join(dir, "synthese.xlsx")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// LibreOffice prints it (PDF) and re-saves it (xlsx, in a folder of its
	// own), and the re-saved workbook still holds every sheet.
	for _, to := range []string{"pdf", "xlsx"} {
		outDir := filepath.Join(dir, to)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
			"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
			"--convert-to", to, "--outdir", outDir, in)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
		}
		st, err := os.Stat(filepath.Join(outDir, "synthese."+to))
		if err != nil || st.Size() == 0 {
			t.Fatalf("no %s written (%v); soffice said:\n%s", to, err, out)
		}
	}
	re, err := excelize.OpenFile(filepath.Join(dir, "xlsx", "synthese.xlsx"))
	if err != nil {
		t.Fatalf("re-saved workbook: %v", err)
	}
	defer re.Close()
	orig, _ := excelize.OpenReader(bytes.NewReader(b))
	defer orig.Close()
	if got, want := re.GetSheetList(), orig.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("re-saved sheets %q, want %q", got, want)
	}
}
