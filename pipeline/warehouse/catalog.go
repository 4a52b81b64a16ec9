package warehouse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	Size   int64  `json:"size,omitempty"` // bytes; checked on open (0 in catalogs written before sizes were kept)
	Commit int    `json:"commit"`
}

func emptyCatalog() *Catalog {
	return &Catalog{Format: catalogFormat, Sources: map[string]Source{}}
}

// ErrDamaged is returned (wrapped) when the catalog, or a file it names, is
// damaged or missing: the warehouse cannot say what is committed, and no
// writer touches it until a person restores it.
var ErrDamaged = errors.New("warehouse is damaged")

// readCatalog reads dir's catalog; a missing catalog is an empty warehouse.
func readCatalog(dir string) (*Catalog, error) {
	path := filepath.Join(dir, catalogFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyCatalog(), nil
	}
	if err != nil {
		return nil, err
	}
	c := emptyCatalog()
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("%w: catalog %s is unreadable (%d bytes: %v). It says which files are committed, so offshore "+
			"neither reads nor writes this warehouse without it. Restore %s from a backup (it is rewritten whole by every "+
			"commit, never edited in place), or move the warehouse folder aside and ingest the raw/ files again", ErrDamaged, path, len(b), err, catalogFile)
	}
	if c.Format != catalogFormat {
		return nil, fmt.Errorf("%s: catalog format %d, this offshore reads %d; use the offshore release that wrote it", path, c.Format, catalogFormat)
	}
	if c.Sources == nil {
		c.Sources = map[string]Source{}
	}
	return c, nil
}

// check verifies that every file the catalog names is there, whole (by size,
// when the catalog records it).
func (c *Catalog) check(dir string) error {
	var errs []error
	for _, p := range c.Parts {
		abs := filepath.Join(dir, filepath.FromSlash(p.Path))
		st, err := os.Stat(abs)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s (commit %d) is missing", abs, p.Commit))
		case p.Size > 0 && st.Size() != p.Size:
			errs = append(errs, fmt.Errorf("%s (commit %d) has %d bytes, the catalog says %d: it was truncated or overwritten", abs, p.Commit, st.Size(), p.Size))
		}
	}
	for sha := range c.Sources {
		if _, err := os.Stat(RawPath(dir, sha)); err != nil && !strings.HasPrefix(sha, "size-") {
			errs = append(errs, fmt.Errorf("%s is missing", RawPath(dir, sha)))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s names files that are not as committed: %v. Restore them from a backup; "+
			"offshore writes nothing to this warehouse until then", ErrDamaged, filepath.Join(dir, catalogFile), errors.Join(errs...))
	}
	return nil
}

func (c *Catalog) encode() ([]byte, error) {
	return json.MarshalIndent(c, "", "  ")
}
