package daemon

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
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

// tokenCookie carries the API token for the page, set by /login.
const tokenCookie = "offshore_token"

// CheckListen refuses to serve the API on an address other hosts can reach
// without a token.
func CheckListen(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port such as 127.0.0.1:8080: %v", addr, err)
	}
	if token != "" || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--listen %q is reachable from other hosts and no API token is set: set OFFSHORE_API_TOKEN (or schedule.api_token), or listen on 127.0.0.1", addr)
}

// Handler serves /healthz and /metrics to anyone, and the API and the
// analysts' page to holders of token (to anyone when token is empty, which
// CheckListen allows on loopback only). A known path asked with another
// method gets 405 with Allow (net/http's patterns).
func (d *Daemon) Handler(token string) http.Handler {
	a := &auth{token: token, d: d}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", d.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.metrics.reg, promhttp.HandlerOpts{}))
	mux.Handle("GET /api/runs", a.api(d.listRuns))
	mux.Handle("GET /api/runs/{id}", a.api(d.getRun))
	mux.Handle("GET /api/runs/{id}/charts/{name}", a.api(d.getChart))
	mux.Handle("POST /api/forecasts", a.api(d.postForecast))
	mux.Handle("GET /api/reports/latest", a.api(d.latestReport))
	mux.Handle("GET /{$}", a.page(d.pageHome))
	mux.Handle("GET /runs/{id}", a.page(d.pageRun))
	mux.Handle("POST /forecasts", a.page(d.pageLaunch))
	d.routeWorkbench(mux, a) // /ask, /api/ask[.csv|.xlsx|.png|.svg], /sectors/{code}, /regions/{name}, /static/
	mux.HandleFunc("GET /login", a.loginForm)
	mux.HandleFunc("POST /login", a.login)
	return mux
}

// auth checks the bearer token, or the page's cookie, in constant time.
type auth struct {
	token string
	d     *Daemon
}

func (a *auth) ok(r *http.Request) bool {
	if a.token == "" {
		return true
	}
	got, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !found {
		if c, err := r.Cookie(tokenCookie); err == nil {
			got = c.Value
		}
	}
	return a.equal(got)
}

// equal compares digests, so that neither the content nor the length of
// the token leaks through timing.
func (a *auth) equal(got string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(a.token))
	return got != "" && subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

func (a *auth) api(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ok(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="offshore"`)
			msg := "missing token: send Authorization: Bearer <OFFSHORE_API_TOKEN>"
			if r.Header.Get("Authorization") != "" {
				msg = "wrong token"
			}
			writeError(w, http.StatusUnauthorized, msg)
			return
		}
		h(w, r)
	})
}

func (a *auth) page(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ok(r) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r) {
			http.Error(w, "cross-site form refused", http.StatusForbidden)
			return
		}
		h(w, r)
	})
}

// sameOrigin refuses forms posted from another site (the cookie is
// SameSite=Strict too).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return o == ""
	}
	return strings.TrimPrefix(strings.TrimPrefix(o, "https://"), "http://") == r.Host
}

func (a *auth) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if !sameOrigin(r) || !a.equal(r.PostFormValue("token")) {
		a.d.render(w, http.StatusUnauthorized, "login", map[string]any{"Title": "Connexion", "Failed": true})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: a.token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *auth) loginForm(w http.ResponseWriter, r *http.Request) {
	a.d.render(w, http.StatusOK, "login", map[string]any{"Title": "Connexion"})
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
// run failed or it is overdue.
func (d *Daemon) healthz(w http.ResponseWriter, r *http.Request) {
	h, err := d.health()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	status := http.StatusOK
	if h.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
}

func (d *Daemon) listRuns(w http.ResponseWriter, r *http.Request) {
	limit := 50
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit is %q; want a number from 1 to 1000", s))
			return
		}
		limit = n
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
			w.Header().Set("Content-Type", "image/png")
			http.ServeFile(w, r, filepath.Join(pipeline.AdHocDir(d.cfg, rec.ID), c))
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
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return q, http.StatusUnsupportedMediaType, fmt.Errorf("Content-Type is %q; want application/json", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
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
	rec, status, err := d.launch(q)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	url := "/api/runs/" + rec.ID
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": rec.ID, "status": string(rec.Status), "url": url})
}

// launch checks q and starts it as an ad-hoc forecast in the background;
// its record exists when launch returns.
func (d *Daemon) launch(req assess.Request) (*runlog.Record, int, error) {
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
// successful nightly run.
func (d *Daemon) latestReport(w http.ResponseWriter, r *http.Request) {
	path, err := d.latestReportPath()
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	f, err := os.Open(path)
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("the latest workbook %s cannot be read: %v", filepath.Base(path), err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filepath.Base(path)))
	http.ServeContent(w, r, filepath.Base(path), st.ModTime(), f)
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

// health is the answer of /healthz.
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
}

// health judges the nightly run: failing when its last finished run
// failed or was interrupted; overdue when no run has succeeded since its
// previous scheduled time and that time is more than run_timeout ago;
// failing too when the daemon gave up mailing the latest workbook (the
// ministry does not have it), until a restart's attempt or a newer
// workbook gets through.
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
	last, ok, err := d.lastRuns(j.name)
	if err != nil {
		return h, err
	}
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
	case hasPrev && (ok == nil || ok.Started.Before(prev)) && now.After(prev.Add(j.timeout)):
		h.Status, h.Reason = "overdue", fmt.Sprintf("no nightly run has succeeded since the one scheduled at %s", prev.Format(time.RFC3339))
	}
	if h.Mail, err = d.mailStatus(); err != nil {
		return h, err
	}
	if h.Status == "ok" && h.Mail.Status == "failed" {
		h.Status, h.Reason = "failing", h.Mail.reason()
	}
	return h, nil
}
