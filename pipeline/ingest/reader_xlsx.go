package ingest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/pipeline/returns"
)

// headerScanRows is how far down a sheet the header row is looked for.
const headerScanRows = 30

// required columns: a header row must name all of them.
var required = []string{"operator_id", "operator_name", "sector", "region", "period", "headcount", "export_revenue_mad"}

// Options bound what Read does.
type Options struct {
	MaxRows int // rows read per sheet at most (0: no limit)
}

// Result is what Read made of one file.
type Result struct {
	Sheet    string // the sheet the returns were read from
	Returns  []returns.Return
	Problems []returns.Problem
}

// Rejected reports whether any problem is an error: the whole file is then refused.
func (r *Result) Rejected() bool {
	for _, p := range r.Problems {
		if p.Severity == returns.SeverityError {
			return true
		}
	}
	return false
}

// Read parses one workbook. name is the file name as received, sha its sha256
// (hex), receivedAt when it was received; these become every row's lineage.
// Read never panics on bad input: every problem found is in the Result.
func Read(name, sha string, data []byte, receivedAt time.Time, x *Matcher, opts Options) (res Result) {
	problem := func(sheet, cell, code, found, expected, msg string) {
		res.Problems = append(res.Problems, returns.Problem{File: name, SHA256: sha, Sheet: sheet, Cell: cell, Code: code,
			Severity: returns.SeverityError, Found: found, Expected: expected, Message: msg})
	}
	defer func() {
		if r := recover(); r != nil { // a bug in a library must not stop the run
			problem("", "", "unreadable", "", "an .xlsx workbook", fmt.Sprintf("the workbook could not be read (%v)", r))
			res.Returns = nil
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		problem("", "", "unreadable", "", "an .xlsx workbook (Excel 2007 or later)", fmt.Sprintf("the file is not a readable .xlsx workbook: %v", err))
		return res
	}
	defer f.Close()

	sheet, hdrRow, cols, rows := findTable(f, x)
	if sheet == "" {
		problem("", "", "no_header", "", "a header row naming "+strings.Join(required, ", "),
			fmt.Sprintf("no sheet has a header row (within its first %d rows) naming the required columns", headerScanRows))
		return res
	}
	res.Sheet = sheet
	for c, col := range cols {
		if col == "" && strings.TrimSpace(rows[hdrRow][c]) != "" {
			res.Problems = append(res.Problems, returns.Problem{File: name, SHA256: sha, Sheet: sheet, Cell: cellName(c, hdrRow),
				Code: "extra_column", Severity: returns.SeverityInfo, Found: rows[hdrRow][c], Message: "column not in the return; ignored"})
		}
	}
	seen := map[string]string{}
	for r := hdrRow + 1; r < len(rows); r++ {
		if opts.MaxRows > 0 && r-hdrRow > opts.MaxRows {
			problem(sheet, cellName(0, r), "too_many_rows", strconv.Itoa(len(rows)-hdrRow-1), fmt.Sprintf("at most %d rows", opts.MaxRows), "the sheet has more rows than ingest.max_rows allows")
			break
		}
		row := rows[r]
		if blank(row) {
			continue
		}
		rd := rowReader{x: x, sheet: sheet, row: r, cells: row, cols: cols, problem: problem}
		ret := rd.read()
		if rd.failed {
			continue
		}
		ret.SourceSHA256, ret.SourceName, ret.Sheet, ret.Row, ret.ReceivedAt = sha, name, sheet, r+1, receivedAt.UTC()
		if prev, dup := seen[ret.Key()]; dup {
			problem(sheet, cellName(0, r), "duplicate", ret.OperatorID+" "+ret.Period.String(), "one row per operator and period",
				"the same operator and period appear again (first at "+prev+")")
			continue
		}
		seen[ret.Key()] = cellName(0, r)
		res.Returns = append(res.Returns, ret)
	}
	if len(res.Returns) == 0 && !res.Rejected() {
		problem(sheet, "", "empty", "no data rows", "at least one return row", "the table has a header but no returns under it")
	}
	if res.Rejected() {
		res.Returns = nil
	}
	return res
}

// findTable picks the sheet and header row naming the most canonical
// columns; visible sheets are preferred over hidden ones. cols maps each
// column index to a canonical name ("" when the header is not one).
func findTable(f *excelize.File, x *Matcher) (sheet string, hdr int, cols []string, rows [][]string) {
	best := 0
	for _, hidden := range []bool{false, true} {
		for _, s := range f.GetSheetList() {
			if visible, _ := f.GetSheetVisible(s); visible == hidden {
				continue
			}
			rs, err := f.GetRows(s, excelize.Options{RawCellValue: true})
			if err != nil {
				continue
			}
			for r := 0; r < len(rs) && r < headerScanRows; r++ {
				names := make([]string, len(rs[r]))
				found := map[string]bool{}
				for c, h := range rs[r] {
					if name, ok := x.Column(h); ok && !found[name] {
						names[c], found[name] = name, true
					}
				}
				ok := true
				for _, want := range required {
					ok = ok && found[want]
				}
				if ok && len(found) > best {
					best, sheet, hdr, cols, rows = len(found), s, r, names, rs
				}
			}
		}
		if sheet != "" {
			return sheet, hdr, cols, rows
		}
	}
	return "", 0, nil, nil
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col+1, row+1)
	return n
}

// rowReader reads one data row, reporting each bad cell.
type rowReader struct {
	x       *Matcher
	sheet   string
	row     int
	cells   []string
	cols    []string
	problem func(sheet, cell, code, found, expected, msg string)
	failed  bool
}

func (rd *rowReader) bad(col int, code, found, expected, msg string) {
	rd.failed = true
	rd.problem(rd.sheet, cellName(col, rd.row), code, found, expected, msg)
}

