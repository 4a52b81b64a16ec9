package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Question is an analyst's question to the warehouse (the page's form,
// GET /api/ask, `offshore forecast --sector …`): the forecast of one
// series (the nation, a sector or a region; any metric the series hold) to
// a horizon year, with or without a target, and what-ifs. Every field is
// optional.
type Question struct {
	Sector  string        `json:"sector,omitempty"`   // ALL (the nation) or a sector code; "": ALL, unless Region
	Region  string        `json:"region,omitempty"`   // a region of mappings.yaml (name or alias); not with Sector
	Metric  domain.Metric `json:"metric,omitempty"`   // one of domain.Metrics; "": jobs
	Horizon int           `json:"horizon,omitempty"`  // a year after the latest quarter, up to the farthest target's; 0: the farthest (2030)
	Target  *float64      `json:"target,omitempty"`   // nil: the official target of this series, metric and horizon when there is one
	AsOf    string        `json:"as_of,omitempty"`    // a quarter or a date (domain.ParseAsOf); "": the official quarter
	WhatIfs []string      `json:"what_ifs,omitempty"` // among assess.WhatIfs
	Model   string        `json:"model,omitempty"`    // a forecast.ByName name; "": forecast.model
}

// QuestionError is a question that cannot be answered as asked: each
// problem names the field, the value found and what is expected, in English
// (Error) and in French (Text). Faces answer it as bad input (HTTP 400,
// exit 2).
type QuestionError struct {
	Problems []FieldProblem
}

// FieldProblem is one field of a question that is wrong.
type FieldProblem struct {
	Field string `json:"field"`
	Value string `json:"value"`
	En    string `json:"message"`
	Fr    string `json:"message_fr"`
}

func (e *QuestionError) Error() string { return e.Text("en") }

// Text is the error in lang (French unless "en").
func (e *QuestionError) Text(lang string) string {
	var s []string
	for _, p := range e.Problems {
		if lang == "en" {
			s = append(s, p.En)
		} else {
			s = append(s, p.Fr)
		}
	}
	return strings.Join(s, " ; ")
}

func (e *QuestionError) add(field, value, en, fr string) {
	e.Problems = append(e.Problems, FieldProblem{Field: field, Value: value, En: en, Fr: fr})
}

// AsOfError is an as-of after the latest quarter the warehouse holds:
// refused rather than answered silently as of that latest quarter.
type AsOfError struct {
	Asked  string        // as given
	Latest domain.Period // the latest quarter with returns
}

func (e *AsOfError) Error() string {
	return fmt.Sprintf("as_of %s is after the latest quarter with returns, %s: ask for %s or an earlier quarter", e.Asked, e.Latest, e.Latest)
}

// Text is the error in lang (French unless "en").
func (e *AsOfError) Text(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("la date des données %s est postérieure au dernier trimestre déclaré, %s : demandez %s ou un trimestre antérieur",
		e.Asked, report.PeriodName("fr", e.Latest), report.PeriodName("fr", e.Latest))
}

// BadInput reports whether err is the analyst's (a QuestionError or an
// AsOfError), to be answered 400 / exit 2, with its text in lang.
func BadInput(err error, lang string) (string, bool) {
	var q *QuestionError
	var a *AsOfError
	switch {
	case errors.As(err, &q):
		return q.Text(lang), true
	case errors.As(err, &a):
		return a.Text(lang), true
	}
	return "", false
}

// CheckAsOf parses as (a quarter or a date, domain.ParseAsOf) and refuses a
// quarter after the latest one the warehouse holds (an AsOfError naming
// it), which would otherwise be assessed silently as of that latest quarter.
func CheckAsOf(ctx context.Context, cfg *config.Config, as string) (domain.AsOf, error) {
	return checkAsOf(cfg, as, func() ([]domain.Return, error) {
		rs, _, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
		return rs, err
	})
}

// checkAsOf is CheckAsOf with the warehouse's returns from returns, read
// only when as is a quarter.
func checkAsOf(cfg *config.Config, as string, returns func() ([]domain.Return, error)) (domain.AsOf, error) {
	as = strings.TrimSpace(as)
	if as == "" {
		return domain.AsOf{}, nil
	}
	p, perr := domain.ParsePeriod(as)
	a, err := domain.ParseAsOf(as, cfg.Settings.Forecast.FilingDelayDays)
	if perr != nil && err != nil {
		e := &QuestionError{}
		e.add("as_of", as, err.Error(), fmt.Sprintf("la date des données « %s » n'est pas un trimestre (2017Q4) ni une date (2017-12-31)", as))
		return a, e
	}
	if perr != nil { // a date: everything received by then
		return a, nil
	}
	rs, rerr := returns()
	if rerr != nil {
		return a, rerr
	}
	latest := domain.Period(0)
	for i := range rs {
		latest = max(latest, rs[i].Period)
	}
	if latest != 0 && p > latest {
		return a, &AsOfError{Asked: as, Latest: latest}
	}
	if err != nil {
		e := &QuestionError{}
		e.add("as_of", as, err.Error(), fmt.Sprintf("la date des données « %s » est hors des années admises", as))
		return a, e
	}
	return a, nil
}

