package warehouse

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/domain"
)

func sample(sha string, n int) []domain.Return {
	var rs []domain.Return
	for i := range n {
		r := domain.Return{
			OperatorID: "00123456700008" + string(rune('0'+i%10)), OperatorName: "Atlas", Sector: "CRM", Region: "Casablanca-Settat",
			Period: domain.NewPeriod(2015+i%3, 1+i%4), Headcount: int64(100 + i), ExportRevenueMAD: 1e6 + float64(i),
			SourceSHA256: sha, SourceName: sha + ".xlsx", Sheet: "Déclaration", Row: i + 2,
			ReceivedAt: time.Date(2016, 4, 20, 10, 0, 0, 0, time.UTC),
		}
		if i%2 == 0 {
			r.Hires, r.TotalRevenueMAD, r.InvestmentMAD = domain.Int64(int64(i)), domain.Float64(2e6), domain.Float64(0)
		}
		rs = append(rs, r)
	}
	return rs
}

func open(t *testing.T, dir string) *Warehouse {
	t.Helper()
	w, err := Open(context.Background(), dir, Options{LockWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestCommitReadBackAndIdempotence(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	in := []Input{
		{Source: Source{SHA256: "aa", Name: "a.xlsx", Status: StatusAccepted}, Raw: []byte("A"), Returns: sample("aa", 7)},
		{Source: Source{SHA256: "bb", Name: "b.xlsx", Status: StatusRejected}, Raw: []byte("B"),
			Problems: []domain.Problem{{File: "b.xlsx", Sheet: "S", Cell: "A2", Code: "bad_ice", Severity: domain.SeverityError, Message: "m"}}},
	}
	if err := w.Commit(context.Background(), in, at); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, catalogFile))
	if err := w.Commit(context.Background(), in, at.Add(time.Hour)); err != nil { // same bytes again
		t.Fatal(err)
	}
	w.Close()
	after, _ := os.ReadFile(filepath.Join(dir, catalogFile))
	if string(before) != string(after) {
		t.Error("committing the same sources again changed the catalog")
	}
	rs, cat, err := ReadReturns(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := sample("aa", 7)
	for i := range want {
		want[i].IngestedAt = at.Truncate(time.Microsecond)
	}
	sortByRow(rs)
	if !reflect.DeepEqual(rs, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", rs, want)
	}
	if cat.Seq != 1 || len(cat.Sources) != 2 || cat.Sources["bb"].Status != StatusRejected || cat.Sources["aa"].Rows != 7 {
		t.Errorf("catalog %+v", cat)
	}
	for _, sha := range []string{"aa", "bb"} {
		if _, err := os.Stat(RawPath(dir, sha)); err != nil {
			t.Errorf("raw %s not archived: %v", sha, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "problems", "c000001.parquet")); err != nil {
		t.Error("problems part missing")
	}
}

func sortByRow(rs []domain.Return) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Row < rs[j-1].Row; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func TestOpenRemovesOnlyWhatAnUnfinishedCommitLeft(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	if err := w.Commit(context.Background(), []Input{{Source: Source{SHA256: "aa", Status: StatusAccepted}, Raw: []byte("A"), Returns: sample("aa", 2)}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// What a crash in the middle of commit 2 leaves behind: its journal,
	// the files it names, temporary files.
	orphans := []string{
		filepath.Join(dir, "returns", "year=2015", "c000002.parquet"),
		filepath.Join(dir, "returns", "year=2016", "c000002.parquet.tmp"),
		filepath.Join(dir, "raw", "cc.xlsx"),
		filepath.Join(dir, catalogFile+atomicfile.TmpSuffix),
		journalPath(dir, 3) + atomicfile.TmpSuffix, // a journal cut short by a crash
	}
	for _, p := range orphans {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("half"), 0o644)
	}
	if err := writeJournal(journalPath(dir, 2), &journal{Seq: 2, Add: []string{"returns/year=2015/c000002.parquet", "raw/cc.xlsx", "raw/aa.xlsx"}}); err != nil {
		t.Fatal(err)
	}
	w = open(t, dir)
	w.Close()
	for _, p := range orphans {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived", p)
		}
	}
	if js, _ := journals(dir); len(js) != 0 {
		t.Errorf("journals left: %v", js)
	}
	rs, _, err := ReadReturns(context.Background(), dir)
	if err != nil || len(rs) != 2 {
		t.Errorf("committed rows after cleanup (a journal naming a committed file must not remove it): %d, %v", len(rs), err)
	}
}

// TestMissingOrEmptyCatalogDeletesNothing reproduces issue 13's worst
// mistake: with catalog.json removed, emptied or hand-edited, the next
// writer took the warehouse for empty and removed every raw file and part.
// Now every reader and writer refuses, naming the damage, and every file
// stays.
func TestMissingOrEmptyCatalogDeletesNothing(t *testing.T) {
	for name, content := range map[string]*string{
		"missing":    nil,
		"zero bytes": ptr(""),
		"{}":         ptr("{}"),
		"null":       ptr("null"),
		"parts: []":  nil, // set below from the real catalog
		"no sources": ptr(`{"format":1,"seq":0,"sources":{},"parts":[]}`),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w := open(t, dir)
			commitN(t, w, 0, 3)
			w.Close()
			files := listFiles(t, dir)
			catalog := filepath.Join(dir, catalogFile)
			switch {
			case name == "parts: []":
				c, _ := ReadCatalog(dir)
				c.Parts = []Part{}
				b, _ := c.encode()
				os.WriteFile(catalog, b, 0o644)
			case content == nil:
				os.Remove(catalog)
			default:
				os.WriteFile(catalog, []byte(*content), 0o644)
			}
			_, err := Open(context.Background(), dir, Options{})
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), catalog) || !strings.Contains(err.Error(), "offshore repair") {
				t.Errorf("Open: %v, want ErrDamaged naming %s and the way out", err, catalog)
			}
			if _, _, err := ReadReturns(context.Background(), dir); !errors.Is(err, ErrDamaged) {
				t.Errorf("ReadReturns: %v, want ErrDamaged", err)
			}
			if _, err := Verify(context.Background(), dir, time.Second, nil); !errors.Is(err, ErrDamaged) {
				t.Errorf("Verify: %v, want ErrDamaged", err)
			}
			for _, f := range files {
				if _, err := os.Stat(f); err != nil && f != catalog {
					t.Errorf("%s was removed", f)
				}
			}
		})
	}
}

