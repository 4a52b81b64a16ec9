package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// maxBody bounds a request body: a forecast request is a few hundred bytes.
const maxBody = 64 << 10

// CheckListen refuses to serve on an address other hosts can reach when
// nobody needs to log in (protected false: no user and no token).
func CheckListen(addr string, protected bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port such as 127.0.0.1:8080: %v", addr, err)
	}
	if protected || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--listen %q is reachable from other hosts and nobody needs to log in: add users (offshore user add NAME --role viewer|analyst|admin), or listen on 127.0.0.1", addr)
}

// Handler serves, to requests whose Host is allowed
// (schedule.allowed_hosts): /healthz, /metrics, the style sheet and the
// login to anyone; the API and the analysts' page to the users of
// schedule.users_file by role, and to the holder of token (the legacy
// schedule.api_token, an admin; "" for none). With no user and no token,
// to anyone connected on loopback. Every response carries the security
// headers; a state-changing request from another origin is refused, and
// every state-changing request is written to the audit file. A known path
// asked with another method gets 405 with Allow (net/http's patterns).
func (d *Daemon) Handler(token string) (http.Handler, error) {
	a, err := newAuthn(d.cfg, token, d.log)
	if err != nil {
		return nil, err
	}
	a.render = d.render
	d.auth = a
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", d.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.metrics.reg, promhttp.HandlerOpts{}))
	mux.Handle("GET /static/offshore.css", static())
	mux.Handle("GET /api/health", a.api(RoleViewer, d.healthDetail))
	mux.Handle("GET /api/runs", a.api(RoleViewer, d.listRuns))
	mux.Handle("GET /api/runs/{id}", a.api(RoleViewer, d.getRun))
	mux.Handle("GET /api/runs/{id}/charts/{name}", a.api(RoleViewer, d.getChart))
	mux.Handle("POST /api/forecasts", a.api(RoleAnalyst, d.postForecast))
	mux.Handle("GET /api/reports/latest", a.api(RoleViewer, d.latestReport))
	mux.Handle("POST /api/jobs/{job}", a.api(RoleAdmin, d.postJob))
	mux.Handle("GET /api/audit", a.api(RoleAdmin, d.getAudit))
	mux.Handle("GET /{$}", a.page(RoleViewer, d.pageHome))
	mux.Handle("GET /runs/{id}", a.page(RoleViewer, d.pageRun))
	mux.Handle("POST /forecasts", a.page(RoleAnalyst, d.pageLaunch))
	d.routeWorkbench(mux, a) // /ask, /api/ask[.csv|.xlsx|.png|.svg], /sectors/{code}, /regions/{name}
	mux.HandleFunc("GET /login", a.loginForm)
	mux.HandleFunc("POST /login", a.login)
	mux.Handle("GET /logout", a.page(RoleViewer, a.logoutForm))
	mux.Handle("POST /logout", a.page(RoleViewer, a.logout))
	h := crossOrigin(mux)
	h = hosts{allowed: lower(d.cfg.Settings.Schedule.AllowedHosts)}.check(h)
	h = maxBodies(h)
	h = d.audit.audited(h)
	return secureHeaders(h), nil
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// writeError writes {"error": msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// healthz answers 200 when the nightly run is healthy, 503 when its last
// run failed or it is overdue, or its workbook was not delivered: a
// status and a sentence, without paths, pids or error texts (it needs no
// login; /api/health has the details). It reads no run record but the
// latest workbook's: the runs' state is kept in memory.
func (d *Daemon) healthz(w http.ResponseWriter, r *http.Request) {
	h, err := d.health()
	if err != nil {
		d.log.Error("health not judged", "err", err)
		writeJSON(w, http.StatusInternalServerError, publicHealth{Status: "unknown", Reason: "the service cannot read its run records; its log says why"})
		return
	}
	writeJSON(w, h.code(), h.public())
}

// healthDetail is /healthz with the last run, the reasons' error texts and
// the mail's details, behind the login.
func (d *Daemon) healthDetail(w http.ResponseWriter, r *http.Request) {
	h, err := d.health()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, h.code(), h)
}

