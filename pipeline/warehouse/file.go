package warehouse

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// tmpSuffix marks files being written; they are garbage if found on open.
const tmpSuffix = ".tmp"

// WriteFileAtomic writes a file durably, the way every file offshore produces
// is written (warehouse parts, catalog, outbox workbooks, run records): under a
// temporary name in the same folder, fsync, rename, fsync of the folder. A
// crash leaves either the old file or the new one, never a part of it.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	tmp := path + tmpSuffix
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(b))
		return err
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// pending is the set of files one commit writes, made durable together by
// flush: each is written under its temporary name without a sync, then all
// are synced at once (in parallel, so that the file system commits its
// journal once for many of them), renamed, and each folder synced once. A
// commit of 200 small files then costs a few journal commits instead of 400
// sequential ones (one fsync of the file and one of its folder each). It
// keeps WriteFileAtomic's guarantee for the commit as a whole: the catalog,
// written after flush, never names a file that is not durable.
type pending struct {
	paths []string // final paths; the bytes are at tmpName(path) until flush
}

// tmpName is where a commit writes path before flush: named by the process,
// so that a second writer let in by a lock file removed by hand never
// writes, renames or removes this one's temporary files (same raw sha256,
// same part names), nor this one its.
func tmpName(path string) string {
	return fmt.Sprintf("%s.%d%s", path, os.Getpid(), tmpSuffix)
}

// syncers bounds the fsyncs flush runs at once.
const syncers = 16

// write writes a file under its temporary name, unsynced, and returns its
// size and the sha256 of its bytes.
func (p *pending) write(path string, write func(io.Writer) error) (size int64, sum string, err error) {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return 0, "", err
	}
	f, err := os.OpenFile(tmpName(path), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, "", err
	}
	p.paths = append(p.paths, path)
	h := sha256.New()
	if err := write(hashingWriter{f, h}); err != nil {
		f.Close()
		return 0, "", fmt.Errorf("writing %s: %w", path, err)
	}
	st, err := f.Stat()
	if err == nil {
		size = st.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return size, hex.EncodeToString(h.Sum(nil)), err
}

// flush makes every written file durable under its final name.
func (p *pending) flush() error {
	errs := make([]error, len(p.paths))
	sem := make(chan struct{}, syncers)
	var wg sync.WaitGroup
	for i, path := range p.paths {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f, err := os.OpenFile(tmpName(path), os.O_WRONLY, 0)
			if err == nil {
				err = f.Sync()
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	dirs := map[string]bool{}
	for _, path := range p.paths {
		if err := os.Rename(tmpName(path), path); err != nil {
			return err
		}
		dirs[filepath.Dir(path)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	p.paths = nil
	return nil
}

// abort removes the temporary files not yet flushed.
func (p *pending) abort() {
	for _, path := range p.paths {
		os.Remove(tmpName(path))
	}
	p.paths = nil
}

// ensureDir makes dir if needed; a new folder is made durable by syncing
// its parent.
func ensureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}
