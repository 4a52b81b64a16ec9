package warehouse

import (
	"context"
	"errors"
	"testing"
)

// TestCheckInterruptedIsNotDamage: a check stopped by its context (SIGTERM
// while a command opens the warehouse) returns the context's error, never
// ErrDamaged, which would tell the operator to restore a backup.
func TestCheckInterruptedIsNotDamage(t *testing.T) {
	c := &Catalog{Parts: []Part{{Path: "returns/part-1.parquet", Commit: 1, Size: 10}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.check(ctx, t.TempDir(), false)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrDamaged) {
		t.Errorf("check after cancel: %v; want context.Canceled, not ErrDamaged", err)
	}
	if err := c.check(context.Background(), t.TempDir(), false); !errors.Is(err, ErrDamaged) {
		t.Errorf("check of a missing part: %v; want ErrDamaged", err)
	}
}
