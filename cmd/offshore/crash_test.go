package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the offshore command once per test run and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "offshore-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "offshore")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// crashInputs writes the crash test's inputs into dir: a few hundred
// generated returns (corrections included), two files that are rejected and
// the same bytes as an accepted file under another name. It returns the
// inputs' paths.
func crashInputs(t *testing.T, dir string, operators int) []string {
	t.Helper()
	cfg, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(context.Background(), dir, &cfg.Mappings,
		synth.Options{Operators: operators, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2018, 4), Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2017, 5, 2, 9, 0, 0, 0, time.UTC)
	extra := map[string][]byte{
		"releve-T1.xlsx":      []byte("not a workbook"),
		"declaration 2 .xlsx": []byte("PK\x03\x04 truncated zip"),
	}
	dup, _ := os.ReadFile(paths[0])
	extra["copie de "+filepath.Base(paths[0])] = dup
	for name, b := range extra {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, at, at)
		paths = append(paths, p)
	}
	return paths
}

// newWorkdir makes a working folder whose inbox holds copies of inputs, with
// their modification times (received_at).
func newWorkdir(t *testing.T, inputs []string) string {
	t.Helper()
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	newWorkdirInbox(t, dir, inputs)
	return dir
}

// ingestTimeout bounds one child run of these tests: a hang is a bug.
const ingestTimeout = 2 * time.Minute

// guardedCmd is a child offshore whose run is bounded by ingestTimeout.
type guardedCmd struct {
	*exec.Cmd
	ctx context.Context
}

func (c guardedCmd) ctxErr() error { return c.ctx.Err() }

// child prepares the offshore binary as a child process: past ingestTimeout
// it gets SIGQUIT (Go then prints its goroutines) and Wait returns at most
// 10 s later even if something still holds its output pipes.
func child(t *testing.T, args ...string) guardedCmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ingestTimeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 10 * time.Second
	return guardedCmd{cmd, ctx}
}

// ingestChild runs `offshore ingest` in dir as a child process. With kill > 0
// it is killed with SIGKILL after that long; killed says whether it was.
func ingestChild(t *testing.T, dir string, kill time.Duration) (code int, killed bool, out string) {
	t.Helper()
	cmd := child(t, "--workdir", dir, "--log-level", "warn", "ingest", "--backfill")
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var timer *time.Timer
	if kill > 0 {
		timer = time.AfterFunc(kill, func() { cmd.Process.Signal(syscall.SIGKILL) })
	}
	err := cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	if errors.Is(cmd.ctxErr(), context.DeadlineExceeded) {
		t.Fatalf("offshore ingest in %s still running after %v:\n%s", dir, ingestTimeout, buf.String())
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return -1, true, buf.String()
		}
		return ee.ExitCode(), false, buf.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, false, buf.String()
}

// warehouseState is what must be equal after crashes and reruns: the rows
// (without ingested_at, which is the commit's time), the sources (without
// their commit number) and the quarantine folder, as sorted text.
func warehouseState(t *testing.T, dir string) string {
	t.Helper()
	wh := filepath.Join(dir, "warehouse")
	rs, cat, err := warehouse.ReadReturns(context.Background(), wh)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := warehouse.ReadProblems(context.Background(), wh)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rs {
		r.IngestedAt = time.Time{}
		lines = append(lines, "row "+returnText(r))
	}
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("problem %s|%s|%s|%s|%s|%s|%s", p.File, p.SHA256, p.Sheet, p.Cell, p.Code, p.Severity, p.Message))
	}
	for sha, s := range cat.Sources {
		lines = append(lines, fmt.Sprintf("source %s %s %s rows=%d problems=%d received=%s", sha, s.Name, s.Status, s.Rows, s.Problems, s.ReceivedAt.Format(time.RFC3339Nano)))
	}
	q, _ := os.ReadDir(filepath.Join(dir, "quarantine"))
	for _, e := range q {
		b, _ := os.ReadFile(filepath.Join(dir, "quarantine", e.Name()))
		h := sha256.Sum256(b)
		lines = append(lines, "quarantine "+e.Name()+" "+hex.EncodeToString(h[:8]))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func returnText(r domain.Return) string {
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
		r.SourceSHA256, r.SourceName, r.Sheet, fmt.Sprint(r.Row), r.ReceivedAt.Format(time.RFC3339Nano)}, "|")
}

