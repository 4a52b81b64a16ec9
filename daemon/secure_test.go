package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// Issue 18: each attack of the report, against a real listener.

// clock is a settable time for the sessions and the login limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// usersServer starts a daemon whose users file holds the roles; it
// returns the server, the daemon, the users' API keys and a clock that
// drives the sessions and the login limits.
func usersServer(t *testing.T, roles map[string]Role) (*httptest.Server, *Daemon, map[string]string, *clock) {
	t.Helper()
	cfg := workdir(t, "0 0 1 1 *", "0 0 1 1 *")
	keys := withUsers(t, cfg, roles)
	d := newDaemon(t, cfg)
	h, err := d.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now()}
	d.auth.now = clk.now
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, d, keys, clk
}

func password(name string) string { return name + "-password-123" }

func TestRebindingHostRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	srv := server(t, newDaemon(t, cfg))
	b := newBrowser(t, srv.URL)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, tt := range []struct {
		host string
		want int
	}{
		{"evil.example:" + port, 421}, {"evil.example", 421}, {"127.0.0.1:1", 421}, {"localhost.evil.example:" + port, 421},
		{"localhost:" + port, 200}, {"127.0.0.1:" + port, 200}, {"LOCALHOST:" + port, 200},
	} {
		for _, p := range []string{"/api/runs", "/healthz", "/"} {
			code, _, body := b.do("GET", p, nil, "Host", tt.host, "Authorization", "Bearer "+token)
			if (code == 421) != (tt.want == 421) { // /healthz is 503: no nightly run yet
				t.Errorf("GET %s with Host %s: %d %s; want %d", p, tt.host, code, body, tt.want)
			}
		}
	}
	// allowed_hosts names the proxy's name: that name passes, loopback still
	cfg.Settings.Schedule.AllowedHosts = []string{"offshore.example.ma"}
	srv = server(t, newDaemon(t, cfg))
	b = newBrowser(t, srv.URL)
	_, port, _ = net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for host, want := range map[string]int{"offshore.example.ma": 200, "offshore.example.ma:" + port: 200, "offshore.example.ma:9": 421, "localhost:" + port: 200, "evil.example": 421} {
		if code, _, _ := b.do("GET", "/healthz", nil, "Host", host); (code == 421) != (want == 421) {
			t.Errorf("allowed_hosts [offshore.example.ma], Host %s: %d; want %d", host, code, want)
		}
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	h, err := d.Handler("") // no user, no token: anyone on loopback, yet no other site
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	form := url.Values{"as_of": {"2017Q4"}}.Encode()
	for _, tt := range []struct {
		name, path, ctype, body string
		headers                 []string
	}{
		{"form, Origin evil", "/forecasts", "application/x-www-form-urlencoded", form, []string{"Origin", "https://evil.example"}},
		{"form, Sec-Fetch-Site cross-site", "/forecasts", "application/x-www-form-urlencoded", form, []string{"Sec-Fetch-Site", "cross-site", "Origin", srv.URL}},
		{"API, Origin evil", "/api/forecasts", "application/json", "{}", []string{"Origin", "https://evil.example"}},
		{"API, Origin null", "/api/forecasts", "application/json", "{}", []string{"Origin", "null"}},
		{"job, Origin evil", "/api/jobs/run", "application/json", "", []string{"Origin", "http://evil.example"}},
		{"logout, Origin evil", "/logout", "application/x-www-form-urlencoded", "", []string{"Origin", "http://evil.example"}},
	} {
		code, _, body := b.do("POST", tt.path, strings.NewReader(tt.body), append([]string{"Content-Type", tt.ctype}, tt.headers...)...)
		if code != http.StatusForbidden {
			t.Errorf("%s: %d %s; want 403", tt.name, code, body)
		}
	}
	if rs := runs(t, cfg, ""); len(rs) != 0 {
		t.Errorf("cross-site requests launched %d runs", len(rs))
	}
	// the same form from the page itself goes through
	if code, h, _ := b.form("/forecasts", url.Values{"as_of": {"2017Q4"}}); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/runs/") {
		t.Errorf("same-origin form without users: %d %q", code, h.Get("Location"))
	}
}