// Answer is the answer to a Question: the series' history, the forecast to
// the horizon, the target (the ministry's official one when the question
// gives none and one exists), and each what-if with its fan and
// probability. Amounts are in MAD, jobs and hires in persons. A figure the
// confidentiality rule hides is not in it: Secret says the whole answer is
// hidden (its latest actual is), and hidden past points are left out.
type Answer struct {
	Question     Question      `json:"question"` // as answered: defaults filled in
	Level        string        `json:"level"`    // national, sector or region
	AsOf         domain.Period `json:"as_of"`
	Horizon      int           `json:"horizon"`
	Yearly       bool          `json:"yearly"` // the points are years (flows, judged per year), not quarters
	Target       *float64      `json:"target,omitempty"`
	TargetID     string        `json:"target_id,omitempty"` // the official target ("set/id") when it is one
	TargetLabel  string        `json:"target_label,omitempty"`
	Official     bool          `json:"official"` // the target is the ministry's, not the analyst's
	Cumulative   bool          `json:"cumulative,omitempty"`
	Secret       bool          `json:"secret,omitempty"`
	Latest       *float64      `json:"latest,omitempty"`
	LatestPeriod domain.Period `json:"latest_period"`
	Model        string        `json:"model,omitempty"`
	Required     *float64      `json:"required_growth,omitempty"`
	Observed     *float64      `json:"observed_growth,omitempty"`
	History      []Point       `json:"history"`
	Base         Outcome       `json:"forecast"`
	WhatIfs      []Outcome     `json:"what_ifs,omitempty"`
	Notices      []string      `json:"notices,omitempty"` // quarters in collection
	Years        []YearRow     `json:"years,omitempty"`   // every metric of the series, year by year (the sector's and region's pages)
	Catalog      int           `json:"catalog_seq"`
}

// Point is one quarter (jobs) or year (flows) of an answer; a null figure
// is one the model cannot give (a series too short for an interval).
type Point struct {
	Period   string   `json:"period"`
	X        float64  `json:"-"` // in years, for the charts
	Value    *float64 `json:"value"`
	Lo80     *float64 `json:"lo80"`
	Hi80     *float64 `json:"hi80"`
	Observed bool     `json:"observed"`
}

// Outcome is the forecast, or one what-if, at the horizon.
type Outcome struct {
	Name      string          `json:"name"`             // "forecast" or an assess.WhatIf
	Growth    *float64        `json:"growth,omitempty"` // the path's annual rate
	From      string          `json:"from,omitempty"`   // the year repeated (best, worst) or the quarter added (collecting)
	Projected *float64        `json:"projected,omitempty"`
	Lo80      *float64        `json:"lo80,omitempty"`
	Hi80      *float64        `json:"hi80,omitempty"`
	PMeet     *float64        `json:"p_meet,omitempty"`
	Status    forecast.Status `json:"status,omitempty"`
	Path      []Point         `json:"path,omitempty"`
	Reason    string          `json:"reason,omitempty"` // why it could not be computed
}

// YearRow is one year of every metric of the answer's series: jobs at Q4,
// the flows summed over the year; nil where not observed for the whole
// year or hidden.
type YearRow struct {
	Year   int                        `json:"year"`
	Values map[domain.Metric]*float64 `json:"values"`
}

// BaseName is the Outcome.Name of the base forecast.
const BaseName = "forecast"

// Horizons are the years an analyst may ask for: from the year after the
// targets' baseline to the farthest target's horizon.
func Horizons(cfg *config.Config) (first, last int) {
	first, last = 9999, 0
	for _, s := range cfg.Targets.Sets {
		first, last = min(first, s.BaselineYear+1), max(last, s.Horizon)
	}
	return first, last
}

