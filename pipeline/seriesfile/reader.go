package seriesfile

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// ErrFileType is returned (wrapped, after the file's name) by Read and
// ReadFile for a name that ends neither in .csv nor in .xlsx. Nothing has
// been read then: a command treats it as bad usage.
var ErrFileType = errors.New("want a .csv or .xlsx file")

// RowError is a problem with one cell of the input file. Read returns every
// one it finds, joined with errors.Join; errors.As finds the first.
type RowError struct {
	File   string // the name given to Read, or ReadFile's path
	Row    int    // 1-based line (CSV) or row (xlsx), header included
	Col    string // the column's name, as the header writes it
	Value  string // the cell's value, trimmed of spaces
	Want   string // what the cell should hold, for a person
	Series string // the row's series, when known
}

func (e *RowError) Error() string {
	if e.Series != "" {
		return fmt.Sprintf("%s: row %d, column %s, series %s: %q, want %s", e.File, e.Row, e.Col, e.Series, e.Value, e.Want)
	}
	return fmt.Sprintf("%s: row %d, column %s: %q, want %s", e.File, e.Row, e.Col, e.Value, e.Want)
}

// File is what Read finds in a file: its series, and how it writes them.
type File struct {
	// Name is the name given to Read, or ReadFile's path.
	Name string
	// Style is French for a semicolon-separated CSV file (as French Excel
	// writes one), English for any other file: the style Write's CSV
	// follows by default.
	Style Style
	// Series are the file's series, in the order in which their ids first
	// appear.
	Series []Series
}

