package warehouse

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/offshore-ma/offshore/domain"
)

var tsUTC = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// ReturnsSchema is the Arrow schema of the returns table: the canonical return
// (domain.Return) plus lineage. Optional figures are nullable, never zero-filled.
var ReturnsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "operator_id", Type: arrow.BinaryTypes.String},
	{Name: "operator_name", Type: arrow.BinaryTypes.String},
	{Name: "sector", Type: arrow.BinaryTypes.String},
	{Name: "region", Type: arrow.BinaryTypes.String},
	{Name: "period", Type: arrow.BinaryTypes.String},
	{Name: "headcount", Type: arrow.PrimitiveTypes.Int64},
	{Name: "hires", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "hires_youth", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "hires_disabled", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "export_revenue_mad", Type: arrow.PrimitiveTypes.Float64},
	{Name: "total_revenue_mad", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "investment_mad", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "source_sha256", Type: arrow.BinaryTypes.String},
	{Name: "source_name", Type: arrow.BinaryTypes.String},
	{Name: "sheet", Type: arrow.BinaryTypes.String},
	{Name: "row", Type: arrow.PrimitiveTypes.Int32},
	{Name: "received_at", Type: tsUTC},
	{Name: "ingested_at", Type: tsUTC},
}, nil)

// ProblemsSchema is the Arrow schema of the problems table.
var ProblemsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "file", Type: arrow.BinaryTypes.String},
	{Name: "sha256", Type: arrow.BinaryTypes.String},
	{Name: "sheet", Type: arrow.BinaryTypes.String},
	{Name: "cell", Type: arrow.BinaryTypes.String},
	{Name: "code", Type: arrow.BinaryTypes.String},
	{Name: "severity", Type: arrow.BinaryTypes.String},
	{Name: "found", Type: arrow.BinaryTypes.String},
	{Name: "expected", Type: arrow.BinaryTypes.String},
	{Name: "message", Type: arrow.BinaryTypes.String},
	{Name: "ingested_at", Type: tsUTC},
}, nil)

// ReturnsRecord builds an Arrow record of rs with ReturnsSchema. The caller releases it.
func ReturnsRecord(mem memory.Allocator, rs []domain.Return) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, ReturnsSchema)
	defer b.Release()
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	i64 := func(i int) *array.Int64Builder { return b.Field(i).(*array.Int64Builder) }
	f64 := func(i int) *array.Float64Builder { return b.Field(i).(*array.Float64Builder) }
	ts := func(i int) *array.TimestampBuilder { return b.Field(i).(*array.TimestampBuilder) }
	optI := func(bl *array.Int64Builder, v *int64) {
		if v == nil {
			bl.AppendNull()
		} else {
			bl.Append(*v)
		}
	}
	optF := func(bl *array.Float64Builder, v *float64) {
		if v == nil {
			bl.AppendNull()
		} else {
			bl.Append(*v)
		}
	}
	for k := range rs {
		r := &rs[k]
		str(0).Append(r.OperatorID)
		str(1).Append(r.OperatorName)
		str(2).Append(r.Sector)
		str(3).Append(r.Region)
		str(4).Append(r.Period.String())
		i64(5).Append(r.Headcount)
		optI(i64(6), r.Hires)
		optI(i64(7), r.HiresYouth)
		optI(i64(8), r.HiresDisabled)
		f64(9).Append(r.ExportRevenueMAD)
		optF(f64(10), r.TotalRevenueMAD)
		optF(f64(11), r.InvestmentMAD)
		str(12).Append(r.SourceSHA256)
		str(13).Append(r.SourceName)
		str(14).Append(r.Sheet)
		b.Field(15).(*array.Int32Builder).Append(int32(r.Row))
		ts(16).Append(arrow.Timestamp(r.ReceivedAt.UnixMicro()))
		ts(17).Append(arrow.Timestamp(r.IngestedAt.UnixMicro()))
	}
	return b.NewRecordBatch()
}

// ProblemsRecord builds an Arrow record of ps with ProblemsSchema. The caller releases it.
func ProblemsRecord(mem memory.Allocator, ps []domain.Problem, ingestedAt time.Time) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, ProblemsSchema)
	defer b.Release()
	for _, p := range ps {
		for i, v := range []string{p.File, p.SHA256, p.Sheet, p.Cell, p.Code, string(p.Severity), p.Found, p.Expected, p.Message} {
			b.Field(i).(*array.StringBuilder).Append(v)
		}
		b.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(ingestedAt.UnixMicro()))
	}
	return b.NewRecordBatch()
}

