package table

import (
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/xuri/excelize/v2"
)

// xlsxSheet is the name of the one sheet of a table's workbook.
const xlsxSheet = "Données"

// writeXLSX writes rec as a workbook of one sheet: a bold, frozen header of
// the column names, then one row per record. Numbers are numbers and
// booleans booleans, so the ministry can compute with them; strings are
// written as text cells (never as formulas, whatever they begin with);
// instants are written in UTC as Excel dates (yyyy-mm-dd hh:mm:ss); a null
// is an empty cell.
func writeXLSX(w io.Writer, rec arrow.RecordBatch) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", xlsxSheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd hh:mm:ss"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(xlsxSheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cols := rec.Columns()
	header := make([]any, len(cols))
	for k := range cols {
		header[k] = excelize.Cell{StyleID: bold, Value: rec.ColumnName(k)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, len(cols))
	for i := range int(rec.NumRows()) {
		for k, col := range cols {
			row[k] = nil
			if !col.IsValid(i) {
				continue
			}
			switch a := col.(type) {
			case *array.String:
				row[k] = a.Value(i) // the stream writer writes a string as an inline string, never a formula
			case *array.Int64:
				row[k] = a.Value(i)
			case *array.Float64:
				row[k] = a.Value(i)
			case *array.Boolean:
				row[k] = a.Value(i)
			case *array.Timestamp:
				unit := a.DataType().(*arrow.TimestampType).Unit
				row[k] = excelize.Cell{StyleID: date, Value: a.Value(i).ToTime(unit).UTC().Truncate(time.Second)}
			default:
				return fmt.Errorf("table: column %q: type %s: want string, int64, float64, bool or timestamp", rec.ColumnName(k), col.DataType())
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
