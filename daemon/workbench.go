package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline"
)

// The analysts' workbench: questions to the warehouse (pipeline.Ask) on a
// page (GET /ask), as JSON (GET /api/ask) and as downloads (download.go);
// a page per sector and per region. Every answer is computed on request
// from the warehouse, read without the writers' lock; nothing is written.

// langCookie remembers the language asked with ?lang=.
const langCookie = "offshore_lang"

// askSlots bounds the questions answered at once: each fits a few models
// on a two-core machine shared with the nightly run.
var askSlots = make(chan struct{}, 2)

// askTimeout bounds one answer.
const askTimeout = time.Minute

// routeWorkbench adds the workbench's routes to mux, behind a's checks.
func (d *Daemon) routeWorkbench(mux *http.ServeMux, a *authn) {
	mux.Handle("GET /api/ask", a.api(RoleViewer, d.apiAsk))
	for _, ext := range []string{"csv", "xlsx", "png", "svg"} {
		mux.Handle("GET /api/ask."+ext, a.api(RoleViewer, d.download(ext)))
	}
	mux.Handle("GET /ask", a.page(RoleViewer, d.pageAsk))
	mux.Handle("GET /sectors/{code}", a.page(RoleViewer, d.pageSector))
	mux.Handle("GET /regions/{name}", a.page(RoleViewer, d.pageRegion))
}

// lang is the reader's language: ?lang=fr|en (remembered in a cookie for a
// year), else the cookie's, else French.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		if w != nil {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secureRequest(r)})
		}
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "fr" || c.Value == "en") {
		return c.Value
	}
	return "fr"
}

// question reads a question from a URL's query: sector, region, metric,
// horizon, target, as_of, what_if (repeated or comma-separated), model.
// A target may be written the French way ("40 000", "26,5").
func question(v url.Values) (pipeline.Question, error) {
	q := pipeline.Question{Sector: v.Get("sector"), Region: v.Get("region"), Metric: domain.Metric(v.Get("metric")),
		AsOf: v.Get("as_of"), Model: v.Get("model")}
	e := &pipeline.QuestionError{}
	if s := strings.TrimSpace(v.Get("horizon")); s != "" {
		h, err := strconv.Atoi(s)
		if err != nil {
			e.Problems = append(e.Problems, pipeline.FieldProblem{Field: "horizon", Value: s,
				En: fmt.Sprintf("horizon is %q; want a year such as 2030", s), Fr: fmt.Sprintf("l'horizon « %s » n'est pas une année (2030)", s)})
		}
		q.Horizon = h
	}
	if s := strings.TrimSpace(v.Get("target")); s != "" {
		clean := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(s)
		t, err := strconv.ParseFloat(clean, 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			e.Problems = append(e.Problems, pipeline.FieldProblem{Field: "target", Value: s,
				En: fmt.Sprintf("target is %q; want a number such as 40000", s), Fr: fmt.Sprintf("la cible « %s » n'est pas un nombre (40 000)", s)})
		}
		q.Target = &t
	}
	for _, w := range v["what_if"] {
		for _, x := range strings.Split(w, ",") {
			if x = strings.TrimSpace(x); x != "" {
				q.WhatIfs = append(q.WhatIfs, x)
			}
		}
	}
	if len(e.Problems) > 0 {
		return q, e
	}
	return q, nil
}

// errAskBusy refuses a question while askSlots are all taken.
var errAskBusy = errors.New("too many questions being answered: try again in a minute")

