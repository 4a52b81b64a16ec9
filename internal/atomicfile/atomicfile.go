// Package atomicfile writes files durably: under a temporary name in the
// target's folder, fsync, rename, fsync of the folder. A crash leaves either
// the old file or the new one, never a part of it. Every file offshore
// produces is written this way (warehouse parts, catalog, outbox workbooks,
// run records, templates, generated returns).
//
// Temporary names end in TmpSuffix and carry the writer's pid, so that two
// writers never share one and a reader that finds one after a crash knows it
// for garbage.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// TmpSuffix marks files being written; they are garbage if found after a crash.
const TmpSuffix = ".tmp"

// TmpName is the temporary name of path while this process writes it. The
// pid keeps two writers apart when a removed lock file let a second one in:
// with one shared name (raw files are named by content), the writer that
// failed removed the other's half-made file.
func TmpName(path string) string { return path + "." + strconv.Itoa(os.Getpid()) + TmpSuffix }

// Write writes path with write, durably: a crash leaves either the old file
// or the new one. The folder is created when missing. On error nothing is
// left behind and the old file, if any, stays.
func Write(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := EnsureDir(dir); err != nil {
		return err
	}
	tmp := TmpName(path)
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
	return SyncDir(dir)
}

// SyncDir makes the entries of dir (names created, renamed or removed) durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// EnsureDir creates dir when missing and makes its entry in its parent durable.
func EnsureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(dir))
}
