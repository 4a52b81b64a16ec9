package seriesfile

import (
	"encoding/csv"
	"io"
	"strconv"
)

// writeCSV writes the header cols and one record per row: numbers with 10
// significant digits, p_meet with 4 decimals, blank when the row has none.
func writeCSV(w io.Writer, cols []string, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	for _, r := range rows {
		rec := []string{r.SeriesID, r.Period, num(r.Point), num(r.Lo80), num(r.Hi80), num(r.Lo95), num(r.Hi95), r.Model}
		if r.PMeet != nil {
			rec = append(rec, strconv.FormatFloat(*r.PMeet, 'f', 4, 64))
		} else if len(cols) > len(rec) {
			rec = append(rec, "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
