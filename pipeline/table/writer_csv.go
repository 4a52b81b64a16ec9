package table

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// bom is the UTF-8 byte order mark: Excel reads a CSV file as UTF-8 only
// when it starts with one (without it, "é" opens as "Ã©").
const bom = "\ufeff"

// writeCSV writes rec as CSV in the dialect of f (see Format): a header of
// the column names, then one record per row, a null as an empty field (see
// text for the values). Every string cell goes through Neutralise, so that
// a spreadsheet opens no operator's text as a formula.
func writeCSV(w io.Writer, rec arrow.RecordBatch, f Format) error {
	french := f.french()
	cols := rec.Columns()
	names := make([]string, len(cols))
	texts := make([]func(int) string, len(cols))
	for k, col := range cols {
		names[k] = Neutralise(rec.ColumnName(k))
		var err error
		if texts[k], err = text(col, french); err != nil {
			return fmt.Errorf("table: column %q: %w", names[k], err)
		}
	}
	bw := bufio.NewWriter(w)
	if french {
		bw.WriteString(bom)
	}
	cw := csv.NewWriter(bw)
	cw.Comma = f.sep()
	if err := cw.Write(names); err != nil {
		return err
	}
	fields := make([]string, len(cols))
	for i := range int(rec.NumRows()) {
		for k, col := range cols {
			fields[k] = ""
			if col.IsValid(i) {
				fields[k] = texts[k](i)
			}
		}
		if err := cw.Write(fields); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// text returns the function that formats the non-null values of col as CSV
// writes them: strings neutralised (Neutralise), integers and booleans as
// Go prints them, floats in the shortest decimal that reads back exactly
// (no exponent; a decimal comma when french), instants in UTC, RFC 3339
// with as many fractional digits as needed.
func text(col arrow.Array, french bool) (func(i int) string, error) {
	switch a := col.(type) {
	case *array.String:
		return func(i int) string { return Neutralise(a.Value(i)) }, nil
	case *array.Int64:
		return func(i int) string { return strconv.FormatInt(a.Value(i), 10) }, nil
	case *array.Float64:
		if french {
			return func(i int) string { return strings.Replace(strconv.FormatFloat(a.Value(i), 'f', -1, 64), ".", ",", 1) }, nil
		}
		return func(i int) string { return strconv.FormatFloat(a.Value(i), 'f', -1, 64) }, nil
	case *array.Boolean:
		return func(i int) string { return strconv.FormatBool(a.Value(i)) }, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(i int) string { return a.Value(i).ToTime(unit).Format(time.RFC3339Nano) }, nil
	}
	return nil, fmt.Errorf("type %s: want string, int64, float64, bool or timestamp", col.DataType())
}

// Neutralise returns s as a spreadsheet must read it: as text. A cell that
// begins with =, +, -, @, a tab or a carriage return is taken for a formula
// by Excel and LibreOffice (=cmd|'/c calc'!A1, =HYPERLINK(…), +1+1, -1+1,
// @SUM(…)); the OWASP rule (CSV injection) is to prefix it with a single
// quote, which both show as text and do not compute. Only text cells
// (string columns) go through it: a number written by a numeric column,
// negative ones included ("-12"), is a number and not a formula, and is
// left as it is, so that the ministry can compute with it.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
