package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"

	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// RepairSummary says what Repair found and did.
type RepairSummary struct {
	Aside       string   `json:"aside"`       // folder the damaged catalog and parts were moved to
	Files       int      `json:"files"`       // raw files ingested again
	Accepted    int      `json:"accepted"`    // of which accepted
	Rejected    int      `json:"rejected"`    // of which rejected
	Rows        int      `json:"rows"`        // returns rows committed
	Recorded    int      `json:"recorded"`    // files whose name, dates and commit the old parts recorded
	Unrecorded  int      `json:"unrecorded"`  // files without such a record: named by their sha256, dated by their archive time
	Damaged     []string `json:"damaged"`     // raw files whose bytes no longer match their name, moved aside
	Unreadable  []string `json:"unreadable"`  // old parts that could not be read
	Commits     int      `json:"commits"`     // commits made
	Interrupted bool     `json:"interrupted"` // ctx ended before the end
}

// rawFile is one archived file to ingest again, with what the old parts
// recorded of it.
type rawFile struct {
	path, sha, name      string
	received, ingestedAt time.Time
	recorded             bool
}

// Repair rebuilds a damaged warehouse (a catalog missing, emptied,
// inconsistent or older than the data) from its raw archive: under the
// writers' lock it moves the catalog and parts aside (warehouse.OpenForRepair:
// nothing is removed), reads what the old parts recorded of each raw file
// (its name, received and commit times), and ingests every raw file again in
// that recorded order, one commit per recorded commit, with the same names,
// received times and commit times, so that the rebuilt warehouse equals the
// one that was damaged. A raw file whose bytes no longer match its name is
// moved aside too. A sound warehouse is warehouse.ErrSound.
func Repair(ctx context.Context, cfg *config.Config, log *slog.Logger) (RepairSummary, error) {
	log = orDiscard(log)
	var sum RepairSummary
	dir := cfg.Settings.Paths.Warehouse
	wh, aside, err := warehouse.OpenForRepair(ctx, dir, warehouse.Options{LockWait: cfg.Settings.Warehouse.LockWait, Logger: log})
	if err != nil {
		return sum, err
	}
	defer wh.Close()
	sum.Aside = aside
	// What the old parts recorded, from this repair's folder and the ones
	// earlier repairs left: an interrupted repair moved the original parts
	// into its own folder, and its rerun finds them there. A file's record
	// is the same in every folder that has one (its name, received and
	// commit times are fixed at its first commit).
	asides, _ := filepath.Glob(filepath.Join(dir, "repair-*"))
	known := map[string]*rawFile{}
	for _, a := range asides {
		rs, ps, bad := warehouse.ReadPartsIn(ctx, a)
		if a == aside {
			sum.Unreadable = bad
		}
		for _, r := range rs {
			if _, ok := known[r.SourceSHA256]; !ok {
				known[r.SourceSHA256] = &rawFile{name: r.SourceName, received: r.ReceivedAt, ingestedAt: r.IngestedAt, recorded: true}
			}
		}
		for _, p := range ps {
			if _, ok := known[p.SHA256]; !ok && p.SHA256 != "" {
				known[p.SHA256] = &rawFile{name: p.File, ingestedAt: p.IngestedAt, recorded: true}
			}
		}
	}
	// What the old catalogs recorded of the files no readable part names
	// (their part lost or damaged, or rejected files whose received time
	// only the catalog kept): the name and received time, and the commit
	// time of another file of the same commit.
	for _, a := range asides {
		cat, err := warehouse.ReadCatalog(a)
		if err != nil {
			continue // missing or damaged: the parts are all there is
		}
		commitTime := map[int]time.Time{}
		for sha, src := range cat.Sources {
			if f := known[sha]; f != nil && !f.ingestedAt.IsZero() {
				commitTime[src.Commit] = f.ingestedAt
			}
		}
		for sha, src := range cat.Sources {
			f := known[sha]
			if f == nil {
				t, ok := commitTime[src.Commit]
				if !ok {
					continue // its whole commit is lost: dated by its archive time below
				}
				f = &rawFile{name: src.Name, ingestedAt: t, recorded: true}
				known[sha] = f
			}
			if f.received.IsZero() {
				f.received = src.ReceivedAt
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}

	entries, err := os.ReadDir(filepath.Join(dir, "raw"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return sum, err
	}
	var files []*rawFile
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		p := filepath.Join(dir, "raw", e.Name())
		if e.IsDir() || strings.HasSuffix(p, ".tmp") {
			continue
		}
		want, isRaw := strings.CutSuffix(e.Name(), ".xlsx")
		got := ""
		if isRaw {
			if got, err = warehouse.FileSHA256(p); err != nil {
				return sum, err
			}
		}
		if !isRaw || got != want { // not an archived workbook (a file put there by hand), or no longer its bytes
			dst, err := wh.MoveAside(p, aside)
			if err != nil {
				return sum, err
			}
			sum.Damaged = append(sum.Damaged, dst)
			log.Warn("not an archived workbook, or not its bytes: moved aside", "file", p, "to", dst, "sha256", got)
			continue
		}
		f := known[got]
		if f == nil {
			st, err := os.Stat(p)
			if err != nil {
				return sum, err
			}
			f = &rawFile{name: got + ".xlsx", ingestedAt: st.ModTime().UTC()}
		}
		f.path, f.sha = p, got
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b *rawFile) int {
		return cmp.Or(a.ingestedAt.Compare(b.ingestedAt), cmp.Compare(a.name, b.name), cmp.Compare(a.sha, b.sha))
	})

	x := NewMatcher(&cfg.Mappings)
	opts := readOptions(cfg, time.Now())
	opts.Done = ctx.Done()
	hc := &headcounts{latest: map[string]domain.Return{}}
	opts.Previous = func(operator string, p domain.Period) (int64, bool) { return hc.Headcount(operator, p-1) }
	opts.DeferHeadcounts = true
	for i := 0; i < len(files); {
		j := i
		var inputs []warehouse.Input
		for ; j < len(files) && files[j].ingestedAt.Equal(files[i].ingestedAt); j++ {
			if err := ctx.Err(); err != nil { // a commit holds up to 1,000 files
				sum.Interrupted = true
				return sum, err
			}
			in, err := rereadRaw(files[j], x, opts, hc)
			if err != nil {
				return sum, err
			}
			inputs = append(inputs, in)
		}
		if err := ctx.Err(); err != nil {
			sum.Interrupted = true
			return sum, err
		}
		if err := wh.Commit(ctx, inputs, files[i].ingestedAt); err != nil {
			return sum, fmt.Errorf("repair: %w", err)
		}
		sum.Commits++
		for k, in := range inputs {
			sum.Files++
			if files[i+k].recorded {
				sum.Recorded++
			} else {
				sum.Unrecorded++
			}
			if in.Source.Status == warehouse.StatusAccepted {
				sum.Accepted++
				sum.Rows += len(in.Returns)
			} else {
				sum.Rejected++
			}
		}
		i = j
	}
	log.Info("repair finished", "files", sum.Files, "accepted", sum.Accepted, "rejected", sum.Rejected,
		"recorded", sum.Recorded, "unrecorded", sum.Unrecorded, "damaged", len(sum.Damaged), "aside", aside)
	return sum, nil
}

// rereadRaw reads an archived file again as ingest read it, with its
// recorded name and received time.
func rereadRaw(f *rawFile, x *Matcher, opts Options, hc *headcounts) (warehouse.Input, error) {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return warehouse.Input{}, err
	}
	if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != f.sha {
		return warehouse.Input{}, fmt.Errorf("repair: %s changed while it was read", f.path)
	}
	received := f.received
	var res Result
	err = guard("read", f.path, func() error {
		res = Read(f.name, f.sha, data, cmp.Or(received, f.ingestedAt), x, opts)
		CheckHeadcounts(&res, opts)
		return nil
	})
	if err != nil {
		res = Result{OnError: opts.OnError}
		res.Refuse(InternalError(f.name, f.sha))
	}
	if received.IsZero() {
		received = f.ingestedAt.UTC() // when it was ingested, at the latest
		if now := time.Now(); received.After(now) {
			received = now.UTC()
		}
	}
	src := warehouse.Source{SHA256: f.sha, Name: f.name, Status: warehouse.StatusAccepted, ReceivedAt: received, DeclaredAt: res.DeclaredAt}
	if res.Rejected() {
		src.Status = warehouse.StatusRejected
	}
	for i := range res.Returns {
		res.Returns[i].ReceivedAt = received
	}
	if src.Status == warehouse.StatusAccepted {
		hc.add(res.Returns)
	}
	return warehouse.Input{Source: src, Raw: data, Returns: res.Returns, Problems: res.Problems}, nil
}
