package daemon

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/offshore-ma/offshore/config"
)

// identity is who sent a request, and how they proved it.
type identity struct {
	Name string
	Role Role
	// Via is session (a browser's login), api_key (a user's key), token
	// (the legacy schedule.api_token) or loopback (no user and no token:
	// anyone on this machine).
	Via     string
	session *session
}

// Names of the identities that are not users of the file.
const (
	tokenUser = "api_token" // the legacy schedule.api_token, an admin key
	localUser = "local"     // anyone on loopback when there is no user and no token
)

// sessionCookie carries a browser session's random id (never a secret of
// the users file).
const sessionCookie = "offshore_session"

// csrfField and csrfHeader carry the session's CSRF token: in the forms,
// and for /api requests made with the session's cookie.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// authn says who sends a request: a user's API key, the legacy token, a
// browser session, or, with no user and no token, anyone on loopback.
// The users file is read again when it changes (checked at most once a
// second), so that `offshore user remove` takes effect at once; a session
// takes its user's current role at each request and ends with the user.
type authn struct {
	log       *slog.Logger
	render    func(w http.ResponseWriter, status int, name string, data map[string]any)
	path      string
	tokenHash string // sha256 of the legacy token, "" for none
	now       func() time.Time

	mu      sync.Mutex
	users   *Users
	byKey   map[string]*User // API key hash → user
	stamp   os.FileInfo      // the users file as last read; nil: absent
	checked time.Time

	sessions *sessions
	limits   *loginLimits
}

// newAuthn reads the users file of cfg and takes token (the legacy
// schedule.api_token, "" for none). A token shorter than
// config.MinAPITokenLength, or a users file that does not read, is an
// error for a person to fix.
func newAuthn(cfg *config.Config, token string, log *slog.Logger) (*authn, error) {
	s := cfg.Settings.Schedule
	if token != "" && len(token) < config.MinAPITokenLength {
		return nil, fmt.Errorf("the API token (OFFSHORE_API_TOKEN or schedule.api_token) is %d characters long; want at least %d random ones (openssl rand -hex 32), or people in %s (offshore user add NAME)",
			len(token), config.MinAPITokenLength, s.UsersFile)
	}
	a := &authn{log: log, path: s.UsersFile, now: time.Now,
		sessions: newSessions(s.SessionMaxAge, s.SessionIdle), limits: newLoginLimits()}
	if token != "" {
		a.tokenHash = hashKey(token)
	}
	if err := a.reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// reload reads the users file if it changed since the last read.
func (a *authn) reload() error {
	st, err := os.Stat(a.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("users file: %w", err)
	}
	if a.users != nil && sameStamp(a.stamp, st) {
		return nil
	}
	u, err := ReadUsers(a.path)
	if err != nil {
		return err
	}
	keys := map[string]*User{}
	for i := range u.Users {
		if h := u.Users[i].APIKeyHash; h != "" {
			keys[h] = &u.Users[i]
		}
	}
	a.users, a.byKey, a.stamp = u, keys, st
	return nil
}

func sameStamp(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// current returns the users, read again if the file changed. A file made
// unreadable meanwhile keeps the previous users, with an error in the log.
func (a *authn) current() (*Users, map[string]*User) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now := a.now(); now.Sub(a.checked) >= time.Second {
		a.checked = now
		if err := a.reload(); err != nil {
			a.log.Error("users file not reloaded: the previous users stay in force until it reads", "err", err)
		}
	}
	return a.users, a.byKey
}

// open tells whether r may go without credentials: no user, no token,
// and r came in on a loopback address.
func (a *authn) open(r *http.Request) bool {
	if a.tokenHash != "" {
		return false
	}
	if u, _ := a.current(); len(u.Users) > 0 {
		return false
	}
	return loopbackConn(r)
}

// loopbackConn tells whether r arrived on a loopback address of this host.
func loopbackConn(r *http.Request) bool {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	host, _, err := net.SplitHostPort(addr.String())
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// errBadKey is a bearer key that is no one's.
var errBadKey = errors.New("wrong API key")

// identify returns who sent r: nil, nil when r has no credentials.
func (a *authn) identify(r *http.Request) (*identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		key, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, errors.New("Authorization: want Bearer <API key>")
		}
		return a.byAPIKey(strings.TrimSpace(key))
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if s := a.sessions.get(c.Value, a.now()); s != nil {
			if id := a.sessionUser(s); id != nil {
				return id, nil
			}
			a.sessions.drop(c.Value)
		}
		return nil, nil
	}
	if a.open(r) {
		return &identity{Name: localUser, Role: RoleAdmin, Via: "loopback"}, nil
	}
	return nil, nil
}