// Ask answers q from the warehouse. It reads without the writers' lock
// and writes nothing. Bad input is a *QuestionError or an *AsOfError
// (BadInput); any other error is the pipeline's.
func Ask(ctx context.Context, cfg *config.Config, q Question, log *slog.Logger) (*Answer, error) {
	start := time.Now()
	q, region, err := checkQuestion(cfg, q)
	if err != nil {
		return nil, err
	}
	rs, cat, err := warehouse.ReadReturns(ctx, cfg.Settings.Paths.Warehouse)
	if err != nil {
		return nil, err
	}
	asOf, err := checkAsOf(cfg, q.AsOf, func() ([]domain.Return, error) { return rs, nil })
	if err != nil {
		return nil, err
	}
	model, _ := forecast.ByName(q.Model) // checked
	consolidated, off, panel := release.Returns(cfg, rs, asOf)
	set := series.BuildPanel(panel, series.BuildOptions{Metrics: domain.Metrics, Regions: true, Sectors: cfg.Mappings.SectorCodes()})
	if len(set.Series) == 0 {
		return nil, fmt.Errorf("warehouse %s: no returns; run `offshore ingest` first: %w", cfg.Settings.Paths.Warehouse, assess.ErrNoData)
	}
	if asOf.Period != 0 && set.Last < asOf.Period {
		return nil, &AsOfError{Asked: q.AsOf, Latest: set.Last}
	}
	gate := report.NewGate(secrecyFor(cfg, withImputed(consolidated, panel)))
	a := &Answer{Question: q, Level: "national", AsOf: set.Last, Horizon: q.Horizon, Yearly: q.Metric.IsFlow(), Catalog: cat.Seq}
	sector := q.Sector
	switch {
	case region != "":
		a.Level, sector = "region", domain.National
	case q.Sector != domain.National:
		a.Level = "sector"
	}
	hidden := func(m domain.Metric) func(domain.Period) bool {
		return func(p domain.Period) bool { return gate.Hidden(sector, region, m, p) }
	}
	for _, c := range off.Collecting {
		line, owed := report.CollectingText(cfg.Settings.Report.Lang, c, cfg.Mappings.SectorCodes(), cfg.Settings.Forecast.FilingDelayDays)
		a.Notices = append(a.Notices, line+" ; "+owed)
	}
	a.Years = yearRows(set, sector, region, hidden)

	t := config.Target{ID: "ask", Metric: q.Metric, Kind: domain.KindLevel, Sector: sector, Value: math.NaN()}
	if q.Target != nil {
		t.Value = *q.Target
	} else if ot, os := officialTarget(cfg, sector, region, q.Metric, q.Horizon); ot != nil {
		t, a.TargetID, a.TargetLabel, a.Official = *ot, os.ID+"/"+ot.ID, ot.Label, true
		if t.Kind == domain.KindIncrease {
			b := 0.0
			if t.Baseline != nil {
				b = *t.Baseline
			} else if v, ok := series.Annual(set.Get(sector, q.Metric), os.BaselineYear); ok {
				b = v
			}
			t.Kind, t.Value = domain.KindLevel, b+t.Value
		}
		if t.Kind == domain.KindCumulative && t.From == 0 {
			t.From = os.BaselineYear + 1
		}
		a.Cumulative = t.Kind == domain.KindCumulative
	}
	if !math.IsNaN(t.Value) {
		a.Target = ptr(t.Value)
	}
	explore := func(s *series.Set, asOf domain.Period, whatIfs []string) (*assess.Exploration, error) {
		if region != "" { // a region's series alone: outside the sectors' hierarchy, not reconciled
			x := *s.GetRegion(region, q.Metric)
			x.Sector, x.Region = sector, ""
			s = &series.Set{First: s.First, Last: s.Last, Series: []series.Series{x}}
		}
		return assess.Explore(s, t, q.Horizon, asOf, assessOptions(cfg, model), hidden(q.Metric), whatIfs)
	}
	e, err := explore(set, asOf.Period, q.WhatIfs)
	if errors.Is(err, assess.ErrHorizonObserved) {
		qe := &QuestionError{}
		qe.add("horizon", strconv.Itoa(q.Horizon), fmt.Sprintf("horizon %d is already observed (data to %s): want a later year", q.Horizon, set.Last),
			fmt.Sprintf("l'horizon %d est déjà observé (données jusqu'au %s) : choisissez une année postérieure", q.Horizon, report.PeriodName("fr", set.Last)))
		return nil, qe
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", q.Metric, subjectName(sector, region), err)
	}
	ea := e.Assessment
	a.LatestPeriod, a.Model = ea.LatestPeriod, ea.Model
	// The latest actual is the figure everything else is measured from:
	// hidden, the answer is.
	lp := []domain.Period{ea.LatestPeriod}
	if q.Metric.IsFlow() {
		lp = []domain.Period{ea.LatestPeriod - 3, ea.LatestPeriod - 2, ea.LatestPeriod - 1, ea.LatestPeriod}
	}
	if gate.Hidden(sector, region, q.Metric, lp...) {
		a.Secret = true
		a.Base = Outcome{Name: BaseName}
		return a, nil
	}
	a.Latest, a.Required, a.Observed = ptr(ea.Latest), ea.RequiredGrowth, ea.ObservedGrowth
	if ea.ObservedFrom != 0 && hidden(q.Metric)(ea.ObservedFrom) {
		a.Observed = nil
	}
	a.History = points(e.History)
	a.Base = outcome(BaseName, e.Base)
	for _, w := range e.WhatIfs {
		a.WhatIfs = append(a.WhatIfs, outcome(w.Name, w))
	}
	if slices.Contains(q.WhatIfs, assess.WhatIfCollecting) {
		a.WhatIfs = append(a.WhatIfs, collectingWhatIf(cfg, rs, off, asOf, func(s *series.Set, p domain.Period) (*assess.Exploration, error) { return explore(s, p, nil) }))
	}
	// What-ifs in the order asked.
	slices.SortStableFunc(a.WhatIfs, func(x, y Outcome) int { return slices.Index(q.WhatIfs, x.Name) - slices.Index(q.WhatIfs, y.Name) })
	orDiscard(log).Info("question answered", "sector", sector, "region", region, "metric", q.Metric, "horizon", q.Horizon, "what_ifs", len(a.WhatIfs), "duration", time.Since(start).Round(time.Millisecond))
	return a, nil
}

