package main

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// sigtermExit is how long a command may take to exit after SIGTERM (issue
// 13, item 4: "within a second or two").
const sigtermExit = 2 * time.Second

// longTargets is a target set whose horizon is the farthest the loader
// allows (config.MaxHorizonYears after the baseline year), appended to a
// working folder's targets.yaml.
const longTargets = `
  - id: long
    name: "Horizon maximal"
    baseline_year: 2015
    horizon: 2065
    targets:
      - {id: jobs-2065, metric: jobs, kind: level, sector: ALL, baseline: 63000, value: 270000, label: "Emplois 2065"}
      - {id: exports-2065, metric: exports, kind: level, sector: ALL, baseline: 8000000000, value: 40000000000, label: "Exportations 2065"}
      - {id: investment-2016-2065, metric: investment, kind: cumulative, sector: ALL, from: 2016, value: 40000000000, label: "Investissements 2016-2065"}
      - {id: crm-jobs-2065, metric: jobs, kind: increase, sector: CRM, value: 15000, label: "Emplois CRM 2065"}
`

// TestSIGTERMStopsEveryLongCommand starts each long command as a process,
// sends it SIGTERM at a random moment of its work and checks that it exits
// within 2 s with exit code 130 (or, for a command that may have finished
// before the signal, its own code); where a rerun is cheap, the rerun ends
// where an uninterrupted run does. The figures (time to exit per command)
// are logged; `go test -run SIGTERM -v ./cmd/offshore/` prints them.
// -short skips the large cases (a federation workbook, gen of 300
// operators, forecast --input of 10,000 series) and ingests an inbox six
// times smaller.
func TestSIGTERMStopsEveryLongCommand(t *testing.T) {
	copies := 6 // the big inbox: every input under 6 names
	if testing.Short() {
		copies = 1
	}
	src := t.TempDir()
	inputs := crashInputs(t, src, 30)
	var inbox []string
	for k := range copies {
		for _, p := range inputs {
			q := filepath.Join(src, fmt.Sprintf("copies%d", k), filepath.Base(p))
			if k == 0 {
				q = p
			} else {
				copyFile(t, p, q)
			}
			inbox = append(inbox, q)
		}
	}
	binary(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; %d files in the big inbox", seed, len(inbox))
	rng := rand.New(rand.NewPCG(seed, 4))

	// The reference: the big inbox ingested without interruption.
	ref := newInbox(t, inbox)
	start := time.Now()
	code, _, stderr := offshore(t, "--workdir", ref, "--log-level", "error", "ingest", "--backfill")
	fullIngest := time.Since(start)
	if code != exitRejected {
		t.Fatalf("uninterrupted ingest: exit %d, want 3\n%s", code, stderr)
	}
	appendFile(t, filepath.Join(ref, "targets.yaml"), longTargets)
	// rerunEquals reruns args in dir, and checks that the warehouse is then
	// the one the uninterrupted run made in whole.
	rerunEquals := func(args ...string) func(t *testing.T, dir, whole string) {
		return func(t *testing.T, dir, whole string) {
			code, stdout, stderr := offshore(t, append([]string{"--workdir", dir, "--log-level", "error"}, args...)...)
			if code != exitOK && code != exitRejected {
				t.Fatalf("rerun of %v: exit %d\n%s%s", args, code, stdout, stderr)
			}
			if got, want := warehouseState(t, dir), warehouseState(t, whole); got != want {
				t.Errorf("after an interrupted %v and its rerun, the warehouse differs from an uninterrupted run:\n%s", args, diffLines(got, want))
			}
			checkInvariants(t, dir, inputs)
		}
	}
	fresh := func(t *testing.T) string { return newInbox(t, inbox) }
	readOnly := func(*testing.T) string { return ref } // commands that leave the data as it is
	damaged := func(t *testing.T) string {             // the reference without its catalog
		dir := copyTree(t, ref)
		os.Remove(filepath.Join(dir, "warehouse", "catalog.json"))
		return dir
	}
	type sigtermCase struct {
		name  string
		args  []string                              // after --workdir DIR
		dir   func(*testing.T) string               // the working folder of one run
		long  bool                                  // runs for seconds: SIGTERM always finds it at work
		large bool                                  // skipped with -short
		check func(t *testing.T, dir, whole string) // whole: the folder of an uninterrupted run
	}
	cases := []sigtermCase{
		{name: "ingest big inbox", args: []string{"ingest", "--backfill"}, dir: fresh, long: !testing.Short(), check: rerunEquals("ingest", "--backfill")},
		{name: "run big inbox", args: []string{"run", "--backfill"}, dir: fresh, long: !testing.Short(), check: rerunEquals("run", "--backfill")},
		{name: "repair", args: []string{"repair"}, dir: damaged, check: rerunEquals("repair")},
		{name: "compact", args: []string{"compact"}, dir: func(t *testing.T) string { return copyTree(t, ref) }, check: rerunEquals("compact")},
		{name: "verify", args: []string{"verify"}, dir: readOnly},
		{name: "report", args: []string{"report"}, dir: readOnly},
	}
	for _, table := range []string{"returns", "panel", "series", "problems", "runs", "forecasts"} {
		cases = append(cases, sigtermCase{name: "export " + table, args: []string{"export", table, "--out", "OUT"}, dir: readOnly})
	}
	for _, m := range []string{"auto", "linear-trend", "rw-drift", "log-linear-trend", "theta", "damped"} {
		cases = append(cases, sigtermCase{name: "forecast to 2065 " + m, args: []string{"forecast", "--target-set", "long", "--model", m}, dir: readOnly})
	}
	cases = append(cases, sigtermCase{name: "gen 300 operators", args: []string{"gen", "--out", "OUT", "--operators", "300", "--from", "2015Q1", "--to", "2020Q4"},
		dir: func(t *testing.T) string { return t.TempDir() }, long: true, large: true})
	cases = append(cases, sigtermCase{name: "gen --scale national (the federation workbook)", args: []string{"gen", "--scale", "national", "--operators", "2", "--from", "2020Q4", "--to", "2020Q4", "--federation-rows", "1000000", "--out", "OUT"},
		dir: func(t *testing.T) string { return t.TempDir() }, long: true})
	// One large workbook: a federation's 200,000 rows.
	federation := filepath.Join(t.TempDir(), "federation.xlsx")
	if !testing.Short() {
		cfg, err := config.Default("")
		if err != nil {
			t.Fatal(err)
		}
		if err := synth.WriteFederation(context.Background(), federation, &cfg.Mappings, 200_000, 1); err != nil {
			t.Fatal(err)
		}
	}
	fedInbox := func(t *testing.T) string { return newWorkdir(t, []string{federation}) }
	for name, args := range map[string][]string{"validate": {"validate", federation}, "mappings suggest": {"mappings", "suggest", federation}, "ingest": {"ingest"}} {
		cases = append(cases, sigtermCase{name: name + " federation.xlsx (200,000 rows)", args: args, dir: fedInbox, long: true, large: true})
	}
	series := filepath.Join(t.TempDir(), "series")
	if code, _, stderr := offshore(t, "--log-level", "error", "gen", "--scale", "series", "--out", series); code != exitOK {
		t.Fatal(stderr)
	}
	for _, m := range []string{"auto", "linear-trend", "rw-drift", "log-linear-trend", "theta", "damped"} {
		cases = append(cases, sigtermCase{name: "forecast --input 10000 series, horizon 200, " + m,
			args: []string{"forecast", "--input", filepath.Join(series, "series.csv"), "--horizon", "200", "--model", m, "--out", "OUT"},
			dir:  func(t *testing.T) string { return t.TempDir() }, long: true, large: true})
	}

	var figures []string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.large && testing.Short() {
				t.Skip("large case (-short)")
			}
			dir := c.dir(t)
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"--workdir", dir, "--log-level", "error"}, c.args...)
			// A random moment of its work: within its uninterrupted run
			// (measured here), or within the first second of a long one.
			limit := time.Second
			if strings.Contains(c.name, "big inbox") {
				limit = min(limit, fullIngest*7/10)
			}
			whole := ref
			if !c.long {
				whole = dir
				start := time.Now()
				code, _, _, output := interrupt(t, 0, withOut(args, out)...)
				limit = time.Since(start)
				if code != exitOK && code != exitRejected {
					t.Fatalf("uninterrupted: exit %d\n%s", code, output)
				}
				os.RemoveAll(out)
				dir = c.dir(t)
				args[1] = dir
			}
			delay := 150 * time.Millisecond // its signal handler is set by then
			if limit > delay {
				delay += time.Duration(rng.Int64N(int64(limit - delay)))
			}
			code, exit, sent, output := interrupt(t, delay, withOut(args, out)...)
			switch {
			case exit > sigtermExit:
				t.Errorf("exited %v after SIGTERM (%v into its run), want within %v\n%s", exit.Round(time.Millisecond), delay, sigtermExit, output)
			case code == exitInterrupted && !strings.Contains(output, "interrupted"):
				t.Errorf("exit 130 without saying it was interrupted:\n%s", output)
			case code != exitInterrupted && (c.long || code != exitOK && code != exitRejected):
				t.Errorf("exit %d after SIGTERM %v into its run, want %d\n%s", code, delay, exitInterrupted, output)
			}
			if code == exitInterrupted {
				if _, err := os.Stat(out); err == nil && !strings.HasPrefix(c.args[0], "gen") {
					t.Errorf("an interrupted %s left its output %s", c.name, out)
				}
			}
			for _, d := range []string{dir, out} {
				filepath.WalkDir(d, func(p string, d fs.DirEntry, err error) error {
					if err == nil && strings.HasSuffix(p, ".tmp") && !strings.Contains(p, string(filepath.Separator)+"inbox"+string(filepath.Separator)) {
						t.Errorf("temporary file left: %s", p)
					}
					return nil
				})
			}
			when := fmt.Sprintf("exit %3d %5dms after it", code, exit.Milliseconds())
			if !sent {
				when = fmt.Sprintf("exit %3d before it (run of %dms)", code, limit.Milliseconds())
			}
			figures = append(figures, fmt.Sprintf("%-55s SIGTERM at %5dms: %s", c.name, delay.Milliseconds(), when))
			if c.check != nil {
				c.check(t, dir, whole)
			}
		})
	}
	t.Logf("time to exit after SIGTERM:\n%s", strings.Join(figures, "\n"))
}

