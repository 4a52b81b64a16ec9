package report

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

// changes writes the Évolution sheet: each target's projection, probability
// and status in the previous report and now.
func (w *writer) changes(results []*assess.Result, opts Options) {
	sh, l := w.l.changesSheet, w.l
	row := w.sheetStart(sh, l.changesTitle, results[0].AsOf.String())
	if len(opts.Previous) == 0 {
		w.cell(sh, 1, row, l.noPrevious, w.st.note)
		return
	}
	prev := map[string]assess.Assessment{}
	for _, r := range opts.Previous {
		for _, a := range r.Assessments {
			if k := r.TargetSet + "/" + a.TargetID; !slices.Contains(opts.PreviousConfidential, k) {
				prev[k] = a // a previously hidden figure stays hidden: no previous value
			}
		}
	}
	var rows [][]any
	for _, r := range results {
		for _, a := range r.Assessments {
			p, ok := prev[r.TargetSet+"/"+a.TargetID]
			div := divisor(a.Metric)
			label := labelOf(&a)
			if w.targetHidden(&a, opts.BaselineYears[r.TargetSet]) {
				// Hidden on the Synthèse: so are its changes.
				row := []any{label}
				for range 10 {
					row = append(row, secretCell{})
				}
				rows = append(rows, append(row, w.l.unit[a.Metric]))
				continue
			}
			c, split := opts.Changes[r.TargetSet+"/"+a.TargetID]
			parts := []any{nan, nan, nan}
			if split {
				parts = []any{c.NewReturns / div, c.RevisedReturns / div, c.Model / div}
			}
			if !ok {
				rows = append(rows, append([]any{label, nan, a.Projected / div, nan}, append(parts, nan, pMeet(&a), "", w.l.statusName(a.Status), w.l.unit[a.Metric])...))
				continue
			}
			rows = append(rows, append([]any{label, p.Projected / div, a.Projected / div, (a.Projected - p.Projected) / div},
				append(parts, pMeet(&p), pMeet(&a), w.l.statusName(p.Status), w.l.statusName(a.Status), w.l.unit[a.Metric])...))
		}
	}
	cols := []tableCol{{l.changesCols[0], kindText, 40}, {l.changesCols[1], kindInt, 14}, {l.changesCols[2], kindInt, 14},
		{l.changesCols[3], kindInt, 12}, {l.changesCols[4], kindInt, 14}, {l.changesCols[5], kindInt, 14}, {l.changesCols[6], kindInt, 14},
		{l.changesCols[7], kindPercent, 13}, {l.changesCols[8], kindPercent, 13},
		{l.changesCols[9], kindText, 16}, {l.changesCols[10], kindText, 16}, {l.changesCols[11], kindText, 11}}
	row = w.table(sh, row, cols, rows, nil)
	if !opts.PreviousAt.IsZero() {
		w.cell(sh, 1, row+1, fmt.Sprintf("%s %s", w.l.generatedAt, opts.PreviousAt.UTC().Format(time.DateOnly)), w.st.note)
	}
}

// pMeet is a's probability of meeting its target, NaN (an empty cell) for a
// closed target, which has none.
func pMeet(a *assess.Assessment) float64 {
	if a.Closed {
		return math.NaN()
	}
	return a.PMeet
}
