package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Summary sheet columns, 1-based: the layout the ministry reads, and tests
// check. The table fits A4 landscape (pageWidth) at the sizes of
// styles.go; what names a target beyond its label (sector, indicator,
// identifier, model) is on the Méthodologie sheet.
const (
	colLabel = iota + 1
	colUnit
	colBaseline
	colLatest
	colTarget
	colProjected
	colLo80
	colHi80
	colPMeet
	colStatus
	colRequiredGrowth
	colObservedGrowth
	colRecentGrowth
	colLast = colRecentGrowth
)

// summaryWidths are the columns' widths, in column units: 112 in all, A4
// landscape's width.
var summaryWidths = [colLast + 1]float64{0, 19, 8, 8, 7, 7, 8, 7, 7, 8, 9, 8, 8, 8}

// Rows of the summary sheet before the first block.
const (
	rowTitle       = 1
	rowAsOf        = 2
	rowGeneratedAt = 3
	rowSeriesSpan  = 4
	rowCollecting  = 5 // the quarters in collection, when there are
	rowFirstBlock  = 7
)

// summary writes the summary sheet and returns the first row free for the
// charts, which start a page of their own.
func (w *writer) summary(results []*assess.Result, s *series.Set, opts Options) int {
	sh, l, st := w.l.summarySheet, w.l, w.st
	for col := colLabel; col <= colLast; col++ {
		w.width(sh, col, summaryWidths[col])
	}
	title := l.title
	if opts.Title != "" {
		title = opts.Title
	}
	asOf := l.periodName(results[0].AsOf)
	w.paragraph(sh, rowTitle, colLabel, colLast, title, st.title, sizeTitle, true)
	w.paragraph(sh, rowAsOf, colLabel, colLast, l.asOf+" "+asOf, st.noteBold, sizeSentence, true)
	t := opts.GeneratedAt
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	w.cell(sh, colLabel, rowGeneratedAt, l.generatedAt, st.subtitle)
	w.paragraph(sh, rowGeneratedAt, colUnit, colBaseline, wall, st.date, sizeSentence, false)
	w.cell(sh, colLatest, rowGeneratedAt, "UTC"+t.Format("-07:00"), st.subtitle)
	if len(s.Series) > 0 {
		w.cell(sh, colLabel, rowSeriesSpan, fmt.Sprintf(l.seriesSpan, l.periodName(s.First), l.periodName(s.Last), s.Operators), st.subtitle)
	}
	if opts.AsOf != nil && len(opts.AsOf.Collecting) > 0 {
		var lines []string
		for _, c := range opts.AsOf.Collecting {
			line, owed := CollectingText(opts.Lang, c, opts.sectors(), opts.FilingDelayDays)
			lines = append(lines, line+" ; "+owed)
		}
		w.paragraph(sh, rowCollecting, colLabel, colLast, strings.Join(lines, " — "), st.noteBold, sizeSentence, true)
	}

	row := rowFirstBlock
	seen := map[forecast.Status]bool{}
	// Each block, and the legend with the notes, on one page.
	var breaks []int
	used := w.rowsHeight(sh, rowTitle, rowFirstBlock-1)
	keep := func(first, last int) {
		if b := w.keepTogether(sh, first, last, &used, true); b > 0 {
			breaks = append(breaks, b)
		}
	}
	for i, r := range results {
		if i > 0 {
			row += 2
		}
		first := row
		name := r.TargetSetName
		if name == "" {
			name = r.TargetSet
		}
		w.paragraph(sh, row, colLabel, colLast, fmt.Sprintf(l.setTitle, name, l.periodName(r.AsOf)), st.setTitle, sizeSetTitle, true)
		// The verdict, one sentence per target, above the table that
		// details it: the same figures, rounded for reading.
		for _, line := range w.gate.sentences([]*assess.Result{r}) {
			row++
			w.paragraph(sh, row, colLabel, colLast, line, st.sentence, sizeSentence, false)
		}
		row += 2
		w.paragraph(sh, row, colLabel, colLast, l.setUnits, st.paragraphBold, sizeText, true)
		row++
		w.blockHeader(row, r, opts)
		for _, a := range r.Assessments {
			row++
			if w.targetHidden(&a, opts.BaselineYears[r.TargetSet]) {
				// A sector target built from too few operators: its figures
				// would reveal them (or a cell hidden on the Filières sheet).
				w.secretAssessment(row, &a)
				continue
			}
			w.assessment(row, &a)
			seen[a.Status] = true
		}
		if len(r.Assessments) == 0 {
			row++
			w.cell(sh, colLabel, row, l.noAssessment, st.paragraph)
		}
		if len(r.Skipped) > 0 {
			row += 2
			w.cell(sh, colLabel, row, l.skipped, st.noteBold)
			for _, k := range r.Skipped {
				row++
				w.cell(sh, colLabel, row, labelOrID(k.Label, k.TargetID), st.text)
				w.paragraph(sh, row, colUnit, colLast, l.skipText(k.Code, k.Quarters, k.Needed), st.paragraph, sizeText, false)
				w.fitRow(sh, row, textLines(labelOrID(k.Label, k.TargetID), w.colWidth(sh, colLabel), sizeText, false), sizeText)
			}
		}
		keep(first-1, row)
	}

	row += 2
	legend := row - 1
	w.cell(sh, colLabel, row, l.legend, st.noteBold)
	for _, code := range statusOrder {
		if optionalStatus[code] && !seen[code] {
			continue
		}
		row++
		w.cell(sh, colLabel, row, l.statusName(code), st.status[code])
		w.paragraph(sh, row, colUnit, colLast, l.statusHelp[code]+l.thresholdText(code, opts.OnTrack, opts.AtRisk), st.paragraph, sizeText, false)
	}
	row++
	notes := append(append(append([]string{}, l.notes...), l.growthNote), l.probability...)
	if len(opts.Panel) > 0 {
		notes = append(notes, secretNote(l, opts))
	}
	for _, line := range notes {
		row++
		w.paragraph(sh, row, colLabel, colLast, line, st.note, sizeText, false)
	}
	keep(legend, row)
	charts := row + 1
	w.printSetup(sh, asOf, layout{landscape: true, rowBreaks: append(breaks, charts)})
	return charts
}

