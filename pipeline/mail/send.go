package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/offshore-ma/offshore/config"
)

// xlsxType is the media type of the attached workbook.
const xlsxType gomail.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Error is a failed attempt: what went wrong, the SMTP reply code when
// the server answered one (0 otherwise: a refused or cut connection, a
// timeout, a TLS failure), and whether trying again is useless.
type Error struct {
	// Code is the server's reply code (451, 550…), 0 without one.
	Code int
	// Permanent is set for a reply 5xx (RFC 5321: the same transaction
	// will fail again) and for what no new attempt can change: a missing
	// password, a workbook gone or changed.
	Permanent bool
	Err       error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Permanent tells whether err, from Send, makes a new attempt useless.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// Send sends c as a mail to s.To and s.Cc from s.From through the server of
// s, with messageID as its Message-ID (the same for every attempt at one
// workbook, so that a mail system that sees it twice may tell) and
// password for s.User. It returns nil once the server has accepted the
// message, even if closing the session fails then. A failure is an *Error
// (Permanent tells whether to try again). The attempt is bounded by
// s.Timeout and abandoned when ctx ends.
func Send(ctx context.Context, s config.MailSettings, password string, c Content, messageID string) error {
	msg, err := build(s, c, messageID, time.Now())
	if err != nil {
		return err
	}
	return transmit(ctx, s, password, msg)
}

// transmit hands msg to the server of s in one SMTP session, as Send says.
func transmit(ctx context.Context, s config.MailSettings, password string, msg *gomail.Msg) error {
	client, err := newClient(s, password)
	if err != nil {
		return err
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return classify(fmt.Errorf("connecting to %s:%d: %w", s.Host, s.ServerPort(), err))
	}
	// Close the connection when ctx ends, so that a stop is not held up by
	// a slow server for the whole timeout.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	err = client.SendWithSMTPClient(conn, msg)
	if msg.IsDelivered() {
		client.CloseWithSMTPClient(conn) // accepted: a failed QUIT changes nothing
		return nil
	}
	conn.Close()
	if err == nil {
		err = errors.New("the server did not confirm the message")
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", context.Cause(ctx), err)
	}
	return classify(fmt.Errorf("sending to %s:%d: %w", s.Host, s.ServerPort(), err))
}

// newClient makes a go-mail client for the server of s.
func newClient(s config.MailSettings, password string) (*gomail.Client, error) {
	tc := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.ca_file: %w", err)}
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.ca_file %s holds no PEM certificate", s.CAFile)}
		}
	}
	opts := []gomail.Option{gomail.WithPort(s.ServerPort()), gomail.WithTimeout(s.Timeout), gomail.WithTLSConfig(tc)}
	switch s.Security {
	case config.MailTLS:
		opts = append(opts, gomail.WithSSL())
	case config.MailNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.User != "" {
		if password == "" {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.user is %q but the environment variable %s, which report.mail.password_env names, is empty or not set", s.User, s.PasswordEnv)}
		}
		// Over TLS, the best mechanism the server offers; in plain text
		// (a relay on this host) PLAIN, which go-mail sends to a loopback
		// address only.
		auth := gomail.SMTPAuthAutoDiscover
		if s.Security == config.MailNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.User), gomail.WithPassword(password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail: %w", err)}
	}
	return c, nil
}

// build makes the message: headers, the plain-text body with its HTML
// alternative, the workbook attached (checked against c.WorkbookSHA256).
func build(s config.MailSettings, c Content, messageID string, date time.Time) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(s.From); err != nil {
		return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.from %q: %w", s.From, err)}
	}
	if err := m.To(s.To...); err != nil {
		return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.to: %w", err)}
	}
	if len(s.Cc) > 0 {
		if err := m.Cc(s.Cc...); err != nil {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("report.mail.cc: %w", err)}
		}
	}
	m.Subject(encodedWords(c.Subject()))
	m.SetMessageIDWithValue(messageID)
	m.SetDateWithValue(date)
	m.SetGenHeader(gomail.HeaderUserAgent, "offshore")
	m.SetGenHeader(gomail.HeaderContentLang, c.Lang)
	m.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no out-of-office replies
	m.SetBodyString(gomail.TypeTextPlain, c.Text())
	m.AddAlternativeString(gomail.TypeTextHTML, c.HTML())
	if c.Workbook != "" {
		b, err := os.ReadFile(c.Workbook)
		if err != nil {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("the workbook to attach: %w", err)}
		}
		if sum := sha256.Sum256(b); c.WorkbookSHA256 != "" && hex.EncodeToString(sum[:]) != c.WorkbookSHA256 {
			return nil, &Error{Permanent: true, Err: fmt.Errorf("the workbook %s changed since the run wrote it (sha256 %s, recorded %s): it is not sent", c.Workbook, hex.EncodeToString(sum[:]), c.WorkbookSHA256)}
		}
		if err := m.AttachReader(filepath.Base(c.Workbook), bytes.NewReader(b), gomail.WithFileContentType(xlsxType)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// classify makes err an *Error: permanent when the server answered 5xx.
func classify(err error) *Error {
	e := &Error{Err: err}
	var send *gomail.SendError
	var reply *textproto.Error
	switch {
	case errors.As(err, &send) && send.ErrorCode() != 0:
		e.Code = send.ErrorCode()
	case errors.As(err, &reply):
		e.Code = reply.Code
	default:
		// go-mail's own errors may carry the server's reply as text only.
		if s := err.Error(); len(s) >= 3 {
			if n, perr := strconv.Atoi(s[:3]); perr == nil && n >= 400 && n < 600 {
				e.Code = n
			}
		}
	}
	e.Permanent = e.Code >= 500 && e.Code < 600
	return e
}

// encodedWords writes s as RFC 2047 encoded-words (UTF-8, Q) of at most
// about 60 characters each, separated by spaces. go-mail would encode the
// subject as one word, too long for the first line: it folds the header
// before it, and readers that keep the folding space (Python's email
// package) read the subject with a leading space. Between encoded-words
// the space is not part of the text: each word carries its own, as "_".
func encodedWords(s string) string {
	const max = 60 - len("=?UTF-8?q??=")
	var words []string
	var cur strings.Builder
	for _, r := range s {
		var enc string
		switch {
		case r == ' ':
			enc = "_"
		case r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
			enc = string(r)
		default:
			var b strings.Builder
			for _, c := range []byte(string(r)) {
				fmt.Fprintf(&b, "=%02X", c)
			}
			enc = b.String()
		}
		if cur.Len()+len(enc) > max {
			words = append(words, "=?UTF-8?q?"+cur.String()+"?=")
			cur.Reset()
		}
		cur.WriteString(enc)
	}
	if cur.Len() > 0 {
		words = append(words, "=?UTF-8?q?"+cur.String()+"?=")
	}
	return strings.Join(words, " ")
}
