package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// The delivery of the nightly workbook by mail (report.mail): the nightly
// run makes the first attempt (pipeline.Run); the daemon's mail loop makes
// the others, for the latest workbook only, when they are due: at the
// delivery's NextAttempt (report.mail.retry_first, doubling up to
// retry_max, until give_up_after since the first attempt; never after a
// 5xx); at once when the process of an attempt died during it; and once at
// start-up when it had given up, so that a restart after fixing report.mail
// tries again.

// idleLook is how long the mail loop sleeps with nothing owed; a nightly
// run wakes it.
const idleLook = time.Hour

// mailLoop retries the delivery of the latest workbook when due, until the
// daemon stops. gaveUp is the run whose delivery had been given up when the
// daemon started (""): it gets one attempt more, unless a newer workbook
// supersedes it meanwhile.
func (d *Daemon) mailLoop(gaveUp string) {
	defer close(d.mailDone)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait := d.mailTurn(gaveUp)
		gaveUp = ""
		timer.Reset(wait)
		select {
		case <-d.base.Done():
			return
		case <-d.mailWake:
		case <-timer.C:
		}
	}
}

// givenUp returns the run whose workbook is the latest and whose delivery
// the daemon gave up, or "".
func (d *Daemon) givenUp() string {
	rec, err := runlog.LastWorkbook(d.cfg)
	if err != nil || rec == nil || rec.Delivery == nil {
		return ""
	}
	if del := rec.Delivery; del.Status == runlog.DeliveryFailed && del.NextAttempt == nil {
		return rec.ID
	}
	return ""
}

// wakeMail makes the mail loop look at the latest workbook now (after a
// nightly run).
func (d *Daemon) wakeMail() {
	select {
	case d.mailWake <- struct{}{}:
	default:
	}
}

// mailTurn makes an attempt if one is due and returns how long to wait
// before looking again. gaveUp: a run whose given-up delivery gets one
// attempt more (the start-up's).
func (d *Daemon) mailTurn(gaveUp string) time.Duration {
	s := d.cfg.Settings.Report.Mail
	rec, err := runlog.LastWorkbook(d.cfg)
	if err != nil {
		d.log.Error("mail: the run records cannot be read", "err", err)
		return time.Minute
	}
	if rec == nil || rec.Delivery == nil || rec.Delivery.Status == runlog.DeliverySent {
		return idleLook
	}
	del, now := rec.Delivery, time.Now()
	switch {
	case del.InFlight(): // the nightly run, or an `offshore run` from a shell, is sending it
		return min(s.RetryFirst, time.Minute)
	case del.Status == runlog.DeliveryPending: // its process died during the attempt
	case del.NextAttempt != nil && now.Before(*del.NextAttempt):
		return del.NextAttempt.Sub(now)
	case del.NextAttempt == nil && rec.ID != gaveUp: // given up
		return idleLook
	}
	d.redeliver(rec.ID)
	return time.Second // then look again: the record says what comes next
}

// redeliver makes one attempt at run id's delivery, counted in the daemon's
// running jobs so that a stop lets it finish within the grace period.
func (d *Daemon) redeliver(id string) {
	if !d.enter() {
		return
	}
	defer d.wg.Done()
	ctx, cancel := context.WithTimeout(d.base, d.cfg.Settings.Report.Mail.Timeout+30*time.Second)
	defer cancel()
	rec, err := pipeline.Redeliver(ctx, d.cfg, id, d.log.With("job", "mail")) // it logs the outcome
	if errors.Is(err, pipeline.ErrNotOwed) {
		d.log.Debug("mail: nothing to send", "run", id, "reason", err)
		return
	}
	if rec != nil && rec.Delivery != nil {
		d.metrics.delivery(rec.Delivery)
	}
	d.alerts.poke() // a delivery given up, or sent at last, is told now
}

