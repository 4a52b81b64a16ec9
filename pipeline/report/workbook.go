package report

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Options shape the ministry workbook.
type Options struct {
	// Lang is the workbook's language: "fr" (the default when empty) or "en".
	Lang string
	// GeneratedAt is the time printed as the generation date (its wall clock
	// in its own location) and stored as the document's created and modified
	// times. The caller passes the run's time; it must not be zero, so that
	// the same inputs always give the same bytes.
	GeneratedAt time.Time
	// Title replaces the default title of the summary sheet and of the
	// document when not empty.
	Title string
	// BaselineYears maps a target set id to its baseline year, printed in the
	// baseline column's header ("Référence 2015"); a set missing from the map
	// gets a header without a year.
	BaselineYears map[string]int
	// OnTrack and AtRisk are the probability thresholds of the statuses
	// (configs' forecast.on_track and forecast.at_risk); when both are set,
	// the legend states them. Zero leaves them out.
	OnTrack, AtRisk float64

	// Panel is the consolidated returns behind the series: the latest version
	// of each operator × period as of the report. It is used only for
	// aggregates; no operator-level figure is ever printed, and an aggregate
	// of fewer than MinOperators operators is hidden (with whatever else
	// would let it be derived from a total). With a Panel the workbook also
	// has the Filières, Régions, Emploi inclusif and Qualité des données
	// sheets, and the Données sheet hides confidential sector figures.
	Panel []domain.Return
	// MinOperators is the confidentiality threshold (0: DefaultMinOperators).
	MinOperators int
	// Dominance: a figure one operator holds more than this share of is
	// hidden too (0: DefaultDominance).
	Dominance float64
	// Regions lists the regions in the order of the Régions sheet (all of
	// them, so that a region with no operator shows as empty); regions found
	// in the panel and not listed follow.
	Regions []string
	// FilingDelayDays: a return received later than this after its
	// quarter's end is late.
	FilingDelayDays int
	// Rejections counts the rejected files by problem code.
	Rejections map[string]int
	// Previous holds the previous report's results and PreviousAt its time,
	// for the Évolution sheet; nil: this is the first report.
	Previous   []*assess.Result
	PreviousAt time.Time
	// PreviousConfidential lists the previous report's hidden assessments
	// ("set/target id"): their previous figures stay hidden on Évolution.
	PreviousConfidential []string
	// Changes splits each target's change of projection since the previous
	// report (key: set id + "/" + target id) into its causes; optional.
	Changes map[string]Change
	// RunID, Version and Cutoff (the received-by instant of the data; zero:
	// everything received) are printed on the Méthodologie sheet.
	RunID, Version string
	Cutoff         time.Time
	// AsOf says how the as-of quarter was chosen, printed on the
	// Méthodologie sheet; nil: not said.
	AsOf *AsOfChoice
}

// AsOfChoice is how the as-of quarter was chosen: the rule's name (as run
// records have it: "coverage", "deadline_imputed" or "forced"), the
// quarter's coverage and the shares the rule asks for (0..1).
type AsOfChoice struct {
	Rule                    string
	Coverage                series.Coverage
	MinOperators, MinWeight float64
	MinReported             float64 // past the deadline, with imputation
	// Collecting are the quarters after the as-of with returns, not used:
	// the Synthèse and Qualité des données sheets say how far each has come
	// (CollectingText) and what each sector still owes.
	Collecting []series.Coverage
	// Released is when the as-of quarter became official (zero when
	// forced), Cutoff the receipt time the figures stop at; Later counts
	// the files received since for it and the quarters before it, left for
	// the next release.
	Released, Cutoff time.Time
	Later            int
}

// Change is how a target's projection moved since the previous report, split
// into what new returns (operator × periods not known then), revised returns
// (corrections of known ones) and the change of model or method did. The
// three add up to the total change. Amounts in the metric's unit (MAD, persons).
type Change struct {
	NewReturns, RevisedReturns, Model float64
}

// rule is the confidentiality rule of o.
func (o Options) rule() rule {
	d := o.Dominance
	if d <= 0 {
		d = DefaultDominance
	}
	return rule{min: o.minOperators(), dominance: d}
}

