package seriesfile

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrFileType is returned (wrapped, after the file's name) by Read and
// ReadFile for a name that ends neither in .csv nor in .xlsx. Nothing has
// been read then: a command treats it as bad usage.
var ErrFileType = errors.New("want a .csv or .xlsx file")

// RowError is a problem with one cell of the input file. Read returns every
// one it finds, joined with errors.Join; errors.As finds the first.
type RowError struct {
	File  string // the name given to Read, or ReadFile's path
	Row   int    // 1-based line (CSV) or row (xlsx), header included
	Col   string // series_id, period or value
	Value string // the cell's value, trimmed of spaces
	Want  string // what the cell should hold, for a person
}

func (e *RowError) Error() string {
	return fmt.Sprintf("%s: row %d, column %s: %q, want %s", e.File, e.Row, e.Col, e.Value, e.Want)
}

// ReadFile reads the series of the file at path: a CSV file or the first
// sheet of an xlsx workbook, by the name's extension (see Read).
func ReadFile(path string) ([]Series, error) {
	xlsx, err := isXLSX(path)
	if err != nil {
		return nil, err
	}
	var records [][]string
	if xlsx {
		records, err = decodeXLSXFile(path)
	} else {
		records, err = decodeCSVFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return readTable(records, path)
}

// Read reads the series of a series_id,period,value table from r, a CSV
// file or an xlsx workbook as name's extension (.csv or .xlsx, any case)
// says, and returns them in the order in which their ids first appear. name
// names the file in errors. Every bad row is reported (see RowError), and
// then no series is returned; an unknown extension is ErrFileType.
func Read(r io.Reader, name string) ([]Series, error) {
	xlsx, err := isXLSX(name)
	if err != nil {
		return nil, err
	}
	var records [][]string
	if xlsx {
		records, err = decodeXLSX(r)
	} else {
		records, err = decodeCSV(r)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return readTable(records, name)
}

// isXLSX says whether name is a workbook (.xlsx) or a CSV file (.csv), by
// its extension in any case; any other name is ErrFileType.
func isXLSX(name string) (bool, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return false, nil
	case ".xlsx":
		return true, nil
	}
	return false, fmt.Errorf("%s: %w", name, ErrFileType)
}

// columns the input must have.
const (
	colID     = "series_id"
	colPeriod = "period"
	colValue  = "value"
)

// readTable reads the series of a decoded table whose first record is the
// header.
func readTable(records [][]string, name string) ([]Series, error) {
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty file; want a header series_id,period,value and one row per value", name)
	}
	col := map[string]int{}
	for j, h := range records[0] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = j
	}
	for _, c := range []string{colID, colPeriod, colValue} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: header %q lacks column %q; want series_id,period,value", name, strings.Join(records[0], ","), c)
		}
	}
	type point struct {
		k    int
		v    float64
		line int
	}
	byID := map[string][]point{}
	freq := map[string]int{}
	var order []string
	var errs []error
	cell := func(rec []string, name string) string {
		if j := col[name]; j < len(rec) {
			return strings.TrimSpace(rec[j])
		}
		return ""
	}
	for i, rec := range records[1:] {
		line := i + 2
		id, per, val := cell(rec, colID), cell(rec, colPeriod), cell(rec, colValue)
		if id == "" && per == "" && val == "" {
			continue
		}
		if id == "" {
			errs = append(errs, &RowError{name, line, colID, id, "a series name"})
			continue
		}
		k, f, ok := parsePeriod(per)
		if !ok {
			errs = append(errs, &RowError{name, line, colPeriod, per, periodsWanted})
			continue
		}
		v, ok := parseValue(val)
		if !ok {
			errs = append(errs, &RowError{name, line, colValue, val, "a number (decimal point, no thousands separator)"})
			continue
		}
		if _, seen := byID[id]; !seen {
			order = append(order, id)
			freq[id] = f
		} else if freq[id] != f {
			errs = append(errs, &RowError{name, line, colPeriod, per, fmt.Sprintf("the same frequency as the series' other periods (%s)", freqName(freq[id]))})
			continue
		}
		byID[id] = append(byID[id], point{k, v, line})
	}
	var out []Series
	for _, id := range order {
		pts := byID[id]
		slices.SortStableFunc(pts, func(a, b point) int { return a.k - b.k })
		s := Series{ID: id, Freq: freq[id], First: pts[0].k}
		bad := false
		for i, p := range pts {
			if i > 0 && p.k == pts[i-1].k {
				errs = append(errs, &RowError{name, p.line, colPeriod, s.Label(p.k), fmt.Sprintf("one value per period (also on row %d)", pts[i-1].line)})
				bad = true
			} else if i > 0 && p.k != pts[i-1].k+1 {
				errs = append(errs, &RowError{name, p.line, colPeriod, s.Label(p.k), fmt.Sprintf("the period after %s: series %s has a gap", s.Label(pts[i-1].k), id)})
				bad = true
			}
			s.Values = append(s.Values, p.v)
		}
		if !bad {
			out = append(out, s)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no data rows; want series_id,period,value rows under the header", name)
	}
	return out, nil
}

// parseValue parses a value cell: a finite number with a decimal point and
// no thousands separator.
func parseValue(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
