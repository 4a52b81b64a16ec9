package table

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Formats are the formats Write writes.
var Formats = []string{"csv", "json", "parquet", "xlsx"}

// Format is a format of Formats and, for csv, its dialect. The zero Sep
// (or ',') is the plain CSV every tool reads: comma-separated, decimal
// point, no byte order mark, byte for byte what the exports always were.
// Sep ';' is the French convention, the one French Excel opens by a
// double click: semicolon-separated, decimal comma (1234,5) and a UTF-8
// byte order mark. Sep is ignored by the other formats.
type Format struct {
	Name string // one of Formats
	Sep  rune   // csv: ',' (or 0) or ';'
}

// French is the CSV dialect of French Excel.
var French = Format{Name: "csv", Sep: ';'}

// sep is f's separator, ',' when not set.
func (f Format) sep() rune {
	if f.Sep == 0 {
		return ','
	}
	return f.Sep
}

// french reports whether f is the French dialect (Sep ';').
func (f Format) french() bool { return f.Sep == ';' }

// Check returns an error naming what is wrong with f.
func (f Format) Check() error {
	if !slices.Contains(Formats, f.Name) {
		return fmt.Errorf("format %q: want one of %s", f.Name, strings.Join(Formats, ", "))
	}
	if f.Name == "csv" && f.Sep != 0 && f.Sep != ',' && f.Sep != ';' {
		return fmt.Errorf("separator %q: want ; (French: decimal comma, UTF-8 BOM) or , (decimal point)", f.Sep)
	}
	return nil
}

// timestampType is the Arrow type of Timestamp columns: nanoseconds, so that
// CSV and JSON show an instant as precisely as time.Time holds it.
var timestampType = &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}

// The instants a nanosecond timestamp can hold (time.Time.UnixNano is
// undefined outside them).
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Table is a table being built: its columns are declared first, then its rows
// appended. Make one with New.
type Table struct {
	mem    memory.Allocator
	fields []arrow.Field
	bld    *array.RecordBuilder // made at the first value; the columns are fixed from then on
	rows   int                  // rows ended in bld
	err    error                // the first misuse: it sticks
}

// New returns a table with no columns whose Arrow builders allocate from mem
// (memory.DefaultAllocator when nil). The caller releases it.
func New(mem memory.Allocator) *Table {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Table{mem: mem}
}

// Column is a column of Go type T: it appends that column's value to the
// current row. Column handles are made by the Table methods that declare
// them (String, Int64, …) and are valid for that table only.
type Column[T any] struct {
	t      *Table
	i      int // index in t.fields
	name   string
	isNull func(T) bool                 // the values stored as null (NaN, the zero time); nil: none
	put    func(array.Builder, T) error // appends a non-null value to the column's builder
}

// String declares a column of strings.
func (t *Table) String(name string) *Column[string] {
	return declare(t, name, arrow.BinaryTypes.String, nil, func(b array.Builder, v string) error {
		b.(*array.StringBuilder).Append(v)
		return nil
	})
}

// Int64 declares a column of 64-bit integers.
func (t *Table) Int64(name string) *Column[int64] {
	return declare(t, name, arrow.PrimitiveTypes.Int64, nil, func(b array.Builder, v int64) error {
		b.(*array.Int64Builder).Append(v)
		return nil
	})
}

// Float64 declares a column of 64-bit floats. NaN and ±Inf are stored as
// null: JSON has no way to write them, and CSV readers disagree on them.
func (t *Table) Float64(name string) *Column[float64] {
	isNull := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	return declare(t, name, arrow.PrimitiveTypes.Float64, isNull, func(b array.Builder, v float64) error {
		b.(*array.Float64Builder).Append(v)
		return nil
	})
}

// Bool declares a column of booleans.
func (t *Table) Bool(name string) *Column[bool] {
	return declare(t, name, arrow.FixedWidthTypes.Boolean, nil, func(b array.Builder, v bool) error {
		b.(*array.BooleanBuilder).Append(v)
		return nil
	})
}

// Timestamp declares a column of instants, kept to the nanosecond and
// written in UTC (Parquet keeps microseconds: see the package doc). The
// zero time.Time is stored as null; an instant outside 1677–2262, which a
// nanosecond timestamp cannot hold, is an error.
func (t *Table) Timestamp(name string) *Column[time.Time] {
	return declare(t, name, timestampType, time.Time.IsZero, func(b array.Builder, v time.Time) error {
		if v.Before(minTime) || v.After(maxTime) {
			return fmt.Errorf("time %s is outside %s … %s", v.UTC().Format(time.RFC3339), minTime.UTC().Format(time.RFC3339), maxTime.UTC().Format(time.RFC3339))
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(v.UnixNano()))
		return nil
	})
}

// declare adds a nullable column of Arrow type typ. typ and put come from
// the same declaring method, so put's type assertion holds by construction.
func declare[T any](t *Table, name string, typ arrow.DataType, isNull func(T) bool, put func(array.Builder, T) error) *Column[T] {
	c := &Column[T]{t: t, i: len(t.fields), name: name, isNull: isNull, put: put}
	switch {
	case t.err != nil:
	case t.bld != nil:
		t.err = fmt.Errorf("table: column %q declared after the first value: declare every column first", name)
	case name == "":
		t.err = fmt.Errorf("table: column %d has no name", len(t.fields)+1)
	case slices.ContainsFunc(t.fields, func(f arrow.Field) bool { return f.Name == name }):
		t.err = fmt.Errorf("table: column %q declared twice", name)
	default:
		t.fields = append(t.fields, arrow.Field{Name: name, Type: typ, Nullable: true})
	}
	return c
}

