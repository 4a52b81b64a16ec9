package seriesfile

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// decodeXLSX decodes the first sheet of a workbook read from r (held in
// memory whole) into records.
func decodeXLSX(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	return firstSheet(f)
}

// decodeXLSXFile decodes the first sheet of the workbook at path, which
// excelize reads where it lies rather than in memory.
func decodeXLSXFile(path string) ([][]string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	return firstSheet(f)
}

// firstSheet returns the rows of f's first sheet, each cell's raw value (a
// number as stored, not as formatted: a year typed as a number reads 2016,
// a value keeps all its digits), and closes f.
func firstSheet(f *excelize.File) ([][]string, error) {
	defer f.Close()
	return f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
}
