package ingest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/domain"
)

// headerScanRows is how far down a sheet the header row is looked for.
const headerScanRows = 30

// maxBlankRun is how many consecutive blank rows end a table: a sheet with a
// million formatted empty rows is not read to its end.
const maxBlankRun = 10000

// streamOver: a sheet whose XML is larger is streamed (see readTable);
// tests lower it.
var streamOver int64 = worksheetLoadLimit

// worksheetLoadLimit bounds the size of a sheet's XML that excelize may load
// whole (merged cells, formulas without a cached value).
const worksheetLoadLimit = 8 << 20

// required columns: a header row must name all of them.
var required = []string{"operator_id", "operator_name", "sector", "region", "period", "headcount", "export_revenue_mad"}

// amountColumns are in MAD, scaled by the unit of their header or of the sheet.
var amountColumns = []string{"export_revenue_mad", "total_revenue_mad", "investment_mad"}

// readHook, when set (by tests), is called on each file once excelize has
// opened it: a test makes it panic to check that the file is refused and
// the run goes on.
var readHook func(name string)

// reader holds the state of reading one file.
type reader struct {
	name, sha string
	x         *Matcher
	opts      Options
	stop      *atomic.Bool
	res       *Result
	f         *excelize.File
	date1904  bool
	calcs     int    // formulas computed so far
	padded    int    // ice_padded lines so far
	partial   *table // the row naming most columns, when none names all the required ones
	c         *container
	sst       []string // shared strings, for the fast row reader
	sstErr    error
	sstRead   bool
	totals    map[string]bool          // IsTotal's answers for this file's cells
	ops       map[string]*operatorRows // the operators read so far, by id (checkTable)
	stated    *statedUnit              // the first unit stated above a table of the file
	// The answers for this file's sectors, regions and periods: a
	// federation's workbook repeats a few of them on every row.
	sectors, regions memo[string]
	periods          memo[domain.Period]
	// whole opens the workbook whole, when f was opened without its large
	// sheets (container.slim); nil otherwise.
	whole func() (*excelize.File, error)
}

// memo remembers the answers of a lookup for one file (at most 4,096).
type memo[T any] struct {
	m map[string]memoEntry[T]
}

type memoEntry[T any] struct {
	v  T
	ok bool
}

func (m *memo[T]) get(k string, f func(string) (T, bool)) (T, bool) {
	e, hit := m.m[k]
	if !hit {
		if m.m == nil || len(m.m) >= maxMemo {
			m.m = map[string]memoEntry[T]{}
		}
		e.v, e.ok = f(k)
		m.m[k] = e
	}
	return e.v, e.ok
}

// isTotal is Matcher.IsTotal, remembered for the file: a federation's
// workbook repeats the same names, sectors, regions and periods on
// thousands of rows.
func (rd *reader) isTotal(v string) bool {
	t, ok := rd.totals[v]
	if !ok {
		if rd.totals == nil || len(rd.totals) >= 1<<16 {
			rd.totals = map[string]bool{}
		}
		t = rd.x.IsTotal(v)
		rd.totals[v] = t
	}
	return t
}

// text is a message in English and French.
type text struct{ en, fr string }

func (rd *reader) add(sev domain.Severity, sheet, cell, column, code, found string, exp, msg text) {
	rd.res.Problems = append(rd.res.Problems, domain.Problem{File: rd.name, SHA256: rd.sha, Sheet: sheet, Cell: cell, Column: column,
		Code: code, Severity: sev, Found: found, Expected: exp.en, ExpectedFR: exp.fr, Message: msg.en, MessageFR: msg.fr})
}

// fatal records an error about the whole file.
func (rd *reader) fatal(sheet, code, found string, exp, msg text) {
	rd.res.fatal = true
	rd.add(domain.SeverityError, sheet, "", "", code, found, exp, msg)
}

func read(name, sha string, data []byte, receivedAt time.Time, x *Matcher, opts Options, stop *atomic.Bool) (res Result) {
	res.OnError, res.name, res.sha = opts.OnError, name, sha
	rd := &reader{name: name, sha: sha, x: x, opts: opts, stop: stop, res: &res}
	defer func() {
		// A bug here or in a library must not stop the run (Read may run
		// in a goroutine of its own, where no caller could recover it): the
		// file is refused with internal_error, the panic kept for the log.
		if r := recover(); r != nil {
			res.Fault = &Fault{Value: fmt.Sprint(r), Stack: debug.Stack()}
			res.Refuse(InternalError(name, sha))
		}
	}()
	maxUnzip, maxXML := opts.MaxUnzipBytes, opts.MaxXMLBytes
	if maxUnzip <= 0 {
		maxUnzip = DefaultMaxUnzipBytes
	}
	if maxXML <= 0 || maxXML > maxUnzip {
		maxXML = min(DefaultMaxXMLBytes, maxUnzip)
	}
	c, fe := sniff(data, maxUnzip, maxXML, stop)
	if fe != nil {
		rd.fatal("", fe.code, fe.found, text{fe.expected, frExpected(fe.expected)}, text{fe.en, fe.fr})
		return res
	}
	rd.c = c
	open := func(b []byte) (*excelize.File, error) {
		return excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: min(maxXML, worksheetLoadLimit)})
	}
	book := data
	if b := c.stored(); b != nil {
		book = b // the same parts, already inflated once by the pre-scan
	} else if b := c.slim(data); b != nil {
		book = b
		rd.whole = func() (*excelize.File, error) { return open(data) }
	}
	f, err := open(book)
	if err == nil {
		c.rememberParts()
	}
	if err != nil {
		rd.fatal("", "unreadable", "", text{"an .xlsx workbook (Excel 2007 or later)", "un classeur .xlsx (Excel 2007 ou plus récent)"},
			text{"the file is not a readable .xlsx workbook: " + err.Error(), "le fichier n'est pas un classeur .xlsx lisible : " + err.Error()})
		return res
	}
	rd.f = f
	defer func() { rd.f.Close() }() // rd.f may have been opened whole since
	if readHook != nil {
		readHook(name)
	}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		rd.date1904 = *p.Date1904
	}
	tables := rd.findTables(c)
	if len(tables) == 0 {
		if !res.fatal {
			rd.noHeader()
		}
		return res
	}
	res.Sheet = tables[0].sheet
	rd.ops = map[string]*operatorRows{}
	for _, t := range tables {
		if t.stated != nil && rd.stated == nil {
			rd.stated = t.stated // the workbook's unit, for its sheets that state none
		}
	}
	if rd.opts.CountOnly {
		res.facts = []fact{} // not nil: Rows counts them
	}
	for _, t := range tables {
		res.Sheets = append(res.Sheets, t.sheet)
		rd.readTable(t, receivedAt)
		if res.fatal || rd.stop.Load() {
			break
		}
	}
	if res.Rows() == 0 && !res.HasErrors() {
		rd.fatal(res.Sheet, "empty", "", text{"at least one return row", "au moins une ligne de déclaration"},
			text{"the table has a header but no returns under it", "le tableau a des en-têtes mais aucune déclaration dessous"})
	}
	if res.Rejected() {
		res.SkippedRows += res.Rows()
		res.Returns, res.facts, res.operators = nil, nil, nil
	}
	return res
}

// table is the located return table of a sheet.
type table struct {
	sheet   string
	hidden  bool
	part    *sheetPart
	hdr     int        // 0-based header row (the lower one of a two-row header)
	first   int        // 0-based first data row
	cols    []Header   // by column index
	factor  float64    // unit of amounts stated above the table (0: none)
	rows    [][]string // the rows read from row off on, raw values, merged cells filled
	off     int        // the rows above were checked and let go (streamTable)
	columns map[string]int
	upper   map[int]bool // columns whose header takes words from the row above (two-row header)
	// readings are what each header cell says; ambiguous, another cell
	// naming a column as well as the one given it.
	readings  []headerReading
	texts     []string         // the header cells' texts (the group header's when a cell is blank)
	alt       map[string][]int // by column, the cells read where its own is blank
	guessed   map[int]bool     // cells read as the column they resemble most, no cell naming it clearly
	ambiguous map[string]int
	// lastRow is the last non-blank row checked; tables, for each repeated
	// header row, the last row of the table before it and its own row.
	lastRow int
	tables  [][2]int
	// stated is the unit stated on a line above the table (nil: none).
	stated *statedUnit
}

