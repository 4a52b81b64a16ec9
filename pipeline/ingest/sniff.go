package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// maxSharedStrings bounds the distinct texts of a workbook: excelize keeps
// each in memory as a struct (about 150 bytes), so this bounds that memory
// to a few hundred MB whatever the size limits say. A return of 100,000
// rows holds far fewer distinct texts.
const maxSharedStrings = 500_000

// sheetPart is what the pre-scan learnt of one worksheet's XML.
type sheetPart struct {
	path      string
	file      *zip.File // the part, for the fast row reader
	data      []byte    // its bytes, when kept (a small workbook)
	size      int64
	complete  bool   // the XML ends with </worksheet>
	dimension string // declared used range, e.g. A1:L120 ("" when absent)
	lastRow   int    // r of the last <row> element found
	// values counts the cells holding a value; lastValueRow is the row
	// (1-based) of the last one (0 when unknown).
	values       int64
	lastValueRow int
	merges       bool // has merged cells
	formulas     bool // has formulas
}

// container is what the pre-scan learnt of a workbook's zip.
type container struct {
	sheets  map[string]*sheetPart // by sheet name
	sst     *zip.File             // xl/sharedStrings.xml (nil when absent)
	sstData []byte                // its bytes, when kept
	// parts are every part's bytes, in the zip's order, for a workbook of
	// at most keepAllBytes uncompressed (nil for a larger one): excelize
	// then opens them stored, without inflating them a second time.
	parts []keptPart
}

// themePart and stylesPart are parts excelize parses on opening: the colour
// theme, which the reader never uses, and the styles, which it uses only to
// format merged cells' values and computed formulas.
const (
	themePart  = "xl/theme/theme1.xml"
	stylesPart = "xl/styles.xml"
)

// goodParts holds the themes and styles excelize has opened without error
// in this process (at most 64 of them, keyed by name and bytes): a
// workbook with one of them is given to excelize without it (the styles
// only when no sheet has merged cells or formulas), which saves half its
// opening time on a national inbox of workbooks made from one template and
// changes nothing else: a part it might refuse is still given to it.
var (
	goodParts sync.Map
	goodCount atomic.Int64
)

func knownPart(name string, b []byte) bool {
	_, ok := goodParts.Load(name + "\x00" + string(b))
	return ok
}

// skippable reports whether excelize may open the workbook without part p.
func (c *container) skippable(p keptPart) bool {
	switch p.name {
	case themePart:
	case stylesPart:
		for _, sp := range c.sheets {
			if sp.merges || sp.formulas {
				return false
			}
		}
	default:
		return false
	}
	return knownPart(p.name, p.data)
}

// rememberParts records the theme and styles of a workbook excelize opened.
func (c *container) rememberParts() {
	for _, p := range c.parts {
		if (p.name == themePart || p.name == stylesPart) && !knownPart(p.name, p.data) && goodCount.Add(1) <= 64 {
			goodParts.Store(p.name+"\x00"+string(p.data), true)
		}
	}
}

// keptPart is one zip part, inflated.
type keptPart struct {
	name string
	data []byte
}

// keepAllBytes: a workbook declaring at most this many uncompressed bytes
// (every return) has its parts kept by the pre-scan.
const keepAllBytes = 8 << 20

