package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/template"
)

// provokingWorkdir is a working folder whose warehouse provokes every
// confidentiality rule: CRM where one operator holds 90 % of the headcount,
// ITO of two operators, alone in L'Oriental (a region of two), BPO of four,
// one of which makes nearly all the nation's investment, KPO of three;
// 2015Q1–2018Q4 complete, then 2019Q1 with a single return (in collection).
// It returns the folder (nightly run done) and the returns it holds.
func provokingWorkdir(t *testing.T) (string, []domain.Return) {
	t.Helper()
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	cfg, err := config.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		sector, region string
		head           int64
	}{
		{"CRM", "Casablanca-Settat", 9000}, {"CRM", "Casablanca-Settat", 300}, {"CRM", "Rabat-Salé-Kénitra", 250},
		{"CRM", "Casablanca-Settat", 250}, {"CRM", "Rabat-Salé-Kénitra", 200},
		{"ITO", "L'Oriental", 800}, {"ITO", "L'Oriental", 700},
		{"KPO", "Casablanca-Settat", 400}, {"KPO", "Casablanca-Settat", 450}, {"KPO", "Rabat-Salé-Kénitra", 500},
		{"BPO", "Rabat-Salé-Kénitra", 1000}, {"BPO", "Casablanca-Settat", 1100}, {"BPO", "Casablanca-Settat", 900}, {"BPO", "Rabat-Salé-Kénitra", 1200},
	}
	first, last := domain.NewPeriod(2015, 1), domain.NewPeriod(2019, 1)
	var all []domain.Return
	var files []string
	for p := first; p <= last; p++ {
		var rows []domain.Return
		for i, o := range ops {
			if p == last && i != 10 { // 2019Q1: one early return
				continue
			}
			h := o.head + int64(p-first)*int64(i+1)
			inv := float64(h) * 1000
			if i == 11 {
				inv *= 100 // BPO's investor: 87 % of the nation's investment
			}
			rows = append(rows, domain.Return{OperatorID: fmt.Sprintf("%015d", 100000+i), OperatorName: fmt.Sprintf("Opérateur %d", i+1),
				Sector: o.sector, Region: o.region, Period: p, Headcount: h, ExportRevenueMAD: float64(h) * 50000,
				TotalRevenueMAD: domain.Float64(float64(h) * 60000), InvestmentMAD: domain.Float64(inv),
				Hires: domain.Int64(h / 10), HiresYouth: domain.Int64(h / 20), HiresDisabled: domain.Int64(1)})
		}
		f, err := template.Fill(&cfg.Mappings, template.Options{Lang: "fr"}, rows)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "returns_"+p.String()+".xlsx")
		if err := f.SaveAs(file); err != nil {
			t.Fatal(err)
		}
		f.Close()
		got := p.End().AddDate(0, 0, 10) // received ten days after the quarter's end
		if err := os.Chtimes(file, got, got); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
		all = append(all, rows...)
	}
	if code, out, stderr := offshore(t, append([]string{"--workdir", dir, "ingest", "--backfill"}, files...)...); code != exitOK {
		t.Fatalf("ingest: %d\n%s\n%s", code, out, stderr)
	}
	if code, out, stderr := offshore(t, "--workdir", dir, "run", "--backfill"); code != exitOK {
		t.Fatalf("run: %d\n%s\n%s", code, out, stderr)
	}
	return dir, all
}

// secrecy recomputes, from the returns themselves, what the confidentiality
// rule says of a figure, independently of the gate.
type secrecy struct {
	rs        []domain.Return
	min       int
	dominance float64
}

// value is r's figure of metric (a blank one counts as none).
func value(r *domain.Return, metric domain.Metric) float64 {
	var v *int64
	switch metric {
	case domain.MetricJobs:
		return float64(r.Headcount)
	case domain.MetricExports:
		return r.ExportRevenueMAD
	case domain.MetricInvestment:
		if r.InvestmentMAD != nil {
			return *r.InvestmentMAD
		}
		return 0
	case domain.MetricHires:
		v = r.Hires
	case domain.MetricHiresYouth:
		v = r.HiresYouth
	case domain.MetricHiresDisabled:
		v = r.HiresDisabled
	}
	if v == nil {
		return 0
	}
	return float64(*v)
}

// contributors are the operators' parts (summed over ps) of the figure of
// metric for sector ("ALL": the nation) or region (when not empty).
func (s secrecy) contributors(sector, region string, metric domain.Metric, ps ...domain.Period) map[string]float64 {
	out := map[string]float64{}
	for i := range s.rs {
		r := &s.rs[i]
		in := false
		for _, p := range ps {
			in = in || r.Period == p
		}
		if !in || (region != "" && r.Region != region) || (region == "" && sector != domain.National && r.Sector != sector) {
			continue
		}
		out[r.OperatorID] += value(r, metric)
	}
	return out
}