// collectingWhatIf forecasts from the quarter in collection, its missing
// returns filled as the panel fills a known non-response: headcount as last
// reported, flows as in the same quarter a year before scaled by the
// sector's growth (series.NewNonResponsePanel with the last quarter
// expected).
func collectingWhatIf(cfg *config.Config, rs []domain.Return, off release.Official, asOf domain.AsOf, explore func(*series.Set, domain.Period) (*assess.Exploration, error)) Outcome {
	o := Outcome{Name: assess.WhatIfCollecting}
	if len(off.Collecting) == 0 {
		o.Reason = "no quarter is in collection"
		if asOf.Period != 0 {
			o.Reason = "no quarter is in collection at a forced as_of"
		}
		return o
	}
	q := off.Collecting[0].Period
	all := series.Consolidate(rs, asOf.Cutoff, 0)
	all = slices.DeleteFunc(all, func(r domain.Return) bool { return r.Period > q })
	panel := series.NewNonResponsePanel(all, cfg.Settings.Warehouse.CarryForward, true)
	set := series.BuildPanel(panel, series.BuildOptions{Metrics: domain.Metrics, Regions: true, Sectors: cfg.Mappings.SectorCodes()})
	e, err := explore(set, q)
	if err != nil {
		o.Reason = err.Error()
		return o
	}
	o = outcome(assess.WhatIfCollecting, e.Base)
	o.From = q.String()
	return o
}