// slim is data with each worksheet larger than worksheetLoadLimit replaced
// by an empty one (nil when there is none, or when a formula could refer to
// one): excelize then opens the workbook without copying such a sheet to a
// temporary file, which the reader, streaming it itself, does not need.
// Whoever reads such a sheet with excelize must open data whole.
func (c *container) slim(data []byte) []byte {
	big := map[string]bool{}
	for _, p := range c.sheets {
		if p.formulas {
			return nil
		}
		if p.size > worksheetLoadLimit && p.file != nil {
			big[p.file.Name] = true
		}
	}
	if len(big) == 0 {
		return nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if big[f.Name] {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
			if err != nil {
				return nil
			}
			io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`)
			continue
		}
		w, err := zw.CreateRaw(&f.FileHeader)
		if err != nil {
			return nil
		}
		r, err := f.OpenRaw()
		if err != nil {
			return nil
		}
		if _, err := io.Copy(w, r); err != nil {
			return nil
		}
	}
	if zw.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// stored is the workbook of kept parts as a zip without compression (nil
// when the parts were not kept).
func (c *container) stored() []byte {
	if c.parts == nil {
		return nil
	}
	n := 0
	for _, p := range c.parts {
		n += len(p.data) + 2*len(p.name) + 128
	}
	var buf bytes.Buffer
	buf.Grow(n)
	zw := zip.NewWriter(&buf)
	for _, p := range c.parts {
		if c.skippable(p) {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
		if err != nil {
			return nil
		}
		if _, err := w.Write(p.data); err != nil {
			return nil
		}
	}
	if zw.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// fileError is a problem about the whole file, found before excelize reads it.
type fileError struct {
	code, found, expected, en, fr string
}

// sniff looks at a file before excelize does: what it really is (by its
// magic bytes), and, for a zip, whether it is whole, within the size limits,
// free of XML entity declarations, and which worksheets are cut short.
// Every part is decompressed once, through limits, so a zip bomb costs at
// most maxUnzip bytes of reading and maxXML bytes of memory.
func sniff(data []byte, maxUnzip, maxXML int64, stop *atomic.Bool) (*container, *fileError) {
	if len(data) == 0 {
		return nil, &fileError{"empty_file", "0 bytes", "an .xlsx workbook", "the file is empty (0 bytes)", "le fichier est vide (0 octet)"}
	}
	what := ""
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return scanZip(data, maxUnzip, maxXML, stop)
	case bytes.HasPrefix(data, []byte("%PDF")):
		what = "a PDF document|un document PDF"
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		switch {
		case bytes.Contains(data, utf16le("EncryptedPackage")):
			return nil, &fileError{"password_protected", "a password-protected workbook", "a workbook without a password",
				"the workbook is protected by a password, so it cannot be read; save it again without a password (File > Info > Protect workbook)",
				"le classeur est protégé par un mot de passe et ne peut pas être lu ; enregistrez-le à nouveau sans mot de passe (Fichier > Informations > Protéger le classeur)"}
		case bytes.Contains(data, utf16le("Workbook")), bytes.Contains(data, utf16le("Book")):
			what = "an Excel 97-2003 workbook (.xls)|un classeur Excel 97-2003 (.xls)"
		case bytes.Contains(data, utf16le("WordDocument")):
			what = "a Word 97-2003 document (.doc)|un document Word 97-2003 (.doc)"
		default:
			what = "an OLE compound file (old Office format)|un fichier composé OLE (ancien format Office)"
		}
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		what = "an RTF document|un document RTF"
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		what = "a gzip archive|une archive gzip"
	case bytes.HasPrefix(data, []byte("Rar!")), bytes.HasPrefix(data, []byte("7z\xbc\xaf")):
		what = "a RAR or 7-Zip archive|une archive RAR ou 7-Zip"
	case bytes.HasPrefix(data, []byte{0x89, 'P', 'N', 'G'}), bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		what = "an image|une image"
	default:
		head := strings.ToLower(string(data[:min(len(data), 4096)]))
		switch {
		case strings.Contains(head, "urn:schemas-microsoft-com:office:spreadsheet"):
			what = "an Excel 2003 XML spreadsheet|un classeur XML Excel 2003"
		case strings.Contains(head, "<html"), strings.Contains(head, "<table"):
			what = "a web page (HTML) named like a workbook|une page web (HTML) nommée comme un classeur"
		case strings.Contains(head, "office:document") && strings.Contains(head, "spreadsheet"):
			what = "a flat OpenDocument spreadsheet (.fods)|un classeur OpenDocument à plat (.fods)"
		case looksText(data[:min(len(data), 4096)]):
			if strings.ContainsAny(firstLine(head), ";,\t") {
				what = "a text file of comma- or semicolon-separated values (CSV)|un fichier texte de valeurs séparées (CSV)"
			} else {
				what = "a text file|un fichier texte"
			}
		default:
			what = "a file of unknown type|un fichier de type inconnu"
		}
	}
	en, fr, _ := strings.Cut(what, "|")
	return nil, &fileError{"not_xlsx", en, "an .xlsx workbook (Excel 2007 or later)",
		"the file is " + en + ", not a readable .xlsx workbook; open it in a spreadsheet program and save it as \"Excel workbook (.xlsx)\"",
		"le fichier est " + fr + " et non un classeur .xlsx ; ouvrez-le dans un tableur et enregistrez-le au format « Classeur Excel (.xlsx) »"}
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func looksText(b []byte) bool {
	if !utf8.Valid(b) {
		// Latin-1 CSV exports are common: accept if no control bytes.
		for _, c := range b {
			if c < 0x09 || (c > 0x0d && c < 0x20) {
				return false
			}
		}
		return true
	}
	for _, r := range string(b) {
		if r < 0x09 || (r > 0x0d && r < 0x20) {
			return false
		}
	}
	return true
}

var (
	dimensionRe = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"`)
	rowRe       = regexp.MustCompile(`<(?:\w+:)?row\b[^>]*?\sr="([0-9]+)"`)
)

func damaged(detail string) *fileError {
	return &fileError{"damaged_zip", detail, "a complete .xlsx workbook",
		"the workbook is damaged (its zip container is cut short or corrupt); save it again and resend it",
		"le classeur est endommagé (son conteneur zip est tronqué ou corrompu) ; enregistrez-le à nouveau et renvoyez-le"}
}

func scanZip(data []byte, maxUnzip, maxXML int64, stop *atomic.Bool) (*container, *fileError) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, damaged(err.Error())
	}
	names := map[string]*zip.File{}
	var declared uint64
	for _, f := range zr.File {
		names[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
		declared += f.UncompressedSize64
	}
	other := func(en, fr string) *fileError {
		return &fileError{"not_xlsx", en, "an .xlsx workbook (Excel 2007 or later)",
			"the file is " + en + ", not a readable .xlsx workbook; open it in a spreadsheet program and save it as \"Excel workbook (.xlsx)\"",
			"le fichier est " + fr + " et non un classeur .xlsx ; ouvrez-le dans un tableur et enregistrez-le au format « Classeur Excel (.xlsx) »"}
	}
	switch {
	case names["mimetype"] != nil || names["content.xml"] != nil:
		return nil, other("an OpenDocument spreadsheet (.ods)", "un classeur OpenDocument (.ods)")
	case names["xl/workbook.bin"] != nil:
		return nil, other("an Excel binary workbook (.xlsb)", "un classeur binaire Excel (.xlsb)")
	case names["word/document.xml"] != nil:
		return nil, other("a Word document (.docx)", "un document Word (.docx)")
	case names["ppt/presentation.xml"] != nil:
		return nil, other("a PowerPoint presentation (.pptx)", "une présentation PowerPoint (.pptx)")
	case names["xl/workbook.xml"] == nil:
		return nil, other("a zip archive", "une archive zip")
	}
	if declared > uint64(maxUnzip) {
		return nil, tooBig(fmt.Sprintf("%d MB uncompressed", declared>>20), maxUnzip)
	}
	c := &container{sheets: map[string]*sheetPart{}}
	parts := map[string]*sheetPart{}
	var total int64
	var wbXML, relsXML []byte
	var long *partScan // the first part with a run too long (see maxTextRun)
	var longPart string
	// One buffer for every part: the largest part's declared size (a hint
	// only: scanPart reads in chunks whatever the real size) up to 256 KB.
	var largest uint64
	for _, f := range zr.File {
		largest = max(largest, f.UncompressedSize64)
	}
	chunk := make([]byte, scanWindow+int(min(largest+1, 256<<10)))
	for _, f := range zr.File {
		if f.Flags&1 != 0 {
			return nil, &fileError{"password_protected", "an encrypted zip entry", "a workbook without a password",
				"the workbook's contents are encrypted; save it again without a password", "le contenu du classeur est chiffré ; enregistrez-le à nouveau sans mot de passe"}
		}
		if f.FileInfo().IsDir() {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		sheet := strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !strings.Contains(name[len("xl/worksheets/"):], "/")
		keep := name == "xl/workbook.xml" || name == "xl/_rels/workbook.xml.rels" || declared <= keepAllBytes
		// A worksheet is streamed (here, and by excelize from a temporary
		// file when larger than worksheetLoadLimit), so only the whole
		// workbook's limit bounds it; any other part may be held in memory.
		limit := maxXML
		if sheet {
			limit = maxUnzip - total
		}
		sc, fe := scanPart(f, limit, keep, sheet, strings.HasSuffix(name, "sharedstrings.xml"), chunk, stop)
		if fe != nil {
			return nil, fe
		}
		if sc.long && long == nil {
			long, longPart = sc, name // refused once the sheets' names are known
		}
		total += sc.n
		if sc.n > limit {
			if sheet {
				return nil, tooBig(fmt.Sprintf("more than %d MB uncompressed", maxUnzip>>20), maxUnzip)
			}
			return nil, tooBigPart(f.Name, maxXML)
		}
		if total > maxUnzip {
			return nil, tooBig(fmt.Sprintf("more than %d MB uncompressed", total>>20), maxUnzip)
		}
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml") {
			if bytes.Contains(sc.head, []byte("<!DOCTYPE")) || bytes.Contains(sc.head, []byte("<!ENTITY")) {
				return nil, &fileError{"xml_entities", f.Name + " declares a DTD or entities", "workbook XML without DTD or entity declarations",
					"the workbook's XML declares a DTD or entities, which no spreadsheet program writes; it is refused for safety",
					"le XML du classeur déclare une DTD ou des entités, ce qu'aucun tableur n'écrit ; il est refusé par sécurité"}
			}
		}
		if strings.HasSuffix(name, "sharedstrings.xml") && sc.strings > maxSharedStrings {
			return nil, &fileError{"part_too_large", fmt.Sprintf("%d shared strings", sc.strings), fmt.Sprintf("at most %d distinct texts", maxSharedStrings),
				"the workbook holds far more distinct texts than a return can (huge shared strings); it was not read",
				"le classeur contient bien plus de textes distincts qu'une déclaration ne peut en avoir (textes partagés énormes) ; il n'a pas été lu"}
		}
		if declared <= keepAllBytes {
			c.parts = append(c.parts, keptPart{f.Name, sc.all})
		}
		switch {
		case name == "xl/sharedstrings.xml":
			c.sst = f
			c.sstData = sc.all
		case name == "xl/workbook.xml":
			wbXML = sc.all
		case name == "xl/_rels/workbook.xml.rels":
			relsXML = sc.all
		case sheet:
			sp := &sheetPart{path: name, file: f, data: sc.all, size: sc.n, merges: sc.merges, formulas: sc.formulas, lastRow: sc.lastRow, values: sc.values}
			sp.lastValueRow = sc.lastValueRow
			tail := bytes.TrimRight(sc.tail, " \t\r\n\x00")
			sp.complete = bytes.HasSuffix(tail, []byte("worksheet>"))
			if m := dimensionRe.FindSubmatch(sc.head[:min(len(sc.head), 4096)]); m != nil {
				sp.dimension = string(m[1])
			}
			parts[name] = sp
		}
	}
	// Sheet names → parts, through the workbook's relationships.
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(wbXML, &wb); err != nil {
		return nil, damaged("xl/workbook.xml: " + err.Error())
	}
	_ = xml.Unmarshal(relsXML, &rels)
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := strings.ToLower(strings.ReplaceAll(r.Target, "\\", "/"))
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Clean("xl/" + t)
		}
		targets[r.ID] = t
	}
	sheetOf := map[string]string{} // part → sheet name
	for _, s := range wb.Sheets {
		if sp := parts[targets[s.ID]]; sp != nil {
			c.sheets[s.Name] = sp
			sheetOf[sp.path] = s.Name
		}
	}
	if long != nil {
		return nil, tooLong(c, long, sheetOf[longPart])
	}
	return c, nil
}

