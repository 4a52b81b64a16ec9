package assess

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Options choose the model and the status thresholds.
type Options struct {
	Model      forecast.Model
	MinPoints  int // fewer observed quarters than this: the target is skipped
	Thresholds forecast.Thresholds
	// Reconciliation is how the national and sector projections of a
	// measure are made coherent: "" or forecast.ReconcileMethod (MinT with
	// a diagonal covariance, the default), or "none".
	Reconciliation string
}

// ReconcileNone turns reconciliation off in Options.Reconciliation.
const ReconcileNone = "none"

// Assessment is the verdict on one target. Amounts are in MAD, jobs in persons.
type Assessment struct {
	TargetID       string            `json:"target_id"`
	Label          string            `json:"label"`
	Sector         string            `json:"sector"`
	Metric         domain.Metric     `json:"metric"`
	Kind           domain.TargetKind `json:"kind"`
	Horizon        string            `json:"horizon"`
	Baseline       float64           `json:"baseline"`
	Latest         float64           `json:"latest"`
	LatestPeriod   domain.Period     `json:"latest_period"`
	Target         float64           `json:"target"`
	Projected      float64           `json:"projected"`
	Lo80           float64           `json:"lo80"`
	Hi80           float64           `json:"hi80"`
	Lo95           float64           `json:"lo95"`
	Hi95           float64           `json:"hi95"`
	PMeet          float64           `json:"p_meet"`
	Status         forecast.Status   `json:"status"`
	Model          string            `json:"model"`
	ModelChoice    string            `json:"model_choice,omitempty"`    // the configured model ("auto") when it chose Model
	ModelReason    string            `json:"model_reason,omitempty"`    // why Model: the cross-validation scores or the fallback
	Reconciliation string            `json:"reconciliation,omitempty"`  // how the projection was made coherent with the other sectors, or why not
	Reached        bool              `json:"reached,omitempty"`         // the latest actual already reaches the target (status met)
	RequiredGrowth *float64          `json:"required_growth,omitempty"` // compound annual rate from latest to target
	ObservedGrowth *float64          `json:"observed_growth,omitempty"` // compound annual rate over the fitted span
	ObservedFrom   domain.Period     `json:"observed_from,omitzero"`    // the fitted span's first quarter (exports: the first of its first four)
	// RecentGrowth is the growth over the last four quarters: the latest
	// quarter against the same quarter a year before (exports: the last
	// four quarters' sum against the four before), last year's pace beside
	// ObservedGrowth's since the span's start. RecentFrom is the first
	// quarter it compares with.
	RecentGrowth *float64      `json:"recent_growth,omitempty"`
	RecentFrom   domain.Period `json:"recent_from,omitzero"`
	Path         []PathPoint   `json:"path,omitempty"` // quarterly projection of the series to the horizon, reconciled as the measure is
	// Closed marks a target whose horizon is past and observed: judged on
	// the Actual measure (Status StatusAchieved or StatusNotAchieved, Gap =
	// Actual − Target), with no model, projection or probability.
	Closed bool     `json:"closed,omitempty"`
	Actual *float64 `json:"actual,omitempty"`
	Gap    *float64 `json:"gap,omitempty"`
	// Secret marks an assessment whose figures the confidentiality rule
	// hides (see Masked): only what names the target is left.
	Secret bool `json:"secret,omitempty"`
}

// StatusSecret is the status of a masked assessment.
const StatusSecret forecast.Status = "secret"

// Masked returns a with its figures hidden: the target's identity and
// horizon are kept; every figure, the status, the model and the path go.
func (a Assessment) Masked() Assessment {
	return Assessment{TargetID: a.TargetID, Label: a.Label, Sector: a.Sector, Metric: a.Metric, Kind: a.Kind,
		Horizon: a.Horizon, LatestPeriod: a.LatestPeriod, Status: StatusSecret, Secret: true}
}

// Statuses of a closed target (Assessment.Closed): the measure is observed,
// the verdict certain.
const (
	StatusAchieved    forecast.Status = "achieved"
	StatusNotAchieved forecast.Status = "not_achieved"
)

