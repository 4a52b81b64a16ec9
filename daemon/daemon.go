// Package daemon is the unattended service: the cron jobs (the nightly
// run and a frequent ingest) with catch-up and no overlap, the retries of
// the workbook's delivery by mail (mailLoop), and the HTTP server of
// /healthz, /metrics, the /api and the analysts' page (Serve).
//
// Every job runs behind Daemon.protect, through Daemon.execute for the
// scheduled ones (cron, catch-up at start-up) and Daemon.launch for an
// API forecast: its run record is written to warehouse/runs when it starts
// and when it ends (ok, failed, skipped or interrupted).
// A job does not start while the same job still runs (it is recorded as
// skipped: robfig/cron's SkipIfStillRunning only logs), a panic is recorded
// as a failure and the daemon goes on, and each job has its own context,
// cancelled after its timeout or at the end of a stop's grace period.
//
// The HTTP server trusts nothing it is sent (Handler): the people of the
// users file log in by role (auth*.go, session.go), every state-changing
// request is audited (audit.go), and the Host, the Origin, the body's type
// and size, the number of connections, the files served and the paths in
// run records are checked (secure*.go).
package daemon

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/robfig/cron/v3"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline"
)

// job is one scheduled job.
type job struct {
	name    runlog.Job
	spec    string
	sched   cron.Schedule
	timeout time.Duration
	// writer jobs take the daemon's writer slot: wait marks the nightly
	// run, which waits for a running ingest; an ingest is skipped while
	// the nightly run holds it.
	wait    bool
	running atomic.Bool
	fn      func(ctx context.Context, rec *runlog.Record) error
}

// Daemon runs the jobs and serves HTTP. Make it with New, then Start,
// Serve, and Stop.
type Daemon struct {
	cfg  *config.Config
	log  *slog.Logger
	loc  *time.Location
	jobs []*job // the nightly run first
	cron *cron.Cron

	// base is the parent of every job's context; cancelled when a stop's
	// grace period ends.
	base   context.Context
	cancel context.CancelFunc

	mu       sync.Mutex // guards stopping and wg.Add
	stopping bool
	wg       sync.WaitGroup // running jobs

	catchingUp sync.WaitGroup // the start-up catch-up, for tests

	writer chan struct{} // one warehouse writer job at a time in this process
	adhoc  chan struct{} // ad-hoc forecasts running at once, at most cap(adhoc)

	// mailWake wakes the mail loop (after a nightly run); mailDone is
	// closed when it ends (nil when mail is off).
	mailWake chan struct{}
	mailDone chan struct{}

	alerts        *alerter // alerts.*: told of incidents and recoveries (alert.go)
	metrics       *metrics
	state         runState     // the nightly run's latest records, for /healthz
	answers       answerCache  // the workbench's recent answers
	auth          *authn       // who may use the HTTP server (Handler)
	audit         *audit       // the state-changing requests (schedule.audit_file)
	conns         atomic.Int64 // the HTTP server's open connections
	pages         *template.Template
	clockWarnings []string // Warnings at Start
	now           func() time.Time
}

// maxAdHoc bounds the ad-hoc forecasts running at once; more get 429.
const maxAdHoc = 2

