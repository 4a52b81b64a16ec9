package pipeline

import (
	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/returns"
)

// changes splits each target's change of projection since the previous run
// into what new returns, revised returns and the model did, by replaying the
// assessment on what each step knew:
//
//	A: the returns of the commits the previous run read, as of its quarter,
//	   with its model — what it would say today (equal to what it said, unless
//	   the software changed);
//	B: A plus the returns for operator × quarters A did not know (new returns),
//	   as of today's quarter, with the previous model;
//	C: every return known today (B plus corrections of known ones), previous model;
//	now: C with today's model.
//
// new = B − A, revised = C − B, model = now − C plus A − the previous
// projection (a change of software counts as a change of method), so that
// the three add up to the change shown. A target missing from either run, or a
// replay that fails (the previous model is no longer known), gets no split.
func changes(cfg *configs.Config, o *Outlook, prev *RunSummary) map[string]report.Change {
	if prev == nil || o.catalog == nil || len(prev.Results) == 0 {
		return nil
	}
	prevModel := cfg.Settings.Forecast.Model
	for _, r := range prev.Results {
		for _, a := range r.Assessments {
			if a.ModelChoice != "" {
				prevModel = a.ModelChoice
			} else if a.Model != "" {
				prevModel = a.Model
			}
		}
	}
	known := map[string]bool{} // operator × period keys the previous run knew
	var a, b []returns.Return
	for _, r := range o.all {
		if src, ok := o.catalog.Sources[r.SourceSHA256]; ok && src.Commit <= prev.CatalogSeq {
			a = append(a, r)
			known[r.Key()] = true
		}
	}
	for _, r := range o.all {
		if src, ok := o.catalog.Sources[r.SourceSHA256]; ok && (src.Commit <= prev.CatalogSeq || !known[r.Key()]) {
			b = append(b, r)
		}
	}
	prevPeriod, err := returns.ParsePeriod(prev.AsOf)
	if err != nil {
		return nil
	}
	sets := make([]string, len(o.Results))
	for i, r := range o.Results {
		sets[i] = r.TargetSet
	}
	asOfA := AsOf{Period: prevPeriod}
	asOfNow := AsOf{Period: o.Series.Last, Cutoff: o.AsOf.Cutoff}
	oa, errA := assessReturns(cfg, a, asOfA, sets, prevModel)
	ob, errB := assessReturns(cfg, b, asOfNow, sets, prevModel)
	oc, errC := assessReturns(cfg, o.all, asOfNow, sets, prevModel)
	if errA != nil || errB != nil || errC != nil {
		return nil
	}
	previous := projections(prev.Results)
	pa, pb, pc, now := projections(oa.Results), projections(ob.Results), projections(oc.Results), projections(o.Results)
	out := map[string]report.Change{}
	for key, p0 := range previous {
		vA, okA := pa[key]
		vB, okB := pb[key]
		vC, okC := pc[key]
		vNow, okNow := now[key]
		if !(okA && okB && okC && okNow) {
			continue
		}
		out[key] = report.Change{NewReturns: vB - vA, RevisedReturns: vC - vB, Model: vNow - vC + vA - p0}
	}
	return out
}

// projections maps set/target to the projected value.
func projections(rs []*assess.Result) map[string]float64 {
	m := map[string]float64{}
	for _, r := range rs {
		for _, a := range r.Assessments {
			m[r.TargetSet+"/"+a.TargetID] = a.Projected
		}
	}
	return m
}
