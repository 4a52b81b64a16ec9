package series

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// Status of a panel row.
const (
	StatusReported = "reported" // the operator's own return for the period
	StatusImputed  = "imputed"  // no return: carried forward (see Panel)
)

// Row is one operator × period of the panel: the operator's latest return for
// the period, or, when it skipped the period, figures carried forward.
type Row struct {
	OperatorID, OperatorName, Sector, Region string
	Period                                   domain.Period
	Status                                   string // StatusReported or StatusImputed
	// Entry marks the operator's first reported period in the panel.
	Entry bool
	// From is the period whose return the figures come from: Period itself
	// when reported, the last reported period when imputed.
	From domain.Period

	Headcount        float64  // persons at quarter end
	Hires            *float64 // nil: not reported (and not imputable)
	HiresYouth       *float64
	HiresDisabled    *float64
	ExportRevenueMAD float64
	TotalRevenueMAD  *float64
	InvestmentMAD    *float64

	// SourceSHA256 and ReceivedAt are the lineage of the return used
	// (the last reported one when imputed).
	SourceSHA256 string
	ReceivedAt   time.Time
}

// Imputed reports whether the row was carried forward.
func (r *Row) Imputed() bool { return r.Status == StatusImputed }

// Exit is an operator that stopped returning: its last return was for Last,
// and CarryForward periods have passed without one by Detected.
type Exit struct {
	OperatorID string
	Sector     string
	Region     string
	Last       domain.Period
	Detected   domain.Period // Last + CarryForward + 1 (NewNonResponsePanel: Last + 1)
}

// Panel is one row per operator × period for every operator active in the
// period, over First..Last.
type Panel struct {
	First, Last  domain.Period
	CarryForward int
	Rows         []Row  // sorted by period, then operator
	Exits        []Exit // sorted by detection period, then operator
}

// NewPanel builds the panel of consolidated returns (one per operator ×
// period, as Consolidate gives them), from the first period reported to the
// last. The rules, in the order they apply:
//
//   - An operator is active from its first return (its entry) on.
//   - A period without the operator's return, at most carryForward periods
//     after its last return, is imputed: headcount as last reported; each
//     flow (exports, total revenue, investment, hires and their parts) as the
//     operator reported it in the same quarter a year earlier, scaled by the
//     sector's growth over that year (the sum of the flow over the sector's
//     operators that reported both quarters, now over then; 1 when none did),
//     or, when the operator has no return for that quarter, as in its last
//     return. A flow left blank in the return used stays blank.
//   - After carryForward periods without a return the operator has exited
//     (an Exit, detected in the period after the last imputed one) and is no
//     longer in the panel, until it returns again (a new entry is not
//     flagged: Entry marks only the first return).
//
// Imputation uses only the returns given, so a panel built as of a date
// depends only on what was received by then. The input is not modified.
func NewPanel(rs []domain.Return, carryForward int) *Panel {
	return newPanel(rs, carryForward, false, false)
}

// NewNonResponsePanel is NewPanel imputing only the returns known to be
// missing, the operator's activity being certain: the periods it skipped
// between two of its returns (when at most carryForward) and, when
// expectLast (the last period's returns are still being collected), the last
// period when it reported the one before. An operator whose returns stop
// earlier than that exits in the period after its last return; one that
// skipped more than carryForward periods re-enters. The official forecasts
// use it: the reported-only series fell in every quarter still being
// collected (its late returns missing) and rose back as they arrived, moving
// the verdict twice within a filing season; filling every gap (NewPanel)
// also carries leavers forward for carryForward periods.
func NewNonResponsePanel(rs []domain.Return, carryForward int, expectLast bool) *Panel {
	return newPanel(rs, carryForward, true, expectLast)
}

func newPanel(rs []domain.Return, carryForward int, nonResponse, expectLast bool) *Panel {
	p := &Panel{CarryForward: carryForward}
	if len(rs) == 0 {
		return p
	}
	p.First, p.Last = rs[0].Period, rs[0].Period
	byOp := map[string][]*domain.Return{}
	for i := range rs {
		r := &rs[i]
		p.First, p.Last = min(p.First, r.Period), max(p.Last, r.Period)
		byOp[r.OperatorID] = append(byOp[r.OperatorID], r)
	}
	// reported[op][period] for the same-quarter-a-year-earlier rule, and the
	// sector's reported flows per period for the growth factors.
	reported := make(map[opPeriod]*domain.Return, len(rs))
	for i := range rs {
		reported[opPeriod{rs[i].OperatorID, rs[i].Period}] = &rs[i]
	}
	growth := newGrowth(rs, reported)

	p.Rows = make([]Row, 0, len(rs)+len(rs)/4) // the reported rows and room for imputed ones
	for _, op := range slices.Sorted(maps.Keys(byOp)) {
		own := byOp[op]
		slices.SortFunc(own, func(a, b *domain.Return) int { return cmp.Compare(a.Period, b.Period) })
		for k, r := range own {
			p.Rows = append(p.Rows, reportedRow(r, k == 0))
			next := p.Last + 1
			if k+1 < len(own) {
				next = own[k+1].Period
			}
			fill := carryForward // periods carried before the operator exits
			if nonResponse {
				gap := int(next - r.Period - 1)
				switch {
				case k+1 < len(own) && gap <= carryForward, expectLast && k+1 == len(own) && gap == 1:
					fill = gap
				default:
					fill = 0
				}
			}
			for q := r.Period + 1; q < next; q++ {
				if int(q-r.Period) > fill {
					p.Exits = append(p.Exits, Exit{OperatorID: op, Sector: r.Sector, Region: r.Region, Last: r.Period, Detected: q})
					break
				}
				p.Rows = append(p.Rows, imputedRow(r, q, reported[opPeriod{op, q - 4}], growth))
			}
		}
	}
	p.Rows = byPeriod(p.Rows, p.First, p.Last)
	slices.SortFunc(p.Exits, func(a, b Exit) int {
		return cmp.Or(cmp.Compare(a.Detected, b.Detected), cmp.Compare(a.OperatorID, b.OperatorID))
	})
	return p
}

