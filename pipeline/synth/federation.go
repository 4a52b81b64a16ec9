package synth

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/internal/progress"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
)

// The federation workbook: one sheet holding the returns of a federation's
// members, operator after operator, quarter after quarter (2015Q1..2020Q4),
// written part by part as Microsoft Excel saves a workbook: a shared-strings
// table (every text cell is t="s"), a styles part with number formats for
// counts, amounts and dates (dates are serial numbers with a date style), a
// theme, a dimension element, row spans, a frozen header and an autofilter.
// Unlike excelize's StreamWriter, which writes inline strings, a reader must
// resolve every text cell through sharedStrings.xml.

// FederationColumns is the number of columns of the federation workbook:
// the 12 columns of the return plus the legal form, the date the company
// was founded and the date the federation received the return (extra
// columns, which ingest reports as information and ignores).
const FederationColumns = 15

// FederationMaxRows is the most data rows a federation workbook may hold
// (Excel's 1,048,576 rows, less the header).
const FederationMaxRows = 1<<20 - 1

// Federation quarters: 24, from 2015Q1 to 2020Q4.
var (
	fedFrom = domain.NewPeriod(2015, 1)
	fedTo   = domain.NewPeriod(2020, 4)
)

// fedStream is the second PCG word of the federation's source, so that it
// differs from the returns' one for the same seed.
const fedStream = pcgStream ^ 0x6665646572617465 // "federate"

// fedSheet is the name of the federation workbook's sheet.
const fedSheet = "Déclarations"

// Cell styles (indexes into cellXfs of fedStyles).
const (
	styleHeader = 1 // bold, wrapped
	styleText   = 2 // "@": the ICE, typed as text to keep its leading zeros
	styleCount  = 3 // #,##0
	styleAmount = 4 // #,##0.00
	styleDate   = 5 // built-in 14, the short date of the reader's locale
	styleDateFR = 6 // custom 164: dd/mm/yyyy
)

// fedColumn is one column of the federation sheet: its header, the
// canonical column it holds ("" for an extra one) and its width.
type fedColumn struct {
	header, column string
	width          float64
}

func fedColumns(m *config.Mappings) []fedColumn {
	label := func(name string) string {
		for _, c := range m.Columns {
			if c.Name == name && c.FR != "" {
				return c.FR
			}
		}
		return name
	}
	cols := []fedColumn{
		{column: "operator_id", width: 17.7},
		{column: "operator_name", width: 36.4},
		{header: "Forme juridique", width: 10.3},
		{column: "sector", width: 30.1},
		{column: "region", width: 26.6},
		{header: "Date de création", width: 11.7},
		{column: "period", width: 9.1},
		{header: "Date de réception", width: 11.7},
		{column: "headcount", width: 12.4},
		{column: "hires", width: 12.4},
		{column: "hires_youth", width: 12.4},
		{column: "hires_disabled", width: 14.3},
		{column: "export_revenue_mad", width: 18.9},
		{column: "total_revenue_mad", width: 18.9},
		{column: "investment_mad", width: 18.9},
	}
	for i := range cols {
		if cols[i].column != "" {
			cols[i].header = label(cols[i].column)
		}
	}
	return cols
}

// fedOperator is one member of the federation and its fixed traits.
type fedOperator struct {
	id, name, legal      string
	sector               int // index into sectorModels
	sectorText, region   string
	founded              int // Excel serial date
	base, growth         float64
	productivity, share  float64
	turnover, youth, dis float64
	hiresHabit           int // 0 always reports hires, 1 sometimes not, 2 never
	disabledBlank        bool
	totalBlank, invBlank bool
	centimes             bool
	noise                float64
	prev                 int64 // headcount of the quarter before
	prevSet              bool
}

// fedRow is one return of the federation sheet; nil optional figures are
// blank cells.
type fedRow struct {
	period                 domain.Period
	received               int // Excel serial date
	headcount              int64
	hires, youth, disabled *int64
	exports                float64
	total, investment      *float64
}

// fedGen draws the federation's members and their quarters.
type fedGen struct {
	g          *gen // random helpers and the name generator
	sectorText []string
	regions    []string
	regionW    []float64
	names, ids map[string]bool
}