// tooLong is the fileError of a part holding a run too long: a cell's text
// (in a sheet, or a shared string, whose cell is looked for in the
// sheets) or blank padding between a sheet's elements.
func tooLong(c *container, sc *partScan, sheet string) *fileError {
	if !sc.longText {
		where := text{"the workbook's shared texts", "les textes partagés du classeur"}
		if sheet != "" {
			where = text{fmt.Sprintf("sheet %q", sheet), fmt.Sprintf("la feuille « %s »", sheet)}
		}
		return &fileError{"xml_padding", fmt.Sprintf("more than %d KB of blank space", maxTextRun>>10), "a workbook as spreadsheet programs write it",
			fmt.Sprintf("%s holds more than %d KB of blank space between its cells, which no spreadsheet program writes; the workbook was not read", where.en, maxTextRun>>10),
			fmt.Sprintf("%s contient plus de %d Ko d'espaces entre ses cellules, ce qu'aucun tableur n'écrit ; le classeur n'a pas été lu", where.fr, maxTextRun>>10)}
	}
	cell := sc.longCell
	if sheet == "" { // a shared string: the cell showing it
		sheet, cell = c.sharedCell(sc.longSI)
	}
	where := text{"a text of the workbook", "un texte du classeur"}
	found := ""
	if sheet != "" && cell != "" {
		where = text{fmt.Sprintf("cell %s of sheet %q", cell, sheet), fmt.Sprintf("la cellule %s de la feuille « %s »", cell, sheet)}
		found = sheet + "!" + cell + ": "
	}
	return &fileError{"text_too_long", fmt.Sprintf("%s> %d", found, maxCellChars), fmt.Sprintf("at most %d characters in a cell", maxCellChars),
		fmt.Sprintf("%s holds a text of more than %d characters, more than a spreadsheet cell can hold; the workbook was not read", where.en, maxCellChars),
		fmt.Sprintf("%s contient un texte de plus de %d caractères, plus qu'une cellule de tableur ne peut en contenir ; le classeur n'a pas été lu", where.fr, maxCellChars)}
}