// queryLimit is the request's ?limit= (def when absent), from 1 to 1000;
// ok is false, and a 400 written, when it is anything else.
func queryLimit(w http.ResponseWriter, r *http.Request, def int) (limit int, ok bool) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("limit is %q; want a number from 1 to 1000", s))
		return 0, false
	}
	return n, true
}

func (d *Daemon) listRuns(w http.ResponseWriter, r *http.Request) {
	limit, ok := queryLimit(w, r, 50)
	if !ok {
		return
	}
	job := runlog.Job(r.URL.Query().Get("job"))
	if job != "" && job != runlog.JobRun && job != runlog.JobIngest && job != runlog.JobForecast {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("job is %q; want run, ingest or forecast", job))
		return
	}
	runs, err := runlog.List(d.cfg, job, limit)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	for i, r := range runs {
		runs[i] = r.Published() // coverage shares as the notices print them
		runs[i].Results = nil   // the list stays small; GET /api/runs/{id} has them
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": runs})
}

func (d *Daemon) getRun(w http.ResponseWriter, r *http.Request) {
	rec, err := runlog.Read(d.cfg, r.PathValue("id"))
	switch {
	case errors.Is(err, runlog.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusOK, rec.Published()) // confidential assessments masked, as in the workbook
	}
}

func (d *Daemon) getChart(w http.ResponseWriter, r *http.Request) {
	rec, err := runlog.Read(d.cfg, r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	name := r.PathValue("name")
	for _, c := range rec.Charts {
		if c == name {
			// inside warehouse/adhoc/<id>/, through no link; a PNG
			rel, err := d.inFolder(d.cfg.Settings.Paths.Warehouse, filepath.Join(pipeline.AdHocDir(d.cfg, rec.ID), c))
			if err != nil || path.Ext(c) != ".png" {
				d.log.Warn("chart refused", "run", rec.ID, "chart", c, "err", err)
				break
			}
			d.serveInside(w, r, d.cfg.Settings.Paths.Warehouse, rel, false)
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("run %s has no chart %q", rec.ID, name))
}

// errBusy and errStopping refuse a forecast: too many running, or the
// daemon is stopping.
var (
	errBusy     = errors.New("too many ad-hoc forecasts running: try again in a minute")
	errStopping = errors.New("the service is stopping")
)

// decodeForecast reads a forecast request from a JSON body, with a message
// naming what is wrong and the HTTP status to answer.
func decodeForecast(w http.ResponseWriter, r *http.Request) (q assess.Request, status int, err error) {
	if err := jsonBody(r); err != nil {
		return q, http.StatusUnsupportedMediaType, err
	}
	dec := json.NewDecoder(r.Body) // bounded by maxBodies
	dec.DisallowUnknownFields()
	err = dec.Decode(&q)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("data after the JSON object")
		}
	}
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return q, 0, nil
	case errors.As(err, &tooLarge):
		return q, http.StatusRequestEntityTooLarge, fmt.Errorf("request body over %d bytes", tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return q, http.StatusBadRequest, errors.New("empty body; want a JSON object such as {\"as_of\": \"2017Q4\"} or {}")
	case errors.As(err, &syntax):
		return q, http.StatusBadRequest, fmt.Errorf("malformed JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ) && typ.Field == "":
		return q, http.StatusBadRequest, fmt.Errorf("the body is a JSON %s; want a JSON object such as {\"as_of\": \"2017Q4\"}", typ.Value)
	case errors.As(err, &typ):
		return q, http.StatusBadRequest, fmt.Errorf("field %s is a JSON %s; want %s", typ.Field, typ.Value, jsonKind(typ.Type.String()))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return q, http.StatusBadRequest, fmt.Errorf("%s; want as_of, target_set, sectors, metrics, model or scenario", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return q, http.StatusBadRequest, fmt.Errorf("malformed JSON: %v", err)
	}
}

func jsonKind(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "[]string":
		return "a list of strings"
	}
	return goType
}

func (d *Daemon) postForecast(w http.ResponseWriter, r *http.Request) {
	q, status, err := decodeForecast(w, r)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	rec, status, err := d.launch(q, who(r))
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	infoOf(r).set(func(i *reqInfo) { i.run = rec.ID })
	url := "/api/runs/" + rec.ID
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": rec.ID, "status": string(rec.Status), "url": url})
}

// launch checks q and starts it as an ad-hoc forecast in the background,
// launched by by (recorded as the run's By); its record exists when
// launch returns.
func (d *Daemon) launch(req assess.Request, by string) (*runlog.Record, int, error) {
	if _, err := pipeline.CheckAsOf(d.base, d.cfg, req.AsOf); err != nil { // after the data: refused, naming the latest quarter
		if _, bad := pipeline.BadInput(err, "en"); !bad {
			return nil, http.StatusInternalServerError, err
		}
		var late *pipeline.AsOfError
		if errors.As(err, &late) {
			return nil, http.StatusBadRequest, err
		}
	}
	q, err := req.Check(d.cfg)
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	select {
	case d.adhoc <- struct{}{}:
	default:
		return nil, http.StatusTooManyRequests, errBusy
	}
	if !d.enter() {
		<-d.adhoc
		return nil, http.StatusServiceUnavailable, errStopping
	}
	rec := runlog.New(runlog.JobForecast, runlog.TriggerAPI)
	rec.By = by
	rec.Request = &q.Request
	if err := runlog.Save(d.cfg, rec); err != nil {
		<-d.adhoc
		d.wg.Done()
		return nil, http.StatusInternalServerError, err
	}
	go func() {
		defer d.wg.Done()
		defer func() { <-d.adhoc }()
		ctx, cancel := context.WithTimeout(d.base, d.cfg.Settings.Schedule.ForecastTimeout)
		defer cancel()
		log := d.log.With("job", rec.Job, "run", rec.ID, "trigger", rec.Trigger)
		log.Info("ad-hoc forecast started", "request", q.Request)
		err := d.protect(ctx, rec, func(ctx context.Context, rec *runlog.Record) error {
			return pipeline.AdHoc(ctx, d.cfg, q, rec, log)
		})
		d.metrics.observe(rec)
		log.Info("ad-hoc forecast ended", "status", rec.Status, "err", err)
	}()
	return rec, 0, nil
}

// latestReport sends the newest official workbook: the report of the last
// successful nightly run, if its record names a file inside the outbox.
func (d *Daemon) latestReport(w http.ResponseWriter, r *http.Request) {
	path, err := d.latestReportPath()
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	outbox := d.cfg.Settings.Paths.Outbox
	rel, err := d.inFolder(outbox, path)
	if err != nil {
		d.log.Warn("workbook refused: its run record names a file outside the outbox", "path", path)
		writeError(w, http.StatusNotFound, "the last run's workbook is not in the outbox")
		return
	}
	d.serveInside(w, r, outbox, rel, true)
}

func (d *Daemon) latestReportPath() (string, error) {
	rec, err := runlog.Last(d.cfg, runlog.JobRun, func(r *runlog.Record) bool { return r.Succeeded() && r.Report != "" })
	if err != nil {
		return "", err
	}
	if rec == nil {
		return "", errors.New("no nightly run has written a workbook yet")
	}
	return rec.Report, nil
}

// postJob runs a scheduled job (run or ingest) now, launched by an admin:
// 202 with the run's id; its record is at /api/runs/<id> once it starts
// (skipped if the same job is running).
func (d *Daemon) postJob(w http.ResponseWriter, r *http.Request) {
	name := runlog.Job(r.PathValue("job"))
	var j *job
	for _, x := range d.jobs {
		if x.name == name {
			j = x
		}
	}
	if j == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("job %q: want run or ingest (the ingest only when schedule.ingest is set)", name))
		return
	}
	rec := runlog.New(j.name, runlog.TriggerAPI)
	rec.By = who(r)
	if !d.enter() {
		writeError(w, http.StatusServiceUnavailable, errStopping.Error())
		return
	}
	go func() {
		defer d.wg.Done()
		d.executeRecord(j, rec)
	}()
	infoOf(r).set(func(i *reqInfo) { i.run = rec.ID })
	url := "/api/runs/" + rec.ID
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": rec.ID, "url": url})
}