func TestCSRFTokenRequired(t *testing.T) {
	srv, _, _, _ := usersServer(t, map[string]Role{"amina": RoleAnalyst})
	b := newBrowser(t, srv.URL)
	csrf := b.login("amina", password("amina"))
	form := url.Values{"as_of": {"2017Q4"}}
	if code, _, body := b.form("/forecasts", form); code != http.StatusForbidden {
		t.Errorf("form without the CSRF token: %d %s", code, body)
	}
	form.Set("csrf", "forged")
	if code, _, _ := b.form("/forecasts", form); code != http.StatusForbidden {
		t.Errorf("form with a wrong CSRF token: %d", code)
	}
	if code, _, _ := b.do("POST", "/api/forecasts", strings.NewReader("{}"), "Content-Type", "application/json"); code != http.StatusForbidden {
		t.Errorf("API with the cookie and no %s: %d", csrfHeader, code)
	}
	if code, _, body := b.do("POST", "/api/forecasts", strings.NewReader(`{"as_of": "2017Q4"}`), "Content-Type", "application/json", csrfHeader, csrf); code != http.StatusAccepted {
		t.Errorf("API with the cookie and its CSRF token: %d %s", code, body)
	}
	form.Set("csrf", csrf)
	if code, h, body := b.form("/forecasts", form); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/runs/") {
		t.Errorf("form with the CSRF token: %d %s", code, body)
	}
	// another session's token is not this one's
	other := newBrowser(t, srv.URL)
	otherCSRF := other.login("amina", password("amina"))
	form.Set("csrf", otherCSRF)
	if code, _, _ := b.form("/forecasts", form); code != http.StatusForbidden {
		t.Errorf("form with another session's CSRF token: %d", code)
	}
}

func TestCookieWithoutSession(t *testing.T) {
	srv, _, _, _ := usersServer(t, map[string]Role{"amina": RoleAdmin})
	b := newBrowser(t, srv.URL)
	for _, cookie := range []string{sessionCookie + "=" + strings.Repeat("A", 43), sessionCookie + "=", "offshore_token=" + token} {
		if code, h, _ := b.do("GET", "/", nil, "Cookie", cookie); code != http.StatusSeeOther || h.Get("Location") != "/login" {
			t.Errorf("page with cookie %q: %d %q; want the login", cookie, code, h.Get("Location"))
		}
		if code, _, _ := b.do("GET", "/api/runs", nil, "Cookie", cookie); code != http.StatusUnauthorized {
			t.Errorf("API with cookie %q: %d; want 401", cookie, code)
		}
	}
}

func TestSessionExpires(t *testing.T) {
	srv, d, _, clk := usersServer(t, map[string]Role{"amina": RoleViewer})
	s := d.cfg.Settings.Schedule
	loggedIn := func(b *browser) bool { code, _, _ := b.do("GET", "/", nil); return code == http.StatusOK }

	idle := newBrowser(t, srv.URL)
	idle.login("amina", password("amina"))
	clk.add(s.SessionIdle - time.Minute)
	if !loggedIn(idle) {
		t.Fatal("session ended before its idle timeout")
	}
	clk.add(s.SessionIdle + time.Second)
	if loggedIn(idle) {
		t.Errorf("session still open after %v unused", s.SessionIdle)
	}

	busy := newBrowser(t, srv.URL)
	busy.login("amina", password("amina"))
	for elapsed := time.Duration(0); elapsed < s.SessionMaxAge-s.SessionIdle; elapsed += s.SessionIdle / 2 {
		clk.add(s.SessionIdle / 2)
		if !loggedIn(busy) {
			t.Fatalf("a session in use ended after %v", elapsed)
		}
	}
	clk.add(s.SessionIdle)
	if loggedIn(busy) {
		t.Errorf("session still open %v after its login", s.SessionMaxAge)
	}
}

