package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/table"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// TestCompactionPastThresholdKeepsExports ingests files in many small
// commits; the nightly run's compaction (past compact_after_files) leaves
// fewer files and every export unchanged.
func TestCompactionPastThresholdKeepsExports(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Default(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.Warehouse.CompactAfter = 3
	src := filepath.Join(t.TempDir(), "returns")
	paths, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 5, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2017, 4), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < len(paths); k += 8 {
		if _, err := IngestFiles(context.Background(), cfg, paths[k:min(k+8, len(paths))], nil); err != nil {
			t.Fatal(err)
		}
	}
	exports := func() string {
		var b strings.Builder
		for _, table := range []string{"returns", "panel", "series", "problems"} {
			if _, err := Export(context.Background(), cfg, table, domain.AsOf{}, french, &b, nil); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	before := exports()
	cat, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	sum, err := Compact(context.Background(), cfg, false, nil)
	if err != nil || !sum.Compacted || sum.Before != len(cat.Parts) || sum.After >= sum.Before {
		t.Fatalf("compaction %+v, %v (%d parts before)", sum, err, len(cat.Parts))
	}
	if after := exports(); after != before {
		t.Error("exports changed with compaction")
	}
	if sum, err := Compact(context.Background(), cfg, false, nil); err != nil || sum.Compacted {
		t.Errorf("below the threshold, compaction ran: %+v %v", sum, err)
	}
}

// french is the CSV dialect the faces write by default.
var french = table.French

func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := config.Default(dir)
	src := filepath.Join(t.TempDir(), "returns")
	if _, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 3, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 4), Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := IngestFiles(context.Background(), cfg, []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	n, err := Export(context.Background(), cfg, "panel", domain.AsOf{}, table.Format{Name: "json"}, &js, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(js.Bytes(), &rows); err != nil || len(rows) != n || n < 12 {
		t.Fatalf("%d rows, %v:\n%s", n, err, js.String())
	}
	for _, k := range []string{"operator_id", "period", "status", "imputed", "entry", "exit", "headcount", "hires"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("panel json lacks %q", k)
		}
	}
	out := filepath.Join(t.TempDir(), "series.parquet")
	if _, err := ExportFile(context.Background(), cfg, "series", domain.AsOf{}, table.Format{Name: "parquet"}, out, nil); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("PAR1")) {
		t.Errorf("parquet export: %v", err)
	}
	if _, err := Export(context.Background(), cfg, "series", domain.AsOf{}, table.Format{Name: "xml"}, &js, nil); err == nil {
		t.Error("format xml accepted")
	}
}

// TestExportEveryTable writes every table in every format after a run (so
// that runs and forecasts have rows): the same rows in each format, read
// back, and every Arrow buffer released.
func TestExportEveryTable(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WriteDir(ctx, cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.Options{Operators: 5, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2017, 2), Seed: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, cfg, nil, nil); err != nil && !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	for _, name := range ExportTables {
		rows := map[string]int{}
		for _, format := range table.Formats {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			var b bytes.Buffer
			n, err := export(ctx, cfg, name, domain.AsOf{}, table.Format{Name: format}, &b, nil, mem)
			mem.AssertSize(t, 0)
			if err != nil {
				t.Fatalf("%s as %s: %v", name, format, err)
			}
			switch format {
			case "csv":
				recs, err := csv.NewReader(&b).ReadAll()
				if err != nil {
					t.Fatalf("%s as csv: %v", name, err)
				}
				rows[format] = len(recs) - 1
			case "json":
				var objs []map[string]any
				if err := json.Unmarshal(b.Bytes(), &objs); err != nil {
					t.Fatalf("%s as json: %v", name, err)
				}
				rows[format] = len(objs)
			case "parquet":
				f, err := file.NewParquetReader(bytes.NewReader(b.Bytes()))
				if err != nil {
					t.Fatalf("%s as parquet: %v", name, err)
				}
				rows[format] = int(f.NumRows())
				f.Close()
			case "xlsx":
				f, err := excelize.OpenReader(&b)
				if err != nil {
					t.Fatalf("%s as xlsx: %v", name, err)
				}
				all, err := f.GetRows("Données")
				f.Close()
				if err != nil {
					t.Fatalf("%s as xlsx: %v", name, err)
				}
				rows[format] = len(all) - 1
			}
			if rows[format] != n {
				t.Errorf("%s as %s: %d rows read back, Export said %d", name, format, rows[format], n)
			}
		}
		if rows["csv"] != rows["json"] || rows["csv"] != rows["parquet"] || rows["csv"] != rows["xlsx"] || rows["csv"] == 0 {
			t.Errorf("%s: rows per format %v", name, rows)
		}
	}
}