// NotNull makes the column refuse nulls (a Parquet REQUIRED column), and
// returns it. It must come before the first value, as declarations do.
func (c *Column[T]) NotNull() *Column[T] {
	switch t := c.t; {
	case t.err != nil:
	case t.bld != nil:
		t.err = fmt.Errorf("table: column %q made NotNull after the first value: declare every column first", c.name)
	default:
		t.fields[c.i].Nullable = false
	}
	return c
}

// Append sets the column's value in the current row to v. A float64 NaN or
// ±Inf and the zero time.Time are nulls (see AppendNull).
func (c *Column[T]) Append(v T) {
	b := c.t.builder(c.i)
	if b == nil {
		return
	}
	if c.isNull != nil && c.isNull(v) {
		c.appendNull(b)
		return
	}
	if err := c.put(b, v); err != nil {
		c.t.err = fmt.Errorf("table: row %d, column %q: %w", c.t.rows+1, c.name, err)
	}
}

// AppendPtr appends *p, or a null when p is nil.
func (c *Column[T]) AppendPtr(p *T) {
	if p == nil {
		c.AppendNull()
		return
	}
	c.Append(*p)
}

// AppendNull sets the column's value in the current row to null: an error
// (returned by EndRow) when the column is NotNull.
func (c *Column[T]) AppendNull() {
	if b := c.t.builder(c.i); b != nil {
		c.appendNull(b)
	}
}

func (c *Column[T]) appendNull(b array.Builder) {
	if !c.t.fields[c.i].Nullable {
		c.t.err = fmt.Errorf("table: row %d, column %q: a null in a NotNull column", c.t.rows+1, c.name)
		return
	}
	b.AppendNull()
}

// builder returns the builder of column i, making the record builder (and so
// fixing the columns) at the first call; nil once the table has failed.
func (t *Table) builder(i int) array.Builder {
	if !t.start() {
		return nil
	}
	return t.bld.Field(i)
}

func (t *Table) start() bool {
	switch {
	case t.err != nil:
		return false
	case t.bld != nil:
		return true
	case len(t.fields) == 0:
		t.err = errors.New("table: no columns declared")
		return false
	}
	t.bld = array.NewRecordBuilder(t.mem, arrow.NewSchema(t.fields, nil))
	return true
}

// EndRow ends the current row. It returns an error, and the table fails,
// when a column has no value in the row or more than one, or when the table
// failed before (the first error sticks).
func (t *Table) EndRow() error {
	if !t.start() {
		return t.err
	}
	var missing, twice []string
	for i, f := range t.fields {
		switch n := t.bld.Field(i).Len(); {
		case n <= t.rows:
			missing = append(missing, f.Name)
		case n > t.rows+1:
			twice = append(twice, f.Name)
		}
	}
	if len(missing) > 0 || len(twice) > 0 {
		var why []string
		if len(missing) > 0 {
			why = append(why, "no value for "+strings.Join(missing, ", "))
		}
		if len(twice) > 0 {
			why = append(why, "more than one value for "+strings.Join(twice, ", "))
		}
		t.err = fmt.Errorf("table: row %d: %s", t.rows+1, strings.Join(why, "; "))
		return t.err
	}
	t.rows++
	return nil
}

// NewRecord returns the rows ended since the last NewRecord or Write as an
// Arrow record, which the caller releases, and starts over with no rows. It
// returns an error when the table failed or a row was begun and not ended.
func (t *Table) NewRecord() (arrow.RecordBatch, error) {
	if !t.start() {
		return nil, t.err
	}
	for i, f := range t.fields {
		if t.bld.Field(i).Len() != t.rows {
			t.err = fmt.Errorf("table: row %d was begun (column %q) and not ended: call EndRow", t.rows+1, f.Name)
			return nil, t.err
		}
	}
	t.rows = 0
	return t.bld.NewRecordBatch(), nil
}

// Write writes the rows ended since the last NewRecord or Write to w in
// format, one of Formats (see the package doc), and returns how many. The
// rows are gone afterwards, written or not. The caller owns w: Write
// neither closes nor syncs it.
func (t *Table) Write(w io.Writer, format string) (int, error) {
	return t.WriteFormat(w, Format{Name: format})
}

// WriteFormat is Write in format f, with its CSV dialect.
func (t *Table) WriteFormat(w io.Writer, f Format) (int, error) {
	if err := f.Check(); err != nil {
		return 0, fmt.Errorf("table: %w", err)
	}
	rec, err := t.NewRecord()
	if err != nil {
		return 0, err
	}
	defer rec.Release()
	switch f.Name {
	case "csv":
		err = writeCSV(w, rec, f)
	case "xlsx":
		err = writeXLSX(w, rec)
	case "json":
		err = writeJSON(w, rec)
	case "parquet":
		err = writeParquet(w, rec, t.mem)
	default: // in Formats but with no writer: Formats was changed
		err = fmt.Errorf("table: format %q: no writer", f.Name)
	}
	if err != nil {
		return 0, err
	}
	return int(rec.NumRows()), nil
}

// Release frees the table's Arrow builders. The table is unusable
// afterwards: every call returns an error.
func (t *Table) Release() {
	if t.bld != nil {
		t.bld.Release()
		t.bld = nil
	}
	if t.err == nil {
		t.err = errors.New("table: used after Release")
	}
}
