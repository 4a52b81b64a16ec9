package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWorkdirGuardCreatesNothing: a mistyped --workdir used to create a
// new warehouse and ingest into it with exit 0 (issue 19); now the
// command stops before touching the folder.
func TestWorkdirGuardCreatesNothing(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "ofshore")
	code, _, stderr := offshore(t, "--workdir", typo, "ingest")
	if code != exitUsage || !strings.Contains(stderr, "not a working folder: run `offshore init --dir") {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Errorf("the mistyped folder was created: %v", err)
	}
	// --config names the configuration: no guard.
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := offshore(t, "--workdir", typo, "--config", filepath.Join(dir, "offshore.yaml"), "prune", "--dry-run"); code != exitOK {
		t.Errorf("--config: exit %d, %s", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, stderr := offshore(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
		for _, want := range []string{"offshore ", "commit:", "built:", "go:          go1.", "CGO_ENABLED:"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, out)
			}
		}
	}
}

// TestHelpPerCommand: `offshore help CMD` and `offshore CMD -h` give the
// command's usage, its choices and an example, on stdout for help, exit 0.
func TestHelpPerCommand(t *testing.T) {
	tests := []struct {
		cmd  string
		want []string
	}{
		{"export", []string{"Usage: offshore export TABLE", "returns, panel, series, problems, runs, forecasts", "csv, json, parquet", "Example:\n  offshore export series"}},
		{"forecast", []string{"auto, linear-trend", "theta", "--input FILE", "Example:"}},
		{"ingest", []string{"--backfill", "never read", "Example:"}},
		{"prune", []string{"--dry-run", "never the warehouse's data", "Example:"}},
		{"template", []string{"--out", "must end in .xlsx", "Example:"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			code, out, _ := offshore(t, "help", tt.cmd)
			if code != exitOK {
				t.Fatalf("help %s: exit %d", tt.cmd, code)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help %s lacks %q:\n%s", tt.cmd, w, out)
				}
			}
			if strings.Contains(out, "--log-format string") {
				t.Errorf("help %s lists the global flags one by one:\n%s", tt.cmd, out)
			}
			code, _, stderr := offshore(t, tt.cmd, "-h")
			if code != exitOK || !strings.Contains(stderr, tt.want[0]) {
				t.Errorf("%s -h: exit %d, %s", tt.cmd, code, stderr)
			}
		})
	}
	if code, _, _ := offshore(t, "help", "frobnicate"); code != exitUsage {
		t.Errorf("help of an unknown command: exit %d", code)
	}
}

// TestIngestOfTheWorkingFolderItself: `offshore ingest .` in the working
// folder ingests the inbox's files and names what it skipped.
func TestIngestOfTheWorkingFolderItself(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := offshore(t, "--workdir", dir, "gen", "--out", filepath.Join(dir, "inbox"), "--operators", "2", "--from", "2016Q1", "--to", "2016Q1"); code != exitOK {
		t.Fatal(stderr)
	}
	code, out, stderr := offshore(t, "--workdir", dir, "ingest", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(out, "2 files: 2 accepted") || !strings.Contains(out, "skipped, the working folder's own") || !strings.Contains(out, filepath.Join(dir, "warehouse")) {
		t.Errorf("output:\n%s", out)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "quarantine")); len(entries) != 0 {
		t.Errorf("%d files quarantined", len(entries))
	}
}

func TestPruneDryRun(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	old := filepath.Join(dir, "quarantine", "ancien.xlsx")
	os.WriteFile(old, []byte("x"), 0o644)
	long := mustTime(t, "2020-01-01T00:00:00Z")
	os.Chtimes(old, long, long)
	code, out, stderr := offshore(t, "--workdir", dir, "prune", "--dry-run")
	if code != exitOK || !strings.Contains(out, "would remove "+old) || !strings.Contains(out, "1 quarantined files") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	if _, err := os.Stat(old); err != nil {
		t.Fatal("the dry run removed it")
	}
	if code, out, _ := offshore(t, "--workdir", dir, "prune"); code != exitOK || !strings.Contains(out, "removed "+old) {
		t.Fatalf("prune: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("prune left it")
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
