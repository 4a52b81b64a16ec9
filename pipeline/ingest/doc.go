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
// What is read (every wording lives in configs/mappings.yaml):
//
//   - layout: the header row anywhere in the first 30 rows of a sheet, on one
//     row or two (a group header above, merged or not), merged cells filled,
//     wordings in French or English compared without case, accents, spacing,
//     punctuation, line breaks, filler words or word order; units in the
//     header ("CA export (en KMAD)", "MAD millions") or in a cell above the
//     table ("Montants en milliers de dirhams") or in a row under the header;
//     extra columns ignored (information); the sheet with the best table,
//     visible sheets first, hidden ones only when no visible one has a table;
//     blank rows inside; totals rows (a "Total" label, or blank identifiers
//     and a headcount that is the sum above) and notes below the table are
//     reported, not ingested; a declaration date above the table;
//   - values: numbers stored or typed as text with French or English
//     separators, amounts scaled to MAD exactly, percentages, Excel dates in
//     the 1900 or 1904 system, text dates, every period spelling of
//     mappings.yaml, sectors and regions by name, alias or city, the ICE as
//     text or as a number whose leading zeros are restored; formulas by
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
