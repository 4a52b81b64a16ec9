package main

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// TestChaosOfOrdinaryMistakes interleaves the mistakes of issue 13 with
// ingests and nightly runs: catalog.json removed (and restored), the lock
// file removed while a writer runs and a second one starts, uploads that
// arrive slowly, SIGKILLs, and corrections written over an inbox file of
// the same name (in place, or renamed over it) while an ingest reads the
// batch. At the end every file ever dropped into the inbox is in the
// warehouse exactly once (and in quarantine if rejected), the inbox is
// empty, no file is left that no commit names, and verify finds the
// warehouse as committed. A file overwritten before any ingest read it is
// the one exception: its sender replaced it, and only the correction is
// owed; one that an ingest read before the overwrite is owed too.
func TestChaosOfOrdinaryMistakes(t *testing.T) {
	operators := 4
	if testing.Short() {
		operators = 2
	}
	inputs := crashInputs(t, t.TempDir(), operators)
	// Corrections: other valid returns, written over inbox files.
	cfg, err := config.Default("")
	if err != nil {
		t.Fatal(err)
	}
	corrections, err := synth.WriteDir(context.Background(), t.TempDir(), &cfg.Mappings,
		synth.Options{Operators: 1, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2018, 4), Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	bySHA := map[string]string{} // the files dropped into the inbox, by content
	for _, p := range append(slices.Clone(inputs), corrections...) {
		bySHA[fileSHA(t, p)] = p
	}
	owed := slices.Clone(inputs) // what must end in the warehouse
	// Overwrites made, of them while the ingest ran, and files overwritten
	// before any ingest read them.
	overwrites, during, replaced := 0, 0, 0
	dir := newWorkdir(t, nil)
	wh := filepath.Join(dir, "warehouse")
	inbox := filepath.Join(dir, "inbox")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 13))

	// deliver puts an input into the inbox whole, with its filing date.
	deliver := func(p string) {
		b, _ := os.ReadFile(p)
		st, _ := os.Stat(p)
		dst := filepath.Join(inbox, filepath.Base(p))
		os.WriteFile(dst, b, 0o644)
		os.Chtimes(dst, st.ModTime(), st.ModTime())
	}
	var slow []string // uploads left half-written
	next := 0
	okCode := func(what string, code int, out string) {
		// Exit 1 only for a writer that lost the race, or a nightly run
		// before any return was accepted (nothing to assess yet).
		lost := code == exitFailure && strings.Contains(out, "another writer")
		empty := code == exitFailure && what == "run" && strings.Contains(out, "no returns to assess")
		if code != exitOK && code != exitRejected && !lost && !empty {
			t.Fatalf("%s: exit %d\n%s", what, code, out)
		}
	}
	for round := 0; next < len(inputs) || len(slow) > 0; round++ {
		if round > 200 {
			t.Fatal("too many rounds")
		}
		// Deliveries: a few whole files, sometimes one still uploading.
		for range 1 + rng.IntN(8) {
			if next == len(inputs) {
				break
			}
			p := inputs[next]
			next++
			if rng.IntN(5) == 0 {
				b, _ := os.ReadFile(p)
				os.WriteFile(filepath.Join(inbox, filepath.Base(p)), b[:len(b)/2], 0o644) // settle: 30 s, so it waits
				slow = append(slow, p)
				continue
			}
			deliver(p)
		}
		if len(slow) > 0 && rng.IntN(2) == 0 { // an upload finishes
			deliver(slow[0])
			slow = slow[1:]
		}
		switch rng.IntN(6) {
		case 0: // catalog.json removed: every command refuses, nothing is removed
			catalog := filepath.Join(wh, "catalog.json")
			b, err := os.ReadFile(catalog)
			if err != nil {
				break
			}
			os.Remove(catalog)
			if code, _, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest"); code != exitFailure || !strings.Contains(stderr, "catalog.json") {
				t.Fatalf("ingest without a catalog: exit %d, %s", code, stderr)
			}
			os.WriteFile(catalog, b, 0o644) // restored from the backup
		case 1: // the lock file removed while a writer runs, and a second one starts
			c := child(t, "--workdir", dir, "--log-level", "error", "ingest")
			var out strings.Builder
			c.Stdout, c.Stderr = &out, &out
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond) // a random moment of its run
			os.Remove(filepath.Join(wh, "lock"))
			code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest")
			okCode("second writer", code, stdout+stderr)
			c.Wait()
			okCode("first writer", c.ProcessState.ExitCode(), out.String())
		case 2: // SIGKILL at a random moment
			if code, killed, out := ingestChild(t, dir, time.Duration(1+rng.IntN(400))*time.Millisecond); !killed {
				okCode("ingest", code, out)
			}
		case 3:
			code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "run")
			okCode("run", code, stdout+stderr)
		case 4: // a correction written over an inbox file while an ingest reads the batch
			var whole []string
			for _, e := range entries(t, inbox) {
				if !slices.ContainsFunc(slow, func(p string) bool { return filepath.Base(p) == e }) {
					whole = append(whole, filepath.Join(inbox, e))
				}
			}
			if len(whole) == 0 || len(corrections) == 0 {
				break
			}
			victim, fix := whole[rng.IntN(len(whole))], corrections[0]
			corrections = corrections[1:]
			was := bySHA[fileSHA(t, victim)]
			c := child(t, "--workdir", dir, "--log-level", "error", "ingest")
			var out strings.Builder
			c.Stdout, c.Stderr = &out, &out
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { c.Wait(); close(done) }()
			time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond) // a random moment of its batch
			b, _ := os.ReadFile(fix)
			st, _ := os.Stat(fix)
			if rng.IntN(2) == 0 { // saved in place, its times set once written (cp -p)
				os.WriteFile(victim, b, 0o644)
				os.Chtimes(victim, st.ModTime(), st.ModTime())
			} else { // uploaded as .part and renamed over it
				os.WriteFile(victim+".part", b, 0o644)
				os.Chtimes(victim+".part", st.ModTime(), st.ModTime())
				os.Rename(victim+".part", victim)
			}
			overwrites++
			select {
			case <-done:
			default:
				during++
			}
			<-done
			okCode("ingest during an overwrite", c.ProcessState.ExitCode(), out.String())
			owed = append(owed, fix)
			// The original, if no ingest read it before it was replaced and
			// no other inbox file holds its bytes, is owed no more: its
			// sender replaced it.
			sha := fileSHA(t, was)
			if i := slices.Index(owed, was); i >= 0 && !committed(t, wh, sha) &&
				!slices.ContainsFunc(entries(t, inbox), func(e string) bool { return fileSHA(t, filepath.Join(inbox, e)) == sha }) {
				owed = slices.Delete(owed, i, i+1)
				replaced++
			}
		default:
			code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest")
			okCode("ingest", code, stdout+stderr)
		}
	}
	for range 3 { // the last runs, nothing going wrong
		code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest")
		okCode("final ingest", code, stdout+stderr)
	}
	t.Logf("%d corrections written over an inbox file, %d while an ingest ran; %d files overwritten before an ingest read them", overwrites, during, replaced)
	checkInvariants(t, dir, owed)
	if dup := duplicateKeys(t, dir); dup != "" {
		t.Error(dup)
	}
	if code, stdout, stderr := offshore(t, "--workdir", dir, "verify"); code != exitOK {
		t.Errorf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, _ := os.ReadDir(dir)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// fileSHA is the sha256 of a file's bytes, "" when it cannot be read.
func fileSHA(t *testing.T, path string) string {
	t.Helper()
	h, err := warehouse.FileSHA256(path)
	if err != nil {
		return ""
	}
	return h
}

// committed reports whether the warehouse wh holds these bytes.
func committed(t *testing.T, wh, sha string) bool {
	t.Helper()
	cat, err := warehouse.ReadCatalog(wh)
	if err != nil {
		t.Fatal(err)
	}
	_, ok := cat.Sources[sha]
	return ok
}
