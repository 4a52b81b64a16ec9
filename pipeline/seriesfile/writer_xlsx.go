package seriesfile

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetName is the name of the workbook's one sheet.
const sheetName = "forecast"

// writeXLSX writes a workbook of one sheet, "forecast": the header cols,
// then one row per row, numbers stored as numbers, an empty cell for a
// figure the row has not.
func writeXLSX(w io.Writer, cols []string, withTarget bool, rows []Row) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	for j, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellValue(sheetName, cell, c); err != nil {
			return err
		}
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		num := func(v *float64) any {
			if v == nil {
				return nil
			}
			return *v
		}
		row := []any{r.SeriesID, r.Period, r.Point, num(r.Lo80), num(r.Hi80), num(r.Lo95), num(r.Hi95), r.Model}
		if withTarget {
			row = append(row, num(r.Target), num(r.PMeet))
		}
		row = append(row, strings.Join(r.Warnings, warningSep))
		if err := f.SetSheetRow(sheetName, cell, &row); err != nil {
			return err
		}
	}
	// A path ending in .xlsx makes excelize write the content types it
	// writes for SaveAs (which also lists a default for .bin parts), so that
	// the bytes are those `forecast --input` has always written.
	f.Path = sheetName + ".xlsx"
	_, err := f.WriteTo(w)
	return err
}