func TestLogout(t *testing.T) {
	srv, _, _, _ := usersServer(t, map[string]Role{"amina": RoleViewer})
	b := newBrowser(t, srv.URL)
	csrf := b.login("amina", password("amina"))
	u, _ := url.Parse(srv.URL)
	cookie := b.c.Jar.Cookies(u)[0]
	if code, _, page := b.do("GET", "/logout", nil); code != 200 || !strings.Contains(page, csrf) {
		t.Errorf("GET /logout: %d, want a form carrying the session's token", code)
	}
	if code, _, _ := b.form("/logout", url.Values{}); code != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d", code)
	}
	code, h, _ := b.form("/logout", url.Values{"csrf": {csrf}})
	if code != http.StatusSeeOther || h.Get("Location") != "/login" || !strings.Contains(h.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d %q %q", code, h.Get("Location"), h.Get("Set-Cookie"))
	}
	// the old cookie, replayed, is no session any more
	if code, h, _ := newBrowser(t, srv.URL).do("GET", "/", nil, "Cookie", cookie.Name+"="+cookie.Value); code != http.StatusSeeOther || h.Get("Location") != "/login" {
		t.Errorf("the logged-out session's cookie still opens the page: %d", code)
	}
}

func TestLoginBruteForce(t *testing.T) {
	srv, _, _, clk := usersServer(t, map[string]Role{"amina": RoleAdmin, "omar": RoleViewer})
	b := newBrowser(t, srv.URL)
	attempt := func(user, pw string) (int, http.Header) {
		code, h, _ := b.form("/login", url.Values{"user": {user}, "password": {pw}})
		return code, h
	}
	// per user: the sixth try within the window is refused, right or wrong
	for i := range maxFailuresByUser {
		if code, _ := attempt("amina", fmt.Sprintf("guess-%d-xxxxxxx", i)); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, code)
		}
	}
	code, h := attempt("amina", password("amina"))
	retry, _ := strconv.Atoi(h.Get("Retry-After"))
	if code != http.StatusTooManyRequests || retry < 1 || retry > int(loginWindow/time.Second) {
		t.Errorf("after %d failures: %d, Retry-After %q; want 429 and a wait", maxFailuresByUser, code, h.Get("Retry-After"))
	}
	// per address: wrong names by the hundred meet 429 after maxFailuresByAddr
	refused := 0
	for i := range 200 {
		if code, _ := attempt(fmt.Sprintf("u%d", i), "wrong-password-xx"); code == http.StatusTooManyRequests {
			refused++
		}
	}
	if want := 200 - (maxFailuresByAddr - maxFailuresByUser); refused != want {
		t.Errorf("%d of 200 guesses refused with 429; want %d", refused, want)
	}
	if code, _ := attempt("omar", password("omar")); code != http.StatusTooManyRequests {
		t.Errorf("a right password from a blocked address: %d; want 429", code)
	}
	clk.add(loginWindow)
	if code, _ := attempt("amina", password("amina")); code != http.StatusSeeOther {
		t.Errorf("after the window: %d; want the login", code)
	}
}

func TestShortTokenRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	for _, tok := range []string{"x", "e2e-token", strings.Repeat("a", config.MinAPITokenLength-1)} {
		if _, err := d.Handler(tok); err == nil || !strings.Contains(err.Error(), "at least 32") {
			t.Errorf("token of %d characters: %v", len(tok), err)
		}
	}
	t.Setenv("OFFSHORE_API_TOKEN", "short")
	err := Serve(context.Background(), cfg, "127.0.0.1:0", func(string) { t.Error("served with a short token") }, quiet())
	if !errors.Is(err, ErrSetup) || !strings.Contains(err.Error(), "5 characters long") {
		t.Errorf("Serve with a 5-character token: %v", err)
	}
}

