package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChaosOfOrdinaryMistakes interleaves the mistakes of issue 13 with
// ingests and nightly runs: catalog.json removed (and restored), the lock
// file removed while a writer runs and a second one starts, uploads that
// arrive slowly, SIGKILLs. At the end every file ever dropped into the
// inbox is in the warehouse exactly once (and in quarantine if rejected),
// the inbox is empty, no file is left that no commit names, and verify
// finds the warehouse as committed.
func TestChaosOfOrdinaryMistakes(t *testing.T) {
	operators := 4
	if testing.Short() {
		operators = 2
	}
	inputs := crashInputs(t, t.TempDir(), operators)
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
		if code != exitOK && code != exitRejected && !(code == exitFailure && strings.Contains(out, "another writer")) {
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
		switch rng.IntN(5) {
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
		default:
			code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest")
			okCode("ingest", code, stdout+stderr)
		}
	}
	for range 3 { // the last runs, nothing going wrong
		code, stdout, stderr := offshore(t, "--workdir", dir, "--log-level", "error", "ingest")
		okCode("final ingest", code, stdout+stderr)
	}
	checkInvariants(t, dir, inputs)
	if code, stdout, stderr := offshore(t, "--workdir", dir, "verify"); code != exitOK {
		t.Errorf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
}
