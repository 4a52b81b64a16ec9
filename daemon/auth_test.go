package daemon

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/config"
)

func init() { passwordCost = 4 } // bcrypt.MinCost: the tests hash many

// csrfRe finds the CSRF token in a page's forms.
var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil || m[1] == "" {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request with headers (name, value pairs) and returns the
// status, the headers and the body.
func (b *browser) do(method, path string, body io.Reader, headers ...string) (int, http.Header, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(out)
}

// form posts values as a browser's form, from the page's own origin.
func (b *browser) form(path string, v url.Values, headers ...string) (int, http.Header, string) {
	b.t.Helper()
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded", "Origin", b.base, "Sec-Fetch-Site", "same-origin"}, headers...)
	return b.do("POST", path, strings.NewReader(v.Encode()), h...)
}

// login logs in as user and returns the session's CSRF token.
func (b *browser) login(user, password string) string {
	b.t.Helper()
	code, h, body := b.form("/login", url.Values{"user": {user}, "password": {password}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		b.t.Fatalf("login as %s: %d %s", user, code, body)
	}
	_, _, home := b.do("GET", "/", nil)
	return csrfOf(b.t, home)
}

// withUsers writes a users file into cfg's folder: name → role, each
// with the password name+"-password-123" and, with keys, an API key
// returned by name.
func withUsers(t *testing.T, cfg *config.Config, roles map[string]Role) map[string]string {
	t.Helper()
	var u Users
	keys := map[string]string{}
	for name, role := range roles {
		h, err := HashPassword([]byte(name + "-password-123"))
		if err != nil {
			t.Fatal(err)
		}
		key, kh, err := NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[name] = key
		u.Set(User{Name: name, Role: role, PasswordHash: h, APIKeyHash: kh})
	}
	if err := u.Write(cfg.Settings.Schedule.UsersFile); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestUsersFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/users.yaml"
	if u, err := ReadUsers(path); err != nil || len(u.Users) != 0 {
		t.Fatalf("a missing users file: %v %v", u, err)
	}
	for _, tt := range []struct{ name, file, want string }{
		{"unknown key", "users:\n  - name: amina\n    role: admin\n    password: hunter2\n", "field password not found"},
		{"bad role", "users:\n  - name: amina\n    role: root\n    api_key_sha256: " + strings.Repeat("a", 64) + "\n", `role is "root"`},
		{"no secret", "users:\n  - name: amina\n    role: viewer\n", "neither password_bcrypt nor api_key_sha256"},
		{"twice", "users:\n  - {name: a, role: viewer, api_key_sha256: " + strings.Repeat("a", 64) + "}\n  - {name: a, role: viewer, api_key_sha256: " + strings.Repeat("b", 64) + "}\n", "listed twice"},
		{"plain password", "users:\n  - {name: a, role: viewer, password_bcrypt: hunter2}\n", "not a bcrypt hash"},
		{"bad name", "users:\n  - {name: ../x, role: viewer, api_key_sha256: " + strings.Repeat("a", 64) + "}\n", "name: want lowercase"},
	} {
		os.WriteFile(path, []byte(tt.file), 0o600)
		if _, err := ReadUsers(path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want %q", tt.name, err, tt.want)
		}
	}
	if _, err := HashPassword([]byte("short")); err == nil {
		t.Error("a 5-character password accepted")
	}
	if _, err := HashPassword([]byte(strings.Repeat("x", 73))); err == nil {
		t.Error("a 73-byte password accepted (bcrypt would ignore its end)")
	}
	var u Users
	h, _ := HashPassword([]byte("a long enough password"))
	u.Set(User{Name: "amina", Role: RoleAnalyst, PasswordHash: h})
	if err := u.Write(path); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("users file mode %v; want 0600", st.Mode().Perm())
	}
	back, err := ReadUsers(path)
	if err != nil || back.Find("amina") == nil || back.Find("amina").Role != RoleAnalyst {
		t.Fatalf("read back: %+v %v", back, err)
	}
}