// secretNote explains the secret mark and the néant mark with o's rule.
func secretNote(d *detailLabels, o Options) string {
	return fmt.Sprintf(d.secretNote, o.minOperators(), fmt.Sprintf("%.0f %%", 100*o.rule().dominance))
}

func (o Options) minOperators() int {
	if o.MinOperators > 0 {
		return o.MinOperators
	}
	return DefaultMinOperators
}

// DefaultOptions returns the options of the nightly run without its time:
// French, the default title, no baseline years, no thresholds in the legend.
func DefaultOptions() Options { return Options{Lang: "fr"} }

// ErrNoResults is returned when there is no assessment result to summarise.
var ErrNoResults = errors.New("no assessment results to summarise")

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

// Ministry builds the ministry's summary workbook. results holds one result
// per target set, the main set first; s is the series the results were
// computed on. Neither is modified. The caller owns the returned file: it
// saves it (SaveAs, WriteToBuffer) and closes it. Ministry fails on bad
// options, on no results (ErrNoResults), on a nil result or series set, and
// on malformed periods in a result.
func Ministry(results []*assess.Result, s *series.Set, opts Options) (*excelize.File, error) {
	l, d, err := optionsLabels(opts)
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("ministry workbook: %w", ErrNoResults)
	}
	for i, r := range results {
		if r == nil {
			return nil, fmt.Errorf("ministry workbook: result %d is nil", i)
		}
	}
	if s == nil {
		return nil, errors.New("ministry workbook: no series set given")
	}

	f := excelize.NewFile()
	done := false
	defer func() {
		if !done {
			_ = f.Close()
		}
	}()
	if err := f.SetSheetName(f.GetSheetName(0), l.summarySheet); err != nil {
		return nil, fmt.Errorf("ministry workbook: %w", err)
	}
	// Sheets in reading order: the verdict, the detail, how it was made, then
	// the plain data for reuse.
	withPanel := len(opts.Panel) > 0 && len(s.Series) > 0
	var sheets []string
	if withPanel {
		sheets = append(sheets, d.sectorsSheet, d.regionsSheet, d.inclusiveSheet, d.qualitySheet)
	}
	sheets = append(sheets, d.changesSheet, d.methodSheet, l.dataSheet, l.chartSheet)
	for _, name := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("ministry workbook: %w", err)
		}
	}
	st, err := newStyles(f, l)
	if err != nil {
		return nil, fmt.Errorf("ministry workbook: styles: %w", err)
	}
	w := &writer{f: f, st: st, l: l, d: d, opts: opts, gate: &gate{opts: opts}}
	next := w.summary(results, s, opts)
	w.data(s, opts)
	if a := nationalJobs(results[0]); a != nil {
		w.chart(a, s, next+1, results[0].TargetSet)
		if e := nationalMetric(results[0], domain.MetricExports); e != nil {
			w.exportsChart(e, s, next+24, results[0].TargetSet) // below the jobs chart (420 px ≈ 21 rows)
		}
	} else if err := f.DeleteSheet(l.chartSheet); err != nil {
		// No national jobs target: no chart, and no empty sheet for it.
		return nil, fmt.Errorf("ministry workbook: %w", err)
	}
	if withPanel {
		w.sectors(results, s, opts)
		w.regions(s, opts)
		w.inclusive(s, opts)
		w.quality(s, opts)
	}
	w.changes(results, opts)
	w.method(results, opts)
	for _, sh := range []string{l.summarySheet, l.dataSheet, l.chartSheet} {
		if i, _ := f.GetSheetIndex(sh); i >= 0 {
			w.printSetup(sh, l.docTitle, results[0].AsOf)
		}
	}
	if w.err != nil {
		return nil, fmt.Errorf("ministry workbook: %w", w.err)
	}
	f.SetActiveSheet(0)
	deterministicContentTypes(f)
	title := l.docTitle
	if opts.Title != "" {
		title = opts.Title
	}
	stamp := opts.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Subject:        results[0].TargetSetName,
		Description:    fmt.Sprintf(d.asOfLine, results[0].AsOf),
		Keywords:       "offshoring; " + results[0].TargetSet + "; " + results[0].AsOf,
		Creator:        "offshore",
		LastModifiedBy: "offshore",
		Created:        stamp,
		Modified:       stamp,
		Language:       l.docLanguage,
	}); err != nil {
		return nil, fmt.Errorf("ministry workbook: document properties: %w", err)
	}
	done = true
	return f, nil
}