// row returns row r (0-based), nil when not read or let go.
func (t *table) row(r int) []string {
	if r < t.off || r-t.off >= len(t.rows) {
		return nil
	}
	return t.rows[r-t.off]
}

func (t *table) get(r, c int) string {
	row := t.row(r)
	if c < 0 || c >= len(row) {
		return ""
	}
	return trimAll(row[c])
}

func (t *table) col(name string) int {
	if c, ok := t.columns[name]; ok {
		return c
	}
	return -1
}

// readRows streams a sheet's rows, raw values, up to limit rows (0: all),
// stopping after maxBlankRun blank rows past the first non-blank ones. It
// reads the sheet's XML itself (rows_xml.go) and, when that XML is not
// plain enough for it, with excelize: the same rows either way.
func (rd *reader) readRows(sheet string, limit int) ([][]string, error) {
	if it, closer, ok := rd.fastRows(sheet); ok {
		rows, err := rd.collectRows(it, limit)
		closer.Close()
		if err != errFallback {
			return rows, err
		}
	}
	if rd.whole != nil { // opened slim: a large sheet was left out
		f, err := rd.whole()
		if err != nil {
			return nil, err
		}
		rd.f.Close()
		rd.f, rd.whole = f, nil
	}
	it, err := rd.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	return rd.collectRows(excelizeRows{it}, limit)
}

// rowIterator is excelize's Rows or rows_xml.go's rowScanner.
type rowIterator interface {
	Next() bool
	Columns() ([]string, error)
	Error() error
}

type excelizeRows struct{ *excelize.Rows }

func (r excelizeRows) Columns() ([]string, error) {
	return r.Rows.Columns(excelize.Options{RawCellValue: true})
}

// fastRows opens the fast reader on a sheet, when the pre-scan found its
// part whole.
func (rd *reader) fastRows(sheet string) (rowIterator, io.Closer, bool) {
	p := rd.c.sheets[sheet]
	if p == nil || p.file == nil || !p.complete {
		return nil, nil, false
	}
	if !rd.sstRead {
		rd.sstRead = true
		rd.sst, rd.sstErr = readSharedStrings(rd.c.sst, rd.c.sstData)
	}
	if rd.sstErr != nil {
		return nil, nil, false
	}
	if p.data != nil {
		return &rowScanner{s: newXMLScanner(bytes.NewReader(p.data)), sst: rd.sst}, io.NopCloser(nil), true
	}
	rc, err := p.file.Open()
	if err != nil {
		return nil, nil, false
	}
	return &rowScanner{s: newXMLScanner(rc), sst: rd.sst}, rc, true
}

func (rd *reader) collectRows(it rowIterator, limit int) ([][]string, error) {
	var rows [][]string
	err := rd.eachRow(it, limit, func(row []string) bool {
		rows = append(rows, row)
		return true
	})
	// Drop the trailing blank rows.
	for len(rows) > 0 && rows[len(rows)-1] == nil {
		rows = rows[:len(rows)-1]
	}
	return rows, err
}

// eachRow passes the rows of it to emit, raw values, a blank row as nil, up
// to limit rows (0: all), stopping after maxBlankRun blank rows past the
// first non-blank ones, or when emit returns false.
func (rd *reader) eachRow(it rowIterator, limit int, emit func([]string) bool) error {
	n, blankRun := 0, 0
	for it.Next() {
		if n%1024 == 0 && rd.stop.Load() {
			return errStopped
		}
		cols, err := it.Columns()
		if err != nil {
			return err
		}
		if blank(cols) {
			blankRun++
			if blankRun > maxBlankRun && n > headerScanRows {
				break
			}
			cols = nil
		} else {
			blankRun = 0
		}
		n++
		if !emit(cols) || limit > 0 && n >= limit {
			break
		}
	}
	return it.Error()
}

var errStopped = fmt.Errorf("stopped: time is up")

// fillMerged copies each merged range's value into all its cells, within
// the rows read and the first 256 columns.
func (rd *reader) fillMerged(sheet string, part *sheetPart, rows [][]string) {
	if part == nil || !part.merges || part.size > worksheetLoadLimit {
		return
	}
	mcs, err := rd.f.GetMergeCells(sheet)
	if err != nil {
		return
	}
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		v := mc.GetCellValue()
		if v == "" {
			continue
		}
		for r := r1 - 1; r < min(r2, len(rows)); r++ {
			for c := c1 - 1; c < min(c2, 256); c++ {
				for len(rows[r]) <= c {
					rows[r] = append(rows[r], "")
				}
				if rows[r][c] == "" {
					rows[r][c] = v
				}
			}
		}
	}
}

// findTable picks the sheet and header row naming the most canonical
// columns; visible sheets are preferred over hidden ones, and among equals
// the first sheet. A header may span two rows (a group header above, merged
// or not). Other sheets that also hold a table are reported.
func (rd *reader) findTables(c *container) []*table {
	var found []*table
	// Visible sheets first; a hidden or very hidden sheet (often a stale
	// copy, or the template's lists) is looked at only when no visible sheet
	// holds a return, nor the start of one.
	for _, hidden := range []bool{false, true} {
		visiblePartial := false
		for _, s := range rd.f.GetSheetList() {
			if visible, _ := rd.f.GetSheetVisible(s); visible == hidden {
				continue
			}
			part := c.sheets[s]
			if part != nil && !part.complete {
				continue // reported below if nothing else qualifies
			}
			rows, err := rd.readRows(s, headerScanRows+1)
			if err == errStopped {
				return nil
			}
			if err != nil {
				continue
			}
			rd.fillMerged(s, part, rows)
			partial := rd.partial
			tables := rd.headerIn(s, rows)
			for _, t := range tables {
				t.stated, t.part, t.hidden = rd.unitAbove(t, rows), part, hidden
			}
			found = append(found, tables...)
			visiblePartial = visiblePartial || len(tables) == 0 && rd.partial != partial
		}
		if len(found) > 0 || visiblePartial {
			break
		}
	}
	if len(found) == 0 {
		for s, p := range c.sheets {
			if !p.complete {
				rd.truncated(s, p)
			}
		}
		return nil
	}
	for _, t := range found {
		if n := len(rd.f.GetSheetList()); n > 1 || t.hidden {
			why := text{"", ""}
			if t.hidden {
				why = text{" (a hidden sheet: no visible sheet holds a table)", " (une feuille masquée : aucune feuille visible ne contient de tableau)"}
			}
			rd.add(domain.SeverityInfo, t.sheet, "", "", "sheet_used", t.sheet, text{}, text{
				fmt.Sprintf("returns were read from sheet %q%s", t.sheet, why.en),
				fmt.Sprintf("des déclarations ont été lues dans la feuille « %s »%s", t.sheet, why.fr)})
		}
	}
	truncated := map[string]bool{}
	for _, t := range found {
		truncated[t.sheet] = true
	}
	for s, p := range c.sheets {
		if !p.complete && !truncated[s] {
			rd.add(domain.SeverityWarning, s, "", "", "sheet_truncated", "", text{"a complete sheet", "une feuille complète"},
				text{"this sheet is damaged (its XML is cut short); it was not read", "cette feuille est endommagée (son XML est tronqué) ; elle n'a pas été lue"})
		}
	}
	return found
}

// statedUnit is a unit stated on a line above a table.
type statedUnit struct {
	factor            float64
	sheet, cell, text string
}

