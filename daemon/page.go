package daemon

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

//go:embed templates/*.html
var templateFiles embed.FS

var statusFR = map[forecast.Status]string{forecast.StatusMet: "Atteint", forecast.StatusOnTrack: "En bonne voie", forecast.StatusAtRisk: "À risque", forecast.StatusOffTrack: "Hors trajectoire",
	assess.StatusAchieved: "Atteinte", assess.StatusNotAchieved: "Non atteinte", assess.StatusSecret: "s (secret statistique)"}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"status": func(s forecast.Status) string {
		if v, ok := statusFR[s]; ok {
			return v
		}
		return string(s)
	},
	"jobs": func() []struct {
		ID    runlog.Job
		Label string
	} {
		return []struct {
			ID    runlog.Job
			Label string
		}{{"", "toutes"}, {runlog.JobRun, "nocturnes"}, {runlog.JobIngest, "ingestions"}, {runlog.JobForecast, "prévisions"}}
	},
	"pct":   func(p float64) string { return locale.Probability("fr", p) },
	"deref": func(p *float64) float64 { return *p },
	"when":  func(t time.Time) string { return t.Format("2006-01-02 15:04:05") }, // replaced per daemon: in its time zone
	"duration": func(r *runlog.Record) string {
		if r.Finished.IsZero() {
			return ""
		}
		return r.Finished.Sub(r.Started).Round(time.Millisecond).String()
	},
	// As the workbook's sentences: persons, and amounts in milliards
	// of MAD with one decimal, French separators ("98 685", "9,5 Md MAD").
	"amount": func(v float64, metric domain.Metric) string {
		if metric == domain.MetricJobs {
			return locale.Persons("fr", v)
		}
		return locale.Md("fr", v)
	},
}).ParseFS(templateFiles, "templates/*.html"))

// pagesIn returns the pages showing times in loc (whenIn).
func pagesIn(loc *time.Location) *template.Template {
	return template.Must(pages.Clone()).Funcs(template.FuncMap{"when": whenIn(loc)})
}

// whenIn writes a time as the pages do, in loc (the schedule's time zone).
func whenIn(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05 MST") }
}

// when writes t as the pages do, in the schedule's time zone.
func (d *Daemon) when(t time.Time) string { return whenIn(d.loc)(t) }

// render writes the page name (a template file without .html) with status.
func (d *Daemon) render(w http.ResponseWriter, status int, name string, data map[string]any) {
	sessionData(w, data) // the user and the CSRF token the forms send
	var b bytes.Buffer
	if err := d.pages.ExecuteTemplate(&b, name+".html", data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// pageHome shows the last official assessments, the form to launch an
// ad-hoc forecast and the run history.
func (d *Daemon) pageHome(w http.ResponseWriter, r *http.Request) {
	d.home(w, http.StatusOK, runlog.Job(r.URL.Query().Get("job")), "")
}

// home renders the home page; job ("" for all) filters the run history.
func (d *Daemon) home(w http.ResponseWriter, status int, job runlog.Job, msg string) {
	if job != runlog.JobRun && job != runlog.JobIngest && job != runlog.JobForecast {
		job = ""
	}
	last, err := runlog.Last(d.cfg, runlog.JobRun, (*runlog.Record).Succeeded)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	last = last.Published() // confidential assessments masked, as in the workbook
	runs, err := runlog.List(d.cfg, job, 30)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sectors := append([]string{domain.National}, d.cfg.Mappings.SectorCodes()...)
	mail, err := d.mailStatus()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	d.render(w, status, "home", map[string]any{"Title": "Accueil", "Error": msg, "Last": last, "Runs": runs, "Job": job, "Mail": mail.text(d.when),
		"TargetSets": d.cfg.Targets.Sets, "Sectors": sectors, "Models": forecast.ModelNames(),
		"Metrics": domain.TargetMetrics})
}

// pageRun shows one run; while it runs, the page reloads itself every two
// seconds (a meta refresh: no JavaScript).
func (d *Daemon) pageRun(w http.ResponseWriter, r *http.Request) {
	rec, err := runlog.Read(d.cfg, r.PathValue("id"))
	if errors.Is(err, runlog.ErrNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rec = rec.Published()
	mail := ""
	if rec.Delivery != nil {
		mail = stateOf(rec).text(d.when)
	}
	d.render(w, http.StatusOK, "run", map[string]any{"Title": "Exécution " + rec.ID, "Run": rec, "Mail": mail, "Refresh": rec.Status == runlog.StatusRunning})
}

// pageLaunch launches the form's forecast and shows its page.
func (d *Daemon) pageLaunch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		d.home(w, http.StatusBadRequest, "", "Formulaire illisible : "+err.Error())
		return
	}
	var metrics []domain.Metric
	for _, m := range r.PostForm["metrics"] {
		metrics = append(metrics, domain.Metric(m))
	}
	q := assess.Request{AsOf: r.PostForm.Get("as_of"), TargetSet: r.PostForm.Get("target_set"),
		Sectors: r.PostForm["sectors"], Metrics: metrics, Model: r.PostForm.Get("model"), Scenario: r.PostForm.Get("scenario")}
	rec, status, err := d.launch(q, who(r))
	if err != nil {
		d.home(w, status, "", "Prévision non lancée : "+errorText(err, "fr"))
		return
	}
	http.Redirect(w, r, "/runs/"+rec.ID, http.StatusSeeOther)
}
