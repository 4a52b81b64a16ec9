package ingest

import (
	"io/fs"
	"os"
	"time"

	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// An inbox file is handed over by its uploader; ingest must take it only once
// it is whole, and remove it only if it is still the file it read.
//
// Whole: its change time (ctime, which every write, truncation, rename or
// change of times moves) is at least settle old, or it is after its
// modification time: the file's last change was not a write but a rename
// into the inbox (the ".part then rename" convention) or its times being set
// once written (cp -p, rsync, offshore gen). A file still being written has
// ctime equal to mtime and a recent ctime, and waits for a later run.

// inboxFile is an inbox file as ingest read it.
type inboxFile struct {
	path string
	st   fs.FileInfo
}

// settled reports whether an inbox file may be taken now.
func settled(st fs.FileInfo, now time.Time, settle time.Duration) bool {
	if settle <= 0 {
		return true
	}
	_, ctime := warehouse.FileID(st)
	if ctime == 0 { // no change time on this system: its modification time
		return now.Sub(st.ModTime()) >= settle
	}
	if ctime > st.ModTime().UnixNano() {
		return true
	}
	return now.Sub(time.Unix(0, ctime)) >= settle
}

// sameFile reports whether a and b describe the same file, unchanged: the
// same inode, size, modification and change time.
func sameFile(a, b fs.FileInfo) bool {
	ia, ca := warehouse.FileID(a)
	ib, cb := warehouse.FileID(b)
	return os.SameFile(a, b) && ia == ib && ca == cb && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// removeIfSame removes path if it is still the file described by st, and
// says whether it did. A file overwritten or replaced since (a correction
// sent under the same name) stays for the next run.
func removeIfSame(path string, st fs.FileInfo) (bool, error) {
	now, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	if !sameFile(st, now) {
		return false, nil
	}
	return true, os.Remove(path)
}