// ReadFile reads the series of the file at path: a CSV file or the first
// sheet of an xlsx workbook, by the name's extension (see Read).
func ReadFile(path string) (*File, error) {
	xlsx, err := isXLSX(path)
	if err != nil {
		return nil, err
	}
	var t table
	if xlsx {
		t.records, err = decodeXLSXFile(path)
	} else {
		t, err = decodeCSVFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return readTable(t, path)
}

// Read reads the series of a table of series, periods and values from r, a
// CSV file or an xlsx workbook as name's extension (.csv or .xlsx, any
// case) says (see the package documentation for what it may hold), and
// returns them in the order in which their ids first appear. name names
// the file in errors. Every bad row is reported (see RowError), and then no
// series is returned; an unknown extension is ErrFileType.
func Read(r io.Reader, name string) (*File, error) {
	xlsx, err := isXLSX(name)
	if err != nil {
		return nil, err
	}
	var t table
	if xlsx {
		t.records, err = decodeXLSX(r)
	} else {
		t, err = decodeCSV(r)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return readTable(t, name)
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

// table is a decoded file: records of strings, the header among the first.
type table struct {
	records [][]string
	// lines are the 1-based lines at which records start (a CSV file's
	// blank lines and quoted line breaks make them differ from the
	// records' numbers); nil means record i is row i+1 (a workbook).
	lines []int
	// sep is a CSV file's separator; 0 for a workbook.
	sep rune
}

func (t table) line(i int) int {
	if t.lines != nil {
		return t.lines[i]
	}
	return i + 1
}

// The roles of the input's columns.
const (
	roleID = iota
	rolePeriod
	roleValue
	roleTarget
	nRoles
)

// roleNames are the header names (folded, punctuation made spaces, a
// parenthesis left out) of each role.
var roleNames = [nRoles][]string{
	roleID:     {"series id", "series", "serie", "serie id", "id serie", "id", "identifiant", "code", "nom", "name"},
	rolePeriod: {"period", "periode", "date", "trimestre", "mois", "annee", "year", "quarter", "month"},
	roleValue:  {"value", "valeur", "valeurs", "values", "montant", "observation"},
	roleTarget: {"target", "cible", "objectif"},
}

var (
	reParens      = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]`)
	rePunct       = regexp.MustCompile(`[\s_.\-:]+`)
	columnsWanted = "columns series_id (or série, identifiant, id), period (or période, date), value (or valeur) and optionally target (or cible)"
)

// roleOf returns the role a header cell names, or -1.
func roleOf(h string) int {
	h = strings.TrimSpace(rePunct.ReplaceAllString(reParens.ReplaceAllString(fold(strings.TrimPrefix(h, bom)), " "), " "))
	for r, names := range roleNames {
		if slices.Contains(names, h) {
			return r
		}
	}
	return -1
}

// headerRows is how many rows from the top may come before the header (a
// title, a blank line).
const headerRows = 10

// maxSpan is the most periods a series may span, from its first to its
// last.
const maxSpan = 5000

// point is one row of a series.
type point struct {
	per     period
	v       float64
	missing bool
	target  *float64
	line    int
}

// readTable reads the series of a decoded table.
func readTable(t table, name string) (*File, error) {
	recs := t.records
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file; want a header naming the %s, and one row per value", name, columnsWanted)
	}
	// The header is the first row naming a period and a value column.
	head, col := -1, [nRoles]int{}
	var colErrs []error
	for i := 0; i < len(recs) && i < headerRows && head < 0; i++ {
		c := [nRoles]int{-1, -1, -1, -1}
		var errs []error
		for j, h := range recs[i] {
			r := roleOf(h)
			if r < 0 {
				continue
			}
			if c[r] >= 0 {
				errs = append(errs, fmt.Errorf("%s: row %d: columns %q and %q both name the %s; keep one", name, t.line(i), strings.TrimSpace(recs[i][c[r]]), strings.TrimSpace(h), roleNames[r][0]))
				continue
			}
			c[r] = j
		}
		if c[rolePeriod] >= 0 && c[roleValue] >= 0 {
			head, col, colErrs = i, c, errs
		}
	}
	if head < 0 {
		lacks := "period and value columns"
		for _, h := range recs[0] {
			switch roleOf(h) {
			case rolePeriod:
				lacks = "value column"
			case roleValue:
				lacks = "period column"
			}
		}
		return nil, fmt.Errorf("%s: header %q lacks a %s; want %s", name, strings.Join(recs[0], string(max(t.sep, ','))), lacks, columnsWanted)
	}
	if len(colErrs) > 0 {
		return nil, errors.Join(colErrs...)
	}
	colName := func(r int) string {
		if col[r] < 0 {
			return roleNames[r][0]
		}
		return strings.TrimSpace(strings.TrimPrefix(recs[head][col[r]], bom))
	}
	cell := func(rec []string, r int) string {
		if j := col[r]; j >= 0 && j < len(rec) {
			return strings.TrimSpace(strings.TrimPrefix(rec[j], bom))
		}
		return ""
	}

	// The decimal mark: a point in a comma-separated file; in another CSV
	// file a comma, unless no value or target has one and some have a point.
	style, mark := English, markPoint
	switch {
	case t.sep == 0:
		mark = markEither
	case t.sep != ',':
		if t.sep == ';' {
			style = French
		}
		comma, point := false, false
		for _, rec := range recs[head+1:] {
			for _, r := range []int{roleValue, roleTarget} {
				c := cell(rec, r)
				comma = comma || strings.Contains(c, ",")
				point = point || strings.Contains(c, ".")
			}
		}
		if comma || !point {
			mark = markComma
		}
	}

	// Each row on its own.
	defaultID := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	byID := map[string][]point{}
	var order []string
	var errs []error
	for i := head + 1; i < len(recs); i++ {
		rec, line := recs[i], t.line(i)
		id, per, val, tgt := cell(rec, roleID), cell(rec, rolePeriod), cell(rec, roleValue), cell(rec, roleTarget)
		if id == "" && per == "" && val == "" && tgt == "" {
			continue
		}
		if col[roleID] < 0 {
			id = defaultID
		}
		rowErr := func(r int, value, want string) {
			errs = append(errs, &RowError{File: name, Row: line, Col: colName(r), Value: value, Want: want, Series: id})
		}
		if id == "" {
			rowErr(roleID, id, "a series name")
			continue
		}
		p := point{line: line}
		var ok bool
		if p.per, ok = parsePeriod(per); !ok {
			rowErr(rolePeriod, per, periodsWanted)
		}
		var st numberStatus
		p.v, st = parseNumber(val, mark)
		switch st {
		case numMissing:
			p.missing, p.v = true, math.NaN()
		case numBad:
			rowErr(roleValue, val, numbersWanted(mark))
			ok = false
		case numNonFinite:
			rowErr(roleValue, val, finiteWanted)
			ok = false
		}
		if tv, st := parseNumber(tgt, mark); st == numOK {
			p.target = &tv
		} else if st != numMissing {
			want := "a number, the series' target, or an empty cell"
			if st == numNonFinite {
				want = finiteWanted
			}
			rowErr(roleTarget, tgt, want)
			ok = false
		}
		if !ok {
			continue
		}
		if _, seen := byID[id]; !seen {
			order = append(order, id)
		}
		byID[id] = append(byID[id], p)
	}

	// Each series.
	var out []Series
	for _, id := range order {
		s, serrs := makeSeries(id, byID[id], name, colName)
		errs = append(errs, serrs...)
		if serrs == nil {
			out = append(out, s)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no data rows; want rows of %s under the header", name, columnsWanted)
	}
	return &File{Name: name, Style: style, Series: out}, nil
}

// makeSeries makes the series id of its rows pts, in file order, or says
// what is wrong with them.
func makeSeries(id string, pts []point, name string, colName func(int) string) (Series, []error) {
	var errs []error
	bad := func(p point, r int, value, want string) {
		errs = append(errs, &RowError{File: name, Row: p.line, Col: colName(r), Value: value, Want: want, Series: id})
	}
	// One frequency; a series of dates only gets the one they are spaced by.
	first := -1
	for i, p := range pts {
		if p.per.freq != 0 {
			first = i
			break
		}
	}
	if first < 0 {
		ps := make([]*period, len(pts))
		for i := range pts {
			ps[i] = &pts[i].per
		}
		resolveDates(ps)
		first = 0
	}
	s := Series{ID: id, Freq: pts[first].per.freq, style: pts[first].per.style}
	for _, p := range pts {
		if p.per.freq != s.Freq {
			like := fmt.Sprintf("as on row %d", pts[first].line)
			f := p.per.freq
			if f == 0 {
				f = 12 // a date: its month
			}
			if f > s.Freq { // a month in a quarterly series, a quarter in a yearly one...: name the period it falls in
				like = s.Label(floorDiv(p.per.k, f/s.Freq))
			}
			bad(p, rolePeriod, periodText(p.per), fmt.Sprintf("a %s period like the series' others (%s)", freqName(s.Freq), like))
		}
	}
	// One target.
	var target *point
	for i, p := range pts {
		if p.target == nil {
			continue
		}
		if target == nil {
			target = &pts[i]
		} else if *p.target != *target.target {
			bad(p, roleTarget, fmt.Sprint(*p.target), fmt.Sprintf("the series' target as on row %d (%v): one target per series", target.line, *target.target))
		}
	}
	if errs != nil {
		return s, errs
	}
	if target != nil {
		s.Target = target.target
	}
	// One value per period, from the first value to the last.
	slices.SortStableFunc(pts, func(a, b point) int { return a.per.k - b.per.k })
	lo, hi := -1, -1
	for i, p := range pts {
		if i > 0 && p.per.k == pts[i-1].per.k {
			bad(p, rolePeriod, s.Label(p.per.k), fmt.Sprintf("one value per period (%s also on row %d)", s.Label(p.per.k), pts[i-1].line))
		}
		if !p.missing {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	if errs != nil {
		return s, errs
	}
	if lo < 0 {
		bad(pts[0], roleValue, "", fmt.Sprintf("a number: series %s has no value at all", id))
		return s, errs
	}
	if span := pts[hi].per.k - pts[lo].per.k + 1; span > maxSpan {
		bad(pts[hi], rolePeriod, s.Label(pts[hi].per.k), fmt.Sprintf("a period less than %d periods after the series' first value (%s)", maxSpan, s.Label(pts[lo].per.k)))
		return s, errs
	}
	if lo > 0 {
		s.Warnings = append(s.Warnings, "no value at the start, left out: "+labels(&s, pts[:lo]))
	}
	if hi < len(pts)-1 {
		s.Warnings = append(s.Warnings, "no value at the end, left out: "+labels(&s, pts[hi+1:]))
	}
	s.First = pts[lo].per.k
	n := pts[hi].per.k - s.First + 1
	s.Values = make([]float64, n)
	s.Missing = make([]bool, n)
	for i := range s.Missing {
		s.Values[i], s.Missing[i] = math.NaN(), true
	}
	for _, p := range pts[lo : hi+1] {
		if !p.missing {
			s.Values[p.per.k-s.First], s.Missing[p.per.k-s.First] = p.v, false
		}
	}
	if !slices.Contains(s.Missing, true) {
		s.Missing = nil
	}
	return s, nil
}

// periodText writes a period in its own frequency, for an error message.
func periodText(p period) string {
	if p.freq == 0 {
		return p.style.label(p.k, 12)
	}
	return p.style.label(p.k, p.freq)
}

// labels lists the periods of pts, at most maxListed of them.
func labels(s *Series, pts []point) string {
	ks := make([]int, len(pts))
	for i, p := range pts {
		ks[i] = p.per.k
	}
	return listPeriods(s, ks)
}

// maxListed is the most periods a warning lists.
const maxListed = 6

// listPeriods writes the periods of index ks of s, at most maxListed of
// them and how many more.
func listPeriods(s *Series, ks []int) string {
	var b strings.Builder
	for i, k := range ks {
		if i == maxListed {
			fmt.Fprintf(&b, " and %d more", len(ks)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Label(k))
	}
	return b.String()
}