// jsonBody refuses a body that is not declared JSON: a form or text/plain
// is what another site's page can send without asking.
func jsonBody(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return fmt.Errorf("Content-Type is %q; want application/json", ct)
	}
	return nil
}

// health is the answer of /api/health; public, of /healthz.
type health struct {
	Status        string         `json:"status"` // ok, failing or overdue
	Reason        string         `json:"reason,omitempty"`
	LastRun       *runlog.Record `json:"last_run,omitempty"`
	LastSuccess   *time.Time     `json:"last_success,omitempty"`
	PreviousSlot  time.Time      `json:"previous_scheduled"`
	NextSlot      time.Time      `json:"next_scheduled"`
	Running       []string       `json:"running,omitempty"`
	ClockWarnings []string       `json:"clock_warnings,omitempty"`
	// Mail is the delivery of the latest workbook by mail (report.mail).
	Mail *mailState `json:"mail"`

	// publicReason is Reason without error texts, names or paths.
	publicReason string
}

// publicHealth is what /healthz tells anyone: the verdict, a sentence,
// the schedule, and the mail's state without its workbook, error or
// recipients.
type publicHealth struct {
	Status        string      `json:"status"`
	Reason        string      `json:"reason,omitempty"`
	LastSuccess   *time.Time  `json:"last_success,omitempty"`
	PreviousSlot  time.Time   `json:"previous_scheduled"`
	NextSlot      time.Time   `json:"next_scheduled"`
	Running       []string    `json:"running,omitempty"`
	ClockWarnings []string    `json:"clock_warnings,omitempty"`
	Mail          *publicMail `json:"mail,omitempty"`
}