func TestNoUsersServesLoopbackOnly(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	for _, tt := range []struct {
		listen string
		hosts  []string
		want   string
	}{
		{"0.0.0.0:0", nil, "reachable from other hosts and nobody needs to log in"},
		{"127.0.0.1:0", []string{"offshore.example.ma"}, "schedule.allowed_hosts names"},
	} {
		cfg.Settings.Schedule.AllowedHosts = tt.hosts
		err := Serve(context.Background(), cfg, tt.listen, func(string) { t.Error("served") }, quiet())
		if !errors.Is(err, ErrSetup) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("listen %s, allowed_hosts %v, no users: %v", tt.listen, tt.hosts, err)
		}
	}
}

func TestJSONContentTypeRequired(t *testing.T) {
	srv, _, keys, _ := usersServer(t, map[string]Role{"amina": RoleAnalyst})
	b := newBrowser(t, srv.URL)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json"} {
		code, _, body := b.do("POST", "/api/forecasts", strings.NewReader("{}"), "Authorization", "Bearer "+keys["amina"], "Content-Type", ct)
		if code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d %s; want 415", ct, code, body)
		}
	}
	if code, _, body := b.do("POST", "/api/forecasts", strings.NewReader("{}"), "Authorization", "Bearer "+keys["amina"], "Content-Type", "application/json; charset=utf-8"); code != http.StatusAccepted {
		t.Errorf("application/json; charset=utf-8: %d %s", code, body)
	}
}

// Roles: a viewer reads, an analyst launches forecasts, an admin triggers
// jobs and reads the audit; each launch names its user in the run record
// and in the audit file; a removed user's key and session stop at once.
func TestRolesAuditAndRemoval(t *testing.T) {
	srv, d, keys, clk := usersServer(t, map[string]Role{"vera": RoleViewer, "amina": RoleAnalyst, "root": RoleAdmin})
	b := newBrowser(t, srv.URL)
	api := func(user, method, path, body string) (int, string) {
		code, _, out := b.do(method, path, strings.NewReader(body), "Authorization", "Bearer "+keys[user], "Content-Type", "application/json")
		return code, out
	}
	for _, tt := range []struct {
		user, method, path string
		want               int
	}{
		{"vera", "GET", "/api/runs", 200}, {"vera", "POST", "/api/forecasts", 403}, {"vera", "GET", "/api/audit", 403},
		{"amina", "POST", "/api/jobs/ingest", 403}, {"amina", "GET", "/api/audit", 403},
		{"nobody", "GET", "/api/runs", 401},
	} {
		if code, out := api(tt.user, tt.method, tt.path, "{}"); code != tt.want {
			t.Errorf("%s %s %s: %d %s; want %d", tt.user, tt.method, tt.path, code, out, tt.want)
		}
	}
	code, out := api("amina", "POST", "/api/forecasts", `{"as_of": "2017Q4", "sectors": ["ALL"], "metrics": ["jobs"]}`)
	var acc struct{ ID string }
	json.Unmarshal([]byte(out), &acc)
	if code != http.StatusAccepted || acc.ID == "" {
		t.Fatalf("analyst's forecast: %d %s", code, out)
	}
	code, out = api("root", "POST", "/api/jobs/ingest", "")
	var job struct{ ID string }
	json.Unmarshal([]byte(out), &job)
	if code != http.StatusAccepted || job.ID == "" {
		t.Fatalf("admin's ingest: %d %s", code, out)
	}
	for id, by := range map[string]string{acc.ID: "amina", job.ID: "root"} {
		waitFor(t, 30*time.Second, "run "+id+" to end", func() bool {
			r, err := runlog.Read(d.cfg, id)
			return err == nil && r.Status != runlog.StatusRunning
		})
		if r, _ := runlog.Read(d.cfg, id); r.By != by || r.Trigger != runlog.TriggerAPI {
			t.Errorf("run %s: by %q, trigger %s; want by %q, api", id, r.By, r.Trigger, by)
		}
	}
	code, out = api("root", "GET", "/api/audit", "")
	var audit struct{ Entries []AuditEntry }
	json.Unmarshal([]byte(out), &audit)
	found := map[string]bool{}
	for _, e := range audit.Entries {
		if e.Status == http.StatusAccepted && e.Remote != "" && !e.Time.IsZero() {
			found[e.User+" "+e.Path+" "+e.Run] = true
		}
	}
	for _, want := range []string{"amina /api/forecasts " + acc.ID, "root /api/jobs/ingest " + job.ID} {
		if !found[want] {
			t.Errorf("the audit lacks %q: %d %s", want, code, out)
		}
	}
	if !strings.Contains(out, `"user": "vera"`) || !strings.Contains(out, `"status": 403`) {
		t.Errorf("the audit lacks the viewer's refused forecast: %s", out)
	}

	// removing a user ends their key and their session
	s := newBrowser(t, srv.URL)
	s.login("vera", password("vera"))
	u, _ := ReadUsers(d.cfg.Settings.Schedule.UsersFile)
	u.Remove("vera")
	if err := u.Write(d.cfg.Settings.Schedule.UsersFile); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * time.Second) // the file is looked at once a second
	if code, _ := api("vera", "GET", "/api/runs", ""); code != http.StatusUnauthorized {
		t.Errorf("a removed user's key: %d", code)
	}
	if code, _, _ := s.do("GET", "/", nil); code != http.StatusSeeOther {
		t.Errorf("a removed user's session: %d", code)
	}
}

