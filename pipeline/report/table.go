package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// cellKind says how a table cell is written.
type cellKind int

const (
	kindText cellKind = iota
	kindInt
	kindMMAD // MAD shown in millions
	kindPercent
)

// tableCol is one column of a detail table.
type tableCol struct {
	header string
	kind   cellKind
	width  float64
}

// secretCell marks a value hidden by the confidentiality rule.
type secretCell struct{}

// noneCell marks a figure of a row with no operator: "–" (néant), not 0.
type noneCell struct{}

// table writes a titled table at row: a header row, then rows; it returns
// the row after the table. A secretCell value is written as the secret mark,
// a NaN as an empty cell.
func (w *writer) table(sh string, row int, cols []tableCol, rows [][]any, bold map[int]bool) int {
	st := w.st
	for j, c := range cols {
		w.cell(sh, j+1, row, c.header, st.header)
		if c.width > 0 {
			w.width(sh, j+1, c.width)
		}
	}
	w.keep(w.f.SetRowHeight(sh, row, 62))
	for i, r := range rows {
		row++
		for j, v := range r {
			c := cols[j]
			switch x := v.(type) {
			case secretCell:
				w.cell(sh, j+1, row, w.d.secret, st.textCenter)
			case noneCell:
				w.cell(sh, j+1, row, none, st.textCenter)
			case string:
				style := st.text
				if bold[i] {
					style = st.textBold
				}
				w.cell(sh, j+1, row, x, style)
			case int:
				w.cell(sh, j+1, row, x, st.integer)
			case float64:
				switch c.kind {
				case kindMMAD:
					w.number(sh, j+1, row, x/1e6, st.integer)
				case kindPercent:
					w.number(sh, j+1, row, x, st.growth)
				default:
					w.number(sh, j+1, row, x, st.integer)
				}
			}
		}
	}
	return row + 1
}

// sheetStart writes a detail sheet's title and as-of line and sets it up for
// print (A4 landscape, one page wide, header and footer); it returns the
// first free row.
func (w *writer) sheetStart(sh, title, asOf string) int {
	w.cell(sh, 1, 1, title, w.st.title)
	w.keep(w.f.SetRowHeight(sh, 1, 24))
	w.cell(sh, 1, 2, fmt.Sprintf(w.d.asOfLine, asOf), w.st.subtitle)
	w.printSetup(sh, title, asOf)
	return 4
}

// printSetup prints sh on A4 landscape, one page wide, with the title and
// as-of in the header and page numbers in the footer.
func (w *writer) printSetup(sh, title, asOf string) {
	fit, a4, landscape, wide, tall := true, 9, "landscape", 1, 0
	w.keep(w.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	w.keep(w.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}))
	w.keep(w.f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + escapeHF(title) + "&R" + escapeHF(fmt.Sprintf(w.d.asOfLine, asOf)),
		OddFooter: "&L" + escapeHF(w.l.docTitle) + "&R" + w.d.page,
	}))
}

// escapeHF doubles the ampersands of text printed in a header or footer,
// where & starts a code.
func escapeHF(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '&' {
			out = append(out, '&')
		}
		out = append(out, r)
	}
	return string(out)
}

