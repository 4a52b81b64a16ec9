package mail

import (
	"context"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/offshore-ma/offshore/config"
)

// Notice is a plain-text message about the service itself (an alert, a
// recovery), sent to report.mail's recipients through its server.
type Notice struct {
	Subject, Text string
	// MessageID identifies the notice (without angle brackets): the same
	// for every attempt at one notice.
	MessageID string
}

// SendNotice sends n as Send sends a workbook: one SMTP session, an
// *Error on failure saying whether it is permanent.
func SendNotice(ctx context.Context, s config.MailSettings, password string, n Notice) error {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(s.From); err != nil {
		return &Error{Permanent: true, Err: fmt.Errorf("report.mail.from %q: %w", s.From, err)}
	}
	if err := m.To(s.To...); err != nil {
		return &Error{Permanent: true, Err: fmt.Errorf("report.mail.to: %w", err)}
	}
	if len(s.Cc) > 0 {
		if err := m.Cc(s.Cc...); err != nil {
			return &Error{Permanent: true, Err: fmt.Errorf("report.mail.cc: %w", err)}
		}
	}
	m.Subject(encodedWords(n.Subject))
	m.SetMessageIDWithValue(n.MessageID)
	m.SetDateWithValue(time.Now())
	m.SetGenHeader(gomail.HeaderUserAgent, "offshore")
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, n.Text)
	return transmit(ctx, s, password, m)
}
