package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// offshore runs the command line in-process and returns exit code and outputs.
func offshore(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// demoOnce runs the demo in a fresh folder shared by the tests of this file.
var demoDir string

func demo(t *testing.T) string {
	t.Helper()
	if demoDir != "" {
		return demoDir
	}
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, stderr := offshore(t, "demo", "--dir", dir)
	if code != exitOK {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	for _, s := range []string{"jobs-2020", "exports-2020", "ministry workbook:"} {
		if !strings.Contains(out, s) {
			t.Errorf("demo output lacks %q:\n%s", s, out)
		}
	}
	// Keep the folder for the other tests of the package run.
	keep, err := os.MkdirTemp("", "offshore-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(keep, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	demoDir = keep
	return demoDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

func forecastJSON(t *testing.T, dir string, extra ...string) assess.Result {
	t.Helper()
	code, out, stderr := offshore(t, append([]string{"--workdir", dir, "forecast", "--format", "json"}, extra...)...)
	if code != exitOK {
		t.Fatalf("forecast exit %d: %s", code, stderr)
	}
	var res assess.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("forecast json: %v\n%s", err, out)
	}
	// The documented field names are present (in an assessment the
	// confidentiality rule does not hide: a secret one has none).
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	var a map[string]any
	for _, x := range raw["assessments"].([]any) {
		if x.(map[string]any)["secret"] != true {
			a = x.(map[string]any)
			break
		}
	}
	if a == nil {
		return res
	}
	for _, k := range []string{"target_id", "sector", "metric", "horizon", "baseline", "latest", "latest_period", "target", "projected", "lo80", "hi80", "lo95", "hi95", "p_meet", "status", "model"} {
		if _, ok := a[k]; !ok {
			t.Errorf("forecast json lacks %q", k)
		}
	}
	for _, k := range []string{"as_of", "target_set", "assessments"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("forecast json lacks %q", k)
		}
	}
	return res
}

// TestDemoNumbersAgree checks the workbook against the forecast's own output
// and both against the series recomputed here from the generated returns.
func TestDemoNumbersAgree(t *testing.T) {
	dir := demo(t)
	res := forecastJSON(t, dir)
	if res.AsOf.String() != "2018Q4" || res.TargetSet != "pai-2016-2020" || len(res.Assessments) != 4 {
		t.Fatalf("forecast: as_of %s, set %s, %d assessments, skipped %v", res.AsOf, res.TargetSet, len(res.Assessments), res.Skipped)
	}
	statuses := map[forecast.Status]bool{}
	for _, a := range res.Assessments {
		statuses[a.Status] = true
		if !(a.Lo95 <= a.Lo80 && a.Lo80 <= a.Projected && a.Projected <= a.Hi80 && a.Hi80 <= a.Hi95) || a.PMeet < 0 || a.PMeet > 1 {
			t.Errorf("%s: intervals or probability out of order: %+v", a.TargetID, a)
		}
	}
	if len(statuses) < 2 {
		t.Errorf("every target has the same status %v; the demo should show a contrast", statuses)
	}

	// Independent recomputation from what the generator wrote.
	cfg, _ := config.Default("")
	files, err := synth.Generate(&cfg.Mappings, synth.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	type version struct {
		r    domain.Return
		at   int64
		name string
	}
	latest := map[string]version{}
	for _, f := range files {
		for _, r := range f.Rows {
			v := version{r, f.ReceivedAt.UnixNano(), f.Name}
			key := r.OperatorID + r.Period.String()
			if old, ok := latest[key]; !ok || v.at > old.at || (v.at == old.at && v.name > old.name) {
				latest[key] = v
			}
		}
	}
	last := domain.NewPeriod(2018, 4)
	want := map[string]float64{}
	for _, v := range latest {
		r := v.r
		if r.Period == last {
			want["jobs-2020"] += float64(r.Headcount)
			if r.Sector == "CRM" {
				want["crm-jobs-2020"] += float64(r.Headcount)
			}
		}
		if r.Period > last-4 {
			want["exports-2020"] += r.ExportRevenueMAD
		}
		if r.Period.Year() >= 2016 && r.InvestmentMAD != nil {
			want["investment-2016-2020"] += *r.InvestmentMAD
		}
	}
	for _, a := range res.Assessments {
		if !near(a.Latest, want[a.TargetID]) {
			t.Errorf("%s: latest %v, recomputed from the generated returns %v", a.TargetID, a.Latest, want[a.TargetID])
		}
	}

	// The workbook holds the same numbers.
	outs, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.xlsx"))
	if len(outs) != 1 {
		t.Fatalf("outbox holds %v", outs)
	}
	f, err := excelize.OpenFile(outs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Contains(got, "Synthèse") || !slices.Contains(got, "Données") {
		t.Errorf("sheets %v", got)
	}
	rows, err := f.GetRows("Synthèse", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, a := range res.Assessments {
		for _, row := range rows {
			// The target's row: its label in A, its unit in B (the same label
			// heads its sentence, in a row of its own).
			if len(row) < 9 || row[0] != a.Label || row[1] == "" {
				continue
			}
			found++
			scale := 1.0
			if a.Metric != domain.MetricJobs {
				scale = 1e6 // the workbook shows millions of dirhams (MDH)
			}
			for col, v := range map[int]float64{3: a.Latest, 4: a.Target, 5: a.Projected, 6: a.Lo80, 7: a.Hi80} {
				got, err := strconv.ParseFloat(row[col], 64)
				if err != nil || !near(got*scale, v) {
					t.Errorf("%s column %d: workbook %q, forecast %v", a.TargetID, col+1, row[col], v)
				}
			}
			if p, _ := strconv.ParseFloat(row[8], 64); !near(p, a.PMeet) {
				t.Errorf("%s: workbook P %q, forecast %v", a.TargetID, row[8], a.PMeet)
			}
		}
	}
	if found != len(res.Assessments) {
		t.Errorf("found %d of %d targets in the Synthèse sheet", found, len(res.Assessments))
	}
	zipHasChart(t, outs[0])
}

func zipHasChart(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("xl/charts/chart1.xml")) {
		t.Error("the workbook has no chart part")
	}
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestIngestTwiceChangesNothing(t *testing.T) {
	dir := demo(t)
	wh := filepath.Join(dir, "warehouse")
	before := snapshot(t, wh)
	// The operators send everything again, byte for byte.
	code, _, stderr := offshore(t, "--workdir", dir, "gen", "--out", filepath.Join(dir, "inbox"))
	if code != exitOK {
		t.Fatal(stderr)
	}
	code, out, stderr := offshore(t, "--workdir", dir, "ingest")
	if code != exitOK || !strings.Contains(out, "0 accepted") {
		t.Fatalf("exit %d, out %q, err %s", code, out, stderr)
	}
	if after := snapshot(t, wh); after != before {
		t.Errorf("warehouse changed:\nbefore\n%s\nafter\n%s", before, after)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "inbox")); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
}

// snapshot lists the warehouse's data files with their sizes and the catalog.
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, string(filepath.Separator)+"runs"+string(filepath.Separator)) || d.Name() == "lock" {
			return err
		}
		st, _ := d.Info()
		b.WriteString(p + " " + strconv.FormatInt(st.Size(), 10) + "\n")
		return nil
	})
	cat, _ := os.ReadFile(filepath.Join(dir, "catalog.json"))
	return b.String() + string(cat)
}

