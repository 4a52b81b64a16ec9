package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// inboxOf makes a configuration in a new folder whose inbox holds n
// operators' returns for 2016Q1–Q2.
func inboxOf(t *testing.T, operators int) (*config.Config, []string) {
	t.Helper()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: operators, From: domain.NewPeriod(2016, 1), To: domain.NewPeriod(2016, 2), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, paths
}

// TestLateWriterKeepsItsInboxFiles reproduces issue 13: with warehouse/lock
// removed during an ingest, a second writer committed, the first one's
// catalog overwrote that commit, and the first had emptied its inbox. Now
// the late ingest fails saying so, commits nothing, counts nothing as
// accepted and leaves its inbox as it was; the next run ingests it all.
func TestLateWriterKeepsItsInboxFiles(t *testing.T) {
	cfg, paths := inboxOf(t, 3)
	wh := cfg.Settings.Paths.Warehouse
	other := []byte("another writer's file")
	h := sha256.Sum256(other)
	otherSHA := hex.EncodeToString(h[:])
	testHookBeforeCommit = func() {
		testHookBeforeCommit = nil
		os.Remove(filepath.Join(wh, "lock"))
		w, err := warehouse.Open(context.Background(), wh, warehouse.Options{LockWait: time.Second})
		if err != nil {
			t.Error(err)
			return
		}
		defer w.Close()
		in := []warehouse.Input{{Source: warehouse.Source{SHA256: otherSHA, Name: "other.xlsx", Status: warehouse.StatusRejected}, Raw: other}}
		if err := w.Commit(context.Background(), in, time.Now()); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { testHookBeforeCommit = nil })
	sum, err := ingestPaths(t, cfg, nil)
	if !errors.Is(err, warehouse.ErrConflict) || !strings.Contains(err.Error(), "stay for the next run") {
		t.Fatalf("late ingest: %v, want ErrConflict saying the inbox files stay", err)
	}
	if sum.Accepted != 0 || sum.Rows != 0 {
		t.Errorf("late ingest counts %d accepted, %d rows; nothing was committed", sum.Accepted, sum.Rows)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("inbox file lost: %v", err)
		}
	}
	cat, err := warehouse.ReadCatalog(wh)
	if err != nil || len(cat.Sources) != 1 {
		t.Fatalf("after the lost race the warehouse holds %d sources (%v), want the other writer's one", len(cat.Sources), err)
	}
	sum, err = ingestPaths(t, cfg, nil)
	if err != nil || sum.Accepted != len(paths) {
		t.Fatalf("next ingest: %+v, %v", sum, err)
	}
	if cat, _ := warehouse.ReadCatalog(wh); len(cat.Sources) != len(paths)+1 {
		t.Errorf("%d sources, want %d", len(cat.Sources), len(paths)+1)
	}
	if left, _ := os.ReadDir(cfg.Settings.Paths.Inbox); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
}

// TestSlowUploadIsTakenWhole reproduces issue 13: a return still being
// copied into the inbox when an ingest started was read half-written,
// quarantined truncated and unlinked while the copy went on. Now a file is
// taken only once unchanged for ingest.settle, and then whole.
func TestSlowUploadIsTakenWhole(t *testing.T) {
	cfg, paths := inboxOf(t, 1)
	cfg.Settings.Ingest.Settle = 300 * time.Millisecond
	full, _ := os.ReadFile(paths[0])
	for _, p := range paths {
		os.Remove(p)
	}
	path := paths[0]
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(full[:len(full)/2]) // the uploader's first half
	sum, err := ingestPaths(t, cfg, nil)
	if err != nil || sum.Files != 0 || sum.Waiting != 1 {
		t.Errorf("ingest during the upload: %+v, %v; want the file left waiting", sum, err)
	}
	if q, _ := os.ReadDir(cfg.Settings.Paths.Quarantine); len(q) != 0 {
		t.Errorf("a half-written file was quarantined: %v", q)
	}
	f.Write(full[len(full)/2:])
	f.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		sum, err = ingestPaths(t, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Accepted == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling: the file settles once its change time is 300 ms old
	}
	if sum.Accepted != 1 {
		t.Fatalf("the finished upload was not taken: %+v", sum)
	}
	h := sha256.Sum256(full)
	cat, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	if _, ok := cat.Sources[hex.EncodeToString(h[:])]; !ok || len(cat.Sources) != 1 {
		t.Errorf("the warehouse holds %d sources, not the whole file", len(cat.Sources))
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the committed file is still in the inbox")
	}
}

