package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// parallelInputs writes generated returns (corrections included), a file
// that is not a workbook and a copy of an accepted file into a folder.
func parallelInputs(t *testing.T) string {
	t.Helper()
	cfg, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := synth.WriteDir(context.Background(), dir, &cfg.Mappings,
		synth.Options{Operators: 12, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2017, 4), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	dup, _ := os.ReadFile(paths[3])
	at := time.Date(2017, 5, 2, 9, 0, 0, 0, time.UTC)
	for name, b := range map[string][]byte{"releve.xlsx": []byte("not a workbook"), "copie.xlsx": dup} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, at, at)
	}
	return dir
}

// state is a warehouse's content as sorted text, without what depends on
// the commit (its number, its time).
func state(t *testing.T, dir string) []string {
	t.Helper()
	rs, cat, err := warehouse.ReadReturns(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := warehouse.ReadProblems(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rs {
		r.IngestedAt = time.Time{}
		b, _ := json.Marshal(r) // pointers as their values
		lines = append(lines, "row "+string(b))
	}
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("problem %+v", p.Problem))
	}
	for _, s := range cat.Sources {
		s.Commit = 0
		lines = append(lines, fmt.Sprintf("source %+v", s))
	}
	sort.Strings(lines)
	return lines
}

// TestIngestParallelEqualsSequential: the warehouse and the summary do not
// depend on how many files are read at once.
func TestIngestParallelEqualsSequential(t *testing.T) {
	src := parallelInputs(t)
	defer func(n int) { ingestWorkers = n }(ingestWorkers)
	var states [][]string
	var sums []Summary
	for _, workers := range []int{1, 4} {
		ingestWorkers = workers
		cfg, err := config.Default(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		sum, err := ingestPaths(t, cfg, []string{src})
		if !errors.Is(err, ErrRejected) || sum.Rejected != 1 || sum.Known != 1 {
			t.Fatalf("workers=%d: %+v, %v", workers, sum, err)
		}
		for i, q := range sum.Quarantined {
			sum.Quarantined[i] = filepath.Base(q)
		}
		states = append(states, state(t, cfg.Settings.Paths.Warehouse))
		sums = append(sums, sum)
	}
	if !reflect.DeepEqual(states[0], states[1]) || !reflect.DeepEqual(sums[0], sums[1]) {
		t.Errorf("sequential and parallel ingests differ:\n%+v\n%+v\n%d/%d lines", sums[0], sums[1], len(states[0]), len(states[1]))
	}
}

// TestIngestCache: a rerun over the same files does not read them again,
// and a file rewritten since is read again.
func TestIngestCache(t *testing.T) {
	src := parallelInputs(t)
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	first, _ := ingestPaths(t, cfg, []string{src})
	if _, err := os.Stat(filepath.Join(cfg.Settings.Paths.Warehouse, "ingest-cache.tsv")); err != nil {
		t.Fatal("no cache written:", err)
	}
	// A file the cache knows is not opened: make one unreadable.
	files, _, _ := listInputs([]string{src}, nil)
	if err := os.Chmod(files[0], 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(files[0], 0o644)
	if os.Getuid() != 0 { // root reads it anyway
		second, err := ingestPaths(t, cfg, []string{src})
		if err != nil && !errors.Is(err, ErrRejected) || second.Known != first.Files-1 || second.Accepted != 0 {
			t.Fatalf("rerun %+v, %v", second, err)
		}
	}
	os.Chmod(files[0], 0o644)
	// Rewritten with other bytes, same size and time: read again, a new version.
	b, _ := os.ReadFile(files[1])
	st, _ := os.Stat(files[1])
	if err := os.WriteFile(files[1], append(b[:len(b)-1:len(b)-1], b[len(b)-1]^1), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(files[1], st.ModTime(), st.ModTime())
	third, _ := ingestPaths(t, cfg, []string{src})
	if third.Known != first.Files-1 || third.Accepted+third.Rejected-first.Rejected != 1 {
		t.Errorf("after a rewrite: %+v (first %+v)", third, first)
	}
}

// ingestPaths is Files on paths (the inbox when nil), with the warehouse
// opened and closed around it as the pipeline does.
func ingestPaths(tb testing.TB, cfg *config.Config, paths []string) (Summary, error) {
	tb.Helper()
	ctx := context.Background()
	wh, err := warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{LockWait: cfg.Settings.Warehouse.LockWait})
	if err != nil {
		return Summary{}, err
	}
	defer wh.Close()
	return Files(ctx, cfg, wh, paths, nil)
}
