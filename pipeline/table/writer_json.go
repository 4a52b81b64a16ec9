package table

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// writeJSON writes rec as one JSON array of objects, one object per row on a
// line of its own, keys in column order, a null as null. Strings and
// instants (as CSV writes them) are JSON strings; numbers and booleans as
// encoding/json writes them.
func writeJSON(w io.Writer, rec arrow.RecordBatch) error {
	cols := rec.Columns()
	keys := make([][]byte, len(cols))
	values := make([]func(int) ([]byte, error), len(cols))
	for k, col := range cols {
		keys[k], _ = json.Marshal(rec.ColumnName(k)) // a string always marshals
		var err error
		if values[k], err = jsonValue(col); err != nil {
			return fmt.Errorf("table: column %q: %w", rec.ColumnName(k), err)
		}
	}
	// bufio's first write error sticks and Flush returns it.
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	for i := range int(rec.NumRows()) {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n{")
		for k, col := range cols {
			if k > 0 {
				bw.WriteString(",")
			}
			bw.Write(keys[k])
			bw.WriteString(":")
			if col.IsNull(i) {
				bw.WriteString("null")
				continue
			}
			v, err := values[k](i)
			if err != nil {
				return fmt.Errorf("table: row %d, column %q: %w", i+1, rec.ColumnName(k), err)
			}
			bw.Write(v)
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

// jsonValue returns the function that writes the non-null values of col as
// JSON.
// JSON is not opened by a spreadsheet: strings are written as they are
// (not neutralised as in CSV).
func jsonValue(col arrow.Array) (func(i int) ([]byte, error), error) {
	if a, ok := col.(*array.String); ok {
		return func(i int) ([]byte, error) { return json.Marshal(a.Value(i)) }, nil
	}
	str, err := text(col, false)
	if err != nil {
		return nil, err
	}
	switch a := col.(type) {
	case *array.String, *array.Timestamp:
		return func(i int) ([]byte, error) { return json.Marshal(str(i)) }, nil
	case *array.Float64: // encoding/json's own format (an exponent for large and small magnitudes); NaN and ±Inf are errors
		return func(i int) ([]byte, error) { return json.Marshal(a.Value(i)) }, nil
	}
	return func(i int) ([]byte, error) { return []byte(str(i)), nil }, nil
}
