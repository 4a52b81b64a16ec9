package seriesfile

import (
	"fmt"
	"io"
	"strings"

	"github.com/offshore-ma/offshore/internal/atomicfile"
)

// Format is a format Write writes.
type Format string

// The formats Write writes (see the package documentation).
const (
	CSV  Format = "csv"
	JSON Format = "json"
	XLSX Format = "xlsx"
)

// Formats are the formats Write writes, in the order help texts list them.
var Formats = []Format{CSV, JSON, XLSX}

// ParseFormat returns the format named s (csv, json or xlsx).
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q: want csv, json or xlsx", s)
}

// header is the output's header, in order; pMeet is left out when no row
// has a probability.
var header = []string{"series_id", "period", "point", "lo80", "hi80", "lo95", "hi95", "model", "p_meet"}

// Write writes the rows of the results that have a forecast (Err nil), in
// order, to w in format f. The p_meet column is written when a row has
// PMeet (a target was given). An xlsx workbook is built in memory and
// written whole.
func Write(w io.Writer, f Format, results []Result) error {
	var rows []Row
	withP := false
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		rows = append(rows, r.Rows...)
		for _, row := range r.Rows {
			withP = withP || row.PMeet != nil
		}
	}
	cols := header
	if !withP {
		cols = cols[:len(cols)-1]
	}
	switch f {
	case CSV:
		return writeCSV(w, cols, rows)
	case JSON:
		return writeJSON(w, rows)
	case XLSX:
		return writeXLSX(w, cols, rows)
	}
	return fmt.Errorf("format %q: want csv, json or xlsx", f)
}

// WriteFile writes as Write does to the file at path, atomically: on error
// or interrupt the file is left as it was. Its folder is created when
// missing. The xlsx format wants a name ending in .xlsx.
func WriteFile(path string, f Format, results []Result) error {
	if f == XLSX && !strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		return fmt.Errorf("%s: an xlsx workbook's name ends in .xlsx", path)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, f, results) })
}
