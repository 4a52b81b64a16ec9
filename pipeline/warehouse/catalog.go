package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const catalogFile = "catalog.json"

// catalogFormat is the version of catalog.json's layout.
const catalogFormat = 1

// Catalog is the committed state of the warehouse.
type Catalog struct {
	Format  int               `json:"format"`
	Seq     int               `json:"seq"` // number of the last commit
	Sources map[string]Source `json:"sources"`
	Parts   []Part            `json:"parts"` // Parquet files, in commit order
}

// Source is one ingested file, known by the sha256 of its bytes.
type Source struct {
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`     // file name as received
	Status     string    `json:"status"`   // StatusAccepted or StatusRejected
	Rows       int       `json:"rows"`     // rows accepted
	Problems   int       `json:"problems"` // problems found, any severity
	ReceivedAt time.Time `json:"received_at"`
	Commit     int       `json:"commit"`
	Size       int64     `json:"size,omitempty"` // bytes of raw/<sha256>.xlsx (0 in catalogs written before sizes were kept)
	// DeclaredAt is the declaration date written in the workbook, if any:
	// shown beside ReceivedAt, never used for it.
	DeclaredAt time.Time `json:"declared_at,omitzero"`
}

// Source statuses.
const (
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// Part is one committed Parquet file.
type Part struct {
	Table  string `json:"table"` // "returns" or "problems"
	Path   string `json:"path"`  // slash-separated, relative to the warehouse
	Rows   int    `json:"rows"`
	Size   int64  `json:"size,omitempty"`   // bytes; checked on open (0 in catalogs written before sizes were kept)
	SHA256 string `json:"sha256,omitempty"` // of the file's bytes; checked on open and by Verify (empty in older catalogs)
	Commit int    `json:"commit"`
}

func emptyCatalog() *Catalog {
	return &Catalog{Format: catalogFormat, Sources: map[string]Source{}}
}

// rebuildAdvice ends every ErrDamaged message about the catalog: the way out
// when there is no backup.
const rebuildAdvice = ", or run `offshore repair`: it moves the damaged catalog and parts aside and rebuilds the " +
	"warehouse from raw/, in the order and with the names and dates the old parts recorded"

// ErrDamaged is returned (wrapped) when the catalog, or a file it names, is
// damaged or missing: the warehouse cannot say what is committed, and no
// writer touches it until a person restores it.
var ErrDamaged = errors.New("warehouse is damaged")

// readCatalog reads dir's catalog. A missing catalog is an empty warehouse
// only when the warehouse holds no data file (raw/, returns/, problems/)
// other than a commit's own leftovers (temporary names, files an unfinished
// commit's journal claims); otherwise the warehouse is damaged: the catalog
// is never assumed. An empty, null or format-less catalog is damaged too.
func readCatalog(dir string) (*Catalog, error) {
	c, _, err := readCatalogSum(dir)
	return c, err
}

// readCatalogSum is readCatalog, with the sha256 of the catalog's bytes (""
// when there is no catalog): what a writer checks, before it commits, that
// it replaces.
func readCatalogSum(dir string) (*Catalog, string, error) {
	c, b, err := readCatalogBytes(dir)
	if err != nil || b == nil {
		return c, "", err
	}
	return c, bytesSHA256(b), nil
}

// catalogSum is the sha256 of dir's catalog as it is on disk ("" when there
// is none).
func catalogSum(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, catalogFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return bytesSHA256(b), nil
}

func bytesSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func readCatalogBytes(dir string) (*Catalog, []byte, error) {
	path := filepath.Join(dir, catalogFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		strays, serr := strayFiles(dir, nil, 1)
		if serr != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", dir, serr)
		}
		if len(strays) > 0 {
			return nil, nil, fmt.Errorf("%w: %s is missing, but the warehouse holds data files (%s, …). It says which files are committed, "+
				"so offshore neither reads, writes nor removes anything here without it. Restore %s from a backup%s", ErrDamaged, path, strays[0], catalogFile, rebuildAdvice)
		}
		return emptyCatalog(), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	c := emptyCatalog()
	c.Format = 0
	if err := json.Unmarshal(b, c); err != nil || c.Format == 0 {
		why := "it holds no catalog"
		if err != nil {
			why = err.Error()
		}
		return nil, nil, fmt.Errorf("%w: catalog %s is unreadable (%d bytes: %s). It says which files are committed, so offshore "+
			"neither reads nor writes this warehouse without it. Restore %s from a backup (it is rewritten whole by every "+
			"commit, never edited in place)%s", ErrDamaged, path, len(b), why, catalogFile, rebuildAdvice)
	}
	if c.Format != catalogFormat {
		return nil, nil, fmt.Errorf("%s: catalog format %d, this offshore reads %d; use the offshore release that wrote it", path, c.Format, catalogFormat)
	}
	if c.Sources == nil {
		c.Sources = map[string]Source{}
	}
	if err := c.consistent(path); err != nil {
		return nil, nil, err
	}
	if len(c.Sources) == 0 { // an empty catalog over data is as bad as none
		strays, err := strayFiles(dir, nil, 1)
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", dir, err)
		}
		if len(strays) > 0 {
			return nil, nil, fmt.Errorf("%w: %s names no file, but the warehouse holds data files (%s, …). offshore neither reads, "+
				"writes nor removes anything here until %s is restored from a backup%s", ErrDamaged, path, strays[0], catalogFile, rebuildAdvice)
		}
	}
	return c, b, nil
}

// consistent checks that the catalog agrees with itself: the rows and
// problems its parts hold are those its sources say were committed (a
// hand-edited "parts": [] or a source list from another warehouse fails),
// and no commit number is beyond its sequence number.
func (c *Catalog) consistent(path string) error {
	var srcRows, srcProblems, partRows, partProblems int
	maxCommit := 0
	for _, s := range c.Sources {
		srcRows += s.Rows
		srcProblems += s.Problems
		maxCommit = max(maxCommit, s.Commit)
	}
	for _, p := range c.Parts {
		switch p.Table {
		case TableReturns:
			partRows += p.Rows
		case TableProblems:
			partProblems += p.Rows
		default:
			return fmt.Errorf("%w: %s names a part %s of an unknown table %q; restore it from a backup%s", ErrDamaged, path, p.Path, p.Table, rebuildAdvice)
		}
		maxCommit = max(maxCommit, p.Commit)
	}
	switch {
	case srcRows != partRows:
		return fmt.Errorf("%w: %s is inconsistent: its sources hold %d accepted rows, its parts %d. "+
			"Restore it from a backup%s; offshore removes nothing meanwhile", ErrDamaged, path, srcRows, partRows, rebuildAdvice)
	case srcProblems != partProblems:
		return fmt.Errorf("%w: %s is inconsistent: its sources found %d problems, its parts hold %d. "+
			"Restore it from a backup%s; offshore removes nothing meanwhile", ErrDamaged, path, srcProblems, partProblems, rebuildAdvice)
	case maxCommit > c.Seq:
		return fmt.Errorf("%w: %s is inconsistent: it names commit %d but its sequence number is %d. "+
			"Restore it from a backup%s", ErrDamaged, path, maxCommit, c.Seq, rebuildAdvice)
	}
	return nil
}

// check verifies that every file the catalog names is there and whole: the
// size of every part and raw file (when the catalog records it) and the
// sha256 of every part; with full, also the sha256 of every raw file (its
// name). Open runs it without full (raw files are many and large, and only
// read back when a warehouse is rebuilt); Verify with it.
func (c *Catalog) check(ctx context.Context, dir string, full bool) error {
	errs := c.mismatches(ctx, dir, full)
	if err := ctx.Err(); err != nil {
		return err // interrupted: nothing is known to be wrong, and nothing is said to be
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s names files that are not as committed: %v. Restore them from a backup; "+
			"offshore writes nothing to this warehouse until then", ErrDamaged, filepath.Join(dir, catalogFile), errors.Join(errs...))
	}
	return nil
}

// mismatches lists each file the catalog names that is missing or differs
// from what was committed.
func (c *Catalog) mismatches(ctx context.Context, dir string, full bool) []error {
	var errs []error
	for _, p := range c.Parts {
		if err := ctx.Err(); err != nil {
			return append(errs, err)
		}
		abs := filepath.Join(dir, filepath.FromSlash(p.Path))
		st, err := os.Stat(abs)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s (commit %d) is missing", abs, p.Commit))
		case p.Size > 0 && st.Size() != p.Size:
			errs = append(errs, fmt.Errorf("%s (commit %d) has %d bytes, the catalog says %d: it was truncated or overwritten", abs, p.Commit, st.Size(), p.Size))
		case p.SHA256 != "":
			if got, err := FileSHA256(abs); err != nil {
				errs = append(errs, fmt.Errorf("%s (commit %d) cannot be read: %v", abs, p.Commit, err))
			} else if got != p.SHA256 {
				errs = append(errs, fmt.Errorf("%s (commit %d) has sha256 %s, the catalog says %s: it was overwritten", abs, p.Commit, got, p.SHA256))
			}
		}
	}
	for _, sha := range slices.Sorted(maps.Keys(c.Sources)) {
		if err := ctx.Err(); err != nil {
			return append(errs, err)
		}
		src := c.Sources[sha]
		abs := RawPath(dir, sha)
		st, err := os.Stat(abs)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s (%s, commit %d) is missing", abs, src.Name, src.Commit))
		case src.Size > 0 && st.Size() != src.Size:
			errs = append(errs, fmt.Errorf("%s (%s, commit %d) has %d bytes, the catalog says %d: it was truncated or overwritten", abs, src.Name, src.Commit, st.Size(), src.Size))
		case full:
			if got, err := FileSHA256(abs); err != nil {
				errs = append(errs, fmt.Errorf("%s (%s, commit %d) cannot be read: %v", abs, src.Name, src.Commit, err))
			} else if got != sha {
				errs = append(errs, fmt.Errorf("%s (%s, commit %d) has sha256 %s: it was overwritten", abs, src.Name, src.Commit, got))
			}
		}
	}
	return errs
}

// live is the set of files (absolute paths) the catalog names.
func (c *Catalog) live(dir string) map[string]bool {
	live := make(map[string]bool, len(c.Parts)+len(c.Sources))
	for _, p := range c.Parts {
		live[filepath.Join(dir, filepath.FromSlash(p.Path))] = true
	}
	for sha := range c.Sources {
		live[RawPath(dir, sha)] = true
	}
	return live
}

// noStrays refuses a warehouse holding data files that the catalog does
// not name and no unfinished commit claims: a catalog restored from an older
// backup, or files copied in by hand. They are never removed.
func (c *Catalog) noStrays(dir string) error {
	strays, err := strayFiles(dir, c.live(dir), 0)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	if len(strays) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d data files are named by no commit of %s (%s): the catalog may be older than the data "+
		"(restored from a backup?). offshore removes none of them; restore the latest %s%s", ErrDamaged, len(strays), filepath.Join(dir, catalogFile), strings.Join(strays[:min(3, len(strays))], ", ")+
		map[bool]string{true: ", …", false: ""}[len(strays) > 3], catalogFile, rebuildAdvice)
}

// FileSHA256 is the hex sha256 of a file's bytes.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *Catalog) encode() ([]byte, error) {
	return json.MarshalIndent(c, "", "  ")
}
