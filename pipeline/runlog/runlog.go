package runlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Job names what a run does.
type Job string

// Jobs.
const (
	JobRun      Job = "run"      // the nightly job: ingest, compaction, forecast, report
	JobIngest   Job = "ingest"   // ingest alone (the scheduler's frequent job)
	JobForecast Job = "forecast" // an assessment: `offshore forecast` or an ad-hoc API forecast
)

// Trigger names what launched a run.
type Trigger string

// Triggers.
const (
	TriggerCLI     Trigger = "cli"      // a command typed or run by a plain crontab
	TriggerCron    Trigger = "cron"     // the scheduler, at a scheduled time
	TriggerCatchUp Trigger = "catch-up" // the scheduler at start-up, for a scheduled time it missed
	TriggerAPI     Trigger = "api"      // the daemon's HTTP API or page: an ad-hoc forecast, or a job run now by an admin
)

// Status is a run's state. A run that finished but quarantined some input
// is "ok" with Ingest.Rejected > 0: it did its job.
type Status string

// Statuses.
const (
	StatusRunning     Status = "running"
	StatusOK          Status = "ok"
	StatusFailed      Status = "failed"
	StatusSkipped     Status = "skipped"     // not started: the same job or another writer was still running
	StatusInterrupted Status = "interrupted" // stopped by a shutdown, or its process died
)

// Record is the record of one run, kept as warehouse/runs/<id>.json:
// written when the run starts (status running) and replaced when it ends.
// AsOf and Cutoff say what it knew: the quarter assessed and the instant
// after which received returns were ignored (for a run without --as-of, its
// start: everything received so far); CatalogSeq is the warehouse commit it
// read.
type Record struct {
	ID      string  `json:"id"`
	Job     Job     `json:"job"`
	Trigger Trigger `json:"trigger"`
	// By names who launched a run through the HTTP server (a user of
	// schedule.users_file, "api_token" or "local"): "" for the scheduler
	// and the commands. The daemon's audit file says from where.
	By     string `json:"by,omitempty"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	PID    int    `json:"pid,omitempty"` // the process that ran it, to tell a dead run from a live one
	// PIDStart is that process's boot and start time, so that a pid reused
	// since (pid 1 of a restarted container) is not taken for it.
	PIDStart string        `json:"pid_start,omitempty"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	AsOf     domain.Period `json:"as_of"`
	Cutoff   *time.Time    `json:"cutoff,omitempty"`
	// Official says which rule chose AsOf (forced, coverage or
	// deadline_imputed), with the quarter's coverage and the later quarters
	// still in collection.
	Official   *release.Official       `json:"official,omitempty"`
	CatalogSeq int                     `json:"catalog_seq"`
	TargetSets []string                `json:"target_sets,omitempty"`
	Request    *assess.Request         `json:"request,omitempty"` // an ad-hoc forecast's request
	Ingest     ingest.Summary          `json:"ingest"`
	Compact    *warehouse.CompactStats `json:"compact,omitempty"`
	Report     string                  `json:"report"`
	// Digest identifies the settings, targets, mappings and version a
	// nightly run used; UnchangedSince names the earlier run whose outcome
	// it kept, nothing having changed since.
	Digest         string           `json:"digest,omitempty"`
	UnchangedSince string           `json:"unchanged_since,omitempty"`
	Charts         []string         `json:"charts,omitempty"` // an ad-hoc forecast's fan charts, file names in the warehouse's adhoc/<id>/ folder
	Results        []*assess.Result `json:"results"`
	// Confidential lists the assessments ("set/target id") the
	// confidentiality rule hides, as the workbook does; Published masks them
	// in what the page and the API serve. Results keeps them whole for the
	// next run's Évolution.
	Confidential []string `json:"confidential,omitempty"`
	// Delivery is the mail of the workbook this run wrote (report.mail),
	// nil when it wrote none or mail was off.
	Delivery *Delivery `json:"delivery,omitempty"`
}

// Published returns r as it may leave the warehouse (the page, the API,
// `offshore export forecasts`): a copy whose Confidential assessments are
// masked and whose coverage shares are rounded to the whole percent the
// notices print (an exact share of the previous quarter's headcount, times
// that published headcount, would give the reporters' own headcount). r is
// not modified.
func (r *Record) Published() *Record {
	if r == nil {
		return nil
	}
	c := *r
	c.Results = assess.Masked(r.Results, r.Confidential)
	if r.Official != nil {
		off := *r.Official
		off.Coverage = roundedCoverage(off.Coverage)
		off.Collecting = make([]series.Coverage, len(r.Official.Collecting))
		for i, q := range r.Official.Collecting {
			off.Collecting[i] = roundedCoverage(q)
		}
		c.Official = &off
	}
	return &c
}

// roundedCoverage is c with its shares rounded to whole percents.
func roundedCoverage(c series.Coverage) series.Coverage {
	c.Operators, c.Weight = math.Round(100*c.Operators)/100, math.Round(100*c.Weight)/100
	if c.WeightSecret {
		c.Weight = 0
	}
	return c
}

// Stamp is a run's start as its id and its workbook's name write it:
// 20261127T230512.123456Z (UTC, to the microsecond, so that two runs in one
// second keep two workbooks).
func Stamp(started time.Time) string { return started.UTC().Format(stampLayout) }

const stampLayout = "20060102T150405.000000Z"

// StampTime returns the time a run id (or an ad-hoc folder named by one)
// begins with, as Stamp wrote it; false when id does not begin with one.
func StampTime(id string) (time.Time, bool) {
	stamp, _, _ := strings.Cut(id, "-")
	t, err := time.Parse(stampLayout, stamp)
	return t, err == nil
}