// New checks the schedule of cfg and makes a Daemon. It fails, naming the
// key, on a spec that does not parse or never fires.
func New(cfg *config.Config, log *slog.Logger) (*Daemon, error) {
	s := cfg.Settings.Schedule
	loc, err := s.Location()
	if err != nil {
		return nil, fmt.Errorf("%s: schedule.time_zone %q: %w", cfg.Sources[config.SettingsFile], s.TimeZone, err)
	}
	base, cancel := context.WithCancel(context.Background())
	d := &Daemon{cfg: cfg, log: log, loc: loc, base: base, cancel: cancel,
		writer: make(chan struct{}, 1), adhoc: make(chan struct{}, maxAdHoc), mailWake: make(chan struct{}, 1), pages: pagesIn(loc), now: time.Now}
	add := func(name runlog.Job, key, spec string, timeout time.Duration, wait bool, fn func(context.Context, *runlog.Record) error) error {
		sched, err := config.ParseCron(spec, loc)
		if err != nil {
			return fmt.Errorf("%s: %s %q: %w", cfg.Sources[config.SettingsFile], key, spec, err)
		}
		d.jobs = append(d.jobs, &job{name: name, spec: spec, sched: sched, timeout: timeout, wait: wait, fn: fn})
		return nil
	}
	if err := add(runlog.JobRun, "schedule.run", s.Run, s.RunTimeout, true, func(ctx context.Context, rec *runlog.Record) error {
		_, err := pipeline.Run(ctx, cfg, rec, log)
		return err
	}); err != nil {
		return nil, err
	}
	if s.Ingest != "" {
		if err := add(runlog.JobIngest, "schedule.ingest", s.Ingest, s.IngestTimeout, false, func(ctx context.Context, rec *runlog.Record) error {
			return pipeline.IngestInbox(ctx, cfg, rec, log)
		}); err != nil {
			return nil, err
		}
	}
	if d.metrics, err = newMetrics(d); err != nil {
		return nil, err
	}
	if err := d.metrics.reg.Register(connGauge(&d.conns)); err != nil {
		return nil, err
	}
	d.audit = &audit{path: s.AuditFile, log: log}
	if err := d.state.load(cfg); err != nil {
		return nil, err
	}
	d.alerts = newAlerter(d)
	return d, nil
}

// Warnings are the schedule's risks found at start-up: a nightly run set in
// an hour that a clock change repeats or skips in the next two years.
func (d *Daemon) Warnings() []string {
	var out []string
	for _, w := range clockChangeHits(d.jobs[0].sched, d.loc, d.now(), 2) {
		out = append(out, fmt.Sprintf("schedule.run %q fires at %s, in the hour the clocks %s in %s: the nightly run would %s that day; set it outside %s",
			d.jobs[0].spec, w.at.Format("2006-01-02 15:04"), w.change, d.loc, w.effect, w.hour))
	}
	return out
}

// Start marks the runs left "running" by a dead process as interrupted,
// starts the cron and, in the background, catches up: each job whose last
// success is older than its previous scheduled time runs once, now.
func (d *Daemon) Start() error {
	if n, err := runlog.MarkDead(d.cfg); err != nil {
		return err
	} else if n > 0 {
		d.log.Warn("runs left unfinished by a dead process marked interrupted", "runs", n)
	}
	if err := d.metrics.load(); err != nil {
		return err
	}
	if err := d.state.load(d.cfg); err != nil { // the runs just marked interrupted
		return err
	}
	d.clockWarnings = d.Warnings()
	d.cron = cron.New(cron.WithLocation(d.loc), cron.WithChain(cron.Recover(cronLogger{d.log})))
	for _, j := range d.jobs {
		d.cron.Schedule(j.sched, cron.FuncJob(func() { d.execute(j, runlog.TriggerCron) }))
	}
	d.cron.Start()
	if d.cfg.Settings.Report.Mail.Enabled() {
		d.checkMail()
		d.mailDone = make(chan struct{})
		go d.mailLoop(d.givenUp()) // read before the catch-up, which may give up a new one
	}
	if d.alerts.enabled() {
		d.alerts.done = make(chan struct{})
		go d.alerts.loop()
	}
	for _, j := range d.jobs {
		d.log.Info("job scheduled", "job", j.name, "spec", j.spec, "time_zone", d.loc.String(), "next", j.sched.Next(d.now().In(d.loc)).Format(time.RFC3339))
	}
	d.catchingUp.Add(1)
	go func() {
		defer d.catchingUp.Done()
		for _, j := range d.jobs { // in turn: the nightly run first, whose ingest may make the other's unneeded
			due, err := d.due(j)
			if err != nil {
				d.log.Error("catch-up not checked", "job", j.name, "err", err)
				continue
			}
			if due {
				d.execute(j, runlog.TriggerCatchUp)
			}
		}
	}()
	return nil
}

// due tells whether j must catch up: its last success (for the ingest, of
// an ingest or a nightly run, which ingests too) started before its
// previous scheduled time. However many times were missed, it runs once.
func (d *Daemon) due(j *job) (bool, error) {
	now := d.now().In(d.loc)
	prev, ok := previous(j.sched, now)
	if !ok {
		return false, nil
	}
	var last time.Time
	for _, name := range []runlog.Job{j.name, runlog.JobRun} {
		r, err := runlog.Last(d.cfg, name, (*runlog.Record).Succeeded)
		if err != nil {
			return false, err
		}
		if r != nil && r.Started.After(last) {
			last = r.Started
		}
	}
	if !last.Before(prev) {
		return false, nil
	}
	d.log.Info("catching up a missed run", "job", j.name, "scheduled", prev.Format(time.RFC3339), "last_success", last)
	return true, nil
}

