package warehouse

import (
	"context"
	"errors"
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

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/offshore-ma/offshore/domain"
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
	dir    string
	lockf  *os.File
	cat    *Catalog
	catSum string // sha256 of catalog.json as this writer read or wrote it ("" for none)
	log    *slog.Logger
}

// Open opens dir for writing, creating it if needed: it takes the lock
// (waiting up to opts.LockWait, then failing with ErrLocked), reads the
// catalog, checks that every file it names is there and whole (sizes, and
// the sha256 of every Parquet part: a writer verifies what it builds on) and
// that no data file is unaccounted for (else ErrDamaged, removing nothing),
// then removes the leftovers of commits that did not finish: files under
// temporary names and files their journal claims that the catalog does not
// name.
func Open(ctx context.Context, dir string, opts Options) (*Warehouse, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lf, err := lock(ctx, dir, opts.LockWait, log)
	if err != nil {
		return nil, err
	}
	cat, sum, err := readCatalogSum(dir)
	if err == nil {
		err = cat.check(ctx, dir, false)
	}
	if err == nil {
		err = cat.noStrays(dir)
	}
	if err != nil {
		unlock(lf)
		return nil, err
	}
	w := &Warehouse{dir: dir, lockf: lf, cat: cat, catSum: sum, log: log}
	// The lock file removed by hand since it was locked lets a second
	// writer in, whose commit in progress is not garbage.
	if err := w.stillOurs(); err != nil {
		unlock(lf)
		return nil, err
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
	Returns  []domain.Return
	Problems []domain.Problem
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

	byYear := map[int][]domain.Return{}
	var problems []domain.Problem
	var files pending // the commit's new files, made durable together before the catalog
	defer files.abort()
	added := 0
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		sha := in.Source.SHA256
		if _, ok := next.Sources[sha]; ok {
			continue
		}
		if err := w.writeRaw(&files, sha, in.Raw); err != nil {
			return err
		}
		src := in.Source
		src.Commit = next.Seq
		src.Size = int64(len(in.Raw))
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
		size, sum, err := files.write(w.abs(p), func(f io.Writer) error { return writeParquet(f, rec) })
		rec.Release()
		if err != nil {
			return err
		}
		next.Parts = append(next.Parts, Part{Table: TableReturns, Path: p, Rows: len(rs), Size: size, SHA256: sum, Commit: next.Seq})
	}
	if len(problems) > 0 {
		p := path.Join("problems", name)
		rec := ProblemsRecord(memory.DefaultAllocator, problems, ingestedAt)
		size, sum, err := files.write(w.abs(p), func(f io.Writer) error { return writeParquet(f, rec) })
		rec.Release()
		if err != nil {
			return err
		}
		next.Parts = append(next.Parts, Part{Table: TableProblems, Path: p, Rows: len(problems), Size: size, SHA256: sum, Commit: next.Seq})
	}
	if err := w.publish(&files, &next, nil); err != nil {
		return err
	}
	w.log.Debug("commit", "seq", next.Seq, "files", added)
	return nil
}

// publish makes a commit visible: it writes the commit's journal (the files
// it adds and those it retires), makes the new files durable under their
// final names, replaces the catalog, removes the retired files, and then
// the journal. A crash at any point leaves a journal that lets the next
// writer remove exactly the files that are not committed.
//
// Before the journal and again just before the catalog is replaced, it
// checks that this writer still holds the lock file on disk and that the
// catalog is the one it read (ErrConflict otherwise): a lock file removed by
// hand lets a second writer in, and the late one must fail, not overwrite
// the other's commit.
func (w *Warehouse) publish(files *pending, next *Catalog, retire []string) error {
	if err := w.stillOurs(); err != nil {
		return err
	}
	j := &journal{Seq: next.Seq}
	for _, p := range files.paths {
		j.Add = append(j.Add, w.rel(p))
	}
	for _, p := range retire {
		j.Retire = append(j.Retire, w.rel(p))
	}
	jp := journalPath(w.dir, next.Seq)
	if err := writeJournal(jp, j); err != nil {
		return err
	}
	if err := files.flush(); err != nil {
		if cerr := w.stillOurs(); cerr != nil {
			return cerr // another writer let in by a removed lock file took our temporary files as leftovers
		}
		return err
	}
	if err := w.stillOurs(); err != nil {
		return err // the journal stays: the next writer removes these files
	}
	if err := w.replaceCatalog(next); err != nil {
		return err
	}
	left := false
	for _, p := range retire {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.log.Warn("a retired file is left; the next writer removes it", "file", p, "err", err)
			left = true
		}
	}
	if !left {
		os.Remove(jp)
	}
	return nil
}