// byAPIKey finds the user of key. Keys are 256-bit random: looking their
// hash up in a map leaks nothing an attacker could use.
func (a *authn) byAPIKey(key string) (*identity, error) {
	if key == "" {
		return nil, errBadKey
	}
	h := hashKey(key)
	if a.tokenHash != "" && subtle.ConstantTimeCompare([]byte(h), []byte(a.tokenHash)) == 1 {
		return &identity{Name: tokenUser, Role: RoleAdmin, Via: "token"}, nil
	}
	_, keys := a.current()
	if u, ok := keys[h]; ok {
		return &identity{Name: u.Name, Role: u.Role, Via: "api_key"}, nil
	}
	return nil, errBadKey
}

// sessionUser is the identity of s with its user's current role; nil
// when the user is gone (removed, or the token no longer set).
func (a *authn) sessionUser(s *session) *identity {
	if s.user == tokenUser {
		if a.tokenHash == "" {
			return nil
		}
		return &identity{Name: tokenUser, Role: RoleAdmin, Via: "session", session: s}
	}
	users, _ := a.current()
	u := users.Find(s.user)
	if u == nil || u.PasswordHash == "" {
		return nil
	}
	return &identity{Name: u.Name, Role: u.Role, Via: "session", session: s}
}

// dummyHash is checked against when the name is no one's, so that a
// wrong name costs the time of a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not anyone's password"), passwordCost)
	return h
})

// checkPassword returns the identity of name with password, or nil. An
// empty name with the legacy token as password is the token's admin.
func (a *authn) checkPassword(name, password string) *identity {
	if name == "" && a.tokenHash != "" {
		if subtle.ConstantTimeCompare([]byte(hashKey(password)), []byte(a.tokenHash)) == 1 {
			return &identity{Name: tokenUser, Role: RoleAdmin, Via: "session"}
		}
		return nil
	}
	users, _ := a.current()
	u := users.Find(name)
	if u == nil || u.PasswordHash == "" || len(password) > maxPasswordBytes {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password[:min(len(password), maxPasswordBytes)]))
		return nil
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil
	}
	return &identity{Name: u.Name, Role: u.Role, Via: "session"}
}

// clientKey is the rate limits' key of r's address: the address itself,
// or its /64 for IPv6 (one host has a whole /64).
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return host
}

// Login limits: failures within loginWindow, per address and per user
// name, beyond which logins are refused with 429 until the oldest failure
// leaves the window. Checked before the password's slow hash.
const (
	loginWindow       = 10 * time.Minute
	maxFailuresByAddr = 20
	maxFailuresByUser = 5
	maxLimitKeys      = 1 << 16
)

// loginLimits counts failed logins (and wrong API keys) by key.
type loginLimits struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

func newLoginLimits() *loginLimits { return &loginLimits{failures: map[string][]time.Time{}} }

// wait returns how long key must wait before its next try (0: it may).
func (l *loginLimits) wait(key string, max int, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.recent(key, now)
	if len(f) < max {
		return 0
	}
	return f[len(f)-max].Add(loginWindow).Sub(now)
}

// fail counts a failure of key.
func (l *loginLimits) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.failures[key]; !ok && len(l.failures) >= maxLimitKeys {
		for k := range l.failures { // prune, then make room
			if len(l.recent(k, now)) == 0 {
				delete(l.failures, k)
			}
		}
		for k := range l.failures {
			if len(l.failures) < maxLimitKeys {
				break
			}
			delete(l.failures, k)
		}
	}
	f := append(l.recent(key, now), now)
	if len(f) > maxFailuresByAddr {
		f = f[len(f)-maxFailuresByAddr:]
	}
	l.failures[key] = f
}

