package pipeline

import (
	"context"
	"errors"
	"os"

	"github.com/offshore-ma/offshore/config"

	offmail "github.com/offshore-ma/offshore/pipeline/mail"
)

// ErrMailOff is returned by SendNotice when report.mail has no recipient.
var ErrMailOff = errors.New("report.mail is off (report.mail.to is empty)")

// SendNotice mails a notice about the service (the daemon's alerts and
// recoveries) to report.mail's recipients, through its server, with the
// password of report.mail.password_env: one attempt, whose retries are the
// caller's (mail.SendNotice says whether a failure is permanent).
func SendNotice(ctx context.Context, cfg *config.Config, subject, text, messageID string) error {
	s := cfg.Settings.Report.Mail
	if !s.Enabled() {
		return ErrMailOff
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	return offmail.SendNotice(ctx, s, os.Getenv(s.PasswordEnv), offmail.Notice{Subject: subject, Text: text, MessageID: messageID})
}
