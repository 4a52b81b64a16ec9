package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Summary sheet columns, 1-based: the layout the ministry reads, and tests check.
const (
	colLabel = iota + 1
	colSector
	colMetric
	colUnit
	colBaseline
	colLatest
	colLatestPeriod
	colTarget
	colHorizon
	colProjected
	colLo80
	colHi80
	colPMeet
	colStatus
	colGap
	colRequiredGrowth
	colObservedGrowth
	colModel
	colID
	colLast = colID
)

// Rows of the summary sheet before the first block; the first block's
// header row is frozen with the rows above it.
const (
	rowTitle       = 1
	rowAsOf        = 2
	rowGeneratedAt = 3
	rowSeriesSpan  = 4
	rowCollecting  = 5 // the quarters in collection, when there are
	rowFirstBlock  = 6
)

// summary writes the summary sheet and returns its last used row.
func (w *writer) summary(results []*assess.Result, s *series.Set, opts Options) int {
	sh, l, st := w.l.summarySheet, w.l, w.st
	title := l.title
	if opts.Title != "" {
		title = opts.Title
	}
	w.cell(sh, colLabel, rowTitle, title, st.title)
	w.keep(w.f.SetRowHeight(sh, rowTitle, 24))
	w.cell(sh, colLabel, rowAsOf, l.asOf, st.noteBold)
	w.cell(sh, colSector, rowAsOf, results[0].AsOf, st.noteBold)
	t := opts.GeneratedAt
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	w.cell(sh, colLabel, rowGeneratedAt, l.generatedAt, st.subtitle)
	w.cell(sh, colSector, rowGeneratedAt, wall, st.date)
	w.cell(sh, colMetric, rowGeneratedAt, "UTC"+t.Format("-07:00"), st.subtitle)
	if len(s.Series) > 0 {
		w.cell(sh, colLabel, rowSeriesSpan, fmt.Sprintf(l.seriesSpan, s.First, s.Last, s.Operators), st.subtitle)
	}

	if opts.AsOf != nil && len(opts.AsOf.Collecting) > 0 {
		var lines []string
		for _, c := range opts.AsOf.Collecting {
			line, owed := CollectingText(opts.Lang, c, opts.sectors(), opts.FilingDelayDays)
			lines = append(lines, line+" ; "+owed)
		}
		w.cell(sh, colLabel, rowCollecting, strings.Join(lines, " — "), st.noteBold)
	}

	row := rowFirstBlock
	seen := map[forecast.Status]bool{}
	for i, r := range results {
		if i > 0 {
			row += 2
		}
		name := r.TargetSetName
		if name == "" {
			name = r.TargetSet
		}
		w.cell(sh, colLabel, row, fmt.Sprintf(l.setTitle, name, r.AsOf), st.setTitle)
		row++
		w.blockHeader(row, r.TargetSet, opts)
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
			w.cell(sh, colLabel, row, l.noAssessment, st.note)
		}
		row++
		w.cell(sh, colLabel, row, l.notes[0], st.note)
		if len(r.Skipped) > 0 {
			row += 2
			w.cell(sh, colLabel, row, l.skipped, st.noteBold)
			for _, k := range r.Skipped {
				row++
				w.cell(sh, colLabel, row, k.TargetID, st.text)
				w.cell(sh, colSector, row, k.Reason, 0)
			}
		}
	}

	row += 2
	w.cell(sh, colLabel, row, l.legend, st.noteBold)
	for _, code := range statusOrder {
		if optionalStatus[code] && !seen[code] {
			continue
		}
		row++
		w.cell(sh, colLabel, row, l.statusName(code), st.status[code])
		w.cell(sh, colSector, row, l.statusHelp[code]+l.thresholdText(code, opts.OnTrack, opts.AtRisk), 0)
	}
	row++
	for _, line := range append(l.notes[1:len(l.notes):len(l.notes)], l.probability...) {
		row++
		w.cell(sh, colLabel, row, line, st.note)
	}

	widths := map[int]float64{
		colLabel: 40, colSector: 17, colMetric: 15, colUnit: 11, colBaseline: 14, colLatest: 14,
		colLatestPeriod: 12, colTarget: 14, colHorizon: 9, colProjected: 14, colLo80: 14, colHi80: 14,
		colPMeet: 13, colStatus: 17, colGap: 14, colRequiredGrowth: 13, colObservedGrowth: 13, colModel: 18, colID: 20,
	}
	for col := colLabel; col <= colLast; col++ {
		w.width(sh, col, widths[col])
	}
	// Printed on A4 landscape, one page wide: the ministry prints this sheet.
	fit, a4, landscape, wide, tall := true, 9, "landscape", 1, 0
	w.keep(w.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	w.keep(w.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}))
	// Freeze the first block's header and the label column.
	if w.err == nil {
		top, _ := excelize.CoordinatesToCellName(colSector, rowFirstBlock+2)
		w.keep(w.f.SetPanes(sh, &excelize.Panes{
			Freeze: true, XSplit: 1, YSplit: rowFirstBlock + 1, TopLeftCell: top, ActivePane: "bottomRight",
			Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomRight"}},
		}))
	}
	return row
}

