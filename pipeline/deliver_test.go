package pipeline

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/mail"
	"github.com/offshore-ma/offshore/pipeline/mail/mailtest"
	"github.com/offshore-ma/offshore/pipeline/runlog"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// mailed is a working folder whose inbox holds a few operators' returns
// and whose report.mail points at srv.
func mailed(t *testing.T, srv *mailtest.Server) *config.Config {
	t.Helper()
	cfg, err := config.Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WriteDir(context.Background(), cfg.Settings.Paths.Inbox, &cfg.Mappings, synth.Options{Operators: 5, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2017, 2), Seed: 5}); err != nil {
		t.Fatal(err)
	}
	m := &cfg.Settings.Report.Mail
	m.To, m.Cc, m.From = []string{"etudes@industrie.gov.ma"}, []string{"cabinet@industrie.gov.ma"}, "Offshore <offshore@industrie.gov.ma>"
	m.Host, m.Port, m.Security, m.Timeout = srv.Host, srv.Port, config.MailNone, 10*time.Second
	return cfg
}

// nightly runs the nightly job and returns its record as saved, and Run's
// error.
func nightly(t *testing.T, cfg *config.Config) (*runlog.Record, error) {
	t.Helper()
	rec, err := Run(context.Background(), cfg, nil, nil)
	if err != nil && !errors.Is(err, ErrDelivery) {
		t.Fatalf("Run: %v", err)
	}
	saved, rerr := runlog.Read(cfg, rec.ID)
	if rerr != nil {
		t.Fatal(rerr)
	}
	return saved, err
}

