package warehouse

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/pipeline/returns"
)

// Options tune a writer's Open.
type Options struct {
	// LockWait is how long Open waits for another writer to finish.
	LockWait time.Duration
	Logger   *slog.Logger
}

// DefaultOptions waits up to a minute for the lock.
func DefaultOptions() Options { return Options{LockWait: time.Minute} }

// Warehouse is a warehouse opened for writing; it holds the writers' lock
// until Close.
type Warehouse struct {
	dir   string
	lockf *os.File
	cat   *Catalog
	log   *slog.Logger
}

// Open opens dir for writing, creating it if needed: it takes the lock, reads
// the catalog and removes every file the catalog does not name (leftovers of
// a crashed commit).
func Open(ctx context.Context, dir string, opts Options) (*Warehouse, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lf, err := lock(ctx, dir, opts.LockWait)
	if err != nil {
		return nil, err
	}
	cat, err := readCatalog(dir)
	if err != nil {
		unlock(lf)
		return nil, err
	}
	w := &Warehouse{dir: dir, lockf: lf, cat: cat, log: opts.Logger}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if err := w.collectGarbage(); err != nil {
		unlock(lf)
		return nil, err
	}
	return w, nil
}

// Close releases the lock.
func (w *Warehouse) Close() error { return unlock(w.lockf) }

// Dir is the warehouse folder.
func (w *Warehouse) Dir() string { return w.dir }

// Catalog returns the committed state; the caller must not modify it.
func (w *Warehouse) Catalog() *Catalog { return w.cat }

// Known returns the source committed with this sha256, if any.
func (w *Warehouse) Known(sha string) (Source, bool) {
	s, ok := w.cat.Sources[sha]
	return s, ok
}

// Input is one file to commit: its bytes, and what ingest made of them.
// Returns and Problems may be empty; Source.Status says whether it was accepted.
type Input struct {
	Source   Source
	Raw      []byte
	Returns  []returns.Return
	Problems []returns.Problem
}

// Commit adds the inputs to the warehouse atomically, stamping their rows
// with ingestedAt. Inputs whose sha256 is already committed are skipped.
// Nothing is visible to readers until the catalog is replaced, last.
func (w *Warehouse) Commit(ctx context.Context, inputs []Input, ingestedAt time.Time) error {
	next := *w.cat
	next.Seq++
	next.Sources = maps.Clone(w.cat.Sources)
	next.Parts = slices.Clone(w.cat.Parts)
	ingestedAt = ingestedAt.UTC()

	byYear := map[int][]returns.Return{}
	var problems []returns.Problem
	added := 0
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		sha := in.Source.SHA256
		if _, ok := next.Sources[sha]; ok {
			continue
		}
		if err := w.writeRaw(sha, in.Raw); err != nil {
			return err
		}
		src := in.Source
		src.Commit = next.Seq
		src.Rows, src.Problems = len(in.Returns), len(in.Problems)
		next.Sources[sha] = src
		for _, r := range in.Returns {
			r.IngestedAt = ingestedAt
			byYear[r.Period.Year()] = append(byYear[r.Period.Year()], r)
		}
		problems = append(problems, in.Problems...)
		added++
	}
	if added == 0 {
		return nil
	}
	name := fmt.Sprintf("c%06d.parquet", next.Seq)
	for _, year := range slices.Sorted(maps.Keys(byYear)) {
		rs := byYear[year]
		p := path.Join("returns", fmt.Sprintf("year=%d", year), name)
		rec := ReturnsRecord(memory.DefaultAllocator, rs)
		err := WriteFileAtomic(w.abs(p), func(f io.Writer) error { return writeParquet(f, rec) })
		rec.Release()
		if err != nil {
			return err
		}
		next.Parts = append(next.Parts, Part{Table: "returns", Path: p, Rows: len(rs), Commit: next.Seq})
	}
	if len(problems) > 0 {
		p := path.Join("problems", name)
		rec := ProblemsRecord(memory.DefaultAllocator, problems, ingestedAt)
		err := WriteFileAtomic(w.abs(p), func(f io.Writer) error { return writeParquet(f, rec) })
		rec.Release()
		if err != nil {
			return err
		}
		next.Parts = append(next.Parts, Part{Table: "problems", Path: p, Rows: len(problems), Commit: next.Seq})
	}
	b, err := next.encode()
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(w.dir, catalogFile), writeBytes(b)); err != nil {
		return err
	}
	w.cat = &next
	w.log.Debug("commit", "seq", next.Seq, "files", added)
	return nil
}

// RawPath is where the bytes of the file with this sha256 are archived.
func RawPath(dir, sha string) string { return filepath.Join(dir, "raw", sha+".xlsx") }

func (w *Warehouse) writeRaw(sha string, b []byte) error {
	p := RawPath(w.dir, sha)
	if st, err := os.Stat(p); err == nil && st.Size() == int64(len(b)) {
		return nil // content-addressed: same name, same bytes
	}
	return WriteFileAtomic(p, writeBytes(b))
}

func (w *Warehouse) abs(rel string) string { return filepath.Join(w.dir, filepath.FromSlash(rel)) }

// collectGarbage removes temporary files and every data file the catalog does
// not name: what a crashed commit left behind.
func (w *Warehouse) collectGarbage() error {
	live := map[string]bool{}
	for _, p := range w.cat.Parts {
		live[w.abs(p.Path)] = true
	}
	for sha := range w.cat.Sources {
		live[RawPath(w.dir, sha)] = true
	}
	os.Remove(filepath.Join(w.dir, catalogFile+tmpSuffix))
	for _, sub := range []string{"raw", "returns", "problems"} {
		root := filepath.Join(w.dir, sub)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if !live[p] || strings.HasSuffix(p, tmpSuffix) {
				w.log.Info("removing file no commit names", "file", p)
				return os.Remove(p)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("cleaning warehouse: %w", err)
		}
	}
	return nil
}

// ReadCatalog reads the committed state of dir without taking the lock.
func ReadCatalog(dir string) (*Catalog, error) { return readCatalog(dir) }

// ReadReturns reads every committed return of dir, all versions, in commit
// order. It takes no lock: it reads the catalog once, then only the immutable
// files that catalog names.
func ReadReturns(ctx context.Context, dir string) ([]returns.Return, *Catalog, error) {
	cat, err := readCatalog(dir)
	if err != nil {
		return nil, nil, err
	}
	var rs []returns.Return
	for _, p := range cat.Parts {
		if p.Table != "returns" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if rs, err = readReturnsFile(ctx, filepath.Join(dir, filepath.FromSlash(p.Path)), rs); err != nil {
			return nil, nil, err
		}
	}
	return rs, cat, nil
}
