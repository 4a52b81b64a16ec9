package ingest

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
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/internal/progress"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"

	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// ErrRejected is returned (wrapped) when a stage finished but some input was
// rejected: quarantined with its report. The CLI exits with code 3.
var ErrRejected = errors.New("some input was rejected")

// commitBatch bounds how many files one commit holds, and commitBytes the
// raw bytes it keeps in memory until then, so memory stays flat on a large
// inbox. Each commit rewrites the catalog (one entry per file ever
// ingested: 12 MB for the national workload of 36,000 files), so fewer,
// larger commits keep that cost down; a crash loses at most one commit's
// worth of reading, which the rerun does again.
const (
	commitBatch = 1000
	commitBytes = 64 << 20
)

// ingestWorkers is how many files are read at once; 0 means one per core
// (GOMAXPROCS). Tests set it to 1 to compare with a sequential ingest.
var ingestWorkers = 0

// stepHook, when set (by tests only; nil in production), is called at the
// start of each step of one file, inside its boundary (see guard): "load",
// "read", "headcounts", "quarantine", "feedback".
var stepHook func(step, path string)

// internalError is a panic or an unexpected error in one step of one file.
type internalError struct {
	step  string
	err   error
	stack []byte // of the panic (nil for an error)
}

func (e *internalError) Error() string { return e.step + ": " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// guard runs one step of one file behind a boundary: a panic becomes an
// *internalError holding its stack, and so does an error fn returns. A
// file can fail; the run cannot.
func guard(step, path string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &internalError{step: step, err: fmt.Errorf("panic: %v", r), stack: debug.Stack()}
		}
	}()
	if stepHook != nil {
		stepHook(step, path)
	}
	if err := fn(); err != nil {
		return &internalError{step: step, err: err}
	}
	return nil
}

// Summary counts what one ingest did.
type Summary struct {
	Files       int      `json:"files"`       // files looked at
	Accepted    int      `json:"accepted"`    // newly committed and accepted
	Rejected    int      `json:"rejected"`    // quarantined (new or seen before)
	Known       int      `json:"known"`       // same bytes already in the warehouse: nothing changed
	Rows        int      `json:"rows"`        // returns rows committed
	Waiting     int      `json:"waiting"`     // inbox files still being written (ingest.settle): left for a later run
	Quarantined []string `json:"quarantined"` // paths of the quarantined copies
	// Skipped are the working folder's own files and folders (the
	// warehouse, quarantine, outbox, configuration files) that the paths
	// named and ingest left alone: never read as returns.
	Skipped []string `json:"skipped,omitempty"`
	// Backfill: the files' own modification times were taken as their
	// receipt times (ingest --backfill), not their arrival.
	Backfill bool `json:"backfill,omitempty"`
}