func TestRejectedFileIsQuarantinedAndRunGoesOn(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	inbox := filepath.Join(dir, "inbox")
	if code, _, stderr := offshore(t, "--workdir", dir, "gen", "--out", inbox, "--operators", "5", "--from", "2016Q1", "--to", "2016Q2"); code != exitOK {
		t.Fatal(stderr)
	}
	os.WriteFile(filepath.Join(inbox, "releve.xlsx"), []byte("not a workbook"), 0o644)
	past := time.Now().Add(-time.Minute) // its times set once written, as an upload's: taken at once (ingest.settle)
	os.Chtimes(filepath.Join(inbox, "releve.xlsx"), past, past)
	code, out, stderr := offshore(t, "--workdir", dir, "ingest")
	if code != exitRejected {
		t.Fatalf("exit %d, want 3; out %s err %s", code, out, stderr)
	}
	if !strings.Contains(out, "1 rejected") || strings.Contains(out, " 0 accepted") {
		t.Errorf("summary %q", out)
	}
	report, err := os.ReadFile(filepath.Join(dir, "quarantine", "releve.xlsx.problems.txt"))
	if err != nil || !strings.Contains(string(report), "releve.xlsx") || !strings.Contains(string(report), "fichier texte") {
		t.Errorf("problems report %q, %v", report, err)
	}
	// The feedback workbook the ministry mails back opens and lists the problem.
	fb, err := excelize.OpenFile(filepath.Join(dir, "quarantine", "releve.xlsx.feedback.xlsx"))
	if err != nil {
		t.Fatalf("feedback workbook: %v", err)
	}
	defer fb.Close()
	rows, _ := fb.GetRows(fb.GetSheetList()[0])
	if !strings.Contains(fmt.Sprint(rows), "releve.xlsx") {
		t.Errorf("feedback sheet does not name the file: %v", rows)
	}
	if !strings.Contains(stderr, "file rejected") {
		t.Errorf("no warning logged: %s", stderr)
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "offshore.yaml"), []byte("forecats: {}\n"), 0o644)
	nonEmpty := t.TempDir()
	os.WriteFile(filepath.Join(nonEmpty, "mine.txt"), []byte("x"), 0o644)
	empty := t.TempDir() // an initialised working folder, nothing ingested
	if code, _, stderr := offshore(t, "init", "--dir", empty); code != exitOK {
		t.Fatal(stderr)
	}
	typo := filepath.Join(t.TempDir(), "srv", "ofshore") // a mistyped --workdir
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown command", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"unknown config key", []string{"--workdir", dir, "forecast"}, exitUsage, `unknown key "forecats"`},
		{"bad format", []string{"forecast", "--format", "xml"}, exitUsage, "table or json"},
		{"bad as-of", []string{"--workdir", empty, "forecast", "--as-of", "soon"}, exitUsage, "2017Q4"},
		{"demo into a foreign folder", []string{"demo", "--dir", nonEmpty}, exitUsage, "not empty"},
		{"template without --out", []string{"template"}, exitUsage, "--out"},
		{"empty warehouse", []string{"--workdir", empty, "forecast"}, exitFailure, "no returns"},
		// Issue 19: guard rails and exit codes.
		{"mistyped workdir: ingest", []string{"--workdir", typo, "ingest"}, exitUsage, "not a working folder: run `offshore init --dir " + typo},
		{"mistyped workdir: run", []string{"--workdir", typo, "run"}, exitUsage, "not a working folder"},
		{"mistyped workdir: report", []string{"--workdir", typo, "report"}, exitUsage, "not a working folder"},
		{"mistyped workdir: forecast", []string{"--workdir", typo, "forecast"}, exitUsage, "not a working folder"},
		{"mistyped workdir: compact", []string{"--workdir", typo, "compact"}, exitUsage, "not a working folder"},
		{"mistyped workdir: prune", []string{"--workdir", typo, "prune"}, exitUsage, "not a working folder"},
		{"ingest a missing file", []string{"--workdir", empty, "ingest", filepath.Join(empty, "nope.xlsx")}, exitUsage, "nope.xlsx: no such file"},
		{"validate a missing file", []string{"validate", filepath.Join(empty, "nope.xlsx")}, exitUsage, "no such file"},
		{"mappings suggest a missing file", []string{"mappings", "suggest", filepath.Join(empty, "nope.xlsx")}, exitUsage, "no such file"},
		{"forecast --input a missing file", []string{"forecast", "--input", filepath.Join(empty, "nope.csv"), "--horizon", "2"}, exitUsage, "no such file"},
		{"template --out not .xlsx", []string{"template", "--out", filepath.Join(empty, "t.csv")}, exitUsage, "ending in .xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := offshore(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, stderr, tt.msg)
			}
		})
	}
}