// answer answers q within askTimeout, in one of askSlots; status is the
// HTTP status of a failure: 400 for the analyst's mistakes
// (pipeline.BadInput gives their text in each language).
func (d *Daemon) answer(ctx context.Context, q pipeline.Question) (*pipeline.Answer, int, error) {
	key, _ := json.Marshal(q)
	if a := d.answers.get(string(key), d.now()); a != nil {
		return a, 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	select {
	case askSlots <- struct{}{}:
		defer func() { <-askSlots }()
	case <-ctx.Done():
		return nil, http.StatusServiceUnavailable, errAskBusy
	}
	a, err := pipeline.Ask(ctx, d.cfg, q, d.log.With("job", "ask"))
	switch _, bad := pipeline.BadInput(err, "en"); {
	case err == nil:
		d.answers.put(string(key), a, d.now())
		return a, 0, nil
	case bad:
		return nil, http.StatusBadRequest, err
	case errors.Is(err, context.DeadlineExceeded):
		return nil, http.StatusServiceUnavailable, err
	}
	return nil, http.StatusInternalServerError, err
}

// answerCache keeps the workbench's recent answers for answerTTL: a
// page's charts (one request each) and its downloads come right after the
// page and ask the same question, which refits every series. Any job the
// daemon runs empties it (it may have changed the warehouse); an ingest by
// another process shows within answerTTL. Answers are only read once made.
type answerCache struct {
	mu sync.Mutex
	m  map[string]cachedAnswer
}

type cachedAnswer struct {
	a  *pipeline.Answer
	at time.Time
}

const (
	answerTTL     = time.Minute
	answerEntries = 32 // at most; past that, the expired go, then all
)

func (c *answerCache) get(key string, now time.Time) *pipeline.Answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok && now.Sub(e.at) < answerTTL {
		return e.a
	}
	return nil
}

func (c *answerCache) put(key string, a *pipeline.Answer, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= answerEntries {
		maps.DeleteFunc(c.m, func(_ string, e cachedAnswer) bool { return now.Sub(e.at) >= answerTTL })
	}
	if c.m == nil || len(c.m) >= answerEntries {
		c.m = map[string]cachedAnswer{}
	}
	c.m[key] = cachedAnswer{a: a, at: now}
}