// checkQuestion fills q's defaults and checks every field; region is the
// region's name as mappings.yaml spells it ("" for none).
func checkQuestion(cfg *config.Config, q Question) (Question, string, error) {
	e := &QuestionError{}
	region := ""
	if q.Region != "" {
		for _, r := range cfg.Mappings.Regions {
			if strings.EqualFold(r.Name, q.Region) || slices.ContainsFunc(r.Aliases, func(a string) bool { return strings.EqualFold(a, q.Region) }) {
				region = r.Name
			}
		}
		if region == "" {
			e.add("region", q.Region, fmt.Sprintf("region is %q; want one of the 12 regions of mappings.yaml", q.Region),
				fmt.Sprintf("la région « %s » n'est pas l'une des 12 régions de mappings.yaml", q.Region))
		}
		if q.Sector != "" && q.Sector != domain.National {
			e.add("sector", q.Sector, "a region's series are all sectors together: give sector or region, not both",
				"les séries d'une région réunissent toutes les filières : indiquez une filière ou une région, pas les deux")
		}
		q.Region, q.Sector = region, ""
	} else {
		sectors := append([]string{domain.National}, cfg.Mappings.SectorCodes()...)
		if q.Sector == "" {
			q.Sector = domain.National
		}
		q.Sector = strings.ToUpper(q.Sector)
		if !slices.Contains(sectors, q.Sector) {
			e.add("sector", q.Sector, fmt.Sprintf("sector is %q; want one of %s", q.Sector, strings.Join(sectors, ", ")),
				fmt.Sprintf("la filière « %s » n'existe pas ; filières : %s", q.Sector, strings.Join(sectors, ", ")))
		}
	}
	if q.Metric == "" {
		q.Metric = domain.MetricJobs
	}
	if !slices.Contains(domain.Metrics, q.Metric) {
		var ms []string
		for _, m := range domain.Metrics {
			ms = append(ms, string(m))
		}
		e.add("metric", string(q.Metric), fmt.Sprintf("metric is %q; want one of %s", q.Metric, strings.Join(ms, ", ")),
			fmt.Sprintf("la mesure « %s » n'existe pas ; mesures : %s", q.Metric, strings.Join(ms, ", ")))
	}
	first, last := Horizons(cfg)
	if q.Horizon == 0 {
		q.Horizon = last
	}
	if q.Horizon < first || q.Horizon > last {
		e.add("horizon", strconv.Itoa(q.Horizon), fmt.Sprintf("horizon is %d; want a year from %d to %d (the farthest target's)", q.Horizon, first, last),
			fmt.Sprintf("l'horizon %d est hors de %d à %d (l'horizon des cibles le plus lointain)", q.Horizon, first, last))
	}
	if q.Target != nil && (math.IsNaN(*q.Target) || math.IsInf(*q.Target, 0) || *q.Target < 0) {
		e.add("target", fmt.Sprint(*q.Target), "target is not a number ≥ 0", "la cible n'est pas un nombre positif")
	}
	for _, w := range q.WhatIfs {
		if !slices.Contains(assess.WhatIfs, w) {
			e.add("what_ifs", w, fmt.Sprintf("what-if %q; want %s", w, strings.Join(assess.WhatIfs, ", ")),
				fmt.Sprintf("l'hypothèse « %s » n'existe pas ; hypothèses : %s", w, strings.Join(assess.WhatIfs, ", ")))
		}
	}
	q.WhatIfs = slices.Compact(q.WhatIfs)
	if q.Model == "" {
		q.Model = cfg.Settings.Forecast.Model
	}
	if _, err := forecast.ByName(q.Model); err != nil {
		e.add("model", q.Model, fmt.Sprintf("model is %q; %v", q.Model, err), fmt.Sprintf("le modèle « %s » n'existe pas ; modèles : %s", q.Model, strings.Join(forecast.ModelNames(), ", ")))
	}
	if len(e.Problems) > 0 {
		return q, "", e
	}
	return q, region, nil
}

// officialTarget is the ministry's target on sector's metric at horizon,
// and its set; nil for a region (no target is set on one).
func officialTarget(cfg *config.Config, sector, region string, metric domain.Metric, horizon int) (*config.Target, *config.TargetSet) {
	if region != "" {
		return nil, nil
	}
	for i := range cfg.Targets.Sets {
		s := &cfg.Targets.Sets[i]
		if s.Horizon != horizon {
			continue
		}
		for j := range s.Targets {
			if t := &s.Targets[j]; t.Sector == sector && t.Metric == metric {
				return t, s
			}
		}
	}
	return nil, nil
}

// yearRows are the series' years, every metric, hidden ones nil.
func yearRows(set *series.Set, sector, region string, hidden func(domain.Metric) func(domain.Period) bool) []YearRow {
	var rows []YearRow
	for y := set.First.Year(); y <= set.Last.Year(); y++ {
		row := YearRow{Year: y, Values: map[domain.Metric]*float64{}}
		any := false
		for _, m := range domain.Metrics {
			s := set.Get(sector, m)
			if region != "" {
				s = set.GetRegion(region, m)
			}
			if s == nil {
				continue
			}
			v, ok := series.Annual(s, y)
			h := hidden(m)
			if !ok || h(domain.NewPeriod(y, 1)) || h(domain.NewPeriod(y, 2)) || h(domain.NewPeriod(y, 3)) || h(domain.YearEnd(y)) {
				row.Values[m] = nil
				continue
			}
			row.Values[m], any = ptr(v), true
		}
		if any {
			rows = append(rows, row)
		}
	}
	return rows
}

func subjectName(sector, region string) string {
	if region != "" {
		return region
	}
	return sector
}

func ptr(v float64) *float64 { return &v }

// num is v, or nil when v is not a finite number.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func points(ps []assess.Point) []Point {
	out := make([]Point, len(ps))
	for i, p := range ps {
		out[i] = Point{Period: p.Label, X: p.X, Value: num(p.Value), Lo80: num(p.Lo80), Hi80: num(p.Hi80), Observed: p.Observed}
	}
	return out
}

func outcome(name string, o assess.Outcome) Outcome {
	return Outcome{Name: name, Growth: num(o.Growth), From: o.From, Projected: num(o.Projected), Lo80: num(o.Lo80), Hi80: num(o.Hi80),
		PMeet: num(o.PMeet), Status: o.Status, Path: points(o.Path), Reason: o.Reason}
}
