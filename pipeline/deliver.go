package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/runlog"
	"github.com/offshore-ma/offshore/pipeline/warehouse"

	offmail "github.com/offshore-ma/offshore/pipeline/mail"
)

// Delivery by mail (report.mail) of the workbook a nightly run wrote.
//
// Exactly once: the delivery belongs to the record of the run that wrote
// the workbook (its Delivery, identified by the workbook's path and
// sha256); it is marked pending, with this process's id, before an attempt
// and sent or failed after it, so that no other process sends it meanwhile
// and a process that died during an attempt leaves it to be taken up
// again. A run with nothing new writes no workbook and sends nothing. A
// failure does not fail the run: its figures and workbook stand, and the
// daemon (Redeliver) tries again, later, while the workbook is the latest.

// ErrNotOwed is returned (wrapped) by Redeliver when there is nothing to
// send: the delivery is sent, under way in another process, superseded by a
// newer workbook, or mail is off.
var ErrNotOwed = errors.New("no delivery owed")

// ErrDelivery matches (errors.Is) Run's error when the run succeeded but
// its workbook could not be mailed: the run record says ok, its Delivery
// failed. The workbook is in the outbox; the daemon retries.
var ErrDelivery = errors.New("the workbook was written but not delivered by mail")

// deliveryError is a failed attempt, as Run returns it.
type deliveryError struct{ error }

func (e deliveryError) Error() string      { return ErrDelivery.Error() + ": " + e.error.Error() }
func (deliveryError) Is(target error) bool { return target == ErrDelivery }
func (e deliveryError) Unwrap() error      { return e.error }

// newDelivery starts the Delivery of rec's workbook, to report.mail's
// recipients, with its first attempt under way in this process.
func newDelivery(cfg *config.Config, rec *runlog.Record, now time.Time) *runlog.Delivery {
	s := cfg.Settings.Report.Mail
	d := &runlog.Delivery{Workbook: rec.Report, To: s.To, Cc: s.Cc, MessageID: messageID(s.From, rec.ID)}
	d.Begin(now)
	sum, err := warehouse.FileSHA256(rec.Report)
	if err != nil { // written a moment ago: recorded, and not sent
		d.Status, d.LastError, d.Permanent, d.PID, d.PIDStart = runlog.DeliveryFailed, err.Error(), true, 0, ""
		return d
	}
	d.SHA256 = sum
	return d
}

// messageID is the Message-ID of every attempt at the workbook of run id:
// the run's id at the sender's domain.
func messageID(from, id string) string {
	domain := "offshore.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "offshore." + id + "@" + domain
}

// attempt makes one attempt at rec's delivery, already marked under way in
// this process (Delivery.Begin), and records its outcome in rec. opts are
// the workbook's confidentiality options (secrecyOptions; without the panel
// the record's Confidential list alone masks the results, as it does for
// the page). It returns the attempt's error.
func attempt(ctx context.Context, cfg *config.Config, rec *runlog.Record, opts report.Options, log *slog.Logger) error {
	log = orDiscard(log)
	s, d := cfg.Settings.Report.Mail, rec.Delivery
	d.To, d.Cc = s.To, s.Cc
	if err := runlog.Save(cfg, rec); err != nil { // pending, in this process: nobody else sends it
		return err
	}
	opts.Lang = cfg.Settings.Report.Lang
	c := offmail.Compose(rec.Published().Results, opts, rec.AsOf, rec.ID)
	c.Workbook, c.WorkbookSHA256 = d.Workbook, d.SHA256
	start := time.Now()
	err := offmail.Send(ctx, s, os.Getenv(s.PasswordEnv), c, d.MessageID)
	now := time.Now().UTC()
	d.PID, d.PIDStart = 0, ""
	if err == nil {
		d.Status, d.SentAt, d.LastError, d.Permanent, d.NextAttempt = runlog.DeliverySent, &now, "", false, nil
		log.Info("workbook delivered by mail", "run", rec.ID, "to", strings.Join(d.Recipients(), ", "),
			"attempt", d.Attempts, "duration", now.Sub(start).Round(time.Millisecond))
	} else {
		d.Status, d.LastError, d.Permanent = runlog.DeliveryFailed, err.Error(), offmail.Permanent(err)
		d.NextAttempt = nextAttempt(s, d, now)
		next := "none: given up"
		if d.NextAttempt != nil {
			next = d.NextAttempt.Format(time.RFC3339)
		}
		log.Error("workbook not delivered by mail", "run", rec.ID, "attempt", d.Attempts, "permanent", d.Permanent, "next_attempt", next, "err", err)
	}
	return errors.Join(err, runlog.Save(cfg, rec))
}

// nextAttempt is when the daemon tries d again after a failure that ended
// at now: report.mail.retry_first after the first attempt, doubled after
// each further one up to retry_max; nil when it gives up: after a
// permanent error, or when that time is more than give_up_after after the
// first attempt.
func nextAttempt(s config.MailSettings, d *runlog.Delivery, now time.Time) *time.Time {
	if d.Permanent {
		return nil
	}
	wait := s.RetryFirst
	for i := 1; i < d.Attempts && wait < s.RetryMax; i++ {
		wait *= 2
	}
	wait = min(wait, s.RetryMax)
	next := now.Add(wait)
	if next.Sub(d.FirstAttempt) > s.GiveUpAfter {
		return nil
	}
	return &next
}

// Redeliver is the daemon's retry: one more attempt at the delivery of the
// workbook of run id, whatever its NextAttempt (the daemon chooses when). It
// returns the record as it ends, and the attempt's error; ErrNotOwed
// (wrapped) when there is nothing to send: the delivery is sent or under
// way in a live process, a newer workbook supersedes it, or mail is off.
func Redeliver(ctx context.Context, cfg *config.Config, id string, log *slog.Logger) (*runlog.Record, error) {
	if !cfg.Settings.Report.Mail.Enabled() {
		return nil, fmt.Errorf("report.mail.to is empty: %w", ErrNotOwed)
	}
	last, err := runlog.LastWorkbook(cfg)
	if err != nil {
		return nil, err
	}
	if last == nil || last.ID != id {
		return last, fmt.Errorf("run %s's workbook is not the latest: %w", id, ErrNotOwed)
	}
	if !last.Delivery.Owed() {
		return last, fmt.Errorf("run %s's delivery is sent, under way or was never started: %w", id, ErrNotOwed)
	}
	last.Delivery.Begin(time.Now().UTC())
	return last, attempt(ctx, cfg, last, secrecyFor(cfg, nil), log)
}
