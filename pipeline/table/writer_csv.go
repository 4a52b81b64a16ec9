package table

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// writeCSV writes rec as CSV: a header of the column names, then one record
// per row, a null as an empty field (see text for the values).
func writeCSV(w io.Writer, rec arrow.RecordBatch) error {
	cols := rec.Columns()
	names := make([]string, len(cols))
	texts := make([]func(int) string, len(cols))
	for k, col := range cols {
		names[k] = rec.ColumnName(k)
		var err error
		if texts[k], err = text(col); err != nil {
			return fmt.Errorf("table: column %q: %w", names[k], err)
		}
	}
	cw := csv.NewWriter(w)
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
	return cw.Error()
}

// text returns the function that formats the non-null values of col as CSV
// writes them: integers and booleans as Go prints them, floats in the
// shortest decimal that reads back exactly (no exponent), instants in UTC,
// RFC 3339 with as many fractional digits as needed.
func text(col arrow.Array) (func(i int) string, error) {
	switch a := col.(type) {
	case *array.String:
		return a.Value, nil
	case *array.Int64:
		return func(i int) string { return strconv.FormatInt(a.Value(i), 10) }, nil
	case *array.Float64:
		return func(i int) string { return strconv.FormatFloat(a.Value(i), 'f', -1, 64) }, nil
	case *array.Boolean:
		return func(i int) string { return strconv.FormatBool(a.Value(i)) }, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(i int) string { return a.Value(i).ToTime(unit).Format(time.RFC3339Nano) }, nil
	}
	return nil, fmt.Errorf("type %s: want string, int64, float64, bool or timestamp", col.DataType())
}
