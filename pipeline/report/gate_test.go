package report

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// provokingPanel is a warehouse built to provoke every rule: CRM where one
// operator holds 90 % of the headcount, ITO of two operators (a region of
// two: L'Oriental), KPO of one until 2017 and three from 2018 (public now,
// confidential a year earlier), ESO of none, BPO of four, one of which
// makes nearly all the sector's investment; and, with oneReturn, a last
// quarter with a single return.
func provokingPanel(oneReturn bool) []domain.Return {
	type op struct {
		sector, region string
		head           int64
	}
	ops := []op{
		{"CRM", "Casablanca-Settat", 9000}, {"CRM", "Casablanca-Settat", 300}, {"CRM", "Rabat-Salé-Kénitra", 250},
		{"CRM", "Casablanca-Settat", 250}, {"CRM", "Rabat-Salé-Kénitra", 200},
		{"ITO", "L'Oriental", 800}, {"ITO", "L'Oriental", 700},
		{"KPO", "Casablanca-Settat", 400}, {"KPO", "Casablanca-Settat", 450}, {"KPO", "Rabat-Salé-Kénitra", 500}, // the last two from 2018
		{"BPO", "Rabat-Salé-Kénitra", 1000}, {"BPO", "Casablanca-Settat", 1100}, {"BPO", "Casablanca-Settat", 900}, {"BPO", "Rabat-Salé-Kénitra", 1200},
	}
	first, last := domain.NewPeriod(2016, 1), domain.NewPeriod(2018, 4)
	var rs []domain.Return
	for p := first; p <= last; p++ {
		for i, o := range ops {
			if (oneReturn && p == last && i != 10) || ((i == 8 || i == 9) && p < domain.NewPeriod(2018, 1)) {
				continue
			}
			h := o.head + int64(p-first)*int64(i+1)
			inv := float64(h) * 1000
			if i == 11 {
				inv *= 100 // BPO's investor
			}
			rs = append(rs, domain.Return{OperatorID: fmt.Sprintf("%015d", i+1), OperatorName: fmt.Sprintf("Op %d", i+1),
				Sector: o.sector, Region: o.region, Period: p, Headcount: h, ExportRevenueMAD: float64(h) * 50000,
				InvestmentMAD: domain.Float64(inv), Hires: domain.Int64(h / 10), HiresYouth: domain.Int64(h / 20),
				HiresDisabled: domain.Int64(1), ReceivedAt: p.End().AddDate(0, 0, 10)})
		}
	}
	return rs
}

// contributors are the operators' values of metric behind the cell of
// group (a sector code or domain.National) in quarter p.
func contributors(panel []domain.Return, group string, metric domain.Metric, p domain.Period) []float64 {
	var out []float64
	for _, r := range panel {
		if r.Period != p || (group != domain.National && r.Sector != group) {
			continue
		}
		out = append(out, metricValue(&r, metric)) // a blank investment counts as none, its operator as one
	}
	return out
}

// violates reports why values may not be published together, or "".
func violates(values []float64, r rule) string {
	sum, top := 0.0, 0.0
	for _, v := range values {
		sum += v
		top = max(top, v)
	}
	switch {
	case len(values) == 0:
		return ""
	case len(values) < r.min:
		return fmt.Sprintf("%d operators", len(values))
	case sum > 0 && top > r.dominance*sum:
		return fmt.Sprintf("one operator holds %.0f %%", 100*top/sum)
	}
	return ""
}

