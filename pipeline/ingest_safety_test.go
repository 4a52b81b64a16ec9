package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/synth"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// inboxOf makes a configuration in a new folder whose inbox holds n
// operators' returns for 2016Q1–Q2.
func inboxOf(t *testing.T, operators int) (*configs.Config, []string) {
	t.Helper()
	cfg, err := configs.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings,
		synth.Options{Operators: operators, From: returns.NewPeriod(2016, 1), To: returns.NewPeriod(2016, 2), Seed: 5})
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
	sum, err := Ingest(context.Background(), cfg, nil, nil)
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
	sum, err = Ingest(context.Background(), cfg, nil, nil)
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
