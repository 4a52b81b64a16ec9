package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
)

// maxCalc bounds the formulas without a cached value computed per file.
const maxCalc = 20000

// rowReader reads one data row, reporting each bad cell.
type rowReader struct {
	rd     *reader
	t      *table
	row    int
	failed bool
	done   map[int]bool // columns already reported: one problem per cell
}

func (rr *rowReader) bad(col int, column, code, found string, exp, msg text) {
	rr.failed = true
	if rr.done[col] {
		return
	}
	if rr.done == nil {
		rr.done = map[int]bool{}
	}
	rr.done[col] = true
	rr.rd.add(domain.SeverityError, rr.t.sheet, cellName(col, rr.row), column, code, found, exp, msg)
}

// cell returns the value of a canonical column and its index (-1 when
// absent). A formula without a cached value is computed; an error value
// (#REF!, #DIV/0!…) is reported and read as blank.
func (rr *rowReader) cell(name string) (string, int) {
	c := rr.t.col(name)
	if c < 0 {
		return "", -1
	}
	v := rr.t.get(rr.row, c)
	if v == "" {
		v = rr.compute(c)
	}
	for _, a := range rr.t.alt[name] { // "Région" blank: "Ville du site"
		if v != "" && !isNothing(v) {
			break
		}
		if w := rr.t.get(rr.row, a); w != "" {
			v, c = w, a
		}
	}
	if isNothing(v) {
		return "", c // "-", "n/a", "néant": blank
	}
	if isExcelError(v) {
		rr.bad(c, name, "formula_error", v, text{"a value", "une valeur"},
			text{"the cell holds a spreadsheet error (" + v + "): its formula is broken", "la cellule contient une erreur de tableur (" + v + ") : sa formule est cassée"})
		return "", c
	}
	return v, c
}