func newFedGen(m *config.Mappings, seed uint64) (*fedGen, error) {
	if m == nil {
		return nil, fmt.Errorf("synth: no mappings")
	}
	if len(m.Regions) == 0 {
		return nil, fmt.Errorf("synth: mappings have no region")
	}
	fg := &fedGen{g: &gen{rng: rand.New(rand.NewPCG(seed, fedStream))}, names: map[string]bool{}, ids: map[string]bool{}}
	for _, sm := range sectorModels {
		text := ""
		for _, s := range m.Sectors {
			if s.Code == sm.code {
				text = s.FR
				if text == "" {
					text = s.Code
				}
			}
		}
		if text == "" {
			return nil, fmt.Errorf("synth: mappings have no sector %q", sm.code)
		}
		fg.sectorText = append(fg.sectorText, text)
	}
	for _, r := range m.Regions {
		w, ok := regionWeights[r.Name]
		if !ok {
			w = regionOther
		}
		fg.regions = append(fg.regions, r.Name)
		fg.regionW = append(fg.regionW, w)
	}
	return fg, nil
}

var fedLegalForms = []string{"SARL", "SARL", "SARL", "SA", "SA", "SARL AU", "SARL AU", "SAS", "Succursale"}

// operator draws the next member.
func (fg *fedGen) operator() *fedOperator {
	g := fg.g
	firms := make([]float64, len(sectorModels))
	for i, sm := range sectorModels {
		firms[i] = sm.firms
	}
	sec := g.weighted(firms)
	sm := &sectorModels[sec]
	o := &fedOperator{sector: sec, sectorText: fg.sectorText[sec], region: fg.regions[g.weighted(fg.regionW)]}
	o.id = g.ice(fg.ids)
	o.name = fg.name(sm)
	o.legal = g.pick(fedLegalForms)
	founded := time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(19*365))
	o.founded = serial(founded)
	z := math.Max(-2, math.Min(2.5, g.rng.NormFloat64()))
	o.base = math.Max(15, math.Exp(3.4+1.1*z))
	o.growth = math.Max(-0.08, math.Min(0.45, sm.jobGrowth/2+0.08*g.rng.NormFloat64()))
	o.productivity = math.Exp(0.35 * g.rng.NormFloat64())
	o.share = g.uniform(0.8, 0.97)
	if g.chance(0.1) {
		o.share = 1
	}
	o.turnover = g.uniform(sm.turnover[0], sm.turnover[1])
	o.youth = g.uniform(0.55, 0.85)
	o.dis = g.uniform(0, 0.02)
	switch u := g.rng.Float64(); {
	case u < 0.8:
		o.hiresHabit = 0
	case u < 0.93:
		o.hiresHabit = 1
	default:
		o.hiresHabit = 2
	}
	o.disabledBlank = g.chance(0.15)
	o.totalBlank = g.chance(0.06)
	o.invBlank = g.chance(0.4)
	o.centimes = g.chance(0.3)
	return o
}

// name invents a unique company name (without its legal form).
func (fg *fedGen) name(sm *sectorModel) string {
	g := fg.g
	for try := 0; ; try++ {
		var name string
		switch {
		case try < 3 && g.chance(0.3):
			stem := strings.ToLower(strings.ReplaceAll(safeName(g.pick(nameRoots)), " ", ""))
			if len(stem) > 6 {
				stem = stem[:5]
			}
			name = strings.ToUpper(stem[:1]) + stem[1:] + g.pick(sm.stems)
		case try < 3:
			name = g.pick(nameRoots) + " " + g.pick(sm.names)
		default:
			name = g.pick(nameRoots) + " " + g.pick(nameRoots) + " " + g.pick(sm.names)
		}
		if try >= 40 {
			name = fmt.Sprintf("%s %d", name, len(fg.names))
		}
		if !fg.names[strings.ToLower(name)] {
			fg.names[strings.ToLower(name)] = true
			return name
		}
	}
}

// fedExportPerJob is the export revenue of one job in one quarter, in MAD
// (about 8 bn MAD a year over 63,000 jobs in 2015).
const fedExportPerJob = 32000.0