// TestRenamedUploadIsTakenAtOnce: an uploader that writes NAME.part and
// renames it when done is never read half-way (.part files are skipped)
// and its file is taken at once, whatever ingest.settle.
func TestRenamedUploadIsTakenAtOnce(t *testing.T) {
	cfg, paths := inboxOf(t, 1)
	cfg.Settings.Ingest.Settle = time.Hour
	full, _ := os.ReadFile(paths[0])
	for _, p := range paths {
		os.Remove(p)
	}
	part := paths[0] + ".part"
	os.WriteFile(part, full, 0o644)
	if sum, err := ingestPaths(t, cfg, nil); err != nil || sum.Files != 0 || sum.Waiting != 0 {
		t.Errorf("ingest with a .part file: %+v, %v; want it ignored", sum, err)
	}
	// The rename must come at a later tick of the file system's clock than
	// the last write, as it does for any real upload.
	st, _ := os.Stat(part)
	probe := filepath.Join(t.TempDir(), "probe")
	waitForCond(t, "the file system clock to move", func() bool {
		os.WriteFile(probe, nil, 0o644)
		pst, _ := os.Stat(probe)
		_, c := warehouse.FileID(pst)
		return c > st.ModTime().UnixNano()
	})
	os.Rename(part, paths[0])
	sum, err := ingestPaths(t, cfg, nil)
	if err != nil || sum.Accepted != 1 {
		t.Errorf("ingest of a renamed upload: %+v, %v; want it taken at once", sum, err)
	}
}

// TestCorrectionOverwrittenDuringTheBatchIsKept reproduces issue 13: a
// correction that overwrote a file of the same name during an ingest's
// batch was deleted unread after the commit. Now the path is removed only
// if it is still the file that was read; the correction stays and the next
// run takes it.
func TestCorrectionOverwrittenDuringTheBatchIsKept(t *testing.T) {
	cfg, paths := inboxOf(t, 2)
	cfg.Settings.Ingest.Settle = 0
	first, _ := os.ReadFile(paths[0])
	second, _ := os.ReadFile(paths[1])
	testHookBeforeCommit = func() {
		testHookBeforeCommit = nil
		os.WriteFile(paths[0], second, 0o644) // another workbook under the same name
	}
	t.Cleanup(func() { testHookBeforeCommit = nil })
	sum, err := ingestPaths(t, cfg, nil)
	if err != nil || sum.Accepted != len(paths) {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil || string(b) != string(second) {
		t.Fatalf("the correction written during the batch is gone (%v)", err)
	}
	for _, p := range paths[1:] {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s, committed and unchanged, is still in the inbox", p)
		}
	}
	h := sha256.Sum256(first)
	cat, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	if _, ok := cat.Sources[hex.EncodeToString(h[:])]; !ok {
		t.Error("the file read before the overwrite was not committed")
	}
	sum, err = ingestPaths(t, cfg, nil)
	if err != nil || sum.Files != 1 {
		t.Errorf("next ingest: %+v, %v; want the correction looked at", sum, err)
	}
	if left, _ := os.ReadDir(cfg.Settings.Paths.Inbox); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
}

