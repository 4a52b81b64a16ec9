package daemon

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/mail/mailtest"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// mailTo points cfg's report.mail at srv, with retries a second apart.
func mailTo(cfg *config.Config, srv *mailtest.Server) {
	m := &cfg.Settings.Report.Mail
	m.To, m.Cc, m.From = []string{"etudes@industrie.gov.ma"}, []string{"cabinet@industrie.gov.ma"}, "Offshore <offshore@industrie.gov.ma>"
	m.Host, m.Port, m.Security, m.Timeout = srv.Host, srv.Port, config.MailNone, 10*time.Second
	m.RetryFirst, m.RetryMax = time.Second, 2*time.Second
}

// healthOf reads /api/health: /healthz with the details (error texts,
// the mail's workbook), behind the login.
func healthOf(t *testing.T, url string) (int, health) {
	t.Helper()
	code, _, body := call(t, "GET", url+"/api/health", token, "", "")
	var h health
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatalf("/healthz: %v: %s", err, body)
	}
	return code, h
}

// metricsOf reads /metrics.
func metricsOf(t *testing.T, url string) string {
	t.Helper()
	_, _, body := call(t, "GET", url+"/metrics", "", "", "")
	return string(body)
}

// lastWorkbook is the record of the run whose workbook is owed.
func lastWorkbook(t *testing.T, cfg *config.Config) *runlog.Record {
	t.Helper()
	r, err := runlog.LastWorkbook(cfg)
	if err != nil || r == nil {
		t.Fatalf("no workbook recorded: %v", err)
	}
	return r
}

// TestMailRetriedUntilSentOnce: the server refuses (451) the nightly run's
// attempt and the daemon's next ones; /healthz, /metrics and the page say
// so; once the server accepts, the workbook arrives, once, and a nightly
// run with nothing new sends nothing.
func TestMailRetriedUntilSentOnce(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Reply(t, "451 4.7.1 Greylisted, try again later")
	cfg := workdir(t, "0 0 1 1 *", "") // yearly, January 1st: the start-up catches it up
	mailTo(cfg, srv)
	d := newDaemonStarted(t, cfg)
	web := server(t, d)
	// The server counts an attempt when it answers; the daemon records it a
	// moment later: wait for /healthz to say the second one failed.
	var code int
	var h health
	waitFor(t, time.Minute, "two refused attempts recorded", func() bool {
		code, h = healthOf(t, web.URL)
		return h.Mail != nil && h.Mail.Status == "retrying" && h.Mail.Attempts >= 2
	})
	if code != 200 || !strings.Contains(h.Mail.LastError, "451") || h.Mail.NextAttempt == nil || len(srv.Attempts(t)) < 2 {
		t.Errorf("/healthz while retrying: %d %+v; want 200 and mail retrying after 451s", code, h.Mail)
	}
	// The daemon keeps trying meanwhile (an attempt under way shows as
	// sending): poll until each says the mail failed.
	waitFor(t, time.Minute, "/metrics to say the mail failed", func() bool {
		m := metricsOf(t, web.URL)
		for _, want := range []string{`offshore_mail_deliveries_total{status="failed"}`, "offshore_mail_undelivered 1", "offshore_mail_last_success_timestamp_seconds 0"} {
			if !strings.Contains(m, want) {
				return false
			}
		}
		return true
	})
	waitFor(t, time.Minute, "the page to say the mail failed", func() bool {
		_, _, page := call(t, "GET", web.URL+"/", token, "", "")
		return strings.Contains(string(page), "non envoyé") && strings.Contains(string(page), "451")
	})

	srv.Reply(t, "") // the server accepts again
	waitFor(t, time.Minute, "the workbook to arrive", func() bool { return len(srv.Messages(t)) > 0 })
	rec := lastWorkbook(t, cfg)
	waitFor(t, 10*time.Second, "the delivery to be recorded sent", func() bool {
		rec = lastWorkbook(t, cfg)
		return rec.Delivery.Status == runlog.DeliverySent
	})
	attempts := srv.Attempts(t)
	if rec.Delivery.Attempts != len(attempts) || attempts[len(attempts)-1] != "250" {
		t.Errorf("recorded %d attempts; the server saw %v", rec.Delivery.Attempts, attempts)
	}
	checkMessage(t, srv.Messages(t)[0], rec)

	code, h = healthOf(t, web.URL)
	if code != 200 || h.Mail.Status != "sent" || h.Mail.SentAt == nil || h.Mail.LastError != "" {
		t.Errorf("/healthz once sent: %d %+v", code, h.Mail)
	}
	if strings.Contains(string(must(json.Marshal(h))), "etudes@") {
		t.Error("/healthz, open without a token, names the recipients")
	}
	m := metricsOf(t, web.URL)
	for _, want := range []string{`offshore_mail_deliveries_total{status="sent"} 1`, "offshore_mail_undelivered 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics once sent lacks %s", want)
		}
	}
	if strings.Contains(m, "offshore_mail_last_success_timestamp_seconds 0\n") {
		t.Error("/metrics: no last success once sent")
	}
	if _, _, page := call(t, "GET", web.URL+"/", token, "", ""); !strings.Contains(string(page), "envoyé le") || !strings.Contains(string(page), "etudes@industrie.gov.ma") {
		t.Errorf("the page does not say the mail was sent:\n%s", page)
	}

	// A nightly run with nothing new, and the mail loop's next turn, send nothing.
	if again := d.execute(d.jobs[0], runlog.TriggerCron); !again.Succeeded() || again.UnchangedSince == "" {
		t.Fatalf("rerun: %+v", again)
	}
	d.mailTurn("")
	if n, got := len(srv.Messages(t)), srv.Attempts(t); n != 1 || len(got) != len(attempts) {
		t.Errorf("after a rerun with nothing new: %d messages, attempts %v (were %v)", n, got, attempts)
	}
	// A restarted daemon remembers the last success.
	d.Stop(time.Minute)
	if m := metricsOf(t, server(t, newDaemonStarted(t, cfg)).URL); strings.Contains(m, "offshore_mail_last_success_timestamp_seconds 0\n") {
		t.Error("a restarted daemon forgot the last delivery")
	}
}

