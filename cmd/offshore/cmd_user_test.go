package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/daemon"
)

// TestUserCommand: `offshore user` adds, resets and removes the people of
// users.yaml, reading passwords from stdin (never a flag) and printing an
// API key once; the file keeps hashes only.
func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	as := func(input string, args ...string) (int, string, string) {
		t.Helper()
		userInput = strings.NewReader(input)
		t.Cleanup(func() { userInput = os.Stdin })
		return offshore(t, append([]string{"--workdir", dir, "user"}, args...)...)
	}
	path := filepath.Join(dir, "users.yaml")
	if code, out, stderr := as("a long enough password\n", "add", "amina", "--role", "analyst"); code != exitOK || !strings.Contains(out, "amina (analyst) added") {
		t.Fatalf("user add: %d %s %s", code, out, stderr)
	}
	code, out, stderr := as("", "add", "robot", "--role", "admin", "--api-key")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	key := lines[len(lines)-1]
	if code != exitOK || !strings.HasPrefix(key, "offshore_") || len(key) < 40 {
		t.Fatalf("user add --api-key: %d %s %s", code, out, stderr)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "a long enough password") || strings.Contains(string(b), key) {
		t.Errorf("users.yaml holds a secret in clear:\n%s", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("users.yaml mode %v", st.Mode().Perm())
	}
	for _, tt := range []struct {
		input string
		args  []string
		want  string
	}{
		{"short\n", []string{"add", "omar"}, "at least 12"},
		{"", []string{"add", "omar"}, "no password on standard input"},
		{"a long enough password\n", []string{"add", "amina"}, "already in"},
		{"a long enough password\n", []string{"add", "Bad/Name"}, "user name"},
		{"a long enough password\n", []string{"add", "omar", "--role", "root"}, `role "root"`},
		{"", []string{"reset", "nobody", "--api-key"}, "no such user"},
		{"", []string{"remove", "nobody"}, "no such user"},
		{"", []string{"add"}, "want add NAME"},
		{"", []string{"add", "omar", "--password", "x"}, "flag provided but not defined: -password"},
	} {
		if code, _, stderr := as(tt.input, tt.args...); code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("user %v: exit %d, %q; want 2 with %q", tt.args, code, stderr, tt.want)
		}
	}
	if code, _, stderr := as("", "reset", "amina", "--role", "admin"); code != exitOK {
		t.Errorf("reset --role: %d %s", code, stderr)
	}
	if code, _, stderr := as("another long password\n", "reset", "robot"); code != exitOK {
		t.Errorf("reset (a password for the key's user): %d %s", code, stderr)
	}
	users, err := daemon.ReadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, r := users.Find("amina"), users.Find("robot"); a == nil || a.Role != daemon.RoleAdmin || a.PasswordHash == "" || r == nil || r.APIKeyHash == "" || r.PasswordHash == "" {
		t.Errorf("users after the resets: %+v", users)
	}
	if code, out, _ := as("", "list"); code != exitOK || !strings.Contains(out, "robot") || !strings.Contains(out, "password, API key") {
		t.Errorf("user list: %d %s", code, out)
	}
	if code, _, stderr := as("", "remove", "robot"); code != exitOK {
		t.Errorf("remove: %d %s", code, stderr)
	}
	if users, _ := daemon.ReadUsers(path); users.Find("robot") != nil {
		t.Error("robot still in users.yaml")
	}
}
