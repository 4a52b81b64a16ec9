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
	row := w.sheetStart(sh, l.qualityTitle, s.Last.String())
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
	cols := []tableCol{{l.qualityCols[0], kindText, 34}, {l.qualityCols[1], kindInt, 14}, {l.qualityCols[2], kindInt, 14},
		{l.qualityCols[3], kindInt, 14}, {l.qualityCols[4], kindInt, 14}, {l.qualityCols[5], kindPercent, 12}}
	if imputed {
		cols = append(cols, tableCol{l.qualityCols[6], kindPercent, 14})
	}
	row = w.table(sh, row, cols, rows, nil)
	row++
	if opts.AsOf != nil {
		// The quarters in collection: how far they have come and what each
		// sector still owes, in counts of returns (never a figure).
		cw := collectingLabels(opts.Lang)
		for _, c := range opts.AsOf.Collecting {
			line, _ := CollectingText(opts.Lang, c, opts.sectors(), opts.FilingDelayDays)
			w.cell(sh, 1, row, line, w.st.setTitle)
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
		w.cell(sh, 1, row, fmt.Sprintf(l.missingTitle, last.period), w.st.setTitle)
		if len(last.missing) == 0 {
			row++
			w.cell(sh, 1, row, l.noneMissing, w.st.note)
		}
		for _, name := range last.missing {
			row++
			w.cell(sh, 1, row, name, w.st.text) // a name, never a figure
		}
		row += 2
	}
	if len(opts.Rejections) > 0 {
		w.cell(sh, 1, row, l.rejectionsTitle, w.st.setTitle)
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
		w.table(sh, row, []tableCol{{l.rejectionCol[0], kindText, 0}, {l.rejectionCol[1], kindInt, 0}}, rr, nil)
	}
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