// Files reads the workbooks at paths (files or folders; the configured inbox
// when empty), commits accepted returns and every file's bytes and problems
// to the warehouse, and quarantines rejected files with a problems report.
// It returns ErrRejected (wrapped) when any file was rejected; one bad file
// never stops the others.
//
// Files are read and validated in parallel, one per core, ahead of the
// commits; everything that depends on the order (duplicates, the headcount
// check against earlier quarters, quarantine, commits) happens in the order
// of the sorted paths, so the result does not depend on the parallelism. A
// file whose path, size, modification time, change time and inode are in the
// warehouse's file cache with a committed sha256 is not read again.
//
// wh is open for writing (its lock held) for the whole call; the caller
// closes it.
func Files(ctx context.Context, cfg *config.Config, wh *warehouse.Warehouse, paths []string, log *slog.Logger) (Summary, error) {
	log = orDiscard(log)
	start := time.Now()
	sum := Summary{Backfill: cfg.Settings.Ingest.Backfill}
	fromInbox := len(paths) == 0
	if fromInbox {
		paths = []string{cfg.Settings.Paths.Inbox}
		if err := os.MkdirAll(cfg.Settings.Paths.Inbox, 0o755); err != nil {
			return sum, err
		}
	}
	// Listed under the lock, so that another ingest's files are either
	// committed (known) or not yet touched.
	files, skipped, err := listInputs(paths, OwnPaths(cfg))
	if err != nil {
		return sum, err
	}
	sum.Skipped = skipped
	if len(skipped) > 0 {
		log.Warn("the working folder's own files are never ingested: skipped", "paths", strings.Join(skipped, ", "))
	}
	bar := progress.Start(ctx, "ingest", "files", len(files))
	defer bar.Done()
	// Under the lock: a quarantine copy a crash left half-written is garbage.
	if tmps, _ := filepath.Glob(filepath.Join(cfg.Settings.Paths.Quarantine, "*.tmp")); len(tmps) > 0 {
		for _, p := range tmps {
			os.Remove(p)
		}
	}

	x := NewMatcher(&cfg.Mappings)
	opts := readOptions(cfg, start)
	opts.Done = ctx.Done() // a large workbook stops at its next row
	var hc *headcounts     // loaded when a plausibility check first needs it
	var hcErr error
	opts.Previous = func(operator string, p domain.Period) (int64, bool) {
		if hc == nil && hcErr == nil {
			if hc, hcErr = newHeadcounts(ctx, wh); hcErr != nil {
				log.Warn("headcount check skipped: the warehouse could not be read", "error", hcErr)
			}
		}
		if hc == nil {
			return 0, false
		}
		return hc.Headcount(operator, p-1)
	}
	cache := warehouse.OpenFileCache(wh.Dir())
	r := &fileLoader{cfg: cfg, x: x, opts: opts, cache: cache, known: wh.Catalog().Sources, fromInbox: fromInbox, settle: cfg.Settings.Ingest.Settle}
	r.opts.DeferHeadcounts = true
	b := &batch{cfg: cfg, wh: wh, opts: opts, cache: cache, fromInbox: fromInbox, sum: &sum, log: log, seen: map[string]string{},
		accepted: func(rs []domain.Return) {
			if hc != nil {
				hc.add(rs)
			}
		}}

	ctx, cancel := context.WithCancel(ctx)
	loaded, wait := readAhead(ctx, files, r)
	defer func() {
		cancel()
		wait() // the readers still at work finish their file
	}()
	for l := range loaded {
		if err := b.file(ctx, l); err != nil {
			return sum, err
		}
		bar.Add(1)
		if b.files >= commitBatch || b.bytes >= commitBytes {
			if err := b.commit(ctx); err != nil {
				return sum, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if err := b.commit(ctx); err != nil {
		return sum, err
	}
	// The cache keeps the files that are still where they were listed.
	listed := make(map[string]bool, len(files))
	for _, f := range files {
		listed[absPath(f)] = true
	}
	roots := make([]string, len(paths))
	for i, p := range paths {
		roots[i] = absPath(p)
	}
	cache.Forget(func(p string) bool {
		return listed[p] && !b.removed[p] || !under(p, roots)
	})
	if err := cache.Save(); err != nil {
		log.Warn("ingest cache not saved (the next ingest will read the files again)", "error", err)
	}
	log.Info("ingest finished", "files", sum.Files, "accepted", sum.Accepted, "rejected", sum.Rejected,
		"known", sum.Known, "rows", sum.Rows, "waiting", sum.Waiting, "duration", time.Since(start).Round(time.Millisecond))
	if sum.Rejected > 0 {
		return sum, fmt.Errorf("%d of %d files rejected, see %s: %w", sum.Rejected, sum.Files, cfg.Settings.Paths.Quarantine, ErrRejected)
	}
	return sum, nil
}

// loaded is one input file as a reader left it for the commit order.
type loaded struct {
	path  string
	abs   string      // absolute path, the cache's key
	st    fs.FileInfo // nil when the file is gone from the inbox since it was listed
	data  []byte      // nil when too large, or known and so not read
	sha   string
	known bool // the bytes were committed before this ingest began: not read
	res   Result
	err   error          // the file could not be loaded: not read, not committed
	fault *internalError // offshore failed on the file: res holds internal_error

	// waiting: an inbox file not yet settled, or changed while it was read;
	// left in the inbox for a later run.
	waiting bool
}

// fileLoader is the part of ingest that runs in parallel: stat, load, hash and
// read one file. It only reads shared state that does not change while
// ingest runs (the matcher, the options, the catalog's sources as they were
// at the start, the cache).
type fileLoader struct {
	cfg       *config.Config
	x         *Matcher
	opts      Options // with DeferHeadcounts
	cache     *warehouse.FileCache
	known     map[string]warehouse.Source // committed before this ingest; never modified
	fromInbox bool
	settle    time.Duration // inbox files: ingest.settle
}

func (r *fileLoader) load(path string) *loaded {
	l := &loaded{path: path, abs: absPath(path)}
	if err := guard("load", path, func() error { return r.loadBytes(l) }); err != nil {
		l.err = err
		return l
	}
	if l.st == nil || l.known || l.err != nil || l.waiting {
		return l
	}
	maxBytes := int64(r.cfg.Settings.Ingest.MaxFileMB) << 20
	err := guard("read", path, func() error {
		l.res = readLoaded(filepath.Base(path), l.sha, l.data, l.st, maxBytes, r.x, r.opts)
		return nil
	})
	if err != nil {
		l.res = Result{OnError: r.opts.OnError}
		l.res.Refuse(InternalError(filepath.Base(path), l.sha))
		l.fault = err.(*internalError)
	} else if f := l.res.Fault; f != nil { // a panic the reader recovered from
		l.fault = &internalError{step: "read", err: fmt.Errorf("panic: %s", f.Value), stack: f.Stack}
	}
	return l
}

// loadBytes stats the file and loads its bytes and sha256 into l, unless
// the cache or the catalog says they are known.
func (r *fileLoader) loadBytes(l *loaded) error {
	st, err := os.Stat(l.path)
	if r.fromInbox && errors.Is(err, fs.ErrNotExist) {
		return nil // gone from the inbox since it was listed: someone took it away
	}
	if err != nil {
		return err
	}
	l.st = st
	if r.fromInbox && !settled(st, time.Now(), r.settle) {
		l.waiting = true // still being written, perhaps
		return nil
	}
	if sha, ok := r.cache.Lookup(l.abs, st); ok {
		if _, ok := r.known[sha]; ok {
			l.sha, l.known = sha, true
			return nil
		}
	}
	maxBytes := int64(r.cfg.Settings.Ingest.MaxFileMB) << 20
	if l.data, l.sha, err = loadFile(l.path, st.Size(), maxBytes); err != nil {
		return err
	}
	if r.fromInbox { // overwritten while it was read: not the bytes of one file
		if now, err := os.Stat(l.path); err != nil || !sameFile(st, now) {
			l.data, l.sha, l.waiting = nil, "", true
			return nil
		}
	}
	if _, ok := r.known[l.sha]; ok && l.data != nil {
		l.data, l.known = nil, true
	}
	return nil
}

// readAhead loads files in parallel, one per core at most, and delivers them
// in their order on the returned channel, at most a few files ahead of the
// consumer so that memory stays bounded. The channel is closed after the
// last file or once ctx is done; wait returns when no reader is left.
func readAhead(ctx context.Context, files []string, r *fileLoader) (<-chan *loaded, func()) {
	workers := ingestWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	futures := make(chan chan *loaded, 4*workers)
	out := make(chan *loaded)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	wg.Go(func() { // start the reads, in order
		defer close(futures)
		for _, p := range files {
			f := make(chan *loaded, 1)
			select {
			case futures <- f:
			case <-ctx.Done():
				return
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Go(func() {
				defer func() { <-sem }()
				f <- r.load(p)
			})
		}
	})
	wg.Go(func() { // deliver them, in order
		defer close(out)
		for f := range futures {
			var l *loaded
			select {
			case l = <-f:
			case <-ctx.Done():
				return
			}
			select {
			case out <- l:
			case <-ctx.Done():
				return
			}
		}
	})
	return out, wg.Wait
}

// batch is the state of one commit's worth of files, and of the files
// already committed in this ingest.
type batch struct {
	cfg       *config.Config
	wh        *warehouse.Warehouse
	opts      Options
	cache     *warehouse.FileCache
	accepted  func([]domain.Return) // told of each accepted file's rows
	fromInbox bool
	sum       *Summary
	log       *slog.Logger

	inputs  []warehouse.Input
	files   int               // files taken into this batch
	bytes   int               // their raw bytes
	done    []inboxFile       // inbox files to remove once committed, if unchanged
	seen    map[string]string // sha256 → status of the files read in this ingest
	cached  []*loaded         // files to record in the cache once committed
	removed map[string]bool   // inbox files removed (absolute paths)
	// Counts of the batch, added to sum once it is committed, so that an
	// interrupted or refused commit is not reported as done.
	pendFiles, pendKnown, pendAccepted, pendRows, pendRejected int
}

// testHookBeforeCommit, when set by a test, runs before each batch's commit;
// testHookBeforeFile before each file's step in the commit order (its bytes
// are read by then).
var (
	testHookBeforeCommit func()
	testHookBeforeFile   func(path string)
)

// commit commits the batch. Crash safety rests on its order: rejected files
// are quarantined (idempotently) before the commit, the commit is atomic,
// and inbox files are removed only after it. A crash anywhere leaves each
// file either uncommitted and still in the inbox (the rerun ingests it
// again), or committed and perhaps still in the inbox (the rerun finds its
// bytes known and removes it).
func (b *batch) commit(ctx context.Context) error {
	if b.files == 0 {
		return nil
	}
	if testHookBeforeCommit != nil {
		testHookBeforeCommit()
	}
	if err := b.wh.Commit(ctx, b.inputs, time.Now()); err != nil {
		return fmt.Errorf("committing to the warehouse: %w", err)
	}
	b.sum.Files += b.pendFiles
	b.sum.Known += b.pendKnown
	b.sum.Accepted += b.pendAccepted
	b.sum.Rows += b.pendRows
	b.sum.Rejected += b.pendRejected
	b.pendFiles, b.pendKnown, b.pendAccepted, b.pendRows, b.pendRejected = 0, 0, 0, 0, 0
	for _, l := range b.cached {
		if _, ok := b.wh.Known(l.sha); ok {
			b.cache.Put(l.abs, l.st, l.sha)
		}
	}
	if b.removed == nil {
		b.removed = map[string]bool{}
	}
	for _, l := range b.done {
		removed, err := removeIfSame(l.path, l.st)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if !removed && err == nil {
			b.log.Info("inbox file changed after it was read (a new version?): left for the next run", "file", l.path)
			continue
		}
		b.removed[absPath(l.path)] = true
	}
	b.inputs, b.done, b.cached, b.files, b.bytes = nil, nil, nil, 0, 0
	return nil
}

// file is the per-file step, in the order of the paths: skip known bytes,
// check headcounts, quarantine if rejected, and queue for the commit.
func (b *batch) file(ctx context.Context, l *loaded) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if testHookBeforeFile != nil {
		testHookBeforeFile(l.path)
	}
	if l.err != nil {
		// Not even loaded (unreadable, or offshore failed on it): nothing to
		// commit; it stays where it is and is tried again next time.
		b.sum.Files++
		b.sum.Rejected++
		b.logFault(l.path, l.err)
		return nil
	}
	if l.st == nil {
		return nil // gone from the inbox
	}
	if l.waiting {
		b.sum.Waiting++
		b.log.Debug("inbox file still being written: left for a later run", "file", l.path, "settle", b.cfg.Settings.Ingest.Settle)
		return nil
	}
	path, name := l.path, filepath.Base(l.path)
	b.files++
	b.pendFiles++
	if b.fromInbox {
		b.done = append(b.done, inboxFile{l.path, l.st})
	} else {
		b.cached = append(b.cached, l)
	}
	if l.data != nil || l.known {
		src, ok := b.wh.Known(l.sha)
		status, seen := b.seen[l.sha]
		if ok || seen {
			b.pendKnown++
			b.log.Debug("already ingested", "file", path, "sha256", l.sha, "as", src.Name)
			if src.Status == warehouse.StatusRejected || status == warehouse.StatusRejected {
				b.pendRejected++
			}
			return nil
		}
	}
	data, res, st := l.data, l.res, l.st
	if l.fault != nil {
		b.logFault(path, l.fault)
	}
	if err := guard("headcounts", path, func() error { CheckHeadcounts(&res, b.opts); return nil }); err != nil {
		b.fault(&res, path, l.sha, err)
	}
	src := warehouse.Source{SHA256: l.sha, Name: name, Status: warehouse.StatusAccepted, ReceivedAt: receivedAt(st, b.cfg.Settings.Ingest.Backfill, time.Now()), DeclaredAt: res.DeclaredAt}
	if res.Rejected() {
		src.Status = warehouse.StatusRejected
		q := b.quarantine(path, l.sha, data, &res)
		b.pendRejected++
		b.sum.Quarantined = append(b.sum.Quarantined, q)
		b.log.Warn("file rejected", "file", path, "problems", len(res.Problems), "first", res.Problems[0].Error(), "quarantine", q)
	} else {
		b.pendAccepted++
		b.pendRows += len(res.Returns)
		b.accepted(res.Returns)
		if res.HasErrors() { // skip_row: good rows accepted, the operator still gets its feedback
			b.reports(path, name, l.sha, data, &res, false)
			b.log.Warn("rows skipped", "file", path, "rows", res.SkippedRows, "accepted", len(res.Returns))
		}
	}
	for i := range res.Returns {
		res.Returns[i].ReceivedAt = src.ReceivedAt
	}
	if data != nil { // too-large files are quarantined but not archived
		b.seen[l.sha] = src.Status
		b.inputs = append(b.inputs, warehouse.Input{Source: src, Raw: data, Returns: res.Returns, Problems: res.Problems})
		b.bytes += len(data)
	}
	return nil
}

// fault records that offshore failed on a file in one step: the file is
// refused with internal_error (the operator's message says no more) and
// the cause goes to the log.
func (b *batch) fault(res *Result, path, sha string, err error) {
	res.Refuse(InternalError(filepath.Base(path), sha))
	b.logFault(path, err)
}

// logFault logs what went wrong on a file, with the stack of a panic.
func (b *batch) logFault(path string, err error) {
	var ie *internalError
	if errors.As(err, &ie) && ie.stack != nil {
		b.log.Error("internal error on a file: quarantined, the run goes on", "file", path, "step", ie.step, "error", ie.err, "stack", string(ie.stack))
		return
	}
	b.log.Error("file not read", "file", path, "error", err)
}

// quarantine copies a rejected file into the quarantine folder and writes
// its reports beside it; it returns the copy's path. A failure of either
// is an internal_error on the file (added to res), never the run's.
func (b *batch) quarantine(path, sha string, data []byte, res *Result) string {
	dir := b.cfg.Settings.Paths.Quarantine
	q := filepath.Join(dir, filepath.Base(path))
	err := guard("quarantine", path, func() error {
		c, err := quarantineCopy(dir, path, sha, data)
		if err == nil {
			q = c
		}
		return err
	})
	if err != nil {
		b.fault(res, path, sha, err)
	}
	b.reports(path, filepath.Base(q), sha, data, res, true)
	return q
}

// reports writes a file's problems report and feedback workbook (see
// writeReports). When that fails, the problems are written again with a
// feedback that lists them without copying the workbook; for a rejected
// file the failure is also an internal_error on it.
func (b *batch) reports(path, name, sha string, data []byte, res *Result, rejected bool) {
	dir := b.cfg.Settings.Paths.Quarantine
	fo := FeedbackOptions{Lang: b.cfg.Settings.Report.Lang, MaxCells: b.cfg.Settings.Ingest.FeedbackMaxCells, Timeout: b.cfg.Settings.Ingest.FileTimeout}
	err := guard("feedback", path, func() error { return writeReports(dir, name, sha, data, *res, fo, rejected) })
	if err == nil {
		return
	}
	if rejected {
		b.fault(res, path, sha, err)
	} else {
		b.logFault(path, err)
	}
	err = guard("reports", path, func() error { return writeReports(dir, name, sha, nil, *res, fo, rejected) })
	if err != nil {
		b.log.Error("problems report not written", "file", path, "error", err)
	}
}

// absPath is path made absolute, for the cache; path itself if that fails.
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}

// under reports whether path is one of roots or inside one of them.
func under(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// readOptions are ingest's options for a run starting at now: the limits,
// policy and plausibility bands of the configuration (Previous is left to
// the caller).
func readOptions(cfg *config.Config, now time.Time) Options {
	opts := OptionsFrom(cfg.Settings.Ingest)
	opts.Now = now
	return opts
}

// Check reads each file at paths exactly as Files reads a new file (the
// same size limit, reader, policy and checks) and writes nothing: visit gets
// each file's sha256 and what ingest would make of it, the returns counted
// but not kept. It stops at ctx's end (a large workbook at its next row) and
// at the first error, visit's included.
func Check(ctx context.Context, cfg *config.Config, paths []string, visit func(path, sha string, res Result) error) error {
	x := NewMatcher(&cfg.Mappings)
	opts := readOptions(cfg, time.Now())
	opts.CountOnly = true
	opts.Done = ctx.Done()
	maxBytes := int64(cfg.Settings.Ingest.MaxFileMB) << 20
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		data, sha, err := loadFile(path, st.Size(), maxBytes)
		if err != nil {
			return err
		}
		res := readLoaded(filepath.Base(path), sha, data, st, maxBytes, x, opts)
		if err := ctx.Err(); err != nil { // interrupted: res is incomplete
			return err
		}
		if err := visit(path, sha, res); err != nil {
			return err
		}
	}
	return nil
}

// loadFile returns a file's bytes and sha256. A file larger than maxBytes is
// hashed as a stream and its bytes are not kept (data is nil).
func loadFile(path string, size, maxBytes int64) (data []byte, sha string, err error) {
	if size > maxBytes {
		sha, err = warehouse.FileSHA256(path)
		return nil, sha, err
	}
	if data, err = os.ReadFile(path); err != nil {
		return nil, "", err
	}
	h := sha256.Sum256(data)
	return data, hex.EncodeToString(h[:]), nil
}

// readLoaded is what ingest makes of a loaded file: too large when loadFile
// kept no bytes, else Read's result.
func readLoaded(name, sha string, data []byte, st fs.FileInfo, maxBytes int64, x *Matcher, opts Options) Result {
	if data == nil {
		return TooLarge(name, st.Size(), maxBytes)
	}
	return Read(name, sha, data, st.ModTime(), x, opts)
}

// headcounts answers "what headcount did this operator report for that
// quarter?" from the committed returns plus the files accepted so far in this
// ingest (latest version received wins), for ingest's plausibility checks.
// Files builds it lazily, once, when a check needs it.
type headcounts struct {
	latest map[string]domain.Return // by domain.Return.Key
}

// newHeadcounts loads the committed returns of wh, from the catalog it
// holds (the writer's own: no second read of catalog.json).
func newHeadcounts(ctx context.Context, wh *warehouse.Warehouse) (*headcounts, error) {
	rs, _, err := warehouse.ReadReturnsAt(ctx, wh.Dir(), wh.Catalog())
	if err != nil {
		return nil, err
	}
	h := &headcounts{latest: map[string]domain.Return{}}
	h.add(rs)
	return h, nil
}

// add records returns as they are accepted.
func (h *headcounts) add(rs []domain.Return) {
	for i := range rs {
		k := rs[i].Key()
		if old, ok := h.latest[k]; !ok || rs[i].Newer(&old) {
			h.latest[k] = rs[i]
		}
	}
}

// Headcount returns the headcount operator reported for period, if any.
func (h *headcounts) Headcount(operator string, period domain.Period) (int64, bool) {
	key := domain.Return{OperatorID: operator, Period: period}
	r, ok := h.latest[key.Key()]
	return r.Headcount, ok
}

// receivedAt is when a return counts as received, for versions and as-of:
// when the file reached the ministry, i.e. its arrival in the folder ingest
// reads it from: its change time (ctime), which the transfer into the inbox
// sets (a write, a rename, cp -p or rsync setting its times) and nobody can
// set back; the modification time where the system gives no change time.
// Never a date the operator chose: neither one typed in the workbook (issue
// 13: a backdated declaration rewrote a past as-of; it is kept beside it, as
// the source's declared_at) nor the file's own modification time, which an
// unzipped attachment, cp -p or rsync -t carry over from the operator's
// machine. With backfill (loading an archive of past returns, as `offshore
// gen` dates them), the modification time is taken as it is. Either is
// clamped to now when in the future (a file dated 2099 would otherwise never
// be superseded). It is fixed at the first commit of the file's bytes and
// never changes afterwards.
func receivedAt(st fs.FileInfo, backfill bool, now time.Time) time.Time {
	t := st.ModTime()
	if _, ctime := warehouse.FileID(st); ctime != 0 && !backfill {
		t = time.Unix(0, ctime)
	}
	if t.After(now) {
		t = now
	}
	return t.UTC().Truncate(time.Microsecond) // the warehouse's timestamps are in µs
}

// quarantineCopy copies a rejected file into dir and returns the copy's
// path. The copy keeps the file's own name, prefixed by the start of its
// sha256 when a different file of that name is already there. It is
// idempotent: the same bytes quarantined again (a rerun after a crash) land
// on the same name, never a duplicate. The copy is of data, the bytes that
// were read (the file may have been replaced since by a correction of the
// same name); a file too large to be read (data nil) is copied from path,
// and only if it still has the sha256 that was read.
func quarantineCopy(dir, path, sha string, data []byte) (string, error) {
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	if h, err := warehouse.FileSHA256(dst); err == nil && h != sha {
		dst = filepath.Join(dir, sha[:12]+"-"+name)
	}
	if h, err := warehouse.FileSHA256(dst); err != nil || h != sha {
		err := atomicfile.Write(dst, func(w io.Writer) error {
			if data != nil {
				_, err := w.Write(data)
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			h := sha256.New()
			if _, err = io.Copy(io.MultiWriter(w, h), f); err == nil && hex.EncodeToString(h.Sum(nil)) != sha {
				err = fmt.Errorf("%s changed since it was read", path)
			}
			return err
		})
		if err != nil {
			return "", fmt.Errorf("quarantining %s: %w", path, err)
		}
	}
	return dst, nil
}

// writeReports writes, in dir, <name>.problems.txt (every problem, one line
// each, in lang) and <name>.feedback.xlsx: the operator's own workbook with
// its faulty cells highlighted and commented and a first sheet listing the
// problems — the file the ministry mails back (nil data: the problems
// only), bounded by fo. rejected says whether the whole file was refused
// or only some rows were left out.
func writeReports(dir, name, sha string, data []byte, res Result, fo FeedbackOptions, rejected bool) error {
	var b strings.Builder
	head := map[bool]map[string]string{
		true: {"fr": "offshore : %s a été rejeté (sha256 %s).\nCorrigez chacun des problèmes ci-dessous et renvoyez le fichier.\n\n",
			"en": "offshore: %s was rejected (sha256 %s).\nFix every problem below and send the file again.\n\n"},
		false: {"fr": "offshore : %s a été accepté sans ses lignes en erreur (sha256 %s).\nCorrigez-les et renvoyez le fichier.\n\n",
			"en": "offshore: %s was accepted without its faulty rows (sha256 %s).\nFix them and send the file again.\n\n"},
	}[rejected]
	lang := fo.Lang
	if lang != "en" {
		lang = "fr"
	}
	fmt.Fprintf(&b, head[lang], name, sha)
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "[%s] %s\n", p.Severity, p.Text(lang))
	}
	err := atomicfile.Write(filepath.Join(dir, name+".problems.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return err
	}
	fo.Lang = lang
	fb, err := WriteFeedback(data, res, fo)
	if err != nil {
		return fmt.Errorf("feedback workbook for %s: %w", name, err)
	}
	return atomicfile.Write(filepath.Join(dir, name+".feedback.xlsx"), func(w io.Writer) error {
		_, err := w.Write(fb)
		return err
	})
}

// OwnPaths are the working folder's own files and folders, which ingest
// never reads whatever paths it is given (`offshore ingest .` in the working
// folder): the warehouse (catalog, lock, Parquet parts, run records), the
// quarantine, the outbox and the configuration files read, as absolute
// paths with symbolic links resolved.
func OwnPaths(cfg *config.Config) []string {
	p := cfg.Settings.Paths
	own := []string{p.Warehouse, p.Quarantine, p.Outbox}
	for _, name := range []string{config.SettingsFile, config.TargetsFile, config.MappingsFile} {
		if src := cfg.Sources[name]; src != "" && src != "embedded" {
			own = append(own, src)
		}
	}
	for i, o := range own {
		own[i] = config.RealPath(o)
	}
	return own
}

// listInputs expands folders (recursively) into their files, skipping hidden
// files, temporary files, uploads in progress ("….part") and Office lock
// files ("~$…"), sorted by path. A path that is, or lies inside, one of own
// (OwnPaths) is left out whole and returned in skipped, as it was named or
// met.
func listInputs(paths []string, own []string) (files, skipped []string, err error) {
	for _, p := range paths {
		root := config.RealPath(p)
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			real := root
			if path != p {
				rel, rerr := filepath.Rel(p, path)
				if rerr != nil {
					return rerr
				}
				real = filepath.Join(root, rel)
			}
			if under(real, own) {
				skipped = append(skipped, path)
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			base := d.Name()
			if path != p && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") || strings.HasSuffix(base, ".tmp") || strings.HasSuffix(base, ".part")) {
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
			return nil, nil, fmt.Errorf("listing inputs: %w", err)
		}
	}
	sort.Strings(files)
	return files, skipped, nil
}

func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