// quarter draws o's return of p; quarters must come in order.
func (fg *fedGen) quarter(o *fedOperator, p domain.Period) fedRow {
	g := fg.g
	sm := &sectorModels[o.sector]
	t := float64(p-fedFrom) / 4
	o.noise = 0.6*o.noise + 0.02*g.rng.NormFloat64()
	size := o.base * math.Pow(1+o.growth, t) * math.Exp(o.noise)
	r := fedRow{period: p, headcount: max(10, int64(math.Round(size)))}
	prev := o.prev
	if !o.prevSet {
		prev = max(10, int64(math.Round(o.base*math.Pow(1+o.growth, -0.25))))
	}
	o.prev, o.prevSet = r.headcount, true
	hires := max(0, r.headcount-prev) + int64(math.Round(float64(prev)*o.turnover/4*g.uniform(0.7, 1.3)))
	youth := min(hires, int64(math.Round(float64(hires)*math.Min(0.9, math.Max(0.5, o.youth+0.04*g.rng.NormFloat64())))))
	disabled := min(hires, int64(math.Floor(float64(hires)*o.dis*g.uniform(0.5, 1.5)+g.rng.Float64())))
	if !(o.hiresHabit == 2 || (o.hiresHabit == 1 && g.chance(0.35))) {
		r.hires, r.youth = domain.Int64(hires), domain.Int64(youth)
		if !(o.disabledBlank && g.chance(0.7)) {
			r.disabled = domain.Int64(disabled)
		}
	}
	amount := func(v float64) float64 {
		if o.centimes {
			return math.Round(v*100) / 100
		}
		return math.Round(v)
	}
	prod := lin(sm.exportGrowth, t) / lin(sm.jobGrowth/2, t)
	r.exports = amount(float64(r.headcount) * fedExportPerJob * o.productivity * prod * season[p.Quarter()-1] * math.Max(0.7, 1+0.05*g.rng.NormFloat64()))
	if !(o.totalBlank && g.chance(0.5)) {
		share := math.Min(1, o.share+0.01*g.rng.NormFloat64())
		r.total = domain.Float64(math.Max(r.exports, amount(r.exports/share)))
	}
	var inv float64
	switch u := g.rng.Float64(); {
	case u < 0.06:
		inv = amount(float64(r.headcount) * g.uniform(15e3, 60e3))
	case u < 0.3:
		inv = amount(float64(r.headcount) * g.uniform(300, 2500))
	}
	if inv > 0 || !o.invBlank {
		r.investment = domain.Float64(inv)
	}
	got := p.End().AddDate(0, 0, 10+g.rng.IntN(50))
	r.received = serial(got)
	return r
}