// cell returns the raw text of the canonical column and its index (-1 when absent).
func (rd *rowReader) cell(name string) (string, int) {
	for c, n := range rd.cols {
		if n == name {
			if c < len(rd.cells) {
				return strings.TrimSpace(rd.cells[c]), c
			}
			return "", c
		}
	}
	return "", -1
}

func (rd *rowReader) read() returns.Return {
	var r returns.Return
	if v, c := rd.cell("operator_id"); v == "" {
		rd.bad(c, "required", "", "the operator's ICE (15 digits)", "the ICE is missing")
	} else if id, ok := parseICE(v); !ok {
		rd.bad(c, "bad_ice", v, "15 digits", "the ICE must be 15 digits")
	} else {
		r.OperatorID = id
	}
	if v, c := rd.cell("operator_name"); v == "" {
		rd.bad(c, "required", "", "the company name", "the company name is missing")
	} else {
		r.OperatorName = v
	}
	if v, c := rd.cell("sector"); v == "" {
		rd.bad(c, "required", "", "CRM, BPO, ITO, ESO or KPO", "the sector is missing")
	} else if s, ok := rd.x.Sector(v); !ok {
		rd.bad(c, "bad_sector", v, "CRM, BPO, ITO, ESO or KPO", "unknown sector")
	} else {
		r.Sector = s
	}
	if v, c := rd.cell("region"); v == "" {
		rd.bad(c, "required", "", "one of the 12 regions, or a city", "the region is missing")
	} else if s, ok := rd.x.Region(v); !ok {
		rd.bad(c, "bad_region", v, "one of the 12 regions (2015 division), or a city", "unknown region")
	} else {
		r.Region = s
	}
	if v, c := rd.cell("period"); v == "" {
		rd.bad(c, "required", "", "a quarter such as 2016Q1", "the period is missing")
	} else if p, err := returns.ParsePeriod(v); err != nil {
		rd.bad(c, "bad_period", v, "a quarter such as 2016Q1", "unreadable period")
	} else {
		r.Period = p
	}
	if h := rd.integer("headcount", true); h != nil {
		r.Headcount = *h
	}
	r.Hires = rd.integer("hires", false)
	r.HiresYouth = rd.integer("hires_youth", false)
	r.HiresDisabled = rd.integer("hires_disabled", false)
	if e := rd.amount("export_revenue_mad", true); e != nil {
		r.ExportRevenueMAD = *e
	}
	r.TotalRevenueMAD = rd.amount("total_revenue_mad", false)
	r.InvestmentMAD = rd.amount("investment_mad", false)

	for _, sub := range []struct {
		name string
		v    *int64
	}{{"hires_youth", r.HiresYouth}, {"hires_disabled", r.HiresDisabled}} {
		if sub.v != nil && (r.Hires == nil || *sub.v > *r.Hires) {
			raw, c := rd.cell(sub.name)
			want := "no more than the hires of the period"
			if r.Hires != nil {
				want = fmt.Sprintf("at most %d (the hires of the period)", *r.Hires)
			}
			rd.bad(c, "exceeds_hires", raw, want, sub.name+" counts part of the hires, so it cannot exceed them")
		}
	}
	if r.TotalRevenueMAD != nil && *r.TotalRevenueMAD < r.ExportRevenueMAD {
		raw, c := rd.cell("total_revenue_mad")
		rd.bad(c, "total_below_export", raw, fmt.Sprintf("at least %s (the export revenue)", strconv.FormatFloat(r.ExportRevenueMAD, 'f', -1, 64)),
			"total revenue cannot be below export revenue")
	}
	return r
}

// integer reads a whole, non-negative count; nil when blank or bad.
func (rd *rowReader) integer(name string, req bool) *int64 {
	v, c := rd.cell(name)
	if c < 0 && !req {
		return nil
	}
	if v == "" {
		if req {
			rd.bad(c, "required", "", "a whole number ≥ 0", name+" is missing")
		}
		return nil
	}
	f, ok := parseNumber(v)
	if !ok || f != math.Trunc(f) || f < 0 || f > 1e12 {
		rd.bad(c, "bad_count", v, "a whole number ≥ 0", name+" must be a whole number of persons")
		return nil
	}
	return returns.Int64(int64(f))
}

// amount reads a non-negative amount in MAD; nil when blank or bad.
func (rd *rowReader) amount(name string, req bool) *float64 {
	v, c := rd.cell(name)
	if c < 0 && !req {
		return nil
	}
	if v == "" {
		if req {
			rd.bad(c, "required", "", "an amount in MAD ≥ 0", name+" is missing")
		}
		return nil
	}
	f, ok := parseNumber(v)
	if !ok || f < 0 || f > 1e15 {
		rd.bad(c, "bad_amount", v, "an amount in MAD ≥ 0", name+" must be a non-negative amount in dirhams")
		return nil
	}
	return returns.Float64(f)
}

// parseNumber reads a number as Excel stores it ("1234.5", "1.2E+7") or as a
// person types it with spaces between thousands and a decimal comma
// ("1 234,5"). Anything else is refused.
func parseNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, s)
	if strings.Contains(s, ",") && !strings.Contains(s, ".") && strings.Count(s, ",") == 1 {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseICE accepts 15 digits, with spaces, or a number that lost its leading zeros.
func parseICE(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.ContainsAny(s, ".eE") && f == math.Trunc(f) && f >= 0 && f < 1e15 {
		s = strconv.FormatFloat(f, 'f', 0, 64) // stored as a number: 1.2345E+14
	}
	if len(s) == 0 || len(s) > 15 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return strings.Repeat("0", 15-len(s)) + s, true
}
