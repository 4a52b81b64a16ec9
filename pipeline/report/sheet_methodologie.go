package report

import (
	"fmt"

	"github.com/offshore-ma/offshore/pipeline/assess"
)

// methodWidths: a label column and four for the text (merged), A4
// portrait.
var methodWidths = []float64{21, 14, 14, 14, 14}

// methodology writes the Méthodologie sheet: the data vintage, the run, the
// model of each target and why it was chosen, the confidentiality rule and
// definitions, each explanation a paragraph of the page's width. What it
// cites (the rolling origins, the filing delay) comes from the run. It
// prints on A4 portrait.
func (w *writer) methodology(results []*assess.Result, opts Options) {
	sh, l, st := w.l.methodSheet, w.l, w.st
	for i, v := range methodWidths {
		w.width(sh, i+1, v)
	}
	last := len(methodWidths)
	row := w.sheetStart(sh, l.methodTitle, l.periodName(results[0].AsOf), layout{})
	cutoff := l.allReceived
	if !opts.Cutoff.IsZero() {
		cutoff = l.dateText(opts.Cutoff)
	}
	values := []string{l.periodName(results[0].AsOf), cutoff, opts.RunID, opts.Version, secretNote(l, opts)}
	keyValue := func(label, value string) {
		w.cell(sh, 1, row, label, st.paragraphBold)
		w.paragraph(sh, row, 2, last, value, st.paragraph, sizeText, false)
		w.fitRow(sh, row, textLines(label, w.colWidth(sh, 1), sizeText, true), sizeText)
		row++
	}
	for i, label := range l.method {
		keyValue(label, values[i])
	}
	if line := asOfLine(l, opts.Lang, opts.AsOf); line != "" {
		keyValue(l.asOfRule, line)
	}
	row++
	w.paragraph(sh, row, 1, last, l.methodModels, st.setTitle, sizeSetTitle, true)
	origins := map[int]bool{}
	// A target's name and its paragraph on the same page.
	var breaks []int
	used := w.rowsHeight(sh, 1, row)
	for _, r := range results {
		for _, a := range r.Assessments {
			row++
			first := row
			w.paragraph(sh, row, 1, last, labelOf(&a), st.paragraphBold, sizeText, true)
			row++
			info := fmt.Sprintf(l.targetInfo, a.TargetID, l.sector(a.Sector), l.metricName(a.Metric), l.unit[a.Metric], a.Horizon)
			model := l.closedModel
			if !a.Closed {
				reason, n := l.reasonText(a.ModelReason)
				if reason == "" {
					reason = l.models.imposed
				}
				if n > 0 {
					origins[n] = true
				}
				model = fmt.Sprintf(l.modelLine, l.modelText(a.Model), reason)
			}
			w.paragraph(sh, row, 1, last, info+" "+model, st.paragraph, sizeText, false)
			if b := w.keepTogether(sh, first, row, &used, false); b > 0 {
				breaks = append(breaks, b)
			}
		}
	}
	w.printSetup(sh, l.periodName(results[0].AsOf), layout{rowBreaks: breaks})
	row += 2
	for i, line := range l.definitions {
		switch i {
		case 2:
			line = fmt.Sprintf(line, opts.FilingDelayDays)
		case 4, 5:
			// The automatic choice and its intervals: said only when a
			// target's model was chosen so, with the origins it used.
			if len(origins) == 0 {
				continue
			}
			if i == 4 {
				how := l.originsEach
				if len(origins) == 1 {
					for n := range origins {
						how = fmt.Sprintf(l.origins, n)
					}
				}
				line = fmt.Sprintf(line, how)
			}
		}
		w.paragraph(sh, row, 1, last, line, st.note, sizeText, false)
		row++
	}
}

// asOfLine is the sentence that says which rule chose the as-of quarter and
// with what coverage; empty when c is nil or its rule unknown.
func asOfLine(l *labels, lang string, c *AsOfChoice) string {
	if c == nil {
		return ""
	}
	pct := func(x float64) string { return fmt.Sprintf("%.0f%s%%", 100*x, l.percentSpace) }
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
	line := fmt.Sprintf(f, l.periodName(cv.Period), pct(minOps), pct(c.MinWeight), pct(cv.Operators), weightText(lang, cv), cv.Reported, cv.Expected)
	if !c.Released.IsZero() {
		line += fmt.Sprintf(l.release, l.dateText(c.Released), l.dateText(c.Cutoff), c.Later)
	}
	return line
}
