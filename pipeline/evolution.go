package pipeline

import (
	"context"
	"sync"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/report"
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
func changes(ctx context.Context, cfg *config.Config, o *Outlook, prev *runlog.Record) map[string]report.Change {
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
	// inA and inB mark the returns of steps A and B among o.all (every
	// return of A is one of B's); the slices are built only for a replay
	// that is made.
	inA, nA := make([]bool, len(o.all)), 0
	for i := range o.all {
		if src, ok := o.catalog.Sources[o.all[i].SourceSHA256]; ok && src.Commit <= prev.CatalogSeq {
			inA[i] = true
			nA++
		}
	}
	inB, nB := inA, nA
	if nA < len(o.all) {
		type opPeriod struct {
			op string
			p  domain.Period
		}
		known := map[opPeriod]bool{} // operator × periods the previous run knew
		for i, r := range o.all {
			if inA[i] {
				known[opPeriod{r.OperatorID, r.Period}] = true
			}
		}
		inB = make([]bool, len(o.all))
		for i, r := range o.all {
			if _, ok := o.catalog.Sources[r.SourceSHA256]; inA[i] || (ok && !known[opPeriod{r.OperatorID, r.Period}]) {
				inB[i] = true
				nB++
			}
		}
	}
	pick := func(in []bool, n int) []domain.Return {
		out := make([]domain.Return, 0, n)
		for i, ok := range in {
			if ok {
				out = append(out, o.all[i])
			}
		}
		return out
	}
	prevPeriod, err := domain.ParsePeriod(prev.AsOf)
	if err != nil {
		return nil
	}
	sets := make([]string, len(o.Results))
	for i, r := range o.Results {
		sets[i] = r.TargetSet
	}
	asOfA := domain.AsOf{Period: prevPeriod}
	asOfNow := domain.AsOf{Period: o.Series.Last, Cutoff: o.AsOf.Cutoff}
	// An assessment depends only on its returns, as-of and model, and A's
	// returns ⊆ B's ⊆ o.all (each in o.all's order): a replay is made only
	// when it differs from the next step (C from today's assessment, which
	// read o.all as of the same quarter, with today's model), and the ones
	// made run at once. After a night with nothing new, none is.
	needC := prevModel != cfg.Settings.Forecast.Model
	needB := nB != len(o.all)
	needA := nA != nB || prevPeriod != o.Series.Last || !o.AsOf.Cutoff.IsZero()
	var oa, ob, oc *Outlook
	var errA, errB, errC error
	var wg sync.WaitGroup
	if needA {
		wg.Go(func() { oa, errA = assessReturns(ctx, cfg, pick(inA, nA), asOfA, sets, prevModel) })
	}
	if needB {
		wg.Go(func() { ob, errB = assessReturns(ctx, cfg, pick(inB, nB), asOfNow, sets, prevModel) })
	}
	if needC {
		wg.Go(func() { oc, errC = assessReturns(ctx, cfg, o.all, asOfNow, sets, prevModel) })
	}
	wg.Wait()
	if errA != nil || errB != nil || errC != nil {
		return nil
	}
	if !needC {
		oc = o
	}
	if !needB {
		ob = oc
	}
	if !needA {
		oa = ob
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