// TestRunDeliversEachWorkbookOnce: a nightly run that writes a workbook
// mails it (the password read from the environment, never recorded); a
// rerun with nothing new sends nothing; the message says what the page
// says, masked as the workbook is, and a retry would say the same.
func TestRunDeliversEachWorkbookOnce(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{User: "offshore", Password: "pw-in-the-env-only"})
	cfg := mailed(t, srv)
	cfg.Settings.Report.Mail.User, cfg.Settings.Report.Mail.PasswordEnv = "offshore", "OFFSHORE_TEST_SMTP_PASSWORD"
	t.Setenv("OFFSHORE_TEST_SMTP_PASSWORD", "pw-in-the-env-only")

	first, err := nightly(t, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	d := first.Delivery
	if d == nil || d.Status != runlog.DeliverySent || d.Attempts != 1 || d.SentAt == nil || d.Workbook != first.Report || d.SHA256 == "" || d.PID != 0 {
		t.Fatalf("delivery recorded %+v; want sent at the first attempt, the run's workbook", d)
	}
	msgs := srv.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d messages received, want 1", len(msgs))
	}
	raw := string(msgs[0].Raw)
	book, _ := os.ReadFile(first.Report)
	if !strings.Contains(raw, "Message-ID: <"+d.MessageID+">") || !strings.Contains(raw, filepath.Base(first.Report)) || len(book) == 0 {
		t.Errorf("the message lacks its Message-ID %s or the workbook %s", d.MessageID, filepath.Base(first.Report))
	}
	b, _ := os.ReadFile(filepath.Join(cfg.Settings.Paths.Warehouse, "runs", first.ID+".json"))
	if bytes.Contains(b, []byte("pw-in-the-env-only")) || bytes.Contains(msgs[0].Raw, []byte("pw-in-the-env-only")) {
		t.Error("the password is in the run record or the message")
	}

	// What was sent is what a retry from the record alone would send: the
	// record's published results, masked by its Confidential list.
	c := mail.Compose(first.Published().Results, secrecyFor(cfg, nil), first.AsOf, first.ID)
	m, err := netmail.ReadMessage(bytes.NewReader(msgs[0].Raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if want := "Offshoring — synthèse des objectifs au T2 2017"; subject != want || c.Subject() != want {
		t.Errorf("subject %q (composed again: %q), want %q", subject, c.Subject(), want)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(raw, "=\r\n", ""), "\r\n", "\n")
	for _, s := range c.Sets {
		for _, sentence := range s.Sentences {
			if !strings.Contains(text, qp(sentence)) {
				t.Errorf("the message lacks %q, which a retry would send", sentence)
			}
		}
	}
	if len(first.Confidential) == 0 {
		t.Fatal("five operators should leave some sector target confidential: the test proves nothing")
	}
	for _, s := range c.Sets {
		for _, r := range s.Rows {
			hidden := slices.ContainsFunc(first.Confidential, func(k string) bool { return strings.HasSuffix(k, "/"+targetID(first, r.Label)) })
			if hidden != (r.Probability == "s") {
				t.Errorf("row %+v: confidential %v in the record", r, hidden)
			}
		}
	}

	// Nothing new: the mail settings changed no figure, so the workbook
	// stands, and is not sent again.
	cfg.Settings.Report.Mail.Cc = append(cfg.Settings.Report.Mail.Cc, "direction@industrie.gov.ma")
	second, err := nightly(t, cfg)
	if err != nil || second.UnchangedSince != first.ID || second.Delivery != nil {
		t.Fatalf("rerun with nothing new but a cc: err %v, unchanged_since %q, delivery %+v", err, second.UnchangedSince, second.Delivery)
	}
	if _, err := Redeliver(context.Background(), cfg, first.ID, nil); !errors.Is(err, ErrNotOwed) {
		t.Errorf("Redeliver of a sent workbook: %v, want ErrNotOwed", err)
	}
	if n := len(srv.Messages(t)); n != 1 {
		t.Errorf("%d messages after a rerun with nothing new and a redelivery of a sent workbook, want 1", n)
	}
}

// targetID finds the id of the target labelled label in rec.
func targetID(rec *runlog.Record, label string) string {
	for _, r := range rec.Results {
		for _, a := range r.Assessments {
			if a.Label == label {
				return a.TargetID
			}
		}
	}
	return ""
}

// TestFailedDeliveryIsRecordedThenRetried: the server's answers at the
// first attempt, and what the record, Run and Redeliver say.
func TestFailedDeliveryIsRecordedThenRetried(t *testing.T) {
	for _, tt := range []struct {
		name      string
		server    mailtest.Options
		reply     string
		closed    bool // nobody listens
		permanent bool
		retried   bool     // a Redeliver sends it
		codes     []string // the server's answers, Run's then Redeliver's
	}{
		{name: "refused connection", closed: true},
		{name: "451 then accepted", server: mailtest.Options{Fail: 1}, retried: true, codes: []string{"451", "250"}},
		{name: "550", reply: "550 5.7.1 Relaying denied", permanent: true, codes: []string{"550"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.server)
			if tt.reply != "" {
				srv.Reply(t, tt.reply)
			}
			cfg := mailed(t, srv)
			if tt.closed {
				cfg.Settings.Report.Mail.Port = mailtest.ClosedPort(t)
			}
			before := time.Now()
			rec, err := nightly(t, cfg)
			if !errors.Is(err, ErrDelivery) || rec.Status != runlog.StatusOK || rec.Report == "" {
				t.Fatalf("Run: %v, status %s; want ok with its workbook, and ErrDelivery", err, rec.Status)
			}
			d := rec.Delivery
			if d.Status != runlog.DeliveryFailed || d.Attempts != 1 || d.LastError == "" || d.Permanent != tt.permanent {
				t.Fatalf("delivery %+v; want failed once, permanent %v", d, tt.permanent)
			}
			retry := cfg.Settings.Report.Mail.RetryFirst
			if tt.permanent != (d.NextAttempt == nil) || d.NextAttempt != nil && (d.NextAttempt.Before(before.Add(retry)) || d.NextAttempt.After(time.Now().Add(retry))) {
				t.Errorf("next attempt %v; want none after a permanent refusal, else retry_first (%s) after the attempt", d.NextAttempt, retry)
			}
			if tt.closed {
				cfg.Settings.Report.Mail.Port = srv.Port // the server is up again
			}
			if tt.permanent {
				srv.Reply(t, "")
			}
			if tt.retried || tt.closed {
				again, err := Redeliver(context.Background(), cfg, rec.ID, nil)
				if err != nil || again.Delivery.Status != runlog.DeliverySent || again.Delivery.Attempts != 2 {
					t.Fatalf("Redeliver: %v, %+v", err, again.Delivery)
				}
				if _, err := Redeliver(context.Background(), cfg, rec.ID, nil); !errors.Is(err, ErrNotOwed) {
					t.Errorf("second Redeliver: %v, want ErrNotOwed", err)
				}
				if n := len(srv.Messages(t)); n != 1 {
					t.Errorf("%d messages, want 1", n)
				}
			}
			if tt.codes != nil {
				if got := srv.Attempts(t); !slices.Equal(got, tt.codes) {
					t.Errorf("the server answered %v, want %v", got, tt.codes)
				}
			}
			// A rerun with nothing new sends nothing, whatever the delivery's state.
			n := len(srv.Attempts(t))
			if again, err := nightly(t, cfg); err != nil || again.UnchangedSince == "" || len(srv.Attempts(t)) != n {
				t.Errorf("rerun with nothing new: %v, unchanged_since %q, attempts %d → %d", err, again.UnchangedSince, n, len(srv.Attempts(t)))
			}
		})
	}
}