// unitAbove returns the unit stated on a line above table t ("Montants en
// milliers de dirhams", "* montants exprimés en KDH"), nil when none.
func (rd *reader) unitAbove(t *table, rows [][]string) *statedUnit {
	for r := 0; r < t.hdr && r < len(rows); r++ {
		for c, v := range rows[r] {
			if r == t.hdr-1 && t.upper[c] {
				continue // a group header over the table's columns: its unit is already theirs
			}
			if f := rd.x.UnitIn(trimAll(v)); f > 0 {
				return &statedUnit{f, t.sheet, cellName(c, r), trimAll(v)}
			}
		}
	}
	return nil
}

func (rd *reader) truncated(sheet string, p *sheetPart) {
	found := ""
	if p.lastRow > 0 {
		found = fmt.Sprintf("1–%d", p.lastRow)
	}
	exp := text{"a complete sheet", "une feuille complète"}
	if p.dimension != "" {
		exp = text{"rows up to the declared range " + p.dimension, "des lignes jusqu'à la plage déclarée " + p.dimension}
	}
	rd.fatal(sheet, "sheet_truncated", found, exp, text{
		"the sheet is damaged: its XML is cut short, so rows after the cut are lost; save the workbook again and resend it",
		"la feuille est endommagée : son XML est tronqué, les lignes après la coupure sont perdues ; enregistrez à nouveau le classeur et renvoyez-le"})
}

// maxHeaderWidth bounds the cells of a row read as headers: a return has
// a dozen columns, a sheet may have cells as far as column XFD.
const maxHeaderWidth = 256

// headerIn finds the best header row of a sheet's first rows: the one whose
// cells, read by meaning and given one column each (assign), name every
// required column and the most columns.
func (rd *reader) headerIn(sheet string, rows [][]string) []*table {
	var best *table
	var beside []*table
	// Rows are read until two past the first full header row: one below it
	// may complete a two-row header; further down are its returns.
	for r := 0; r < len(rows) && r < headerScanRows && (best == nil || r <= best.hdr+2); r++ {
		if filled(rows[r]) < 2 && (r == 0 || filled(rows[r-1]) < 2) {
			continue // a title line or a blank row: no header row of three columns or more
		}
		t := rd.headerRow(sheet, rows, r)
		ok := hasRequired(t)
		if (!ok || len(t.ambiguous) > 0) && (filled(rows[r]) >= 2*len(required) || r > 0 && filled(rows[r-1]) >= 2*len(required)) {
			// Two tables side by side (a quarter and the one before), each
			// naming every required column: read both.
			if tt := rd.sideBySide(sheet, rows, r); len(tt) > 1 {
				t, ok = tt[0], true
				if best == nil || len(t.columns) > len(best.columns) {
					best, beside = t, tt[1:]
				}
				continue
			}
		}
		if ok && (best == nil || len(t.columns) > len(best.columns)) {
			best, beside = t, nil
		}
		if !ok && len(t.columns) >= 3 && (rd.partial == nil || len(t.columns) > len(rd.partial.columns)) {
			rd.partial = t
		}
	}
	if best == nil {
		return nil
	}
	return append([]*table{best}, beside...)
}

// hasRequired reports whether a header row names every required column.
func hasRequired(t *table) bool {
	for _, want := range required {
		if _, has := t.columns[want]; !has {
			return false
		}
	}
	return true
}

// sideBySide reads row r (with the row above) as the header of tables side
// by side: runs of header cells separated by blank columns, each naming
// every required column on its own. It returns them, or fewer than two when
// the row is no such header.
func (rd *reader) sideBySide(sheet string, rows [][]string, r int) []*table {
	text := func(r, c int) bool {
		return r >= 0 && r < len(rows) && c < len(rows[r]) && trimAll(rows[r][c]) != ""
	}
	width := min(len(rows[r]), maxHeaderWidth)
	// The row above counts (group headers over blank cells) unless it holds
	// one text only: a title, which may run across the gap.
	upper := false
	if r > 0 {
		seen := map[string]bool{}
		for _, v := range rows[r-1] {
			if v = trimAll(v); v != "" {
				seen[v] = true
			}
		}
		upper = len(seen) > 1
	}
	var out []*table
	width = max(width, min(len(rows[max(r-1, 0)]), maxHeaderWidth))
	for a := 0; a < width; {
		if !text(r, a) && !(upper && text(r-1, a)) {
			a++
			continue
		}
		b := a
		for b < width && (text(r, b) || upper && text(r-1, b)) {
			b++
		}
		// The run [a, b), the other cells blanked.
		mask := func(row []string) []string {
			m := make([]string, b)
			if a < len(row) {
				copy(m[a:], row[a:min(len(row), b)])
			}
			return m
		}
		sub := [][]string{mask(rows[r])}
		if r > 0 {
			sub = [][]string{mask(rows[r-1]), mask(rows[r])}
		}
		t := rd.headerRow(sheet, sub, len(sub)-1)
		if hasRequired(t) {
			t.hdr, t.first = r, r+1
			out = append(out, t)
		}
		a = b
	}
	return out
}

// filled counts the non-blank cells of a row.
func filled(row []string) int {
	n := 0
	for _, v := range row {
		if trimAll(v) != "" {
			n++
		}
	}
	return n
}

// headerRow reads row r of rows as a header row: each cell on its own, or
// with the group header above it ("Recrutements" over "dont jeunes",
// "Chiffre d'affaires (KMAD)" over "Export", "CA export" over "(KMAD)").
func (rd *reader) headerRow(sheet string, rows [][]string, r int) *table {
	get := func(r, c int) string {
		if r < 0 || r >= len(rows) || c >= len(rows[r]) {
			return ""
		}
		return trimAll(rows[r][c])
	}
	x := rd.x
	width := len(rows[r])
	if r > 0 {
		width = max(width, len(rows[r-1]))
	}
	width = min(width, maxHeaderWidth)
	// A cell of the row above is a group header ("Embauches" over "Nombre"
	// and "dont jeunes"), unless it is a title line: a label and its value
	// ("Période : du 01/04/2021 au 30/06/2021"), or the row's one text,
	// over every cell of the row (a title merged across the table), over
	// one cell only ("2ème trimestre 2022" in A4), or a sentence.
	group := map[string]bool{}
	spans, over := true, 0
	for c := 0; r > 0 && c < width; c++ {
		if v := get(r-1, c); v != "" {
			group[v] = true
			over++
		} else if get(r, c) != "" {
			spans = false
		}
	}
	title := func(up string) bool {
		return strings.ContainsAny(up, ":：") || len(group) == 1 && (spans || over == 1 || strings.Count(strings.TrimSpace(up), " ") > 5)
	}
	t := &table{sheet: sheet, hdr: r, first: r + 1, cols: make([]Header, width), columns: map[string]int{}, upper: map[int]bool{},
		readings: make([]headerReading, width), texts: make([]string, width)}
	for c := 0; c < width; c++ {
		own, up := get(r, c), get(r-1, c)
		if !strings.ContainsFunc(own, unicode.IsLetter) && own != "" && !strings.Contains(own, "%") {
			t.texts[c] = own // a figure or a date is no header, alone or under a group header
			continue
		}
		h := x.reading(own)
		if h.best().score < x.accept && up != "" && title(up) {
			up = ""
		}
		if h.best().score < x.accept && r > 0 && up != "" {
			switch {
			case own == "":
				h = x.reading(up) // a header cell standing in the upper row only
				t.upper[c] = true
			case up != own:
				if hc := x.reading(up + " " + own); hc.best().score > h.best().score {
					h = hc
					t.upper[c] = true
				} else if hu := x.reading(up); hu.best().score >= x.accept && x.unitOnly(own) {
					// A unit row under a group header: "CA export" over "(KMAD)".
					h = hu
					h.factor = max(h.factor, x.UnitIn(own))
					t.upper[c] = true
				}
			}
		}
		t.readings[c], t.texts[c] = h, own
		if own == "" && up != "" && !title(up) {
			t.texts[c] = up
		}
	}
	for c, col := range x.assign(t.readings) {
		if col != "" {
			t.columns[col] = c
			t.cols[c] = Header{Column: col, Factor: t.readings[c].factor, Percent: t.readings[c].percent}
			if up := get(r-1, c); t.cols[c].Factor == 0 && slices.Contains(amountColumns, col) && up != "" && up != t.texts[c] && !title(up) {
				t.cols[c].Factor = x.UnitIn(up) // "Chiffre d'affaires (KMAD)" over "Export"
			}
		}
	}
	// A column no cell names clearly takes the one cell that names it best
	// by one of its key terms, when nothing else claims that cell ("ICE
	// entité juridique", "Métier exercé"): read, and warned of at its cell.
	for _, tc := range x.terms {
		if _, ok := t.columns[tc.name]; ok || len(t.columns) < 3 {
			continue // (a row naming fewer columns is no header: nothing to guess)
		}
		cell, tie := -1, false
		for c, h := range t.readings {
			b := h.best()
			if t.cols[c].Column != "" || b.column != tc.name || b.score < x.resemble || !x.strong(b) {
				continue
			}
			if cell >= 0 {
				switch d := b.better(t.readings[cell].best()); {
				case d < 0:
					cell, tie = c, false
				case d == 0:
					tie = true
				}
				continue
			}
			cell = c
		}
		if cell >= 0 && !tie {
			t.columns[tc.name] = cell
			t.cols[cell] = Header{Column: tc.name, Factor: t.readings[cell].factor, Percent: t.readings[cell].percent}
			if t.guessed == nil {
				t.guessed = map[int]bool{}
			}
			t.guessed[cell] = true
		}
	}
	// A cell that names a column by a key term, already given to a better
	// one ("Ville du site" beside "Région"), is its fallback: read where the
	// other is blank. A weak term ("Zone") is not enough.
	for c, h := range t.readings {
		if b := h.best(); t.cols[c].Column == "" && b.score >= x.accept && x.strong(b) {
			if _, ok := t.columns[b.column]; ok {
				if t.alt == nil {
					t.alt = map[string][]int{}
				}
				t.alt[b.column] = append(t.alt[b.column], c)
				t.cols[c] = Header{Factor: h.factor, Percent: h.percent}
			}
		}
	}
	t.ambiguous = x.ambiguous(t.readings, t.columns)
	return t
}