// TestCorrectionOverwritingARejectedFileMidBatch: a correction written over
// a rejected file after ingest read it, but before its turn in the commit
// order, was copied into quarantine in its place (the copy was made from
// the inbox path, not from the bytes read): the quarantine held the
// correction under the rejected file's problems, and the rejected bytes
// were nowhere but raw/. The quarantine now holds the bytes that were read;
// the correction stays in the inbox and the next run accepts it.
func TestCorrectionOverwritingARejectedFileMidBatch(t *testing.T) {
	cfg, paths := inboxOf(t, 1)
	cfg.Settings.Ingest.Settle = 0
	bad := filepath.Join(cfg.Settings.Paths.Inbox, "releve.xlsx")
	rejected := []byte("not a workbook")
	os.WriteFile(bad, rejected, 0o644)
	correction, _ := os.ReadFile(paths[0])
	os.Remove(paths[0])
	testHookBeforeFile = func(path string) {
		if path == bad {
			testHookBeforeFile = nil
			os.WriteFile(bad, correction, 0o644)
		}
	}
	t.Cleanup(func() { testHookBeforeFile = nil })
	if _, err := ingestPaths(t, cfg, nil); !errors.Is(err, ErrRejected) {
		t.Fatalf("ingest: %v, want the file rejected", err)
	}
	if q, _ := os.ReadFile(filepath.Join(cfg.Settings.Paths.Quarantine, "releve.xlsx")); string(q) != string(rejected) {
		t.Errorf("quarantine holds %d bytes that are not the rejected file's", len(q))
	}
	if b, _ := os.ReadFile(bad); string(b) != string(correction) {
		t.Fatal("the correction is not in the inbox")
	}
	if sum, err := ingestPaths(t, cfg, nil); err != nil || sum.Accepted != 1 {
		t.Errorf("next ingest: %+v, %v; want the correction accepted", sum, err)
	}
}

// waitForCond polls cond until it holds, failing past a deadline.
func waitForCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// warehouseText is a warehouse's committed content as sorted text: every
// return row, every problem and every source.
func warehouseText(t *testing.T, dir string) string {
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
		b, _ := json.Marshal(r) // pointers (blank figures) by value
		lines = append(lines, string(b))
	}
	for _, p := range ps {
		b, _ := json.Marshal(p)
		lines = append(lines, string(b))
	}
	for _, s := range cat.Sources {
		lines = append(lines, fmt.Sprintf("source %s %s %s rows %d problems %d", s.SHA256, s.Name, s.Status, s.Rows, s.Problems))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestRepairRebuildsAnEqualWarehouse: with catalog.json lost, `repair`
// moves the damaged state aside and rebuilds, from raw/ and what the old
// parts recorded, a warehouse equal to the one before, which every command
// accepts again. A sound warehouse has nothing to repair.
func TestRepairRebuildsAnEqualWarehouse(t *testing.T) {
	cfg, want := twoCommits(t)
	wh := cfg.Settings.Paths.Warehouse
	if _, err := Repair(context.Background(), cfg, nil); !errors.Is(err, warehouse.ErrSound) {
		t.Errorf("repair of a sound warehouse: %v, want ErrSound", err)
	}

	os.Remove(filepath.Join(wh, "catalog.json"))
	sum, err := Repair(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 11 || sum.Rejected != 1 || sum.Unrecorded != 0 || sum.Commits != 2 || len(sum.Damaged) != 0 {
		t.Errorf("repair: %+v", sum)
	}
	sameWarehouse(t, wh, want)
	if _, err := os.Stat(filepath.Join(sum.Aside, "returns")); err != nil {
		t.Errorf("the old parts were not kept aside: %v", err)
	}
	if _, err := ingestPaths(t, cfg, nil); err != nil {
		t.Errorf("ingest after the repair: %v", err)
	}
}

// TestInterruptedRepairRerunKeepsTheRecords: a repair interrupted (SIGTERM)
// after its first commit had moved the original parts into its repair-…
// folder; its rerun moved the partial rebuild into a second folder and read
// only that one, so every file past the interruption lost its name and
// dates (named <sha256>.xlsx). The rerun now reads every repair-… folder
// and rebuilds the same warehouse as an uninterrupted repair.
func TestInterruptedRepairRerunKeepsTheRecords(t *testing.T) {
	cfg, want := twoCommits(t)
	wh := cfg.Settings.Paths.Warehouse
	os.Remove(filepath.Join(wh, "catalog.json"))
	if _, err := Repair(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	// As an interruption after the first commit leaves it: the rebuilt
	// parts of that commit only, the original ones in the first repair-…
	// folder (and here no catalog: damaged either way).
	os.Remove(filepath.Join(wh, "catalog.json"))
	second, _ := filepath.Glob(filepath.Join(wh, "*", "*", "c000002.parquet"))
	more, _ := filepath.Glob(filepath.Join(wh, "*", "c000002.parquet"))
	for _, p := range append(second, more...) {
		os.Remove(p)
	}
	if len(second)+len(more) == 0 {
		t.Fatal("no part of the second commit")
	}
	sum, err := Repair(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unrecorded != 0 || sum.Files != 11 {
		t.Errorf("the rerun: %+v, want every file recorded", sum)
	}
	sameWarehouse(t, wh, want)
}

// sameWarehouse compares the warehouse wh with the text of another.
func sameWarehouse(t *testing.T, wh, want string) {
	t.Helper()
	if got := warehouseText(t, wh); got != want {
		a, b := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("the repaired warehouse differs from the one before (%d vs %d lines), first at:\n%s\nwant\n%s", len(a), len(b), a[i], b[i])
				break
			}
		}
	}
}

// twoCommits makes a warehouse of two commits, one file rejected, and
// returns its configuration and text.
func twoCommits(t *testing.T) (*config.Config, string) {
	t.Helper()
	cfg, _ := inboxOf(t, 3)
	cfg.Settings.Ingest.Settle = 0
	bad := filepath.Join(cfg.Settings.Paths.Inbox, "releve.xlsx")
	os.WriteFile(bad, []byte("not a workbook"), 0o644)
	if _, err := ingestPaths(t, cfg, nil); !errors.Is(err, ErrRejected) {
		t.Fatalf("ingest: %v", err)
	}
	more, _ := inboxOf(t, 2) // a second commit, later
	entries, _ := os.ReadDir(more.Settings.Paths.Inbox)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(more.Settings.Paths.Inbox, e.Name()))
		os.WriteFile(filepath.Join(cfg.Settings.Paths.Inbox, "b-"+e.Name()), b, 0o644)
	}
	if _, err := ingestPaths(t, cfg, nil); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	return cfg, warehouseText(t, cfg.Settings.Paths.Warehouse)
}

