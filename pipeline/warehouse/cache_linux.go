//go:build linux

package warehouse

import (
	"io/fs"
	"syscall"
)

// FileID returns a file's inode and change time (ns), which change when the
// file is replaced or rewritten even if its size and modification time are
// set back.
func FileID(fi fs.FileInfo) (ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return uint64(st.Ino), st.Ctim.Nano()
}