// MarshalJSON leaves out of a closed target the fields that only a forecast
// has (projection, intervals, probability, model): none was made; and out of
// a secret one every figure.
func (a Assessment) MarshalJSON() ([]byte, error) {
	type plain Assessment
	if a.Secret {
		return json.Marshal(struct {
			TargetID     string            `json:"target_id"`
			Label        string            `json:"label"`
			Sector       string            `json:"sector"`
			Metric       domain.Metric     `json:"metric"`
			Kind         domain.TargetKind `json:"kind"`
			Horizon      string            `json:"horizon"`
			LatestPeriod domain.Period     `json:"latest_period"`
			Status       forecast.Status   `json:"status"`
			Secret       bool              `json:"secret"`
		}{a.TargetID, a.Label, a.Sector, a.Metric, a.Kind, a.Horizon, a.LatestPeriod, a.Status, true})
	}
	if !a.Closed {
		return json.Marshal(plain(a))
	}
	return json.Marshal(struct {
		plain
		Projected   *float64 `json:"projected,omitempty"`
		Lo80        *float64 `json:"lo80,omitempty"`
		Hi80        *float64 `json:"hi80,omitempty"`
		Lo95        *float64 `json:"lo95,omitempty"`
		Hi95        *float64 `json:"hi95,omitempty"`
		PMeet       *float64 `json:"p_meet,omitempty"`
		Model       string   `json:"model,omitempty"`
		ModelChoice string   `json:"model_choice,omitempty"`
	}{plain: plain(a)})
}

// PathPoint is the projection of one future quarter of the target's series.
type PathPoint struct {
	Period domain.Period `json:"period"`
	Mean   float64       `json:"mean"`
	Lo80   float64       `json:"lo80"`
	Hi80   float64       `json:"hi80"`
}

// Skipped names a target that could not be assessed, and why: Reason in
// English, Code for a reader in another language (one of the Skip codes),
// with the quarters observed and needed when too few.
type Skipped struct {
	TargetID string `json:"target_id"`
	Label    string `json:"label,omitempty"`
	Reason   string `json:"reason"`
	Code     string `json:"code,omitempty"`
	Quarters int    `json:"quarters,omitempty"` // SkipTooFewQuarters: contiguous quarters observed
	Needed   int    `json:"needed,omitempty"`   // SkipTooFewQuarters: quarters the model needs
}

// Why a target could not be assessed (Skipped.Code).
const (
	SkipNoSeries       = "no_series"        // no series of the target's sector and metric
	SkipNoBaseline     = "no_baseline"      // no baseline given, and the baseline year not fully observed
	SkipTooFewQuarters = "too_few_quarters" // fewer contiguous quarters observed than the model needs
	SkipSeriesEnds     = "series_ends"      // the series ends before the as-of quarter
	SkipFitFailed      = "fit_failed"       // the model could not be fitted
)

// skipError is why a target is skipped: its English message and its code.
type skipError struct {
	Skipped
}

func (e *skipError) Error() string { return e.Reason }

// skip returns the error of code with its English message.
func skip(code, format string, args ...any) *skipError {
	return &skipError{Skipped{Code: code, Reason: fmt.Sprintf(format, args...)}}
}

// tooFew is the error of a series of n contiguous quarters up to asOf when
// the model needs min.
func tooFew(n int, asOf domain.Period, min int) *skipError {
	e := skip(SkipTooFewQuarters, "%d contiguous quarters up to %s; the model needs at least %d", n, asOf, min)
	e.Quarters, e.Needed = n, min
	return e
}

// Result is the assessment of one target set as of one period.
type Result struct {
	AsOf          domain.Period `json:"as_of"`
	TargetSet     string        `json:"target_set"`
	TargetSetName string        `json:"target_set_name"`
	Assessments   []Assessment  `json:"assessments"`
	Skipped       []Skipped     `json:"skipped,omitempty"`
}

// ErrNoData is returned when the series hold nothing to assess.
var ErrNoData = errors.New("no returns to assess")