// New starts the record of a run of job, launched by trigger. Its id is
// its start's Stamp and its job, so that ids sort by time.
func New(job Job, trigger Trigger) *Record {
	lastStart.Lock()
	now := time.Now().UTC().Truncate(time.Microsecond)
	if !now.After(lastStart.t) { // two runs in the same microsecond get distinct ids
		now = lastStart.t.Add(time.Microsecond)
	}
	lastStart.t = now
	lastStart.Unlock()
	return &Record{ID: Stamp(now) + "-" + string(job), Job: job, Trigger: trigger,
		Status: StatusRunning, PID: os.Getpid(), PIDStart: procStart(os.Getpid()), Started: now}
}

// lastStart is the start of the latest run made by this process.
var lastStart struct {
	sync.Mutex
	t time.Time
}

// Succeeded tells whether the run did its job (status ok).
func (r *Record) Succeeded() bool { return r.Status == StatusOK }

// dir is where run records are kept.
func dir(cfg *config.Config) string { return filepath.Join(cfg.Settings.Paths.Warehouse, "runs") }

// Path is the file of run id's record.
func Path(cfg *config.Config, id string) string { return filepath.Join(dir(cfg), id+".json") }

// Save writes r's record atomically, replacing an earlier one of the same id.
func Save(cfg *config.Config, r *Record) error {
	b, err := json.MarshalIndent(stored(cfg, r), "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir(cfg), r.ID+".json"), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// Finish closes r with the outcome err and saves it: ok when err is nil
// or only says some input was rejected, interrupted when ctx was cancelled,
// skipped when the warehouse was locked by another writer, failed otherwise.
func Finish(ctx context.Context, cfg *config.Config, r *Record, err error) error {
	r.Finished = time.Now().UTC()
	r.Status, r.Error = StatusOK, ""
	switch {
	case err == nil, errors.Is(err, ingest.ErrRejected):
	case errors.Is(err, warehouse.ErrLocked):
		r.Status, r.Error = StatusSkipped, err.Error()
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		r.Status, r.Error = StatusInterrupted, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		r.Status, r.Error = StatusFailed, "timed out: "+err.Error()
	default:
		r.Status, r.Error = StatusFailed, err.Error()
	}
	return Save(cfg, r)
}

// validID matches run ids: the name of a record, never a path.
var validID = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[a-z]+$`)

// ErrNotFound is returned (wrapped) by Read for an id with no record.
var ErrNotFound = errors.New("no such run")

// Read reads the record of run id.
func Read(cfg *config.Config, id string) (*Record, error) {
	if !validID.MatchString(id) {
		return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	r, err := read(filepath.Join(dir(cfg), id+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if err == nil {
		resolve(cfg, r)
	}
	return r, err
}

// Remove removes the record of run id; one already gone is no error.
func Remove(cfg *config.Config, id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	err := os.Remove(Path(cfg, id))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func read(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("run record %s: %w", path, err)
	}
	if r.ID == "" { // a record written before ids: its file name is its id
		r.ID = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	if r.Job == "" {
		r.Job = Job(r.ID[strings.LastIndex(r.ID, "-")+1:])
	}
	return &r, nil
}

// List reads the run records of job ("" for all), newest first, at most
// limit of them (0: all).
func List(cfg *config.Config, job Job, limit int) ([]*Record, error) {
	var out []*Record
	err := Each(cfg, job, func(r *Record) bool {
		out = append(out, r)
		return limit == 0 || len(out) < limit
	})
	return out, err
}

// Last returns the newest record of job that matches keep, or nil.
func Last(cfg *config.Config, job Job, keep func(*Record) bool) (*Record, error) {
	var found *Record
	err := Each(cfg, job, func(r *Record) bool {
		if keep(r) {
			found = r
		}
		return found == nil
	})
	return found, err
}

// LastWorkbook returns the record of the newest nightly run that wrote a
// workbook (succeeded, with a report, not UnchangedSince another), or nil:
// the workbook whose delivery by mail matters now. An older workbook's
// failed delivery is superseded by it.
func LastWorkbook(cfg *config.Config) (*Record, error) {
	return Last(cfg, JobRun, func(r *Record) bool { return r.Succeeded() && r.Report != "" && r.UnchangedSince == "" })
}

// Each calls visit with the records of job ("" for all), newest first,
// one at a time, until visit returns false: a long history costs only a
// directory listing and the records read.
func Each(cfg *config.Config, job Job, visit func(*Record) bool) error {
	pattern := "*.json"
	if job != "" {
		pattern = "*-" + string(job) + ".json"
	}
	names, err := filepath.Glob(filepath.Join(dir(cfg), pattern))
	if err != nil {
		return err
	}
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		r, err := read(names[i])
		if errors.Is(err, os.ErrNotExist) { // replaced by a writer
			continue
		}
		if err != nil {
			return err
		}
		resolve(cfg, r)
		if !visit(r) {
			return nil
		}
	}
	return nil
}

// MarkDead marks as interrupted the records left "running" by a
// process that no longer exists (killed, or its machine restarted), and
// returns how many it marked.
func MarkDead(cfg *config.Config) (int, error) {
	runs, err := List(cfg, "", 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range runs {
		if r.Status != StatusRunning || alive(r.PID, r.PIDStart) {
			continue
		}
		r.Status, r.Error = StatusInterrupted, fmt.Sprintf("its process (pid %d) ended before the run finished", r.PID)
		if err := Save(cfg, r); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// alive tells whether process pid, started at start (procStart's), still
// runs. A pid that exists but started at another time is another process:
// the run's died. Records written before start times were kept (start "")
// and systems without /proc are judged by the pid alone.
func alive(pid int, start string) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if now := procStart(pid); start != "" && now != "" && now != start {
		return false
	}
	return true
}