// breakdown builds the rows of a sector or region table for period p (gs:
// the groups of p by key), with the confidentiality rule applied row by row,
// and the total row last. The figures of a year earlier (jobs, change over
// the year) go through the rule as of p-4 too: a row published now may have
// been confidential then.
func (w *writer) breakdown(keys []string, label func(string) string, gs map[string]*group, extra func(key string) []any, opts Options, p domain.Period, key func(*domain.Return) string) [][]any {
	nat := &group{}
	cells, total := groupCells(gs, keys, opts.rule().dominance)
	cellsE, totalE := groupCells(groupBy(opts.Panel, p-4, key), keys, opts.rule().dominance)
	hiddenE, totalHiddenE := suppress(cellsE, opts.rule(), &totalE)
	for _, k := range keys {
		if g, ok := gs[k]; ok {
			nat.operators += g.operators
			nat.jobs += g.jobs
			nat.jobsYear += g.jobsYear
			nat.opsYear += g.opsYear
			nat.exports += g.exports
		}
	}
	hidden, totalHidden := suppress(cells, opts.rule(), &total)
	row := func(name string, g *group, secret, secretEarlier bool, more []any) []any {
		r := []any{name, g.operators}
		if secret || g.operators == 0 {
			var mark any = secretCell{}
			if !secret {
				mark = noneCell{} // no operator: néant, not 0
			}
			for range 4 + len(more) {
				r = append(r, mark)
			}
			return r
		}
		var year, change any = orNaN(g.jobsYear, g.opsYear), share(g.jobs-g.jobsYear, g.jobsYear) * boolNaN(g.opsYear > 0)
		if secretEarlier {
			year, change = secretCell{}, secretCell{}
		}
		r = append(r, g.jobs, year, change, share(g.jobs, nat.jobs))
		return append(r, more...)
	}
	var rows [][]any
	for i, k := range keys {
		g := gs[k]
		if g == nil {
			g = &group{key: k}
		}
		rows = append(rows, row(label(k), g, hidden[i], hiddenE[i], extra(k)))
	}
	return append(rows, row(w.d.total, nat, totalHidden, totalHiddenE, extra("")))
}

// exportsOf is the exports of group key, or of all groups when key is "".
func exportsOf(gs map[string]*group, key string) float64 {
	if key != "" {
		if g := gs[key]; g != nil {
			return g.exports
		}
		return 0
	}
	total := 0.0
	for _, g := range gs {
		total += g.exports
	}
	return total
}

func orNaN(v float64, n int) float64 {
	if n == 0 {
		return nan
	}
	return v
}

func boolNaN(ok bool) float64 {
	if ok {
		return 1
	}
	return nan
}

// sectors writes the Filières sheet: each sector's jobs and exports at the
// latest period, growth over a year, share, contribution to job growth since
// the baseline year, and the projection when a target covers the sector.
func (w *writer) sectors(results []*assess.Result, s *series.Set, opts Options) {
	sh, d := w.d.sectorsSheet, w.d
	p := s.Last
	row := w.sheetStart(sh, d.sectorsTitle, p.String())
	base := 0
	if len(results) > 0 {
		base = opts.BaselineYears[results[0].TargetSet]
	}
	gs := groupBy(opts.Panel, p, func(r *domain.Return) string { return r.Sector })
	baseJobs := func(sector string) float64 {
		if base == 0 {
			return nan
		}
		if x := s.Get(sector, domain.MetricJobs); x != nil {
			return x.At(domain.YearEnd(base))
		}
		return nan
	}
	natGrowth := s.Get(domain.National, domain.MetricJobs).At(p) - baseJobs(domain.National)
	projected := func(sector string) any {
		for _, r := range results {
			for _, a := range r.Assessments {
				if a.Sector == sector && a.Metric == domain.MetricJobs {
					if w.targetHidden(&a, opts.BaselineYears[r.TargetSet]) {
						return secretCell{} // hidden on the Synthèse
					}
					return a.Projected
				}
			}
		}
		return nan
	}
	extra := func(sector string) []any {
		sec := sector
		if sec == "" {
			sec = domain.National
		}
		var contrib any = nan
		if x := s.Get(sec, domain.MetricJobs); x != nil {
			contrib = share(x.At(p)-baseJobs(sec), natGrowth)
		}
		if base != 0 && (w.hiddenMetric(domain.YearEnd(base), domain.MetricJobs)[sec] || w.hiddenMetric(domain.YearEnd(base), domain.MetricJobs)[domain.National]) {
			contrib = secretCell{} // the baseline year's jobs were confidential
		}
		return []any{contrib, exportsOf(gs, sector), projected(sec)}
	}
	cols := []tableCol{{d.sectorCols[0], kindText, 22}, {d.sectorCols[1], kindInt, 13}, {d.sectorCols[2], kindInt, 13},
		{d.sectorCols[3], kindInt, 13}, {d.sectorCols[4], kindPercent, 12}, {d.sectorCols[5], kindPercent, 12},
		{fmt.Sprintf(d.sectorCols[6], base), kindPercent, 16}, {d.sectorCols[7], kindMMAD, 18}, {d.sectorCols[8], kindInt, 16}}
	rows := w.breakdown(domain.Sectors, func(k string) string { return k }, gs, extra, opts, p, func(r *domain.Return) string { return r.Sector })
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.cell(sh, 1, row+1, secretNote(d, opts), w.st.note)
	w.sectorChart(s, opts, row+3)
}

