// Package table builds typed tables in Arrow and writes them as CSV, JSON,
// Parquet or xlsx: the files `offshore export` and the analysts' downloads
// hand to analysts.
//
// A table is declared before it is filled: each column has a name and a Go
// type fixed by the method that declares it (String, Int64, Float64, Bool,
// Timestamp), so a value of the wrong type does not compile. Rows are then
// appended one value per column through the column handles, and EndRow
// closes each row:
//
//	t := table.New(mem)
//	defer t.Release()
//	id, n := t.String("operator_id"), t.Int64("rows").NotNull()
//	id.Append("001158170000585")
//	n.Append(12)
//	if err := t.EndRow(); err != nil { … }
//	rows, err := t.Write(w, "csv")
//
// The rules it keeps:
//
//   - Misuse is an error, never a panic: a row with a column left out or
//     given twice, a null in a NotNull column, a column declared once rows
//     have started, a duplicate or empty name. The first such error sticks:
//     the table ignores every later call and EndRow, NewRecord and Write
//     return it.
//   - Columns are nullable unless declared NotNull, as Parquet columns are
//     OPTIONAL unless REQUIRED. A null is AppendNull, AppendPtr(nil), a
//     float64 NaN or ±Inf (neither JSON nor CSV readers agree on them), or the
//     zero time.Time.
//   - Timestamps are instants: kept in nanoseconds and written in UTC; Parquet
//     files keep microseconds, the warehouse's unit (finer digits are
//     dropped, rounding down).
//   - Memory: the Arrow builders come from the allocator given to New and are
//     freed by Release; a record from NewRecord is the caller's to release.
//     A Table is not safe for concurrent use.
//
// The formats (Formats):
//
//   - csv: a header of the column names, then one record per row
//     (encoding/csv quoting, "\n" line ends); a null is an empty field,
//     integers and booleans as Go prints them, floats in the shortest decimal
//     that reads back exactly and never with an exponent, times in RFC 3339
//     with as many fractional digits as needed. Two dialects (Format.Sep):
//     plain (',', decimal point, no BOM: Write's) and French (';', decimal
//     comma, UTF-8 byte order mark: what French Excel opens by a double
//     click). In both, every text cell that begins with =, +, -, @, a tab or
//     a carriage return is prefixed with a single quote (Neutralise, the
//     OWASP rule against CSV injection), so that no spreadsheet computes an
//     operator's text; numbers are written by numeric columns, are not text
//     and are left as they are, negative ones included;
//   - xlsx: one sheet, "Données", a bold frozen header, numbers and booleans
//     as such, strings as text cells (never formulas), instants as dates in
//     UTC to the second;
//   - json: one array of objects, one object per line, keys in column order;
//     a null is null, numbers as encoding/json writes them (floats may take
//     an exponent), times as RFC 3339 strings as in CSV;
//   - parquet: zstd, created_by "offshore", the Arrow schema
//     stored (pqarrow.WithStoreSchema) so readers get the column types back.
package table
