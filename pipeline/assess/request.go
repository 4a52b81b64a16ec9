package assess

import (
	"fmt"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
)

// Scenarios of an ad-hoc forecast: which series the models are fitted on.
const (
	ScenarioReported  = "reported"   // the sums of the returns received
	ScenarioGapFilled = "gap-filled" // plus operators missing a return carried forward (warehouse.carry_forward_quarters)
)

// Request is an analyst's ad-hoc forecast (POST /api/forecasts).
// Every field is optional: empty means the configuration's choice.
type Request struct {
	AsOf      string          `json:"as_of,omitempty"`      // a quarter (2017Q4) or a date (2017-12-31); empty: everything known now
	TargetSet string          `json:"target_set,omitempty"` // a set id of targets.yaml; empty: forecast.target_set
	Sectors   []string        `json:"sectors,omitempty"`    // keep the targets of these sectors (ALL: national); empty: all
	Metrics   []domain.Metric `json:"metrics,omitempty"`    // keep the targets on these metrics (jobs, exports, investment); empty: all
	Model     string          `json:"model,omitempty"`      // a model name (see forecast.ByName); empty: forecast.model
	Scenario  string          `json:"scenario,omitempty"`   // reported or gap-filled; empty: reported, or gap-filled when warehouse.impute_in_forecasts
}

// Query is a checked Request: its defaults filled in and its fields parsed.
type Query struct {
	Request Request     // as asked, with the configuration's defaults filled in
	AsOf    domain.AsOf // Request.AsOf parsed
	// Set is the target set with only the targets on the request's
	// sectors and metrics; it may have none (an error when run).
	Set       config.TargetSet
	Model     forecast.Model // Request.Model found
	GapFilled bool           // the gap-filled scenario
}

// Check fills the request's defaults from cfg and checks every field,
// naming the field, the value found and what is expected. Once checked, a
// request is never parsed again: the Query carries the parsed values.
func (q Request) Check(cfg *config.Config) (Query, error) {
	var errs []string
	bad := func(field string, v any, want string) {
		errs = append(errs, fmt.Sprintf("%s is %q; want %s", field, fmt.Sprint(v), want))
	}
	asOf, err := domain.ParseAsOf(q.AsOf, cfg.Settings.Forecast.FilingDelayDays)
	if err != nil {
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
	model, err := forecast.ByName(q.Model)
	if err != nil {
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
		return Query{}, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	set := *cfg.TargetSet(q.TargetSet)
	set.Targets = slices.DeleteFunc(slices.Clone(set.Targets), func(t config.Target) bool {
		return (len(q.Sectors) > 0 && !slices.Contains(q.Sectors, t.Sector)) || (len(q.Metrics) > 0 && !slices.Contains(q.Metrics, t.Metric))
	})
	return Query{Request: q, AsOf: asOf, Set: set, Model: model, GapFilled: q.Scenario == ScenarioGapFilled}, nil
}
