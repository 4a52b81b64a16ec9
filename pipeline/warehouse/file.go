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

	"github.com/offshore-ma/offshore/internal/atomicfile"
)

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(b))
		return err
	}
}

// pending is the set of files one commit writes, made durable together by
// flush: each is written under its temporary name without a sync, then all
// are synced at once (in parallel, so that the file system commits its
// journal once for many of them), renamed, and each folder synced once. A
// commit of 200 small files then costs a few journal commits instead of 400
// sequential ones (one fsync of the file and one of its folder each). It
// keeps atomicfile.Write's guarantee for the commit as a whole: the catalog,
// written after flush, never names a file that is not durable.
type pending struct {
	paths []string // final paths; the bytes are at atomicfile.TmpName(path) until flush
}

// syncers bounds the fsyncs flush runs at once.
const syncers = 16

// write writes a file under its temporary name, unsynced, and returns its
// size and the sha256 of its bytes.
func (p *pending) write(path string, write func(io.Writer) error) (size int64, sum string, err error) {
	if err := atomicfile.EnsureDir(filepath.Dir(path)); err != nil {
		return 0, "", err
	}
	f, err := os.OpenFile(atomicfile.TmpName(path), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
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
			f, err := os.OpenFile(atomicfile.TmpName(path), os.O_WRONLY, 0)
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
		if err := os.Rename(atomicfile.TmpName(path), path); err != nil {
			return err
		}
		dirs[filepath.Dir(path)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := atomicfile.SyncDir(d); err != nil {
			return err
		}
	}
	p.paths = nil
	return nil
}

// abort removes the temporary files not yet flushed.
func (p *pending) abort() {
	for _, path := range p.paths {
		os.Remove(atomicfile.TmpName(path))
	}
	p.paths = nil
}