// sharedCell finds the first cell showing shared string i: its sheet and
// cell ("" when none does).
func (c *container) sharedCell(i int) (sheet, cell string) {
	want := strconv.Itoa(i)
	for name, p := range c.sheets {
		var r io.Reader = bytes.NewReader(p.data)
		if p.data == nil {
			rc, err := p.file.Open()
			if err != nil {
				continue
			}
			defer rc.Close()
			r = rc
		}
		s := newXMLScanner(r)
		var ref string
		var shared, inV bool
		for {
			k, err := s.next()
			if err != nil || k == tokEOF {
				break
			}
			switch {
			case k == tokStart && s.name == "c":
				ref, shared = attr(s.attrs, "r"), attr(s.attrs, "t") == "s"
			case k == tokStart && s.name == "v":
				inV = !s.self
			case k == tokEnd && s.name == "v":
				inV = false
			case k == tokText && inV && shared && strings.TrimSpace(string(s.text)) == want:
				return name, ref
			}
		}
	}
	return "", ""
}

// partScan is what scanPart learnt of one zip part.
type partScan struct {
	n        int64  // uncompressed bytes read (limit+1 at most)
	head     []byte // the first 8 KB
	tail     []byte // the last bytes
	all      []byte // every byte, when asked for
	strings  int    // <si> elements (shared strings)
	merges   bool   // a <mergeCell> element
	formulas bool   // an <f> element
	lastRow  int    // r of the last <row> element (0: none found)
	// values counts the cells holding a value (<v> or <is>), lastValueRow
	// is the r of the row holding the last one.
	values       int64
	lastValueRow int
	// A run of more than maxTextRun bytes without markup (a worksheet and
	// the shared strings only): long is set, and the part read no further.
	long     bool
	longText bool   // the run is a cell's value (in <t> or <v>), not blank padding between elements
	longCell string // the cell holding it, when in a sheet ("" when unknown)
	longSI   int    // the shared string's index, in the shared strings
	lastLT   int64  // offset of the last '<' seen
	ltTag    string // local name of the element whose tag starts at lastLT
	ltCell   string // r of the last <c> before lastLT
	lastCell string // r of the last <c> of the previous chunks
}