// assign gives each column the header cell that names it best, one cell per
// column and one column per cell, best first (headerScore.better; among
// equals, the leftmost cell). It returns the
// column of each cell ("" for none).
func (x *Matcher) assign(readings []headerReading) []string {
	type cand struct {
		cell int
		headerScore
	}
	var cands []cand
	for c, h := range readings {
		for _, s := range h.scores {
			if s.score >= x.accept {
				cands = append(cands, cand{c, s})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if d := a.better(b.headerScore); d != 0 {
			return d
		}
		return a.cell - b.cell
	})
	out := make([]string, len(readings))
	taken := map[string]bool{}
	for _, k := range cands {
		if out[k.cell] != "" || taken[k.column] {
			continue
		}
		out[k.cell], taken[k.column] = k.column, true
	}
	return out
}

// ambiguous returns, for each column given a cell, another cell of the row
// that names it exactly as well and names nothing better: two headers
// claiming one column ("Effectif" twice).
func (x *Matcher) ambiguous(readings []headerReading, columns map[string]int) map[string]int {
	var out map[string]int
	for col, c := range columns {
		s := readings[c].scoreOf(col)
		for o, h := range readings {
			if o == c || h.best().column != col {
				continue
			}
			if h.best().better(s) == 0 {
				if out == nil {
					out = map[string]int{}
				}
				out[col] = o
				break
			}
		}
	}
	return out
}

// reportHeaders reports what the chosen header row holds besides the
// columns read: two headers claiming one column (an error), headers that
// resemble a column but were not read (a warning at their cell), and extra
// columns (information).
func (rd *reader) reportHeaders(t *table) {
	x := rd.x
	for col, o := range t.ambiguous {
		c := t.columns[col]
		rd.add(domain.SeverityError, t.sheet, cellName(o, t.hdr), col, "ambiguous_header", t.texts[o],
			text{"one header per column", "un seul en-tête par colonne"},
			text{fmt.Sprintf("headers %s (%q) and %s (%q) both name %q: keep one, or word them apart", cellName(c, t.hdr), t.texts[c], cellName(o, t.hdr), t.texts[o], x.label(col, "en")),
				fmt.Sprintf("les en-têtes %s (« %s ») et %s (« %s ») désignent tous deux « %s » : n'en gardez qu'un, ou distinguez leurs libellés", cellName(c, t.hdr), t.texts[c], cellName(o, t.hdr), t.texts[o], x.label(col, "fr"))})
	}
	for c := range t.guessed {
		col := t.cols[c].Column
		rd.add(domain.SeverityWarning, t.sheet, cellName(c, t.hdr), col, "header_guessed", t.texts[c],
			text{fmt.Sprintf("a header naming the column clearly, such as %q", x.label(col, "en")), fmt.Sprintf("un en-tête qui désigne clairement la colonne, tel que « %s »", x.label(col, "fr"))},
			text{fmt.Sprintf("%q was read as %q, the column it resembles most, as no header names it clearly: please check", t.texts[c], x.label(col, "en")),
				fmt.Sprintf("« %s » a été lu comme « %s », la colonne à laquelle il ressemble le plus, faute d'un en-tête plus clair : merci de vérifier", t.texts[c], x.label(col, "fr"))})
	}
	for c, h := range t.cols {
		v := t.texts[c]
		if h.Column != "" || v == "" || x.unitOnly(v) {
			continue
		}
		near := t.readings[c].best()
		if o, amb := t.ambiguous[near.column]; amb && o == c {
			continue
		}
		switch {
		case slices.Contains(t.alt[near.column], c):
			rd.add(domain.SeverityInfo, t.sheet, cellName(c, t.hdr), near.column, "fallback_column", v, text{}, text{
				fmt.Sprintf("read as %q where %s is blank", x.label(near.column, "en"), cellName(t.columns[near.column], t.hdr)),
				fmt.Sprintf("lue comme « %s » là où %s est vide", x.label(near.column, "fr"), cellName(t.columns[near.column], t.hdr))})
		case near.score >= x.resemble:
			rd.add(domain.SeverityWarning, t.sheet, cellName(c, t.hdr), near.column, "header_unclear", v,
				text{fmt.Sprintf("a header naming one column clearly, such as %q", x.label(near.column, "en")), fmt.Sprintf("un en-tête qui désigne clairement une colonne, tel que « %s »", x.label(near.column, "fr"))},
				text{fmt.Sprintf("%q resembles %q but is not clear enough: this column was not read", v, x.label(near.column, "en")),
					fmt.Sprintf("« %s » ressemble à « %s » mais n'est pas assez clair : cette colonne n'a pas été lue", v, x.label(near.column, "fr"))})
		default:
			// The nearest column, if any, for the feedback's list of headers
			// not understood.
			rd.add(domain.SeverityInfo, t.sheet, cellName(c, t.hdr), near.column, "extra_column", v, text{}, text{"column not in the return; ignored", "colonne hors de la déclaration ; ignorée"})
		}
	}
}

// noHeader reports a workbook without a table. When a row names some of
// the columns, each required column missing there is an error at the
// header cell most likely meant, or at the row's first cell when none is
// close, listing the wordings that are read.
func (rd *reader) noHeader() {
	x := rd.x
	p := rd.partial
	if p == nil {
		rd.fatal("", "no_header", "", text{"a header row naming the company's ICE, name, sector, region, period, headcount and export revenue", "une ligne d'en-têtes nommant ICE, raison sociale, filière, région, période, effectif et CA export"},
			text{fmt.Sprintf("no sheet has a header row (within its first %d rows) naming the required columns", headerScanRows),
				fmt.Sprintf("aucune feuille n'a de ligne d'en-têtes (dans ses %d premières lignes) nommant les colonnes obligatoires", headerScanRows)})
		return
	}
	rd.res.fatal = true
	for _, want := range required {
		if _, ok := p.columns[want]; ok {
			continue
		}
		cell, best := -1, 0.0
		for c, h := range p.readings {
			if s := h.scoreOf(want).score; p.cols[c].Column == "" && s >= x.resemble && s > best {
				cell, best = c, s
			}
		}
		exp := text{"a header such as " + x.wordings(want, "en"), "un en-tête tel que " + x.wordings(want, "fr")}
		if cell >= 0 {
			rd.add(domain.SeverityError, p.sheet, cellName(cell, p.hdr), want, "no_header", p.texts[cell], exp,
				text{fmt.Sprintf("required column %q not found: this header resembles it but is not clear enough", x.label(want, "en")),
					fmt.Sprintf("colonne obligatoire « %s » introuvable : cet en-tête lui ressemble mais n'est pas assez clair", x.label(want, "fr"))})
			continue
		}
		rd.add(domain.SeverityError, p.sheet, cellName(0, p.hdr), want, "no_header", "", exp,
			text{fmt.Sprintf("required column %q not found in the header row", x.label(want, "en")),
				fmt.Sprintf("colonne obligatoire « %s » introuvable dans la ligne d'en-têtes", x.label(want, "fr"))})
	}
}

// unitOnly reports whether a cell holds only a unit ("(KMAD)", "en MAD", "%").
func (x *Matcher) unitOnly(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	n := unitForm(s)
	for _, u := range x.units {
		n = strings.Replace(n, " "+u.words+" ", " ", 1)
	}
	for _, w := range strings.Fields(n) {
		if !x.fillers[w] {
			return false
		}
	}
	return Normalize(s) != "" || strings.Contains(s, "%")
}

// readTable reads the chosen table's rows into returns and problems. A
// sheet too large for excelize to load (over worksheetLoadLimit: no merged
// cells filled, no formulas computed) is streamed: its rows are read in
// another goroutine while the ones read are checked, and each row is let go
// once checked, so that a federation file of 200,000 rows is never held
// whole in memory. The result is the same either way.
func (rd *reader) readTable(t *table, receivedAt time.Time) {
	if t.part != nil && !t.part.complete {
		rd.truncated(t.sheet, t.part)
		return
	}
	// A sheet whose values run past ingest.max_rows, in cells enough for
	// as many returns, is refused before its rows are read: a million
	// returns would be held before their count told.
	if p := t.part; p != nil && rd.opts.MaxRows > 0 && p.lastValueRow-1 >= t.first+rd.opts.MaxRows && p.values > int64(len(required))*int64(rd.opts.MaxRows) {
		rd.tooManyRows(t, p.lastValueRow-1)
		return
	}
	if p := t.part; p != nil && p.size > streamOver && (p.size > worksheetLoadLimit || !p.merges && !p.formulas) {
		if it, closer, ok := rd.fastRows(t.sheet); ok {
			done := rd.streamTable(t, receivedAt, it)
			closer.Close()
			if done {
				return
			}
			// The fast reader gave up: read the sheet with excelize.
		}
	}
	rows, err := rd.readRows(t.sheet, rd.rowLimit(t))
	if err == errStopped {
		return
	}
	if err != nil {
		rd.unreadable(t, err)
		return
	}
	rd.fillMerged(t.sheet, t.part, rows)
	t.rows = rows
	if rd.tooManyRows(t, len(rows)-1) {
		return
	}
	rd.checkTable(t, receivedAt, func(r int) bool { return r < len(t.rows) })
}

// rowLimit is how many rows readTable reads at most: one more than
// ingest.max_rows allows, to tell a sheet with too many.
func (rd *reader) rowLimit(t *table) int {
	if rd.opts.MaxRows > 0 {
		return t.first + rd.opts.MaxRows + 1
	}
	return 0
}

// tooManyRows reports (and records) a table whose last non-blank row,
// 0-based, is past ingest.max_rows.
func (rd *reader) tooManyRows(t *table, last int) bool {
	if rd.opts.MaxRows <= 0 || last < t.first+rd.opts.MaxRows {
		return false
	}
	rd.fatal(t.sheet, "too_many_rows", fmt.Sprintf("> %d", rd.opts.MaxRows), text{fmt.Sprintf("at most %d rows", rd.opts.MaxRows), fmt.Sprintf("au plus %d lignes", rd.opts.MaxRows)},
		text{"the sheet has more rows than a return may hold: split it into several files", "la feuille a plus de lignes qu'une déclaration ne peut en compter : répartissez-la en plusieurs fichiers"})
	return true
}

func (rd *reader) unreadable(t *table, err error) {
	rd.fatal(t.sheet, "unreadable", "", text{"a readable sheet", "une feuille lisible"},
		text{"the sheet could not be read: " + err.Error(), "la feuille n'a pas pu être lue : " + err.Error()})
}

// streamTable is readTable for a large sheet, its rows read by it in another
// goroutine. It reports false, having changed nothing, when the fast reader
// gave up (errFallback) and the sheet must be read otherwise. A sheet found
// at its end to be unreadable or to have too many rows gets the result
// readTable gives it without streaming: what was checked is undone.
func (rd *reader) streamTable(t *table, receivedAt time.Time, it rowIterator) bool {
	batches := make(chan [][]string, 4)
	quit := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(batches)
		var batch [][]string
		send := func() bool {
			select {
			case batches <- batch:
				batch = nil
				return true
			case <-quit:
				return false
			}
		}
		err := rd.eachRow(it, rd.rowLimit(t), func(row []string) bool {
			batch = append(batch, row)
			return len(batch) < 1024 || send()
		})
		if len(batch) > 0 {
			send()
		}
		errc <- err
	}()
	last := -1 // the last non-blank row read
	more := func(r int) bool {
		for r >= t.off+len(t.rows) {
			b, ok := <-batches
			if !ok {
				return false
			}
			// The data rows before r-1 are checked: drop them, so that
			// t.rows holds about two batches at a time.
			if k := r - 1 - t.off; k > 0 && r-1 > t.first {
				n := copy(t.rows, t.rows[k:])
				clear(t.rows[n:])
				t.rows, t.off = t.rows[:n], t.off+k
			}
			for i, row := range b {
				if row != nil {
					last = t.off + len(t.rows) + i
				}
			}
			t.rows = append(t.rows, b...)
		}
		return true
	}
	res := rd.res
	problems, skipped, declared := len(res.Problems), res.SkippedRows, res.DeclaredAt
	returned, facts, operators, known := len(res.Returns), len(res.facts), len(res.operators), len(rd.ops)
	undo := func() {
		res.Problems, res.SkippedRows, res.DeclaredAt = res.Problems[:problems], skipped, declared
		res.Returns, res.facts, res.operators = res.Returns[:returned], res.facts[:min(len(res.facts), facts)], res.operators[:operators]
		rd.forget(uint16(len(res.Sheets)-1), known)
	}
	first := t.first
	rd.checkTable(t, receivedAt, more)
	close(quit)
	for range batches { // let the reader finish
	}
	err := <-errc
	switch {
	case err == errStopped:
	case err == errFallback:
		undo()
		t.first, t.rows, t.off = first, nil, 0
		return false
	case err != nil:
		undo()
		rd.unreadable(t, err)
	default:
		t.first = first
		if rd.opts.MaxRows > 0 && last >= first+rd.opts.MaxRows {
			undo()
			rd.tooManyRows(t, last)
		}
	}
	return true
}