// Set assesses every target of set on the series, as of period asOf (the
// series' last period when 0). A target that cannot be assessed is listed in
// Skipped with its reason; Set fails only when there are no series at all,
// or with ctx's error once ctx is done (checked between targets, so that a
// job's timeout or SIGTERM is honoured within one target's fit).
func Set(ctx context.Context, s *series.Set, set *config.TargetSet, asOf domain.Period, opts Options) (*Result, error) {
	if len(s.Series) == 0 {
		return nil, ErrNoData
	}
	if asOf == 0 || asOf > s.Last {
		asOf = s.Last
	}
	res := &Result{AsOf: asOf, TargetSet: set.ID, TargetSetName: set.Name, Assessments: []Assessment{}}
	fits := fitCache{}
	fits.pool(s, asOf, opts)
	for _, t := range set.Targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, err := target(s, set, t, asOf, opts, fits)
		if err != nil {
			k := Skipped{Reason: err.Error(), Code: SkipFitFailed}
			if e := (*skipError)(nil); errors.As(err, &e) {
				k = e.Skipped
			}
			k.TargetID, k.Label = t.ID, t.Label
			res.Skipped = append(res.Skipped, k)
			continue
		}
		res.Assessments = append(res.Assessments, a)
	}
	return res, nil
}

// fitKey names a fitted series: sector and metric.
type fitKey struct {
	sector string
	metric domain.Metric
}

// fitted is a series' fit, or why there is none.
type fitted struct {
	fit forecast.Fitted
	err error
}

// fitCache holds the fits of one Set call: each series is fitted once
// however many targets and reconciliations use it.
type fitCache map[fitKey]fitted

// fit fits the series of sector and metric up to asOf.
func (c fitCache) fit(s *series.Set, sector string, metric domain.Metric, asOf domain.Period, opts Options) (forecast.Fitted, error) {
	k := fitKey{sector, metric}
	if f, ok := c[k]; ok {
		return f.fit, f.err
	}
	var f fitted
	ser := s.Get(sector, metric)
	switch y := observed(ser, asOf); {
	case ser == nil:
		f.err = skip(SkipNoSeries, "no %s series for sector %s", metric, sector)
	case len(y) < opts.MinPoints:
		f.err = tooFew(len(y), asOf, opts.MinPoints)
	case int(asOf-ser.Start) >= len(ser.Values):
		f.err = skip(SkipSeriesEnds, "the %s series of %s ends before %s", metric, sector, asOf)
	default:
		f.fit, f.err = opts.Model.Fit(y, 4)
		if f.err != nil {
			f.err = fmt.Errorf("fitting %s: %w", opts.Model.Name(), f.err)
		}
	}
	c[k] = f
	return f.fit, f.err
}

// pool fits every national and sector series of s up to asOf and makes
// their intervals one set's (forecast.Pool): where one series has few
// cross-validation errors it borrows the others'. A fit left without an
// interval (no series of the set had errors to lend) is a skip.
func (c fitCache) pool(s *series.Set, asOf domain.Period, opts Options) {
	var keys []fitKey
	var fits []forecast.Fitted
	for _, ser := range s.Series {
		if ser.Region != "" {
			continue
		}
		k := fitKey{ser.Sector, ser.Metric}
		if f, _ := c.fit(s, k.sector, k.metric, asOf, opts); f != nil {
			keys, fits = append(keys, k), append(fits, f)
		}
	}
	for i, f := range forecast.Pool(fits) {
		if d := f.Path(1); len(d) == 1 && !d[0].HasInterval() {
			c[keys[i]] = fitted{err: skip(SkipFitFailed, "the %s series of %s is too short for an honest interval, and no other series could lend it one", keys[i].metric, keys[i].sector)}
			continue
		}
		c[keys[i]] = fitted{fit: f}
	}
}