// lastRuns returns job's newest finished run (ended ok, failed or
// interrupted: neither running nor skipped) and its newest successful one,
// in one walk of the records.
func (d *Daemon) lastRuns(job runlog.Job) (finished, succeeded *runlog.Record, err error) {
	err = runlog.Each(d.cfg, job, func(r *runlog.Record) bool {
		if finished == nil && r.Status != runlog.StatusRunning && r.Status != runlog.StatusSkipped {
			finished = r
		}
		if succeeded == nil && r.Succeeded() {
			succeeded = r
		}
		return succeeded == nil
	})
	return finished, succeeded, err
}

// previous returns the latest time at or before now at which s fires,
// looking back up to five years.
func previous(s cron.Schedule, now time.Time) (time.Time, bool) {
	for back := time.Minute; back <= 5*366*24*time.Hour; back *= 2 {
		t := s.Next(now.Add(-back))
		if t.IsZero() || t.After(now) {
			continue
		}
		for {
			n := s.Next(t)
			if n.IsZero() || n.After(now) {
				return t, true
			}
			t = n
		}
	}
	return time.Time{}, false
}

// execute runs j once, launched by trigger, and returns its record.
func (d *Daemon) execute(j *job, trigger runlog.Trigger) *runlog.Record {
	rec := runlog.New(j.name, trigger)
	if !d.enter() {
		d.log.Info("not started: the daemon is stopping", "job", j.name, "run", rec.ID, "trigger", trigger)
		return nil
	}
	defer d.wg.Done()
	return d.executeRecord(j, rec)
}

// executeRecord runs j as rec, counted in by the caller (enter).
func (d *Daemon) executeRecord(j *job, rec *runlog.Record) *runlog.Record {
	log := d.log.With("job", j.name, "run", rec.ID, "trigger", rec.Trigger)
	if rec.By != "" {
		log = log.With("by", rec.By)
	}
	if !j.running.CompareAndSwap(false, true) {
		d.skip(rec, "the previous "+string(j.name)+" run is still running", log)
		return rec
	}
	defer j.running.Store(false)
	ctx, cancel := context.WithTimeout(d.base, j.timeout)
	defer cancel()
	if !d.takeWriter(ctx, j) {
		why := "the nightly run is writing to the warehouse"
		if j.wait {
			why = "the running ingest did not end in time: " + context.Cause(ctx).Error()
		}
		d.skip(rec, why, log)
		return rec
	}
	defer func() { <-d.writer }()
	d.metrics.running.WithLabelValues(string(j.name)).Inc()
	defer d.metrics.running.WithLabelValues(string(j.name)).Dec()
	log.Info("job started")
	err := d.protect(ctx, rec, j.fn)
	d.metrics.observe(rec)
	d.state.note(rec)
	d.answers.clear() // the job may have changed the warehouse
	if j.name == runlog.JobRun {
		d.wakeMail()    // a failed delivery of its workbook is retried from now on
		d.alerts.poke() // a failure, or a recovery, is told now
	}
	if rec.Status == runlog.StatusOK {
		log.Info("job finished", "duration", rec.Finished.Sub(rec.Started).Round(time.Millisecond),
			"accepted", rec.Ingest.Accepted, "rejected", rec.Ingest.Rejected, "report", rec.Report)
	} else {
		log.Error("job did not succeed", "status", rec.Status, "err", err)
	}
	return rec
}

// protect runs fn, turning a panic into a failed record.
func (d *Daemon) protect(ctx context.Context, rec *runlog.Record, fn func(context.Context, *runlog.Record) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
			d.log.Error("job panicked", "run", rec.ID, "panic", r, "stack", string(debug.Stack()))
			rec.Status, rec.Error, rec.Finished = runlog.StatusFailed, err.Error(), time.Now().UTC()
			if serr := runlog.Save(d.cfg, rec); serr != nil {
				d.log.Error("run record not written", "run", rec.ID, "err", serr)
			}
		}
	}()
	err = fn(ctx, rec)
	if rec.Status == runlog.StatusRunning { // fn failed before it could record its end
		if ferr := runlog.Finish(ctx, d.cfg, rec, outcome(err)); ferr != nil {
			d.log.Error("run record not written", "run", rec.ID, "err", ferr)
		}
	}
	return err
}