// reset forgets key's failures (a successful login of that user).
func (l *loginLimits) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// recent returns key's failures within the window, dropping older ones.
func (l *loginLimits) recent(key string, now time.Time) []time.Time {
	f := l.failures[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= loginWindow {
		i++
	}
	if i == len(f) {
		delete(l.failures, key)
		return nil
	}
	f = f[i:]
	l.failures[key] = f
	return f
}

// tooMany answers 429 with Retry-After, in whole seconds.
func tooMany(w http.ResponseWriter, wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return fmt.Sprintf("too many failed attempts from this address or for this user: try again in %d s", secs)
}

// ctxKey keys the request's info in its context.
type ctxKey struct{}

// reqInfo is what the handlers learn of a request for the audit: who sent
// it, the run it launched, why it was refused.
type reqInfo struct {
	mu   sync.Mutex
	who  *identity
	run  string
	note string
}

func infoOf(r *http.Request) *reqInfo {
	if i, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

func withInfo(r *http.Request) (*http.Request, *reqInfo) {
	if i, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return r, i
	}
	i := &reqInfo{}
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, i)), i
}

func (i *reqInfo) set(f func(*reqInfo)) {
	i.mu.Lock()
	defer i.mu.Unlock()
	f(i)
}

// who is the name a run launched by r records as By.
func who(r *http.Request) string {
	i := infoOf(r)
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.who == nil {
		return ""
	}
	return i.who.Name
}

// safeMethod tells whether m changes nothing (GET, HEAD, OPTIONS).
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// needRole says what a role lacks, for the 403.
func needRole(id *identity, want Role) string {
	return fmt.Sprintf("%s is a %s; this takes the %s role (ask an admin: offshore user reset %s --role %s)", id.Name, id.Role, want, id.Name, want)
}

// api guards an /api handler: a bearer API key, or a session's cookie
// with its CSRF token in X-CSRF-Token on a state-changing request, and at
// least the role want.
func (a *authn) api(want Role, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoOf(r)
		addr := "addr:" + clientKey(r)
		if wait := a.limits.wait(addr, maxFailuresByAddr, a.now()); wait > 0 {
			info.set(func(i *reqInfo) { i.note = "rate limited" })
			writeError(w, http.StatusTooManyRequests, tooMany(w, wait))
			return
		}
		id, err := a.identify(r)
		if err != nil || id == nil {
			msg := "missing credentials: send Authorization: Bearer <API key> (offshore user add NAME --api-key), or log in at /login"
			if err != nil {
				a.limits.fail(addr, a.now())
				msg = err.Error()
			}
			info.set(func(i *reqInfo) { i.note = msg })
			w.Header().Set("WWW-Authenticate", `Bearer realm="offshore"`)
			writeError(w, http.StatusUnauthorized, msg)
			return
		}
		info.set(func(i *reqInfo) { i.who = id })
		if id.session != nil && !safeMethod(r.Method) && !id.session.csrfOK(r.Header.Get(csrfHeader)) {
			info.set(func(i *reqInfo) { i.note = "missing or wrong CSRF token" })
			writeError(w, http.StatusForbidden, "a request made with the session's cookie needs the session's CSRF token in "+csrfHeader)
			return
		}
		if id.Role.rank() < want.rank() {
			info.set(func(i *reqInfo) { i.note = "role " + string(id.Role) })
			writeError(w, http.StatusForbidden, needRole(id, want))
			return
		}
		h(w, r)
	})
}

