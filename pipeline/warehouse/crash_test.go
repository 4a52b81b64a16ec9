package warehouse

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/domain"
)

// commitN makes n commits of one file each, with rows in several year partitions.
func commitN(t *testing.T, w *Warehouse, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		raw := fmt.Appendf(nil, "workbook %d", i)
		h := sha256.Sum256(raw)
		sha := hex.EncodeToString(h[:])
		in := []Input{{Source: Source{SHA256: sha, Name: fmt.Sprintf("%04d.xlsx", i), Status: StatusAccepted}, Raw: raw, Returns: sample(sha, 3+i%4)}}
		if i%3 == 0 {
			in[0].Problems = []domain.Problem{{File: "x", SHA256: sha, Code: "warn", Severity: domain.SeverityWarning, Message: "m"}}
		}
		if err := w.Commit(context.Background(), in, time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
}

// dump is the rows of a warehouse as sorted text.
func dump(t *testing.T, dir string) string {
	t.Helper()
	rs, _, err := ReadReturns(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := ReadProblems(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rs {
		lines = append(lines, rowText(r))
	}
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("%+v", p))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestTruncatedParts(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	commitN(t, w, 0, 3)
	last := w.Catalog().Parts[len(w.Catalog().Parts)-1]
	w.Close()

	// A part no commit names but a crashed commit's journal claims,
	// truncated: removed on open.
	orphan := filepath.Join(dir, "returns", "year=2016", "c000004.parquet")
	b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(last.Path)))
	os.WriteFile(orphan, b[:len(b)/2], 0o644)
	writeJournal(journalPath(dir, 4), &journal{Seq: 4, Add: []string{"returns/year=2016/c000004.parquet"}})
	w = open(t, dir)
	w.Close()
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Error("a truncated part of an unfinished commit survived Open")
	}

	// The last committed part, truncated: a clear error for writers and readers.
	p := filepath.Join(dir, filepath.FromSlash(last.Path))
	os.Truncate(p, last.Size/2)
	if _, err := Open(context.Background(), dir, Options{}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "backup") {
		t.Errorf("Open: %v, want ErrDamaged naming %s", err, p)
	}
	if _, _, err := ReadReturns(context.Background(), dir); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadReturns: %v, want ErrDamaged naming %s", err, p)
	}
	if _, err := os.Stat(p); err != nil {
		t.Error("a damaged committed part was removed")
	}
}

func TestCompactKeepsContent(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	defer w.Close()
	commitN(t, w, 0, 12)
	before := dump(t, dir)
	n := w.Parts(TableReturns) + w.Parts(TableProblems)
	st, err := w.Compact(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// sample() spreads rows over 2015..2017: three year partitions, one problems file.
	if st.Before != n || st.After != 4 || w.Parts(TableReturns) != 3 {
		t.Errorf("compaction %+v, %d returns parts", st, w.Parts(TableReturns))
	}
	if after := dump(t, dir); after != before {
		t.Errorf("compaction changed the rows:\n%s\nwant\n%s", after, before)
	}
	files := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			files++
		}
		return nil
	})
	if files != st.After {
		t.Errorf("%d Parquet files on disk after compaction, want %d", files, st.After)
	}
	if st2, err := w.Compact(context.Background()); err != nil || st2.After != st.After || w.Catalog().Seq != 13 {
		t.Errorf("second compaction %+v %v, seq %d", st2, err, w.Catalog().Seq)
	}
	commitN(t, w, 12, 1) // commits go on after a compaction
	if _, _, err := ReadReturns(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
}

// TestReadersNeverSeeHalfCommits reads while a writer commits and compacts:
// every read succeeds and sees whole commits only.
func TestReadersNeverSeeHalfCommits(t *testing.T) {
	dir := t.TempDir()
	w := open(t, dir)
	defer w.Close()
	commitN(t, w, 0, 2)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			rs, cat, err := ReadReturns(context.Background(), dir)
			if err != nil {
				errs <- err
				return
			}
			want := 0
			for _, s := range cat.Sources {
				want += s.Rows
			}
			if len(rs) != want {
				errs <- fmt.Errorf("read %d rows, the catalog read (seq %d) holds %d", len(rs), cat.Seq, want)
				return
			}
		}
	}()
	for i := range 20 {
		commitN(t, w, 2+i, 1)
		if i%5 == 4 {
			if _, err := w.Compact(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	cancel()
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

// TestHelperLockHolder is not a test: run by TestLockAcrossProcesses as a
// child process, it opens the warehouse, says so on stdout and holds the lock
// until killed or its stdin closes.
func TestHelperLockHolder(t *testing.T) {
	dir := os.Getenv("OFFSHORE_LOCK_HOLDER_DIR")
	if dir == "" {
		return // only as TestLockAcrossProcesses' child
	}
	w, err := Open(context.Background(), dir, Options{LockWait: 10 * time.Second})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n')
	w.Close()
	os.Exit(0)
}

func TestLockAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	start := func() (*exec.Cmd, func()) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLockHolder$")
		cmd.Env = append(os.Environ(), "OFFSHORE_LOCK_HOLDER_DIR="+dir)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if strings.TrimSpace(line) != "locked" {
			t.Fatalf("holder says %q", line)
		}
		return cmd, func() { stdin.Close() }
	}

	// A second writer waits, then names the holder: pid, command, start time.
	holder, release := start()
	t0 := time.Now()
	_, err := Open(context.Background(), dir, Options{LockWait: 300 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if waited := time.Since(t0); waited < 300*time.Millisecond {
		t.Errorf("gave up after %v, before lock_wait", waited)
	}
	for _, s := range []string{fmt.Sprintf("pid %d", holder.Process.Pid), "TestHelperLockHolder", "since 20", "warehouse.lock_wait"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q lacks %q", err, s)
		}
	}

	// A writer that waits long enough gets the lock when the holder finishes.
	done := make(chan error, 1)
	go func() {
		w, err := Open(context.Background(), dir, Options{LockWait: 20 * time.Second})
		if err == nil {
			w.Close()
		}
		done <- err
	}()
	release()
	if err := <-done; err != nil {
		t.Errorf("waiting writer: %v", err)
	}
	holder.Wait()

	// A holder killed outright: its lock is taken over at once.
	holder, _ = start()
	holder.Process.Signal(syscall.SIGKILL)
	holder.Wait()
	w, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	w.Close()
	// And the waiting writer's context cancels its wait.
	_, release = start()
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Open(ctx, dir, Options{LockWait: time.Minute}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// rowText writes a return as one line, optional figures by value.
func rowText(r domain.Return) string {
	i := func(v *int64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprint(*v)
	}
	f := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprint(*v)
	}
	return strings.Join([]string{r.OperatorID, r.OperatorName, r.Sector, r.Region, r.Period.String(), fmt.Sprint(r.Headcount),
		i(r.Hires), i(r.HiresYouth), i(r.HiresDisabled), fmt.Sprint(r.ExportRevenueMAD), f(r.TotalRevenueMAD), f(r.InvestmentMAD),
		r.SourceSHA256, r.SourceName, r.Sheet, fmt.Sprint(r.Row), r.ReceivedAt.String(), r.IngestedAt.String()}, "|")
}