// checkTable checks the table's rows into returns and problems. more(r)
// makes row r available in t.rows and reports whether there is one.
func (rd *reader) checkTable(t *table, receivedAt time.Time, more func(r int) bool) {
	res := rd.res
	more(t.first + 1) // the header block and a unit row under it
	// A unit row just under the header: "(KMAD)", "MAD", "%". (Other rows
	// of hints, column numbers among them, are passed by hintRow.)
	if rd.unitRow(t, t.first) {
		t.first++
	}
	rd.reportHeaders(t)
	// A unit stated above the table: "Montants en milliers de dirhams".
	if t.stated != nil {
		t.factor = t.stated.factor
		rd.add(domain.SeverityInfo, t.sheet, t.stated.cell, "", "unit", t.stated.text, text{}, text{
			fmt.Sprintf("amounts without a unit in their header are read in MAD × %s", fmtNum(t.factor)),
			fmt.Sprintf("les montants sans unité dans leur en-tête sont lus en MAD × %s", fmtNum(t.factor))})
	}
	// Or in the sheet's tab name ("Déclaration KMAD"), or the workbook's
	// title, when an amount column's header names no unit.
	unitless := false
	for _, name := range amountColumns {
		if c := t.col(name); c >= 0 && t.cols[c].Factor == 0 {
			unitless = true
		}
	}
	if t.factor == 0 && unitless {
		if u := rd.stated; u != nil && u.sheet != t.sheet {
			// Above the table of another sheet: the workbook's unit.
			t.factor = u.factor
			rd.add(domain.SeverityInfo, t.sheet, "", "", "unit", u.text, text{}, text{
				fmt.Sprintf("amounts without a unit in their header are read in MAD × %s, as sheet %q says (%s)", fmtNum(u.factor), u.sheet, u.cell),
				fmt.Sprintf("les montants sans unité dans leur en-tête sont lus en MAD × %s, comme l'indique la feuille « %s » (%s)", fmtNum(u.factor), u.sheet, u.cell)})
		} else if f := rd.x.UnitIn(t.sheet); f > 0 {
			t.factor = f
			rd.add(domain.SeverityInfo, t.sheet, "", "", "unit", t.sheet, text{}, text{
				fmt.Sprintf("amounts without a unit in their header are read in MAD × %s, as the sheet's name says", fmtNum(f)),
				fmt.Sprintf("les montants sans unité dans leur en-tête sont lus en MAD × %s, comme le dit le nom de la feuille", fmtNum(f))})
		} else if p, err := rd.f.GetDocProps(); err == nil && p != nil && rd.x.UnitIn(p.Title) > 0 {
			t.factor = rd.x.UnitIn(p.Title)
			rd.add(domain.SeverityInfo, t.sheet, "", "", "unit", p.Title, text{}, text{
				fmt.Sprintf("amounts without a unit in their header are read in MAD × %s, as the workbook's title says", fmtNum(t.factor)),
				fmt.Sprintf("les montants sans unité dans leur en-tête sont lus en MAD × %s, comme le dit le titre du classeur", fmtNum(t.factor))})
		}
	}
	for _, name := range amountColumns {
		c := t.col(name)
		if c >= 0 && t.cols[c].Factor > 1 {
			rd.add(domain.SeverityInfo, t.sheet, cellName(c, t.hdr), name, "unit", t.get(t.hdr, c), text{}, text{
				fmt.Sprintf("amounts of this column are read in MAD × %s", fmtNum(t.cols[c].Factor)),
				fmt.Sprintf("les montants de cette colonne sont lus en MAD × %s", fmtNum(t.cols[c].Factor))})
		}
	}
	rd.declaredDate(t)

	// rd.ops holds the operators read, each with the periods read for it
	// (in every table of the file), for duplicates; their ids are kept once
	// each (a federation's workbook repeats each operator on every quarter).
	ops := rd.ops
	sheet := uint16(len(res.Sheets) - 1)
	if p := t.part; p != nil && p.lastRow > t.first && res.Rows() == 0 {
		// Room for the rows the sheet declares, so that a large table's
		// returns are not copied as they grow (bounded by its size: a row
		// of a return takes far more than 100 bytes of XML).
		n := min(p.lastRow-t.first, int(p.size/100)+1, 1<<20)
		if rd.opts.CountOnly {
			res.facts = make([]fact, 0, n)
		} else {
			res.Returns = make([]domain.Return, 0, n)
		}
	}
	var sumHead float64
	var sumRows int
	var warnings []domain.Problem // of the returns read (exportPerEmployee)
	afterTotal := false
	for r := t.first; more(r); r++ {
		if r > t.first {
			t.rows[r-1-t.off] = nil // checked: let it go
		}
		if (r-t.first)%1024 == 0 && rd.stop.Load() {
			return
		}
		row := t.row(r)
		if blank(row) {
			continue
		}
		if r <= t.headerAt()+4 && rd.hintRow(t, r) {
			continue // under the header: units, "(15 chiffres)", "(1)", "(2)"…
		}
		if n := rd.repeatedHeader(t, r, more); n > 0 {
			t.tables = append(t.tables, [2]int{t.lastRow, r})
			sumHead, sumRows, afterTotal = 0, 0, false
			r += n - 1 // a two-row header: its second row too
			continue
		}
		t.lastRow = r
		if lbl, ok := rd.totalsRow(t, r, sumHead, sumRows); ok {
			rd.add(domain.SeverityInfo, t.sheet, cellName(0, r), "", "totals_row", lbl, text{}, text{"totals row: not ingested", "ligne de totaux : non intégrée"})
			n := Normalize(lbl)
			if !strings.HasPrefix(n, "sous") && !strings.HasPrefix(n, "sub") {
				afterTotal = true
			}
			sumHead, sumRows = 0, 0
			continue
		}
		if rd.noteRow(t, r, afterTotal) {
			rd.add(domain.SeverityInfo, t.sheet, cellName(firstNonBlank(row), r), "", "note_row", t.get(r, firstNonBlank(row)), text{}, text{"note, not a return: ignored", "note, pas une déclaration : ignorée"})
			continue
		}
		if rd.unfilledRow(t, r) {
			rd.add(domain.SeverityInfo, t.sheet, cellName(firstNonBlank(row), r), "", "unfilled_row", t.get(r, firstNonBlank(row)), text{},
				text{"row without any figure (headcount, hires, revenue, investment): not a return, ignored",
					"ligne sans aucun chiffre (effectif, recrutements, chiffre d'affaires, investissements) : pas une déclaration, ignorée"})
			continue
		}
		rr := rowReader{rd: rd, t: t, row: r}
		ret := rr.read()
		if rr.failed {
			res.SkippedRows++
			continue
		}
		sumHead += float64(ret.Headcount)
		sumRows++
		ret.SourceSHA256, ret.SourceName, ret.Sheet, ret.Row, ret.ReceivedAt = rd.sha, rd.name, t.sheet, r+1, receivedAt.UTC()
		op := ops[ret.OperatorID]
		if op == nil {
			op = &operatorRows{id: ret.OperatorID, index: int32(len(ops))}
			ops[ret.OperatorID] = op
			if rd.opts.CountOnly {
				res.operators = append(res.operators, op.id)
			}
		}
		ret.OperatorID = op.id
		if prev, dup := op.row(ret.Period); dup {
			first := cellName(int(prev.col), int(prev.row))
			if prev.sheet != sheet {
				first = res.Sheets[prev.sheet] + "!" + first
			}
			rd.add(domain.SeverityError, t.sheet, cellName(t.col("operator_id"), r), "operator_id", "duplicate", ret.OperatorID+" "+ret.Period.String(),
				text{"one row per operator and period", "une ligne par opérateur et par période"},
				text{"the same operator and period appear again (first at " + first + ")", "le même opérateur et la même période apparaissent à nouveau (d'abord en " + first + ")"})
			res.SkippedRows++
			continue
		}
		ret.Row = r + 1
		if w, odd := rd.exportPerEmployee(t, &ret); odd && w.Severity == domain.SeverityError {
			res.Problems = append(res.Problems, w)
			res.SkippedRows++
			continue
		} else if odd {
			warnings = append(warnings, w)
		}
		op.periods = append(op.periods, periodRow{period: int32(ret.Period), row: int32(r), col: int16(t.col("operator_id")), sheet: sheet})
		if rd.opts.CountOnly {
			res.facts = append(res.facts, fact{op: op.index, row: int32(ret.Row), sheet: sheet, period: ret.Period, headcount: ret.Headcount})
		} else {
			res.Returns = append(res.Returns, ret)
		}
	}
	rd.reportTables(t)
	// The warnings follow the errors of the rows; the headcount check is
	// done by CheckHeadcounts, in the caller's goroutine.
	res.Problems = append(res.Problems, warnings...)
	res.headcountCols = append(res.headcountCols, t.col("headcount"))
}

