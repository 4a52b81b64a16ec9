package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestUnseenCorpus: one ingest over every workbook of the unseen
// corpus (other programs, other people's wordings and layouts, valid and
// invalid) and its hostile files exits 3, commits every valid file and
// quarantines every other one, each with its report and feedback workbook.
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
	valid, invalid := 0, len(hostile)
	for _, f := range files {
		raw, err := os.ReadFile(strings.TrimSuffix(f, ".xlsx") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var w struct{ Valid bool }
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		if w.Valid {
			valid++
		} else {
			invalid++
		}
	}
	if valid < 100 {
		t.Fatalf("%d valid workbooks in the corpus, want at least 100", valid)
	}
	newWorkdirInbox(t, dir, append(files, hostile...))
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
