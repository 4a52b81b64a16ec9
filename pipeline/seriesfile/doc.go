// Package seriesfile forecasts an analyst's own time series, read from a
// file: what `offshore forecast --input FILE` does. No warehouse,
// configuration or target set is involved, and nothing goes through the
// confidentiality gate: the series and their forecasts are the analyst's.
//
// A command calls it in four steps: [ReadFile] (or [Read]) the file,
// [Forecast] them, [Write] (or [WriteFile]) the forecasts, and optionally
// [Plot] one fan chart per series.
//
// # Files read
//
// A CSV file (.csv) or the first sheet of an xlsx workbook (.xlsx). The
// header is the first of the top ten rows that names a period and a value
// column (rows above it, a title say, are skipped); it names the columns,
// in any order, any case, with or without accents, a unit in parentheses
// ("Valeur (MDH)") ignored, other columns ignored:
//
//   - the series: series_id, series, série, serie, identifiant, id, code,
//     nom, name. Without one, the file is one series named after the file
//     (jobs.csv: jobs);
//   - the period: period, période, periode, date, trimestre, mois, année,
//     year, quarter, month;
//   - the value: value, valeur, valeurs, values, montant, observation;
//   - optionally the target: target, cible, objectif.
//
// Two columns naming the same thing are an error. Every other row holds
// one value of one series:
//
//	series_id,period,value          série;période;valeur;cible
//	jobs,2016,52000                 emplois;T1 2016;52 000,5;60 000
//	exports,2016Q1,2.31             emplois;T2 2016;53 100;
//
// A CSV file is UTF-8, with or without a byte order mark, or Windows-1252
// when it is not valid UTF-8 (French Excel's "CSV (séparateur :
// point-virgule)"); lines may end in CRLF. Its dialect is read from its
// header line: the separator is whichever of ';', ',' and tab it holds most
// of outside quotes (',' on a tie). A comma-separated file has decimal
// points. A semicolon- (or tab-) separated file has decimal commas, unless
// no value or target of the file has a comma and some have a point: then
// points. Whatever the dialect, thousands may be separated by spaces (the
// no-break U+00A0 and narrow no-break U+202F that French Excel and
// LibreOffice write too), and with a decimal comma by points in groups of
// three (1.234.567,5). A semicolon-separated file is French (File.Style):
// the forecasts are written in its style by default.
//
// In a workbook a value is a number cell, or a text cell with a decimal
// comma or point; a period is a text cell, a number (2016, or 2016.0) for a
// year, or a cell formatted as a date (built-in or custom date format),
// which reads as that date (the time of day is dropped).
//
// A period is
//
//   - a year: 2016;
//   - a quarter: 2016Q1, 2016q1, 2016-Q1, 2016-T1, 2016 T1, T1 2016,
//     Q1-2016, 1er trimestre 2016, 2e (2ème, 2eme) trimestre 2016, premier
//     trimestre 2016, 2e trim. 2016;
//   - a month: 2016-03, 2016/3, 2016M03, 03/2016, 3-2016, mars 2016, Mars
//     2016, janv. 2016, fév 2016, août 2016 (French names with or without
//     accents, their usual abbreviations with or without a point, English
//     names too), mars-16 (a two-digit year is 2000 to 2069, or 1970 to
//     1999);
//   - a date: 2016-03-01 (a time after it is dropped), 01/03/2016 (day
//     first). A series whose periods are all dates is yearly when they are
//     whole years apart, quarterly when whole quarters apart, monthly
//     otherwise: 2016-01-01, 2016-04-01, 2016-10-01 is quarterly, with a gap.
//
// Monthly series have Freq 12, the seasonal period the models are given. A
// value is a finite number; an empty value cell is a missing value, like a
// missing row. NaN, infinities and numbers beyond ±1.8e308 (1e400) are
// errors, and so is any text (N/A, n/d, #DIV/0!): a typo would otherwise
// pass for a missing value. Rows whose series, period, value and target
// cells are all blank are skipped.
//
// # Rules
//
//   - A series is one frequency throughout (different series may have
//     different ones) and one value per period (a duplicate is an error);
//     its rows may come in any order.
//   - Periods missing between a series' first and last value (no row, or an
//     empty value) are allowed: they are passed to the model as missing
//     (forecast.FitWithGaps, which fills them in) and named in the series'
//     warnings. Periods without a value before the first value or after the
//     last are left out, with a warning. A series with more periods missing
//     than observed is not forecast (ErrTooSparse); one spanning more than
//     5000 periods is an error.
//   - A series has at most one target: the target cells of its rows are all
//     the same, or blank but one (or some). Options.Target (the command's
//     --target) applies to every series instead; the command refuses it
//     when the file gives targets of its own.
//   - Series are returned, forecast and written in the order in which their
//     ids first appear in the file.
//   - Every bad row is reported, not only the first: the error joins one
//     [*RowError] per problem (file, row, column as the header names it,
//     series, value found, value expected), row-level problems first then
//     series-level ones (a frequency mixed, a duplicate period, a second
//     target), and no series is returned.
//   - A series too short for the model (3 values for the automatic one, more
//     for theta or damped alone) is not a read error: [Forecast] reports it
//     in its [Result] and forecasts the others.
//   - Forecasting is two phases: every series is fitted (in parallel), then
//     the fits are pooled (forecast.Pool: each series' intervals are
//     calibrated with the errors of the whole file), then each series'
//     path is read. The output is the same, byte for byte and in the same
//     order, whatever the number of workers.
//   - A forecast that is not a finite number is never written: its series
//     gets ErrNonFinite, the others are written, and Forecast's error (then
//     the command's exit code 1) names it.
//
// # Files written
//
// One row per series and step: series_id, period (labelled like the
// input's: 2019, 2019Q1, T1 2019, 2019-T1, 1er trimestre 2019, 2019-03,
// 03/2019, mars 2019, or a date; month names are written in full, with
// their accents, in the input's language and capitalisation), point (the
// median), lo80, hi80, lo95, hi95 (central 80 % and 95 % intervals; empty
// when the series is too short for an honest interval, forecast.Dist.HasInterval),
// model (the method, or the automatic model's mix), then, when some series
// has a target, target and p_meet (P(value ≥ target); empty without an
// interval), and warnings: the series' warnings (periods filled in or left
// out, values the model found out of line, no interval), on each of its
// rows. Forecast also logs them, once per series, as one warning.
//
// As CSV, numbers have 10 significant digits and p_meet 4 decimals; the
// English style is comma-separated with decimal points, the French style
// (Style French: what Excel in French reads) begins with a byte order mark
// and is semicolon-separated with decimal commas. The column names are
// English in both. Warnings are joined by " | " in one cell. As JSON, an
// array of objects with those keys, indented by two spaces ([] when
// empty): null bounds without an interval, no target and p_meet keys
// without a target, warnings an array of strings. As xlsx, a sheet named
// "forecast" with the header and numbers stored as numbers, empty cells
// where a figure is missing.
//
// # Extending the reader
//
// Reading goes in two steps: decoding the file into a table of strings
// (reader_csv.go, with the separator; reader_xlsx.go, with date cells made
// dates) and reading series from that table (reader.go), through one
// function per cell kind (period.go for periods and their labels,
// number.go for values and targets). A new file dialect touches the first
// step or number.go only; a new period form touches period.go only (a
// regular expression, and a labelStyle form to write it back); a new
// column is one more role in roleNames.
package seriesfile