// compute returns the value of a formula cell saved without its result
// (some programs write formulas only), or "" for a blank cell.
func (rr *rowReader) compute(c int) string {
	rd, t := rr.rd, rr.t
	if t.part == nil || !t.part.formulas || t.part.size > worksheetLoadLimit || rd.calcs >= maxCalc || rd.stop.Load() {
		return ""
	}
	cell := cellName(c, rr.row)
	fx, err := rd.f.GetCellFormula(t.sheet, cell)
	if err != nil || fx == "" {
		return ""
	}
	rd.calcs++
	for _, e := range excelErrors {
		if strings.Contains(strings.ToUpper(fx), e) {
			return e // a formula referring to an error: =#REF!+1
		}
	}
	v, err := rd.f.CalcCellValue(t.sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil && !isExcelError(v) {
		if isExcelError(err.Error()) {
			return err.Error()
		}
		rr.bad(c, t.cols[c].Column, "formula_not_computed", "="+fx, text{"a value, or a formula saved with its result", "une valeur, ou une formule enregistrée avec son résultat"},
			text{"the formula has no saved result and could not be computed; save the file in a spreadsheet program that computes it, or type the value",
				"la formule n'a pas de résultat enregistré et n'a pas pu être calculée ; enregistrez le fichier dans un tableur qui la calcule, ou saisissez la valeur"})
		return ""
	}
	return strings.TrimSpace(v)
}

func (rr *rowReader) read() domain.Return {
	var r domain.Return
	rd := rr.rd
	if v, c := rr.cell("operator_id"); v == "" {
		rr.missing(c, "operator_id", text{"the operator's ICE (15 digits)", "l'ICE de l'opérateur (15 chiffres)"})
	} else if id, padded, ok := parseICEPadded(v); !ok {
		rr.bad(c, "operator_id", "bad_ice", v, text{"15 digits", "15 chiffres"}, text{"the ICE must be 15 digits", "l'ICE doit compter 15 chiffres"})
	} else if padded && !rr.numeric(c) {
		rr.bad(c, "operator_id", "bad_ice", v, text{"15 digits", "15 chiffres"}, text{
			fmt.Sprintf("the ICE typed as text has %d digits: it must have 15 (with its leading zeros)", digits(v)),
			fmt.Sprintf("l'ICE saisi comme texte compte %d chiffres : il en faut 15 (zéros de tête compris)", digits(v))})
	} else {
		r.OperatorID = id
		if padded && rd.padded < maxPaddedInfo {
			rd.padded++
			rd.add(domain.SeverityInfo, rr.t.sheet, cellName(c, rr.row), "operator_id", "ice_padded", v, text{}, text{
				"the ICE, stored as a number, lost its leading zeros: read as " + id,
				"l'ICE, enregistré comme un nombre, a perdu ses zéros de tête : lu " + id})
		}
	}
	if v, c := rr.cell("operator_name"); v == "" {
		rr.missing(c, "operator_name", text{"the company name", "la raison sociale"})
	} else if n := utf8.RuneCountInString(v); n > maxNameLen {
		rr.bad(c, "operator_name", "text_too_long", fmt.Sprintf("%.40s… (%d characters)", v, n), text{fmt.Sprintf("at most %d characters", maxNameLen), fmt.Sprintf("au plus %d caractères", maxNameLen)},
			text{"the company name is far too long to be one", "la raison sociale est bien trop longue pour en être une"})
	} else {
		r.OperatorName = v
	}
	if v, c := rr.cell("sector"); v == "" {
		rr.missing(c, "sector", text{"CRM, BPO, ITO, ESO or KPO", "CRM, BPO, ITO, ESO ou KPO"})
	} else if s, ok := rd.sectors.get(v, rd.x.Sector); !ok {
		rr.bad(c, "sector", "bad_sector", v, text{"CRM, BPO, ITO, ESO or KPO, or the name of one of these sectors", "CRM, BPO, ITO, ESO ou KPO, ou le nom de l'une de ces filières"},
			text{"unknown sector", "filière inconnue"})
	} else {
		r.Sector = s
	}
	if v, c := rr.cell("region"); v == "" {
		rr.missing(c, "region", text{"one of the 12 regions, or a city", "une des 12 régions, ou une ville"})
	} else if s, ok := rd.regions.get(v, rd.x.Region); !ok {
		rr.bad(c, "region", "bad_region", v, text{"one of the 12 regions (2015 division), or a city", "une des 12 régions (découpage de 2015), ou une ville"},
			text{"unknown region or city", "région ou ville inconnue"})
	} else {
		r.Region = s
	}
	now := rd.opts.Now
	if now.IsZero() {
		now = timeNow()
	}
	if v, c := rr.cell("period"); v == "" {
		rr.missing(c, "period", text{"a quarter such as 2016Q1", "un trimestre tel que 2016Q1 ou T1 2016"})
	} else if p, ok := rd.periods.get(v, func(v string) (domain.Period, bool) { return rd.x.parsePeriod(v, rd.date1904) }); !ok {
		msg, ok := rd.x.periodHint(v)
		if !ok {
			msg = text{"unreadable period: write the quarter, e.g. 2016Q1 or T1 2016", "période illisible : écrivez le trimestre, par exemple T1 2016 ou 2016Q1"}
		}
		rr.bad(c, "period", "bad_period", v, text{"a quarter such as 2016Q1, T1 2016 or a date", "un trimestre tel que T1 2016, 2016Q1 ou une date"}, msg)
	} else if first := max(rd.opts.FirstPeriod, domain.NewPeriod(2010, 1)); p < first {
		rr.bad(c, "period", "period_too_early", v, text{"a quarter from " + first.String() + " on", "un trimestre à partir de " + frQuarter(first)},
			text{fmt.Sprintf("the period %s is before %s, the first quarter collected", p, first), fmt.Sprintf("la période %s est antérieure à %s, le premier trimestre collecté", frQuarter(p), frQuarter(first))})
	} else if p > domain.PeriodOf(now) {
		rr.bad(c, "period", "period_in_future", v, text{fmt.Sprintf("a quarter up to %s", domain.PeriodOf(now)), fmt.Sprintf("un trimestre jusqu'à %s", domain.PeriodOf(now))},
			text{fmt.Sprintf("the period %s has not begun yet", p), fmt.Sprintf("la période %s n'a pas encore commencé", p)})
	} else {
		r.Period = p
	}
	if h := rr.integer("headcount", true, nil); h != nil {
		r.Headcount = *h
	}
	r.Hires = rr.integer("hires", false, nil)
	r.HiresYouth = rr.integer("hires_youth", false, r.Hires)
	r.HiresDisabled = rr.integer("hires_disabled", false, r.Hires)
	if e := rr.amount("export_revenue_mad", true); e != nil {
		r.ExportRevenueMAD = *e
	}
	r.TotalRevenueMAD = rr.amount("total_revenue_mad", false)
	r.InvestmentMAD = rr.amount("investment_mad", false)

	for _, sub := range []struct {
		name string
		v    *int64
	}{{"hires_youth", r.HiresYouth}, {"hires_disabled", r.HiresDisabled}} {
		if sub.v != nil && *sub.v > 0 && (r.Hires == nil || *sub.v > *r.Hires) {
			raw, c := rr.cell(sub.name)
			want := text{"no more than the hires of the period", "au plus les recrutements de la période"}
			if r.Hires != nil {
				want = text{fmt.Sprintf("at most %d (the hires of the period)", *r.Hires), fmt.Sprintf("au plus %d (les recrutements de la période)", *r.Hires)}
			}
			rr.bad(c, sub.name, "exceeds_hires", raw, want, text{rd.x.label(sub.name, "en") + " counts part of the hires, so it cannot exceed them",
				"« " + rd.x.label(sub.name, "fr") + " » compte une partie des recrutements et ne peut pas les dépasser"})
		}
	}
	if r.TotalRevenueMAD != nil && *r.TotalRevenueMAD < r.ExportRevenueMAD {
		raw, c := rr.cell("total_revenue_mad")
		rr.bad(c, "total_revenue_mad", "total_below_export", raw,
			text{fmt.Sprintf("at least %s MAD (the export revenue)", fmtNum(r.ExportRevenueMAD)), fmt.Sprintf("au moins %s MAD (le CA export)", fmtNum(r.ExportRevenueMAD))},
			text{"total revenue cannot be below export revenue", "le CA total ne peut pas être inférieur au CA export"})
	}
	return r
}

// frQuarter writes a quarter the French way: "T1 2015".
func frQuarter(p domain.Period) string {
	return fmt.Sprintf("T%d %d", p.Quarter(), p.Year())
}

// digits counts the digits of s.
func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// maxNameLen bounds an operator's name, in characters (the longest
// company names run to about 120).
const maxNameLen = 250

// maxPaddedInfo bounds the ice_padded lines of a file: a federation's
// workbook may hold thousands of ICEs stored as numbers.
const maxPaddedInfo = 20

// numeric reports whether the cell of column c was stored as a number (not
// as text). A sheet too large to load (streamed) is taken as numbers.
func (rr *rowReader) numeric(c int) bool {
	t := rr.t
	if t.part != nil && t.part.size > worksheetLoadLimit {
		return true
	}
	typ, err := rr.rd.f.GetCellType(t.sheet, cellName(c, rr.row))
	return err != nil || typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
}

// percentFormat reports whether the cell of column c is formatted as a
// percentage (its stored value is then a fraction: 1.55 is 155 %). A sheet
// too large to load (streamed) is taken as not.
func (rr *rowReader) percentFormat(c int) bool {
	t := rr.t
	if t.part != nil && t.part.size > worksheetLoadLimit {
		return false
	}
	id, err := rr.rd.f.GetCellStyle(t.sheet, cellName(c, rr.row))
	if err != nil {
		return false
	}
	st, err := rr.rd.f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	return st.NumFmt == 9 || st.NumFmt == 10 || st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "%")
}

