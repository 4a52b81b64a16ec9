package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/returns"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// ErrRejected is returned (wrapped) when a stage finished but some input was
// rejected: quarantined with its report. The CLI exits with code 3.
var ErrRejected = errors.New("some input was rejected")

// commitBatch bounds how many files one commit holds, so memory stays flat
// on a large inbox.
const commitBatch = 200

// IngestSummary counts what one ingest did.
type IngestSummary struct {
	Files       int      `json:"files"`       // files looked at
	Accepted    int      `json:"accepted"`    // newly committed and accepted
	Rejected    int      `json:"rejected"`    // quarantined (new or seen before)
	Known       int      `json:"known"`       // same bytes already in the warehouse: nothing changed
	Rows        int      `json:"rows"`        // returns rows committed
	Quarantined []string `json:"quarantined"` // paths of the quarantined copies
}

// Ingest reads the workbooks at paths (files or folders; the configured inbox
// when empty), commits accepted returns and every file's bytes and problems
// to the warehouse, and quarantines rejected files with a problems report.
// It returns ErrRejected (wrapped) when any file was rejected; one bad file
// never stops the others.
func Ingest(ctx context.Context, cfg *configs.Config, paths []string, log *slog.Logger) (IngestSummary, error) {
	log = orDiscard(log)
	start := time.Now()
	var sum IngestSummary
	fromInbox := len(paths) == 0
	if fromInbox {
		paths = []string{cfg.Settings.Paths.Inbox}
		if err := os.MkdirAll(cfg.Settings.Paths.Inbox, 0o755); err != nil {
			return sum, err
		}
	}
	files, err := listInputs(paths)
	if err != nil {
		return sum, err
	}
	wh, err := warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{LockWait: time.Minute, Logger: log})
	if err != nil {
		return sum, err
	}
	defer wh.Close()

	x := ingest.NewMatcher(&cfg.Mappings)
	for len(files) > 0 {
		n := min(commitBatch, len(files))
		if err := ingestBatch(ctx, cfg, wh, x, files[:n], fromInbox, &sum, log); err != nil {
			return sum, err
		}
		files = files[n:]
	}
	log.Info("ingest finished", "files", sum.Files, "accepted", sum.Accepted, "rejected", sum.Rejected,
		"known", sum.Known, "rows", sum.Rows, "duration", time.Since(start).Round(time.Millisecond))
	if sum.Rejected > 0 {
		return sum, fmt.Errorf("%d of %d files rejected, see %s: %w", sum.Rejected, sum.Files, cfg.Settings.Paths.Quarantine, ErrRejected)
	}
	return sum, nil
}

func ingestBatch(ctx context.Context, cfg *configs.Config, wh *warehouse.Warehouse, x *ingest.Matcher, files []string, fromInbox bool, sum *IngestSummary, log *slog.Logger) error {
	var inputs []warehouse.Input
	var done []string // inbox files to remove once committed
	inBatch := map[string]bool{}
	maxBytes := int64(cfg.Settings.Ingest.MaxFileMB) << 20
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum.Files++
		name := filepath.Base(path)
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		var data []byte
		var res ingest.Result
		var sha string
		if st.Size() > maxBytes {
			sha = "size-" + name
			res.Problems = []returns.Problem{{File: name, Code: "too_large", Severity: returns.SeverityError,
				Found: fmt.Sprintf("%d MB", st.Size()>>20), Expected: fmt.Sprintf("at most %d MB (ingest.max_file_mb)", cfg.Settings.Ingest.MaxFileMB),
				Message: "the file is too large to be a return"}}
		} else {
			if data, err = os.ReadFile(path); err != nil {
				return err
			}
			h := sha256.Sum256(data)
			sha = hex.EncodeToString(h[:])
			if src, ok := wh.Known(sha); ok || inBatch[sha] {
				sum.Known++
				log.Debug("already ingested", "file", path, "sha256", sha, "as", src.Name)
				if src.Status == warehouse.StatusRejected {
					sum.Rejected++
				}
				if fromInbox {
					done = append(done, path)
				}
				continue
			}
			inBatch[sha] = true
			res = ingest.Read(name, sha, data, st.ModTime(), x, ingest.Options{MaxRows: cfg.Settings.Ingest.MaxRows})
		}
		src := warehouse.Source{SHA256: sha, Name: name, Status: warehouse.StatusAccepted, ReceivedAt: st.ModTime().UTC()}
		if res.Rejected() {
			src.Status = warehouse.StatusRejected
			q, err := quarantine(cfg.Settings.Paths.Quarantine, path, sha, res.Problems)
			if err != nil {
				return err
			}
			sum.Rejected++
			sum.Quarantined = append(sum.Quarantined, q)
			log.Warn("file rejected", "file", path, "problems", len(res.Problems), "first", res.Problems[0].Error(), "quarantine", q)
		} else {
			sum.Accepted++
			sum.Rows += len(res.Returns)
		}
		if data != nil { // too-large files are quarantined but not archived
			inputs = append(inputs, warehouse.Input{Source: src, Raw: data, Returns: res.Returns, Problems: res.Problems})
		}
		if fromInbox {
			done = append(done, path)
		}
	}
	if err := wh.Commit(ctx, inputs, time.Now()); err != nil {
		return fmt.Errorf("committing to the warehouse: %w", err)
	}
	for _, p := range done {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}

// quarantine copies a rejected file and writes its problems report beside it;
// it returns the copy's path. The copy's name is the file's own, prefixed by
// the start of its sha256 when another file of that name is already there.
func quarantine(dir, path, sha string, problems []returns.Problem) (string, error) {
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	if _, err := os.Stat(dst); err == nil {
		dst = filepath.Join(dir, sha[:min(12, len(sha))]+"-"+name)
	}
	err := warehouse.WriteFileAtomic(dst, func(w io.Writer) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("quarantining %s: %w", path, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "offshore: %s was rejected (sha256 %s).\nFix every problem below and send the file again.\n\n", name, sha)
	for _, p := range problems {
		fmt.Fprintf(&b, "[%s] %s\n", p.Severity, p.Error())
	}
	err = warehouse.WriteFileAtomic(dst+".problems.txt", func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
	return dst, err
}

// listInputs expands folders (recursively) into their files, skipping hidden
// files, temporary files and Office lock files ("~$…"), sorted by path.
func listInputs(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			base := d.Name()
			if path != p && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") || strings.HasSuffix(base, ".tmp")) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("listing inputs: %w", err)
		}
	}
	sort.Strings(files)
	return files, nil
}

func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
