package seriesfile

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	csvtable "github.com/offshore-ma/offshore/pipeline/table"
)

// writeCSV writes the header cols and one record per row: numbers with 10
// significant digits, p_meet with 4 decimals, an empty cell for a figure
// the row has not (an interval, a target, p_meet). In the French style the
// file begins with a byte order mark, its separator is ';' and its decimal
// mark a comma.
func writeCSV(w io.Writer, st Style, cols []string, withTarget bool, rows []Row) error {
	fr := st == French
	if fr {
		if _, err := io.WriteString(w, bom); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if fr {
		cw.Comma = ';'
	}
	if err := cw.Write(cols); err != nil {
		return err
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatNumber(*v, fr)
	}
	for _, r := range rows {
		// Text cells are neutralised as every CSV the tool writes
		// (pipeline/table.Neutralise): a series named "=cmd|..." opens as text.
		rec := []string{csvtable.Neutralise(r.SeriesID), csvtable.Neutralise(r.Period), num(&r.Point), num(r.Lo80), num(r.Hi80), num(r.Lo95), num(r.Hi95), r.Model}
		if withTarget {
			p := ""
			if r.PMeet != nil {
				p = strconv.FormatFloat(*r.PMeet, 'f', 4, 64)
				if fr {
					p = strings.Replace(p, ".", ",", 1)
				}
			}
			rec = append(rec, num(r.Target), p)
		}
		rec = append(rec, csvtable.Neutralise(strings.Join(r.Warnings, warningSep)))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