// regions writes the Régions sheet: jobs by region at the latest period.
func (w *writer) regions(s *series.Set, opts Options) {
	sh, d := w.d.regionsSheet, w.d
	p := s.Last
	row := w.sheetStart(sh, d.regionsTitle, p.String())
	gs := groupBy(opts.Panel, p, func(r *domain.Return) string { return r.Region })
	keys := regionKeys(opts.Regions, gs)
	extra := func(region string) []any { return []any{exportsOf(gs, region)} }
	cols := []tableCol{{d.regionCols[0], kindText, 30}, {d.regionCols[1], kindInt, 13}, {d.regionCols[2], kindInt, 13},
		{d.regionCols[3], kindInt, 13}, {d.regionCols[4], kindPercent, 12}, {d.regionCols[5], kindPercent, 12}, {d.regionCols[6], kindMMAD, 18}}
	rows := w.breakdown(keys, func(k string) string { return k }, gs, extra, opts, p, func(r *domain.Return) string { return r.Region })
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.cell(sh, 1, row+1, secretNote(d, opts), w.st.note)
}

// inclusive writes the Emploi inclusif sheet: hires, youth and disabled
// hires per year nationally, then per sector for the latest year.
func (w *writer) inclusive(s *series.Set, opts Options) {
	sh, d := w.d.inclusiveSheet, w.d
	row := w.sheetStart(sh, d.inclusiveTitle, s.Last.String())
	byYear := map[int]*hiring{}
	bySector := map[string]*hiring{}
	lastYear := s.Last.Year()
	for i := range opts.Panel {
		r := &opts.Panel[i]
		y := r.Period.Year()
		if byYear[y] == nil {
			byYear[y] = &hiring{}
		}
		byYear[y].add(r)
		if y == lastYear {
			if bySector[r.Sector] == nil {
				bySector[r.Sector] = &hiring{}
			}
			bySector[r.Sector].add(r)
		}
	}
	hRow := func(name any, h *hiring) []any {
		return []any{name, h.operators, float64(h.hires), float64(h.youth), share(float64(h.youth), float64(h.youthBase)),
			float64(h.disabled), share(float64(h.disabled), float64(h.disabledBase))}
	}
	var rows [][]any
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	// The national hires of a year go through the rule too: the operators
	// that reported hires that year, and the largest one's share.
	yearOps := map[int]map[string]float64{}
	for i := range opts.Panel {
		if r := &opts.Panel[i]; r.Hires != nil {
			y := r.Period.Year()
			if yearOps[y] == nil {
				yearOps[y] = map[string]float64{}
			}
			yearOps[y][r.OperatorID] += float64(*r.Hires)
		}
	}
	for _, y := range years {
		r := hRow(strconv.Itoa(y), byYear[y])
		c := cellSize{operators: len(yearOps[y])}
		for _, v := range yearOps[y] {
			c.size += v
			c.top = max(c.top, v)
		}
		if opts.rule().sensitive(c.operators, c.size, c.top, false) {
			hideFigures(r)
		}
		rows = append(rows, r)
	}
	cols := []tableCol{{d.inclusiveCols[0], kindText, 24}, {d.inclusiveCols[1], kindInt, 14}, {d.inclusiveCols[2], kindInt, 13},
		{d.inclusiveCols[3], kindInt, 14}, {d.inclusiveCols[4], kindPercent, 12}, {d.inclusiveCols[5], kindInt, 16}, {d.inclusiveCols[6], kindPercent, 16}}
	row = w.table(sh, row, cols, rows, nil)

	// Per sector, with the confidentiality rule: operators counted are those
	// that reported hires in the year (a quarter's return each).
	row++
	w.cell(sh, 1, row, fmt.Sprintf(d.inclusiveBySector, lastYear), w.st.setTitle)
	row++
	counts := make([]int, len(domain.Sectors))
	cells := make([]cellSize, len(domain.Sectors))
	ops := map[string]map[string]float64{} // sector → operator → hires of the year
	for i := range opts.Panel {
		r := &opts.Panel[i]
		if r.Period.Year() == lastYear && r.Hires != nil {
			if ops[r.Sector] == nil {
				ops[r.Sector] = map[string]float64{}
			}
			ops[r.Sector][r.OperatorID] += float64(*r.Hires)
		}
	}
	for i, sec := range domain.Sectors {
		counts[i] = len(ops[sec])
		cells[i].operators = counts[i]
		if h := bySector[sec]; h != nil {
			cells[i].size = float64(h.hires)
		}
		for _, v := range ops[sec] {
			cells[i].top = max(cells[i].top, v)
		}
	}
	hidden, totalHidden := suppress(cells, opts.rule(), nil)
	rows = nil
	for i, sec := range domain.Sectors {
		h := bySector[sec]
		if h == nil {
			h = &hiring{}
		}
		r := hRow(sec, h)
		r[1] = counts[i] // distinct operators, not returns
		switch {
		case hidden[i]:
			hideFigures(r)
		case counts[i] == 0:
			for j := 2; j < len(r); j++ {
				r[j] = noneCell{}
			}
		}
		rows = append(rows, r)
	}
	tot := byYear[lastYear]
	if tot == nil {
		tot = &hiring{}
	}
	r := hRow(d.total, tot)
	r[1] = sum(counts)
	if totalHidden {
		hideFigures(r)
	}
	rows = append(rows, r)
	cols[0].header = d.inclusiveSectorCols[0]
	cols[1].header = d.inclusiveSectorCols[1]
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.cell(sh, 1, row+1, secretNote(d, opts), w.st.note)
}