// Idle and slow clients: with more idle connections than
// schedule.max_connections held open, the server holds the cap and no
// more, a nightly run still writes its record, and a new client waits
// until a place frees; a silent or slow client is closed after the
// server's timeouts.
func TestIdleClientsCannotStarveTheJobs(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	h, err := d.Handler(token)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 4
	start := func(lim serverLimits) (string, *atomic.Int64) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := d.httpServer(h, lim)
		peak := &atomic.Int64{}
		srv.ConnState = func(c net.Conn, s http.ConnState) {
			d.connState(c, s)
			if n := d.conns.Load(); n > peak.Load() {
				peak.Store(n)
			}
		}
		go srv.Serve(limitListener(ln, limit))
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().String(), peak
	}
	addr, peak := start(serverLimits{readHeader: time.Minute, read: time.Minute, write: time.Minute, idle: time.Minute})
	var idle []net.Conn
	for range 5 * limit {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	waitFor(t, 10*time.Second, "the server to take the first connections", func() bool { return d.conns.Load() == limit })
	rec := d.execute(d.jobs[0], runlog.TriggerCron)
	if rec == nil || !rec.Succeeded() {
		t.Fatalf("nightly run while %d idle clients wait: %+v", len(idle), rec)
	}
	if r, err := runlog.Read(cfg, rec.ID); err != nil || r.Status != runlog.StatusOK {
		t.Errorf("its record: %v %v", r, err)
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d connections open at once; the cap is %d", p, limit)
	}
	client := &http.Client{Timeout: 300 * time.Millisecond}
	if res, err := client.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		t.Errorf("a new client was served while %d idle ones held every place", limit)
	}
	for _, c := range idle {
		c.Close()
	}
	waitFor(t, 10*time.Second, "a new client to be served once the idle ones left", func() bool {
		res, err := (&http.Client{Timeout: 2 * time.Second}).Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return true
	})

	// short timeouts: a silent client, and one sending its body slowly, are closed
	addr, _ = start(serverLimits{readHeader: 200 * time.Millisecond, read: 300 * time.Millisecond, write: time.Second, idle: 200 * time.Millisecond})
	silent, _ := net.Dial("tcp", addr)
	slow, _ := net.Dial("tcp", addr)
	fmt.Fprintf(slow, "POST /api/forecasts HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr, token)
	for name, c := range map[string]net.Conn{"silent": silent, "slow body": slow} {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := io.Copy(io.Discard, bufio.NewReader(c))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s client: not closed by the server within 10 s", name)
		}
		c.Close()
	}
}

