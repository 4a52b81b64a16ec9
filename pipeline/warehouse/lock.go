package warehouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const lockFile = "lock"

// ErrLocked is returned (wrapped) when another writer holds the warehouse past
// the wait; the message names the holder.
var ErrLocked = errors.New("warehouse is locked by another writer")

// lockPoll is how often a waiting writer tries the lock again.
const lockPoll = 50 * time.Millisecond

// lock takes an exclusive flock on dir/lock, trying again until wait has
// passed (wait 0: one try). The kernel drops a flock when its process dies,
// however it dies, so a lock left by a dead process is simply taken over; the
// file's content (the holder's pid, command and start time, written once the
// lock is held) is only there to tell a waiting writer who it waits for.
func lock(ctx context.Context, dir string, wait time.Duration, log *slog.Logger) (*os.File, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	logged := false
	for {
		err = tryLock(f)
		if err == nil {
			if lockHeld(f, path) == nil {
				break
			}
			// The file was removed or replaced while we waited: a lock on
			// it excludes nobody. Take the one on disk now.
			f.Close()
			if f, err = os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644); err != nil {
				return nil, err
			}
			continue
		}
		if !errors.Is(err, errWouldBlock) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if lockHeld(f, path) != nil { // removed or replaced: wait on the one on disk
			f.Close()
			if f, err = os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644); err != nil {
				return nil, err
			}
			continue
		}
		if !logged {
			log.Warn("waiting for another writer to finish", "warehouse", dir, "holder", holder(path), "wait", wait)
			logged = true
		}
		if time.Since(start) >= wait {
			h := holder(path)
			f.Close()
			return nil, fmt.Errorf("%w: %s is held by %s; waited %s (warehouse.lock_wait in offshore.yaml). "+
				"Let that run finish, or stop it, and try again", ErrLocked, path, h, wait.Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
	info := fmt.Sprintf("pid %d, command %q, since %s\n", os.Getpid(), strings.Join(os.Args, " "), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(info), 0)
	}
	return f, nil
}

// ErrConflict is returned (wrapped) by a commit that finds the warehouse
// changed under it: its lock file was removed or replaced (so another writer
// may hold a new one), or the catalog is not the one it read. Nothing of the
// commit is committed; the caller keeps its inputs for the next run.
var ErrConflict = errors.New("another writer changed the warehouse")

// lockHeld checks that f, on which we hold the flock, is still the lock file
// on disk: a lock file removed by hand (it looks stale between runs) and
// created again by another writer would let both write.
func lockHeld(f *os.File, path string) error {
	fst, err := f.Stat()
	if err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: the lock file %s was removed while this writer held it", ErrConflict, path)
	}
	if !os.SameFile(st, fst) {
		return fmt.Errorf("%w: the lock file %s was replaced while this writer held it", ErrConflict, path)
	}
	return nil
}

// holder says who holds the lock, as the holder wrote it.
func holder(path string) string {
	b, _ := os.ReadFile(path)
	if h := strings.TrimSpace(string(b)); h != "" {
		return h
	}
	return "a writer that has not yet said who it is"
}

func unlock(f *os.File) error {
	if f == nil {
		return nil
	}
	f.Truncate(0)
	return f.Close() // closing the descriptor releases the flock
}