// maxCellChars is the most characters a cell holds (Excel's own limit).
const maxCellChars = 32767

// maxTextRun: a run of bytes without markup longer than this, in a sheet or
// the shared strings, is either a text of more than maxCellChars
// characters (4 bytes each at most in UTF-8) or blank padding no program
// writes; either is refused before any reader holds it.
const maxTextRun = 4 * maxCellChars

// checkRuns advances sc.lastLT through w (whose first byte is at offset
// base) a window of maxTextRun bytes at a time, and records a longer run
// without '<'. It looks at a few bytes per window, not at every byte.
func (sc *partScan) checkRuns(w []byte, base int64) {
	end := base + int64(len(w))
	for {
		from := max(sc.lastLT+1, base)
		to := min(sc.lastLT+1+maxTextRun, end)
		if to <= from {
			break
		}
		if i := bytes.LastIndexByte(w[from-base:to-base], '<'); i >= 0 {
			sc.lastLT = from + int64(i)
			sc.noteLT(w, base)
			continue
		}
		if to-(sc.lastLT+1) >= maxTextRun {
			sc.long = true
			sc.longText = sc.ltTag == "t" || sc.ltTag == "v"
			sc.longCell = sc.ltCell
		}
		break
	}
	if !sc.long {
		sc.lastCell = cellBefore(w, len(w), sc.lastCell)
	}
}

