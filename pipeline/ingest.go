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
	wh, err := warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{LockWait: cfg.Settings.Warehouse.LockWait, Logger: log})
	if err != nil {
		return sum, err
	}
	defer wh.Close()
	// Listed under the lock, so that another ingest's files are either
	// committed (known) or not yet touched.
	files, err := listInputs(paths)
	if err != nil {
		return sum, err
	}
	// Under the lock: a quarantine copy a crash left half-written is garbage.
	if tmps, _ := filepath.Glob(filepath.Join(cfg.Settings.Paths.Quarantine, "*.tmp")); len(tmps) > 0 {
		for _, p := range tmps {
			os.Remove(p)
		}
	}

	x := ingest.NewMatcher(&cfg.Mappings)
	opts := ReadOptions(cfg, start)
	var hc *headcounts // loaded when a plausibility check first needs it
	var hcErr error
	opts.Previous = func(operator string, p returns.Period) (int64, bool) {
		if hc == nil && hcErr == nil {
			if hc, hcErr = newHeadcounts(ctx, cfg.Settings.Paths.Warehouse); hcErr != nil {
				log.Warn("headcount check skipped: the warehouse could not be read", "error", hcErr)
			}
		}
		if hc == nil {
			return 0, false
		}
		return hc.Headcount(operator, p-1)
	}
	accepted := func(rs []returns.Return) {
		if hc != nil {
			hc.add(rs)
		}
	}
	for len(files) > 0 {
		n := min(commitBatch, len(files))
		b := &batch{cfg: cfg, wh: wh, x: x, opts: opts, accepted: accepted, fromInbox: fromInbox, sum: &sum, log: log, seen: map[string]bool{}}
		if err := b.run(ctx, files[:n]); err != nil {
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

// batch is the state of one commit's worth of files.
type batch struct {
	cfg       *configs.Config
	wh        *warehouse.Warehouse
	x         *ingest.Matcher
	opts      ingest.Options
	accepted  func([]returns.Return) // told of each accepted file's rows
	fromInbox bool
	sum       *IngestSummary
	log       *slog.Logger

	inputs []warehouse.Input
	done   []string        // inbox files to remove once committed
	seen   map[string]bool // sha256 of the files already in this batch
}

// run ingests files as one commit. Crash safety rests on its order:
// rejected files are quarantined (idempotently) before the commit, the commit
// is atomic, and inbox files are removed only after it. A crash anywhere
// leaves each file either uncommitted and still in the inbox (the rerun
// ingests it again), or committed and perhaps still in the inbox (the rerun
// finds its bytes known and removes it).
func (b *batch) run(ctx context.Context, files []string) error {
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.file(path); err != nil {
			return err
		}
	}
	if err := b.wh.Commit(ctx, b.inputs, time.Now()); err != nil {
		return fmt.Errorf("committing to the warehouse: %w", err)
	}
	for _, p := range b.done {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// file is the per-file step: read, hash, skip known bytes, validate,
// quarantine if rejected, and queue for the commit.
func (b *batch) file(path string) error {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if b.fromInbox && errors.Is(err, fs.ErrNotExist) {
		return nil // gone from the inbox since it was listed: someone took it away
	}
	if err != nil {
		return err
	}
	b.sum.Files++
	if b.fromInbox {
		b.done = append(b.done, path)
	}
	maxBytes := int64(b.cfg.Settings.Ingest.MaxFileMB) << 20
	data, sha, err := loadFile(path, st.Size(), maxBytes)
	if err != nil {
		return err
	}
	if data != nil {
		if src, ok := b.wh.Known(sha); ok || b.seen[sha] {
			b.sum.Known++
			b.log.Debug("already ingested", "file", path, "sha256", sha, "as", src.Name)
			if src.Status == warehouse.StatusRejected {
				b.sum.Rejected++
			}
			return nil
		}
		b.seen[sha] = true
	}
	res := readLoaded(name, sha, data, st, maxBytes, b.x, b.opts)
	src := warehouse.Source{SHA256: sha, Name: name, Status: warehouse.StatusAccepted, ReceivedAt: receivedAt(res.DeclaredAt, st.ModTime(), time.Now())}
	lang := b.cfg.Settings.Report.Lang
	if res.Rejected() {
		src.Status = warehouse.StatusRejected
		q, err := quarantine(b.cfg.Settings.Paths.Quarantine, path, sha, data, res, lang)
		if err != nil {
			return err
		}
		b.sum.Rejected++
		b.sum.Quarantined = append(b.sum.Quarantined, q)
		b.log.Warn("file rejected", "file", path, "problems", len(res.Problems), "first", res.Problems[0].Error(), "quarantine", q)
	} else {
		b.sum.Accepted++
		b.sum.Rows += len(res.Returns)
		b.accepted(res.Returns)
		if res.HasErrors() { // skip_row: good rows accepted, the operator still gets its feedback
			if err := writeReports(b.cfg.Settings.Paths.Quarantine, name, sha, data, res, lang, false); err != nil {
				return err
			}
			b.log.Warn("rows skipped", "file", path, "rows", res.SkippedRows, "accepted", len(res.Returns))
		}
	}
	for i := range res.Returns {
		res.Returns[i].ReceivedAt = src.ReceivedAt
	}
	if data != nil { // too-large files are quarantined but not archived
		b.inputs = append(b.inputs, warehouse.Input{Source: src, Raw: data, Returns: res.Returns, Problems: res.Problems})
	}
	return nil
}

// ReadOptions are ingest's options for a run starting at now: the limits,
// policy and plausibility bands of the configuration (Previous is left to
// the caller).
func ReadOptions(cfg *configs.Config, now time.Time) ingest.Options {
	opts := ingest.OptionsFrom(cfg.Settings.Ingest)
	opts.Now = now
	return opts
}

// Validate reads the file at path exactly as Ingest reads a new file (the
// same size limit, reader, policy and checks) and writes nothing. It returns
// the file's sha256 and what ingest would make of it.
func Validate(cfg *configs.Config, path string, x *ingest.Matcher, opts ingest.Options) (string, ingest.Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", ingest.Result{}, err
	}
	maxBytes := int64(cfg.Settings.Ingest.MaxFileMB) << 20
	data, sha, err := loadFile(path, st.Size(), maxBytes)
	if err != nil {
		return "", ingest.Result{}, err
	}
	return sha, readLoaded(filepath.Base(path), sha, data, st, maxBytes, x, opts), nil
}

// loadFile returns a file's bytes and sha256. A file larger than maxBytes is
// hashed as a stream and its bytes are not kept (data is nil).
func loadFile(path string, size, maxBytes int64) (data []byte, sha string, err error) {
	if size > maxBytes {
		sha, err = hashFile(path)
		return nil, sha, err
	}
	if data, err = os.ReadFile(path); err != nil {
		return nil, "", err
	}
	h := sha256.Sum256(data)
	return data, hex.EncodeToString(h[:]), nil
}

// readLoaded is what ingest makes of a loaded file: too large when loadFile
// kept no bytes, else ingest.Read's result.
func readLoaded(name, sha string, data []byte, st fs.FileInfo, maxBytes int64, x *ingest.Matcher, opts ingest.Options) ingest.Result {
	if data == nil {
		return ingest.TooLarge(name, st.Size(), maxBytes)
	}
	return ingest.Read(name, sha, data, st.ModTime(), x, opts)
}

// headcounts answers "what headcount did this operator report for that
// quarter?" from the committed returns plus the files accepted so far in this
// ingest (latest version received wins), for ingest's plausibility checks.
// Ingest builds it lazily, once, when a check needs it.
type headcounts struct {
	latest map[string]returns.Return // by returns.Return.Key
}

// newHeadcounts loads the committed returns of the warehouse at dir.
func newHeadcounts(ctx context.Context, dir string) (*headcounts, error) {
	rs, _, err := warehouse.ReadReturns(ctx, dir)
	if err != nil {
		return nil, err
	}
	h := &headcounts{latest: map[string]returns.Return{}}
	h.add(rs)
	return h, nil
}

// add records returns as they are accepted.
func (h *headcounts) add(rs []returns.Return) {
	for i := range rs {
		k := rs[i].Key()
		if old, ok := h.latest[k]; !ok || rs[i].Newer(&old) {
			h.latest[k] = rs[i]
		}
	}
}

// Headcount returns the headcount operator reported for period, if any.
func (h *headcounts) Headcount(operator string, period returns.Period) (int64, bool) {
	key := returns.Return{OperatorID: operator, Period: period}
	r, ok := h.latest[key.Key()]
	return r.Headcount, ok
}

// receivedAt is when a return counts as received, for versions and as-of:
// the declaration date written in the workbook when there is one and it is
// not in the future, else the file's modification time when ingest first
// sees it (set by whoever dropped it into the inbox; `offshore gen` sets it
// to the filing date). Either way it is fixed at the first commit of the
// file's bytes and never changes afterwards. declared is zero when the
// workbook holds no declaration date.
func receivedAt(declared, modTime, now time.Time) time.Time {
	if !declared.IsZero() && !declared.After(now) {
		return declared.UTC()
	}
	return modTime.UTC()
}

// quarantine copies a rejected file and writes its reports beside it (see
// writeReports); it returns the copy's path. The copy keeps the file's own
// name, prefixed by the start of its sha256 when a different file of that
// name is already there. It is idempotent: the same bytes quarantined again
// (a rerun after a crash) land on the same name, never a duplicate.
func quarantine(dir, path, sha string, data []byte, res ingest.Result, lang string) (string, error) {
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	if h, err := hashFile(dst); err == nil && h != sha {
		dst = filepath.Join(dir, sha[:12]+"-"+name)
	}
	if h, err := hashFile(dst); err != nil || h != sha {
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
	}
	return dst, writeReports(dir, filepath.Base(dst), sha, data, res, lang, true)
}

// writeReports writes, in dir, <name>.problems.txt (every problem, one line
// each, in lang) and <name>.feedback.xlsx: the operator's own workbook with
// its faulty cells highlighted and commented and a first sheet listing the
// problems — the file the ministry mails back. rejected says whether the
// whole file was refused or only some rows were left out.
func writeReports(dir, name, sha string, data []byte, res ingest.Result, lang string, rejected bool) error {
	var b strings.Builder
	head := map[bool]map[string]string{
		true: {"fr": "offshore : %s a été rejeté (sha256 %s).\nCorrigez chacun des problèmes ci-dessous et renvoyez le fichier.\n\n",
			"en": "offshore: %s was rejected (sha256 %s).\nFix every problem below and send the file again.\n\n"},
		false: {"fr": "offshore : %s a été accepté sans ses lignes en erreur (sha256 %s).\nCorrigez-les et renvoyez le fichier.\n\n",
			"en": "offshore: %s was accepted without its faulty rows (sha256 %s).\nFix them and send the file again.\n\n"},
	}[rejected]
	if lang != "en" {
		lang = "fr"
	}
	fmt.Fprintf(&b, head[lang], name, sha)
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "[%s] %s\n", p.Severity, p.Text(lang))
	}
	err := warehouse.WriteFileAtomic(filepath.Join(dir, name+".problems.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return err
	}
	fb, err := ingest.Feedback(data, res, lang)
	if err != nil {
		return fmt.Errorf("feedback workbook for %s: %w", name, err)
	}
	return warehouse.WriteFileAtomic(filepath.Join(dir, name+".feedback.xlsx"), func(w io.Writer) error {
		_, err := w.Write(fb)
		return err
	})
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