// forget drops what was read of sheet (an index in Result.Sheets) from
// rd.ops, when its reading is undone (streamTable): the operators first
// read there (all but the first known), and the periods read there.
func (rd *reader) forget(sheet uint16, known int) {
	for id, op := range rd.ops {
		if int(op.index) >= known {
			delete(rd.ops, id)
			continue
		}
		op.periods = slices.DeleteFunc(op.periods, func(p periodRow) bool { return p.sheet == sheet })
	}
}

// operatorRows is an operator read in a table and the periods read for it.
type operatorRows struct {
	id      string
	index   int32 // in the order first read
	periods []periodRow
}

// periodRow is a period read and where: its row (0-based), the ICE's
// column and the sheet (an index in Result.Sheets).
type periodRow struct {
	period, row int32
	col         int16
	sheet       uint16
}

// row returns the row where period p was read for the operator. A valid
// period is between 2010Q1 and the run's quarter: an operator has a few
// dozen at most.
func (o *operatorRows) row(p domain.Period) (periodRow, bool) {
	for _, pr := range o.periods {
		if pr.period == int32(p) {
			return pr, true
		}
	}
	return periodRow{}, false
}

func firstNonBlank(row []string) int {
	for c, v := range row {
		if trimAll(v) != "" {
			return c
		}
	}
	return 0
}

