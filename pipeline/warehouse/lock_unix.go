//go:build unix

package warehouse

import (
	"os"
	"syscall"
)

// errWouldBlock is tryLock's error when another process holds the lock.
var errWouldBlock = syscall.EWOULDBLOCK

// tryLock takes an exclusive flock(2) on f without waiting.
func tryLock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }
