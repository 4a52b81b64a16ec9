package runlog

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/config"
)

// A record names files (its workbook, the quarantined copies) relative to
// the working folder (config.Config.Dir) when they lie inside it, so that
// a working folder copied or moved elsewhere (a backup restored, a new
// server) names its own workbook rather than the original's. In memory,
// paths are absolute: Save writes them relative, Read and Each resolve
// them. Records written before this kept absolute paths and are read as
// they are; a path outside the working folder (report --out /tmp/r.xlsx)
// stays absolute.

// stored returns r as Save writes it: a copy with its paths relative to
// the working folder.
func stored(cfg *config.Config, r *Record) *Record {
	c := *r
	c.Report = relative(cfg.Dir, r.Report)
	if r.Delivery != nil {
		d := *r.Delivery
		d.Workbook = relative(cfg.Dir, d.Workbook)
		c.Delivery = &d
	}
	if len(r.Ingest.Quarantined) > 0 {
		c.Ingest.Quarantined = slices.Clone(r.Ingest.Quarantined)
		for i, p := range c.Ingest.Quarantined {
			c.Ingest.Quarantined[i] = relative(cfg.Dir, p)
		}
	}
	return &c
}

// resolve makes r's relative paths absolute against the working folder,
// in place.
func resolve(cfg *config.Config, r *Record) {
	r.Report = absolute(cfg.Dir, r.Report)
	if r.Delivery != nil {
		r.Delivery.Workbook = absolute(cfg.Dir, r.Delivery.Workbook)
	}
	for i, p := range r.Ingest.Quarantined {
		r.Ingest.Quarantined[i] = absolute(cfg.Dir, p)
	}
}

// relative is path relative to dir when it lies inside dir, else path.
func relative(dir, path string) string {
	if path == "" || dir == "" || !filepath.IsAbs(path) {
		return path
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(absDir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(os.PathSeparator)) {
		return path
	}
	return rel
}

// absolute is path made absolute against dir when it is relative.
func absolute(dir, path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	if abs, err := filepath.Abs(filepath.Join(dir, path)); err == nil {
		return abs
	}
	return filepath.Join(dir, path)
}