func (rr *rowReader) missing(c int, name string, exp text) {
	rr.bad(c, name, "required", "", exp, text{rr.rd.x.label(name, "en") + " is missing", "« " + rr.rd.x.label(name, "fr") + " » est manquant"})
}

// integer reads a whole, non-negative count; nil when blank or bad. Counts
// of a percent column (or written with a %) are shares of base (the hires).
func (rr *rowReader) integer(name string, req bool, base *int64) *int64 {
	v, c := rr.cell(name)
	if c < 0 || v == "" {
		if req {
			rr.missing(c, name, text{"a whole number ≥ 0", "un nombre entier ≥ 0"})
		}
		return nil
	}
	n, ok := readNumber(v)
	f := n.v
	if ok && (n.percent || rr.t.cols[c].Percent) && base != nil {
		if !n.percent && f > 1 && !rr.percentFormat(c) {
			f /= 100 // 45 in a "%" column: 45 %; 0.45 or 1.55 formatted 0 %: 45 %, 155 %
		}
		if f > 1 { // a part of the hires above all of them
			rr.bad(c, name, "exceeds_hires", v, text{"a share of the hires, at most 100 %", "une part des recrutements, au plus 100 %"},
				text{rr.rd.x.label(name, "en") + " is a share of the hires: it cannot exceed 100 %", "« " + rr.rd.x.label(name, "fr") + " » est une part des recrutements : elle ne peut pas dépasser 100 %"})
			return nil
		}
		f = math.Round(f * float64(*base))
	} else if ok && n.hasAlt && f != math.Trunc(f) && n.alt == math.Trunc(n.alt) {
		f = n.alt // 1,234 or 1.234: a thousands separator in a count
	}
	if ok && math.Abs(f-math.Round(f)) < 1e-6 {
		f = math.Round(f) // 1199.9999999999998 from a formula
	}
	if !ok || f != math.Trunc(f) || f < 0 || f > 1e12 {
		rr.bad(c, name, "bad_count", v, text{"a whole number ≥ 0", "un nombre entier ≥ 0"},
			text{rr.rd.x.label(name, "en") + " must be a whole number of persons", "« " + rr.rd.x.label(name, "fr") + " » doit être un nombre entier de personnes"})
		return nil
	}
	if m := rr.rd.opts.MaxHeadcount; m > 0 && f > float64(m) {
		rr.beyond(c, name, v, text{fmt.Sprintf("at most %d", m), fmt.Sprintf("au plus %d", m)})
		return nil
	}
	return domain.Int64(int64(f))
}

