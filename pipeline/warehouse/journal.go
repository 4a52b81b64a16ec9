package warehouse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/offshore-ma/offshore/internal/atomicfile"
)

// A commit's journal names, before any of its files takes its final name,
// every file the commit adds (Add) and every file it makes obsolete (Retire,
// a compaction's merged parts). It is what makes garbage collection safe: a
// writer opening the warehouse removes only files that a journal claims and
// the catalog does not name (a commit that did not finish, or the retired
// parts of one that did), and files under temporary names. A file nobody
// claims is never removed: it may be data a lost or older catalog forgot.
type journal struct {
	Seq    int      `json:"seq"`
	Add    []string `json:"add"`    // slash-separated, relative to the warehouse
	Retire []string `json:"retire"` // idem
}

const (
	journalPrefix = "journal-"
	journalSuffix = ".json"
)

// journalPath is the journal of commit seq by this process.
func journalPath(dir string, seq int) string {
	return filepath.Join(dir, fmt.Sprintf("%s%06d-%d%s", journalPrefix, seq, os.Getpid(), journalSuffix))
}

// writeJournal makes j durable at its path.
func writeJournal(path string, j *journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, writeBytes(b))
}

// journals reads dir's journals; an unreadable one (a crash while it was
// written, before any file it would name took its final name) is returned
// empty.
func journals(dir string) (map[string]*journal, error) {
	paths, err := filepath.Glob(filepath.Join(dir, journalPrefix+"*"+journalSuffix))
	if err != nil {
		return nil, err
	}
	js := map[string]*journal{}
	for _, p := range paths {
		j := &journal{}
		if b, err := os.ReadFile(p); err == nil {
			if json.Unmarshal(b, j) != nil {
				j = &journal{}
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		js[p] = j
	}
	return js, nil
}

// claimed is the set of files (absolute paths) that some journal names.
func claimed(dir string, js map[string]*journal) map[string]bool {
	c := map[string]bool{}
	for _, j := range js {
		for _, rel := range slices.Concat(j.Add, j.Retire) {
			c[filepath.Join(dir, filepath.FromSlash(rel))] = true
		}
	}
	return c
}

// dataDirs are the folders that hold committed data.
var dataDirs = []string{"raw", "returns", "problems"}

// strayFiles lists up to limit data files (limit 0: all) that the catalog
// (live, absolute paths; nil for none) does not name, that no journal
// claims and that are not under a temporary name: files offshore cannot
// prove are its own leftovers.
func strayFiles(dir string, live map[string]bool, limit int) ([]string, error) {
	js, err := journals(dir)
	if err != nil {
		return nil, err
	}
	claims := claimed(dir, js)
	var strays []string
	stop := errors.New("enough")
	for _, sub := range dataDirs {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if d.IsDir() || strings.HasSuffix(p, atomicfile.TmpSuffix) || live[p] || claims[p] {
				return nil
			}
			strays = append(strays, p)
			if limit > 0 && len(strays) >= limit {
				return stop
			}
			return nil
		})
		if errors.Is(err, stop) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return strays, nil
}

// hashingWriter counts and hashes what goes through it.
type hashingWriter struct {
	w io.Writer
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
}

func (hw hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	return n, err
}
