package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// lockedBuffer is a bytes.Buffer safe for a child's output and a test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConcurrentWriters starts two `offshore ingest` and one `offshore run`
// together on one warehouse while the test holds its lock: each says whom it
// waits for, and once the lock is released they finish one after the other,
// leaving the warehouse an uninterrupted ingest makes.
func TestConcurrentWriters(t *testing.T) {
	inputs := crashInputs(t, t.TempDir(), 10)
	ref := newWorkdir(t, inputs)
	if code, _, out := ingestChild(t, ref, 0); code != exitRejected {
		t.Fatalf("reference ingest: %d %s", code, out)
	}
	want := warehouseState(t, ref)

	dir := newWorkdir(t, inputs)
	wh := filepath.Join(dir, "warehouse")
	held, err := warehouse.Open(context.Background(), wh, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		cmd guardedCmd
		out *lockedBuffer
	}
	var children []proc
	for _, args := range [][]string{{"ingest", "--backfill"}, {"ingest", "--backfill"}, {"run", "--backfill"}} {
		c := proc{child(t, append([]string{"--workdir", dir}, args...)...), &lockedBuffer{}}
		c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, c)
	}
	for _, c := range children {
		waitFor(t, "a waiting message", func() bool { return strings.Contains(c.out.String(), "waiting for another writer") })
		if msg := c.out.String(); !strings.Contains(msg, fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("waiting message does not name the holder (pid %d):\n%s", os.Getpid(), msg)
		}
	}
	held.Close()
	for _, c := range children {
		err := c.cmd.Wait()
		if code := c.cmd.ProcessState.ExitCode(); code != exitOK && code != exitRejected {
			t.Errorf("%v: exit %d (%v)\n%s", c.cmd.Args, code, err, c.out)
		}
	}
	checkInvariants(t, dir, inputs)
	if got := warehouseState(t, dir); got != want {
		t.Errorf("warehouse after concurrent writers differs:\n%s", diffLines(got, want))
	}

	// With a short lock_wait, a writer gives up and names the holder.
	settings := filepath.Join(dir, "offshore.yaml")
	b, _ := os.ReadFile(settings)
	short := strings.Replace(string(b), "lock_wait: 1m", "lock_wait: 200ms", 1)
	if short == string(b) {
		t.Fatal("offshore.yaml has no lock_wait: 1m to shorten")
	}
	os.WriteFile(settings, []byte(short), 0o644)
	held, err = warehouse.Open(context.Background(), wh, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, out := ingestChild(t, dir, 0)
	for _, s := range []string{fmt.Sprintf("pid %d", os.Getpid()), "command", "since", "200ms", "warehouse.lock_wait"} {
		if code != exitFailure || !strings.Contains(out, s) {
			t.Errorf("locked out: exit %d, message lacks %q:\n%s", code, s, out)
		}
	}
}