// interrupt runs offshore with args as a process and sends it SIGTERM after
// delay (none when delay is 0). It returns the exit code, the time from the signal to the exit,
// whether the signal found the process still running, and its output. A
// process still running 10 s after the signal is killed and fails the test.
func interrupt(t *testing.T, delay time.Duration, args ...string) (code int, exit time.Duration, running bool, out string) {
	t.Helper()
	cmd := child(t, args...)
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	var after <-chan time.Time // no signal when delay is 0
	if delay > 0 {
		after = time.After(delay)
	}
	select {
	case <-done:
		return cmd.ProcessState.ExitCode(), 0, false, buf.String()
	case <-after:
	}
	sent := time.Now()
	running = cmd.Process.Signal(syscall.SIGTERM) == nil
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		t.Fatalf("offshore %v still running 10 s after SIGTERM\n%s", args, buf.String())
	}
	exit = time.Since(sent)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("offshore %v was killed by %v: it did not handle SIGTERM\n%s", args, ws.Signal(), buf.String())
	}
	return cmd.ProcessState.ExitCode(), exit, running, buf.String()
}

// withOut returns args with OUT replaced by out.
func withOut(args []string, out string) []string {
	r := make([]string, len(args))
	for i, a := range args {
		r[i] = strings.ReplaceAll(a, "OUT", out)
	}
	return r
}

// newInbox is newWorkdir whose inbox also takes files of the same name from
// several folders (copiesK/NAME becomes K-NAME).
func newInbox(t *testing.T, inputs []string) string {
	t.Helper()
	dir := newWorkdir(t, nil)
	for _, p := range inputs {
		name := filepath.Base(p)
		if d := filepath.Base(filepath.Dir(p)); strings.HasPrefix(d, "copies") {
			name = strings.TrimPrefix(d, "copies") + "-" + name
		}
		copyFile(t, p, filepath.Join(dir, "inbox", name))
	}
	return dir
}

// copyFile copies src to dst with its modification time (received_at).
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(src)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(dst, st.ModTime(), st.ModTime())
}

// copyTree copies the working folder dir into a new one.
func copyTree(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		copyFile(t, p, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