// hierarchy returns the fits of the national series and of every sector
// series of metric, and the index of sector among the parts (-1 for the
// national level or a sector outside the hierarchy). When there is no
// hierarchy to reconcile with, it returns the reason instead ("none: ...").
func hierarchy(s *series.Set, sector string, metric domain.Metric, asOf domain.Period, opts Options, fits fitCache) (total forecast.Fitted, parts []forecast.Fitted, idx int, reason string) {
	idx = -1
	total, err := fits.fit(s, domain.National, metric, asOf, opts)
	if err != nil {
		return nil, nil, -1, "none: national series: " + err.Error()
	}
	for _, sec := range s.Sectors {
		if s.Get(sec, metric) == nil {
			continue
		}
		f, err := fits.fit(s, sec, metric, asOf, opts)
		if err != nil {
			return nil, nil, -1, fmt.Sprintf("none: sector %s: %v", sec, err)
		}
		if sec == sector {
			idx = len(parts)
		}
		parts = append(parts, f)
	}
	switch {
	case len(parts) < 2:
		return nil, nil, -1, "none: fewer than two sectors"
	case sector != domain.National && idx < 0:
		return nil, nil, -1, "none: sector not in the hierarchy"
	}
	return total, parts, idx, ""
}

// reconcileMethod returns the configured reconciliation method.
func reconcileMethod(opts Options) string {
	if opts.Reconciliation == "" {
		return forecast.ReconcileMethod
	}
	return opts.Reconciliation
}

// reconciled returns the distribution of the future part of measure m for
// the target's series, reconciled with the other level (national with the
// sectors, or a sector with the national and the other sectors), and the
// method or the reason there is none.
func reconciled(s *series.Set, t config.Target, m forecast.Measure, asOf domain.Period, opts Options, fits fitCache, own forecast.Fitted) (forecast.Dist, string) {
	d := own.Predict(m.Weights)
	method := reconcileMethod(opts)
	if method == ReconcileNone {
		return d, ReconcileNone
	}
	total, parts, idx, reason := hierarchy(s, t.Sector, t.Metric, asOf, opts, fits)
	if reason != "" {
		return d, reason
	}
	pd := make([]forecast.Dist, len(parts))
	for i, f := range parts {
		pd[i] = f.Predict(m.Weights)
	}
	rt, rp := forecast.Reconcile(total.Predict(m.Weights), pd)
	how := fmt.Sprintf("%s (national and %d sectors)", method, len(parts))
	if idx < 0 {
		return rt, how
	}
	return rp[idx], how
}

// reconciledPath returns the quarterly path of the target's series over
// the next steps quarters, each quarter reconciled like the measure (the
// sectors' paths sum to the national path, quarter by quarter), or the base
// path when the measure is not reconciled. Each quarter is reconciled on
// its own distributions, so the path's sum over the measure's quarters is
// close to, but not exactly, the reconciled measure: the variance shares of
// a sum differ a little from those of its quarters.
func reconciledPath(s *series.Set, t config.Target, asOf domain.Period, opts Options, fits fitCache, own forecast.Fitted, steps int) []forecast.Dist {
	path := own.Path(steps)
	if reconcileMethod(opts) == ReconcileNone {
		return path
	}
	total, parts, idx, reason := hierarchy(s, t.Sector, t.Metric, asOf, opts, fits)
	if reason != "" {
		return path
	}
	tp := total.Path(steps)
	pp := make([][]forecast.Dist, len(parts))
	for i, f := range parts {
		pp[i] = f.Path(steps)
	}
	out := make([]forecast.Dist, steps)
	pd := make([]forecast.Dist, len(parts))
	for k := range steps {
		for i := range parts {
			pd[i] = pp[i][k]
		}
		rt, rp := forecast.Reconcile(tp[k], pd)
		if idx < 0 {
			out[k] = rt
		} else {
			out[k] = rp[idx]
		}
	}
	return out
}