// TestAsOfIgnoresLaterReturns: what the pipeline says as of 2017Q4 (forecast,
// series, returns) is the same before and after returns received later arrive,
// and each forecast records its as-of.
func TestAsOfIgnoresLaterReturns(t *testing.T) {
	inputs := crashInputs(t, t.TempDir(), 12)
	var early, late []string
	split := time.Date(2018, 3, 31, 0, 0, 0, 0, time.UTC) // after 2017Q4's cutoff (2018-02-15)
	for _, p := range inputs {
		st, _ := os.Stat(p)
		if st.ModTime().After(split) {
			late = append(late, p)
		} else {
			early = append(early, p)
		}
	}
	// Returns dated January 2018 (2017Q4's, before its cutoff) are held
	// back, to arrive last in files that still carry those dates.
	var held []string
	early = slices.DeleteFunc(early, func(p string) bool {
		st, _ := os.Stat(p)
		if st.ModTime().After(time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)) && st.ModTime().Before(time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC)) {
			held = append(held, p)
			return true
		}
		return false
	})
	if len(early) == 0 || len(late) == 0 || len(held) == 0 {
		t.Fatalf("split %d/%d/%d", len(early), len(late), len(held))
	}
	dir := newWorkdir(t, early)
	say := func() []string {
		var outs []string
		for _, args := range [][]string{
			{"forecast", "--as-of", "2017Q4", "--format", "json"},
			{"export", "series", "--as-of", "2017Q4", "--format", "csv"},
			{"export", "panel", "--as-of", "2017Q4", "--format", "json"},
			{"export", "returns", "--as-of", "2017Q4", "--format", "csv"},
		} {
			code, out, stderr := offshore(t, append([]string{"--workdir", dir}, args...)...)
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			outs = append(outs, out)
		}
		return outs
	}
	if code, _, stderr := offshore(t, "--workdir", dir, "ingest", "--backfill"); code != exitRejected {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	before := say()
	// The later returns loaded as an archive, with their own (later)
	// dates; then the held-back ones arriving now in files dated January
	// 2018, before 2017Q4's cutoff (an unzipped attachment, cp -p): their
	// arrival counts, not their dates, so neither changes the past.
	newWorkdirInbox(t, dir, late)
	if code, _, stderr := offshore(t, "--workdir", dir, "ingest", "--backfill"); code != exitOK {
		t.Fatalf("ingest --backfill of the later returns: %d %s", code, stderr)
	}
	newWorkdirInbox(t, dir, held)
	if code, _, stderr := offshore(t, "--workdir", dir, "ingest"); code != exitOK {
		t.Fatalf("ingest of the files dated January 2018: %d %s", code, stderr)
	}
	after := say()
	for k := range before {
		if before[k] != after[k] {
			t.Errorf("output %d as of 2017Q4 changed after later returns, or files dated before its cutoff, arrived:\n%s", k, diffLines(after[k], before[k]))
		}
	}
	if _, now, _ := offshore(t, "--workdir", dir, "export", "series", "--format", "csv"); now == after[1] {
		t.Error("the series now equal the series as of 2017Q4: --as-of was ignored")
	}

	// Every forecast recorded its as-of and cutoff.
	code, out, stderr := offshore(t, "--workdir", dir, "export", "runs", "--format", "json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var runs []map[string]any
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range runs {
		if r["job"] == "forecast" && r["as_of"] == "2017Q4" && strings.HasPrefix(fmt.Sprint(r["cutoff"]), "2018-02-15") {
			found++
		}
	}
	if found != 2 {
		t.Errorf("%d forecast run records as of 2017Q4 with cutoff 2018-02-15, want 2:\n%s", found, out)
	}
}

// newWorkdirInbox copies inputs into dir's inbox with their modification times.
func newWorkdirInbox(t *testing.T, dir string, inputs []string) {
	t.Helper()
	for _, p := range inputs {
		copyFile(t, p, filepath.Join(dir, "inbox", filepath.Base(p)))
	}
}

// TestExportReturnsShowsVersions: a corrected return is a second version; the
// first is marked superseded, and consolidation keeps the second.
func TestExportReturnsShowsVersions(t *testing.T) {
	dir := demo(t)
	for _, format := range []string{"csv", "json", "parquet", "xlsx"} {
		out := filepath.Join(t.TempDir(), "returns."+format)
		if code, _, stderr := offshore(t, "--workdir", dir, "export", "returns", "--format", format, "--out", out); code != exitOK {
			t.Fatalf("%s: %s", format, stderr)
		}
		if st, err := os.Stat(out); err != nil || st.Size() == 0 {
			t.Errorf("%s: nothing written", format)
		}
	}
	code, out, stderr := offshore(t, "--workdir", dir, "export", "returns", "--format", "csv", "--sep", ",")
	if code != exitOK {
		t.Fatal(stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for k, h := range rows[0] {
		col[h] = k
	}
	corrected := 0
	for k, r := range rows[1:] {
		if r[col["versions"]] == "2" && r[col["version"]] == "1" {
			next := rows[k+2]
			if r[col["superseded"]] != "true" || next[col["version"]] != "2" || next[col["superseded"]] != "false" ||
				next[col["operator_id"]] != r[col["operator_id"]] || next[col["received_at"]] < r[col["received_at"]] {
				t.Errorf("versions out of order:\n%v\n%v", r, next)
			}
			corrected++
		}
	}
	if corrected == 0 {
		t.Error("the demo has corrected returns, but export returns shows no second version")
	}
	if code, _, stderr := offshore(t, "--workdir", dir, "export", "nothing"); code != exitUsage || !strings.Contains(stderr, "returns, panel, series") {
		t.Errorf("unknown table: exit %d, %s", code, stderr)
	}
}

// TestRunMarksDeadRunsInterrupted: with the nightly run in a crontab (no
// daemon), a record left "running" by a killed process, or forged with the
// pid of a process that is not its own (pid 1), stayed "running" forever.
// The next `offshore run` marks them interrupted.
func TestRunMarksDeadRunsInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cron")
	if err := os.CopyFS(dir, os.DirFS(demo(t))); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, pid := range []int{1, 999999} {
		rec := runlog.New(runlog.JobRun, runlog.TriggerCLI)
		rec.ID = fmt.Sprintf("20200101T00000%dZ-run", i)
		rec.PID, rec.PIDStart, rec.Status = pid, "not its start", runlog.StatusRunning
		if err := runlog.Save(cfg, rec); err != nil {
			t.Fatal(err)
		}
	}
	if code, out, stderr := offshore(t, "--workdir", dir, "run"); code != exitOK {
		t.Fatalf("run: %d %s %s", code, out, stderr)
	}
	runs, err := runlog.List(cfg, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if strings.HasPrefix(r.ID, "20200101") && r.Status != runlog.StatusInterrupted {
			t.Errorf("%s (pid %d): %s, want interrupted", r.ID, r.PID, r.Status)
		}
	}
}
