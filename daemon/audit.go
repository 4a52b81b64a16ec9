package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditEntry is one state-changing request (any method but GET, HEAD and
// OPTIONS), accepted or refused: a line of the audit file
// (schedule.audit_file).
type AuditEntry struct {
	Time   time.Time `json:"time"`
	User   string    `json:"user,omitempty"` // the user, "api_token", "local", or the name a failed login gave
	Role   Role      `json:"role,omitempty"`
	Via    string    `json:"via,omitempty"` // session, api_key, token or loopback
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Run    string    `json:"run,omitempty"` // the run it launched
	Note   string    `json:"note,omitempty"`
	// Remote is the address the request came from; ForwardedFor what a
	// proxy said of the client (recorded, not trusted).
	Remote       string `json:"remote"`
	ForwardedFor string `json:"forwarded_for,omitempty"`
	UserAgent    string `json:"user_agent,omitempty"`
}

// audit appends entries to the audit file, each synced before the next.
type audit struct {
	path string
	log  *slog.Logger
	mu   sync.Mutex
	f    *os.File
}

// write appends e; a failure is logged (the request has been answered).
func (a *audit) write(e AuditEntry) {
	b, err := json.Marshal(e)
	if err != nil {
		a.log.Error("audit entry not written", "err", err)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		if err := os.MkdirAll(filepath.Dir(a.path), 0o755); err != nil {
			a.log.Error("audit file not opened", "file", a.path, "err", err)
			return
		}
		if a.f, err = os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err != nil {
			a.log.Error("audit file not opened", "file", a.path, "err", err)
			return
		}
	}
	if _, err := a.f.Write(append(b, '\n')); err != nil {
		a.log.Error("audit entry not written", "file", a.path, "err", err)
		return
	}
	if err := a.f.Sync(); err != nil {
		a.log.Error("audit entry not synced", "file", a.path, "err", err)
	}
}

// close closes the file; the next write opens it again.
func (a *audit) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f != nil {
		a.f.Close()
		a.f = nil
	}
}

// tail returns the last n entries, oldest first, reading at most the
// file's last 1 MiB.
func (a *audit) tail(n int) ([]AuditEntry, error) {
	f, err := os.Open(a.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	const most = 1 << 20
	off := max(st.Size()-most, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, off, st.Size()-off))
	if err != nil {
		return nil, err
	}
	if off > 0 { // the first line may be cut
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	lines = lines[max(len(lines)-n, 0):]
	out := make([]AuditEntry, 0, len(lines))
	for _, l := range lines {
		var e AuditEntry
		if len(l) > 0 && json.Unmarshal(l, &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// audited records every state-changing request in the audit file once
// answered: who (as the guards found), when, what, from where, the
// status, and the run it launched (the handler that launches one says
// which). Every request gets a reqInfo for the guards to fill.
func (a *audit) audited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, info := withInfo(r)
		if safeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now().UTC()
		next.ServeHTTP(sw, r)
		e := AuditEntry{Time: start, Method: r.Method, Path: r.URL.Path, Status: sw.status, Remote: r.RemoteAddr,
			ForwardedFor: r.Header.Get("X-Forwarded-For"), UserAgent: truncate(r.UserAgent(), 200)}
		info.mu.Lock()
		if info.who != nil {
			e.User, e.Role, e.Via = info.who.Name, info.who.Role, info.who.Via
		}
		e.Run, e.Note = info.run, info.note
		info.mu.Unlock()
		a.write(e)
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// getAudit serves the audit's last entries (limit, default 100, at most
// 1000), oldest first.
func (d *Daemon) getAudit(w http.ResponseWriter, r *http.Request) {
	limit, ok := queryLimit(w, r, 100)
	if !ok {
		return
	}
	es, err := d.audit.tail(limit)
	if err != nil {
		d.log.Error("audit file not read", "err", err)
		writeError(w, http.StatusInternalServerError, "the audit file cannot be read (see the daemon's log)")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": es})
}
