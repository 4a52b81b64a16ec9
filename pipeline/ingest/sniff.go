package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
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
	size      int64
	complete  bool   // the XML ends with </worksheet>
	dimension string // declared used range, e.g. A1:L120 ("" when absent)
	lastRow   int    // r of the last <row> element found
	merges    bool   // has merged cells
	formulas  bool   // has formulas
}

// container is what the pre-scan learnt of a workbook's zip.
type container struct {
	sheets map[string]*sheetPart // by sheet name
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
		"the workbook is damaged (its zip container is cut short or corrupt: " + detail + "); save it again and resend it",
		"le classeur est endommagé (son conteneur zip est tronqué ou corrompu : " + detail + ") ; enregistrez-le à nouveau et renvoyez-le"}
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
	buf := new(bytes.Buffer)
	for _, f := range zr.File {
		if f.Flags&1 != 0 {
			return nil, &fileError{"password_protected", "an encrypted zip entry", "a workbook without a password",
				"the workbook's contents are encrypted; save it again without a password", "le contenu du classeur est chiffré ; enregistrez-le à nouveau sans mot de passe"}
		}
		if f.FileInfo().IsDir() {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		var err error
		rc, err := f.Open()
		if err != nil {
			return nil, damaged(f.Name + ": " + err.Error())
		}
		buf.Reset()
		var n int64
		for {
			if stop != nil && stop.Load() {
				rc.Close()
				return nil, errTimeUp
			}
			k, e := io.CopyN(buf, rc, min(1<<20, maxXML+1-n))
			n += k
			if e != nil || n > maxXML {
				if e == io.EOF {
					e = nil
				}
				err = e
				break
			}
		}
		rc.Close()
		total += n
		if n > maxXML {
			return nil, tooBigPart(f.Name, maxXML)
		}
		if total > maxUnzip {
			return nil, tooBig(fmt.Sprintf("more than %d MB uncompressed", total>>20), maxUnzip)
		}
		if err != nil {
			if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, damaged(f.Name + ": " + err.Error())
			}
			return nil, damaged(f.Name + ": " + err.Error())
		}
		b := buf.Bytes()
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml") {
			head := b[:min(len(b), 8192)]
			if bytes.Contains(head, []byte("<!DOCTYPE")) || bytes.Contains(head, []byte("<!ENTITY")) {
				return nil, &fileError{"xml_entities", f.Name + " declares a DTD or entities", "workbook XML without DTD or entity declarations",
					"the workbook's XML declares a DTD or entities, which no spreadsheet program writes; it is refused for safety",
					"le XML du classeur déclare une DTD ou des entités, ce qu'aucun tableur n'écrit ; il est refusé par sécurité"}
			}
		}
		if strings.HasSuffix(name, "sharedstrings.xml") {
			if n := bytes.Count(b, []byte("<si>")) + bytes.Count(b, []byte("<si ")); n > maxSharedStrings {
				return nil, &fileError{"part_too_large", fmt.Sprintf("%d shared strings", n), fmt.Sprintf("at most %d distinct texts", maxSharedStrings),
					"the workbook holds far more distinct texts than a return can (huge shared strings); it was not read",
					"le classeur contient bien plus de textes distincts qu'une déclaration ne peut en avoir (textes partagés énormes) ; il n'a pas été lu"}
			}
		}
		switch {
		case name == "xl/workbook.xml":
			wbXML = bytes.Clone(b)
		case name == "xl/_rels/workbook.xml.rels":
			relsXML = bytes.Clone(b)
		case strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !strings.Contains(name[len("xl/worksheets/"):], "/"):
			sp := &sheetPart{path: name, size: n}
			tail := bytes.TrimRight(b[max(0, len(b)-64):], " \t\r\n\x00")
			sp.complete = bytes.HasSuffix(tail, []byte("worksheet>"))
			if m := dimensionRe.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
				sp.dimension = string(m[1])
			}
			if i := bytes.LastIndex(b, []byte("<row ")); i >= 0 {
				if m := rowRe.FindSubmatch(b[i:min(len(b), i+512)]); m != nil {
					sp.lastRow, _ = strconv.Atoi(string(m[1]))
				}
			}
			sp.merges = bytes.Contains(b, []byte("<mergeCell ")) || bytes.Contains(b, []byte(":mergeCell "))
			sp.formulas = bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) || bytes.Contains(b, []byte(":f>"))
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
	for _, s := range wb.Sheets {
		if sp := parts[targets[s.ID]]; sp != nil {
			c.sheets[s.Name] = sp
		}
	}
	return c, nil
}

// errTimeUp is the fileError of a pre-scan stopped at the reader's deadline.
var errTimeUp = &fileError{"timeout", "", "", "time is up", "le temps est écoulé"}

func tooBig(found string, limit int64) *fileError {
	return &fileError{"zip_bomb", found, fmt.Sprintf("at most %d MB uncompressed (ingest.max_unzip_mb)", limit>>20),
		"the workbook unpacks to more data than a return can hold (a damaged file or a zip bomb); it was not read",
		"le classeur se décompresse en plus de données qu'une déclaration ne peut en contenir (fichier endommagé ou bombe zip) ; il n'a pas été lu"}
}

func tooBigPart(part string, limit int64) *fileError {
	return &fileError{"part_too_large", part + fmt.Sprintf(" over %d MB", limit>>20), fmt.Sprintf("each part at most %d MB (ingest.max_xml_mb)", limit>>20),
		"one part of the workbook (" + part + ") is larger than a return can be (huge shared strings or sheet); it was not read",
		"une partie du classeur (" + part + ") est plus grande qu'une déclaration ne peut l'être (textes partagés ou feuille énormes) ; il n'a pas été lu"}
}
