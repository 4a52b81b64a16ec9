package seriesfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// bom is the UTF-8 byte order mark Excel writes at the start of a CSV file.
const bom = "\ufeff"

// decodeCSV decodes a CSV file into records and the lines they start on, after its byte order mark if
// any. The separator is the one of ';', ',' and tab the header line (its
// first line) holds most of, outside quotes; a comma on a tie or when there
// is none. Rows may have any number of fields (a missing cell reads as
// blank); lines may end in CRLF.
func decodeCSV(r io.Reader) (table, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return table{}, err
	}
	b = bytes.TrimPrefix(b, []byte(bom))
	if bytes.IndexByte(b, 0) >= 0 {
		return table{}, errors.New("not a text file (it holds NUL bytes); want a CSV file")
	}
	if !utf8.Valid(b) { // French Excel's "CSV (séparateur : point-virgule)" writes Windows-1252
		if b, err = charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
			return table{}, err
		}
	}
	t := table{sep: detectSeparator(b)}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = t.sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return table{}, err
		}
		line, _ := cr.FieldPos(0)
		t.records, t.lines = append(t.records, rec), append(t.lines, line)
	}
}

// detectSeparator counts the candidate separators of the first line of b
// outside double quotes and returns the most frequent.
func detectSeparator(b []byte) rune {
	count := map[byte]int{}
	quoted := false
	for _, c := range b {
		if c == '\n' && !quoted {
			break
		}
		switch c {
		case '"':
			quoted = !quoted
		case ';', ',', '\t':
			if !quoted {
				count[c]++
			}
		}
	}
	sep := byte(',')
	for _, c := range []byte{';', '\t'} {
		if count[c] > count[sep] {
			sep = c
		}
	}
	return rune(sep)
}

// decodeCSVFile decodes the CSV file at path.
func decodeCSVFile(path string) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return table{}, err
	}
	defer f.Close()
	return decodeCSV(f)
}