// hideFigures replaces the figures of an inclusive-hiring row (after its
// name and operator count) by the secret mark.
func hideFigures(r []any) {
	for j := 2; j < len(r); j++ {
		r[j] = secretCell{}
	}
}

func sum(v []int) int {
	t := 0
	for _, x := range v {
		t += x
	}
	return t
}

// quality writes the Qualité des données sheet: returns expected, received,
// late and missing per period (the last eight), the names of the operators
// missing for the latest period, and the rejected files by reason.
func (w *writer) quality(s *series.Set, opts Options) {
	sh, d := w.d.qualitySheet, w.d
	row := w.sheetStart(sh, d.qualityTitle, s.Last.String())
	first := max(s.First, s.Last-7)
	cov := filing(opts.Panel, first, s.Last, opts.FilingDelayDays)
	// The share of headcount carried forward, when the series are gap-filled
	// (warehouse.impute_in_forecasts).
	jobs := s.Get(domain.National, domain.MetricJobs)
	imputed := jobs != nil && slices.ContainsFunc(jobs.ImputedShare, func(v float64) bool { return v > 0 })
	var rows [][]any
	for _, c := range cov {
		r := []any{c.period.String(), c.expected, c.received, c.late, len(c.missing), share(float64(c.received), float64(c.expected))}
		if imputed {
			v := nan
			if i := int(c.period - jobs.Start); i >= 0 && i < len(jobs.ImputedShare) {
				v = jobs.ImputedShare[i]
			}
			r = append(r, v)
		}
		rows = append(rows, r)
	}
	cols := []tableCol{{d.qualityCols[0], kindText, 34}, {d.qualityCols[1], kindInt, 14}, {d.qualityCols[2], kindInt, 14},
		{d.qualityCols[3], kindInt, 14}, {d.qualityCols[4], kindInt, 14}, {d.qualityCols[5], kindPercent, 12}}
	if imputed {
		cols = append(cols, tableCol{d.qualityCols[6], kindPercent, 14})
	}
	row = w.table(sh, row, cols, rows, nil)
	row++
	if opts.AsOf != nil {
		// The quarters in collection: how far they have come and what each
		// sector still owes, in counts of returns (never a figure).
		cw := collectingLabels(opts.Lang)
		for _, c := range opts.AsOf.Collecting {
			line, _ := CollectingText(opts.Lang, c, opts.FilingDelayDays)
			w.cell(sh, 1, row, line, w.st.setTitle)
			row++
			var owed [][]any
			for _, sec := range domain.Sectors {
				owed = append(owed, []any{w.l.sector(sec), c.Owed[sec]})
			}
			row = w.table(sh, row, []tableCol{{cw.owedCols[0], kindText, 0}, {cw.owedCols[1], kindInt, 0}}, owed, nil)
			row++
		}
	}
	if len(cov) > 0 {
		last := cov[len(cov)-1]
		w.cell(sh, 1, row, fmt.Sprintf(d.missingTitle, last.period), w.st.setTitle)
		if len(last.missing) == 0 {
			row++
			w.cell(sh, 1, row, d.noneMissing, w.st.note)
		}
		for _, name := range last.missing {
			row++
			w.cell(sh, 1, row, name, w.st.text) // a name, never a figure
		}
		row += 2
	}
	if len(opts.Rejections) > 0 {
		w.cell(sh, 1, row, d.rejectionsTitle, w.st.setTitle)
		row++
		codes := make([]string, 0, len(opts.Rejections))
		for c := range opts.Rejections {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		var rr [][]any
		for _, c := range codes {
			rr = append(rr, []any{c, opts.Rejections[c]})
		}
		w.table(sh, row, []tableCol{{d.rejectionCol[0], kindText, 0}, {d.rejectionCol[1], kindInt, 0}}, rr, nil)
	}
}

// changes writes the Évolution sheet: each target's projection, probability
// and status in the previous report and now.
func (w *writer) changes(results []*assess.Result, opts Options) {
	sh, d := w.d.changesSheet, w.d
	row := w.sheetStart(sh, d.changesTitle, results[0].AsOf)
	if len(opts.Previous) == 0 {
		w.cell(sh, 1, row, d.noPrevious, w.st.note)
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
	cols := []tableCol{{d.changesCols[0], kindText, 40}, {d.changesCols[1], kindInt, 14}, {d.changesCols[2], kindInt, 14},
		{d.changesCols[3], kindInt, 12}, {d.changesCols[4], kindInt, 14}, {d.changesCols[5], kindInt, 14}, {d.changesCols[6], kindInt, 14},
		{d.changesCols[7], kindPercent, 13}, {d.changesCols[8], kindPercent, 13},
		{d.changesCols[9], kindText, 16}, {d.changesCols[10], kindText, 16}, {d.changesCols[11], kindText, 11}}
	row = w.table(sh, row, cols, rows, nil)
	if !opts.PreviousAt.IsZero() {
		w.cell(sh, 1, row+1, fmt.Sprintf("%s %s", w.l.generatedAt, opts.PreviousAt.UTC().Format(time.DateOnly)), w.st.note)
	}
}

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

// pMeet is a's probability of meeting its target, NaN (an empty cell) for a
// closed target, which has none.
func pMeet(a *assess.Assessment) float64 {
	if a.Closed {
		return math.NaN()
	}
	return a.PMeet
}
