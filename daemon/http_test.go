package daemon

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// token is the legacy API token of the tests: at least 32 characters.
const token = "s3cret-token-of-the-tests-0123456789abcdef"

// server starts a real HTTP server on the daemon's handler.
func server(t *testing.T, d *Daemon) *httptest.Server {
	t.Helper()
	h, err := d.Handler(token)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// call sends a request with the token (or auth as given: "" for none) and
// returns the status and body.
func call(t *testing.T, method, u, auth, contentType, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

func TestCheckListen(t *testing.T) {
	for _, tt := range []struct {
		addr      string
		protected bool
		ok        bool
	}{
		{"127.0.0.1:8080", false, true}, {"localhost:8080", false, true}, {"[::1]:0", false, true},
		{"0.0.0.0:8080", false, false}, {":8080", false, false}, {"10.1.2.3:80", false, false},
		{"0.0.0.0:8080", true, true}, {"nonsense", true, false},
	} {
		if err := CheckListen(tt.addr, tt.protected); (err == nil) != tt.ok {
			t.Errorf("CheckListen(%q, %v) = %v", tt.addr, tt.protected, err)
		}
	}
}

func TestAPIAuth(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	srv := server(t, newDaemon(t, cfg))
	for _, tt := range []struct {
		auth string
		want int
	}{{"", 401}, {"wrong", 401}, {token + "x", 401}, {token, 200}} {
		code, h, body := call(t, "GET", srv.URL+"/api/runs", tt.auth, "", "")
		if code != tt.want {
			t.Errorf("token %q: %d %s, want %d", tt.auth, code, body, tt.want)
		}
		if code == 401 && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 without a WWW-Authenticate: Bearer header")
		}
	}
	for _, p := range []string{"/api/runs/20261127T000000.000000Z-run", "/api/reports/latest", "/"} {
		if code, _, _ := call(t, "GET", srv.URL+p, "", "", ""); code != 401 && code != 303 {
			t.Errorf("GET %s without a token: %d", p, code)
		}
	}
	if code, _, _ := call(t, "POST", srv.URL+"/api/forecasts", "", "application/json", "{}"); code != 401 {
		t.Errorf("POST /api/forecasts without a token: %d", code)
	}
	if code, h, _ := call(t, "GET", srv.URL+"/api/forecasts", token, "", ""); code != 405 || h.Get("Allow") != "POST" {
		t.Errorf("GET /api/forecasts: %d, Allow %q; want 405, POST", code, h.Get("Allow"))
	}
	// /healthz and /metrics need none
	for _, p := range []string{"/healthz", "/metrics"} {
		if code, _, _ := call(t, "GET", srv.URL+p, "", "", ""); code == 401 {
			t.Errorf("GET %s asks for a token", p)
		}
	}
}

func TestForecastRequestsRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	srv := server(t, newDaemon(t, cfg))
	for _, tt := range []struct {
		name, contentType, body string
		code                    int
		msg                     string
	}{
		{"malformed", "application/json", `{"as_of": `, 400, "malformed JSON"},
		{"not an object", "application/json", `[1, 2]`, 400, "JSON array"},
		{"unknown field", "application/json", `{"asof": "2017Q4"}`, 400, `unknown field "asof"`},
		{"wrong type", "application/json", `{"sectors": "CRM"}`, 400, "field sectors is a JSON string; want a list of strings"},
		{"two objects", "application/json", `{} {}`, 400, "more than one JSON value"},
		{"empty", "application/json", ``, 400, "empty body"},
		{"huge", "application/json", `{"as_of": "` + strings.Repeat("x", 1<<20) + `"}`, 413, "request body over"},
		{"form", "application/x-www-form-urlencoded", `as_of=2017Q4`, 415, "want application/json"},
		{"bad as-of", "application/json", `{"as_of": "Q4 2017"}`, 400, `as_of is "Q4 2017"`},
		{"as-of after the data", "application/json", `{"as_of": "2030Q1"}`, 400, "after the latest quarter with returns, 2017Q4"},
		{"as-of after the data, within the years", "application/json", `{"as_of": "2026Q1"}`, 400, "after the latest quarter with returns, 2017Q4"},
		{"bad sector", "application/json", `{"sectors": ["CRM", "XYZ"]}`, 400, `sectors is "XYZ"`},
		{"bad metric", "application/json", `{"metrics": ["salaries"]}`, 400, `metrics is "salaries"`},
		{"bad model", "application/json", `{"model": "prophet"}`, 400, `model is "prophet"`},
		{"bad scenario", "application/json", `{"scenario": "boom"}`, 400, `scenario is "boom"`},
		{"bad set", "application/json", `{"target_set": "nope"}`, 400, `target_set is "nope"`},
	} {
		code, _, body := call(t, "POST", srv.URL+"/api/forecasts", token, tt.contentType, tt.body)
		var e struct{ Error string }
		json.Unmarshal(body, &e)
		if code != tt.code || !strings.Contains(e.Error, tt.msg) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, code, body, tt.code, tt.msg)
		}
	}
	if rs := runs(t, cfg, runlog.JobForecast); len(rs) != 0 {
		t.Errorf("refused requests left %d run records", len(rs))
	}
}

