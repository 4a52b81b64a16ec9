package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/domain"
)

// ErrSound is returned by OpenForRepair when the warehouse is not damaged.
var ErrSound = errors.New("the warehouse is sound: nothing to repair")

// OpenForRepair takes the writers' lock and, when the warehouse is damaged
// (Open would refuse it with ErrDamaged), moves its catalog, Parquet parts
// and journals into a new folder dir/repair-<UTC time>/ — nothing is
// removed — and returns a writer on an empty catalog and that folder. raw/
// stays where it is, for the caller to ingest again. A sound warehouse is
// ErrSound; any other error is returned as is.
func OpenForRepair(ctx context.Context, dir string, opts Options) (*Warehouse, string, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lf, err := lock(ctx, dir, opts.LockWait, log)
	if err != nil {
		return nil, "", err
	}
	cat, _, err := readCatalogSum(dir)
	if err == nil {
		err = cat.check(ctx, dir, true) // raw files' bytes too, as verify checks them
	}
	if err == nil {
		err = cat.noStrays(dir)
	}
	if err == nil {
		unlock(lf)
		return nil, "", ErrSound
	}
	if !errors.Is(err, ErrDamaged) {
		unlock(lf)
		return nil, "", err
	}
	// A new folder, even when a repair interrupted within the same second
	// left one: the later's name sorts after it.
	stamp := filepath.Join(dir, "repair-"+time.Now().UTC().Format("20060102T150405Z"))
	aside := stamp
	err = os.Mkdir(aside, 0o755)
	for k := 2; errors.Is(err, fs.ErrExist); k++ {
		aside = fmt.Sprintf("%s-%d", stamp, k)
		err = os.Mkdir(aside, 0o755)
	}
	if err != nil {
		unlock(lf)
		return nil, "", err
	}
	names := []string{catalogFile, "returns", "problems"}
	for _, pattern := range []string{catalogFile + "*" + atomicfile.TmpSuffix, journalPrefix + "*"} {
		ms, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range ms {
			names = append(names, filepath.Base(m))
		}
	}
	for _, name := range names {
		err := os.Rename(filepath.Join(dir, name), filepath.Join(aside, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			unlock(lf)
			return nil, "", fmt.Errorf("moving %s aside: %w", name, err)
		}
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		unlock(lf)
		return nil, "", err
	}
	log.Warn("damaged warehouse: its catalog and parts moved aside, rebuilding from raw/", "aside", aside, "damage", err)
	return &Warehouse{dir: dir, lockf: lf, cat: emptyCatalog(), log: log}, aside, nil
}

// MoveAside moves a file of the warehouse into the folder aside (keeping
// its path relative to the warehouse): how a repair sets apart a raw file
// whose bytes no longer match its name.
func (w *Warehouse) MoveAside(path, aside string) (string, error) {
	dst := filepath.Join(aside, w.rel(path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	return dst, os.Rename(path, dst)
}

// ReadPartsIn reads every Parquet part under dir/returns and dir/problems,
// committed or not, skipping the ones that cannot be read (listed in bad):
// the history a repair recovers names, dates and commit order from.
func ReadPartsIn(ctx context.Context, dir string) (rs []domain.Return, ps []ProblemRow, bad []string) {
	for _, table := range []string{TableReturns, TableProblems} {
		filepath.WalkDir(filepath.Join(dir, table), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") {
				return nil
			}
			var rerr error
			if table == TableReturns {
				var got []domain.Return
				if got, rerr = readReturnsFile(ctx, p, nil); rerr == nil {
					rs = append(rs, got...)
				}
			} else {
				var got []ProblemRow
				if got, rerr = readProblemsFile(ctx, p, nil); rerr == nil {
					ps = append(ps, got...)
				}
			}
			if rerr != nil {
				bad = append(bad, fmt.Sprintf("%s: %v", p, rerr))
			}
			return nil
		})
	}
	return rs, ps, bad
}
