package report

import (
	"fmt"
	"time"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

// methodology writes the Méthodologie sheet: the data vintage, the run, the
// models used for each target, the confidentiality rule and definitions.
func (w *writer) methodology(results []*assess.Result, opts Options) {
	sh, l := w.l.methodSheet, w.l
	row := w.sheetStart(sh, l.methodTitle, results[0].AsOf.String())
	cutoff := l.allReceived
	if !opts.Cutoff.IsZero() {
		cutoff = opts.Cutoff.UTC().Format(time.DateOnly)
	}
	values := []string{results[0].AsOf.String(), cutoff, opts.RunID, opts.Version,
		secretNote(l, opts)}
	for i, label := range l.method {
		w.cell(sh, 1, row, label, w.st.noteBold)
		w.cell(sh, 2, row, values[i], 0)
		row++
	}
	if line := asOfLine(l, opts.Lang, opts.AsOf); line != "" {
		w.cell(sh, 1, row, l.asOfRule, w.st.noteBold)
		w.cell(sh, 2, row, line, w.st.note)
		row++
	}
	row++
	w.cell(sh, 1, row, l.methodModels, w.st.setTitle)
	for _, r := range results {
		for _, a := range r.Assessments {
			row++
			label := labelOf(&a)
			w.cell(sh, 1, row, label, w.st.text)
			w.cell(sh, 2, row, a.Model, w.st.text)
			w.cell(sh, 3, row, a.ModelReason, w.st.note)
		}
	}
	row += 2
	for i, line := range l.definitions {
		if i == 2 {
			line = fmt.Sprintf(line, opts.FilingDelayDays)
		}
		w.cell(sh, 1, row, line, w.st.note)
		row++
	}
	w.width(sh, 1, 42)
	w.width(sh, 2, 60)
}

// asOfLine is the sentence that says which rule chose the as-of quarter and
// with what coverage; empty when c is nil or its rule unknown.
func asOfLine(l *labels, lang string, c *AsOfChoice) string {
	if c == nil {
		return ""
	}
	pct := func(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }
	cv := c.Coverage
	minOps := c.MinOperators
	var f string
	switch c.Rule {
	case "coverage":
		f = l.ruleCoverage
	case "deadline_imputed":
		f, minOps = l.ruleImputed, c.MinReported
	case "forced":
		f = l.ruleForced
	default:
		return ""
	}
	line := fmt.Sprintf(f, cv.Period, pct(minOps), pct(c.MinWeight), pct(cv.Operators), weightText(lang, cv), cv.Reported, cv.Expected)
	if !c.Released.IsZero() {
		line += fmt.Sprintf(l.release, c.Released.Format("02/01/2006"), c.Cutoff.Format("02/01/2006"), c.Later)
	}
	return line
}