// An ad-hoc forecast answers 202 with its id, its result comes at
// /api/runs/{id} with fan charts, and the official outbox is untouched.
func TestAdHocForecastThroughTheAPI(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	srv := server(t, d)
	outbox := func() []string { n, _ := filepath.Glob(filepath.Join(cfg.Settings.Paths.Outbox, "*")); return n }
	before := outbox()
	code, h, body := call(t, "POST", srv.URL+"/api/forecasts", token, "application/json",
		`{"as_of": "2017Q3", "target_set": "pai-2016-2020", "sectors": ["ALL"], "metrics": ["jobs"], "model": "auto", "scenario": "gap-filled"}`)
	if code != 202 {
		t.Fatalf("POST: %d %s", code, body)
	}
	var acc struct{ ID, Status, URL string }
	json.Unmarshal(body, &acc)
	if acc.ID == "" || h.Get("Location") != "/api/runs/"+acc.ID || acc.Status != string(runlog.StatusRunning) {
		t.Fatalf("202 body %s, Location %q", body, h.Get("Location"))
	}
	var rec runlog.Record
	waitFor(t, 30*time.Second, "the forecast to finish", func() bool {
		code, _, body := call(t, "GET", srv.URL+"/api/runs/"+acc.ID, token, "", "")
		if code != 200 {
			t.Fatalf("GET run: %d %s", code, body)
		}
		json.Unmarshal(body, &rec)
		return rec.Status != runlog.StatusRunning
	})
	if !rec.Succeeded() || rec.Trigger != runlog.TriggerAPI || rec.AsOf.String() != "2017Q3" || len(rec.Results) != 1 {
		t.Fatalf("result: %+v", rec)
	}
	as := rec.Results[0].Assessments
	if len(as) == 0 {
		t.Fatalf("no assessments: %+v", rec.Results[0])
	}
	for _, a := range as {
		if a.Sector != "ALL" || a.Metric != "jobs" {
			t.Errorf("assessment %s on %s/%s, want only ALL/jobs", a.TargetID, a.Sector, a.Metric)
		}
	}
	if rec.Request == nil || rec.Request.Scenario != "gap-filled" || len(rec.Charts) != len(as) {
		t.Errorf("request %+v, charts %v", rec.Request, rec.Charts)
	}
	code, h, png := call(t, "GET", srv.URL+"/api/runs/"+acc.ID+"/charts/"+rec.Charts[0], token, "", "")
	if code != 200 || h.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("chart: %d %s %q", code, h.Get("Content-Type"), png[:min(8, len(png))])
	}
	for _, bad := range []string{"../../offshore.yaml", "x.png"} {
		if code, _, _ := call(t, "GET", srv.URL+"/api/runs/"+acc.ID+"/charts/"+url.PathEscape(bad), token, "", ""); code != 404 {
			t.Errorf("chart %q: %d, want 404", bad, code)
		}
	}
	if got := outbox(); len(got) != len(before) {
		t.Errorf("an ad-hoc forecast wrote into the outbox: %v → %v", before, got)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/api/runs/20991231T000000.000000Z-run", token, "", ""); code != 404 {
		t.Errorf("unknown run: %d", code)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/api/runs/..%2F..%2Fetc", token, "", ""); code != 404 {
		t.Errorf("path in a run id: %d", code)
	}
}