func (c *answerCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// errorText is err in lang: the analyst's mistakes in their language, the
// others as they are.
func errorText(err error, lng string) string {
	if text, bad := pipeline.BadInput(err, lng); bad {
		return text
	}
	if errors.Is(err, errAskBusy) && lng != "en" {
		return "trop de questions en cours : réessayez dans une minute"
	}
	return err.Error()
}

// apiAsk answers GET /api/ask?… as JSON.
func (d *Daemon) apiAsk(w http.ResponseWriter, r *http.Request) {
	q, err := question(r.URL.Query())
	if err != nil {
		writeAskError(w, http.StatusBadRequest, err)
		return
	}
	a, status, err := d.answer(r.Context(), q)
	if err != nil {
		writeAskError(w, status, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// writeAskError answers err with status as JSON: {"error": English,
// "erreur": French}, and for a question's mistakes the problems by field.
func writeAskError(w http.ResponseWriter, status int, err error) {
	body := map[string]any{"error": errorText(err, "en"), "erreur": errorText(err, "fr")}
	var qe *pipeline.QuestionError
	if errors.As(err, &qe) {
		body["problems"] = qe.Problems
	}
	writeJSON(w, status, body)
}

// askView is what the ask page's template reads: the answer and the
// language's words and number formats.
type askView struct {
	Lang    string
	T       map[string]string
	Q       pipeline.Question
	A       *pipeline.Answer
	Error   string
	Query   string // the question as a query string, for the download links
	Path    string // the page's path
	Sectors []string
	Regions []string
	Metrics []domain.Metric
	WhatIfs []string
	Models  []string
	First   int
	Last    int
}

// Num writes v in the view's language with decimals digits.
func (v askView) Num(x *float64, decimals int) string {
	if x == nil {
		return "–"
	}
	return locale.Number(v.Lang, *x, decimals)
}

// Amount writes a figure of the answer's metric: persons, or MDH.
func (v askView) Amount(x *float64) string { return v.A.Amount(v.Lang, x) }

// Prob writes a probability ("25 %", "< 1 %"), "–" without one.
func (v askView) Prob(p *float64) string {
	if p == nil {
		return "–"
	}
	return locale.Probability(v.Lang, *p)
}

// Rate writes an annual growth rate ("6,5 % par an").
func (v askView) Rate(g *float64) string {
	if g == nil {
		return "–"
	}
	return locale.Percent(v.Lang, *g, 1) + v.T["per_year"]
}

// Period writes a quarter ("2019Q1", a domain.Period or its text) as the
// workbook does in French ("T1 2019"); a year is left as it is.
func (v askView) Period(p any) string {
	text := fmt.Sprint(p)
	q, err := domain.ParsePeriod(text)
	if err != nil || v.Lang == "en" {
		return text
	}
	return pipeline.PeriodName("fr", q)
}

// Metric names m.
func (v askView) Metric(m domain.Metric) string { return pipeline.MetricName(v.Lang, m) }

// WhatIf names a what-if.
func (v askView) WhatIf(name string) string { return pipeline.WhatIfName(v.Lang, name) }

// Status names a status.
func (v askView) Status(s forecast.Status) string {
	if s == "" {
		return ""
	}
	return statusName(v.Lang, s)
}

// Asked reports whether the question asks for what-if w.
func (v askView) Asked(w string) bool { return slices.Contains(v.Q.WhatIfs, w) }

// YearValue writes row's value of m: persons, or MDH for amounts.
func (v askView) YearValue(row pipeline.YearRow, m domain.Metric) string {
	x := row.Values[m]
	if x == nil {
		return "–"
	}
	if m == domain.MetricExports || m == domain.MetricInvestment {
		return locale.MDH(v.Lang, *x)
	}
	return locale.Persons(v.Lang, *x)
}

// Link is the URL of a download of the answer: ext csv, xlsx, png or svg,
// with extra query parameters (sep=, what-if=).
func (v askView) Link(ext string, extra ...string) string {
	u := "/api/ask." + ext + "?" + v.Query
	for i := 0; i+1 < len(extra); i += 2 {
		u += "&" + url.QueryEscape(extra[i]) + "=" + url.QueryEscape(extra[i+1])
	}
	return u
}

// Outcomes are the answer's forecast then its what-ifs.
func (v askView) Outcomes() []pipeline.Outcome {
	if v.A == nil {
		return nil
	}
	return append([]pipeline.Outcome{v.A.Base}, v.A.WhatIfs...)
}

// LangLink is the current page in the other language.
func (v askView) LangLink() string {
	path := v.Path
	other := "en"
	if v.Lang == "en" {
		other = "fr"
	}
	if v.Query == "" {
		return path + "?lang=" + other
	}
	return path + "?" + v.Query + "&lang=" + other
}

// view builds the page's view of q and its answer (or error).
func (d *Daemon) view(lng, path string, q pipeline.Question, query url.Values) askView {
	first, last := pipeline.Horizons(d.cfg)
	var regions []string
	for _, r := range d.cfg.Mappings.Regions {
		regions = append(regions, r.Name)
	}
	query.Del("lang")
	return askView{Lang: lng, T: words[lng], Q: q, Query: query.Encode(), Path: path, Sectors: append([]string{domain.National}, d.cfg.Mappings.SectorCodes()...),
		Regions: regions, Metrics: domain.Metrics, WhatIfs: []string{"required", "best", "worst", "collecting"},
		Models: forecast.ModelNames(), First: first, Last: last}
}

// pageAsk shows the question form and, when asked (any parameter), the
// answer: a summary, one fan chart per what-if, the table, the downloads.
func (d *Daemon) pageAsk(w http.ResponseWriter, r *http.Request) {
	lng := lang(w, r)
	vals := r.URL.Query()
	q, err := question(vals)
	v := d.view(lng, r.URL.Path, q, vals)
	status := http.StatusOK
	asked := len(vals) > 0 && !(len(vals) == 1 && vals.Has("lang"))
	if err != nil {
		v.Error, status = errorText(err, lng), http.StatusBadRequest
	} else if asked {
		a, st, err := d.answer(r.Context(), q)
		if err != nil {
			v.Error, status = errorText(err, lng), st
		} else {
			v.A, v.Q = a, a.Question
		}
	}
	d.renderView(w, status, "ask", v.T["ask_title"], v)
}

// pageSector is the page of a sector (or ALL, the nation): its series year
// by year and the forecast of its jobs to the farthest horizon.
func (d *Daemon) pageSector(w http.ResponseWriter, r *http.Request) {
	vals := r.URL.Query()
	vals.Set("sector", r.PathValue("code"))
	vals.Del("region")
	r.URL.RawQuery = vals.Encode()
	d.pageAsk(w, r)
}

// pageRegion is the page of a region: its series and forecast.
func (d *Daemon) pageRegion(w http.ResponseWriter, r *http.Request) {
	vals := r.URL.Query()
	vals.Set("region", r.PathValue("name"))
	vals.Del("sector")
	r.URL.RawQuery = vals.Encode()
	d.pageAsk(w, r)
}

// renderView renders a workbench page.
func (d *Daemon) renderView(w http.ResponseWriter, status int, name, title string, v askView) {
	d.render(w, status, name, map[string]any{"Title": title, "Lang": v.Lang, "V": v, "T": v.T})
}
