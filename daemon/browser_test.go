package daemon

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// browserServer serves d to a browser over loopback, with d's users (a
// browser logs in through /login).
func browserServer(t *testing.T, d *Daemon) *httptest.Server {
	t.Helper()
	h, err := d.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestPageInChromium is an analyst's session in headless Chromium, driven
// through the DevTools protocol against a server with users: the login
// page, a wrong password and the right one; on /ask, a BPO what-if for
// 2030 filled in and sent from the form, its answer with its three fan
// charts loaded, the French CSV downloaded by its link; a sector's page in
// English; the logout, after which the old session opens nothing.
// Screenshots of each page are kept in $OFFSHORE_SCREENSHOTS when set.
func TestPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: Chromium takes a few seconds")
	}
	start := time.Now()
	step := func(what string) { t.Logf("%5.1f s  %s", time.Since(start).Seconds(), what) }
	b := startChromium(t) // skips here without Chromium
	step("Chromium started, page attached")
	// An analyst, with the password withUsers gives (password("amina")).
	cfg := benchWorkdir(t)
	withUsers(t, cfg, map[string]Role{"amina": RoleAnalyst})
	srv := browserServer(t, newDaemon(t, cfg))
	step("server with users started")
	path := func() string { return b.text("location.pathname + location.search") }
	htmlOf := func() string { return b.text("document.documentElement.outerHTML") }

	// Without a session the workbench sends the browser to the login.
	b.navigate(srv.URL + "/ask")
	if p := path(); p != "/login" {
		t.Fatalf("/ask without a session landed on %s; want /login", p)
	}
	if h1 := b.text(`document.querySelector("h1").textContent`); h1 != "Connexion" {
		t.Errorf("login page's title: %q", h1)
	}
	b.screenshot("login.png")
	login := func(user, password string) {
		t.Helper()
		b.submit(`(() => {
			document.querySelector("form.login #user").value = `+jsString(user)+`;
			document.querySelector("form.login #password").value = `+jsString(password)+`;
			document.querySelector("form.login button[type=submit]").click();
		})()`, "the login form's answer")
	}
	login("amina", "wrong-password")
	if p, msg := path(), b.text(`document.querySelector("p.error")?.textContent ?? ""`); p != "/login" || msg != "Nom ou mot de passe incorrect." {
		t.Errorf("wrong password: on %s, error %q", p, msg)
	}
	if kept := b.text(`document.querySelector("form.login #user").value`); kept != "amina" {
		t.Errorf("after a wrong password the name field holds %q; want the name typed, amina", kept)
	}
	b.screenshot("login-wrong-password.png")
	login("amina", password("amina"))
	if p := path(); p != "/" {
		t.Fatalf("login landed on %s; want /", p)
	}
	if who := b.text(`document.querySelector("nav form.logout span")?.textContent ?? ""`); who != "amina (analyst)" {
		t.Errorf("the home page's nav shows %q; want the user, amina (analyst)", who)
	}
	// The session's cookie: random, HttpOnly (no script reads it), Strict.
	var cookies struct {
		Cookies []struct {
			Name, Value, SameSite string
			HTTPOnly              bool `json:"httpOnly"`
		}
	}
	b.decode(b.browser("Storage.getCookies", nil), &cookies)
	session := ""
	for _, c := range cookies.Cookies {
		if c.Name == sessionCookie {
			session = c.Value
			if !c.HTTPOnly || c.SameSite != "Strict" || len(c.Value) < 32 {
				t.Errorf("session cookie: HttpOnly %v, SameSite %q, %d characters", c.HTTPOnly, c.SameSite, len(c.Value))
			}
		}
	}
	if session == "" {
		t.Fatalf("no %s cookie after the login: %+v", sessionCookie, cookies)
	}
	if dc := b.text("document.cookie"); strings.Contains(dc, session) {
		t.Errorf("a script reads the session cookie: %q", dc)
	}
	b.screenshot("home.png")
	step("logged in (wrong password refused first)")

	// The form, as Chromium built it, filled in: BPO, jobs, 2030, a target
	// of 40 000 written the French way, the growth needed and the best
	// year; sent by its button, as a person does.
	b.navigate(srv.URL + "/ask?lang=fr")
	var fields []string
	b.eval(`[...document.querySelectorAll("form.ask input[name], form.ask select[name]")].map(e => e.name)`, &fields)
	for _, f := range []string{"sector", "region", "metric", "horizon", "target", "as_of", "what_if", "model", "lang"} {
		if !slices.Contains(fields, f) {
			t.Fatalf("the form has no field %q: %v", f, fields)
		}
	}
	var filled struct {
		Values  map[string][]string
		Valid   bool
		Invalid []string
	}
	b.eval(`(() => {
		const f = document.querySelector("form.ask");
		const set = (name, v) => { f.elements[name].value = v; };
		set("sector", "BPO"); set("region", ""); set("metric", "jobs"); set("horizon", "2030");
		set("target", "40 000"); set("as_of", ""); set("model", "");
		for (const c of f.querySelectorAll("input[name=what_if]")) c.checked = ["required", "best"].includes(c.value);
		const values = {};
		for (const [k, v] of new FormData(f)) (values[k] ??= []).push(v);
		const invalid = [...f.elements].filter(e => !e.checkValidity()).map(e => e.name + ": " + e.validationMessage);
		return {values, valid: f.checkValidity(), invalid};
	})()`, &filled)
	want := map[string][]string{"sector": {"BPO"}, "metric": {"jobs"}, "horizon": {"2030"}, "target": {"40 000"}, "what_if": {"required", "best"}, "lang": {"fr"}}
	for k, v := range want {
		if !slices.Equal(filled.Values[k], v) {
			t.Errorf("the form sends %s=%q; want %q", k, filled.Values[k], v)
		}
	}
	if !filled.Valid {
		t.Fatalf("the browser refuses the form: %v", filled.Invalid)
	}
	b.screenshot("ask-form.png")
	b.submit(`document.querySelector("form.ask #submit").click()`, "the answer to BPO 2030")
	q, err := url.ParseQuery(strings.TrimPrefix(b.text("location.search"), "?"))
	if err != nil || b.text("location.pathname") != "/ask" || q.Get("sector") != "BPO" || q.Get("horizon") != "2030" || !slices.Equal(q["what_if"], []string{"required", "best"}) {
		t.Errorf("the form went to %s", path())
	}
	step("BPO 2030 asked and answered")
	dom := htmlOf()
	for _, want := range []string{"Emplois — BPO, 2030", "Croissance nécessaire", "Comme sa meilleure année", "\u202f%"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the answer's page lacks %q", want)
		}
	}
	// Each fan chart is an image the server draws, loaded by the browser
	// with the session's cookie (the load event waited for them).
	var imgs []struct {
		Src      string
		Complete bool
		Width    int
	}
	b.eval(`[...document.querySelectorAll(".figures img")].map(i => ({src: i.getAttribute("src"), complete: i.complete, width: i.naturalWidth}))`, &imgs)
	if len(imgs) != 3 {
		t.Errorf("%d charts on the page, want 3 (forecast, growth needed, best year)", len(imgs))
	}
	for _, img := range imgs {
		if !img.Complete || img.Width == 0 || !strings.HasPrefix(img.Src, "/api/ask.png?") {
			t.Errorf("chart %s: loaded %v, %d pixels wide", img.Src, img.Complete, img.Width)
		}
	}
	shot := b.screenshot("ask-bpo-2030.png")

	// The French CSV, downloaded by a click on its link.
	href := b.text(`document.querySelector("#csv-fr")?.getAttribute("href") ?? ""`)
	if href == "" {
		t.Fatal("no French CSV link on the page")
	}
	name, csv := b.download(`document.querySelector("#csv-fr").click()`)
	if !strings.HasSuffix(name, ".csv") || !bytes.HasPrefix(csv, []byte("\ufeffscenario;period;")) || !bytes.Contains(csv, []byte("\nbest;2030Q4;false;")) || !regexp.MustCompile(`;\d+,\d+;`).Match(csv) {
		t.Errorf("French CSV %q:\n%s", name, csv[:min(400, len(csv))])
	}
	step("French CSV downloaded: " + name)

	// A sector's page in English: its exports, yearly, with the official
	// target absent (none is set on ITO) and the series year by year.
	b.navigate(srv.URL + "/sectors/ITO?metric=exports&lang=en")
	sector := htmlOf()
	for _, want := range []string{"Export revenue — ITO", "no target", "The series, year by year", " MDH"} {
		if !strings.Contains(sector, want) {
			t.Errorf("the ITO page in English lacks %q", want)
		}
	}
	b.screenshot("sector-ito-exports-en.png")

	// The logout button of the nav ends the session: the browser is back
	// on the login page, and the old cookie, put back, opens nothing.
	b.submit(`document.querySelector("nav form.logout button").click()`, "the logout")
	if p := path(); p != "/login" {
		t.Errorf("the logout landed on %s; want /login", p)
	}
	b.screenshot("logged-out.png")
	b.navigate(srv.URL + "/ask?sector=BPO")
	if p := path(); p != "/login" {
		t.Errorf("/ask after the logout shows %s; want the login", p)
	}
	u, _ := url.Parse(srv.URL)
	b.browser("Storage.setCookies", map[string]any{"cookies": []map[string]any{{"name": sessionCookie, "value": session,
		"domain": u.Hostname(), "path": "/", "httpOnly": true, "sameSite": "Strict"}}})
	b.navigate(srv.URL + "/ask?sector=BPO")
	if p := path(); p != "/login" {
		t.Errorf("/ask with the logged-out session's cookie shows %s; want the login", p)
	}
	// The page's CSP (default-src 'none') forbids a script's fetch: the
	// CSV is asked for by the address bar.
	if code := b.status(srv.URL + href); code != http.StatusUnauthorized {
		t.Errorf("the CSV with the logged-out session's cookie: %d; want 401", code)
	}
	step("logged out")
	t.Logf("screenshots: %s (set OFFSHORE_SCREENSHOTS=DIR to keep them)", filepath.Dir(shot))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSpace(b.String())
}
