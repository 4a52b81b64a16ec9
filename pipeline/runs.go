package pipeline

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

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/release"
	"github.com/offshore-ma/offshore/pipeline/series"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Jobs and triggers of run records.
const (
	JobRun      = "run"      // the nightly job: ingest, compaction, forecast, report
	JobIngest   = "ingest"   // ingest alone (the scheduler's frequent job)
	JobForecast = "forecast" // an assessment: `offshore forecast` or an ad-hoc API forecast

	TriggerCLI     = "cli"      // a command typed or run by a plain crontab
	TriggerCron    = "cron"     // the scheduler, at a scheduled time
	TriggerCatchUp = "catch-up" // the scheduler at start-up, for a scheduled time it missed
	TriggerAPI     = "api"      // POST /api/forecasts
)

// Statuses of run records. A run that finished but quarantined some input
// is "ok" with Ingest.Rejected > 0: it did its job.
const (
	StatusRunning     = "running"
	StatusOK          = "ok"
	StatusFailed      = "failed"
	StatusSkipped     = "skipped"     // not started: the same job or another writer was still running
	StatusInterrupted = "interrupted" // stopped by a shutdown, or its process died
)

// RunSummary is the record of one run, kept as warehouse/runs/<id>.json:
// written when the run starts (status running) and replaced when it ends.
// release.AsOf and Cutoff say what it knew: the quarter assessed and the instant
// after which received returns were ignored (for a run without --as-of, its
// start: everything received so far); CatalogSeq is the warehouse commit it
// read.
type RunSummary struct {
	ID      string `json:"id"`
	Job     string `json:"job"`
	Trigger string `json:"trigger"`
	Status  string `json:"status"`
	Error   string `json:"error,omitempty"`
	PID     int    `json:"pid,omitempty"` // the process that ran it, to tell a dead run from a live one
	// PIDStart is that process's boot and start time, so that a pid reused
	// since (pid 1 of a restarted container) is not taken for it.
	PIDStart string     `json:"pid_start,omitempty"`
	Started  time.Time  `json:"started"`
	Finished time.Time  `json:"finished"`
	AsOf     string     `json:"as_of"`
	Cutoff   *time.Time `json:"cutoff,omitempty"`
	// release.Official says which rule chose release.AsOf (forced, coverage or
	// deadline_imputed), with the quarter's coverage and the later quarters
	// still in collection.
	Official   *release.Official `json:"official,omitempty"`
	CatalogSeq int               `json:"catalog_seq"`
	TargetSets []string          `json:"target_sets,omitempty"`
	Request    *ForecastRequest  `json:"request,omitempty"` // an ad-hoc forecast's request
	Ingest     ingest.Summary    `json:"ingest"`
	Compact    *CompactSummary   `json:"compact,omitempty"`
	Report     string            `json:"report"`
	// Digest identifies the settings, targets, mappings and version a
	// nightly run used; UnchangedSince names the earlier run whose outcome
	// it kept, nothing having changed since.
	Digest         string           `json:"digest,omitempty"`
	UnchangedSince string           `json:"unchanged_since,omitempty"`
	Charts         []string         `json:"charts,omitempty"` // an ad-hoc forecast's fan charts, file names in AdHocDir
	Results        []*assess.Result `json:"results"`
	// Confidential lists the assessments ("set/target id") the
	// confidentiality rule hides, as the workbook does; Published masks them
	// in what the page and the API serve. Results keeps them whole for the
	// next run's Évolution.
	Confidential []string `json:"confidential,omitempty"`
}

