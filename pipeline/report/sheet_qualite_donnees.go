package report

import (
	"fmt"
	"slices"
	"sort"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// quality writes the Qualité des données sheet: returns expected, received,
// late and missing per period (the last eight), the names of the operators
// missing for the latest period, and the rejected files by reason.
func (w *writer) quality(s *series.Set, opts Options) {
	sh, l := w.l.qualitySheet, w.l
	cols := []tableCol{{l.qualityCols[0], kindText, 10}, {l.qualityCols[1], kindInt, 10}, {l.qualityCols[2], kindInt, 10},
		{l.qualityCols[3], kindInt, 10}, {l.qualityCols[4], kindInt, 11}, {l.qualityCols[5], kindPercent, 10}, {l.qualityCols[6], kindPercent, 10}}
	w.setWidths(sh, cols)
	row := w.sheetStart(sh, l.qualityTitle, l.periodName(s.Last), layout{})
	first := max(s.First, s.Last-7)
	cov := filing(opts.Panel, first, s.Last, opts.FilingDelayDays)
	// The share of headcount carried forward, when the series are gap-filled
	// (warehouse.impute_in_forecasts).
	jobs := s.Get(domain.National, domain.MetricJobs)
	imputed := jobs != nil && slices.ContainsFunc(jobs.ImputedShare, func(v float64) bool { return v > 0 })
	var rows [][]any
	for _, c := range cov {
		r := []any{l.periodName(c.period), c.expected, c.received, c.late, len(c.missing), share(float64(c.received), float64(c.expected))}
		if imputed {
			v := nan
			if i := int(c.period - jobs.Start); i >= 0 && i < len(jobs.ImputedShare) {
				v = jobs.ImputedShare[i]
			}
			r = append(r, v)
		}
		rows = append(rows, r)
	}
	if !imputed {
		cols = cols[:6]
	}
	row = w.table(sh, row, cols, rows, nil)
	row++
	if opts.AsOf != nil {
		// The quarters in collection: how far they have come and what each
		// sector still owes, in counts of returns (never a figure).
		cw := collectingLabels(opts.Lang)
		for _, c := range opts.AsOf.Collecting {
			line, _ := CollectingText(opts.Lang, c, opts.sectors(), opts.FilingDelayDays)
			w.paragraph(sh, row, 1, 7, line, w.st.setTitle, sizeSetTitle, true)
			row++
			var owed [][]any
			for _, sec := range opts.sectors() {
				owed = append(owed, []any{w.l.sector(sec), c.Owed[sec]})
			}
			row = w.table(sh, row, []tableCol{{cw.owedCols[0], kindText, 0}, {cw.owedCols[1], kindInt, 0}}, owed, nil)
			row++
		}
	}
	if len(cov) > 0 {
		last := cov[len(cov)-1]
		w.paragraph(sh, row, 1, 7, fmt.Sprintf(l.missingTitle, l.periodName(last.period)), w.st.setTitle, sizeSetTitle, true)
		if len(last.missing) == 0 {
			row++
			w.paragraph(sh, row, 1, 7, l.noneMissing, w.st.note, sizeText, false)
		}
		for _, name := range last.missing {
			row++
			w.paragraph(sh, row, 1, 7, name, w.st.paragraph, sizeText, false) // a name, never a figure
		}
		row += 2
	}
	if len(opts.Rejections) > 0 {
		// By reason in words (the codes are the operators' feedback's);
		// the reason spans the table's first six columns.
		w.paragraph(sh, row, 1, 7, l.rejectionsTitle, w.st.setTitle, sizeSetTitle, true)
		row++
		codes := make([]string, 0, len(opts.Rejections))
		for c := range opts.Rejections {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool { return l.rejectionName(codes[i]) < l.rejectionName(codes[j]) })
		w.spanned(sh, row, 1, 6, l.rejectionCol[0], w.st.header, sizeHeader, true)
		w.cell(sh, 7, row, l.rejectionCol[1], w.st.header)
		w.fitRow(sh, row, textLines(l.rejectionCol[1], w.colWidth(sh, 7), sizeHeader, true), sizeHeader)
		for _, c := range codes {
			row++
			w.spanned(sh, row, 1, 6, l.rejectionName(c), w.st.text, sizeText, false)
			w.cell(sh, 7, row, opts.Rejections[c], w.st.integer)
		}
	}
}

// spanned writes v across the cells c1..c2 of row, merged, each with
// style (a bordered table cell), as tall as the text needs.
func (w *writer) spanned(sh string, row, c1, c2 int, v string, style int, size float64, bold bool) {
	for c := c1; c <= c2; c++ {
		w.style(sh, c, row, style)
	}
	w.paragraph(sh, row, c1, c2, v, style, size, bold)
}

// coverage is the filing record of one period.
type coverage struct {
	period   domain.Period
	expected int      // operators expected to file: filed this period or in one of the four before
	received int      // returns received for the period
	late     int      // of which received after the due date
	missing  []string // names of the expected operators with no return, sorted
}

// filing measures returns received against returns expected for each of
// the periods first..last. An operator is expected in a period when it filed
// for it or for one of the four periods before (so an operator that stopped
// filing a year ago counts as gone). A return is late when received after
// the end of its quarter plus delayDays.
func filing(rs []domain.Return, first, last domain.Period, delayDays int) []coverage {
	filed := map[domain.Period]map[string]*domain.Return{}
	names := map[string]string{}
	for i := range rs {
		r := &rs[i]
		if filed[r.Period] == nil {
			filed[r.Period] = map[string]*domain.Return{}
		}
		filed[r.Period][r.OperatorID] = r
		names[r.OperatorID] = r.OperatorName
	}
	var out []coverage
	for p := first; p <= last; p++ {
		c := coverage{period: p}
		expected := map[string]bool{}
		for q := p - 4; q <= p; q++ {
			for id := range filed[q] {
				expected[id] = true
			}
		}
		c.expected = len(expected)
		for id := range expected {
			r, ok := filed[p][id]
			if !ok {
				c.missing = append(c.missing, names[id])
				continue
			}
			c.received++
			if r.ReceivedAt.After(p.End().AddDate(0, 0, delayDays)) {
				c.late++
			}
		}
		sort.Strings(c.missing)
		out = append(out, c)
	}
	return out
}
