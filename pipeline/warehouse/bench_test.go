package warehouse

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkCommit commits 100 files of 4 returns each per iteration.
func BenchmarkCommit(b *testing.B) {
	dir := b.TempDir()
	w, err := Open(context.Background(), dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	n := 0
	for b.Loop() {
		var in []Input
		for range 100 {
			sha := fmt.Sprintf("%064x", n)
			n++
			in = append(in, Input{Source: Source{SHA256: sha, Name: sha[56:], Status: StatusAccepted}, Raw: []byte(sha), Returns: sample(sha, 4)})
		}
		if err := w.Commit(context.Background(), in, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadReturns reads a warehouse of 20 commits × 100 files, before
// and after compaction.
func BenchmarkReadReturns(b *testing.B) {
	dir := b.TempDir()
	w, err := Open(context.Background(), dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	for c := range 20 {
		var in []Input
		for k := range 100 {
			sha := fmt.Sprintf("%064x", c*100+k)
			in = append(in, Input{Source: Source{SHA256: sha, Name: sha[56:], Status: StatusAccepted}, Raw: []byte(sha), Returns: sample(sha, 4)})
		}
		if err := w.Commit(context.Background(), in, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	read := func(b *testing.B) {
		for b.Loop() {
			if _, _, err := ReadReturns(context.Background(), dir); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("parts=60", read)
	if _, err := w.Compact(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Run("compacted", read)
}
