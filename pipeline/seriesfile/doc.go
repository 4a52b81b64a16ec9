// Package seriesfile forecasts an analyst's own time series, read from a
// file: what `offshore forecast --input FILE` does. No warehouse,
// configuration or target set is involved, and nothing goes through the
// confidentiality gate: the series and their forecasts are the analyst's.
//
// A command calls it in four steps: [ReadFile] (or [Read]) the series,
// [Forecast] them, [Write] (or [WriteFile]) the forecasts, and optionally
// [Plot] one fan chart per series.
//
// # Files read
//
// A CSV file (.csv, comma-separated, UTF-8 with or without a byte order mark)
// or the first sheet of an xlsx workbook (.xlsx), whose first row is a header
// naming the columns series_id, period and value, in any order and any case
// (other columns are ignored), and whose other rows hold one value of one
// series each:
//
//	series_id,period,value
//	jobs,2016,52000
//	jobs,2017,55500
//	exports,2016Q1,2.31
//
// A period is a year (2016; a workbook's number 2016.0 too) for a yearly
// series or a quarter (2016Q1, 2016q1) for a quarterly one. A value is a
// finite number with a decimal point and no thousands separator (Go's
// strconv.ParseFloat syntax). Rows whose three cells are blank are skipped.
//
// # Rules
//
//   - A series is one frequency throughout, has one value per period and no
//     gap between its first and last period; its rows may come in any order.
//   - Series are returned, forecast and written in the order in which their
//     ids first appear in the file.
//   - Every bad row is reported, not only the first: the error joins one
//     [*RowError] per problem (file, row, column, value found, value
//     expected), and no series is returned.
//   - A series too short for the model (3 values for the automatic one, more
//     for theta or damped alone) is not a read error: [Forecast] reports it
//     in its [Result] and forecasts the others.
//   - The forecasts of a series depend on that series alone: the output is
//     the same, byte for byte and in the same order, whatever the number of
//     workers.
//
// # Files written
//
// One row per series and step: series_id, period (labelled like the input:
// 2019 or 2019Q1), point (the median), lo80, hi80, lo95, hi95 (central 80 %
// and 95 % intervals), model (the method, or the automatic model's mix) and,
// when a target is given, p_meet (P(value ≥ target)). As CSV, numbers have
// 10 significant digits and p_meet 4 decimals; as JSON, an array of objects
// with those keys, indented by two spaces ([] when empty); as xlsx, a sheet
// named "forecast" with the header and numbers stored as numbers.
//
// # Extending the reader
//
// Reading goes in two steps: decoding the file into a table of strings
// (reader_csv.go, reader_xlsx.go) and reading series from that table
// (reader.go), through one function per cell kind (period.go for periods,
// parseValue for values). A new file dialect (another separator, a decimal
// comma) touches the first step or parseValue only; a new period form or
// frequency (T1 2019, months) touches period.go and [Series] labels only; an
// optional column (a target per series) is one more name in the header map.
package seriesfile