// checkMessage reads m as a mail reader would: the French subject of the
// run's quarter, the body's sentences and table, the run's workbook
// attached whole.
func checkMessage(t *testing.T, m mailtest.Message, rec *runlog.Record) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	want := "Offshoring — synthèse des objectifs au T" + rec.AsOf.String()[5:] + " " + rec.AsOf.String()[:4]
	if subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	r := multipart.NewReader(msg.Body, params["boundary"])
	book, _ := os.ReadFile(rec.Report)
	found := false
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		if p.FileName() != "" {
			b, _ := io.ReadAll(base64Decoder(p))
			found = bytes.Equal(b, book)
		}
	}
	if !found {
		t.Errorf("the run's workbook %s is not attached whole", rec.Report)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestMailGivenUpUntilRestart: a 550 is not retried; /healthz is failing
// and says what to do; a restart after the fix tries once more, and sends.
func TestMailGivenUpUntilRestart(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Reply(t, "550 5.7.1 Relaying denied")
	cfg := workdir(t, "0 0 1 1 *", "")
	mailTo(cfg, srv)
	d := newDaemonStarted(t, cfg)
	web := server(t, d)
	d.catchingUp.Wait()
	rec := lastWorkbook(t, cfg)
	if del := rec.Delivery; del.Status != runlog.DeliveryFailed || !del.Permanent || del.NextAttempt != nil {
		t.Fatalf("delivery after a 550: %+v; want failed, permanent, no next attempt", del)
	}
	if wait := d.mailTurn(""); wait != idleLook || len(srv.Attempts(t)) != 1 {
		t.Errorf("the mail loop retries a 550 (waits %v; the server saw %v)", wait, srv.Attempts(t))
	}
	code, h := healthOf(t, web.URL)
	if code != 503 || h.Status != "failing" || h.Mail.Status != "failed" || !strings.Contains(h.Reason, "Relaying denied") || !strings.Contains(h.Reason, "restart") {
		t.Errorf("/healthz after a 550: %d %s %q %+v", code, h.Status, h.Reason, h.Mail)
	}
	if m := metricsOf(t, web.URL); !strings.Contains(m, "offshore_mail_undelivered 2") {
		t.Error("/metrics: offshore_mail_undelivered is not 2 (given up)")
	}
	if _, _, page := call(t, "GET", web.URL+"/runs/"+rec.ID, token, "", ""); !strings.Contains(string(page), "NON ENVOYÉ") {
		t.Errorf("the run's page does not say its mail was given up:\n%s", page)
	}

	srv.Reply(t, "") // fixed
	d.Stop(time.Minute)
	d = newDaemonStarted(t, cfg)
	waitFor(t, time.Minute, "the restart's attempt to deliver", func() bool { return len(srv.Messages(t)) == 1 })
	waitFor(t, 10*time.Second, "the delivery to be recorded sent", func() bool { return lastWorkbook(t, cfg).Delivery.Status == runlog.DeliverySent })
	if code, h := healthOf(t, server(t, d).URL); code != 200 || h.Mail.Status != "sent" {
		t.Errorf("/healthz after the restart's delivery: %d %+v", code, h.Mail)
	}
	if n := len(runs(t, cfg, runlog.JobRun)); n != 1 {
		t.Errorf("%d nightly runs: the restart ran the nightly job again", n)
	}
}

// TestMailOfADeadAttemptTakenUp: an attempt whose process died (the record
// left pending) is made again at start-up.
func TestMailOfADeadAttemptTakenUp(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := workdir(t, "0 0 1 1 *", "")
	d := newDaemon(t, cfg) // mail off: the run writes its workbook, no delivery
	if rec := d.execute(d.jobs[0], runlog.TriggerCron); !rec.Succeeded() || rec.Delivery != nil {
		t.Fatalf("run with mail off: %+v", rec)
	}
	d.Stop(time.Minute)
	rec := lastWorkbook(t, cfg)
	sum := sha256File(t, rec.Report)
	rec.Delivery = &runlog.Delivery{Workbook: rec.Report, SHA256: sum, To: []string{"etudes@industrie.gov.ma"}, MessageID: "x@offshore",
		Status: runlog.DeliveryPending, Attempts: 1, FirstAttempt: time.Now(), LastAttempt: time.Now(), PID: 1 << 30}
	if err := runlog.Save(cfg, rec); err != nil {
		t.Fatal(err)
	}
	mailTo(cfg, srv)
	newDaemonStarted(t, cfg)
	waitFor(t, time.Minute, "the dead attempt to be made again", func() bool { return len(srv.Messages(t)) == 1 })
	waitFor(t, 10*time.Second, "the delivery to be recorded sent", func() bool {
		r := lastWorkbook(t, cfg)
		return r.Delivery.Status == runlog.DeliverySent && r.Delivery.Attempts == 2
	})
}

// base64Decoder decodes a base64 MIME part (line breaks skipped).
func base64Decoder(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }

// sha256File is the sha256 of the file at path, hex.
func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