// mailState is where the delivery of the latest workbook stands, for
// /healthz and the page. Recipients are left out: /healthz needs no token.
type mailState struct {
	// Status: off (report.mail.to is empty), none (no workbook, or one
	// written while mail was off), sent, sending (an attempt under way),
	// retrying (a next attempt is planned) or failed (given up).
	Status      string     `json:"status"`
	Run         string     `json:"run,omitempty"`
	Workbook    string     `json:"workbook,omitempty"`
	Attempts    int        `json:"attempts,omitempty"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Permanent   bool       `json:"permanent,omitempty"`

	to []string // the recipients of the last attempt, for the page only
}

// mailStatus reads the delivery of the latest workbook.
func (d *Daemon) mailStatus() (*mailState, error) {
	if !d.cfg.Settings.Report.Mail.Enabled() {
		return &mailState{Status: "off"}, nil
	}
	id := d.state.latestWorkbook() // kept in memory: /healthz and /metrics read no folder
	if id == "" {
		return stateOf(nil), nil
	}
	rec, err := runlog.Read(d.cfg, id)
	if err != nil {
		return nil, err
	}
	return stateOf(rec), nil
}

// stateOf is the state of rec's delivery.
func stateOf(rec *runlog.Record) *mailState {
	if rec == nil || rec.Delivery == nil {
		return &mailState{Status: "none"}
	}
	del := rec.Delivery
	m := &mailState{Run: rec.ID, Workbook: filepath.Base(del.Workbook), Attempts: del.Attempts, NextAttempt: del.NextAttempt,
		SentAt: del.SentAt, LastError: del.LastError, Permanent: del.Permanent, to: del.Recipients()}
	if !del.LastAttempt.IsZero() {
		t := del.LastAttempt
		m.LastAttempt = &t
	}
	switch {
	case del.Status == runlog.DeliverySent:
		m.Status, m.LastError, m.Permanent = "sent", "", false
	case del.InFlight():
		m.Status = "sending"
	case del.Status == runlog.DeliveryPending || del.NextAttempt != nil:
		m.Status = "retrying"
	default:
		m.Status = "failed"
	}
	return m
}

// reason says, for /healthz, why a failed delivery makes the service
// failing and what to do.
func (m *mailState) reason() string {
	return fmt.Sprintf("the workbook %s (run %s) was not delivered by mail after %d attempts, last: %s; fix report.mail (or the server) and restart offshore schedule, which then tries once more",
		m.Workbook, m.Run, m.Attempts, m.LastError)
}

// text says it in lang (French, or English for "en"), for the page
// (behind the login): when and to whom it was sent, or what failed and what
// comes next; when writes a time.
func (m *mailState) text(lang string, when func(time.Time) string) string {
	en := lang == "en"
	pick := func(fr, eng string) string {
		if en {
			return eng
		}
		return fr
	}
	switch m.Status {
	case "off":
		return pick("désactivé (report.mail.to est vide)", "off (report.mail.to is empty)")
	case "none":
		return pick("aucun pour le dernier classeur (écrit avant que l'envoi soit activé)", "none for the latest workbook (written before delivery was set up)")
	case "sent":
		return fmt.Sprintf(pick("%s envoyé le %s à %s (tentative %d)", "%s sent on %s to %s (attempt %d)"), m.Workbook, when(*m.SentAt), strings.Join(m.to, ", "), m.Attempts)
	case "sending":
		return fmt.Sprintf(pick("%s en cours d'envoi (tentative %d)", "%s being sent (attempt %d)"), m.Workbook, m.Attempts)
	case "retrying":
		next := pick("dès que possible", "as soon as possible")
		if m.NextAttempt != nil {
			next = pick("le ", "on ") + when(*m.NextAttempt)
		}
		return fmt.Sprintf(pick("%s non envoyé : %d tentative(s), la dernière a échoué (%s) ; nouvel essai %s", "%s not sent: %d attempt(s), the last failed (%s); next try %s"), m.Workbook, m.Attempts, m.LastError, next)
	}
	return fmt.Sprintf(pick("%s NON ENVOYÉ : abandon après %d tentative(s) ; dernière erreur : %s. Corriger report.mail (ou le serveur) puis redémarrer le service, qui essaie une fois de plus.",
		"%s NOT SENT: given up after %d attempt(s); last error: %s. Fix report.mail (or the server) and restart the service, which tries once more."),
		m.Workbook, m.Attempts, m.LastError)
}

// checkMail logs, at start-up, what would make every delivery fail.
func (d *Daemon) checkMail() {
	s := d.cfg.Settings.Report.Mail
	if !s.Enabled() {
		return
	}
	d.log.Info("workbooks delivered by mail", "to", len(s.To), "cc", len(s.Cc), "server", fmt.Sprintf("%s:%d", s.Host, s.ServerPort()), "security", s.Security)
	if s.User != "" && os.Getenv(s.PasswordEnv) == "" {
		d.log.Error("report.mail.user is set but the environment variable named by report.mail.password_env is empty: every delivery will fail",
			"password_env", s.PasswordEnv)
	}
}
