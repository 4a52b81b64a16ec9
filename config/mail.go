package config

import (
	"fmt"
	"net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// MailSettings are report.mail: the delivery of each new ministry workbook
// by mail, through the ministry's SMTP server. Mail is off while To is
// empty. The password is never in a file: PasswordEnv names the
// environment variable that holds it.
type MailSettings struct {
	// To and Cc are the recipients, as addresses ("a@b.ma") or with a
	// name ("Direction des études <etudes@b.ma>").
	To []string `yaml:"to"`
	Cc []string `yaml:"cc"`
	// From is the sender's address, with or without a name.
	From string `yaml:"from"`
	// Host and Port are the SMTP server's; Port 0 is the usual port of
	// Security: 587 for starttls, 465 for tls, 25 for none.
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// Security is starttls (a plain connection upgraded by STARTTLS, which
	// the server must offer), tls (TLS from the first byte, "SMTPS") or
	// none (plain text: for a relay on the same host; a password is then
	// sent only to a loopback address).
	Security string `yaml:"security"`
	// CAFile is a PEM file of the authorities the server's certificate is
	// checked against ("": the system's), for a ministry's own CA.
	CAFile string `yaml:"ca_file"`
	// User is the SMTP login ("": no authentication); the password is read
	// from the environment variable PasswordEnv when a mail is sent.
	User        string `yaml:"user"`
	PasswordEnv string `yaml:"password_env"`
	// Timeout bounds one attempt: connection, dialogue and upload.
	Timeout time.Duration `yaml:"timeout"`
	// RetryFirst is the wait after a first failed attempt, doubled after
	// each further failure up to RetryMax; the daemon gives up when the
	// next attempt would come more than GiveUpAfter after the first. A
	// permanent refusal (an SMTP reply 5xx) is not retried.
	RetryFirst  time.Duration `yaml:"retry_first"`
	RetryMax    time.Duration `yaml:"retry_max"`
	GiveUpAfter time.Duration `yaml:"give_up_after"`
}

// Enabled tells whether workbooks are delivered by mail: report.mail.to
// names someone.
func (m MailSettings) Enabled() bool { return len(m.To) > 0 }

// Security modes of report.mail.security.
const (
	MailSTARTTLS = "starttls"
	MailTLS      = "tls"
	MailNone     = "none"
)

// ServerPort is Port, or the usual port of Security when Port is 0.
func (m MailSettings) ServerPort() int {
	if m.Port != 0 {
		return m.Port
	}
	switch m.Security {
	case MailTLS:
		return 465
	case MailNone:
		return 25
	}
	return 587
}

// envName is a portable environment variable name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validate checks report.mail, with bad as Validate's. What is set is
// checked even while mail is off, so that a mistake shows when the file
// is written rather than on the first night with recipients.
func (m MailSettings) validate(bad func(key string, val any, want string)) {
	addr := func(key, a string) {
		if _, err := mail.ParseAddress(a); err != nil {
			bad(key, fmt.Sprintf("%q", a), "a mail address such as stats@industrie.gov.ma or \"Name <stats@industrie.gov.ma>\"")
		}
	}
	for i, a := range m.To {
		addr(fmt.Sprintf("report.mail.to[%d]", i), a)
	}
	for i, a := range m.Cc {
		addr(fmt.Sprintf("report.mail.cc[%d]", i), a)
	}
	if len(m.Cc) > 0 && !m.Enabled() {
		bad("report.mail.to", "[]", "at least one recipient when report.mail.cc is set (mail is off while to is empty)")
	}
	if m.Enabled() || m.From != "" {
		addr("report.mail.from", m.From)
	}
	if m.Enabled() && strings.TrimSpace(m.Host) == "" {
		bad("report.mail.host", `""`, "the SMTP server's host name, such as smtp.industrie.gov.ma")
	}
	if strings.ContainsAny(m.Host, " /:@") {
		bad("report.mail.host", fmt.Sprintf("%q", m.Host), "a host name or IP address alone (the port goes in report.mail.port)")
	}
	if m.Port < 0 || m.Port > 65535 {
		bad("report.mail.port", m.Port, "a TCP port in 1..65535, or 0 for the usual port of the security mode (587, 465, 25)")
	}
	if m.Security != MailSTARTTLS && m.Security != MailTLS && m.Security != MailNone {
		bad("report.mail.security", fmt.Sprintf("%q", m.Security), "starttls, tls or none")
	}
	if m.Security == MailNone && m.User != "" && !loopback(m.Host) {
		bad("report.mail.security", `"none"`, fmt.Sprintf("starttls or tls: with a user, the password would cross the network in plain text to %s (none is for a relay on this host: localhost, 127.0.0.1, ::1)", m.Host))
	}
	if m.User != "" && !envName.MatchString(m.PasswordEnv) {
		bad("report.mail.password_env", fmt.Sprintf("%q", m.PasswordEnv), "the name of the environment variable holding the SMTP password, such as OFFSHORE_SMTP_PASSWORD (the password itself is never written in a file)")
	}
	if m.Timeout < time.Second || m.Timeout > 10*time.Minute {
		bad("report.mail.timeout", m.Timeout, "a duration from 1s to 10m, such as 1m")
	}
	if m.RetryFirst < time.Second || m.RetryFirst > 24*time.Hour {
		bad("report.mail.retry_first", m.RetryFirst, "a duration from 1s to 24h, such as 1m")
	}
	if m.RetryMax < m.RetryFirst || m.RetryMax > 24*time.Hour {
		bad("report.mail.retry_max", m.RetryMax, fmt.Sprintf("a duration from retry_first (%s) to 24h, such as 1h", m.RetryFirst))
	}
	if m.GiveUpAfter < m.RetryFirst || m.GiveUpAfter > 30*24*time.Hour {
		bad("report.mail.give_up_after", m.GiveUpAfter, fmt.Sprintf("a duration from retry_first (%s) to 720h, such as 24h", m.RetryFirst))
	}
}

// loopback tells whether host is this machine: the only server go-mail
// sends a password to without TLS.
func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// resolve makes CAFile absolute against dir.
func (m *MailSettings) resolve(dir string) {
	if m.CAFile != "" && !filepath.IsAbs(m.CAFile) {
		m.CAFile = filepath.Join(dir, m.CAFile)
	}
}
