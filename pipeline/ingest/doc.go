// Package ingest reads operators' return workbooks into canonical returns and
// the problems found, cell by cell.
//
// Read never panics and never stops at the first problem: it collects every
// problem of the file, each naming the file, sheet, cell, value found and
// value expected. A file with any error-level problem is rejected whole (the
// caller quarantines it); warnings and information are reported with the
// accepted rows.
//
// What is read today: the offshore template and workbooks shaped like it — a
// header row within the first 30 rows of a sheet, headers in French or English
// (any wording of configs/mappings.yaml, compared without case, accents,
// spacing or punctuation), columns in any order, extra columns ignored with a
// note, blank rows skipped. Sectors are codes or names, regions names, aliases
// or cities, as mappings.yaml lists them. Amounts are in MAD.
package ingest