// blockHeader writes the column headers of a block at row.
func (w *writer) blockHeader(row int, set string, opts Options) {
	sh, l := w.l.summarySheet, w.l
	for i, h := range l.columns {
		col := i + 1
		if col == colBaseline {
			h = l.baselineHeader
			if y, ok := opts.BaselineYears[set]; ok && y != 0 {
				h = fmt.Sprintf(l.baselineYear, y)
			}
		}
		w.cell(sh, col, row, h, w.st.header)
	}
	w.keep(w.f.SetRowHeight(sh, row, 45))
}

// assessment writes one assessment at row.
func (w *writer) assessment(row int, a *assess.Assessment) {
	sh, l, st := w.l.summarySheet, w.l, w.st
	label := labelOf(a)
	div := divisor(a.Metric)
	w.cell(sh, colLabel, row, label, st.text)
	w.cell(sh, colSector, row, l.sector(a.Sector), st.textCenter)
	w.cell(sh, colMetric, row, l.metricName(a.Metric), st.textCenter)
	w.cell(sh, colUnit, row, l.unit[a.Metric], st.textCenter)
	if a.Kind == domain.KindCumulative && a.Baseline == 0 {
		// A cumulative target has no baseline: 0 would read as a value.
		w.style(sh, colBaseline, row, st.integer)
	} else {
		w.number(sh, colBaseline, row, a.Baseline/div, st.integer)
	}
	w.number(sh, colLatest, row, a.Latest/div, st.integer)
	w.cell(sh, colLatestPeriod, row, a.LatestPeriod, st.textCenter)
	w.number(sh, colTarget, row, a.Target/div, st.integer)
	if y, err := strconv.Atoi(a.Horizon); err == nil {
		w.cell(sh, colHorizon, row, y, st.year)
	} else {
		w.cell(sh, colHorizon, row, a.Horizon, st.textCenter)
	}
	status, ok := st.status[a.Status]
	if !ok {
		status = st.status[statusUnknown]
	}
	w.cell(sh, colStatus, row, l.statusName(a.Status), status)
	w.cell(sh, colID, row, a.TargetID, st.text)
	if a.Closed {
		// Judged on the actual (in the latest actual's columns, for the
		// horizon's last quarter): no projection, interval, probability,
		// growth nor model.
		for col, s := range map[int]int{colProjected: st.integer, colLo80: st.integer, colHi80: st.integer, colPMeet: st.percent, colRequiredGrowth: st.growth, colObservedGrowth: st.growth, colModel: st.textCenter} {
			w.style(sh, col, row, s)
		}
		if a.Gap != nil {
			w.number(sh, colGap, row, *a.Gap/div, st.integer)
		}
		return
	}
	w.style(sh, colGap, row, st.integer)
	w.number(sh, colProjected, row, a.Projected/div, st.integer)
	w.number(sh, colLo80, row, a.Lo80/div, st.integer)
	w.number(sh, colHi80, row, a.Hi80/div, st.integer)
	w.number(sh, colPMeet, row, a.PMeet, st.percent)
	w.rate(colRequiredGrowth, row, a.RequiredGrowth)
	w.rate(colObservedGrowth, row, a.ObservedGrowth)
	w.cell(sh, colModel, row, shortModel(a.Model), st.textCenter)
}

// secretAssessment writes a confidential assessment: its label, sector,
// metric, unit, horizon and identifier, and the secret mark for every figure.
func (w *writer) secretAssessment(row int, a *assess.Assessment) {
	sh, l, st := w.l.summarySheet, w.l, w.st
	label := labelOf(a)
	w.cell(sh, colLabel, row, label, st.text)
	w.cell(sh, colSector, row, l.sector(a.Sector), st.textCenter)
	w.cell(sh, colMetric, row, l.metricName(a.Metric), st.textCenter)
	w.cell(sh, colUnit, row, l.unit[a.Metric], st.textCenter)
	for _, col := range []int{colBaseline, colLatest, colTarget, colProjected, colLo80, colHi80, colPMeet, colStatus, colGap, colRequiredGrowth, colObservedGrowth} {
		w.cell(sh, col, row, w.l.secret, st.textCenter)
	}
	w.cell(sh, colLatestPeriod, row, a.LatestPeriod, st.textCenter)
	w.cell(sh, colHorizon, row, a.Horizon, st.textCenter)
	w.cell(sh, colModel, row, shortModel(a.Model), st.textCenter)
	w.cell(sh, colID, row, a.TargetID, st.text)
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
func labelOf(a *assess.Assessment) string {
	if a.Label != "" {
		return a.Label
	}
	return a.TargetID
}

// shortModel names a combination by its heaviest member ("damped 66% + …"):
// the whole combination and the reason of the choice are on the
// Méthodologie sheet.
func shortModel(m string) string {
	if first, _, ok := strings.Cut(m, " + "); ok {
		return first + " + …"
	}
	return m
}

// divisor turns a metric's unit into the summary sheet's: MAD into MMAD.
func divisor(metric domain.Metric) float64 {
	switch metric {
	case domain.MetricExports, domain.MetricInvestment:
		return 1e6
	}
	return 1
}
