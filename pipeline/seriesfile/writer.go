package seriesfile

import (
	"fmt"
	"io"
	"slices"
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

// Style is how a CSV file writes its numbers.
type Style string

// The styles of CSV files.
const (
	// English is comma-separated, with decimal points.
	English Style = "en"
	// French is what French Excel writes and reads: semicolon-separated,
	// with decimal commas and a UTF-8 byte order mark.
	French Style = "fr"
)

// ParseStyle returns the style named s (fr or en).
func ParseStyle(s string) (Style, error) {
	switch Style(s) {
	case English, French:
		return Style(s), nil
	}
	return "", fmt.Errorf("CSV style %q: want fr or en", s)
}

// The output's columns, in order. target and p_meet are left out when no
// row has a target.
var (
	header   = []string{"series_id", "period", "point", "lo80", "hi80", "lo95", "hi95", "model"}
	targets  = []string{"target", "p_meet"}
	warnings = "warnings"
)

// Write writes the rows of the results that have a forecast (Err nil), in
// order, to w in format f; a CSV file in style st (the zero Style is
// English). The target and p_meet columns are written when a row has a
// target. An xlsx workbook is built in memory and written whole.
func Write(w io.Writer, f Format, st Style, results []Result) error {
	var rows []Row
	withTarget := false
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		rows = append(rows, r.Rows...)
		for _, row := range r.Rows {
			withTarget = withTarget || row.Target != nil
		}
	}
	cols := slices.Clone(header)
	if withTarget {
		cols = append(cols, targets...)
	}
	cols = append(cols, warnings)
	switch f {
	case CSV:
		return writeCSV(w, st, cols, withTarget, rows)
	case JSON:
		return writeJSON(w, rows)
	case XLSX:
		return writeXLSX(w, cols, withTarget, rows)
	}
	return fmt.Errorf("format %q: want csv, json or xlsx", f)
}

// WriteFile writes as Write does to the file at path, atomically: on error
// or interrupt the file is left as it was. Its folder is created when
// missing. The xlsx format wants a name ending in .xlsx.
func WriteFile(path string, f Format, st Style, results []Result) error {
	if f == XLSX && !strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		return fmt.Errorf("%s: an xlsx workbook's name ends in .xlsx", path)
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, f, st, results) })
}

// warningSep joins a row's warnings in one CSV or xlsx cell.
const warningSep = " | "