// TestCatalogFromAnOlderBackupIsRefused: a catalog restored from before
// the last commits leaves data files no commit names; they were removed as
// garbage, now the warehouse is refused and they stay.
func TestCatalogFromAnOlderBackupIsRefused(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	commitN(t, w, 0, 2)
	old, _ := os.ReadFile(filepath.Join(dir, catalogFile))
	commitN(t, w, 2, 2)
	w.Close()
	files := listFiles(t, dir)
	os.WriteFile(filepath.Join(dir, catalogFile), old, 0o644)
	if _, err := Open(context.Background(), dir, Options{}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "named by no commit") {
		t.Errorf("Open: %v, want ErrDamaged listing the files no commit names", err)
	}
	rep, err := Verify(context.Background(), dir, time.Second, nil)
	if err != nil || len(rep.Problems) != 9 { // commits 3 and 4: a raw file and three year parts each, one problems part
		t.Errorf("Verify: %v, %d problems %q", err, len(rep.Problems), rep.Problems)
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil && !strings.HasSuffix(f, catalogFile) {
			t.Errorf("%s was removed", f)
		}
	}
}

// TestOverwrittenFilesAreFound reproduces "a Parquet part overwritten with
// same-size garbage stops readers but not ingest; a raw file overwritten
// with garbage goes unnoticed by every command": writers check each part's
// sha256, and Verify checks every file's.
func TestOverwrittenFilesAreFound(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	commitN(t, w, 0, 3)
	cat := w.Catalog()
	w.Close()
	if rep, err := Verify(context.Background(), dir, time.Second, nil); err != nil || len(rep.Problems) != 0 || rep.Parts != len(cat.Parts) || rep.Raw != 3 || rep.Bytes == 0 {
		t.Fatalf("Verify of a sound warehouse: %+v, %v", rep, err)
	}
	garble := func(p string) []byte {
		b, _ := os.ReadFile(p)
		g := make([]byte, len(b))
		for i := range g {
			g[i] = 'x'
		}
		os.WriteFile(p, g, 0o644)
		return b
	}
	part := filepath.Join(dir, filepath.FromSlash(cat.Parts[0].Path))
	orig := garble(part)
	if _, err := Open(context.Background(), dir, Options{}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), part) || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("Open with a part overwritten by same-size garbage: %v", err)
	}
	os.WriteFile(part, orig, 0o644)
	var sha string
	for s := range cat.Sources {
		sha = s
	}
	garble(RawPath(dir, sha))
	rep, err := Verify(context.Background(), dir, time.Second, nil)
	if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], RawPath(dir, sha)) {
		t.Errorf("Verify with a raw file overwritten: %+v, %v", rep, err)
	}
}

func ptr(s string) *string { return &s }

// signalWriter signals c (without blocking) at each write.
type signalWriter chan struct{}

