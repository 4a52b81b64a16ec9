// Package ingest reads operators' return workbooks into canonical returns and
// the problems found, cell by cell.
//
// Read never panics and never stops at the first problem: it collects every
// problem of the file, each naming the file, sheet, cell, canonical column,
// value found and value expected, with a stable code, a severity and a
// message in French and in English. With the default policy (OnErrorReject)
// a file with any error is rejected whole; with OnErrorSkipRow the good rows
// of a file whose errors are all about rows are kept (Result.Rejected says
// which). Warnings (plausibility) and information are reported with the
// accepted rows.
//
// What is read (every wording and term lives in config/mappings.yaml):
//
//   - layout: the header row anywhere in the first 30 rows of a sheet, on one
//     row or two (a group header above, merged or not, unless it is a title
//     line), merged cells filled; each header cell read by meaning
//     (headers.go: scored against each column's terms, French, English or
//     Arabic, without its date, unit, qualifiers or stop words; a listed
//     wording wins) and each column given its best cell, one to one (two
//     equal claims are an error; a second cell naming a column is read where
//     the first is blank); units in the header, under a group header, in a
//     row under the header, on any line above the table, in the tab name or
//     the workbook's title; extra columns ignored (information), unclear ones
//     warned of at their cell; every visible sheet holding returns, hidden
//     ones only when no visible one has a table; a repeated header row
//     starts a second table; blank rows inside; totals rows (a label
//     anywhere in the row and no ICE or summing figures, or blank
//     identifiers and a headcount that is the sum above) and notes are
//     reported, not ingested; a declaration date above the table;
//   - values: numbers stored or typed as text with French or English
//     separators, amounts scaled to MAD exactly, percentages, Excel dates in
//     the 1900 or 1904 system, text dates, every period spelling of
//     mappings.yaml (a half-year, a month that ends no quarter or a year is
//     refused saying what to send), sectors by name, alias or a wording
//     inside longer text, regions by name, alias or city, the ICE as 15
//     digits of text or as a number whose leading zeros are restored;
//     figures beyond any operator's and export revenue per employee a unit
//     would explain are errors; formulas by
//     their cached value, computed with excelize when a program saved none,
//     spreadsheet errors (#REF!, #DIV/0!…) as problems.
//
// Hostile input is refused with one clear line before excelize parses it
// (sniff.go): the real type of a renamed file by its magic bytes (.xls,
// .ods, .csv, .pdf, HTML, password-protected CFB containers), a damaged zip,
// a total uncompressed size over Options.MaxUnzipBytes (zip bombs, measured
// while inflating, not trusted from the headers), any one part other than a
// worksheet over Options.MaxXMLBytes (worksheets are streamed, never held
// whole), more than 500,000 shared strings, DTD or entity
// declarations in any XML part, a worksheet whose XML is cut short (checked
// against its closing tag and declared dimension, since excelize's row
// reader stops silently at a decode error). Each file is read in a goroutine
// bounded by Options.Timeout; see Read for the memory budget.
//
// Rows are read by the package's own streaming reader of the worksheet XML
// (rows_xml.go), which gives exactly excelize's raw values and hands any XML
// it does not read exactly back to excelize; a sheet over 8 MB of XML is
// checked row by row while it is read, never held whole.
//
// Feedback writes the workbook sent back to an operator: its own file with
// the faulty cells highlighted and commented, and a first sheet listing every
// problem in French (default) or English.
package ingest