// byPeriod returns rows, built operator by operator in operator order and
// each operator's in period order, sorted by period then operator: a
// counting sort on the period, which keeps the operator order within a
// period and moves each (large) row once, where a comparison sort moved
// them many times. Each operator has at most one row per period.
func byPeriod(rows []Row, first, last domain.Period) []Row {
	start := make([]int, int(last-first)+2)
	for i := range rows {
		start[rows[i].Period-first+1]++
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	out := make([]Row, len(rows))
	for i := range rows {
		t := rows[i].Period - first
		out[start[t]] = rows[i]
		start[t]++
	}
	return out
}

// opPeriod identifies an operator × period.
type opPeriod struct {
	op string
	p  domain.Period
}

func reportedRow(r *domain.Return, entry bool) Row {
	row := Row{
		OperatorID: r.OperatorID, OperatorName: r.OperatorName, Sector: r.Sector, Region: r.Region,
		Period: r.Period, Status: StatusReported, Entry: entry, From: r.Period,
		Headcount: float64(r.Headcount), ExportRevenueMAD: r.ExportRevenueMAD,
		Hires: fromInt(r.Hires), HiresYouth: fromInt(r.HiresYouth), HiresDisabled: fromInt(r.HiresDisabled),
		TotalRevenueMAD: cloneF(r.TotalRevenueMAD), InvestmentMAD: cloneF(r.InvestmentMAD),
		SourceSHA256: r.SourceSHA256, ReceivedAt: r.ReceivedAt,
	}
	return row
}

// imputedRow carries last (the operator's last return) into period q; yearAgo
// is its return for q-4, if any.
func imputedRow(last *domain.Return, q domain.Period, yearAgo *domain.Return, g *growth) Row {
	row := reportedRow(last, false)
	row.Period, row.Status = q, StatusImputed
	src, scale := last, func(int) float64 { return 1 }
	if yearAgo != nil {
		src = yearAgo
		scale = func(flow int) float64 { return g.factor(last.Sector, flow, q) }
	}
	mulI := func(v *int64, flow int) *float64 {
		if v == nil {
			return nil
		}
		x := float64(*v) * scale(flow)
		return &x
	}
	mulF := func(v *float64, flow int) *float64 {
		if v == nil {
			return nil
		}
		x := *v * scale(flow)
		return &x
	}
	row.ExportRevenueMAD = src.ExportRevenueMAD * scale(flowExports)
	row.TotalRevenueMAD = mulF(src.TotalRevenueMAD, flowTotal)
	row.InvestmentMAD = mulF(src.InvestmentMAD, flowInvestment)
	row.Hires = mulI(src.Hires, flowHires)
	row.HiresYouth = mulI(src.HiresYouth, flowHiresYouth)
	row.HiresDisabled = mulI(src.HiresDisabled, flowHiresDisabled)
	return row
}

// Flows scaled by the sector's growth, as indices into growth's sums.
const (
	flowExports = iota
	flowTotal
	flowInvestment
	flowHires
	flowHiresYouth
	flowHiresDisabled
	nFlows
)

// growth holds, per sector × period q and flow, the sums over the operators
// that reported both q and q-4 (matched sample): sums[0] over q, sums[1]
// over q-4.
type growth struct {
	sums map[sectorPeriod]*[2][nFlows]float64
}

// sectorPeriod is a sector × period.
type sectorPeriod struct {
	sector string
	p      domain.Period
}

func newGrowth(rs []domain.Return, reported map[opPeriod]*domain.Return) *growth {
	g := &growth{sums: map[sectorPeriod]*[2][nFlows]float64{}}
	for i := range rs {
		r := &rs[i]
		prev := reported[opPeriod{r.OperatorID, r.Period - 4}]
		if prev == nil {
			continue
		}
		k := sectorPeriod{r.Sector, r.Period}
		s := g.sums[k]
		if s == nil {
			s = new([2][nFlows]float64)
			g.sums[k] = s
		}
		add := func(flow int, a, b *float64) {
			if a == nil || b == nil {
				return
			}
			s[0][flow] += *a
			s[1][flow] += *b
		}
		addInt := func(flow int, a, b *int64) {
			if a == nil || b == nil {
				return
			}
			s[0][flow] += float64(*a)
			s[1][flow] += float64(*b)
		}
		add(flowExports, &r.ExportRevenueMAD, &prev.ExportRevenueMAD)
		add(flowTotal, r.TotalRevenueMAD, prev.TotalRevenueMAD)
		add(flowInvestment, r.InvestmentMAD, prev.InvestmentMAD)
		addInt(flowHires, r.Hires, prev.Hires)
		addInt(flowHiresYouth, r.HiresYouth, prev.HiresYouth)
		addInt(flowHiresDisabled, r.HiresDisabled, prev.HiresDisabled)
	}
	return g
}

// factor is the sector's growth of flow from q-4 to q; 1 when unknown.
func (g *growth) factor(sector string, flow int, q domain.Period) float64 {
	if s := g.sums[sectorPeriod{sector, q}]; s != nil && s[1][flow] > 0 {
		return s[0][flow] / s[1][flow]
	}
	return 1
}

func fromInt(v *int64) *float64 {
	if v == nil {
		return nil
	}
	x := float64(*v)
	return &x
}

func cloneF(v *float64) *float64 {
	if v == nil {
		return nil
	}
	x := *v
	return &x
}