// stillOurs fails with ErrConflict when this writer's lock file is no longer
// the one on disk or the catalog is not the one it last read or wrote.
func (w *Warehouse) stillOurs() error {
	lockErr := lockHeld(w.lockf, filepath.Join(w.dir, lockFile))
	sum, err := catalogSum(w.dir)
	if err != nil {
		return err
	}
	var why string
	switch {
	case lockErr != nil:
		why = strings.TrimPrefix(lockErr.Error(), ErrConflict.Error()+": ")
	case sum != w.catSum:
		why = fmt.Sprintf("%s is no longer the one it read (commit %d)", filepath.Join(w.dir, catalogFile), w.cat.Seq)
	default:
		return nil
	}
	return fmt.Errorf("%w: %s, so another writer may have committed meanwhile. This commit is abandoned: "+
		"nothing of it is committed, and the files it was given (the inbox's) stay for the next run. "+
		"Do not remove warehouse/lock by hand: the kernel frees it when its holder dies", ErrConflict, why)
}

// rel is path relative to the warehouse, slash-separated.
func (w *Warehouse) rel(p string) string {
	r, err := filepath.Rel(w.dir, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// Tables of the warehouse.
const (
	TableReturns  = "returns"
	TableProblems = "problems"
)

// replaceCatalog makes next the committed state: the commit point.
func (w *Warehouse) replaceCatalog(next *Catalog) error {
	b, err := next.encode()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(w.dir, catalogFile), writeBytes(b)); err != nil {
		return err
	}
	w.cat, w.catSum = next, bytesSHA256(b)
	return nil
}

// RawPath is where the bytes of the file with this sha256 are archived.
func RawPath(dir, sha string) string { return filepath.Join(dir, "raw", sha+".xlsx") }

// writeRaw adds the raw bytes of a file to the commit's files. A file
// already under that name (one a catalog once named, left by a lost
// catalog) is kept when its bytes are the ones to archive.
func (w *Warehouse) writeRaw(files *pending, sha string, b []byte) error {
	p := RawPath(w.dir, sha)
	if st, err := os.Stat(p); err == nil && st.Size() == int64(len(b)) {
		if got, err := FileSHA256(p); err == nil && got == sha {
			return nil // content-addressed: same name, same bytes
		}
	}
	_, _, err := files.write(p, writeBytes(b))
	return err
}

func (w *Warehouse) abs(rel string) string { return filepath.Join(w.dir, filepath.FromSlash(rel)) }

// collectGarbage removes what commits that did not finish left behind, and
// only that: files under temporary names, and the files a journal claims
// (added or retired) that the catalog does not name. A data file no journal
// claims is never removed (Open has refused the warehouse if there is one).
func (w *Warehouse) collectGarbage() error {
	live := w.cat.live(w.dir)
	// The catalog, or a journal, being written when the process died: no
	// file a journal would have named had taken its final name yet.
	for _, pattern := range []string{catalogFile + "*" + atomicfile.TmpSuffix, journalPrefix + "*" + journalSuffix + "*" + atomicfile.TmpSuffix} {
		tmps, _ := filepath.Glob(filepath.Join(w.dir, pattern))
		for _, p := range tmps {
			os.Remove(p)
		}
	}
	for _, sub := range dataDirs {
		err := filepath.WalkDir(filepath.Join(w.dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, atomicfile.TmpSuffix) {
				w.log.Info("removing a temporary file of a commit that did not finish", "file", p)
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err // gone already: a writer let in by a removed lock file renamed it
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("cleaning warehouse: %w", err)
		}
	}
	js, err := journals(w.dir)
	if err != nil {
		return fmt.Errorf("cleaning warehouse: %w", err)
	}
	for jp, j := range js {
		for _, rel := range slices.Concat(j.Add, j.Retire) {
			p := w.abs(rel)
			if live[p] {
				continue
			}
			if err := os.Remove(p); err == nil {
				w.log.Info("removing a file of a commit that did not finish", "file", p, "commit", j.Seq)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("cleaning warehouse: %w", err)
			}
		}
		if err := os.Remove(jp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cleaning warehouse: %w", err)
		}
	}
	return nil
}

// ReadCatalog reads the committed state of dir without taking the lock.
func ReadCatalog(dir string) (*Catalog, error) { return readCatalog(dir) }

// ReadReturns reads every committed return of dir, all versions, in commit
// order, with the catalog they were read from. It takes no lock: it reads the
// catalog once, then only the immutable files that catalog names. A part
// removed meanwhile by a compaction (which replaces parts by an equal one)
// makes it start again from the new catalog.
func ReadReturns(ctx context.Context, dir string) ([]domain.Return, *Catalog, error) {
	return ReadReturnsAt(ctx, dir, nil)
}

// ReadReturnsAt is ReadReturns from the catalog cat already read (a
// writer's, just after its commit), so that a run reads its catalog once;
// nil reads it. Should cat be outdated by a compaction since, the current
// catalog is read instead.
func ReadReturnsAt(ctx context.Context, dir string, cat *Catalog) ([]domain.Return, *Catalog, error) {
	var rs []domain.Return
	cat, err := readParts(ctx, dir, cat, TableReturns, func(path string) error {
		var err error
		rs, err = readReturnsFile(ctx, path, rs)
		return err
	}, func() { rs = rs[:0] })
	return rs, cat, err
}

// ReadProblems reads every committed problem of dir, as ReadReturns does.
func ReadProblems(ctx context.Context, dir string) ([]ProblemRow, *Catalog, error) {
	return ReadProblemsAt(ctx, dir, nil)
}

// ReadProblemsAt is ReadProblems from the catalog cat, as ReadReturnsAt.
func ReadProblemsAt(ctx context.Context, dir string, cat *Catalog) ([]ProblemRow, *Catalog, error) {
	var ps []ProblemRow
	cat, err := readParts(ctx, dir, cat, TableProblems, func(path string) error {
		var err error
		ps, err = readProblemsFile(ctx, path, ps)
		return err
	}, func() { ps = ps[:0] })
	return ps, cat, err
}

// readParts calls read on each committed part of table, in commit order,
// as named by first (nil: the catalog on disk). When a part has gone (a
// compaction committed meanwhile), it calls reset and starts again from the
// new catalog, a few times at most.
func readParts(ctx context.Context, dir string, first *Catalog, table string, read func(path string) error, reset func()) (*Catalog, error) {
	for attempt := 0; ; attempt++ {
		cat := first
		if attempt > 0 || cat == nil {
			var err error
			if cat, err = readCatalog(dir); err != nil {
				return nil, err
			}
		}
		err := func() error {
			for _, p := range cat.Parts {
				if p.Table != table {
					continue
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				abs := filepath.Join(dir, filepath.FromSlash(p.Path))
				if err := read(abs); err != nil {
					if errors.Is(err, fs.ErrNotExist) {
						return err
					}
					st, serr := os.Stat(abs)
					if serr == nil && p.Size > 0 && st.Size() != p.Size {
						return fmt.Errorf("%w: %s (commit %d) has %d bytes, %s says %d: it was truncated or overwritten; restore it from a backup (%v)",
							ErrDamaged, abs, p.Commit, st.Size(), filepath.Join(dir, catalogFile), p.Size, err)
					}
					return fmt.Errorf("%w: %s (commit %d) cannot be read: %v; restore it from a backup", ErrDamaged, abs, p.Commit, err)
				}
			}
			return nil
		}()
		if err == nil {
			return cat, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			now, cerr := readCatalog(dir)
			if cerr == nil && now.Seq != cat.Seq && attempt < 5 {
				reset()
				continue
			}
			return nil, fmt.Errorf("%w: a part named by %s is missing: %v; restore it from a backup", ErrDamaged, filepath.Join(dir, catalogFile), err)
		}
		return nil, err
	}
}