// hintRow reports whether row r, just under the header, holds only hints
// about the columns: units ("(KMAD)", recorded on their columns), bracketed
// notes ("(15 chiffres)", "(nb)") or column numbers ("(1)", "2", "C").
func (rd *reader) hintRow(t *table, r int) bool {
	n := 0
	for c := range t.row(r) {
		v := t.get(r, c)
		if v == "" {
			continue
		}
		if num, ok := readNumber(v); ok && math.Abs(num.v) > 99 {
			return false // a figure, an ICE: a return
		}
		bracketed := strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") && len(v) <= 40
		if !bracketed && !rd.x.unitOnly(v) && !columnNumber.MatchString(v) && !rd.x.wordless(v) {
			return false
		}
		n++
	}
	if n < 2 {
		return false
	}
	for c := range t.row(r) {
		if c < len(t.cols) && t.cols[c].Column != "" && t.cols[c].Factor == 0 {
			t.cols[c].Factor = rd.x.UnitIn(t.get(r, c))
		}
	}
	return true
}

// headerAt returns the row of the latest header read: the table's, or
// that of its last repeated header.
func (t *table) headerAt() int {
	if n := len(t.tables); n > 0 {
		return t.tables[n-1][1]
	}
	return t.hdr
}

// columnNumber matches a cell numbering a column: "(1)", "2", "C", "(b)".
var columnNumber = regexp.MustCompile(`^\(?(?:[0-9]{1,2}|[A-Za-z])\)?\.?$`)

// unitRow reports whether row r holds only units under the header, and
// records them on the columns.
func (rd *reader) unitRow(t *table, r int) bool {
	if blank(t.row(r)) {
		return false
	}
	for c := range t.row(r) {
		if v := t.get(r, c); v != "" && !rd.x.unitOnly(v) {
			return false
		}
	}
	for c := range t.row(r) {
		if c < len(t.cols) && t.cols[c].Column != "" {
			v := t.get(r, c)
			t.cols[c].Factor = max(t.cols[c].Factor, rd.x.UnitIn(v))
			if strings.Contains(v, "%") {
				t.cols[c].Percent = true
			}
		}
	}
	return true
}

// totalsRow reports whether row r is a totals row: a cell says "Total" (or
// "Sous-total CRM"…), wherever it stands in the row, and the row has no
// operator's ICE or its headcount is the sum of the rows above it; or its
// identifying cells are blank and its headcount is that sum. A leading word
// alone never makes one: "Total Call Center Maroc", with its ICE, is an
// operator.
func (rd *reader) totalsRow(t *table, r int, sumHead float64, sumRows int) (string, bool) {
	sums := func() bool {
		if sumRows < 2 {
			return false
		}
		n, ok := readNumber(t.get(r, t.col("headcount")))
		return ok && n.v == sumHead
	}
	for c := range t.row(r) {
		v := t.get(r, c)
		if v == "" || !rd.isTotal(v) {
			continue
		}
		if _, isICE := parseICE(t.get(r, t.col("operator_id"))); !isICE || sums() {
			return v, true
		}
		break
	}
	for _, id := range []string{"operator_id", "operator_name", "period"} {
		if t.get(r, t.col(id)) != "" {
			return "", false
		}
	}
	if sums() {
		return t.get(r, t.col("headcount")), true
	}
	return "", false
}

// repeatedHeader returns how many rows (1 or 2) from row r repeat a header
// inside the table (the previous quarter's table below the current one, a
// header printed on every page), 0 when none: the rows after it are read
// with its columns, as a second table. more(r) makes row r available.
func (rd *reader) repeatedHeader(t *table, r int, more func(int) bool) int {
	if _, isICE := parseICE(t.get(r, t.col("operator_id"))); isICE {
		return 0
	}
	if _, isNum := readNumber(t.get(r, t.col("headcount"))); isNum {
		return 0
	}
	h, n := rd.headerRow(t.sheet, [][]string{t.row(r)}, 0), 1
	for _, want := range required {
		if _, ok := h.columns[want]; !ok {
			return 0
		}
	}
	// A second header row under it ("Tous âges", "dont jeunes" under
	// "Recrutements") makes a two-row header naming more columns.
	if more(r+1) && !blank(t.row(r+1)) {
		if h2 := rd.headerRow(t.sheet, [][]string{t.row(r), t.row(r + 1)}, 1); len(h2.columns) > len(h.columns) {
			h, n = h2, 2
		}
	}
	t.cols, t.columns, t.readings, t.texts, t.alt, t.guessed, t.upper = h.cols, h.columns, h.readings, h.texts, h.alt, h.guessed, nil
	for c := range t.cols { // the units of the first table's header hold, unless this one says otherwise
		if t.cols[c].Column != "" && t.cols[c].Factor == 0 {
			t.cols[c].Factor = t.factor
		}
	}
	return n
}

// reportTables names the range of each table of a sheet that holds more
// than one (a repeated header row starts the next).
func (rd *reader) reportTables(t *table) {
	if len(t.tables) == 0 {
		return
	}
	last := cellName(len(t.cols)-1, 0)
	last = strings.TrimRight(last, "0123456789")
	hdr := t.hdr
	for i := 0; i <= len(t.tables); i++ {
		end := t.lastRow
		if i < len(t.tables) {
			end = t.tables[i][0]
		}
		rng := fmt.Sprintf("%s:%s%d", cellName(0, hdr), last, end+1)
		rd.add(domain.SeverityInfo, t.sheet, cellName(0, hdr), "", "table", rng, text{}, text{
			fmt.Sprintf("table %d of %d of the sheet (%s): its returns were read", i+1, len(t.tables)+1, rng),
			fmt.Sprintf("tableau %d sur %d de la feuille (%s) : ses déclarations ont été lues", i+1, len(t.tables)+1, rng)})
		if i < len(t.tables) {
			hdr = t.tables[i][1]
		}
	}
}

// figureColumns are the columns holding a return's figures.
var figureColumns = []string{"headcount", "hires", "hires_youth", "hires_disabled", "export_revenue_mad", "total_revenue_mad", "investment_mad"}

