package table_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/offshore-ma/offshore/pipeline/table"
)

// sample is the table every format is tested on: each column type, nulls of
// every kind, text that CSV must quote and JSON must escape, floats JSON
// writes with an exponent, and instants finer than a microsecond, before
// 1970 among them.
type sample struct {
	name    string
	n       *int64
	x       float64
	ok      bool
	at      time.Time
	counted int64 // NotNull
}

var (
	seven   = int64(7)
	samples = []sample{
		{"plain", &seven, 1.5, true, time.Date(2018, 12, 31, 23, 59, 59, 123456789, time.UTC), 1},
		{`comma, "quote" <tag> & é`, nil, math.NaN(), false, time.Time{}, 2},
		{"line\nbreak", &seven, 1e21, true, time.Date(1969, 12, 31, 23, 59, 59, 999999500, time.UTC), 3},
		{"", nil, 0.000001, false, time.Date(2017, 3, 1, 12, 0, 0, 0, time.FixedZone("WET", 3600)), 4},
		{"inf", nil, math.Inf(-1), true, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), 5},
	}
)

// build fills a table with samples.
func build(t *testing.T, mem memory.Allocator) *table.Table {
	t.Helper()
	tb := table.New(mem)
	var (
		name    = tb.String("name")
		n       = tb.Int64("n")
		x       = tb.Float64("x")
		ok      = tb.Bool("ok")
		at      = tb.Timestamp("at")
		counted = tb.Int64("counted").NotNull()
	)
	for _, s := range samples {
		name.Append(s.name)
		n.AppendPtr(s.n)
		x.Append(s.x)
		ok.Append(s.ok)
		at.Append(s.at)
		counted.Append(s.counted)
		if err := tb.EndRow(); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// The exact bytes: what `offshore export` has always written.
const (
	wantCSV = `name,n,x,ok,at,counted
plain,7,1.5,true,2018-12-31T23:59:59.123456789Z,1
"comma, ""quote"" <tag> & é",,,false,,2
"line
break",7,1000000000000000000000,true,1969-12-31T23:59:59.9999995Z,3
,,0.000001,false,2017-03-01T11:00:00Z,4
inf,,,true,2016-01-01T00:00:00Z,5
`
	wantJSON = `[
{"name":"plain","n":7,"x":1.5,"ok":true,"at":"2018-12-31T23:59:59.123456789Z","counted":1},
{"name":"comma, \"quote\" \u003ctag\u003e \u0026 é","n":null,"x":null,"ok":false,"at":null,"counted":2},
{"name":"line\nbreak","n":7,"x":1e+21,"ok":true,"at":"1969-12-31T23:59:59.9999995Z","counted":3},
{"name":"","n":null,"x":0.000001,"ok":false,"at":"2017-03-01T11:00:00Z","counted":4},
{"name":"inf","n":null,"x":null,"ok":true,"at":"2016-01-01T00:00:00Z","counted":5}
]
`
)

func TestFormats(t *testing.T) {
	for _, format := range table.Formats {
		t.Run(format, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			tb := build(t, mem)
			var b bytes.Buffer
			n, err := tb.Write(&b, format)
			tb.Release()
			if err != nil || n != len(samples) {
				t.Fatalf("Write: %d rows, %v", n, err)
			}
			switch format {
			case "csv":
				checkCSV(t, b.String())
			case "json":
				checkJSON(t, b.String())
			case "parquet":
				checkParquet(t, b.Bytes(), mem)
			case "xlsx":
				checkXLSX(t, b.Bytes())
			default:
				t.Fatalf("no test for format %s", format)
			}
		})
	}
}

func checkCSV(t *testing.T, got string) {
	if got != wantCSV {
		t.Errorf("csv:\n%s\nwant:\n%s", got, wantCSV)
	}
	recs, err := csv.NewReader(strings.NewReader(got)).ReadAll()
	if err != nil || len(recs) != len(samples)+1 {
		t.Fatalf("reading the csv back: %d records, %v", len(recs), err)
	}
	for k, s := range samples {
		if recs[k+1][0] != s.name {
			t.Errorf("row %d: name %q, want %q", k+1, recs[k+1][0], s.name)
		}
	}
}

func checkJSON(t *testing.T, got string) {
	if got != wantJSON {
		t.Errorf("json:\n%s\nwant:\n%s", got, wantJSON)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(got), &rows); err != nil || len(rows) != len(samples) {
		t.Fatalf("reading the json back: %d rows, %v", len(rows), err)
	}
	for k, s := range samples {
		r := rows[k]
		if r["name"] != s.name || (s.n == nil) != (r["n"] == nil) || r["ok"] != s.ok || r["counted"] != float64(s.counted) {
			t.Errorf("row %d: %v, want %+v", k+1, r, s)
		}
		if x, isNum := r["x"].(float64); isNum != !(math.IsNaN(s.x) || math.IsInf(s.x, 0)) || isNum && x != s.x {
			t.Errorf("row %d: x %v, want %v", k+1, r["x"], s.x)
		}
		if at, _ := r["at"].(string); at == "" != s.at.IsZero() || at != "" && !mustTime(t, at).Equal(s.at) {
			t.Errorf("row %d: at %v, want %v", k+1, r["at"], s.at)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func checkParquet(t *testing.T, b []byte, mem memory.Allocator) {
	f, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.MetaData().GetCreatedBy(); got != "offshore" {
		t.Errorf("created_by %q", got)
	}
	if cc, err := f.MetaData().RowGroup(0).ColumnChunk(0); err != nil || cc.Compression().String() != "ZSTD" {
		t.Errorf("compression: %v", err)
	}
	rd, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := rd.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	us := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	want := []arrow.Field{
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "at", Type: us, Nullable: true},
		{Name: "counted", Type: arrow.PrimitiveTypes.Int64, Nullable: false},
	}
	for k, f := range tbl.Schema().Fields() {
		if k >= len(want) || f.Name != want[k].Name || !arrow.TypeEqual(f.Type, want[k].Type) || f.Nullable != want[k].Nullable {
			t.Errorf("parquet column %d: %s, want %v", k, f, want[k])
		}
	}
	if tbl.NumRows() != int64(len(samples)) || tbl.NumCols() != int64(len(want)) {
		t.Fatalf("parquet: %d rows × %d columns", tbl.NumRows(), tbl.NumCols())
	}
	col := func(k int) arrow.Array { return tbl.Column(k).Data().Chunk(0) }
	for i, s := range samples {
		var got sample
		got.name = col(0).(*array.String).Value(i)
		if a := col(1).(*array.Int64); a.IsValid(i) {
			v := a.Value(i)
			got.n = &v
		}
		got.x = math.NaN()
		if a := col(2).(*array.Float64); a.IsValid(i) {
			got.x = a.Value(i)
		}
		got.ok = col(3).(*array.Boolean).Value(i)
		if a := col(4).(*array.Timestamp); a.IsValid(i) {
			got.at = a.Value(i).ToTime(arrow.Microsecond)
		}
		got.counted = col(5).(*array.Int64).Value(i)

		want := s
		want.at = floorMicro(s.at)
		if math.IsInf(want.x, 0) {
			want.x = math.NaN()
		}
		if got.name != want.name || !reflect.DeepEqual(got.n, want.n) || !sameFloat(got.x, want.x) || got.ok != want.ok ||
			!got.at.Equal(want.at) || got.counted != want.counted {
			t.Errorf("parquet row %d: %+v, want %+v", i+1, got, want)
		}
	}
}

// floorMicro is t to the microsecond below, as Parquet keeps it; zero stays zero.
func floorMicro(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMicro(t.UnixMicro()).UTC()
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestRecord checks the record a table builds: nulls where the values say so,
// and a fresh start after each record.
func TestRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tb := build(t, mem)
	defer tb.Release()
	rec, err := tb.NewRecord()
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != int64(len(samples)) {
		t.Fatalf("%d rows", rec.NumRows())
	}
	if got := rec.Schema().Field(4).Type; !arrow.TypeEqual(got, &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}) {
		t.Errorf("timestamp type %s", got)
	}
	for k, want := range []int{0, 3, 2, 0, 1, 0} { // nulls per column
		if got := rec.Column(k).NullN(); got != want {
			t.Errorf("column %s: %d nulls, want %d", rec.ColumnName(k), got, want)
		}
	}
	next, err := tb.NewRecord()
	if err != nil {
		t.Fatal(err)
	}
	defer next.Release()
	if next.NumRows() != 0 {
		t.Errorf("second record: %d rows, want 0", next.NumRows())
	}
}

// TestMisuse: every misuse is an error that names what is wrong, never a
// panic, and it sticks.
func TestMisuse(t *testing.T) {
	cases := []struct {
		name string
		use  func(*table.Table) error
		want string
	}{
		{"a column left out", func(tb *table.Table) error {
			a, _ := tb.String("a"), tb.Int64("b")
			a.Append("x")
			return tb.EndRow()
		}, `row 1: no value for b`},
		{"a column given twice", func(tb *table.Table) error {
			a, b := tb.String("a"), tb.Int64("b")
			a.Append("x")
			b.Append(1)
			b.Append(2)
			return tb.EndRow()
		}, `row 1: more than one value for b`},
		{"the second row short", func(tb *table.Table) error {
			a, b := tb.String("a"), tb.Int64("b")
			a.Append("x")
			b.Append(1)
			if err := tb.EndRow(); err != nil {
				return err
			}
			b.Append(2)
			return tb.EndRow()
		}, `row 2: no value for a`},
		{"an empty row", func(tb *table.Table) error {
			tb.String("a")
			return tb.EndRow()
		}, `row 1: no value for a`},
		{"AppendNull in a NotNull column", func(tb *table.Table) error {
			tb.String("a").NotNull().AppendNull()
			return tb.EndRow()
		}, `row 1, column "a": a null in a NotNull column`},
		{"NaN in a NotNull column", func(tb *table.Table) error {
			tb.Float64("x").NotNull().Append(math.NaN())
			return tb.EndRow()
		}, `column "x": a null in a NotNull column`},
		{"the zero time in a NotNull column", func(tb *table.Table) error {
			tb.Timestamp("at").NotNull().Append(time.Time{})
			return tb.EndRow()
		}, `column "at": a null in a NotNull column`},
		{"AppendPtr(nil) in a NotNull column", func(tb *table.Table) error {
			tb.Int64("n").NotNull().AppendPtr(nil)
			return tb.EndRow()
		}, `column "n": a null in a NotNull column`},
		{"a time nanoseconds cannot hold", func(tb *table.Table) error {
			tb.Timestamp("at").Append(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC))
			return tb.EndRow()
		}, `column "at": time 2300-01-01T00:00:00Z is outside`},
		{"a column declared after the first value", func(tb *table.Table) error {
			tb.String("a").Append("x")
			tb.String("b")
			return tb.EndRow()
		}, `column "b" declared after the first value`},
		{"NotNull after the first value", func(tb *table.Table) error {
			a := tb.String("a")
			a.Append("x")
			a.NotNull()
			return tb.EndRow()
		}, `column "a" made NotNull after the first value`},
		{"a name twice", func(tb *table.Table) error {
			tb.String("a")
			tb.Int64("a").Append(1)
			return tb.EndRow()
		}, `column "a" declared twice`},
		{"no name", func(tb *table.Table) error {
			tb.String("a")
			tb.Bool("")
			return tb.EndRow()
		}, `column 2 has no name`},
		{"no columns", func(tb *table.Table) error {
			_, err := tb.Write(new(bytes.Buffer), "csv")
			return err
		}, `no columns declared`},
		{"a row not ended", func(tb *table.Table) error {
			tb.String("a").Append("x")
			_, err := tb.NewRecord()
			return err
		}, `row 1 was begun (column "a") and not ended`},
		{"a row not ended before Write", func(tb *table.Table) error {
			tb.String("a").Append("x")
			_, err := tb.Write(new(bytes.Buffer), "json")
			return err
		}, `row 1 was begun`},
		{"used after Release", func(tb *table.Table) error {
			a := tb.String("a")
			a.Append("x")
			tb.Release()
			a.Append("y")
			return tb.EndRow()
		}, `used after Release`},
		{"an unknown format", func(tb *table.Table) error {
			tb.String("a").Append("x")
			if err := tb.EndRow(); err != nil {
				return err
			}
			_, err := tb.Write(new(bytes.Buffer), "xml")
			return err
		}, `format "xml": want one of csv, json, parquet`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			tb := table.New(mem)
			defer tb.Release()
			err := c.use(tb)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if c.name == "an unknown format" { // not a misuse of the table: its rows are still there
				if n, err := tb.Write(new(bytes.Buffer), "csv"); n != 1 || err != nil {
					t.Errorf("after an unknown format: %d rows, %v", n, err)
				}
				return
			}
			if again := tb.EndRow(); again == nil || again.Error() != err.Error() {
				t.Errorf("the error did not stick: %v", again)
			}
			if _, werr := tb.Write(new(bytes.Buffer), "csv"); werr == nil {
				t.Error("Write after the error succeeded")
			}
		})
	}
}

// TestEmpty: a table with columns and no rows writes a header, an empty
// array, a Parquet file with the schema and no rows.
func TestEmpty(t *testing.T) {
	want := map[string]string{"csv": "a,b\n", "json": "[\n]\n"}
	for _, format := range table.Formats {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		tb := table.New(mem)
		tb.String("a")
		tb.Timestamp("b")
		var b bytes.Buffer
		n, err := tb.Write(&b, format)
		tb.Release()
		if err != nil || n != 0 {
			t.Errorf("%s: %d rows, %v", format, n, err)
		}
		if w, ok := want[format]; ok && b.String() != w {
			t.Errorf("%s: %q, want %q", format, b.String(), w)
		}
		if format == "parquet" && !bytes.HasPrefix(b.Bytes(), []byte("PAR1")) {
			t.Errorf("parquet: %q", b.Bytes())
		}
		mem.AssertSize(t, 0)
	}
}