// A chart is served from inside its run's folder only: a symbolic link
// planted under warehouse/adhoc (to the configuration, or a folder
// elsewhere) is 404, as is a name that is not a PNG.
func TestSymlinkUnderAdhocRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	srv := server(t, newDaemon(t, cfg))
	secret := filepath.Join(cfg.Dir, "secret.txt")
	os.WriteFile(secret, []byte("PNG? no: the ministry's secret"), 0o600)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "c.png"), []byte("\x89PNG outside"), 0o644)

	rec := runlog.New(runlog.JobForecast, runlog.TriggerAPI)
	dir := pipeline.AdHocDir(cfg, rec.ID)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "good.png"), []byte("\x89PNG good"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "link.png"))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("text"), 0o644)
	rec.Charts = []string{"good.png", "link.png", "notes.txt", "../../../secret.txt"}
	rec.Status = runlog.StatusOK
	if err := runlog.Save(cfg, rec); err != nil {
		t.Fatal(err)
	}
	// a run whose folder is itself a link
	linked := runlog.New(runlog.JobForecast, runlog.TriggerAPI)
	os.Symlink(outside, pipeline.AdHocDir(cfg, linked.ID))
	linked.Charts, linked.Status = []string{"c.png"}, runlog.StatusOK
	runlog.Save(cfg, linked)

	for _, tt := range []struct {
		run, name string
		want      int
	}{
		{rec.ID, "good.png", 200}, {rec.ID, "link.png", 404}, {rec.ID, "notes.txt", 404},
		{rec.ID, url.PathEscape("../../../secret.txt"), 404}, {linked.ID, "c.png", 404},
	} {
		code, h, body := call(t, "GET", srv.URL+"/api/runs/"+tt.run+"/charts/"+tt.name, token, "", "")
		if code != tt.want || strings.Contains(string(body), "ministry's secret") || strings.Contains(string(body), "PNG outside") {
			t.Errorf("chart %s of %s: %d %q", tt.name, tt.run, code, body)
		}
		if code == 200 && h.Get("Content-Type") != "image/png" {
			t.Errorf("chart %s: Content-Type %q", tt.name, h.Get("Content-Type"))
		}
	}
}

