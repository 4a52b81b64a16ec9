package assess

import (
	"context"
	"sync"

	"github.com/offshore-ma/offshore/domain"
)

// Change is how a target's projection moved since the previous report,
// split by cause (see Attribute). The three parts add up to the change.
type Change struct {
	NewReturns     float64 // returns for operator × quarters the previous report did not have
	RevisedReturns float64 // corrections of returns it had
	Model          float64 // the model, its settings or the software
}

// Replay assesses the target sets of an attribution on returns rs (every
// version known) as of asOf with the named model, as the run assesses.
type Replay func(ctx context.Context, rs []domain.Return, asOf domain.AsOf, model string) ([]*Result, error)

// Attribution is what Attribute compares: the previous report's
// assessments and what it read, and today's.
type Attribution struct {
	// All is every version of every return known today; CommitOf names
	// the warehouse commit that holds a return's file (false when none
	// does).
	All      []domain.Return
	CommitOf func(sha string) (int, bool)

	PreviousResults []*Result     // the previous report's assessments
	PreviousAsOf    domain.Period // the quarter it assessed
	PreviousCommit  int           // the warehouse commit it read
	PreviousModel   string        // the model it used (ModelChoice when it chose)

	Results []*Result // today's assessments
	AsOf    domain.AsOf
	Model   string // today's model
}

// PreviousModel is the model the assessments in rs were made with (the
// configured one, "auto", when it chose), or fallback when none says.
func PreviousModel(rs []*Result, fallback string) string {
	m := fallback
	for _, r := range rs {
		for _, a := range r.Assessments {
			if a.ModelChoice != "" {
				m = a.ModelChoice
			} else if a.Model != "" {
				m = a.Model
			}
		}
	}
	return m
}

// Attribute splits each target's change of projection since the previous
// report into what new returns, revised returns and the model did, by
// replaying the assessment on what each step knew:
//
//	A: the returns of the commits the previous report read, as of its
//	   quarter, with its model — what it would say today (equal to what it
//	   said, unless the software changed);
//	B: A plus the returns for operator × quarters A did not know (new
//	   returns), as of today's quarter, with the previous model;
//	C: every return known today (B plus corrections of known ones),
//	   previous model;
//	now: C with today's model.
//
// new = B − A, revised = C − B, model = now − C plus A − the previous
// projection (a change of software counts as a change of method), so that
// the three add up to the change shown. A target missing from either report,
// or a replay that fails (the previous model is no longer known), gets no
// split; nil when there is nothing to compare. The keys are "set/target id".
func Attribute(ctx context.Context, in Attribution, replay Replay) map[string]Change {
	if len(in.PreviousResults) == 0 || in.PreviousAsOf == 0 || len(in.Results) == 0 {
		return nil
	}
	all := in.All
	// inA and inB mark the returns of steps A and B among all (every
	// return of A is one of B's); the slices are built only for a replay
	// that is made.
	inA, nA := make([]bool, len(all)), 0
	for i := range all {
		if c, ok := in.CommitOf(all[i].SourceSHA256); ok && c <= in.PreviousCommit {
			inA[i] = true
			nA++
		}
	}
	inB, nB := inA, nA
	if nA < len(all) {
		type opPeriod struct {
			op string
			p  domain.Period
		}
		known := map[opPeriod]bool{} // operator × periods the previous report knew
		for i, r := range all {
			if inA[i] {
				known[opPeriod{r.OperatorID, r.Period}] = true
			}
		}
		inB = make([]bool, len(all))
		for i, r := range all {
			if _, ok := in.CommitOf(r.SourceSHA256); inA[i] || (ok && !known[opPeriod{r.OperatorID, r.Period}]) {
				inB[i] = true
				nB++
			}
		}
	}
	pick := func(keep []bool, n int) []domain.Return {
		out := make([]domain.Return, 0, n)
		for i, ok := range keep {
			if ok {
				out = append(out, all[i])
			}
		}
		return out
	}
	last := in.Results[0].AsOf
	asOfA := domain.AsOf{Period: in.PreviousAsOf}
	asOfNow := domain.AsOf{Period: last, Cutoff: in.AsOf.Cutoff}
	// An assessment depends only on its returns, as-of and model, and A's
	// returns ⊆ B's ⊆ all (each in all's order): a replay is made only
	// when it differs from the next step (C from today's assessment, which
	// read all as of the same quarter, with today's model), and the ones
	// made run at once. After a night with nothing new, none is.
	needC := in.PreviousModel != in.Model
	needB := nB != len(all)
	needA := nA != nB || in.PreviousAsOf != last || !in.AsOf.Cutoff.IsZero()
	var ra, rb, rc []*Result
	var errA, errB, errC error
	var wg sync.WaitGroup
	if needA {
		wg.Go(func() { ra, errA = replay(ctx, pick(inA, nA), asOfA, in.PreviousModel) })
	}
	if needB {
		wg.Go(func() { rb, errB = replay(ctx, pick(inB, nB), asOfNow, in.PreviousModel) })
	}
	if needC {
		wg.Go(func() { rc, errC = replay(ctx, all, asOfNow, in.PreviousModel) })
	}
	wg.Wait()
	if errA != nil || errB != nil || errC != nil {
		return nil
	}
	if !needC {
		rc = in.Results
	}
	if !needB {
		rb = rc
	}
	if !needA {
		ra = rb
	}
	pa, pb, pc, now := projections(ra), projections(rb), projections(rc), projections(in.Results)
	out := map[string]Change{}
	for key, p0 := range projections(in.PreviousResults) {
		vA, okA := pa[key]
		vB, okB := pb[key]
		vC, okC := pc[key]
		vNow, okNow := now[key]
		if !(okA && okB && okC && okNow) {
			continue
		}
		out[key] = Change{NewReturns: vB - vA, RevisedReturns: vC - vB, Model: vNow - vC + vA - p0}
	}
	return out
}

// projections maps set/target to the projected value.
func projections(rs []*Result) map[string]float64 {
	m := map[string]float64{}
	for _, r := range rs {
		for _, a := range r.Assessments {
			m[r.TargetSet+"/"+a.TargetID] = a.Projected
		}
	}
	return m
}
