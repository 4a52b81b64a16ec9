package daemon

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

//go:embed templates/*.html
var templateFiles embed.FS

// statusName names a status in lang: French as the workbook
// (pipeline.StatusName; a secret one "s (secret statistique)"), or English
// as the JSON has it with spaces ("on track").
func statusName(lang string, s forecast.Status) string {
	switch {
	case lang == "en":
		return strings.ReplaceAll(string(s), "_", " ")
	case s == assess.StatusSecret:
		return "s (secret statistique)"
	}
	return pipeline.StatusName("fr", s)
}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"status": statusName,
	"jobs": func(lang string) []struct {
		ID    runlog.Job
		Label string
	} {
		t := words[lang]
		return []struct {
			ID    runlog.Job
			Label string
		}{{"", t["jobs_all"]}, {runlog.JobRun, t["jobs_run"]}, {runlog.JobIngest, t["jobs_ingest"]}, {runlog.JobForecast, t["jobs_forecast"]}}
	},
	"pct":   locale.Probability,
	"deref": func(p *float64) float64 { return *p },
	"when":  func(t time.Time) string { return t.Format("2006-01-02 15:04:05") }, // replaced per daemon: in its time zone
	"duration": func(r *runlog.Record) string {
		if r.Finished.IsZero() {
			return ""
		}
		return r.Finished.Sub(r.Started).Round(time.Millisecond).String()
	},
	// As the workbook's sentences: persons, and amounts in milliards
	// of MAD with one decimal, in the page's language ("98 685",
	// "9,5 Md MAD" in French).
	"amount": func(lang string, v float64, metric domain.Metric) string {
		if metric == domain.MetricJobs {
			return locale.Persons(lang, v)
		}
		return locale.Md(lang, v)
	},
	// withLang hands a sub-template its data (R) with the page's language
	// (L) and words (T).
	"withLang": func(lang string, r any) map[string]any { return map[string]any{"L": lang, "T": words[lang], "R": r} },
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

// pageLang is a page's language, from ?lang= or the cookie (French by
// default), with its words (T) and the link to the same page in the other
// language (V.LangLink), as the layout's navigation shows them.
func pageLang(w http.ResponseWriter, r *http.Request) map[string]any {
	lng := lang(w, r)
	q := r.URL.Query()
	q.Del("lang")
	return map[string]any{"Lang": lng, "T": words[lng], "V": langLink{Path: r.URL.Path, Query: q.Encode(), Lang: lng}}
}

// langLink is a page's path and query, for the link to its other language.
type langLink struct{ Path, Query, Lang string }

// LangLink is the page in the other language.
func (l langLink) LangLink() string {
	return askView{Path: l.Path, Query: l.Query, Lang: l.Lang}.LangLink()
}

// pageHome shows the last official assessments, the form to launch an
// ad-hoc forecast and the run history.
func (d *Daemon) pageHome(w http.ResponseWriter, r *http.Request) {
	d.home(w, r, http.StatusOK, "")
}

// home renders the home page in r's language; r's ?job= ("" for all)
// filters the run history; msg is an error to show ("" for none).
func (d *Daemon) home(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := pageLang(w, r)
	data["V"] = langLink{Path: "/", Query: data["V"].(langLink).Query, Lang: data["Lang"].(string)} // also after a POST /forecasts
	job := runlog.Job(r.URL.Query().Get("job"))
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
	maps.Copy(data, map[string]any{"Title": words[data["Lang"].(string)]["home"], "Error": msg, "Last": last, "Runs": runs, "Job": job, "Mail": mail.text(data["Lang"].(string), d.when),
		"TargetSets": d.cfg.Targets.Sets, "Sectors": sectors, "Models": forecast.ModelNames(),
		"Metrics": domain.TargetMetrics})
	d.render(w, status, "home", data)
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
		mail = stateOf(rec).text(lang(w, r), d.when)
	}
	data := pageLang(w, r)
	maps.Copy(data, map[string]any{"Title": words[data["Lang"].(string)]["run"] + " " + rec.ID, "Run": rec, "Mail": mail, "Refresh": rec.Status == runlog.StatusRunning})
	d.render(w, http.StatusOK, "run", data)
}

// pageLaunch launches the form's forecast and shows its page.
func (d *Daemon) pageLaunch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		t := words[lang(w, r)]
		d.home(w, r, http.StatusBadRequest, t["form_unreadable"]+t["colon"]+err.Error())
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
		lng := lang(w, r)
		d.home(w, r, status, words[lng]["not_launched"]+words[lng]["colon"]+errorText(err, lng))
		return
	}
	infoOf(r).set(func(i *reqInfo) { i.run = rec.ID })
	http.Redirect(w, r, "/runs/"+rec.ID, http.StatusSeeOther)
}
