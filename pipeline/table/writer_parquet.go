package table

import (
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeParquet writes rec as one Parquet file: zstd, created_by "offshore",
// the Arrow schema stored, timestamps in microseconds (see micros). These are
// the warehouse's own settings for its parts, so an export reads
// like the warehouse's files.
func writeParquet(w io.Writer, rec arrow.RecordBatch, mem memory.Allocator) error {
	rec = micros(rec, mem)
	defer rec.Release()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithCreatedBy("offshore"), parquet.WithAllocator(mem))
	// pqarrow closes a writer that is an io.Closer; the caller owns w.
	fw, err := pqarrow.NewFileWriter(rec.Schema(), struct{ io.Writer }{w}, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		return errors.Join(err, fw.Close())
	}
	return fw.Close()
}

// micros returns rec with its timestamp columns in microseconds, rounded
// down, the unit of the warehouse's files and one every Parquet reader takes
// (a Table keeps nanoseconds for CSV and JSON). The caller releases the
// result, which is rec retained when it has no other timestamps.
func micros(rec arrow.RecordBatch, mem memory.Allocator) arrow.RecordBatch {
	fields := rec.Schema().Fields() // a copy
	cols := make([]arrow.Array, len(fields))
	defer func() {
		for _, col := range cols {
			col.Release()
		}
	}()
	converted := false
	for k, col := range rec.Columns() {
		ts, ok := col.(*array.Timestamp)
		var typ *arrow.TimestampType
		if ok {
			typ = ts.DataType().(*arrow.TimestampType)
		}
		if !ok || typ.Unit == arrow.Microsecond {
			col.Retain()
			cols[k] = col
			continue
		}
		us := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: typ.TimeZone}
		b := array.NewTimestampBuilder(mem, us)
		b.Reserve(ts.Len())
		for i := range ts.Len() {
			if ts.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(arrow.Timestamp(ts.Value(i).ToTime(typ.Unit).UnixMicro()))
		}
		cols[k] = b.NewArray()
		b.Release()
		fields[k].Type = us
		converted = true
	}
	if !converted {
		rec.Retain()
		return rec
	}
	var md *arrow.Metadata
	if m := rec.Schema().Metadata(); m.Len() > 0 {
		md = &m
	}
	// A record made from the arrays rather than with a RecordBuilder: the
	// columns other than timestamps are shared, not copied.
	return array.NewRecordBatch(arrow.NewSchema(fields, md), cols, rec.NumRows())
}
