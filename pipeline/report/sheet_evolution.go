package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

// changesWidths are the Évolution table's columns' widths: A4 landscape.
var changesWidths = []float64{16, 8, 9, 8, 8, 10, 10, 8, 9, 8, 9, 9}

// changes writes the Évolution sheet: the report it compares with (its
// date and run id), one sentence per target on what moved its projection,
// then each target's projection, probability and status in the previous
// report and now. It prints on A4 landscape.
func (w *writer) changes(results []*assess.Result, opts Options) {
	sh, l := w.l.changesSheet, w.l
	cols := make([]tableCol, len(l.changesCols))
	kinds := []cellKind{kindText, kindText, kindInt, kindInt, kindInt, kindInt, kindInt, kindInt, kindProbability, kindProbability, kindText, kindText}
	for i, h := range l.changesCols {
		cols[i] = tableCol{h, kinds[i], changesWidths[i]}
	}
	w.setWidths(sh, cols)
	row := w.sheetStart(sh, l.changesTitle, l.periodName(results[0].AsOf), layout{landscape: true})
	last := len(cols)
	if len(opts.Previous) == 0 {
		w.paragraph(sh, row, 1, last, l.noPrevious, w.st.sentence, sizeSentence, false)
		return
	}
	if !opts.PreviousAt.IsZero() {
		at := opts.PreviousAt.In(opts.GeneratedAt.Location()).Format(l.dateTime)
		line := fmt.Sprintf(l.comparedDate, at)
		if opts.PreviousRunID != "" {
			line = fmt.Sprintf(l.compared, at, opts.PreviousRunID)
		}
		w.paragraph(sh, row, 1, last, line, w.st.noteBold, sizeSentence, true)
		row += 2
	}
	prev := map[string]assess.Assessment{}
	for _, r := range opts.Previous {
		for _, a := range r.Assessments {
			if k := r.TargetSet + "/" + a.TargetID; !slices.Contains(opts.PreviousConfidential, k) {
				prev[k] = a // a previously hidden figure stays hidden: no previous value
			}
		}
	}
	// Hidden on the Synthèse, or in the previous report: so are its
	// changes, in the sentences as in the table.
	hidden := map[string]bool{}
	for _, r := range results {
		for _, a := range r.Assessments {
			key := r.TargetSet + "/" + a.TargetID
			hidden[key] = w.targetHidden(&a, opts.BaselineYears[r.TargetSet]) || slices.Contains(opts.PreviousConfidential, key)
		}
	}
	var rows [][]any
	for _, r := range results {
		for _, a := range r.Assessments {
			key := r.TargetSet + "/" + a.TargetID
			p, ok := prev[key]
			div := divisor(a.Metric)
			label := labelOf(&a)
			unit := l.unit[a.Metric]
			if hidden[key] {
				row := []any{label, unit}
				for range 10 {
					row = append(row, secretCell{})
				}
				rows = append(rows, row)
				continue
			}
			c, split := opts.Changes[key]
			parts := []any{nan, nan, nan}
			if split {
				parts = []any{c.NewReturns / div, c.RevisedReturns / div, c.Model / div}
			}
			if !ok {
				rows = append(rows, append([]any{label, unit, nan, a.Projected / div, nan}, append(parts, nan, pMeet(&a), "", statusCell(a.Status))...))
				continue
			}
			rows = append(rows, append([]any{label, unit, p.Projected / div, a.Projected / div, (a.Projected - p.Projected) / div},
				append(parts, pMeet(&p), pMeet(&a), statusCell(p.Status), statusCell(a.Status))...))
		}
	}
	for _, line := range w.changeSentences(results, prev, hidden, opts) {
		w.paragraph(sh, row, 1, last, line, w.st.sentence, sizeSentence, false)
		row++
	}
	row++
	w.table(sh, row, cols, rows, nil)
}

// changeSentences say, one sentence per target, what moved its projection
// since the previous report (prev, by "set/target id"): by how much, from
// what to what, and, when opts.Changes splits it, how much came from new
// returns, revised returns and the model. Figures are rounded as the
// verdict sentences round them; the sentence of a hidden target (hidden,
// by "set/target id", as changes decides it for its table) has none.
func (w *writer) changeSentences(results []*assess.Result, prev map[string]assess.Assessment, hidden map[string]bool, opts Options) []string {
	cw := w.l.change
	sw := sentenceLang(opts.Lang)
	signed := func(a *assess.Assessment, v float64) string {
		s := sw.figure(*a, math.Abs(v))
		if sw.zero(*a, v) {
			return s
		}
		if v < 0 {
			return "-" + s
		}
		return "+" + s
	}
	var out []string
	for _, r := range results {
		for _, a := range r.Assessments {
			key := r.TargetSet + "/" + a.TargetID
			label := labelOf(&a)
			p, ok := prev[key]
			switch {
			case hidden[key]:
				out = append(out, fmt.Sprintf(cw.secret, label))
				continue
			case !ok:
				out = append(out, fmt.Sprintf(cw.noPrevious, label))
				continue
			case math.IsNaN(a.Projected) || math.IsNaN(p.Projected):
				continue
			}
			d := a.Projected - p.Projected
			moved := !sw.zero(a, d)
			var s string
			switch {
			case !moved:
				s = fmt.Sprintf(cw.same, label, sw.amount(a, a.Projected))
			case d > 0:
				s = fmt.Sprintf(cw.up, label, sw.amount(a, d), sw.figure(a, p.Projected), sw.amount(a, a.Projected))
			default:
				s = fmt.Sprintf(cw.down, label, sw.amount(a, -d), sw.figure(a, p.Projected), sw.amount(a, a.Projected))
			}
			if c, split := opts.Changes[key]; split && moved {
				s += fmt.Sprintf(cw.parts, signed(&a, c.NewReturns), signed(&a, c.RevisedReturns), signed(&a, c.Model))
			}
			out = append(out, s+".")
		}
	}
	return out
}

// pMeet is a's probability of meeting its target, NaN (an empty cell) for a
// closed target, which has none.
func pMeet(a *assess.Assessment) float64 {
	if a.Closed {
		return math.NaN()
	}
	return a.PMeet
}
