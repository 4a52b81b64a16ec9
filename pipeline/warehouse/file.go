package warehouse

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tmpSuffix marks files being written; they are garbage if found on open.
const tmpSuffix = ".tmp"

// WriteFileAtomic writes a file durably, the way every file offshore produces
// is written (warehouse parts, catalog, outbox workbooks, run records): under a
// temporary name in the same folder, fsync, rename, fsync of the folder. A
// crash leaves either the old file or the new one, never a part of it.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); err != nil {
		// A new folder must itself be durable: sync its parent once made.
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return err
		}
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