// page guards a page: a session (or a key, for scripts), its CSRF token
// in the form of a state-changing request, and at least the role want.
// Without a session a GET goes to /login.
func (a *authn) page(want Role, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoOf(r)
		id, err := a.identify(r)
		if err != nil || id == nil {
			if safeMethod(r.Method) {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			info.set(func(i *reqInfo) { i.note = "not logged in" })
			http.Error(w, "not logged in (or the session ended): log in at /login", http.StatusUnauthorized)
			return
		}
		info.set(func(i *reqInfo) { i.who = id })
		if id.session != nil && !safeMethod(r.Method) {
			if !id.session.csrfOK(r.PostFormValue(csrfField)) {
				info.set(func(i *reqInfo) { i.note = "missing or wrong CSRF token" })
				http.Error(w, "form refused: it does not carry this session's token (reload the page and send it again)", http.StatusForbidden)
				return
			}
		}
		if id.Role.rank() < want.rank() {
			info.set(func(i *reqInfo) { i.note = "role " + string(id.Role) })
			http.Error(w, needRole(id, want), http.StatusForbidden)
			return
		}
		h(pageWriter{w, id}, r)
	})
}

// pageWriter carries the identity to render, which puts the user's name
// and the session's CSRF token into the page.
type pageWriter struct {
	http.ResponseWriter
	id *identity
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (p pageWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// sessionData adds to a page's data the user (User) and the CSRF token
// (CSRF) its forms send.
func sessionData(w http.ResponseWriter, data map[string]any) {
	p, ok := w.(pageWriter)
	if !ok {
		return
	}
	data["User"] = p.id
	if p.id.session != nil {
		data["CSRF"] = p.id.session.csrf
	}
}

func (a *authn) loginForm(w http.ResponseWriter, r *http.Request) {
	a.renderLogin(w, http.StatusOK, "", "")
}

// renderLogin shows the login form with msg (none: ""), the name typed
// kept so that a mistyped password is the only thing to type again.
func (a *authn) renderLogin(w http.ResponseWriter, status int, msg, name string) {
	a.render(w, status, "login", map[string]any{"Title": "Connexion", "Error": msg, "Name": name, "Token": a.tokenHash != ""})
}

// login checks a name and password (or, with no name, the legacy token)
// and opens a session. Failures are counted per address and per name;
// past the limits it answers 429 with Retry-After, before any hash.
func (a *authn) login(w http.ResponseWriter, r *http.Request) {
	info := infoOf(r)
	name, password := strings.TrimSpace(r.PostFormValue("user")), r.PostFormValue("password")
	now := a.now()
	addr, user := "addr:"+clientKey(r), "user:"+name
	wait := a.limits.wait(addr, maxFailuresByAddr, now)
	if name != "" {
		wait = max(wait, a.limits.wait(user, maxFailuresByUser, now))
	}
	info.set(func(i *reqInfo) { i.who = &identity{Name: name} })
	if wait > 0 {
		msg := tooMany(w, wait)
		info.set(func(i *reqInfo) { i.note = "rate limited" })
		a.renderLogin(w, http.StatusTooManyRequests, "Trop de tentatives : "+msg, name)
		return
	}
	id := a.checkPassword(name, password)
	if id == nil {
		a.limits.fail(addr, now)
		if name != "" {
			a.limits.fail(user, now)
		}
		info.set(func(i *reqInfo) { i.note = "wrong name or password" })
		a.renderLogin(w, http.StatusUnauthorized, "Nom ou mot de passe incorrect.", name)
		return
	}
	a.limits.reset(user)
	s, err := a.sessions.create(id.Name, now)
	if err != nil {
		http.Error(w, "no session: "+err.Error(), http.StatusInternalServerError)
		return
	}
	id.session = s
	info.set(func(i *reqInfo) { i.who = id })
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: int(a.sessions.maxAge / time.Second)})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// secureRequest tells whether r came over TLS, here or at the proxy.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// logout ends the session (its CSRF token checked by page) and clears
// its cookie.
func (a *authn) logout(w http.ResponseWriter, r *http.Request) {
	if p, ok := w.(pageWriter); ok && p.id.session != nil {
		a.sessions.drop(p.id.session.id)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// logoutForm asks to confirm (a GET changes nothing).
func (a *authn) logoutForm(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{"Title": "Déconnexion"}
	sessionData(w, data)
	a.render(w, http.StatusOK, "logout", data)
}

// keyID is the map key of a session id: its hash, so that the map holds
// nothing a memory dump could replay.
func keyID(id string) string {
	h := sha256.Sum256([]byte(id))
	return string(h[:])
}
