//go:build linux

package pipeline

import (
	"io/fs"
	"syscall"
)

// fileIdentity returns a file's inode and change time (ns).
func fileIdentity(fi fs.FileInfo) (ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return uint64(st.Ino), st.Ctim.Nano()
}