// /api/reports/latest serves the workbook a run record names only from
// inside the outbox, never through a link.
func TestForgedRunRecordPathRefused(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	srv := server(t, newDaemon(t, cfg))
	secret := filepath.Join(t.TempDir(), "shadow.xlsx")
	os.WriteFile(secret, []byte("PK the secret"), 0o600)
	os.MkdirAll(cfg.Settings.Paths.Outbox, 0o755)
	os.Symlink(secret, filepath.Join(cfg.Settings.Paths.Outbox, "link.xlsx"))
	os.WriteFile(filepath.Join(cfg.Settings.Paths.Outbox, "good.xlsx"), []byte("PK good"), 0o644)
	for _, tt := range []struct {
		report string
		want   int
	}{
		{secret, 404}, {"/etc/passwd", 404}, {"outbox/../offshore.yaml", 404}, {"../" + filepath.Base(secret), 404},
		{filepath.Join(cfg.Settings.Paths.Outbox, "link.xlsx"), 404}, {cfg.Settings.Paths.Outbox, 404},
		{filepath.Join(cfg.Settings.Paths.Outbox, "good.xlsx"), 200},
	} {
		r := runlog.New(runlog.JobRun, runlog.TriggerCron)
		r.Status, r.Report, r.Finished = runlog.StatusOK, tt.report, time.Now()
		if err := runlog.Save(cfg, r); err != nil {
			t.Fatal(err)
		}
		code, h, body := call(t, "GET", srv.URL+"/api/reports/latest", token, "", "")
		if code != tt.want || strings.Contains(string(body), "secret") || strings.Contains(string(body), "root:") {
			t.Errorf("report %q: %d %q", tt.report, code, body)
		}
		if code == 200 && !strings.HasPrefix(h.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Errorf("report %q: Content-Type %q", tt.report, h.Get("Content-Type"))
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv, _, _, _ := usersServer(t, map[string]Role{"amina": RoleAnalyst})
	b := newBrowser(t, srv.URL)
	b.login("amina", password("amina"))
	for _, p := range []string{"/", "/login", "/logout", "/api/runs", "/healthz", "/metrics", "/no-such-page", "/static/offshore.css"} {
		code, h, body := b.do("GET", p, nil)
		for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if h.Get(name) != want {
				t.Errorf("GET %s (%d): %s %q; want %q", p, code, name, h.Get(name), want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
		if p != "/static/offshore.css" && h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q; want no-store", p, h.Get("Cache-Control"))
		}
		if strings.Contains(body, "<style") || strings.Contains(body, " style=") || strings.Contains(body, "<script") {
			t.Errorf("GET %s: inline style or script, which the CSP blocks", p)
		}
	}
	if _, h, css := b.do("GET", "/static/offshore.css", nil); !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !strings.Contains(css, "body{") {
		t.Errorf("style sheet: %q", h.Get("Content-Type"))
	}
	// the session cookie
	_, h, _ := b.form("/login", url.Values{"user": {"amina"}, "password": {password("amina")}})
	c := h.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(c, want) {
			t.Errorf("session cookie %q lacks %s", c, want)
		}
	}
	_, h, _ = b.form("/login", url.Values{"user": {"amina"}, "password": {password("amina")}}, "X-Forwarded-Proto", "https")
	if !strings.Contains(h.Get("Set-Cookie"), "Secure") {
		t.Errorf("session cookie behind TLS not Secure: %q", h.Get("Set-Cookie"))
	}
}

// /healthz, open to anyone, says what is wrong in a sentence: no path,
// pid, error text, run record or workbook name.
func TestHealthzLeaksNothing(t *testing.T) {
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg)
	srv := server(t, d)
	leak := "open " + filepath.Join(cfg.Dir, "warehouse", "catalog.json") + ": the secret error"
	r := runlog.New(runlog.JobRun, runlog.TriggerCron)
	r.Status, r.Error, r.Finished, r.Report = runlog.StatusFailed, leak, time.Now(), filepath.Join(cfg.Settings.Paths.Outbox, "W.xlsx")
	runlog.Save(cfg, r)
	d.state.note(r)
	code, _, body := call(t, "GET", srv.URL+"/healthz", "", "", "")
	var h map[string]any
	json.Unmarshal(body, &h)
	if code != 503 || h["status"] != "failing" || !strings.Contains(fmt.Sprint(h["reason"]), "failed") {
		t.Errorf("/healthz after a failed run: %d %s", code, body)
	}
	for _, secret := range []string{cfg.Dir, "secret error", strconv.Itoa(os.Getpid()), `"pid"`, "W.xlsx", "last_run", "catalog"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("/healthz tells %q: %s", secret, body)
		}
	}
	// the details are behind the login
	if _, _, body := call(t, "GET", srv.URL+"/api/health", token, "", ""); !strings.Contains(string(body), "secret error") {
		t.Errorf("/api/health lacks the error: %s", body)
	}
}

// BenchmarkHealthz1000FailedRuns: /healthz with a thousand failed nightly
// runs in the history reads none of them (it took 0.46 s a request).
func BenchmarkHealthz1000FailedRuns(b *testing.B) {
	cfg, err := config.Default(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	cfg.Settings.Schedule.Run = "0 0 1 1 *"
	for range 1000 {
		r := runlog.New(runlog.JobRun, runlog.TriggerCron)
		r.Status, r.Error, r.Finished = runlog.StatusFailed, "broken", time.Now()
		if err := runlog.Save(cfg, r); err != nil {
			b.Fatal(err)
		}
	}
	d, err := New(cfg, quiet())
	if err != nil {
		b.Fatal(err)
	}
	h, err := d.Handler(token)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b.ResetTimer()
	for b.Loop() {
		res, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 503 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
