package daemon

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// session is a browser's login, kept in memory only: a restart logs
// everyone out. Its id is the cookie's value; csrf is the token its forms
// and its /api requests carry.
type session struct {
	id, user, csrf string
	created        time.Time

	mu   sync.Mutex
	seen time.Time
}

// csrfOK tells whether got is the session's CSRF token.
func (s *session) csrfOK(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// maxSessions bounds the sessions kept; past it the least recently used
// is dropped.
const maxSessions = 10000

// sessions are the open browser sessions. One ends maxAge after its
// login, or idle after its last request, whichever comes first.
type sessions struct {
	maxAge, idle time.Duration

	mu sync.Mutex
	m  map[string]*session // by keyID(id)
}

func newSessions(maxAge, idle time.Duration) *sessions {
	return &sessions{maxAge: maxAge, idle: idle, m: map[string]*session{}}
}

// random returns 32 random bytes as base64url text.
func random() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// create opens a session for user.
func (s *sessions) create(user string, now time.Time) (*session, error) {
	id, err := random()
	if err != nil {
		return nil, err
	}
	csrf, err := random()
	if err != nil {
		return nil, err
	}
	n := &session{id: id, user: user, csrf: csrf, created: now, seen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		var oldest string
		var at time.Time
		for k, x := range s.m {
			if s.expired(x, now) {
				delete(s.m, k)
				continue
			}
			if seen := x.lastSeen(); oldest == "" || seen.Before(at) {
				oldest, at = k, seen
			}
		}
		if len(s.m) >= maxSessions {
			delete(s.m, oldest)
		}
	}
	s.m[keyID(id)] = n
	return n, nil
}

// get returns the live session of id, marking it used now; nil when there
// is none or it expired (it is then dropped).
func (s *sessions) get(id string, now time.Time) *session {
	if id == "" {
		return nil
	}
	k := keyID(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.m[k]
	if x == nil {
		return nil
	}
	if s.expired(x, now) {
		delete(s.m, k)
		return nil
	}
	x.mu.Lock()
	x.seen = now
	x.mu.Unlock()
	return x
}

func (s *sessions) expired(x *session, now time.Time) bool {
	return now.Sub(x.created) >= s.maxAge || now.Sub(x.lastSeen()) >= s.idle
}

func (x *session) lastSeen() time.Time {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.seen
}

// drop ends the session of id.
func (s *sessions) drop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, keyID(id))
}