func TestForecastAsOfIsRepeatable(t *testing.T) {
	dir := demo(t)
	a := forecastJSON(t, dir, "--as-of", "2017Q4")
	b := forecastJSON(t, dir, "--as-of", "2017Q4")
	if a.AsOf.String() != "2017Q4" || len(a.Assessments) == 0 {
		t.Fatalf("as of 2017Q4: %+v", a)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("two forecasts as of 2017Q4 differ")
	}
	now := forecastJSON(t, dir)
	if now.Assessments[0].Latest == a.Assessments[0].Latest {
		t.Error("as of 2017Q4 the latest jobs equal today's: --as-of was ignored")
	}
}

// TestDuckDBReadsWarehouse proves that an analyst's tool reads the Parquet
// files, and that its per-sector sums of the latest versions match the
// workbook's data sheet.
func TestDuckDBReadsWarehouse(t *testing.T) {
	script, _ := filepath.Abs("../../testdata/duckdb/query.mjs")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed: cannot run DuckDB")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "@duckdb")); err != nil {
		t.Skip("duckdb not installed: run npm ci --prefix testdata/duckdb (.ci/run does)")
	}
	dir := demo(t)
	glob := filepath.Join(dir, "warehouse", "returns", "**", "*.parquet")
	sql := `SELECT sector, sum(headcount)::DOUBLE AS jobs, sum(export_revenue_mad) AS exports FROM (
	  SELECT * FROM read_parquet('` + glob + `')
	  QUALIFY row_number() OVER (PARTITION BY operator_id, period ORDER BY received_at DESC, source_name DESC, source_sha256 DESC) = 1)
	WHERE period = '2018Q4' GROUP BY sector ORDER BY sector`
	out, err := exec.Command("node", script, sql).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, out)
	}
	var rows []struct {
		Sector  string  `json:"sector"`
		Jobs    float64 `json:"jobs"`
		Exports float64 `json:"exports"`
	}
	if err := json.Unmarshal(out, &rows); err != nil || len(rows) != 5 {
		t.Fatalf("duckdb rows %s: %v", out, err)
	}
	outs, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.xlsx"))
	f, err := excelize.OpenFile(outs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, _ := f.GetRows("Données", excelize.Options{RawCellValue: true})
	last := data[len(data)-1] // row 1: the title, row 2: the header
	if last[0] != "T4 2018" {
		t.Fatalf("last data row is %v", last[0])
	}
	for _, r := range rows {
		k := slices.Index(fiveSectors, r.Sector) + 1 // 0 is the national block
		if k == 0 {
			t.Fatalf("unknown sector %q", r.Sector)
		}
		jobs, _ := strconv.ParseFloat(last[1+3*k], 64)
		exports, _ := strconv.ParseFloat(last[2+3*k], 64)
		exports *= 1e6 // the workbook shows millions of dirhams (MDH), unrounded
		if !near(jobs, r.Jobs) || math.Abs(exports-r.Exports) > 0.01 {
			t.Errorf("%s 2018Q4: DuckDB %v jobs, %v MAD; workbook %v, %v (header %q)", r.Sector, r.Jobs, r.Exports, jobs, exports, data[1][1+3*k])
		}
	}
}

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}