// TestNewerWorkbookSupersedesAFailedDelivery: only the latest workbook is
// owed; the older one's failed delivery is not retried.
func TestNewerWorkbookSupersedesAFailedDelivery(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Fail: 1})
	cfg := mailed(t, srv)
	old, err := nightly(t, cfg)
	if !errors.Is(err, ErrDelivery) {
		t.Fatalf("Run: %v", err)
	}
	cfg.Settings.Forecast.OnTrack = 0.8 // a new workbook
	newer, err := nightly(t, cfg)
	if err != nil || newer.Delivery.Status != runlog.DeliverySent {
		t.Fatalf("second run: %v, %+v", err, newer.Delivery)
	}
	if _, err := Redeliver(context.Background(), cfg, old.ID, nil); !errors.Is(err, ErrNotOwed) {
		t.Errorf("Redeliver of a superseded workbook: %v, want ErrNotOwed", err)
	}
	if got := srv.Attempts(t); !slices.Equal(got, []string{"451", "250"}) {
		t.Errorf("the server answered %v", got)
	}
}

// TestBackoff: the waits double from retry_first up to retry_max, and the
// daemon gives up past give_up_after since the first attempt.
func TestBackoff(t *testing.T) {
	s := config.MailSettings{RetryFirst: time.Minute, RetryMax: time.Hour, GiveUpAfter: 24 * time.Hour}
	first := time.Date(2026, 11, 28, 3, 30, 0, 0, time.UTC)
	d := &runlog.Delivery{FirstAttempt: first}
	var waits []time.Duration
	now := first
	for d.Attempts = 1; ; d.Attempts++ {
		next := nextAttempt(s, d, now)
		if next == nil {
			break
		}
		waits = append(waits, next.Sub(now))
		now = *next
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour}
	if len(waits) < len(want) || !slices.Equal(waits[:len(want)], want) || waits[len(waits)-1] != time.Hour {
		t.Errorf("waits %v; want %v then 1h each", waits, want)
	}
	if gaveUp := now.Sub(first); gaveUp > s.GiveUpAfter || gaveUp < s.GiveUpAfter-time.Hour {
		t.Errorf("last attempt %s after the first; want within the last hour of give_up_after (24h)", gaveUp)
	}
	d.Permanent = true
	if next := nextAttempt(s, d, first); next != nil {
		t.Errorf("a permanent refusal is retried at %v", next)
	}
}

// qp is s as quoted-printable writes it, soft line breaks aside.
func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return strings.ReplaceAll(b.String(), "=\r\n", "")
}