type publicMail struct {
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
}

func (h health) code() int {
	if h.Status != "ok" {
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

func (h health) public() publicHealth {
	p := publicHealth{Status: h.Status, Reason: h.publicReason, LastSuccess: h.LastSuccess, PreviousSlot: h.PreviousSlot,
		NextSlot: h.NextSlot, Running: h.Running, ClockWarnings: h.ClockWarnings}
	if h.Mail != nil {
		p.Mail = &publicMail{Status: h.Mail.Status, Attempts: h.Mail.Attempts, NextAttempt: h.Mail.NextAttempt, SentAt: h.Mail.SentAt}
	}
	return p
}

// health judges the nightly run: failing when its last finished run
// failed or was interrupted; overdue when no run has succeeded since its
// previous scheduled time and that time is more than run_timeout ago;
// failing too when the daemon gave up mailing the latest workbook (the
// ministry does not have it), until a restart's attempt or a newer
// workbook gets through. It takes the runs from memory (runState), and
// reads one record at most: the latest workbook's, for its mail.
func (d *Daemon) health() (health, error) {
	j := d.jobs[0]
	now := d.now().In(d.loc)
	h := health{Status: "ok", NextSlot: j.sched.Next(now), ClockWarnings: d.clockWarnings}
	prev, hasPrev := previous(j.sched, now)
	h.PreviousSlot = prev
	for _, jj := range d.jobs {
		if jj.running.Load() {
			h.Running = append(h.Running, string(jj.name))
		}
	}
	last, ok := d.state.runs()
	if last != nil {
		l := *last
		// No figure without a token: neither the assessments nor the
		// as-of's coverage (the API has them, through the gate).
		l.Results, l.Official, l.Confidential, l.Delivery = nil, nil, nil, nil // the recipients too: see Mail
		h.LastRun = &l
	}
	if ok != nil {
		h.LastSuccess = &ok.Finished
	}
	switch {
	case last != nil && !last.Succeeded():
		h.Status, h.Reason = "failing", fmt.Sprintf("the last nightly run (%s) %s: %s", last.ID, last.Status, last.Error)
		h.publicReason = fmt.Sprintf("the last nightly run, started %s, %s; its record, behind the login, says why", last.Started.Format(time.RFC3339), last.Status)
	case hasPrev && (ok == nil || ok.Started.Before(prev)) && now.After(prev.Add(j.timeout)):
		h.Status, h.Reason = "overdue", fmt.Sprintf("no nightly run has succeeded since the one scheduled at %s", prev.Format(time.RFC3339))
		h.publicReason = h.Reason
	}
	var err error
	if h.Mail, err = d.mailStatus(); err != nil {
		return h, err
	}
	if h.Status == "ok" && h.Mail.Status == "failed" {
		h.Status, h.Reason = "failing", h.Mail.reason()
		h.publicReason = fmt.Sprintf("the latest workbook was not delivered by mail after %d attempts; fix report.mail (or the server) and restart offshore schedule", h.Mail.Attempts)
	}
	return h, nil
}