// violates says why the contributors may not be published, or "".
func (s secrecy) violates(cs map[string]float64) string {
	sum, top := 0.0, 0.0
	for _, v := range cs {
		sum += v
		top = max(top, v)
	}
	switch {
	case len(cs) == 0:
		return ""
	case len(cs) < s.min:
		return fmt.Sprintf("%d operators", len(cs))
	case sum > 0 && top > s.dominance*sum:
		return fmt.Sprintf("one operator holds %.0f %%", 100*top/sum)
	}
	return ""
}

// figures writes v as the outputs may print it: whole persons, MAD, bn MAD.
func figures(v float64) []string {
	return []string{strconv.FormatFloat(v, 'f', -1, 64), fmt.Sprintf("%.0f", v), fmt.Sprintf("%.2f bn MAD", v/1e9)}
}

// revealed returns the first of the figures of vs found in out as a whole
// number (not inside a longer one), or "".
func revealed(out string, vs ...float64) string {
	for _, v := range vs {
		for _, f := range figures(v) {
			if regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(f) + `($|[^0-9])`).MatchString(out) {
				return f
			}
		}
	}
	return ""
}

func sumOf(cs map[string]float64) float64 {
	t := 0.0
	for _, v := range cs {
		t += v
	}
	return t
}

// TestNothingOutsideTheWorkbookRevealsASecret builds a warehouse that
// provokes every confidentiality rule and checks that no output outside the
// workbook gives away a figure the gate hides: `forecast` (table and JSON,
// official and forced onto the quarter of one return), `export series`
// (every published cell recomputed from the returns, and what each table's
// total gives back by subtraction), `export forecasts`, and the API and
// page of `offshore schedule`. Without --as-of, the series stop at the
// official quarter.
func TestNothingOutsideTheWorkbookRevealsASecret(t *testing.T) {
	dir, rs := provokingWorkdir(t)
	cfg, err := config.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	s := secrecy{rs: rs, min: cfg.Settings.Secrecy.MinOperators, dominance: cfg.Settings.Secrecy.Dominance}
	q4, q1 := domain.NewPeriod(2018, 4), domain.NewPeriod(2019, 1)
	var cumulative []domain.Period
	for p := domain.NewPeriod(2016, 1); p <= q4; p++ {
		cumulative = append(cumulative, p)
	}
	// What the rule hides, recomputed here: CRM's jobs (90 % one operator),
	// the nation's cumulative investment (87 %), 2019Q1's one return.
	crmJobs := s.contributors("CRM", "", domain.MetricJobs, q4)
	investment := s.contributors(domain.National, "", domain.MetricInvestment, cumulative...)
	early := s.contributors(domain.National, "", domain.MetricJobs, q1)
	for name, cs := range map[string]map[string]float64{"CRM jobs": crmJobs, "investment": investment, "2019Q1 jobs": early} {
		if s.violates(cs) == "" {
			t.Fatalf("the warehouse does not provoke the rule: %s is publishable", name)
		}
	}
	secrets := []float64{sumOf(crmJobs), sumOf(investment), sumOf(early)}

	t.Run("forecast", func(t *testing.T) {
		for _, format := range []string{"table", "json"} {
			code, out, stderr := offshore(t, "--workdir", dir, "forecast", "--format", format)
			if code != exitOK {
				t.Fatalf("forecast --format %s: %d %s", format, code, stderr)
			}
			if f := revealed(out, secrets...); f != "" {
				t.Errorf("forecast --format %s prints %s, a hidden figure:\n%s", format, f, out)
			}
			if !strings.Contains(out, "2018Q4") || strings.Contains(out, `"as_of": "2019Q1"`) {
				t.Errorf("forecast --format %s is not as of 2018Q4:\n%s", format, out)
			}
		}
		res := forecastJSON(t, dir)
		secret := map[string]bool{}
		for _, a := range res.Assessments {
			secret[a.TargetID] = a.Secret
			if a.Secret && (a.Latest != 0 || a.Projected != 0 || len(a.Path) > 0) {
				t.Errorf("%s is secret but carries figures: %+v", a.TargetID, a)
			}
			if !a.Secret && a.Metric == domain.MetricJobs {
				if why := s.violates(s.contributors(a.Sector, "", a.Metric, q4)); why != "" {
					t.Errorf("%s published: its latest has %s", a.TargetID, why)
				}
			}
		}
		if !secret["crm-jobs-2020"] || !secret["investment-2016-2020"] || secret["jobs-2020"] {
			t.Errorf("secret assessments %v; want CRM jobs and investment hidden, national jobs published", secret)
		}
		// Forced onto the quarter of one return: that return's figures stay hidden.
		for _, format := range []string{"table", "json"} {
			code, out, stderr := offshore(t, "--workdir", dir, "forecast", "--as-of", "2019Q1", "--format", format)
			if code != exitOK {
				t.Fatalf("forecast --as-of 2019Q1: %d %s", code, stderr)
			}
			if f := revealed(out, sumOf(early)); f != "" {
				t.Errorf("forecast --as-of 2019Q1 --format %s prints %s, the one return's headcount:\n%s", format, f, out)
			}
		}
	})

	type row struct {
		Frequency, Period, Level, Sector, Region, Metric string
		Reported                                         *float64 `json:"reported_sum"`
		Imputed                                          *float64 `json:"carried_forward"`
		Value                                            *float64 `json:"reported_plus_carried_forward"`
		Operators                                        int
		Secret                                           bool
	}
	exportSeries := func(t *testing.T, args ...string) []row {
		code, out, stderr := offshore(t, append([]string{"--workdir", dir, "export", "series", "--format", "json"}, args...)...)
		if code != exitOK {
			t.Fatalf("export series %v: %d %s", args, code, stderr)
		}
		var rows []row
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	// checkSeries recomputes every published figure's contributors, and
	// what each total minus its published parts would give.
	checkSeries := func(t *testing.T, rows []row) {
		type table struct{ frequency, period, level, metric string }
		hidden := map[table][]map[string]float64{}
		national := map[table]bool{} // the total is published
		for _, r := range rows {
			var ps []domain.Period
			if r.Frequency == "quarter" {
				p, err := domain.ParsePeriod(r.Period)
				if err != nil {
					t.Fatal(err)
				}
				ps = []domain.Period{p}
			} else {
				y, _ := strconv.Atoi(r.Period)
				ps = []domain.Period{domain.NewPeriod(y, 1), domain.NewPeriod(y, 2), domain.NewPeriod(y, 3), domain.YearEnd(y)}
				if r.Metric == string(domain.MetricJobs) {
					ps = ps[3:] // a year's jobs: its Q4
				}
			}
			cs := s.contributors(r.Sector, r.Region, domain.Metric(r.Metric), ps...)
			k := table{r.Frequency, r.Period, r.Level, r.Metric}
			switch {
			case r.Secret:
				if r.Value != nil || r.Reported != nil || r.Imputed != nil {
					t.Errorf("%+v: secret with figures", r)
				}
				if r.Level != "national" && len(cs) > 0 {
					hidden[k] = append(hidden[k], cs)
				}
			case r.Value != nil:
				if why := s.violates(cs); why != "" {
					t.Errorf("export series %s %s %s %s%s %s = %v published: %s", r.Frequency, r.Period, r.Level, r.Sector, r.Region, r.Metric, *r.Value, why)
				}
				for _, p := range ps { // a year's figure minus its published quarters
					if why := s.violates(s.contributors(r.Sector, r.Region, domain.Metric(r.Metric), p)); why != "" {
						t.Errorf("export series %s %s %s%s %s published though %s has %s", r.Period, r.Level, r.Sector, r.Region, r.Metric, p, why)
					}
				}
				if math.Abs(*r.Value-sumOf(cs)) > 0.01 {
					t.Errorf("export series %s %s %s%s %s = %v, the returns sum to %v", r.Period, r.Level, r.Sector, r.Region, r.Metric, *r.Value, sumOf(cs))
				}
				if r.Level == "national" {
					national[table{r.Frequency, r.Period, "sector", r.Metric}] = true
					national[table{r.Frequency, r.Period, "region", r.Metric}] = true
				}
			}
		}
		for k, cells := range hidden {
			if !national[k] {
				continue
			}
			together := map[string]float64{}
			for _, cs := range cells {
				for op, v := range cs {
					together[op] += v
				}
			}
			if why := s.violates(together); len(cells) == 1 || why != "" {
				t.Errorf("export series %+v: the total minus the published cells gives the %d hidden ones (%s)", k, len(cells), why)
			}
		}
	}
	find := func(rows []row, period, level, key, metric string) *row {
		for i, r := range rows {
			if r.Frequency == "quarter" && r.Period == period && r.Level == level && r.Metric == metric && (r.Sector == key && r.Region == "" || r.Region == key) {
				return &rows[i]
			}
		}
		return nil
	}

	t.Run("export series", func(t *testing.T) {
		rows := exportSeries(t)
		checkSeries(t, rows)
		for _, r := range rows {
			if strings.HasPrefix(r.Period, "2019") {
				t.Fatalf("export series without --as-of has %s, still in collection: %+v", r.Period, r)
			}
		}
		for _, c := range []struct {
			level, key string
			secret     bool
		}{{"sector", "CRM", true}, {"region", "L'Oriental", true}, {"sector", "BPO", false}, {"national", domain.National, false}} {
			r := find(rows, "2018Q4", c.level, c.key, string(domain.MetricJobs))
			if r == nil || r.Secret != c.secret {
				t.Errorf("export series 2018Q4 %s jobs: %+v; want secret %v", c.key, r, c.secret)
			}
		}
		forced := exportSeries(t, "--as-of", "2019Q1")
		checkSeries(t, forced)
		if r := find(forced, "2019Q1", "national", domain.National, string(domain.MetricJobs)); r == nil || !r.Secret || r.Operators != 1 {
			t.Errorf("export series --as-of 2019Q1: national jobs %+v; want the one return's figure hidden", r)
		}
	})

	t.Run("export forecasts", func(t *testing.T) {
		code, out, stderr := offshore(t, "--workdir", dir, "export", "forecasts", "--format", "json")
		if code != exitOK {
			t.Fatal(stderr)
		}
		if f := revealed(out, secrets...); f != "" {
			t.Errorf("export forecasts prints %s, a hidden figure", f)
		}
		var rows []map[string]any
		json.Unmarshal([]byte(out), &rows)
		n := 0
		for _, r := range rows {
			if r["target_id"] == "crm-jobs-2020" {
				n++
				if r["status"] != string(assess.StatusSecret) || r["latest"] != nil || r["target"] != nil || r["p_meet"] != nil {
					t.Errorf("export forecasts: CRM jobs not hidden: %v", r)
				}
			}
		}
		if n == 0 {
			t.Error("export forecasts has no CRM jobs row")
		}
	})

	t.Run("API and page", func(t *testing.T) {
		d := startDaemon(t, dir)
		defer d.stop(t)
		get := func(path string, auth bool) string {
			req, _ := http.NewRequest("GET", d.url+path, nil)
			if auth {
				req.Header.Set("Authorization", "Bearer e2e-token-of-at-least-32-characters-0123")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}
		nightly := d.runs(t, "run")
		if len(nightly) == 0 {
			t.Fatal("no nightly run")
		}
		// An ad-hoc forecast forced onto the quarter of one return.
		var acc struct{ ID string }
		if code := d.api(t, "POST", "/api/forecasts", `{"as_of": "2019Q1"}`, &acc); code != http.StatusAccepted {
			t.Fatalf("POST /api/forecasts: %d", code)
		}
		var adhoc runlog.Record
		waitFor(t, "the ad-hoc forecast", func() bool {
			d.api(t, "GET", "/api/runs/"+acc.ID, "", &adhoc)
			return adhoc.Status != runlog.StatusRunning
		})
		if adhoc.Status != runlog.StatusOK || len(adhoc.Results) == 0 {
			t.Fatalf("ad-hoc forecast: %+v", adhoc)
		}
		for _, a := range adhoc.Results[0].Assessments {
			if a.Sector == domain.National && !a.Secret {
				t.Errorf("ad-hoc forecast as of 2019Q1: %s published on one return", a.TargetID)
			}
		}
		for path, auth := range map[string]bool{
			"/api/runs/" + nightly[0].ID: true, "/api/runs/" + acc.ID: true, "/api/runs?limit=100": true,
			"/": true, "/runs/" + nightly[0].ID: true, "/runs/" + acc.ID: true, "/healthz": false, "/metrics": false,
		} {
			body := get(path, auth)
			if f := revealed(body, secrets...); f != "" {
				t.Errorf("GET %s serves %s, a hidden figure", path, f)
			}
		}
		// The coverage shares leave rounded to the percent the notices print.
		var list struct{ Runs []runlog.Record }
		d.api(t, "GET", "/api/runs?job=run", "", &list)
		if len(list.Runs) == 0 || list.Runs[0].Official == nil || len(list.Runs[0].Official.Collecting) != 1 {
			t.Fatalf("the nightly run has no quarter in collection: %+v", list.Runs)
		}
		if w := list.Runs[0].Official.Collecting[0].Weight; math.Abs(100*w-math.Round(100*w)) > 1e-9 {
			t.Errorf("/api/runs serves the share of the one 2019Q1 return exactly: %v", w)
		}
		if h := get("/healthz", false); strings.Contains(h, `"official"`) || strings.Contains(h, "weight") {
			t.Errorf("/healthz, without a token, serves the as-of's coverage: %s", h)
		}
	})
}
