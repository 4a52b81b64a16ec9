package warehouse

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/offshore-ma/offshore/internal/atomicfile"
)

// cacheFile is the ingest's file cache, at the warehouse's root beside the
// catalog it is checked against.
const cacheFile = "ingest-cache.tsv"

// cacheHeader is the first line of the cache file; another line means
// another layout, and the cache is ignored.
const cacheHeader = "offshore ingest cache 1"

// FileCache remembers the sha256 of the files ingest has committed, keyed on
// their absolute path, size, modification time, change time and inode, so
// that a rerun over files already ingested does not read them again.
//
// It is a hint, never the truth: ingest trusts an entry only when all of its
// key is unchanged and its sha256 is committed in the catalog; otherwise it
// reads and hashes the file as if there were no cache. It is written (Save)
// atomically after the commits it describes, so a lost, stale or damaged
// cache only costs re-reading files. Safe for concurrent use.
type FileCache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry // by absolute path
	changed bool
}

type cacheEntry struct {
	sha                string
	size, mtime, ctime int64 // bytes; nanoseconds since 1970
	ino                uint64
}

// keyOf is the cache key of a file's metadata (its path aside).
func keyOf(fi fs.FileInfo, sha string) cacheEntry {
	ino, ctime := FileID(fi)
	return cacheEntry{sha: sha, size: fi.Size(), mtime: fi.ModTime().UnixNano(), ctime: ctime, ino: ino}
}

// OpenFileCache reads the file cache of the warehouse at dir. A missing or
// unreadable cache is an empty one.
func OpenFileCache(dir string) *FileCache {
	c := &FileCache{path: filepath.Join(dir, filepath.FromSlash(cacheFile)), entries: map[string]cacheEntry{}}
	b, err := os.ReadFile(c.path)
	if err != nil {
		return c
	}
	line, rest, _ := bytes.Cut(b, []byte("\n"))
	if string(line) != cacheHeader {
		return c
	}
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		path, e, ok := parseCacheLine(string(line))
		if !ok {
			clear(c.entries) // damaged: start afresh
			return c
		}
		c.entries[path] = e
	}
	return c
}

// parseCacheLine reads "sha256 size mtime ctime inode "path"", tab-separated.
func parseCacheLine(s string) (string, cacheEntry, bool) {
	f := strings.SplitN(s, "\t", 6)
	if len(f) != 6 || len(f[0]) != 64 {
		return "", cacheEntry{}, false
	}
	var e cacheEntry
	var err [5]error
	e.sha = f[0]
	e.size, err[0] = strconv.ParseInt(f[1], 10, 64)
	e.mtime, err[1] = strconv.ParseInt(f[2], 10, 64)
	e.ctime, err[2] = strconv.ParseInt(f[3], 10, 64)
	e.ino, err[3] = strconv.ParseUint(f[4], 10, 64)
	path, perr := strconv.Unquote(f[5])
	err[4] = perr
	for _, e := range err {
		if e != nil {
			return "", cacheEntry{}, false
		}
	}
	return path, e, true
}

// Lookup returns the sha256 recorded for the file at path (absolute) when
// its size, modification time, change time and inode are the ones recorded.
func (c *FileCache) Lookup(path string, fi fs.FileInfo) (string, bool) {
	c.mu.Lock()
	e, ok := c.entries[path]
	c.mu.Unlock()
	if !ok || e != keyOf(fi, e.sha) {
		return "", false
	}
	return e.sha, true
}

// Put records that the file at path (absolute), as fi describes it, has
// this sha256. Call it only once that sha256 is committed.
func (c *FileCache) Put(path string, fi fs.FileInfo, sha string) {
	e := keyOf(fi, sha)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[path]; !ok || old != e {
		c.entries[path] = e
		c.changed = true
	}
}

// Forget drops the entries of the paths keep rejects (files removed from the
// inbox, files no longer under the folders listed).
func (c *FileCache) Forget(keep func(path string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.entries {
		if !keep(p) {
			delete(c.entries, p)
			c.changed = true
		}
	}
}

// Save writes the cache atomically when it changed; an empty cache removes
// the file.
func (c *FileCache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.changed {
		return nil
	}
	if len(c.entries) == 0 {
		if err := os.Remove(c.path); err != nil && !os.IsNotExist(err) {
			return err
		}
		c.changed = false
		return nil
	}
	err := atomicfile.Write(c.path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		fmt.Fprintln(bw, cacheHeader)
		for _, p := range slices.Sorted(maps.Keys(c.entries)) {
			e := c.entries[p]
			fmt.Fprintf(bw, "%s\t%d\t%d\t%d\t%d\t%s\n", e.sha, e.size, e.mtime, e.ctime, e.ino, strconv.Quote(p))
		}
		return bw.Flush()
	})
	if err == nil {
		c.changed = false
	}
	return err
}
