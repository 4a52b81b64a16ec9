package report

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// inclusive writes the Emploi inclusif sheet: hires, youth and disabled
// hires per year nationally, then per sector for the latest year. The
// operators counted are distinct operators that reported hires in the year
// (an operator files four quarterly returns a year: counted once). It
// prints on A4 portrait.
func (w *writer) inclusive(s *series.Set, opts Options) {
	sh, l := w.l.inclusiveSheet, w.l
	cols := []tableCol{{l.inclusiveCols[0], kindText, 10}, {l.inclusiveCols[1], kindInt, 11}, {l.inclusiveCols[2], kindInt, 11},
		{l.inclusiveCols[3], kindInt, 10}, {l.inclusiveCols[4], kindPercent, 8}, {l.inclusiveCols[5], kindInt, 12}, {l.inclusiveCols[6], kindPercent, 12}}
	w.setWidths(sh, cols)
	row := w.sheetStart(sh, l.inclusiveTitle, l.periodName(s.Last), layout{})
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
	// operators are the distinct operators that reported hires, not
	// returns.
	hRow := func(name any, operators int, h *hiring) []any {
		return []any{name, operators, float64(h.hires), float64(h.youth), share(float64(h.youth), float64(h.youthBase)),
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
		r := hRow(strconv.Itoa(y), len(yearOps[y]), byYear[y])
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
	row = w.table(sh, row, cols, rows, nil)

	// Per sector, with the confidentiality rule: operators counted are those
	// that reported hires in the year (a quarter's return each).
	row++
	w.paragraph(sh, row, 1, len(cols), fmt.Sprintf(l.inclusiveBySector, lastYear), w.st.setTitle, sizeSetTitle, true)
	row++
	counts := make([]int, len(opts.sectors()))
	cells := make([]cellSize, len(opts.sectors()))
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
	for i, sec := range opts.sectors() {
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
	for i, sec := range opts.sectors() {
		h := bySector[sec]
		if h == nil {
			h = &hiring{}
		}
		r := hRow(sec, counts[i], h)
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
	all := map[string]bool{} // an operator that moved sector within the year counts once
	for _, byOp := range ops {
		for id := range byOp {
			all[id] = true
		}
	}
	r := hRow(l.total, len(all), tot)
	if totalHidden {
		hideFigures(r)
	}
	rows = append(rows, r)
	cols[0].header = l.inclusiveSectorCols[0]
	cols[1].header = l.inclusiveSectorCols[1]
	row = w.table(sh, row, cols, rows, map[int]bool{len(rows) - 1: true})
	w.paragraph(sh, row+1, 1, len(cols), secretNote(l, opts), w.st.note, sizeText, false)
}

// hiring sums the hires of one year (or one group within it): youthBase
// and disabledBase are the hires of the returns that gave each breakdown,
// what its share is of.
type hiring struct {
	hires, youth, disabled  int64
	youthBase, disabledBase int64
}

func (h *hiring) add(r *domain.Return) {
	if r.Hires == nil {
		return
	}
	h.hires += *r.Hires
	if r.HiresYouth != nil {
		h.youth += *r.HiresYouth
		h.youthBase += *r.Hires
	}
	if r.HiresDisabled != nil {
		h.disabled += *r.HiresDisabled
		h.disabledBase += *r.Hires
	}
}

// hideFigures replaces the figures of an inclusive-hiring row (after its
// name and operator count) by the secret mark.
func hideFigures(r []any) {
	for j := 2; j < len(r); j++ {
		r[j] = secretCell{}
	}
}
