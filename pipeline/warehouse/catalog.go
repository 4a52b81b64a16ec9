package warehouse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	Commit int    `json:"commit"`
}

func emptyCatalog() *Catalog {
	return &Catalog{Format: catalogFormat, Sources: map[string]Source{}}
}

// readCatalog reads dir's catalog; a missing catalog is an empty warehouse.
func readCatalog(dir string) (*Catalog, error) {
	b, err := os.ReadFile(filepath.Join(dir, catalogFile))
	if errors.Is(err, fs.ErrNotExist) {
		return emptyCatalog(), nil
	}
	if err != nil {
		return nil, err
	}
	c := emptyCatalog()
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("warehouse %s: catalog is unreadable (%v); restore %s from a backup", dir, err, catalogFile)
	}
	if c.Format != catalogFormat {
		return nil, fmt.Errorf("warehouse %s: catalog format %d, this offshore reads %d", dir, c.Format, catalogFormat)
	}
	return c, nil
}

func (c *Catalog) encode() ([]byte, error) {
	return json.MarshalIndent(c, "", "  ")
}