// Published returns r as it may leave the warehouse (the page, the API,
// `offshore export forecasts`): a copy whose Confidential assessments are
// masked and whose coverage shares are rounded to the whole percent the
// notices print (an exact share of the previous quarter's headcount, times
// that published headcount, would give the reporters' own headcount). r is
// not modified.
func (r *RunSummary) Published() *RunSummary {
	if r == nil {
		return nil
	}
	c := *r
	c.Results = published(r.Results, r.Confidential)
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

// published returns copies of results whose assessments named in
// confidential ("set/target id") are masked; results are not modified.
func published(results []*assess.Result, confidential []string) []*assess.Result {
	out := make([]*assess.Result, len(results))
	for i, res := range results {
		cr := *res
		cr.Assessments = slices.Clone(res.Assessments)
		for j, a := range cr.Assessments {
			if slices.Contains(confidential, res.TargetSet+"/"+a.TargetID) {
				cr.Assessments[j] = a.Masked()
			}
		}
		out[i] = &cr
	}
	return out
}

// NewRun starts the record of a run of job, launched by trigger. Its id is
// its UTC start time and job, so that ids sort by time.
func NewRun(job, trigger string) *RunSummary {
	lastStart.Lock()
	now := time.Now().UTC().Truncate(time.Microsecond)
	if !now.After(lastStart.t) { // two runs in the same microsecond get distinct ids
		now = lastStart.t.Add(time.Microsecond)
	}
	lastStart.t = now
	lastStart.Unlock()
	return &RunSummary{ID: now.Format("20060102T150405.000000Z") + "-" + job, Job: job, Trigger: trigger,
		Status: StatusRunning, PID: os.Getpid(), PIDStart: procStart(os.Getpid()), Started: now}
}

// lastStart is the start of the latest run made by this process.
var lastStart struct {
	sync.Mutex
	t time.Time
}

// setAsOf records what o knew.
func (r *RunSummary) setAsOf(o *Outlook) {
	r.AsOf = o.Series.Last.String()
	off := o.Official
	r.Official = &off
	if o.AsOf.Period != 0 && o.AsOf.Period < o.Series.Last {
		r.AsOf = o.AsOf.Period.String()
	}
	c := o.AsOf.Cutoff
	if c.IsZero() {
		c = r.Started
	}
	c = c.UTC()
	r.Cutoff = &c
}

// Succeeded tells whether the run did its job (status ok).
func (r *RunSummary) Succeeded() bool { return r.Status == StatusOK }

// runsDir is where run records are kept.
func runsDir(cfg *config.Config) string { return filepath.Join(cfg.Settings.Paths.Warehouse, "runs") }

// SaveRun writes r's record atomically, replacing an earlier one of the same id.
func SaveRun(cfg *config.Config, r *RunSummary) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(runsDir(cfg), r.ID+".json"), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// FinishRun closes r with the outcome err and saves it: ok when err is nil
// or only says some input was rejected, interrupted when ctx was cancelled,
// skipped when the warehouse was locked by another writer, failed otherwise.
func FinishRun(ctx context.Context, cfg *config.Config, r *RunSummary, err error) error {
	r.Finished = time.Now().UTC()
	r.Status, r.Error = StatusOK, ""
	switch {
	case err == nil, errors.Is(err, ErrRejected):
	case errors.Is(err, warehouse.ErrLocked):
		r.Status, r.Error = StatusSkipped, err.Error()
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		r.Status, r.Error = StatusInterrupted, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		r.Status, r.Error = StatusFailed, "timed out: "+err.Error()
	default:
		r.Status, r.Error = StatusFailed, err.Error()
	}
	return SaveRun(cfg, r)
}

// validID matches run ids: the name of a record, never a path.
var validID = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[a-z]+$`)

// ErrNoRun is returned (wrapped) by ReadRun for an id with no record.
var ErrNoRun = errors.New("no such run")

// ReadRun reads the record of run id.
func ReadRun(cfg *config.Config, id string) (*RunSummary, error) {
	if !validID.MatchString(id) {
		return nil, fmt.Errorf("run %q: %w", id, ErrNoRun)
	}
	r, err := readRun(filepath.Join(runsDir(cfg), id+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("run %q: %w", id, ErrNoRun)
	}
	return r, err
}

func readRun(path string) (*RunSummary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r RunSummary
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("run record %s: %w", path, err)
	}
	if r.ID == "" { // a record written before ids: its file name is its id
		r.ID = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	if r.Job == "" {
		r.Job = r.ID[strings.LastIndex(r.ID, "-")+1:]
	}
	return &r, nil
}

// ReadRuns reads the run records of job ("" for all), newest first, at most
// limit of them (0: all).
func ReadRuns(cfg *config.Config, job string, limit int) ([]*RunSummary, error) {
	var out []*RunSummary
	err := EachRun(cfg, job, func(r *RunSummary) bool {
		out = append(out, r)
		return limit == 0 || len(out) < limit
	})
	return out, err
}

// LastRun returns the newest record of job that matches keep, or nil.
func LastRun(cfg *config.Config, job string, keep func(*RunSummary) bool) (*RunSummary, error) {
	var found *RunSummary
	err := EachRun(cfg, job, func(r *RunSummary) bool {
		if keep(r) {
			found = r
		}
		return found == nil
	})
	return found, err
}

// EachRun calls visit with the records of job ("" for all), newest first,
// one at a time, until visit returns false: a long history costs only a
// directory listing and the records read.
func EachRun(cfg *config.Config, job string, visit func(*RunSummary) bool) error {
	pattern := "*.json"
	if job != "" {
		pattern = "*-" + job + ".json"
	}
	names, err := filepath.Glob(filepath.Join(runsDir(cfg), pattern))
	if err != nil {
		return err
	}
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		r, err := readRun(names[i])
		if errors.Is(err, os.ErrNotExist) { // replaced by a writer
			continue
		}
		if err != nil {
			return err
		}
		if !visit(r) {
			return nil
		}
	}
	return nil
}

// MarkDeadRuns marks as interrupted the records left "running" by a
// process that no longer exists (killed, or its machine restarted), and
// returns how many it marked.
func MarkDeadRuns(cfg *config.Config) (int, error) {
	runs, err := ReadRuns(cfg, "", 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range runs {
		if r.Status != StatusRunning || alive(r.PID, r.PIDStart) {
			continue
		}
		r.Status, r.Error = StatusInterrupted, fmt.Sprintf("its process (pid %d) ended before the run finished", r.PID)
		if err := SaveRun(cfg, r); err != nil {
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
