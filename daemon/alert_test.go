package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/mail/mailtest"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// hook is a webhook receiver on loopback: it answers 500 to the first
// fail requests, then 204, and keeps the notices it accepted.
type hook struct {
	mu       sync.Mutex
	fail     int
	requests int
	notices  []alertNotice
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests++
	if h.fail > 0 {
		h.fail--
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	var n alertNotice
	if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&n) != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	h.notices = append(h.notices, n)
	w.WriteHeader(http.StatusNoContent)
}

func (h *hook) got() (int, []alertNotice) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests, append([]alertNotice(nil), h.notices...)
}

func alerting(t *testing.T, url string) *config.Config {
	cfg := workdir(t, "0 0 1 1 *", "")
	cfg.Settings.Alerts = config.AlertSettings{WebhookURL: url, StaleAfter: 36 * time.Hour, WebhookTimeout: 5 * time.Second, Retries: 3}
	return cfg
}

func failedRun(t *testing.T, cfg *config.Config, why string) *runlog.Record {
	t.Helper()
	r := runlog.New(runlog.JobRun, runlog.TriggerCron)
	if err := runlog.Finish(context.Background(), cfg, r, errors.New(why)); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAlertOncePerIncidentAcrossRestarts: a failed nightly run is told
// once through the webhook (retried past two 500s), not again by a later
// check nor by a restarted daemon, and its recovery is told once.
func TestAlertOncePerIncidentAcrossRestarts(t *testing.T) {
	h := &hook{fail: 2}
	srv := httptest.NewServer(h)
	defer srv.Close()
	cfg := alerting(t, srv.URL+"/hooks/secret-token")
	ctx := context.Background()
	d := newDaemon(t, cfg)
	d.alerts.backoff = time.Millisecond
	now := time.Now()
	failed := failedRun(t, cfg, "disk full")

	d.alerts.check(ctx, now)
	reqs, notices := h.got()
	if reqs != 3 || len(notices) != 1 {
		t.Fatalf("after a failed run: %d requests, %d notices; want 3 (two 500s retried) and 1", reqs, len(notices))
	}
	n := notices[0]
	if n.Status != "alert" || n.Kind != incidentRunFailed || n.Run != failed.ID || !strings.Contains(n.Summary, "disk full") || !strings.Contains(n.Text, "ALERT") {
		t.Errorf("notice: %+v", n)
	}
	// A second failure is the same incident; a check tells nothing more.
	failedRun(t, cfg, "disk still full")
	d.alerts.check(ctx, now.Add(time.Minute))
	// A restarted daemon neither.
	d2 := newDaemon(t, cfg)
	d2.alerts.check(ctx, now.Add(2*time.Minute))
	if reqs, _ := h.got(); reqs != 3 {
		t.Fatalf("the incident was told again: %d requests", reqs)
	}
	// The next nightly run succeeds: one recovery notice.
	succeeded(t, cfg, runlog.JobRun)
	d2.alerts.check(ctx, now.Add(3*time.Minute))
	d2.alerts.check(ctx, now.Add(4*time.Minute))
	_, notices = h.got()
	if len(notices) != 2 || notices[1].Status != "recovered" || notices[1].Kind != incidentRunFailed {
		t.Fatalf("after the recovery: %+v; want one recovery notice", notices)
	}
	// No successful run for more than stale_after: told once, then its recovery.
	d2.alerts.check(ctx, now.Add(40*time.Hour))
	d2.alerts.check(ctx, now.Add(41*time.Hour))
	_, notices = h.got()
	if len(notices) != 3 || notices[2].Kind != incidentStale || notices[2].Status != "alert" {
		t.Fatalf("stale: %+v", notices)
	}
	d2.alerts.check(ctx, now.Add(time.Hour)) // a run succeeded within stale_after of this check
	_, notices = h.got()
	if len(notices) != 4 || notices[3].Kind != incidentStale || notices[3].Status != "recovered" {
		t.Fatalf("stale recovered: %+v", notices)
	}
}

// TestAlertWebhookDownThenMailAndRetry: with the webhook refusing for good
// (a 404 is not retried), the alert goes by mail, through report.mail's
// server; with no channel taking it, it is tried again at the next check.
func TestAlertWebhookDownThenMailAndRetry(t *testing.T) {
	h := &hook{fail: 1 << 20}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.requests++
		h.mu.Unlock()
		http.NotFound(w, r)
	}))
	defer srv.Close()
	smtp := mailtest.Start(t, mailtest.Options{})
	smtp.Reply(t, "451 4.3.0 try later")
	cfg := alerting(t, srv.URL)
	mailTo(cfg, smtp)
	cfg.Settings.Alerts.Mail = true
	d := newDaemon(t, cfg)
	d.alerts.backoff = time.Millisecond
	failedRun(t, cfg, "panic: nil map")
	ctx := context.Background()

	d.alerts.check(ctx, time.Now()) // neither channel takes it
	if reqs, _ := h.got(); reqs != 1 {
		t.Errorf("a 404 was retried: %d requests", reqs)
	}
	if len(smtp.Messages(t)) != 0 {
		t.Fatal("the mail server accepted during a 451")
	}
	smtp.Reply(t, "")
	d.alerts.check(ctx, time.Now()) // tried again: the mail goes
	msgs := smtp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d alert mails, want 1", len(msgs))
	}
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	if subject != "[offshore] ALERT: run_failed" || !strings.Contains(string(body), "panic: nil map") || m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("alert mail: subject %q, headers %v, body:\n%s", subject, m.Header, body)
	}
	d.alerts.check(ctx, time.Now())
	if len(smtp.Messages(t)) != 1 {
		t.Error("the alert was mailed twice")
	}
}