// outcome is err, or an error saying fn returned nil without recording
// its end.
func outcome(err error) error {
	if err == nil {
		return errors.New("the job ended without recording its outcome")
	}
	return err
}

// takeWriter takes the writer slot: the nightly run waits for it (until
// its context ends), an ingest takes it only if free.
func (d *Daemon) takeWriter(ctx context.Context, j *job) bool {
	if !j.wait {
		select {
		case d.writer <- struct{}{}:
			return true
		default:
			return false
		}
	}
	select {
	case d.writer <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// skip records rec as skipped, with why.
func (d *Daemon) skip(rec *runlog.Record, why string, log *slog.Logger) {
	rec.Status, rec.Error, rec.Finished = runlog.StatusSkipped, why, time.Now().UTC()
	log.Warn("job skipped", "reason", why)
	if err := runlog.Save(d.cfg, rec); err != nil {
		log.Error("run record not written", "err", err)
	}
	d.metrics.observe(rec)
}

// enter counts a job in, unless the daemon is stopping.
func (d *Daemon) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return false
	}
	d.wg.Add(1)
	return true
}

// Stop stops starting jobs, lets the running ones finish within grace, then
// cancels them and waits for them to record their end. It returns whether
// every job finished within grace.
func (d *Daemon) Stop(grace time.Duration) bool {
	d.mu.Lock()
	d.stopping = true
	d.mu.Unlock()
	if d.cron != nil {
		d.cron.Stop()
	}
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	finished := true
	select {
	case <-done:
	case <-timer.C:
		d.log.Warn("grace period over: cancelling the running jobs", "grace", grace)
		finished = false
	}
	d.cancel()
	<-done
	if d.mailDone != nil {
		<-d.mailDone
	}
	d.audit.close() // a request still answered opens it again
	if d.alerts.done != nil {
		<-d.alerts.done
	}
	return finished
}

// cronLogger passes robfig/cron's messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

// runState is the nightly run's newest finished record, its newest
// successful one and the id of the newest that wrote a workbook: read from
// the records at New and Start, then kept as the daemon's own runs end,
// so that /healthz reads no folder (a history of a thousand failed runs
// took half a second a request). Runs made meanwhile by `offshore run`
// from a shell show at the daemon's next start.
type runState struct {
	mu                  sync.Mutex
	finished, succeeded *runlog.Record
	workbook            string
}

// load reads the state from the records.
func (s *runState) load(cfg *config.Config) error {
	var finished, succeeded, workbook *runlog.Record
	err := runlog.Each(cfg, runlog.JobRun, func(r *runlog.Record) bool {
		if finished == nil && r.Status != runlog.StatusRunning && r.Status != runlog.StatusSkipped {
			finished = r
		}
		if succeeded == nil && r.Succeeded() {
			succeeded = r
		}
		if workbook == nil && r.Succeeded() && r.Report != "" && r.UnchangedSince == "" {
			workbook = r
		}
		return succeeded == nil || workbook == nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finished, s.succeeded, s.workbook = finished, succeeded, ""
	if workbook != nil {
		s.workbook = workbook.ID
	}
	return nil
}

// note takes a run that just ended.
func (s *runState) note(r *runlog.Record) {
	if r.Job != runlog.JobRun || r.Status == runlog.StatusRunning || r.Status == runlog.StatusSkipped {
		return
	}
	c := *r
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finished = &c
	if r.Succeeded() {
		s.succeeded = &c
		if r.Report != "" && r.UnchangedSince == "" {
			s.workbook = r.ID
		}
	}
}

// runs returns the newest finished and successful nightly runs.
func (s *runState) runs() (finished, succeeded *runlog.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.finished, s.succeeded
}

// latestWorkbook returns the id of the newest run that wrote a workbook.
func (s *runState) latestWorkbook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workbook
}
