package warehouse

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/pipeline/returns"
)

func sample(sha string, n int) []returns.Return {
	var rs []returns.Return
	for i := range n {
		r := returns.Return{
			OperatorID: "00123456700008" + string(rune('0'+i%10)), OperatorName: "Atlas", Sector: "CRM", Region: "Casablanca-Settat",
			Period: returns.NewPeriod(2015+i%3, 1+i%4), Headcount: int64(100 + i), ExportRevenueMAD: 1e6 + float64(i),
			SourceSHA256: sha, SourceName: sha + ".xlsx", Sheet: "Déclaration", Row: i + 2,
			ReceivedAt: time.Date(2016, 4, 20, 10, 0, 0, 0, time.UTC),
		}
		if i%2 == 0 {
			r.Hires, r.TotalRevenueMAD, r.InvestmentMAD = returns.Int64(int64(i)), returns.Float64(2e6), returns.Float64(0)
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
			Problems: []returns.Problem{{File: "b.xlsx", Sheet: "S", Cell: "A2", Code: "bad_ice", Severity: returns.SeverityError, Message: "m"}}},
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

func sortByRow(rs []returns.Return) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Row < rs[j-1].Row; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func TestOpenRemovesWhatNoCommitNames(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	if err := w.Commit(context.Background(), []Input{{Source: Source{SHA256: "aa", Status: StatusAccepted}, Raw: []byte("A"), Returns: sample("aa", 2)}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// What a crash in the middle of commit 2 leaves behind.
	orphans := []string{
		filepath.Join(dir, "returns", "year=2015", "c000002.parquet"),
		filepath.Join(dir, "returns", "year=2016", "c000002.parquet.tmp"),
		filepath.Join(dir, "raw", "cc.xlsx"),
		filepath.Join(dir, catalogFile+tmpSuffix),
	}
	for _, p := range orphans {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("half"), 0o644)
	}
	w = open(t, dir)
	w.Close()
	for _, p := range orphans {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived", p)
		}
	}
	rs, _, err := ReadReturns(context.Background(), dir)
	if err != nil || len(rs) != 2 {
		t.Errorf("committed rows after cleanup: %d, %v", len(rs), err)
	}
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
	p := ProblemsRecord(mem, []returns.Problem{{File: "f"}}, time.Now())
	p.Release()
}