// blockHeader writes the column headers of r's block at row.
func (w *writer) blockHeader(row int, r *assess.Result, opts Options) {
	sh, l := w.l.summarySheet, w.l
	heads := append([]string(nil), l.columns...)
	heads[colBaseline-1] = l.baselineHeader
	if y, ok := opts.BaselineYears[r.TargetSet]; ok && y != 0 {
		heads[colBaseline-1] = fmt.Sprintf(l.baselineYear, y)
	}
	heads[colProjected-1] = l.columns[colProjected-1]
	if len(r.Assessments) > 0 && r.Assessments[0].Horizon != "" {
		heads[colProjected-1] = fmt.Sprintf(l.projectedAt, r.Assessments[0].Horizon)
	}
	if from := observedFrom(r.Assessments); from != 0 {
		heads[colObservedGrowth-1] = fmt.Sprintf(l.observedFrom, l.periodName(from))
	}
	lines := 1
	for i, h := range heads {
		w.cell(sh, i+1, row, h, w.st.header)
		lines = max(lines, textLines(h, w.colWidth(sh, i+1), sizeHeader, true))
	}
	w.fitRow(sh, row, lines, sizeHeader)
}

// observedFrom is the first quarter of the observed growth of every
// assessment that has one, or 0 when they differ (the header then does not
// say it) or none has.
func observedFrom(as []assess.Assessment) domain.Period {
	var from domain.Period
	for _, a := range as {
		switch {
		case a.ObservedGrowth == nil || a.ObservedFrom == 0:
		case from == 0:
			from = a.ObservedFrom
		case from != a.ObservedFrom:
			return 0
		}
	}
	return from
}

// assessment writes one assessment at row.
func (w *writer) assessment(row int, a *assess.Assessment) {
	sh, l, st := w.l.summarySheet, w.l, w.st
	div := divisor(a.Metric)
	label := labelOf(a)
	w.cell(sh, colLabel, row, label, st.text)
	w.fitRow(sh, row, textLines(label, w.colWidth(sh, colLabel), sizeText, false), sizeText)
	w.cell(sh, colUnit, row, l.unit[a.Metric], st.textCenter)
	if a.Kind == domain.KindCumulative && a.Baseline == 0 {
		// A cumulative target has no baseline: 0 would read as a value.
		w.style(sh, colBaseline, row, st.integer)
	} else {
		w.number(sh, colBaseline, row, a.Baseline/div, st.integer)
	}
	w.number(sh, colLatest, row, a.Latest/div, st.integer)
	w.number(sh, colTarget, row, a.Target/div, st.integer)
	w.fitRow(sh, row, w.status(sh, colStatus, row, a.Status), sizeText)
	if a.Closed {
		// Judged on the actual (in the latest actual's column, for the
		// horizon's last quarter): no projection, interval, probability
		// nor growth.
		for col, s := range map[int]int{colProjected: st.integer, colLo80: st.integer, colHi80: st.integer, colPMeet: st.probability, colRequiredGrowth: st.growth, colObservedGrowth: st.growth, colRecentGrowth: st.growth} {
			w.style(sh, col, row, s)
		}
		return
	}
	w.number(sh, colProjected, row, a.Projected/div, st.integer)
	w.number(sh, colLo80, row, a.Lo80/div, st.integer)
	w.number(sh, colHi80, row, a.Hi80/div, st.integer)
	w.number(sh, colPMeet, row, a.PMeet, st.probability)
	w.rate(colRequiredGrowth, row, a.RequiredGrowth)
	w.rate(colObservedGrowth, row, a.ObservedGrowth)
	w.rate(colRecentGrowth, row, a.RecentGrowth)
}

// secretAssessment writes a confidential assessment: its label and unit,
// and the secret mark for every figure.
func (w *writer) secretAssessment(row int, a *assess.Assessment) {
	sh, l, st := w.l.summarySheet, w.l, w.st
	label := labelOf(a)
	w.cell(sh, colLabel, row, label, st.text)
	w.fitRow(sh, row, textLines(label, w.colWidth(sh, colLabel), sizeText, false), sizeText)
	w.cell(sh, colUnit, row, l.unit[a.Metric], st.textCenter)
	for col := colBaseline; col <= colLast; col++ {
		w.cell(sh, col, row, w.l.secret, st.textCenter)
	}
}

// rate writes a growth rate, or an empty cell when there is none.
func (w *writer) rate(col, row int, g *float64) {
	if g == nil {
		w.style(w.l.summarySheet, col, row, w.st.growth)
		return
	}
	w.number(w.l.summarySheet, col, row, *g, w.st.growth)
}

// labelOf is the target's label, or its id when it has none.
func labelOf(a *assess.Assessment) string { return labelOrID(a.Label, a.TargetID) }

// labelOrID is label, or id when label is empty.
func labelOrID(label, id string) string {
	if label != "" {
		return label
	}
	return id
}

// divisor turns a metric's unit into the tables': MAD into millions (MDH).
func divisor(metric domain.Metric) float64 {
	switch metric {
	case domain.MetricExports, domain.MetricInvestment:
		return 1e6
	}
	return 1
}
