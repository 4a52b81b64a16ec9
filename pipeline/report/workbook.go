package report

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// ErrNoResults is returned when there is no assessment result to summarise.
var ErrNoResults = errors.New("no assessment results to summarise")

// Ministry builds the ministry's summary workbook. results holds one result
// per target set, the main set first; s is the series the results were
// computed on. Neither is modified. The caller owns the returned file: it
// saves it (SaveAs, WriteToBuffer) and closes it. Ministry fails on bad
// options, on no results (ErrNoResults), on a nil result or series set, and
// on malformed periods in a result.
func Ministry(results []*assess.Result, s *series.Set, opts Options) (*excelize.File, error) {
	l, err := optionsLabels(opts)
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
	if len(opts.Sectors) == 0 {
		opts.Sectors = s.Sectors
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
		sheets = append(sheets, l.sectorsSheet, l.regionsSheet, l.inclusiveSheet, l.qualitySheet)
	}
	sheets = append(sheets, l.changesSheet, l.methodSheet, l.dataSheet, l.chartSheet)
	for _, name := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("ministry workbook: %w", err)
		}
	}
	st, err := newStyles(f, l)
	if err != nil {
		return nil, fmt.Errorf("ministry workbook: styles: %w", err)
	}
	w := &writer{f: f, st: st, l: l, opts: opts, gate: &gate{opts: opts},
		widths: map[string]map[int]float64{}, heights: map[string]map[int]float64{}}
	charts := w.summary(results, s, opts)
	w.data(s, opts)
	if a := nationalMetric(results[0], domain.MetricJobs); a != nil {
		// The two charts share a landscape page, below the tables.
		// A row from the page's top, so that no frame line shows on the page before.
		next := w.jobsChart(a, s, charts+1, results[0].TargetSet)
		if e := nationalMetric(results[0], domain.MetricExports); e != nil {
			w.exportsChart(e, s, charts+1+chartRows, next, results[0].TargetSet)
		}
		w.printSetup(l.chartSheet, l.periodName(results[0].AsOf), layout{})
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
	w.methodology(results, opts)
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
		Description:    fmt.Sprintf(l.asOfLine, l.periodName(results[0].AsOf)),
		Keywords:       "offshoring; " + results[0].TargetSet + "; " + results[0].AsOf.String(),
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

// optionsLabels checks what Ministry cannot do without (a generation time, a
// known language) and returns the words of opts.Lang.
func optionsLabels(opts Options) (*labels, error) {
	if opts.GeneratedAt.IsZero() {
		return nil, errors.New("ministry workbook: Options.GeneratedAt is zero; pass the run's time")
	}
	switch opts.Lang {
	case "", "fr":
		return &fr, nil
	case "en":
		return &en, nil
	}
	return nil, fmt.Errorf("ministry workbook: language %q: want fr or en", opts.Lang)
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

// writer writes cells and keeps the first error, so that the sheet code reads
// as a layout rather than as error handling.
type writer struct {
	f     *excelize.File
	st    *styles
	l     *labels
	opts  Options
	*gate // the confidentiality rule, asked by every figure (gate.go)
	err   error
	// widths and heights are those set, by sheet and column or row: a
	// paragraph's row is as tall as its text needs in its columns' width.
	widths, heights map[string]map[int]float64
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
		if w.widths[sheet] == nil {
			w.widths[sheet] = map[int]float64{}
		}
		w.widths[sheet][col] = width
	}
}