// checkInvariants checks what holds after any completed ingest: no file the
// catalog does not name, no temporary file, an empty inbox, and every input
// either committed (its bytes archived) or quarantined.
func checkInvariants(t *testing.T, dir string, inputs []string) {
	t.Helper()
	wh := filepath.Join(dir, "warehouse")
	cat, err := warehouse.ReadCatalog(wh)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{filepath.Join(wh, "catalog.json"): true, filepath.Join(wh, "lock"): true, filepath.Join(wh, "ingest-cache.tsv"): true}
	for _, p := range cat.Parts {
		named[filepath.Join(wh, filepath.FromSlash(p.Path))] = true
	}
	for sha := range cat.Sources {
		named[warehouse.RawPath(wh, sha)] = true
	}
	filepath.WalkDir(wh, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && strings.HasPrefix(d.Name(), "repair-") {
			return fs.SkipDir // what a repair moved aside, kept by design
		}
		if err != nil || d.IsDir() || strings.HasPrefix(p, filepath.Join(wh, "runs")+string(filepath.Separator)) {
			return err
		}
		if !named[p] {
			t.Errorf("orphan file %s", p)
		}
		return nil
	})
	filepath.WalkDir(filepath.Join(dir, "quarantine"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
	if left, _ := os.ReadDir(filepath.Join(dir, "inbox")); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
	for _, p := range inputs {
		b, _ := os.ReadFile(p)
		h := sha256.Sum256(b)
		sha := hex.EncodeToString(h[:])
		s, ok := cat.Sources[sha]
		if !ok {
			t.Errorf("input %s is not in the warehouse", filepath.Base(p))
			continue
		}
		if _, err := os.Stat(warehouse.RawPath(wh, sha)); err != nil {
			t.Errorf("input %s: raw bytes not archived", filepath.Base(p))
		}
		if s.Status == warehouse.StatusRejected { // under its name, or sha-name when another file had it
			q, err := os.ReadFile(filepath.Join(dir, "quarantine", s.Name))
			if err != nil || string(q) != string(b) {
				q, err = os.ReadFile(filepath.Join(dir, "quarantine", sha[:12]+"-"+s.Name))
			}
			if err != nil || string(q) != string(b) {
				t.Errorf("rejected input %s is not in quarantine", s.Name)
			}
		}
	}
}

// TestCrashAtRandomMoments kills `offshore ingest` with SIGKILL at random
// moments, reruns it, and checks that the warehouse ends equal to the one an
// uninterrupted run makes. Each scenario starts from a fresh working folder
// and kills every run at a random moment of the first run's duration until
// one finishes (at most 4 kills), then checks. The default run makes up to
// 20 kills on about 260 returns within about 10 s, -short up to 8 on about
// 160 within 5 s; OFFSHORE_CRASH_KILLS=N asks for N kills whatever the time,
// and OFFSHORE_CRASH_OPERATORS=M for M operators' returns (16 each, plus
// corrections; 70 give about 1,070 files).
func TestCrashAtRandomMoments(t *testing.T) {
	operators, target, budget := 16, 20, 10*time.Second
	if testing.Short() {
		operators, target, budget = 10, 8, 5*time.Second
	}
	if n, err := strconv.Atoi(os.Getenv("OFFSHORE_CRASH_KILLS")); err == nil && n > 0 {
		target, budget = n, 0
	}
	if n, err := strconv.Atoi(os.Getenv("OFFSHORE_CRASH_OPERATORS")); err == nil && n > 0 {
		operators = n
	}
	src := t.TempDir()
	inputs := crashInputs(t, src, operators)
	binary(t)

	ref := newWorkdir(t, inputs)
	start := time.Now()
	code, _, out := ingestChild(t, ref, 0)
	full := time.Since(start)
	if code != exitRejected {
		t.Fatalf("uninterrupted ingest: exit %d, want 3 (two files rejected)\n%s", code, out)
	}
	checkInvariants(t, ref, inputs)
	want := warehouseState(t, ref)
	t.Logf("%d inputs; uninterrupted ingest %v", len(inputs), full.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills, scenarios := 0, 0
	begin := time.Now()
	// Stop at the target, or past the time budget once a few kills are made.
	for kills < target && (budget == 0 || kills < 5 || time.Since(begin) < budget) {
		scenarios++
		dir := newWorkdir(t, inputs)
		for k := 0; k < 4 && kills < target && (budget == 0 || time.Since(begin) < budget); k++ {
			code, killed, out := ingestChild(t, dir, time.Duration(1+rng.Int64N(int64(full))))
			if killed {
				kills++
				continue
			}
			if code != exitRejected && code != exitOK {
				t.Fatalf("scenario %d, run %d: exit %d\n%s", scenarios, k, code, out)
			}
			break
		}
		code, _, out := ingestChild(t, dir, 0)
		if code != exitRejected && code != exitOK {
			t.Fatalf("scenario %d, final run: exit %d\n%s", scenarios, code, out)
		}
		checkInvariants(t, dir, inputs)
		if got := warehouseState(t, dir); got != want {
			t.Fatalf("scenario %d: warehouse after crashes differs from the uninterrupted one:\n%s", scenarios, diffLines(got, want))
		}
		if dup := duplicateKeys(t, dir); dup != "" {
			t.Fatalf("scenario %d: %s", scenarios, dup)
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d SIGKILLs over %d scenarios; every final warehouse equals the uninterrupted one", kills, scenarios)
}

// duplicateKeys says whether one file's rows were committed twice.
func duplicateKeys(t *testing.T, dir string) string {
	rs, _, err := warehouse.ReadReturns(context.Background(), filepath.Join(dir, "warehouse"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rs {
		k := fmt.Sprintf("%s/%s/%d", r.SourceSHA256, r.Sheet, r.Row)
		if seen[k] {
			return "row committed twice: " + k
		}
		seen[k] = true
	}
	return ""
}

func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	n := 0
	for _, l := range g {
		if !slices.Contains(w, l) && n < 10 {
			b.WriteString("+ " + l + "\n")
			n++
		}
	}
	for _, l := range w {
		if !slices.Contains(g, l) && n < 20 {
			b.WriteString("- " + l + "\n")
			n++
		}
	}
	return b.String()
}

// TestDamagedWarehouseSaysWhatToDo: a truncated catalog or committed part is
// a clear error naming the file and what to do, not a silent repair.
func TestDamagedWarehouseSaysWhatToDo(t *testing.T) {
	src := t.TempDir()
	inputs := crashInputs(t, src, 3)
	dir := newWorkdir(t, inputs[:10])
	if code, _, stderr := offshore(t, "--workdir", dir, "ingest", "--backfill"); code != exitOK {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	wh := filepath.Join(dir, "warehouse")
	cat, _ := warehouse.ReadCatalog(wh)
	var part string // the last returns part
	for _, p := range cat.Parts {
		if p.Table == warehouse.TableReturns {
			part = filepath.Join(wh, filepath.FromSlash(p.Path))
		}
	}
	b, _ := os.ReadFile(part)
	os.WriteFile(part, b[:len(b)/2], 0o644)
	for _, args := range [][]string{{"ingest"}, {"forecast"}, {"export", "returns"}} {
		code, _, stderr := offshore(t, append([]string{"--workdir", dir}, args...)...)
		if code != exitFailure || !strings.Contains(stderr, part) || !strings.Contains(stderr, "backup") {
			t.Errorf("%v with a truncated part: exit %d, %s", args, code, stderr)
		}
	}
	os.WriteFile(part, b, 0o644)

	catalog := filepath.Join(wh, "catalog.json")
	c, _ := os.ReadFile(catalog)
	os.WriteFile(catalog, c[:len(c)/2], 0o644)
	for _, args := range [][]string{{"ingest"}, {"forecast"}, {"export", "series"}, {"verify"}} {
		code, _, stderr := offshore(t, append([]string{"--workdir", dir}, args...)...)
		if code != exitFailure || !strings.Contains(stderr, catalog) || !strings.Contains(stderr, "Restore catalog.json") {
			t.Errorf("%v with a truncated catalog: exit %d, %s", args, code, stderr)
		}
	}
	os.WriteFile(catalog, c, 0o644)
	if code, stdout, stderr := offshore(t, "--workdir", dir, "verify"); code != exitOK || !strings.Contains(stdout, "all as committed") {
		t.Errorf("verify of a sound warehouse: exit %d, %s %s", code, stdout, stderr)
	}
}

// TestRemovedCatalogRemovesNothing reproduces issue 13: after `rm
// warehouse/catalog.json`, `export returns` printed 0 rows with exit 0 and
// the next ingest, even of an empty inbox, removed every raw workbook and
// Parquet part. Now every command stops naming the catalog, and every file
// stays.
func TestRemovedCatalogRemovesNothing(t *testing.T) {
	inputs := crashInputs(t, t.TempDir(), 3)
	dir := newWorkdir(t, inputs[:6])
	if code, _, stderr := offshore(t, "--workdir", dir, "ingest", "--backfill"); code != exitOK {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	wh := filepath.Join(dir, "warehouse")
	var files []string
	filepath.WalkDir(wh, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.Contains(p, "/raw/") || strings.HasSuffix(p, ".parquet")) {
			files = append(files, p)
		}
		return err
	})
	catalog := filepath.Join(wh, "catalog.json")
	want := warehouseState(t, dir)
	for name, damage := range map[string]func(){
		"rm":   func() { os.Remove(catalog) },
		"{}":   func() { os.WriteFile(catalog, []byte("{}"), 0o644) },
		"null": func() { os.WriteFile(catalog, []byte("null"), 0o644) },
	} {
		damage()
		for _, args := range [][]string{{"ingest"}, {"export", "returns"}, {"forecast"}, {"compact"}, {"run"}, {"verify"}} {
			code, _, stderr := offshore(t, append([]string{"--workdir", dir}, args...)...)
			if code != exitFailure || !strings.Contains(stderr, catalog) || !strings.Contains(stderr, "offshore repair") {
				t.Errorf("%s, %v: exit %d, %s", name, args, code, stderr)
			}
		}
		for _, f := range files {
			if _, err := os.Stat(f); err != nil {
				t.Fatalf("%s: %s was removed", name, f)
			}
		}
	}
	// `offshore repair` rebuilds an equal warehouse from raw/.
	if code, stdout, stderr := offshore(t, "--workdir", dir, "repair"); code != exitOK || !strings.Contains(stdout, "moved to") {
		t.Fatalf("repair: exit %d, %s %s", code, stdout, stderr)
	}
	if code, stdout, stderr := offshore(t, "--workdir", dir, "verify"); code != exitOK {
		t.Errorf("verify after repair: exit %d, %s %s", code, stdout, stderr)
	}
	if got := warehouseState(t, dir); got != want {
		t.Errorf("the repaired warehouse differs:\n%s", diffLines(got, want))
	}
}

// TestCrashDuringCompaction kills `offshore compact` at random moments; the
// rerun completes it, and the rows are those before compaction.
func TestCrashDuringCompaction(t *testing.T) {
	inputs := crashInputs(t, t.TempDir(), 4)
	scenarios := 3
	if testing.Short() {
		scenarios = 1
	}
	fill := func() string { // a working folder whose warehouse has many small commits
		dir := newWorkdir(t, nil)
		for k := 0; k < len(inputs); k += 8 {
			code, _, stderr := offshore(t, append([]string{"--workdir", dir, "--log-level", "error", "ingest", "--backfill"}, inputs[k:min(k+8, len(inputs))]...)...)
			if code != exitOK && code != exitRejected {
				t.Fatalf("ingest: %d %s", code, stderr)
			}
		}
		return dir
	}
	dir := fill()
	want := warehouseState(t, dir)
	start := time.Now()
	if out, err := child(t, "--workdir", dir, "compact").CombinedOutput(); err != nil {
		t.Fatalf("compact: %v %s", err, out)
	}
	full := time.Since(start)
	if got := warehouseState(t, dir); got != want {
		t.Fatalf("compaction changed the warehouse:\n%s", diffLines(got, want))
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	for range scenarios {
		dir := fill()
		cmd := child(t, "--workdir", dir, "compact")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(time.Duration(1+rng.Int64N(int64(full))), func() { cmd.Process.Signal(syscall.SIGKILL) })
		cmd.Wait()
		timer.Stop()
		if out, err := child(t, "--workdir", dir, "compact").CombinedOutput(); err != nil {
			t.Fatalf("compact after the crash: %v %s", err, out)
		}
		checkInvariants(t, dir, inputs)
		if got := warehouseState(t, dir); got != want {
			t.Fatalf("after a crash in compaction:\n%s", diffLines(got, want))
		}
		if cat, _ := warehouse.ReadCatalog(filepath.Join(dir, "warehouse")); len(cat.Parts) > 6 {
			t.Errorf("%d parts after compaction", len(cat.Parts))
		}
	}
}
