package seriesfile

import (
	"io"
	"regexp"
	"strconv"
	"strings"

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
// a value keeps all its digits), and closes f. A number in a cell
// formatted as a date (or a date and time) reads as that date, 2016-03-01:
// the time of day is dropped.
func firstSheet(f *excelize.File) ([][]string, error) {
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	isDate := map[int]bool{} // by style index
	for i, row := range rows {
		for j, c := range row {
			serial, err := strconv.ParseFloat(c, 64)
			if err != nil || serial < 1 || serial > 2958465 { // 9999-12-31
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			idx, err := f.GetCellStyle(sheet, cell)
			if err != nil || idx == 0 {
				continue
			}
			d, seen := isDate[idx]
			if !seen {
				if st, err := f.GetStyle(idx); err == nil {
					d = dateFormat(st.NumFmt, st.CustomNumFmt)
				}
				isDate[idx] = d
			}
			if !d {
				continue
			}
			if t, err := excelize.ExcelDateToTime(serial, date1904); err == nil {
				row[j] = t.Format("2006-01-02")
			}
		}
	}
	return rows, nil
}

var reFormatLiteral = regexp.MustCompile(`"[^"]*"|\[[^\]]*\]|\\.`)

// dateFormat says whether a cell's number format shows a date: one of the
// built-in date formats, or a custom one with a year or a day, or a month
// without hours or seconds (quoted text and [colours] aside).
func dateFormat(id int, custom *string) bool {
	if custom != nil && *custom != "" {
		s := strings.ToLower(reFormatLiteral.ReplaceAllString(*custom, ""))
		return strings.ContainsAny(s, "yd") || (strings.Contains(s, "m") && !strings.ContainsAny(s, "hs"))
	}
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)
}