// unfilledRow reports whether row r has no figure at all: a template row
// prepared with the operator's name or a period but not filled in.
func (rd *reader) unfilledRow(t *table, r int) bool {
	for _, name := range figureColumns {
		c := t.col(name)
		if c < 0 {
			continue
		}
		if v := t.get(r, c); v != "" && !isNothing(v) {
			return false
		}
		if t.part != nil && t.part.formulas && t.part.size <= worksheetLoadLimit && t.get(r, c) == "" {
			// A formula without a cached value may hide a figure: not unfilled.
			if fx, err := rd.f.GetCellFormula(t.sheet, cellName(c, r)); err == nil && fx != "" {
				return false
			}
		}
	}
	return true
}

// noteRow reports whether row r is a note rather than a return: a single
// filled cell outside the return's columns, or a sentence in the ICE column,
// or one text merged across the row, or, after a grand total, any row
// without an ICE.
func (rd *reader) noteRow(t *table, r int, afterTotal bool) bool {
	filled := 0
	last := -1
	for c := range t.row(r) {
		if t.get(r, c) != "" {
			filled++
			last = c
		}
	}
	if afterTotal {
		_, ok := parseICE(t.get(r, t.col("operator_id")))
		return !ok
	}
	// A note merged across the row: every filled cell holds the same text
	// ("Cachet et signature :", "Note : les recrutements incluent les CDD").
	if filled >= 2 {
		v := t.get(r, last)
		for c := range t.row(r) {
			if w := t.get(r, c); w != "" && w != v {
				return false
			}
		}
		_, num := readNumber(v)
		return !num && strings.ContainsFunc(v, unicode.IsLetter)
	}
	if filled != 1 {
		return false
	}
	if last >= len(t.cols) || t.cols[last].Column == "" {
		return true
	}
	v := t.get(r, last)
	if len(strings.Fields(v)) >= 3 && strings.ContainsFunc(v, unicode.IsLetter) {
		return true // a sentence alone on its row: "Document à retourner avant le 30…"
	}
	return t.cols[last].Column == "operator_id" && strings.ContainsFunc(v, unicode.IsLetter) && strings.Contains(v, " ")
}

// declaredDate looks above the table (and beside it on its first rows) for
// a cell labelled as the date of the return.
func (rd *reader) declaredDate(t *table) {
	for r := 0; r < t.hdr; r++ {
		for c := range t.row(r) {
			rest, ok := rd.x.declaredLabel(t.get(r, c))
			if !ok {
				continue
			}
			if rest == "" {
				for c2 := c + 1; c2 < len(t.row(r)) && rest == ""; c2++ {
					rest = t.get(r, c2)
				}
			}
			if d, ok := rd.date(rest); ok {
				rd.res.DeclaredAt = d
				rd.add(domain.SeverityInfo, t.sheet, cellName(c, r), "", "declared_at", rest, text{}, text{
					"the return is dated " + d.Format("2006-01-02"), "la déclaration est datée du " + d.Format("02/01/2006")})
				return
			}
		}
	}
}

// date reads a date cell: an Excel serial (in the workbook's date system) or text.
func (rd *reader) date(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return serialDate(f, rd.date1904)
	}
	return rd.x.parseTextDate(s)
}

func blank(row []string) bool {
	for _, v := range row {
		if trimAll(v) != "" {
			return false
		}
	}
	return true
}

func cellName(col, row int) string {
	if col < 0 {
		return ""
	}
	n, _ := excelize.CoordinatesToCellName(col+1, row+1)
	return n
}

func fmtNum(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// exportPerEmployee returns the problem of a return whose export revenue
// per employee is outside ingest.export_per_employee_min..max: most often a
// unit left unsaid (amounts in thousands read as MAD). It is an error unless
// Options.ImplausibleAmounts is "warning"; no export at all is a warning (no
// unit explains it).
func (rd *reader) exportPerEmployee(t *table, r *domain.Return) (domain.Problem, bool) {
	o := rd.opts
	if o.ExportPerEmployeeMax <= 0 || r.Headcount <= 0 {
		return domain.Problem{}, false
	}
	per := r.ExportRevenueMAD / float64(r.Headcount)
	if per >= o.ExportPerEmployeeMin && per <= o.ExportPerEmployeeMax {
		return domain.Problem{}, false
	}
	sev := domain.SeverityError
	if o.ImplausibleAmounts == "warning" || per == 0 {
		sev = domain.SeverityWarning
	}
	exp := text{fmt.Sprintf("between %s and %s MAD per employee (%d employees)", fmtNum(o.ExportPerEmployeeMin), fmtNum(o.ExportPerEmployeeMax), r.Headcount),
		fmt.Sprintf("entre %s et %s MAD par salarié (%d salariés)", fmtNum(o.ExportPerEmployeeMin), fmtNum(o.ExportPerEmployeeMax), r.Headcount)}
	msg := text{fmt.Sprintf("export revenue per employee (%.0f MAD in the quarter) is implausible: are the amounts in thousands or millions of MAD? State the unit in the header, e.g. \"Export revenue (KMAD)\"", per),
		fmt.Sprintf("le CA export par salarié (%.0f MAD sur le trimestre) est invraisemblable : les montants sont-ils en milliers ou en millions de dirhams ? Indiquez l'unité dans l'en-tête, par exemple « CA export (KMAD) »", per)}
	if per == 0 {
		msg = text{"no export revenue for a staffed operator: please check it", "aucun CA export pour un opérateur qui emploie du personnel : merci de le vérifier"}
	}
	return domain.Problem{File: rd.name, SHA256: rd.sha, Sheet: t.sheet, Cell: cellName(t.col("export_revenue_mad"), r.Row-1), Column: "export_revenue_mad",
		Code: "export_per_employee", Severity: sev, Found: fmtNum(r.ExportRevenueMAD), Expected: exp.en, ExpectedFR: exp.fr, Message: msg.en, MessageFR: msg.fr}, true
}

// CheckHeadcounts warns of headcounts that moved more than
// HeadcountChangeMax from the operator's previous quarter: an earlier
// quarter of the same operator in the file, else what Options.Previous says.
// Read calls it in its caller's goroutine, so Previous needs no locking even
// when a reader overran its time; with Options.DeferHeadcounts the caller
// calls it instead, once per result.
func CheckHeadcounts(res *Result, o Options) {
	n := res.Rows()
	if o.HeadcountChangeMax <= 0 || n == 0 {
		return
	}
	rd := &reader{name: res.name, sha: res.sha, res: res}
	byOp := map[string][]int{}
	for i := range n {
		op, _ := res.fact(i)
		byOp[op] = append(byOp[op], i)
	}
	for i := range n {
		op, r := res.fact(i)
		var prev int64
		var ok bool
		best := domain.Period(-1)
		for _, j := range byOp[op] {
			if _, f := res.fact(j); f.period < r.period && f.period > best {
				best, prev, ok = f.period, f.headcount, true
			}
		}
		if !ok && o.Previous != nil {
			prev, ok = o.Previous(op, r.period)
		}
		if ok && prev > 0 && math.Abs(float64(r.headcount-prev))/float64(prev) > o.HeadcountChangeMax {
			sheet, col := "", -1
			if int(r.sheet) < len(res.Sheets) && int(r.sheet) < len(res.headcountCols) {
				sheet, col = res.Sheets[r.sheet], res.headcountCols[r.sheet]
			}
			rd.add(domain.SeverityWarning, sheet, cellName(col, int(r.row)-1), "headcount", "headcount_change", strconv.FormatInt(r.headcount, 10),
				text{fmt.Sprintf("within %.0f %% of the previous quarter's %d", 100*o.HeadcountChangeMax, prev), fmt.Sprintf("à moins de %.0f %% des %d du trimestre précédent", 100*o.HeadcountChangeMax, prev)},
				text{"the headcount moved sharply from the previous quarter: please check it", "l'effectif a fortement varié depuis le trimestre précédent : merci de le vérifier"})
		}
	}
}