func (c signalWriter) Write(p []byte) (int, error) {
	select {
	case c <- struct{}{}:
	default:
	}
	return len(p), nil
}

// listFiles lists every file under dir.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var fs []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fs = append(fs, p)
		}
		return err
	})
	return fs
}

func TestTruncatedCatalogIsAnError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, catalogFile), []byte(`{"format":1,"seq":`), 0o644)
	for name, err := range map[string]error{
		"read": func() error { _, _, err := ReadReturns(context.Background(), dir); return err }(),
		"open": func() error { _, err := Open(context.Background(), dir, Options{}); return err }(),
	} {
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), filepath.Join(dir, catalogFile)) || !strings.Contains(err.Error(), "Restore catalog.json from a backup") {
			t.Errorf("%s: err = %v, want ErrDamaged naming the file and what to do", name, err)
		}
	}
}

func TestSecondWriterWaitsThenNamesHolder(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	_, err := Open(context.Background(), dir, Options{LockWait: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("err = %v, want ErrLocked naming the holder", err)
	}
	w.Close()
	w2, err := Open(context.Background(), dir, Options{LockWait: time.Second})
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	w2.Close()
}

func TestRecordsDoNotLeak(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := ReturnsRecord(mem, sample("aa", 5))
	if rec.NumRows() != 5 || rec.NumCols() != int64(len(ReturnsSchema.Fields())) {
		t.Errorf("record %d×%d", rec.NumRows(), rec.NumCols())
	}
	rec.Release()
	p := ProblemsRecord(mem, []domain.Problem{{File: "f"}}, time.Now())
	p.Release()
}

// TestRemovedLockFileLetsOnlyOneWriterCommit reproduces issue 13: with
// warehouse/lock removed mid-ingest, a second ingest took a new lock and
// committed, and the first writer's catalog then overwrote that commit. Now
// the late writer's commit fails with ErrConflict and the other's stands.
func TestRemovedLockFileLetsOnlyOneWriterCommit(t *testing.T) {
	dir := t.TempDir()
	first := open(t, dir)
	commitN(t, first, 0, 1)
	second := make(chan *Warehouse)
	waiting := make(chan struct{}, 1)
	log := slog.New(slog.NewTextHandler(signalWriter(waiting), nil))
	go func() {
		w, err := Open(context.Background(), dir, Options{LockWait: 10 * time.Second, Logger: log})
		if err != nil {
			t.Error(err)
		}
		second <- w
	}()
	<-waiting // the second writer waits on the old lock file
	os.Remove(filepath.Join(dir, lockFile))
	w2 := <-second
	if w2 == nil {
		t.FailNow()
	}
	commitN(t, w2, 1, 1)
	want := dump(t, dir)

	raw := []byte("late writer")
	err := first.Commit(context.Background(), []Input{{Source: Source{SHA256: "late", Status: StatusAccepted}, Raw: raw, Returns: sample("late", 2)}}, time.Now())
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "lock") || !strings.Contains(err.Error(), "inbox") {
		t.Errorf("late writer's commit: %v, want ErrConflict saying the lock went and the inbox files stay", err)
	}
	first.Close()
	if got := dump(t, dir); got != want {
		t.Errorf("the late writer changed the warehouse")
	}
	commitN(t, w2, 2, 1) // the writer holding the lock on disk goes on
	w2.Close()
	w := open(t, dir)
	if w.Catalog().Seq != 3 {
		t.Errorf("seq %d after the winner's two commits and the first's one", w.Catalog().Seq)
	}
	w.Close()
	if _, err := os.Stat(RawPath(dir, "late")); !os.IsNotExist(err) {
		t.Error("the late writer's raw file is in the warehouse")
	}
}

// TestCatalogChangedUnderWriterFailsTheCommit: a writer whose catalog was
// replaced since it read it (another writer, a restore) does not overwrite it.
func TestCatalogChangedUnderWriterFailsTheCommit(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	defer w.Close()
	commitN(t, w, 0, 2)
	c, _ := ReadCatalog(dir)
	b, _ := json.Marshal(c) // same content, other bytes: not the catalog the writer wrote
	os.WriteFile(filepath.Join(dir, catalogFile), b, 0o644)
	before := listFiles(t, dir)
	err := w.Commit(context.Background(), []Input{{Source: Source{SHA256: "cc", Status: StatusAccepted}, Raw: []byte("C"), Returns: sample("cc", 1)}}, time.Now())
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "no longer the one it read") {
		t.Errorf("commit over a changed catalog: %v, want ErrConflict", err)
	}
	if after := listFiles(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("files changed by the refused commit:\n%v\nwant\n%v", after, before)
	}
}