// amount reads a non-negative amount, scaled to MAD by the unit of its
// header or of the sheet; nil when blank or bad.
func (rr *rowReader) amount(name string, req bool) *float64 {
	v, c := rr.cell(name)
	if c < 0 || v == "" {
		if req {
			rr.missing(c, name, text{"an amount in MAD ≥ 0", "un montant en MAD ≥ 0"})
		}
		return nil
	}
	n, ok := readNumber(v)
	factor := rr.t.cols[c].Factor
	if factor == 0 {
		factor = rr.t.factor
	}
	if factor == 0 {
		factor = 1
	}
	if ok && factor == 1 && n.hasAlt {
		// "548,000", "548.123" in MAD: MAD have two decimals, so three
		// digits after a single separator are thousands. In thousands or
		// millions of MAD, "15,234" is 15.234.
		n.v = n.alt
	}
	if !ok || n.percent || n.v < 0 || n.v*factor > 1e15 {
		rr.bad(c, name, "bad_amount", v, text{"an amount ≥ 0" + unitText(factor, "en"), "un montant ≥ 0" + unitText(factor, "fr")},
			text{rr.rd.x.label(name, "en") + " must be a non-negative amount", "« " + rr.rd.x.label(name, "fr") + " » doit être un montant positif ou nul"})
		return nil
	}
	mad := scale(n.v, factor)
	if m := rr.rd.opts.MaxAmountMAD; m > 0 && mad > m {
		rr.beyond(c, name, v, text{fmt.Sprintf("at most %s MAD in a quarter", fmtNum(m)), fmt.Sprintf("au plus %s MAD sur un trimestre", fmtNum(m))})
		return nil
	}
	return domain.Float64(mad)
}

// beyond reports a figure no operator could report: more persons than a
// whole filière employs, an amount above a filière's quarter.
func (rr *rowReader) beyond(c int, name, v string, exp text) {
	rr.bad(c, name, "implausible_figure", v, exp, text{
		rr.rd.x.label(name, "en") + " is beyond what any operator could report: check the figure and its unit",
		"« " + rr.rd.x.label(name, "fr") + " » dépasse ce qu'un opérateur peut déclarer : vérifiez le chiffre et son unité"})
}

func unitText(factor float64, lang string) string {
	switch {
	case factor == 1000 && lang == "fr":
		return " en milliers de MAD"
	case factor == 1000:
		return " in thousands of MAD"
	case factor == 1e6 && lang == "fr":
		return " en millions de MAD"
	case factor == 1e6:
		return " in millions of MAD"
	case lang == "fr":
		return " en MAD"
	}
	return " in MAD"
}

// scale multiplies v by a power-of-ten factor exactly as a person would,
// moving the decimal point of v's shortest decimal form (1234.567 thousand
// is 1234567, not 1234567.0000000002).
func scale(v, factor float64) float64 {
	if factor == 1 {
		return v
	}
	k := int(math.Round(math.Log10(factor)))
	if math.Pow(10, float64(k)) != factor || k <= 0 || k > 9 {
		return v * factor
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	frac += strings.Repeat("0", k)
	out, err := strconv.ParseFloat(intPart+frac[:k]+"."+frac[k:], 64)
	if err != nil {
		return v * factor
	}
	return out
}