// serial is the Excel serial number (1900 date system) of t's day.
func serial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// WriteFederation writes the federation workbook of rows data rows (1 to
// FederationMaxRows) under a header row to path, replacing it atomically
// (warehouse.WriteFileAtomic). Its 15 columns
// are the return's 12, headed by their French template wordings of m, and
// three extra ones (legal form, founding date, date received); rows are
// distinct operator × quarter pairs, ceil(rows/24) operators times
// 2015Q1..2020Q4 (the last operator may have fewer quarters), with values
// that pass ingest's checks (blank optional cells included). The same m,
// rows and seed write the same bytes. Once ctx is done it stops, leaving
// path as it was, and returns ctx's error.
func WriteFederation(ctx context.Context, path string, m *config.Mappings, rows int, seed uint64) error {
	if rows < 1 || rows > FederationMaxRows {
		return fmt.Errorf("synth: federation of %d rows: want 1 to %d", rows, FederationMaxRows)
	}
	if _, err := newFedGen(m, seed); err != nil {
		return err
	}
	err := atomicfile.Write(path, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, 1<<20)
		if err := writeFederation(ctx, w, m, rows, seed); err != nil {
			return err
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// writeFederation writes the workbook's zip to w, its parts in the order
// Excel writes them.
func writeFederation(ctx context.Context, w io.Writer, m *config.Mappings, rows int, seed uint64) error {
	fg, err := newFedGen(m, seed)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	part := func(name string) (io.Writer, error) {
		// Excel's parts carry no timestamp: DOS date 1980-01-01 00:00. Modified,
		// the field that replaced ModifiedDate, would add an extended-time field Excel does not write.
		//lint:ignore SA1019 deliberate, see above
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, ModifiedDate: 0x21})
	}
	put := func(name, body string) error {
		pw, err := part(name)
		if err == nil {
			_, err = io.WriteString(pw, xmlDecl+body)
		}
		return err
	}
	cols := fedColumns(m)
	last := fmt.Sprintf("%s%d", colName(len(cols)-1), rows+1)
	if err := put("[Content_Types].xml", fedContentTypes); err != nil {
		return err
	}
	if err := put("_rels/.rels", fedRootRels); err != nil {
		return err
	}
	if err := put("xl/workbook.xml", fmt.Sprintf(fedWorkbook, fedSheet, fedSheet, last[:1], rows+1)); err != nil {
		return err
	}
	if err := put("xl/_rels/workbook.xml.rels", fedWorkbookRels); err != nil {
		return err
	}
	sw, err := part("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	sst := newSharedStrings()
	if err := writeFedSheet(ctx, sw, fg, cols, rows, last, sst); err != nil {
		return err
	}
	if err := put("xl/theme/theme1.xml", fedTheme); err != nil {
		return err
	}
	if err := put("xl/styles.xml", fedStyles); err != nil {
		return err
	}
	pw, err := part("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	if err := sst.write(pw); err != nil {
		return err
	}
	if err := put("docProps/core.xml", fedCore); err != nil {
		return err
	}
	if err := put("docProps/app.xml", fmt.Sprintf(fedApp, fedSheet)); err != nil {
		return err
	}
	return zw.Close()
}

// writeFedSheet streams the sheet's XML, adding its texts to sst.
func writeFedSheet(ctx context.Context, w io.Writer, fg *fedGen, cols []fedColumn, rows int, last string, sst *sharedStrings) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(xmlDecl)
	bw.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" xr:uid="{5C3B8E1A-2F4D-4B7E-9A61-0D2E7F8C4B19}">`)
	fmt.Fprintf(bw, `<dimension ref="A1:%s"/>`, last)
	bw.WriteString(`<sheetViews><sheetView tabSelected="1" zoomScale="90" zoomScaleNormal="90" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`)
	bw.WriteString(`<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><cols>`)
	for i, c := range cols {
		style := ""
		if c.column == "operator_id" {
			style = ` style="2"`
		}
		fmt.Fprintf(bw, `<col min="%d" max="%d" width="%s"%s customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(c.width+0.0109375, 'f', -1, 64), style)
	}
	bw.WriteString(`</cols><sheetData>`)
	spans := fmt.Sprintf(` spans="1:%d"`, len(cols))
	var buf []byte
	// Header.
	buf = append(buf, `<row r="1"`...)
	buf = append(buf, spans...)
	buf = append(buf, ` ht="45" customHeight="1" x14ac:dyDescent="0.25">`...)
	for i, c := range cols {
		buf = appendText(buf, i, 1, styleHeader, sst.index(c.header))
	}
	buf = append(buf, `</row>`...)
	// Data: operator after operator, quarter after quarter.
	var op *fedOperator
	p := fedTo
	bar := progress.Start(ctx, "gen federation", "rows", rows)
	defer bar.Done()
	for r := 2; r <= rows+1; r++ {
		if r%1000 == 0 {
			bar.Add(1000)
		}
		if p == fedTo {
			if err := ctx.Err(); err != nil { // 200,000 rows take seconds
				return err
			}
			op, p = fg.operator(), fedFrom
		} else {
			p++
		}
		q := fg.quarter(op, p)
		buf = append(buf, `<row r="`...)
		buf = strconv.AppendInt(buf, int64(r), 10)
		buf = append(buf, '"')
		buf = append(buf, spans...)
		buf = append(buf, ` x14ac:dyDescent="0.25">`...)
		for i, c := range cols {
			switch c.column {
			case "operator_id":
				buf = appendText(buf, i, r, styleText, sst.index(op.id))
			case "operator_name":
				buf = appendText(buf, i, r, 0, sst.index(op.name))
			case "sector":
				buf = appendText(buf, i, r, 0, sst.index(op.sectorText))
			case "region":
				buf = appendText(buf, i, r, 0, sst.index(op.region))
			case "period":
				buf = appendText(buf, i, r, 0, sst.index(fmt.Sprintf("T%d %d", p.Quarter(), p.Year())))
			case "headcount":
				buf = appendNumber(buf, i, r, styleCount, strconv.FormatInt(q.headcount, 10))
			case "hires":
				buf = appendInt(buf, i, r, q.hires)
			case "hires_youth":
				buf = appendInt(buf, i, r, q.youth)
			case "hires_disabled":
				buf = appendInt(buf, i, r, q.disabled)
			case "export_revenue_mad":
				buf = appendNumber(buf, i, r, styleAmount, strconv.FormatFloat(q.exports, 'f', -1, 64))
			case "total_revenue_mad":
				buf = appendFloat(buf, i, r, q.total)
			case "investment_mad":
				buf = appendFloat(buf, i, r, q.investment)
			default:
				switch c.header {
				case "Forme juridique":
					buf = appendText(buf, i, r, 0, sst.index(op.legal))
				case "Date de création":
					buf = appendNumber(buf, i, r, styleDate, strconv.Itoa(op.founded))
				case "Date de réception":
					buf = appendNumber(buf, i, r, styleDateFR, strconv.Itoa(q.received))
				}
			}
		}
		buf = append(buf, `</row>`...)
		if len(buf) > 64<<10 {
			if _, err := bw.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, `</sheetData>`...)
	buf = append(buf, `<autoFilter ref="A1:`...)
	buf = append(buf, last...)
	buf = append(buf, `"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/></worksheet>`...)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// colName returns the letters of 0-based column c (up to ZZ).
func colName(c int) string {
	if c < 26 {
		return string(rune('A' + c))
	}
	return string(rune('A'+c/26-1)) + string(rune('A'+c%26))
}

func appendRef(buf []byte, c, r, style int) []byte {
	buf = append(buf, `<c r="`...)
	buf = append(buf, colName(c)...)
	buf = strconv.AppendInt(buf, int64(r), 10)
	buf = append(buf, '"')
	if style != 0 {
		buf = append(buf, ` s="`...)
		buf = strconv.AppendInt(buf, int64(style), 10)
		buf = append(buf, '"')
	}
	return buf
}

func appendText(buf []byte, c, r, style, index int) []byte {
	buf = appendRef(buf, c, r, style)
	buf = append(buf, ` t="s"><v>`...)
	buf = strconv.AppendInt(buf, int64(index), 10)
	return append(buf, `</v></c>`...)
}

func appendNumber(buf []byte, c, r, style int, v string) []byte {
	buf = appendRef(buf, c, r, style)
	buf = append(buf, `><v>`...)
	buf = append(buf, v...)
	return append(buf, `</v></c>`...)
}

// appendInt writes a count, or nothing for a blank (Excel writes no
// element for an empty cell).
func appendInt(buf []byte, c, r int, v *int64) []byte {
	if v == nil {
		return buf
	}
	return appendNumber(buf, c, r, styleCount, strconv.FormatInt(*v, 10))
}

func appendFloat(buf []byte, c, r int, v *float64) []byte {
	if v == nil {
		return buf
	}
	return appendNumber(buf, c, r, styleAmount, strconv.FormatFloat(*v, 'f', -1, 64))
}

// sharedStrings is the workbook's table of texts, in order of first use,
// with the count of cells that use one.
type sharedStrings struct {
	idx   map[string]int
	texts []string
	count int
}

func newSharedStrings() *sharedStrings { return &sharedStrings{idx: map[string]int{}} }

func (s *sharedStrings) index(text string) int {
	s.count++
	if i, ok := s.idx[text]; ok {
		return i
	}
	s.idx[text] = len(s.texts)
	s.texts = append(s.texts, text)
	return len(s.texts) - 1
}

func (s *sharedStrings) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xmlDecl)
	fmt.Fprintf(bw, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, s.count, len(s.texts))
	for _, t := range s.texts {
		if strings.TrimSpace(t) != t {
			bw.WriteString(`<si><t xml:space="preserve">`)
		} else {
			bw.WriteString(`<si><t>`)
		}
		xmlText.WriteString(bw, t)
		bw.WriteString(`</t></si>`)
	}
	bw.WriteString(`</sst>`)
	return bw.Flush()
}

// xmlText escapes text as Excel does: &, < and > only.
var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Excel ends its XML declaration with CR LF.
const xmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"

const fedContentTypes = `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`

const fedRootRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

// fedWorkbook takes the sheet name twice, the last column and the last row.
const fedWorkbook = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15720"/></bookViews><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">%s!$A$1:$%s$%d</definedName></definedNames><calcPr calcId="191029"/></workbook>`

const fedWorkbookRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

// fedStyles: cellXfs 0 General, 1 header (bold, wrapped), 2 text "@",
// 3 #,##0, 4 #,##0.00, 5 date (built-in 14), 6 dd/mm/yyyy (custom 164).
const fedStyles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
	`<fonts count="2" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor theme="4" tint="0.79998168889431442"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color indexed="64"/></bottom><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`

// fedTheme is a compact Office theme (colours, fonts, formats).
const fedTheme = `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
	`<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>` +
	`<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light" panose="020F0302020204030204"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri" panose="020F0502020204030204"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
	`<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"><a:tint val="50000"/></a:schemeClr></a:solidFill><a:solidFill><a:schemeClr val="phClr"><a:shade val="80000"/></a:schemeClr></a:solidFill></a:fillStyleLst>` +
	`<a:lnStyleLst><a:ln w="6350" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln><a:ln w="12700" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln><a:ln w="19050" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln></a:lnStyleLst>` +
	`<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
	`<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"><a:tint val="95000"/></a:schemeClr></a:solidFill><a:solidFill><a:schemeClr val="phClr"><a:shade val="90000"/></a:schemeClr></a:solidFill></a:bgFillStyleLst></a:fmtScheme>` +
	`</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`

const fedCore = `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Déclarations trimestrielles des membres 2015-2020</dc:title><dc:creator>Fédération des opérateurs offshoring</dc:creator><cp:lastModifiedBy>Secrétariat de la fédération</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2021-01-18T08:42:11Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2021-02-26T16:05:37Z</dcterms:modified></cp:coreProperties>`

// fedApp takes the sheet name.
const fedApp = `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>%s</vt:lpstr></vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`