func target(s *series.Set, set *config.TargetSet, t config.Target, asOf domain.Period, opts Options, fits fitCache) (Assessment, error) {
	ser := s.Get(t.Sector, t.Metric)
	if ser == nil {
		return Assessment{}, skip(SkipNoSeries, "no %s series for sector %s", t.Metric, t.Sector)
	}
	y := observed(ser, asOf)
	a := Assessment{
		TargetID: t.ID, Label: t.Label, Sector: t.Sector, Metric: t.Metric, Kind: t.Kind,
		Horizon: fmt.Sprint(set.Horizon), LatestPeriod: asOf, Model: opts.Model.Name(),
	}
	if t.Baseline != nil {
		a.Baseline = *t.Baseline
	} else if v, ok := series.Annual(ser, set.BaselineYear); ok && t.Kind != domain.KindCumulative {
		a.Baseline = v
	} else if t.Kind != domain.KindCumulative {
		return Assessment{}, skip(SkipNoBaseline, "no baseline in targets.yaml and %d is not fully observed", set.BaselineYear)
	}
	switch t.Kind {
	case domain.KindIncrease:
		a.Target = a.Baseline + t.Value
	default:
		a.Target = t.Value
	}

	from := set.BaselineYear + 1
	if t.From != 0 {
		from = t.From
	}
	if actual, ok := closedMeasure(ser, t, set.Horizon, from, asOf); ok {
		return closed(a, actual, t, set.Horizon), nil
	}
	if len(y) < opts.MinPoints {
		return Assessment{}, tooFew(len(y), asOf, opts.MinPoints)
	}
	first := asOf - domain.Period(len(y)) + 1
	m, lastQ := measure(ser, t, set.Horizon, from, asOf)
	a.Latest = latest(y, t, ser, from, asOf)

	fit, err := fits.fit(s, t.Sector, t.Metric, asOf, opts)
	if err != nil {
		return Assessment{}, err
	}
	if e, ok := fit.(forecast.Explained); ok {
		a.Model, a.ModelChoice, a.ModelReason = e.Method(), opts.Model.Name(), e.Reason()
	}
	var v forecast.Verdict
	if future(m) {
		d, how := reconciled(s, t, m, asOf, opts, fits, fit)
		a.Reconciliation = how
		v = forecast.JudgeDist(d, a.Model, m, a.Target, opts.Thresholds)
	} else {
		v = forecast.Judge(fit, a.Model, m, a.Target, opts.Thresholds)
	}
	a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95, a.PMeet, a.Status = v.Projected, v.Lo80, v.Hi80, v.Lo95, v.Hi95, v.PMeet, v.Status
	// An actual that already reaches the target meets it: the ministry
	// counts a target as met once reached, whatever comes after.
	if a.Latest >= a.Target && t.Kind != domain.KindCumulative {
		a.Status, a.Reached = forecast.StatusMet, true
	}

	if steps := int(lastQ - asOf); steps > 0 {
		for i, d := range reconciledPath(s, t, asOf, opts, fits, fit, steps) {
			a.Path = append(a.Path, PathPoint{Period: asOf + domain.Period(i+1), Mean: d.Mean, Lo80: d.Quantile(0.1), Hi80: d.Quantile(0.9)})
		}
	}
	if t.Kind != domain.KindCumulative {
		years := float64(domain.YearEnd(set.Horizon)-asOf) / 4
		if g := forecast.GrowthRate(a.Latest, a.Target, years); years > 0 && !math.IsNaN(g) {
			a.RequiredGrowth = &g
		}
		start := y[0]
		if t.Metric == domain.MetricExports && len(y) >= 8 {
			start = sum(y[:4])
		}
		span := float64(asOf-first) / 4
		if t.Metric == domain.MetricExports {
			span = float64(len(y)-4) / 4
		}
		if g := forecast.GrowthRate(start, a.Latest, span); span > 0 && !math.IsNaN(g) {
			a.ObservedGrowth, a.ObservedFrom = &g, first
		}
		n, base := len(y), math.NaN()
		switch {
		case t.Metric.IsFlow() && n >= 8:
			base, a.RecentFrom = sum(y[n-8:n-4]), asOf-7
		case !t.Metric.IsFlow() && n >= 5:
			base, a.RecentFrom = y[n-5], asOf-4
		}
		if g := forecast.GrowthRate(base, a.Latest, 1); !math.IsNaN(g) {
			a.RecentGrowth = &g
		} else {
			a.RecentFrom = 0
		}
	}
	return a, nil
}

// future reports whether the measure depends on a future quarter.
func future(m forecast.Measure) bool {
	for _, w := range m.Weights {
		if w != 0 {
			return true
		}
	}
	return false
}

// observed returns the trailing run of observed values of s up to asOf.
func observed(s *series.Series, asOf domain.Period) []float64 {
	if s == nil {
		return nil
	}
	end := int(asOf - s.Start)
	if end >= len(s.Values) {
		end = len(s.Values) - 1
	}
	start := end + 1
	for start > 0 && !math.IsNaN(s.Values[start-1]) {
		start--
	}
	if end < 0 {
		return nil
	}
	return s.Values[start : end+1]
}

