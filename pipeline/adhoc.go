package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/chart"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Scenarios of an ad-hoc forecast: which series the models are fitted on.
const (
	ScenarioReported  = "reported"   // the sums of the returns received
	ScenarioGapFilled = "gap-filled" // plus operators missing a return carried forward (warehouse.carry_forward_quarters)
)

// ForecastRequest is an analyst's ad-hoc forecast (POST /api/forecasts).
// Every field is optional: empty means the configuration's choice.
type ForecastRequest struct {
	AsOf      string          `json:"as_of,omitempty"`      // a quarter (2017Q4) or a date (2017-12-31); empty: everything known now
	TargetSet string          `json:"target_set,omitempty"` // a set id of targets.yaml; empty: forecast.target_set
	Sectors   []string        `json:"sectors,omitempty"`    // keep the targets of these sectors (ALL: national); empty: all
	Metrics   []domain.Metric `json:"metrics,omitempty"`    // keep the targets on these metrics (jobs, exports, investment); empty: all
	Model     string          `json:"model,omitempty"`      // a model name (see forecast.ByName); empty: forecast.model
	Scenario  string          `json:"scenario,omitempty"`   // reported or gap-filled; empty: reported, or gap-filled when warehouse.impute_in_forecasts
}

// Check fills the request's defaults from cfg and checks every field,
// naming the field, the value found and what is expected.
func (q *ForecastRequest) Check(cfg *config.Config) error {
	var errs []string
	bad := func(field string, v any, want string) {
		errs = append(errs, fmt.Sprintf("%s is %q; want %s", field, fmt.Sprint(v), want))
	}
	if _, err := release.ParseAsOf(q.AsOf, cfg.Settings.Forecast.FilingDelayDays); err != nil {
		bad("as_of", q.AsOf, "a quarter such as 2017Q4 or a date such as 2017-12-31")
	}
	if q.TargetSet == "" {
		q.TargetSet = cfg.Settings.Forecast.TargetSet
	}
	if cfg.TargetSet(q.TargetSet) == nil {
		var ids []string
		for _, s := range cfg.Targets.Sets {
			ids = append(ids, s.ID)
		}
		bad("target_set", q.TargetSet, "one of "+strings.Join(ids, ", "))
	}
	sectors := []string{domain.National}
	for _, s := range cfg.Mappings.Sectors {
		sectors = append(sectors, s.Code)
	}
	for _, s := range q.Sectors {
		if !slices.Contains(sectors, s) {
			bad("sectors", s, "one of "+strings.Join(sectors, ", "))
		}
	}
	var metrics []string
	for _, m := range domain.TargetMetrics {
		metrics = append(metrics, string(m))
	}
	for _, m := range q.Metrics {
		if !slices.Contains(domain.TargetMetrics, m) {
			bad("metrics", m, "one of "+strings.Join(metrics, ", "))
		}
	}
	if q.Model == "" {
		q.Model = cfg.Settings.Forecast.Model
	}
	if _, err := forecast.ByName(q.Model); err != nil {
		bad("model", q.Model, err.Error())
	}
	if q.Scenario == "" {
		q.Scenario = ScenarioReported
		if cfg.Settings.Warehouse.ImputeInForecasts {
			q.Scenario = ScenarioGapFilled
		}
	}
	if q.Scenario != ScenarioReported && q.Scenario != ScenarioGapFilled {
		bad("scenario", q.Scenario, ScenarioReported+" or "+ScenarioGapFilled)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// AdHocDir is where an ad-hoc forecast's files (fan charts) are kept:
// warehouse/adhoc/<run id>/, never the official outbox.
func AdHocDir(cfg *config.Config, id string) string {
	return filepath.Join(cfg.Settings.Paths.Warehouse, "adhoc", id)
}

// AdHoc runs a checked ad-hoc forecast q, recorded as rec: the assessments
// of the request's targets and one fan chart per assessment in
// AdHocDir(cfg, rec.ID). It reads the warehouse without the writers' lock
// and writes nothing else: the outbox is the nightly run's.
func AdHoc(ctx context.Context, cfg *config.Config, q ForecastRequest, rec *RunSummary, log *slog.Logger) error {
	rec.Request, rec.TargetSets = &q, []string{q.TargetSet}
	if err := SaveRun(cfg, rec); err != nil {
		return err
	}
	err := adHoc(ctx, cfg, q, rec, log)
	if ferr := FinishRun(ctx, cfg, rec, err); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

func adHoc(ctx context.Context, cfg *config.Config, q ForecastRequest, rec *RunSummary, log *slog.Logger) error {
	asOf, err := release.ParseAsOf(q.AsOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
		return err
	}
	c := *cfg // the request's choices, on a copy
	c.Settings.Warehouse.ImputeInForecasts = q.Scenario == ScenarioGapFilled
	set := *cfg.TargetSet(q.TargetSet)
	set.Targets = slices.DeleteFunc(slices.Clone(set.Targets), func(t config.Target) bool {
		return (len(q.Sectors) > 0 && !slices.Contains(q.Sectors, t.Sector)) || (len(q.Metrics) > 0 && !slices.Contains(q.Metrics, t.Metric))
	})
	if len(set.Targets) == 0 {
		return fmt.Errorf("target set %s has no target on sectors %v and metrics %v", set.ID, q.Sectors, q.Metrics)
	}
	c.Targets.Sets = []config.TargetSet{set}
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	o, err := assessReturns(ctx, &c, rs, asOf, []string{set.ID}, q.Model)
	if err != nil {
		return err
	}
	o.CatalogSeq = cat.Seq
	applySecrecy(&c, o)
	rec.CatalogSeq, rec.Results, rec.Confidential = o.CatalogSeq, o.Results, o.Confidential
	rec.setAsOf(o)
	dir := AdHocDir(cfg, rec.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gate := report.NewGate(secrecyOptions(&c, o))
	for _, a := range o.Results[0].Assessments {
		if slices.Contains(rec.Confidential, set.ID+"/"+a.TargetID) {
			continue // its series would show what the rule hides
		}
		name := a.TargetID + ".png"
		hidden := func(p domain.Period) bool { return gate.Hidden(a.Sector, "", a.Metric, p) }
		if err := fanChart(o, a, hidden, filepath.Join(dir, name)); err != nil {
			orDiscard(log).Warn("fan chart not drawn", "target", a.TargetID, "err", err)
			continue
		}
		rec.Charts = append(rec.Charts, name)
	}
	return nil
}

// fanChart draws a's series and projection path. The target is drawn for
// jobs only: the other metrics are flows whose targets are annual or
// cumulative sums, not quarterly levels. A past quarter the confidentiality
// gate hides (hidden) is left out, as on the workbook's charts.
func fanChart(o *Outlook, a assess.Assessment, hidden func(domain.Period) bool, file string) error {
	s := o.Series.Get(a.Sector, a.Metric)
	if s == nil || len(a.Path) == 0 {
		return fmt.Errorf("no series or no projection path")
	}
	year := func(p domain.Period) float64 { return float64(p)/4 + 0.125 }
	f := chart.Fan{Title: a.Label, XLabel: "année", YLabel: "emplois", Legend: [3]string{"réalisé", "projection (moyenne, intervalle à 80 %)", "cible"}}
	scale := 1.0
	if a.Metric != domain.MetricJobs {
		scale, f.YLabel = 1e-9, "milliards de MAD par trimestre"
	}
	last, err := domain.ParsePeriod(a.LatestPeriod)
	if err != nil {
		last = s.End()
	}
	for i, v := range s.Values {
		p := s.Start + domain.Period(i)
		if math.IsNaN(v) || p > last || hidden(p) {
			continue
		}
		f.HistoryX, f.History = append(f.HistoryX, year(p)), append(f.History, v*scale)
	}
	for _, pt := range a.Path {
		p, err := domain.ParsePeriod(pt.Period)
		if err != nil {
			return err
		}
		f.X, f.Median = append(f.X, year(p)), append(f.Median, pt.Mean*scale)
		f.Lo80, f.Hi80 = append(f.Lo80, pt.Lo80*scale), append(f.Hi80, pt.Hi80*scale)
	}
	if a.Metric == domain.MetricJobs {
		t := a.Target
		f.Target = &t
	}
	return f.Save(file)
}