// writeParquet writes rec as one Parquet file: zstd, Arrow schema stored.
func writeParquet(w io.Writer, rec arrow.RecordBatch) error {
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithCreatedBy("offshore"))
	// pqarrow closes a writer that is an io.Closer; the caller owns w.
	fw, err := pqarrow.NewFileWriter(rec.Schema(), struct{ io.Writer }{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// readReturnsFile reads one returns part and appends its rows to rs.
func readReturnsFile(ctx context.Context, path string, rs []domain.Return) ([]domain.Return, error) {
	tbl, err := readTable(ctx, path, ReturnsSchema)
	if err != nil {
		return rs, err
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 64*1024)
	defer tr.Release()
	for tr.Next() {
		rs, err = appendReturns(rs, tr.RecordBatch())
		if err != nil {
			return rs, fmt.Errorf("reading %s: %w", path, err)
		}
	}
	return rs, tr.Err()
}

// appendReturns converts a record with ReturnsSchema back to returns.
func appendReturns(rs []domain.Return, rec arrow.RecordBatch) ([]domain.Return, error) {
	str := func(i int) *array.String { return rec.Column(i).(*array.String) }
	i64 := func(i int) *array.Int64 { return rec.Column(i).(*array.Int64) }
	f64 := func(i int) *array.Float64 { return rec.Column(i).(*array.Float64) }
	ts := func(i int) *array.Timestamp { return rec.Column(i).(*array.Timestamp) }
	optI := func(a *array.Int64, k int) *int64 {
		if a.IsNull(k) {
			return nil
		}
		return domain.Int64(a.Value(k))
	}
	optF := func(a *array.Float64, k int) *float64 {
		if a.IsNull(k) {
			return nil
		}
		return domain.Float64(a.Value(k))
	}
	for k := 0; k < int(rec.NumRows()); k++ {
		p, err := domain.ParsePeriod(str(4).Value(k))
		if err != nil {
			return rs, err
		}
		rs = append(rs, domain.Return{
			OperatorID:       str(0).Value(k),
			OperatorName:     str(1).Value(k),
			Sector:           str(2).Value(k),
			Region:           str(3).Value(k),
			Period:           p,
			Headcount:        i64(5).Value(k),
			Hires:            optI(i64(6), k),
			HiresYouth:       optI(i64(7), k),
			HiresDisabled:    optI(i64(8), k),
			ExportRevenueMAD: f64(9).Value(k),
			TotalRevenueMAD:  optF(f64(10), k),
			InvestmentMAD:    optF(f64(11), k),
			SourceSHA256:     str(12).Value(k),
			SourceName:       str(13).Value(k),
			Sheet:            str(14).Value(k),
			Row:              int(rec.Column(15).(*array.Int32).Value(k)),
			ReceivedAt:       time.UnixMicro(int64(ts(16).Value(k))).UTC(),
			IngestedAt:       time.UnixMicro(int64(ts(17).Value(k))).UTC(),
		})
	}
	return rs, nil
}

// sameFields checks names, types and nullability, ignoring field metadata
// (Parquet adds field ids).
func sameFields(got, want *arrow.Schema) error {
	if got.NumFields() != want.NumFields() {
		return fmt.Errorf("%d columns, want %d", got.NumFields(), want.NumFields())
	}
	for i, f := range want.Fields() {
		g := got.Field(i)
		if g.Name != f.Name || !arrow.TypeEqual(g.Type, f.Type) || g.Nullable != f.Nullable {
			return fmt.Errorf("column %d is %s %s, want %s %s", i, g.Name, g.Type, f.Name, f.Type)
		}
	}
	return nil
}

// ProblemRow is one row of the problems table.
type ProblemRow struct {
	domain.Problem
	IngestedAt time.Time
}

// readTable reads one Parquet part whole and checks its columns against want.
// The caller releases the table.
func readTable(ctx context.Context, path string, want *arrow.Schema) (arrow.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(ctx, f, parquet.NewReaderProperties(memory.DefaultAllocator), pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := sameFields(tbl.Schema(), want); err != nil {
		tbl.Release()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return tbl, nil
}

// readProblemsFile reads one problems part and appends its rows to ps.
func readProblemsFile(ctx context.Context, path string, ps []ProblemRow) ([]ProblemRow, error) {
	tbl, err := readTable(ctx, path, ProblemsSchema)
	if err != nil {
		return ps, err
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 64*1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		str := func(i, k int) string { return rec.Column(i).(*array.String).Value(k) }
		for k := 0; k < int(rec.NumRows()); k++ {
			ps = append(ps, ProblemRow{
				Problem: domain.Problem{File: str(0, k), SHA256: str(1, k), Sheet: str(2, k), Cell: str(3, k), Code: str(4, k),
					Severity: domain.Severity(str(5, k)), Found: str(6, k), Expected: str(7, k), Message: str(8, k)},
				IngestedAt: time.UnixMicro(int64(rec.Column(9).(*array.Timestamp).Value(k))).UTC(),
			})
		}
	}
	return ps, tr.Err()
}

// writeParquetTables writes the rows of tables, in order, as one Parquet file
// with schema: what compaction does. Small inputs are merged into large row
// groups.
func writeParquetTables(w io.Writer, schema *arrow.Schema, tables []arrow.Table) error {
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithCreatedBy("offshore"),
		parquet.WithMaxRowGroupLength(1<<20))
	fw, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	for _, tbl := range tables {
		tr := array.NewTableReader(tbl, 64*1024)
		for tr.Next() {
			in := tr.RecordBatch()
			// The part's schema carries Parquet field ids as metadata; the
			// columns are the same, so they are rewritten under schema.
			rec := array.NewRecordBatch(schema, in.Columns(), in.NumRows())
			err = fw.WriteBuffered(rec)
			rec.Release()
			if err != nil {
				break
			}
		}
		tr.Release()
		if err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}