// quarters are the quarters the target's measure sums: the horizon's Q4 for
// jobs, the horizon year for exports, from the first quarter of from to the
// horizon's end for a cumulative target.
func quarters(t config.Target, horizon, from int) []domain.Period {
	switch {
	case t.Metric == domain.MetricJobs:
		return []domain.Period{domain.YearEnd(horizon)}
	case t.Kind == domain.KindCumulative:
		return span(domain.NewPeriod(from, 1), domain.YearEnd(horizon))
	default:
		return span(domain.NewPeriod(horizon, 1), domain.YearEnd(horizon))
	}
}

// closedMeasure returns the target's measure when its horizon is past
// (its last quarter at or before asOf) and every quarter it sums is
// observed; ok is false otherwise. An unreported investment counts as none,
// as in the series, but a quarter with no return at all (NaN) is not
// observed.
func closedMeasure(s *series.Series, t config.Target, horizon, from int, asOf domain.Period) (v float64, ok bool) {
	qs := quarters(t, horizon, from)
	if qs[len(qs)-1] > asOf {
		return 0, false
	}
	for _, q := range qs {
		x := s.At(q)
		if math.IsNaN(x) {
			return 0, false
		}
		v += x
	}
	return v, true
}

// closed judges a target whose horizon is past and observed: achieved or
// not, the actual measure and its gap to the target; no model, projection
// or probability.
func closed(a Assessment, actual float64, t config.Target, horizon int) Assessment {
	gap := actual - a.Target
	a.Closed, a.Actual, a.Gap = true, &actual, &gap
	a.Latest, a.LatestPeriod = actual, domain.YearEnd(horizon)
	a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95 = actual, actual, actual, actual, actual
	a.Model = ""
	a.Status = StatusNotAchieved
	if actual >= a.Target {
		a.Status, a.Reached, a.PMeet = StatusAchieved, true, 1
	}
	return a
}

// measure builds the target's measure from the quarter after asOf, and
// returns the last quarter the measure needs. Quarters at or before asOf
// (the observed part of a partly observed horizon) enter as observed.
func measure(s *series.Series, t config.Target, horizon, from int, asOf domain.Period) (forecast.Measure, domain.Period) {
	quarters := quarters(t, horizon, from)
	m := forecast.Measure{Monotone: t.Kind == domain.KindCumulative}
	last := quarters[len(quarters)-1]
	if last > asOf {
		m.Weights = make([]float64, int(last-asOf))
	}
	for _, q := range quarters {
		if q <= asOf {
			if v := s.At(q); !math.IsNaN(v) {
				m.Known += v
			}
			continue
		}
		m.Weights[int(q-asOf)-1] = 1
	}
	return m, last
}

// latest is the latest actual comparable to the target.
func latest(y []float64, t config.Target, s *series.Series, from int, asOf domain.Period) float64 {
	switch {
	case t.Kind == domain.KindCumulative:
		total := 0.0
		for _, q := range span(domain.NewPeriod(from, 1), asOf) {
			if v := s.At(q); !math.IsNaN(v) {
				total += v
			}
		}
		return total
	case t.Metric == domain.MetricJobs:
		return y[len(y)-1]
	default:
		return sum(y[max(0, len(y)-4):])
	}
}

func span(a, b domain.Period) []domain.Period {
	var ps []domain.Period
	for p := a; p <= b; p++ {
		ps = append(ps, p)
	}
	return ps
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// Masked returns copies of results whose assessments named in
// confidential ("set/target id") are masked; results are not modified.
func Masked(results []*Result, confidential []string) []*Result {
	out := make([]*Result, len(results))
	for i, res := range results {
		cr := *res
		cr.Assessments = slices.Clone(res.Assessments)
		for j, a := range cr.Assessments {
			if slices.Contains(confidential, res.TargetSet+"/"+a.TargetID) {
				cr.Assessments[j] = a.Masked()
			}
		}
		out[i] = &cr
	}
	return out
}
