package warehouse

import (
	"context"
	"fmt"
	"io"
	"path"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/offshore-ma/offshore/internal/progress"
)

// CompactStats says what a compaction did.
type CompactStats struct {
	Compacted     bool `json:"compacted"` // some files were merged: After < Before
	Before, After int  // live Parquet files before and after
	Rows          int  // rows rewritten
}

// Parts counts the live Parquet files of table.
func (w *Warehouse) Parts(table string) int {
	n := 0
	for _, p := range w.cat.Parts {
		if p.Table == table {
			n++
		}
	}
	return n
}

// Compact rewrites the live Parquet files of each table into one file per
// partition folder (returns/year=YYYY/, problems/), as one commit: the new
// files are written and synced, the catalog is replaced, then the old files
// are removed (the commit's journal retires them, so a crash before that
// leaves them for the next Open to remove).
// The rows, their order within a partition and their columns are unchanged;
// only the files holding them change. Partitions with a single file are left
// alone; a warehouse with nothing to merge is not touched.
func (w *Warehouse) Compact(ctx context.Context) (CompactStats, error) {
	var st CompactStats
	type group struct {
		table, dir string
		parts      []Part
	}
	var groups []*group
	byDir := map[string]*group{}
	for _, p := range w.cat.Parts {
		st.Before++
		d := path.Dir(p.Path)
		g := byDir[d]
		if g == nil {
			g = &group{table: p.Table, dir: d}
			byDir[d] = g
			groups = append(groups, g)
		}
		g.parts = append(g.parts, p)
	}
	next := *w.cat
	next.Seq++
	next.Parts = nil
	var old []string
	var files pending
	defer files.abort()
	bar := progress.Start(ctx, "compact", "partitions", len(groups))
	defer bar.Done()
	for _, g := range groups {
		bar.Add(1)
		if len(g.parts) < 2 {
			next.Parts = append(next.Parts, g.parts...)
			continue
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		schema := ReturnsSchema
		if g.table == TableProblems {
			schema = ProblemsSchema
		}
		var tables []arrow.Table
		rows := 0
		release := func() {
			for _, t := range tables {
				t.Release()
			}
		}
		for _, p := range g.parts {
			t, err := readTable(ctx, w.abs(p.Path), schema)
			if err != nil {
				release()
				return st, fmt.Errorf("compacting %s: %w", g.dir, err)
			}
			tables = append(tables, t)
			rows += int(t.NumRows())
			old = append(old, w.abs(p.Path))
		}
		rel := path.Join(g.dir, fmt.Sprintf("c%06d.parquet", next.Seq))
		size, sum, err := files.write(w.abs(rel), func(f io.Writer) error { return writeParquetTables(f, schema, tables) })
		release()
		if err != nil {
			return st, fmt.Errorf("compacting %s: %w", g.dir, err)
		}
		next.Parts = append(next.Parts, Part{Table: g.table, Path: rel, Rows: rows, Size: size, SHA256: sum, Commit: next.Seq})
		st.Rows += rows
	}
	st.After = len(next.Parts)
	st.Compacted = st.After < st.Before
	if len(old) == 0 {
		return st, nil
	}
	if err := w.publish(&files, &next, old); err != nil {
		return st, err
	}
	w.log.Info("warehouse compacted", "files_before", st.Before, "files_after", st.After, "rows", st.Rows)
	return st, nil
}
