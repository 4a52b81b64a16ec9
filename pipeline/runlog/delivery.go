package runlog

import (
	"os"
	"slices"
	"time"
)

// DeliveryStatus is where the mail of a workbook stands.
type DeliveryStatus string

// Delivery statuses.
const (
	// DeliveryPending: an attempt is under way (its process is
	// Delivery.PID), or its process died during it.
	DeliveryPending DeliveryStatus = "pending"
	// DeliverySent: the server accepted the message; it is never sent again.
	DeliverySent DeliveryStatus = "sent"
	// DeliveryFailed: the last attempt failed; NextAttempt says when the
	// daemon tries again, and its absence that it gave up.
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is the mail of the workbook a nightly run wrote, kept in that
// run's record: the workbook is delivered once, and this says whether it
// was, to whom, after how many attempts and with what last error. Runs
// with nothing new (UnchangedSince) write no workbook and have none. The
// password is never here.
type Delivery struct {
	// Workbook is the attachment's path and SHA256 its sha256 when the run
	// wrote it: the delivery's identity, checked before each attempt.
	Workbook string `json:"workbook"`
	SHA256   string `json:"sha256"`
	// To and Cc are the recipients of the last attempt.
	To []string `json:"to"`
	Cc []string `json:"cc,omitempty"`
	// MessageID is the Message-ID of every attempt (without angle brackets).
	MessageID string         `json:"message_id"`
	Status    DeliveryStatus `json:"status"`
	Attempts  int            `json:"attempts"`
	// FirstAttempt and LastAttempt are the starts of the first and latest
	// attempts; SentAt when the server accepted the message.
	FirstAttempt time.Time  `json:"first_attempt,omitzero"`
	LastAttempt  time.Time  `json:"last_attempt,omitzero"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	// LastError is the last failed attempt's error; Permanent says the
	// server refused for good (5xx) or that no attempt can succeed as
	// things are (a missing password, a workbook gone).
	LastError string `json:"last_error,omitempty"`
	Permanent bool   `json:"permanent,omitempty"`
	// NextAttempt is when the daemon tries again after a failure; nil once
	// it has given up (a permanent error, or past report.mail.give_up_after).
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	// PID and PIDStart are the process of the attempt under way (status
	// pending), so that another process does not send it at the same time
	// and a dead one's attempt is taken up again.
	PID      int    `json:"pid,omitempty"`
	PIDStart string `json:"pid_start,omitempty"`
}

// Recipients are To then Cc.
func (d *Delivery) Recipients() []string { return append(slices.Clone(d.To), d.Cc...) }

// Begin marks an attempt of d under way in this process, started at now.
func (d *Delivery) Begin(now time.Time) {
	d.Status, d.Attempts, d.LastAttempt = DeliveryPending, d.Attempts+1, now
	if d.FirstAttempt.IsZero() {
		d.FirstAttempt = now
	}
	d.PID, d.PIDStart = os.Getpid(), procStart(os.Getpid())
}

// InFlight tells whether an attempt of d is under way in a live process.
func (d *Delivery) InFlight() bool {
	return d != nil && d.Status == DeliveryPending && alive(d.PID, d.PIDStart)
}

// Owed tells whether d is not sent and nobody is sending it: failed, or
// left pending by a process that died during the attempt.
func (d *Delivery) Owed() bool {
	return d != nil && d.Status != DeliverySent && !d.InFlight()
}