// TestBackdatedDeclarationDoesNotRewriteThePast reproduces issue 13: a
// return ingested today with "Date de déclaration : 15/01/2018" got that
// received_at and changed the answer of an as-of in 2018; a file dated 2099
// got that one and could never be superseded. received_at is now when the
// file reached the inbox, clamped to now; the declared date is kept beside.
func TestBackdatedDeclarationDoesNotRewriteThePast(t *testing.T) {
	cfg, paths := inboxOf(t, 2)
	cfg.Settings.Ingest.Settle = 0
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(f.GetActiveSheetIndex())
	if err := f.InsertRows(sheet, 1, 2); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue(sheet, "A1", "Date de déclaration : 15/01/2018")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	future := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(paths[1], future, future)
	before := time.Now()
	if _, err := ingestPaths(t, cfg, nil); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	cat, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
	declared := 0
	for _, s := range cat.Sources {
		if s.Name != filepath.Base(paths[0]) && s.Name != filepath.Base(paths[1]) {
			continue // the generator's files, dated their filing day
		}
		if s.ReceivedAt.Before(before.Add(-time.Second)) || s.ReceivedAt.After(after) {
			t.Errorf("%s: received_at %v, want the time it reached the inbox (now)", s.Name, s.ReceivedAt)
		}
		if !s.DeclaredAt.IsZero() {
			declared++
			if !s.DeclaredAt.Equal(time.Date(2018, 1, 15, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("declared_at %v", s.DeclaredAt)
			}
		}
	}
	if declared != 1 {
		t.Errorf("%d sources keep a declared date, want 1", declared)
	}
	if rs, _, err := warehouse.ReadReturns(context.Background(), cfg.Settings.Paths.Warehouse); err != nil || len(rs) != len(paths) {
		t.Errorf("returns in the warehouse: %d rows, %v", len(rs), err)
	}
}

// TestBackfillTakesTheFilesOwnDates: the generator dates its files as filed
// (2016). A plain ingest counts them as received when they reached the inbox
// (now: their dates are the sender's); ingest with backfill takes those dates
// as they are, and its summary says so.
func TestBackfillTakesTheFilesOwnDates(t *testing.T) {
	for _, backfill := range []bool{false, true} {
		cfg, paths := inboxOf(t, 2)
		cfg.Settings.Ingest.Backfill = backfill
		dated := map[string]time.Time{}
		for _, p := range paths {
			st, _ := os.Stat(p)
			dated[filepath.Base(p)] = st.ModTime().UTC()
		}
		before := time.Now().Add(-time.Minute)
		sum, err := ingestPaths(t, cfg, nil)
		if err != nil && !errors.Is(err, ErrRejected) {
			t.Fatal(err)
		}
		if sum.Backfill != backfill {
			t.Errorf("backfill %v: the summary says %v", backfill, sum.Backfill)
		}
		cat, _ := warehouse.ReadCatalog(cfg.Settings.Paths.Warehouse)
		for _, s := range cat.Sources {
			own := dated[s.Name]
			if own.After(before) {
				t.Fatalf("%s is dated %v: the generator no longer dates its files as filed", s.Name, own)
			}
			switch {
			case backfill && !s.ReceivedAt.Equal(own.Truncate(time.Microsecond)):
				t.Errorf("backfill: %s received %v, want its own date %v", s.Name, s.ReceivedAt, own)
			case !backfill && s.ReceivedAt.Before(before):
				t.Errorf("%s received %v, its own date; want its arrival (now)", s.Name, s.ReceivedAt)
			}
		}
	}
}

// TestRepairRecoversWhatWasRecorded reproduces three damaged warehouses a
// user met: a Parquet part lost (the repair re-dated its returns to their
// commit time, changing past as-of answers, although the old catalog that
// it moved aside held every received time); a raw file overwritten with
// garbage (verify said to run repair, and repair said "nothing to
// repair"); a file put by hand into raw/ (every writer refused it, and
// repair left it there).
func TestRepairRecoversWhatWasRecorded(t *testing.T) {
	damage := map[string]func(t *testing.T, wh string){
		"a lost part": func(t *testing.T, wh string) {
			parts, _ := filepath.Glob(filepath.Join(wh, "returns", "year=*", "*.parquet"))
			if len(parts) == 0 {
				t.Fatal("no part")
			}
			os.Remove(parts[0])
		},
		"a raw file overwritten": func(t *testing.T, wh string) {
			raws, _ := filepath.Glob(filepath.Join(wh, "raw", "*.xlsx"))
			st, _ := os.Stat(raws[0])
			os.WriteFile(raws[0], bytes.Repeat([]byte{'x'}, int(st.Size())), 0o644)
		},
		"a file put into raw by hand": func(t *testing.T, wh string) {
			os.WriteFile(filepath.Join(wh, "raw", "NOTES.txt"), []byte("hi"), 0o644)
		},
	}
	for name, hurt := range damage {
		t.Run(name, func(t *testing.T) {
			cfg, _ := inboxOf(t, 3)
			cfg.Settings.Ingest.Settle, cfg.Settings.Ingest.Backfill = 0, true // dated as filed, all different
			if _, err := ingestPaths(t, cfg, nil); err != nil && !errors.Is(err, ErrRejected) {
				t.Fatal(err)
			}
			wh := cfg.Settings.Paths.Warehouse
			want := warehouseText(t, wh)
			before, _ := warehouse.ReadCatalog(wh)
			hurt(t, wh)
			if rep, err := warehouse.Verify(context.Background(), wh, time.Second, nil); err == nil && len(rep.Problems) == 0 {
				t.Fatalf("verify finds nothing wrong: %+v", rep)
			}
			sum, err := Repair(context.Background(), cfg, nil)
			if err != nil {
				t.Fatalf("repair: %v", err)
			}
			if rep, err := warehouse.Verify(context.Background(), wh, time.Second, nil); err != nil || len(rep.Problems) > 0 {
				t.Fatalf("verify after the repair: %v %+v", err, rep)
			}
			if _, err := ingestPaths(t, cfg, nil); err != nil {
				t.Fatalf("ingest after the repair: %v", err)
			}
			after, _ := warehouse.ReadCatalog(wh)
			switch name {
			case "a lost part":
				if got := warehouseText(t, wh); got != want {
					t.Errorf("the repaired warehouse differs from the one before")
				}
				for sha, src := range before.Sources {
					if got := after.Sources[sha]; !got.ReceivedAt.Equal(src.ReceivedAt) || got.Name != src.Name {
						t.Errorf("%s: %s received %v after the repair, %s %v before", sha[:12], got.Name, got.ReceivedAt, src.Name, src.ReceivedAt)
					}
				}
			default:
				if len(sum.Damaged) != 1 || !strings.HasPrefix(sum.Damaged[0], sum.Aside) {
					t.Errorf("moved aside: %v, want the one file, into %s", sum.Damaged, sum.Aside)
				}
			}
		})
	}
}
