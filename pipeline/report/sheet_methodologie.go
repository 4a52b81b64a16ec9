package report

import (
	"fmt"
	"time"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

// method writes the Méthodologie sheet: the data vintage, the run, the
// models used for each target, the confidentiality rule and definitions.
func (w *writer) method(results []*assess.Result, opts Options) {
	sh, d := w.d.methodSheet, w.d
	row := w.sheetStart(sh, d.methodTitle, results[0].AsOf)
	cutoff := d.allReceived
	if !opts.Cutoff.IsZero() {
		cutoff = opts.Cutoff.UTC().Format(time.DateOnly)
	}
	values := []string{results[0].AsOf, cutoff, opts.RunID, opts.Version,
		secretNote(d, opts)}
	for i, label := range d.method {
		w.cell(sh, 1, row, label, w.st.noteBold)
		w.cell(sh, 2, row, values[i], 0)
		row++
	}
	if line := asOfLine(d, opts.Lang, opts.AsOf); line != "" {
		w.cell(sh, 1, row, d.asOfRule, w.st.noteBold)
		w.cell(sh, 2, row, line, w.st.note)
		row++
	}
	row++
	w.cell(sh, 1, row, d.methodModels, w.st.setTitle)
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
	for i, line := range d.definitions {
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
func asOfLine(d *detailLabels, lang string, c *AsOfChoice) string {
	if c == nil {
		return ""
	}
	pct := func(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }
	cv := c.Coverage
	minOps := c.MinOperators
	var f string
	switch c.Rule {
	case "coverage":
		f = d.ruleCoverage
	case "deadline_imputed":
		f, minOps = d.ruleImputed, c.MinReported
	case "forced":
		f = d.ruleForced
	default:
		return ""
	}
	line := fmt.Sprintf(f, cv.Period, pct(minOps), pct(c.MinWeight), pct(cv.Operators), weightText(lang, cv), cv.Reported, cv.Expected)
	if !c.Released.IsZero() {
		line += fmt.Sprintf(d.release, c.Released.Format("02/01/2006"), c.Cutoff.Format("02/01/2006"), c.Later)
	}
	return line
}