// noteLT records the element whose tag starts at sc.lastLT, inside w.
func (sc *partScan) noteLT(w []byte, base int64) {
	i := int(sc.lastLT - base)
	tag := w[i+1 : min(len(w), i+64)]
	if j := bytes.IndexAny(tag, " \t\r\n/>"); j >= 0 {
		tag = tag[:j]
	}
	sc.ltTag = local(string(tag))
	sc.ltCell = cellBefore(w, i, sc.lastCell)
}

// cellBefore is the r attribute of the last <c> tag of w before w[upTo],
// else (no <c> tag there) prev.
func cellBefore(w []byte, upTo int, prev string) string {
	j := bytes.LastIndex(w[:upTo], []byte("<c "))
	if j < 0 {
		return prev
	}
	k := bytes.IndexByte(w[j:upTo], '>')
	if k < 0 {
		return prev
	}
	return attr(bytes.TrimRight(w[j+3:j+k], "/"), "r")
}

// scanWindow is how many bytes of the previous chunk scanPart looks at again
// with the next one, so that no marker is missed across a chunk boundary; a
// <row> start tag longer than this is not read for lastRow.
const scanWindow = 512

// scanPart inflates one zip part through the limit (limit+1 bytes at most)
// and reads what sniff needs as it goes (of a sheet, of the shared strings), in chunks of chunk (longer than
// scanWindow), holding only the chunk (and every byte when keep is set): a worksheet of a hundred megabytes is
// scanned in a few megabytes of memory.
func scanPart(f *zip.File, limit int64, keep, sheet, sst bool, chunk []byte, stop *atomic.Bool) (*partScan, *fileError) {
	rc, err := f.Open()
	if err != nil {
		return nil, damaged(f.Name + ": " + err.Error())
	}
	defer rc.Close()
	sc := &partScan{}
	carry := 0 // bytes of the previous chunk kept at the start of chunk
	for {
		if stop != nil && stop.Load() {
			return nil, errTimeUp
		}
		want := int(min(int64(len(chunk)-carry), limit+1-sc.n))
		k := 0
		var err error
		for k < want && err == nil {
			var m int
			m, err = rc.Read(chunk[carry+k : carry+want])
			k += m
		}
		sc.n += int64(k)
		w := chunk[:carry+k]
		if len(sc.head) < 8192 {
			sc.head = append(sc.head, w[carry:min(len(w), carry+8192-len(sc.head))]...)
		}
		if keep {
			sc.all = append(sc.all, w[carry:]...)
		}
		if sheet || sst {
			base := sc.n - int64(len(w))
			sc.checkRuns(w, base)
			if sc.long {
				if sst { // the <si> elements before the run, less the one holding it
					before := w[:max(carry, int(sc.lastLT-base))]
					sc.longSI = sc.strings + countNew(before, "<si>", carry) + countNew(before, "<si ", carry) - 1
				}
				return sc, nil
			}
		}
		if sst {
			sc.strings += countNew(w, "<si>", carry) + countNew(w, "<si ", carry)
		}
		if sheet {
			sc.merges = sc.merges || bytes.Contains(w, []byte("<mergeCell ")) || bytes.Contains(w, []byte(":mergeCell "))
			sc.formulas = sc.formulas || bytes.Contains(w, []byte("<f>")) || bytes.Contains(w, []byte("<f ")) || bytes.Contains(w, []byte(":f>"))
			sc.values += int64(countNew(w, "<v>", carry) + countNew(w, "<is>", carry))
			if i := max(bytes.LastIndex(w, []byte("<v>")), bytes.LastIndex(w, []byte("<is>"))); i >= 0 {
				// The row holding it: its <row> tag in this chunk, else the
				// last one of the previous chunks.
				sc.lastValueRow = sc.lastRow
				if j := bytes.LastIndex(w[:i], []byte("<row ")); j >= 0 {
					if m := rowRe.FindSubmatch(w[j:min(len(w), j+scanWindow)]); m != nil {
						sc.lastValueRow, _ = strconv.Atoi(string(m[1]))
					}
				}
			}
			if i := bytes.LastIndex(w, []byte("<row ")); i >= 0 {
				if m := rowRe.FindSubmatch(w[i:min(len(w), i+scanWindow)]); m != nil {
					sc.lastRow, _ = strconv.Atoi(string(m[1]))
				}
			}
		}
		if err == io.EOF || sc.n > limit {
			sc.tail = bytes.Clone(w[max(0, len(w)-64):])
			return sc, nil
		}
		if err != nil {
			return nil, damaged(f.Name + ": " + err.Error())
		}
		carry = min(len(w), scanWindow)
		copy(chunk, w[len(w)-carry:])
	}
}

