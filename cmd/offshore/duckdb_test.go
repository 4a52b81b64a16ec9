package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// duckdb runs one SQL query with DuckDB (testdata/duckdb, installed by
// .ci/run with npm ci) and decodes its rows; it skips the test when DuckDB is
// not installed.
func duckdb(t *testing.T, sql string, rows any) {
	t.Helper()
	script, _ := filepath.Abs("../../testdata/duckdb/query.mjs")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed: cannot run DuckDB")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "@duckdb")); err != nil {
		t.Skip("duckdb not installed: run npm ci --prefix testdata/duckdb (.ci/run does)")
	}
	out, err := exec.Command("node", script, sql).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, out)
	}
	if err := json.Unmarshal(out, rows); err != nil {
		t.Fatalf("duckdb rows %.500s: %v", out, err)
	}
}

// TestDuckDBTotalsMatchExportSeries: DuckDB, a reader we did not write, sums
// the latest version of each operator × quarter straight from the Parquet
// files; its per-sector and per-region sums equal the reported part of
// `offshore export series` (imputed rows aside, and the cells the
// confidentiality gate hides), and it reads the Parquet that export writes.
func TestDuckDBTotalsMatchExportSeries(t *testing.T) {
	dir := demo(t)
	glob := filepath.Join(dir, "warehouse", "returns", "**", "*.parquet")
	latest := `SELECT * FROM read_parquet('` + glob + `', hive_partitioning = false)
	  QUALIFY row_number() OVER (PARTITION BY operator_id, period
	    ORDER BY received_at DESC, source_name DESC, source_sha256 DESC, "row" DESC) = 1`
	type agg struct {
		Key       string  `json:"k"`
		Period    string  `json:"period"`
		Operators float64 `json:"operators"`
		Jobs      float64 `json:"jobs"`
		Exports   float64 `json:"exports"`
		Invest    float64 `json:"investment"`
		Hires     float64 `json:"hires"`
		Youth     float64 `json:"hires_youth"`
		Disabled  float64 `json:"hires_disabled"`
	}
	sums := `count(*)::DOUBLE AS operators, sum(headcount)::DOUBLE AS jobs, sum(export_revenue_mad) AS exports,
	  coalesce(sum(investment_mad), 0) AS investment, coalesce(sum(hires), 0)::DOUBLE AS hires,
	  coalesce(sum(hires_youth), 0)::DOUBLE AS hires_youth, coalesce(sum(hires_disabled), 0)::DOUBLE AS hires_disabled`
	var bySector, byRegion []agg
	duckdb(t, `SELECT sector AS k, period, `+sums+` FROM (`+latest+`) GROUP BY ALL ORDER BY ALL`, &bySector)
	duckdb(t, `SELECT region AS k, period, `+sums+` FROM (`+latest+`) GROUP BY ALL ORDER BY ALL`, &byRegion)

	code, out, stderr := offshore(t, "--workdir", dir, "export", "series", "--format", "json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var series []struct {
		Frequency string   `json:"frequency"`
		Period    string   `json:"period"`
		Level     string   `json:"level"`
		Sector    string   `json:"sector"`
		Region    string   `json:"region"`
		Metric    string   `json:"metric"`
		Reported  *float64 `json:"reported_sum"`
		Operators float64  `json:"operators"`
		Secret    bool     `json:"secret"`
	}
	if err := json.Unmarshal([]byte(out), &series); err != nil {
		t.Fatal(err)
	}
	type key struct{ level, k, period, metric string }
	got := map[key][2]float64{}
	secret := map[key]bool{} // hidden by the confidentiality gate: nothing to compare
	for _, s := range series {
		k := s.Sector
		if s.Level == "region" {
			k = s.Region
		}
		if s.Frequency == "quarter" && s.Secret {
			secret[key{s.Level, k, s.Period, s.Metric}] = true
		}
		if s.Frequency != "quarter" || s.Reported == nil {
			continue
		}
		got[key{s.Level, k, s.Period, s.Metric}] = [2]float64{*s.Reported, s.Operators}
	}
	checked := 0
	for level, rows := range map[string][]agg{"sector": bySector, "region": byRegion} {
		for _, a := range rows {
			for metric, v := range map[string]float64{"jobs": a.Jobs, "exports": a.Exports, "investment": a.Invest,
				"hires": a.Hires, "hires_youth": a.Youth, "hires_disabled": a.Disabled} {
				if secret[key{level, a.Key, a.Period, metric}] {
					continue
				}
				g, ok := got[key{level, a.Key, a.Period, metric}]
				if !ok {
					t.Errorf("export series has no %s %s %s %s", level, a.Key, a.Period, metric)
					continue
				}
				if math.Abs(g[0]-v) > 0.01 || g[1] != a.Operators {
					t.Errorf("%s %s %s %s: export series %v (%v operators), DuckDB %v (%v operators)", level, a.Key, a.Period, metric, g[0], g[1], v, a.Operators)
				}
				checked++
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d points compared", checked)
	}

	// DuckDB reads the Parquet that export writes, with the same rows.
	pq := filepath.Join(t.TempDir(), "series.parquet")
	if code, _, stderr := offshore(t, "--workdir", dir, "export", "series", "--format", "parquet", "--out", pq); code != exitOK {
		t.Fatal(stderr)
	}
	var n []struct {
		N float64 `json:"n"`
	}
	duckdb(t, `SELECT count(*)::DOUBLE AS n FROM read_parquet('`+pq+`')`, &n)
	if len(n) != 1 || int(n[0].N) != len(series) {
		t.Errorf("DuckDB reads %v rows of the exported Parquet, JSON has %d", n, len(series))
	}
}
