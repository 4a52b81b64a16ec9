//go:build !linux

package pipeline

import "io/fs"

// fileIdentity has no inode or change time to give on this system: the
// inbox rules fall back to size and modification time.
func fileIdentity(fs.FileInfo) (ino uint64, ctime int64) { return 0, 0 }