func optionsLabels(opts Options) (*labels, *detailLabels, error) {
	if opts.GeneratedAt.IsZero() {
		return nil, nil, errors.New("ministry workbook: Options.GeneratedAt is zero; pass the run's time")
	}
	switch opts.Lang {
	case "", "fr":
		return &fr, &frDetail, nil
	case "en":
		return &en, &enDetail, nil
	}
	return nil, nil, fmt.Errorf("ministry workbook: language %q: want fr or en", opts.Lang)
}

// nationalJobs returns the national jobs assessment of r, or nil.
func nationalJobs(r *assess.Result) *assess.Assessment {
	for i := range r.Assessments {
		a := &r.Assessments[i]
		if a.Metric == domain.MetricJobs && a.Sector == domain.National {
			return a
		}
	}
	return nil
}

// writer writes cells and keeps the first error, so that the sheet code reads
// as a layout rather than as error handling.
type writer struct {
	f     *excelize.File
	st    *styles
	l     *labels
	d     *detailLabels
	opts  Options
	*gate // the confidentiality rule, asked by every figure (gate.go)
	err   error
}

func (w *writer) keep(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

// cell writes v (a string, a number, a time) at col, row (1-based) with style
// (0: none).
func (w *writer) cell(sheet string, col, row int, v any, style int) {
	if w.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		w.keep(err)
		return
	}
	w.keep(w.f.SetCellValue(sheet, ref, v))
	if style != 0 {
		w.keep(w.f.SetCellStyle(sheet, ref, ref, style))
	}
}

// number writes a numeric cell, or only the style when v is NaN or infinite:
// an unknown value is an empty cell, never 0.
func (w *writer) number(sheet string, col, row int, v float64, style int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.style(sheet, col, row, style)
		return
	}
	w.cell(sheet, col, row, v, style)
}

func (w *writer) style(sheet string, col, row int, style int) {
	if w.err != nil || style == 0 {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	w.keep(err)
	if err == nil {
		w.keep(w.f.SetCellStyle(sheet, ref, ref, style))
	}
}

func (w *writer) width(sheet string, col int, width float64) {
	name, err := excelize.ColumnNumberToName(col)
	w.keep(err)
	if err == nil {
		w.keep(w.f.SetColWidth(sheet, name, name, width))
	}
}

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
			line, owed := CollectingText(opts.Lang, c, opts.FilingDelayDays)
			lines = append(lines, line+" ; "+owed)
		}
		w.cell(sh, colLabel, rowCollecting, strings.Join(lines, " — "), st.noteBold)
	}

	row := rowFirstBlock
	seen := map[string]bool{}
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
		w.header(row, r.TargetSet, opts)
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

// header writes the column headers of a block at row.
func (w *writer) header(row int, set string, opts Options) {
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
		w.cell(sh, col, row, w.d.secret, st.textCenter)
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

// divisor turns a metric's unit into the summary sheet's: MAD into MMAD.
func divisor(metric domain.Metric) float64 {
	switch metric {
	case domain.MetricExports, domain.MetricInvestment:
		return 1e6
	}
	return 1
}

// deterministicContentTypes sorts the default content types of the package.
// excelize adds the image extensions' defaults (with the chart's drawing) by
// ranging over a map, so their order, and the workbook's bytes, would change
// from one run to the next; the order has no meaning in the file format.
func deterministicContentTypes(f *excelize.File) {
	if f.ContentTypes == nil {
		return
	}
	d := f.ContentTypes.Defaults
	sort.SliceStable(d, func(i, j int) bool { return d[i].Extension < d[j].Extension })
}
