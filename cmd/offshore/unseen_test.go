package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestUnseenCorpus: one ingest over every workbook of the unseen
// corpus (other programs, other people's wordings and layouts, valid and
// invalid) and the hostile files exits 3, commits every file that validate
// accepts alone and quarantines every other one, each with its report and
// feedback workbook: no file's trouble reaches another. (How many of the
// corpus's valid files are accepted is pipeline/ingest's TestUnseenCorpus.)
func TestIngestUnseenCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole unseen corpus: not in -short")
	}
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	files, _ := filepath.Glob("../../testdata/ingest/unseen/*/*.xlsx")
	hostile, _ := filepath.Glob("../../testdata/ingest/hostile/*.xlsx")
	files = append(files, hostile...)
	if len(files) < 150 {
		t.Fatalf("%d workbooks, want at least 150", len(files))
	}
	// Each file's verdict alone (validate reads as ingest does): the batch
	// must give every file the same, whatever the others hold.
	valid, invalid := 0, 0
	for _, f := range files {
		switch code, _, stderr := offshore(t, "--workdir", dir, "validate", f); code {
		case exitOK:
			valid++
		case exitRejected:
			invalid++
		default:
			t.Fatalf("validate %s: exit %d: %s", f, code, stderr)
		}
	}
	newWorkdirInbox(t, dir, files)
	code, out, stderr := offshore(t, "--workdir", dir, "ingest")
	if code != exitRejected {
		t.Fatalf("exit %d, want %d; out %s; err %s", code, exitRejected, out, stderr)
	}
	want := fmt.Sprintf("%d files: %d accepted", valid+invalid, valid)
	if !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("%d rejected", invalid)) {
		t.Errorf("summary %q, want %q… %d rejected", out, want, invalid)
	}
	q, _ := filepath.Glob(filepath.Join(dir, "quarantine", "*.feedback.xlsx"))
	if len(q) != invalid {
		t.Errorf("%d feedback workbooks in quarantine, want %d", len(q), invalid)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "inbox")); len(left) != 0 {
		t.Errorf("%d files left in the inbox", len(left))
	}
}