// TestGateWalksEveryCell builds the workbook of the demo's returns and of
// warehouses made to provoke every rule, then walks every cell of the sheets that publish figures by
// group and quarter (Données, Graphique, the sectors' chart table), every
// chart part and the document properties, recomputes each figure's
// contributors from the returns and fails on any violation: a published
// figure of too few operators or dominated by one, a hidden cell that the
// row's total gives back, a 0 where no operator is, a cached chart value.
func TestGateWalksEveryCell(t *testing.T) {
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := synth.Generate(&cfg.Mappings, synth.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var demo []domain.Return
	for _, f := range files {
		demo = append(demo, f.Rows...)
	}
	panels := map[string][]domain.Return{
		"provoking":                       provokingPanel(false),
		"provoking, one return in 2018Q4": provokingPanel(true),
		"demo":                            series.Consolidate(demo, time.Time{}, 0),
	}
	// A filing season of a small sector structure (12 operators: sectors and
	// regions of one to four): what had arrived on nights 5 to 80 days after
	// 2018Q4's end, the quarter in collection included (the gate must hold
	// on any panel, whatever the as-of rule makes of it).
	opts := synth.DefaultOptions()
	opts.Operators, opts.Seed = 12, 3
	small, err := synth.Generate(&cfg.Mappings, opts)
	if err != nil {
		t.Fatal(err)
	}
	var season []domain.Return
	for _, f := range small {
		season = append(season, f.Rows...)
	}
	for _, days := range []int{5, 20, 35, 50, 80} {
		night := domain.NewPeriod(2018, 4).End().AddDate(0, 0, days)
		panels[fmt.Sprintf("12 operators, night %s", night.Format(time.DateOnly))] = series.Consolidate(season, night, 0)
	}
	for name, panel := range panels {
		t.Run(name, func(t *testing.T) {
			s := series.BuildPanel(series.NewPanel(panel, 0), series.BuildOptions{Sectors: fiveSectors})
			res, err := assess.Set(context.Background(), s, cfg.TargetSet("pai-2016-2020"), 0, assess.Options{Model: forecast.LinearTrend(), MinPoints: 6, Thresholds: forecast.DefaultThresholds()})
			if err != nil {
				t.Fatal(err)
			}
			opts := fixtureOptions("fr")
			opts.Panel, opts.FilingDelayDays = panel, 45
			opts.Previous = []*assess.Result{res} // Évolution's figures too
			r := opts.rule()
			f, b := build(t, []*assess.Result{res}, s, opts)

			// Données: every cell, and each quarter's row against its total.
			rows, err := f.GetRows("Données")
			if err != nil {
				t.Fatal(err)
			}
			header := rows[dataHeaderRow-1]
			for _, row := range rows[dataFirstRow-1:] {
				p, err := parsePeriodName(row[0])
				if err != nil {
					t.Fatal(err)
				}
				hidden := map[domain.Metric][]float64{} // metric → contributors of the hidden sector cells
				nHidden := map[domain.Metric]int{}
				natShown := map[domain.Metric]bool{}
				for j := 1; j < len(header) && j < len(row); j++ {
					group, metric := groupMetric(t, header[j])
					if metric == "" {
						continue
					}
					cs := contributors(panel, group, metric, p)
					v := row[j]
					switch {
					case v == "s":
						if group != domain.National {
							hidden[metric] = append(hidden[metric], cs...)
							nHidden[metric]++
						}
					case v == none:
						if len(cs) > 0 {
							t.Errorf("Données %s %s: – but %d operators", p, header[j], len(cs))
						}
					case v == "":
					default:
						if why := violates(cs, r); why != "" {
							t.Errorf("Données %s %s = %s published: %s", p, header[j], v, why)
						}
						if x, _ := strconv.ParseFloat(v, 64); x == 0 && len(cs) == 0 {
							t.Errorf("Données %s %s: 0 for no operator", p, header[j])
						}
						if group == domain.National {
							natShown[metric] = true
						}
					}
				}
				for metric, cs := range hidden {
					if !natShown[metric] {
						continue
					}
					if why := violates(cs, r); why != "" || nHidden[metric] == 1 {
						t.Errorf("Données %s %s: the total minus the published sectors gives the hidden ones (%d cells: %s)", p, metric, nHidden[metric], why)
					}
				}
			}

			// Graphique: the national jobs actual, quarter by quarter.
			if rows, err := f.GetRows("Graphique"); err == nil {
				for _, row := range rows[chartFirstRow-1:] {
					if len(row) == 0 {
						break // the end of the jobs table
					}
					p, err := parsePeriodName(row[0])
					if err != nil || len(row) < 2 || row[1] == "" || row[1] == "s" {
						continue
					}
					if why := violates(contributors(panel, domain.National, domain.MetricJobs, p), r); why != "" {
						t.Errorf("Graphique %s = %s published: %s", p, row[1], why)
					}
				}
			}

			// Filières: the sectors' chart table (period × sector jobs).
			if rows, err := f.GetRows("Filières"); err == nil {
				in := false
				for _, row := range rows {
					if len(row) > 0 && row[0] == opts.labelsPeriod() {
						in = true
						continue
					}
					if !in || len(row) == 0 {
						continue
					}
					p, err := parsePeriodName(row[0])
					if err != nil {
						continue
					}
					for j, sec := range fiveSectors {
						if j+1 >= len(row) || row[j+1] == "s" || row[j+1] == "" {
							continue
						}
						cs := contributors(panel, sec, domain.MetricJobs, p)
						if row[j+1] == none {
							if len(cs) > 0 {
								t.Errorf("sectors' chart %s %s: – but %d operators", p, sec, len(cs))
							}
							continue
						}
						if why := violates(cs, r); why != "" {
							t.Errorf("sectors' chart %s %s = %s published: %s", p, sec, row[j+1], why)
						}
					}
				}
			}

			// Filières and Régions: each row's jobs at the as-of, and the
			// hidden rows against the published total.
			asOf := s.Last
			for _, tb := range []struct {
				sheet string
				key   func(*domain.Return) string
			}{{"Filières", func(r *domain.Return) string { return r.Sector }}, {"Régions", func(r *domain.Return) string { return r.Region }}} {
				rows, err := f.GetRows(tb.sheet)
				if err != nil {
					t.Fatal(err)
				}
				byKey := map[string][]float64{}
				for i := range panel {
					if panel[i].Period == asOf {
						byKey[tb.key(&panel[i])] = append(byKey[tb.key(&panel[i])], float64(panel[i].Headcount))
					}
				}
				var hidden []float64
				nHidden, totalShown := 0, false
				for _, row := range rows {
					if len(row) < 3 {
						continue
					}
					if row[0] == fr.total && row[2] != "s" {
						totalShown = true
						continue
					}
					cs, known := byKey[row[0]]
					switch {
					case row[2] == "s":
						hidden = append(hidden, cs...)
						nHidden++
					case row[2] == none:
						if len(cs) > 0 {
							t.Errorf("%s %s: – but %d operators", tb.sheet, row[0], len(cs))
						}
					case known:
						if why := violates(cs, r); why != "" {
							t.Errorf("%s %s jobs %s published: %s", tb.sheet, row[0], row[2], why)
						}
					}
					if row[2] == "0" && len(cs) == 0 {
						t.Errorf("%s %s: 0 for no operator", tb.sheet, row[0])
					}
					if len(row) > 3 && known && row[3] != "s" && row[3] != none && row[3] != "" {
						var earlier []float64
						for i := range panel {
							if panel[i].Period == asOf-4 && tb.key(&panel[i]) == row[0] {
								earlier = append(earlier, float64(panel[i].Headcount))
							}
						}
						if why := violates(earlier, r); why != "" {
							t.Errorf("%s %s jobs a year earlier %s published: %s", tb.sheet, row[0], row[3], why)
						}
					}
				}
				if why := violates(hidden, r); totalShown && nHidden > 0 && (why != "" || nHidden == 1) {
					t.Errorf("%s: the total minus the published rows gives the hidden ones (%d rows: %s)", tb.sheet, nHidden, why)
				}
			}

			// Emploi inclusif: each sector's hires of the latest year.
			if rows, err := f.GetRows("Emploi inclusif"); err == nil {
				hires := map[string]map[string]float64{} // sector → operator → hires
				for i := range panel {
					if x := &panel[i]; x.Period.Year() == s.Last.Year() && x.Hires != nil {
						if hires[x.Sector] == nil {
							hires[x.Sector] = map[string]float64{}
						}
						hires[x.Sector][x.OperatorID] += float64(*x.Hires)
					}
				}
				yearly := map[string]map[string]float64{} // year → operator → hires
				for i := range panel {
					if x := &panel[i]; x.Hires != nil {
						y := strconv.Itoa(x.Period.Year())
						if yearly[y] == nil {
							yearly[y] = map[string]float64{}
						}
						yearly[y][x.OperatorID] += float64(*x.Hires)
					}
				}
				in := false
				for _, row := range rows {
					if len(row) > 0 && row[0] == fr.inclusiveSectorCols[0] {
						in = true
						continue
					}
					if len(row) < 3 {
						continue
					}
					if ops, ok := yearly[row[0]]; ok && !in && row[2] != "s" {
						var cs []float64
						for _, v := range ops {
							cs = append(cs, v)
						}
						if why := violates(cs, r); why != "" {
							t.Errorf("Emploi inclusif %s national hires %s published: %s", row[0], row[2], why)
						}
					}
					if !in || len(row) < 3 || !slices.Contains(fiveSectors, row[0]) {
						continue
					}
					var cs []float64
					for _, v := range hires[row[0]] {
						cs = append(cs, v)
					}
					switch row[2] {
					case "s":
					case none:
						if len(cs) > 0 {
							t.Errorf("Emploi inclusif %s: – but %d operators", row[0], len(cs))
						}
					default:
						if why := violates(cs, r); why != "" {
							t.Errorf("Emploi inclusif %s hires %s published: %s", row[0], row[2], why)
						}
					}
				}
			}

			// Synthèse: a target's latest actual is published only if its
			// contributors pass; the page and the API hide the same targets.
			conf := ConfidentialTargets([]*assess.Result{res}, opts)
			for _, a := range res.Assessments {
				row := findRow(t, f, "Synthèse", a.Label)
				v, _ := f.GetCellValue("Synthèse", ref(t, colLatest, row))
				p := a.LatestPeriod
				secret := slices.Contains(conf, res.TargetSet+"/"+a.TargetID)
				if (v == "s") != secret {
					t.Errorf("%s: Synthèse shows %q but the page and the API hide it: %v", a.TargetID, v, secret)
				}
				if v != "s" && a.Metric == domain.MetricJobs {
					if why := violates(contributors(panel, a.Sector, a.Metric, p), r); why != "" {
						t.Errorf("Synthèse %s latest %s published: %s", a.TargetID, v, why)
					}
				}
			}
			// A hidden target's row, on the Synthèse and on Évolution, holds
			// its label, its unit and the secret mark; its sentences (the
			// verdict, what moved) no figure.
			for _, a := range res.Assessments {
				if !slices.Contains(conf, res.TargetSet+"/"+a.TargetID) {
					continue
				}
				for _, sh := range []string{"Synthèse", "Évolution"} {
					rows, _ := f.GetRows(sh)
					for _, row := range rows {
						if len(row) == 0 || !strings.HasPrefix(row[0], a.Label) {
							continue
						}
						if rest := strings.TrimPrefix(row[0], a.Label); regexp.MustCompile(`\d`).MatchString(rest) {
							t.Errorf("%s: hidden target %s's sentence holds a figure: %q", sh, a.TargetID, row[0])
						}
						for j, v := range row[1:] {
							if row[0] == a.Label && j > 0 && v != "s" && v != "" {
								t.Errorf("%s: hidden target %s shows %q", sh, a.TargetID, v)
							}
						}
					}
				}
			}
			if strings.HasPrefix(name, "provoking") && !slices.Contains(conf, "pai-2016-2020/crm-jobs-2020") && !slices.ContainsFunc(res.Skipped, func(k assess.Skipped) bool { return k.TargetID == "crm-jobs-2020" }) {
				t.Errorf("CRM, one operator holding 90 %%, is not confidential: %v", conf)
			}

			// Chart parts hold no cached value (the charts read the gated
			// tables); document properties hold no figure.
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			charts := 0
			for _, zf := range zr.File {
				if !strings.HasPrefix(zf.Name, "xl/charts/") && !strings.HasPrefix(zf.Name, "docProps/") {
					continue
				}
				rc, _ := zf.Open()
				x, _ := io.ReadAll(rc)
				rc.Close()
				if strings.HasPrefix(zf.Name, "xl/charts/") {
					charts++
					if regexp.MustCompile(`<(c:)?pt[ >]`).Match(x) {
						t.Errorf("%s caches values", zf.Name)
					}
					continue
				}
				text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(x), " ")
				text = regexp.MustCompile(`\d{4}-\d\d-\d\dT[\d:]+Z|\d{4}Q\d|20\d\d-20\d\d|\b20\d\d\b`).ReplaceAllString(text, "")
				if m := regexp.MustCompile(`\d{3,}`).FindString(text); m != "" {
					t.Errorf("%s holds a figure %s", zf.Name, m)
				}
			}
			if charts == 0 {
				t.Error("no chart part found")
			}
		})
	}
}

// groupMetric reads a Données header ("CRM — Emplois (personnes)").
func groupMetric(t *testing.T, h string) (group string, metric domain.Metric) {
	t.Helper()
	for _, g := range append([]string{domain.National}, fiveSectors...) {
		for _, m := range domain.TargetMetrics {
			if fr.seriesHeader(g, m) == h {
				return g, m
			}
		}
	}
	return "", ""
}

// labelsPeriod is the period header of the workbook's tables.
func (o Options) labelsPeriod() string {
	if o.Lang == "en" {
		return en.period
	}
	return fr.period
}

// fiveSectors are the five filières of the embedded mappings.yaml, in its order.
var fiveSectors = []string{"CRM", "BPO", "ITO", "ESO", "KPO"}
