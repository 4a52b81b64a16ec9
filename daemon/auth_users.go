package daemon

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"

	"github.com/offshore-ma/offshore/internal/atomicfile"
)

// Role is what a user may do through the HTTP server. Each role may do
// what the ones before it may.
type Role string

// Roles.
const (
	RoleViewer  Role = "viewer"  // reads the page, the runs, the charts and the workbook
	RoleAnalyst Role = "analyst" // launches ad-hoc forecasts too
	RoleAdmin   Role = "admin"   // triggers the nightly run and the ingest, reads the audit
)

// rank orders the roles; 0 is no role.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// User is one person (or one program, with an API key only) who may use
// the HTTP server. Secrets are kept as hashes only: the password as
// bcrypt, the API key as the SHA-256 of its 32 random bytes' text (a key
// that long needs no slow hash).
type User struct {
	Name         string `yaml:"name"`
	Role         Role   `yaml:"role"`
	PasswordHash string `yaml:"password_bcrypt,omitempty"`
	APIKeyHash   string `yaml:"api_key_sha256,omitempty"`
}

// Users is the users file (schedule.users_file), which `offshore user`
// writes and the daemon reads.
type Users struct {
	Users []User `yaml:"users"`
}

// Password limits: bcrypt reads at most 72 bytes.
const (
	MinPasswordLength = 12
	maxPasswordBytes  = 72
)

// passwordCost is bcrypt's cost for new passwords (about 0.2 s a check on
// a server core); the tests lower it.
var passwordCost = 12

var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ErrNoUser is returned (wrapped) for a user the file does not list.
var ErrNoUser = errors.New("no such user")

// ReadUsers reads the users file at path; a missing file is no user. It
// fails, naming the file and the entry, on an unknown key, a bad name or
// role, a name listed twice or a hash that is not one.
func ReadUsers(path string) (*Users, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Users{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the users file: %w", err)
	}
	var u Users
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&u); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	var errs []error
	for i, x := range u.Users {
		bad := func(what string) {
			errs = append(errs, fmt.Errorf("users file %s: users[%d] (%q): %s", path, i, x.Name, what))
		}
		if !userName.MatchString(x.Name) {
			bad("name: want lowercase letters, digits, '.', '_' or '-', at most 64")
		}
		if slices.ContainsFunc(u.Users[:i], func(o User) bool { return o.Name == x.Name }) {
			bad("listed twice")
		}
		if x.Role.rank() == 0 {
			bad(fmt.Sprintf("role is %q; want viewer, analyst or admin", x.Role))
		}
		if x.PasswordHash == "" && x.APIKeyHash == "" {
			bad("neither password_bcrypt nor api_key_sha256: set one with offshore user reset")
		}
		if x.PasswordHash != "" {
			if _, err := bcrypt.Cost([]byte(x.PasswordHash)); err != nil {
				bad("password_bcrypt is not a bcrypt hash (offshore user reset writes one)")
			}
		}
		if x.APIKeyHash != "" {
			if h, err := hex.DecodeString(x.APIKeyHash); err != nil || len(h) != sha256.Size {
				bad("api_key_sha256 is not 64 hexadecimal digits")
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &u, nil
}

// Write writes u to path atomically, readable by its owner only.
func (u *Users) Write(path string) error {
	b, err := yaml.Marshal(u)
	if err != nil {
		return err
	}
	head := "# offshore users: written by `offshore user`; secrets are kept as hashes only.\n"
	return atomicfile.Write(path, func(w io.Writer) error {
		if f, ok := w.(interface{ Chmod(os.FileMode) error }); ok {
			if err := f.Chmod(0o600); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, head+string(b))
		return err
	})
}

// Find returns the user named name, or nil.
func (u *Users) Find(name string) *User {
	for i := range u.Users {
		if u.Users[i].Name == name {
			return &u.Users[i]
		}
	}
	return nil
}

// Set adds x, or replaces the user of the same name.
func (u *Users) Set(x User) {
	if p := u.Find(x.Name); p != nil {
		*p = x
		return
	}
	u.Users = append(u.Users, x)
}

// Remove removes the user named name.
func (u *Users) Remove(name string) error {
	i := slices.IndexFunc(u.Users, func(x User) bool { return x.Name == name })
	if i < 0 {
		return fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	u.Users = slices.Delete(u.Users, i, i+1)
	return nil
}

// CheckUser checks a new user's name and role, with a message for the
// person typing them.
func CheckUser(name string, role Role) error {
	if !userName.MatchString(name) {
		return fmt.Errorf("user name %q: want lowercase letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit", name)
	}
	if role.rank() == 0 {
		return fmt.Errorf("role %q: want viewer, analyst or admin", role)
	}
	return nil
}

// HashPassword checks a new password's length and returns its bcrypt hash.
func HashPassword(password []byte) (string, error) {
	switch n := utf8.RuneCount(password); {
	case n < MinPasswordLength:
		return "", fmt.Errorf("the password has %d characters; want at least %d", n, MinPasswordLength)
	case len(password) > maxPasswordBytes:
		return "", fmt.Errorf("the password has %d bytes; bcrypt reads at most %d: want a shorter one", len(password), maxPasswordBytes)
	}
	h, err := bcrypt.GenerateFromPassword(password, passwordCost)
	return string(h), err
}

// apiKeyPrefix starts every API key, so that one pasted where it should
// not be is recognised (secret scanners, logs).
const apiKeyPrefix = "offshore_"

// NewAPIKey returns a new API key, to show once, and the hash to keep.
func NewAPIKey() (key, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	key = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, hashKey(key), nil
}

// hashKey is the hash kept of an API key (or of the legacy token).
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}