// countNew counts the occurrences of marker in w that end after its first
// carry bytes (the ones before were counted with the previous chunk).
func countNew(w []byte, marker string, carry int) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(w[i:], []byte(marker))
		if j < 0 {
			return n
		}
		if i+j+len(marker) > carry {
			n++
		}
		i += j + 1
	}
}

// errTimeUp is the fileError of a pre-scan stopped at the reader's deadline.
var errTimeUp = &fileError{"timeout", "", "", "time is up", "le temps est écoulé"}

func tooBig(found string, limit int64) *fileError {
	return &fileError{"zip_bomb", found, fmt.Sprintf("at most %d MB uncompressed", limit>>20),
		"the workbook unpacks to more data than a return can hold (a damaged file or a zip bomb); it was not read",
		"le classeur se décompresse en plus de données qu'une déclaration ne peut en contenir (fichier endommagé ou bombe zip) ; il n'a pas été lu"}
}

func tooBigPart(part string, limit int64) *fileError {
	return &fileError{"part_too_large", part + fmt.Sprintf(" over %d MB", limit>>20), fmt.Sprintf("each part at most %d MB", limit>>20),
		"one part of the workbook (" + part + ") is larger than a return can be (huge shared strings or sheet); it was not read",
		"une partie du classeur (" + part + ") est plus grande qu'une déclaration ne peut l'être (textes partagés ou feuille énormes) ; il n'a pas été lu"}
}