// After a nightly run: /healthz is 200, /metrics has its figures and
// /api/reports/latest sends its workbook. After a failed one, /healthz is 503.
func TestHealthMetricsAndLatestReport(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	d.now = func() time.Time { return midyear } // months after the yearly run was due
	srv := server(t, d)
	code, _, body := call(t, "GET", srv.URL+"/healthz", "", "", "")
	if code != 503 || !strings.Contains(string(body), "overdue") {
		t.Errorf("healthz before any run (the yearly run was due on January 1st): %d %s", code, body)
	}
	if code, _, _ := call(t, "GET", srv.URL+"/api/reports/latest", token, "", ""); code != 404 {
		t.Errorf("latest report before any run: %d", code)
	}
	rec := d.execute(d.jobs[0], runlog.TriggerCron)
	if !rec.Succeeded() {
		t.Fatalf("run: %+v", rec)
	}
	code, _, body = call(t, "GET", srv.URL+"/healthz", "", "", "")
	if code != 200 || !strings.Contains(string(body), `"status": "ok"`) {
		t.Errorf("healthz after a run: %d %s", code, body)
	}
	code, h, xlsx := call(t, "GET", srv.URL+"/api/reports/latest", token, "", "")
	if code != 200 || !strings.HasPrefix(string(xlsx), "PK") || !strings.Contains(h.Get("Content-Disposition"), filepath.Base(rec.Report)) {
		t.Errorf("latest report: %d %q", code, h.Get("Content-Disposition"))
	}
	if want, _ := os.ReadFile(rec.Report); string(want) != string(xlsx) {
		t.Error("latest report differs from the run's workbook")
	}
	_, _, metrics := call(t, "GET", srv.URL+"/metrics", "", "", "")
	for _, want := range []string{`offshore_job_last_success_timestamp_seconds{job="run"}`, `offshore_job_last_duration_seconds{job="run"}`,
		`offshore_job_runs_total{job="run",status="ok"} 1`, `offshore_ingest_files_total{result="accepted"}`, `offshore_target_p_meet{metric="jobs",sector="ALL"`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// a failing nightly run
	os.WriteFile(filepath.Join(cfg.Settings.Paths.Warehouse, "catalog.json"), []byte("{not json"), 0o644)
	if rec := d.execute(d.jobs[0], runlog.TriggerCron); rec.Status != runlog.StatusFailed {
		t.Fatalf("run on a broken catalog: %+v", rec)
	}
	code, _, body = call(t, "GET", srv.URL+"/healthz", "", "", "")
	if code != 503 || !strings.Contains(string(body), "failing") {
		t.Errorf("healthz after a failed run: %d %s", code, body)
	}
	// the metrics of a new daemon come from the records
	_, _, metrics = call(t, "GET", server(t, newDaemonStarted(t, cfg)).URL+"/metrics", "", "", "")
	if !strings.Contains(string(metrics), `offshore_job_last_success_timestamp_seconds{job="run"}`) {
		t.Error("a restarted daemon forgot the last success")
	}
}

func newDaemonStarted(t *testing.T, cfg *config.Config) *Daemon {
	d := newDaemon(t, cfg)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPage(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	srv := server(t, d)
	rec := d.execute(d.jobs[0], runlog.TriggerCron)
	// A quarter in collection, as the nightly run records it, is on the page.
	notice := "T1 2019 en cours de collecte : 37 % des déclarants attendus, 41 % des effectifs du trimestre précédent ; échéance le 15/05/2019 ; déclarations encore dues par filière : CRM 3"
	rec.Official.Notices = []string{notice}
	// A target the confidentiality rule hides is hidden on the page and in
	// the API as in the workbook.
	var crm assess.Assessment
	for _, a := range rec.Results[0].Assessments {
		if a.Sector == "CRM" {
			crm = a
		}
	}
	if crm.TargetID == "" {
		t.Fatal("no CRM target in the run")
	}
	rec.Confidential = []string{rec.Results[0].TargetSet + "/" + crm.TargetID}
	if err := runlog.Save(cfg, rec); err != nil {
		t.Fatal(err)
	}
	code, _, body := call(t, "GET", srv.URL+"/api/runs/"+rec.ID, token, "", "")
	var served struct {
		Results []struct {
			Assessments []map[string]any `json:"assessments"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &served); code != 200 || err != nil || len(served.Results) == 0 {
		t.Fatalf("/api/runs/{id}: %d %v", code, err)
	}
	for _, a := range served.Results[0].Assessments {
		_, latest := a["latest"]
		_, pMeet := a["p_meet"]
		if a["target_id"] == crm.TargetID && (latest || pMeet || a["secret"] != true) {
			t.Errorf("/api/runs/{id} does not hide the confidential CRM target: %v", a)
		}
	}
	// without the cookie: the login page
	if code, h, _ := call(t, "GET", srv.URL+"/", "", "", ""); code != 303 || h.Get("Location") != "/login" {
		t.Errorf("page without a token: %d %q", code, h.Get("Location"))
	}
	if code, _, _ := call(t, "POST", srv.URL+"/login", "", "application/x-www-form-urlencoded", "password=nope"); code != 401 {
		t.Errorf("login with a wrong token: %d", code)
	}
	code, h, _ := call(t, "POST", srv.URL+"/login", "", "application/x-www-form-urlencoded", "password="+token)
	cookie := h.Get("Set-Cookie")
	if code != 303 || !strings.Contains(cookie, sessionCookie+"=") || strings.Contains(cookie, token) || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("login: %d %q", code, cookie)
	}
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Cookie", strings.Split(cookie, ";")[0])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	code, home := get("/")
	if !strings.Contains(home, html.EscapeString(notice)) {
		t.Error("the home page does not show the quarter in collection")
	}
	if i := strings.Index(home, html.EscapeString(crm.Label)); i < 0 {
		t.Error("the home page does not list the CRM target")
	} else if row, _, _ := strings.Cut(home[i:], "</tr>"); !strings.Contains(row, "secret statistique") || strings.Contains(row, "%") {
		t.Errorf("the home page does not hide the confidential CRM target: %s", row)
	}
	for _, want := range []string{"Dernière évaluation officielle", "<form", `name="as_of"`, "/api/reports/latest", "En bonne voie|À risque|Hors trajectoire|Atteint", "<script"} {
		found := false
		for _, alt := range strings.Split(want, "|") {
			found = found || strings.Contains(home, alt)
		}
		if want == "<script" {
			found = !found
		}
		if code != 200 || !found {
			t.Errorf("home page (%d): %q wrong", code, want)
		}
	}
	// ?lang=en: the same page in English, numbers the English way.
	if code, en := get("/?lang=en"); code != 200 || !strings.Contains(en, "Latest official assessment") || !strings.Contains(en, "Run history") ||
		!regexp.MustCompile(`on track|at risk|off track|met`).MatchString(en) || strings.Contains(en, "Hors trajectoire") || strings.Contains(en, "Md MAD") {
		t.Errorf("home page in English (%d) is not in English", code)
	}
	// the form launches a forecast and leads to its page
	form := url.Values{"csrf": {csrfOf(t, home)}, "as_of": {"2017Q4"}, "target_set": {"pai-2016-2020"}, "sectors": {"ALL"}, "model": {"auto"}, "scenario": {"reported"}}
	req, _ := http.NewRequest("POST", srv.URL+"/forecasts", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", strings.Split(cookie, ";")[0])
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/runs/") {
		t.Fatalf("form: %d %q", res.StatusCode, loc)
	}
	var page string
	waitFor(t, 30*time.Second, "the run page to show the result", func() bool {
		_, page = get(loc)
		return !strings.Contains(page, `http-equiv="refresh"`)
	})
	if !strings.Contains(page, "<img src=\"/api/runs/") || !strings.Contains(page, "P(atteinte)") {
		t.Errorf("run page without the result:\n%s", page)
	}
	// the history filters by job
	for job, other := range map[string]string{"run": "forecast", "forecast": "run"} {
		if _, page := get("/?job=" + job); !strings.Contains(page, "-"+job+"</a>") || strings.Contains(page, "-"+other+"</a>") {
			t.Errorf("history of %s runs: shows none, or %s runs", job, other)
		}
	}
	// a form posted from another site is refused
	req, _ = http.NewRequest("POST", srv.URL+"/forecasts", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", strings.Split(cookie, ";")[0])
	req.Header.Set("Origin", "https://evil.example")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 403 {
		t.Errorf("cross-site form: %v %v", res.StatusCode, err)
	}
}
