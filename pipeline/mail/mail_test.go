package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/mail/mailtest"
	"github.com/offshore-ma/offshore/pipeline/report"
)

var q4 = domain.NewPeriod(2018, 4)

// results are a run's assessments as the record publishes them: a
// national target off track, a CRM one the workbook's gate hides (opts's
// panel: two CRM operators) though it comes unmasked, an exports target
// masked by the record, and a closed one.
func results() ([]*assess.Result, report.Options) {
	national := assess.Assessment{TargetID: "jobs-2020", Label: "Emplois directs fin 2020", Sector: domain.National, Metric: domain.MetricJobs,
		Kind: domain.KindLevel, Horizon: "2020", Latest: 101000, LatestPeriod: q4, Target: 123000, Projected: 118300, Lo80: 107700, Hi80: 128900,
		PMeet: 0.25, Status: forecast.StatusOffTrack}
	crm := assess.Assessment{TargetID: "crm-jobs-2020", Label: "Emplois directs CRM fin 2020", Sector: "CRM", Metric: domain.MetricJobs,
		Kind: domain.KindLevel, Horizon: "2020", Latest: 31000, LatestPeriod: q4, Target: 45000, Projected: 47654, Lo80: 44000, Hi80: 51000,
		PMeet: 0.8, Status: forecast.StatusOnTrack}
	exports := assess.Assessment{TargetID: "exports-2020", Label: "Chiffre d'affaires à l'export 2020", Sector: domain.National,
		Metric: domain.MetricExports, Kind: domain.KindLevel, Horizon: "2020", LatestPeriod: q4}.Masked()
	closed := assess.Assessment{TargetID: "jobs-2016", Label: "Emplois directs fin 2016", Sector: domain.National, Metric: domain.MetricJobs,
		Kind: domain.KindLevel, Horizon: "2016", Latest: 80000, LatestPeriod: domain.NewPeriod(2016, 4), Target: 75000, Projected: math.NaN(),
		PMeet: math.NaN(), Status: assess.StatusAchieved, Closed: true}
	res := []*assess.Result{{AsOf: q4, TargetSet: "pai-2016-2020", TargetSetName: "Plan d'accélération industrielle 2016-2020",
		Assessments: []assess.Assessment{national, crm, exports, closed}}}
	var panel []domain.Return
	add := func(sector string, n int, headcount int64) {
		for i := range n {
			panel = append(panel, domain.Return{OperatorID: fmt.Sprintf("%s%013d", sector[:2], i), Sector: sector, Region: "Casablanca-Settat",
				Period: q4, Headcount: headcount, ExportRevenueMAD: float64(headcount) * 1e5})
		}
	}
	add("CRM", 2, 15000)
	for _, s := range []string{"BPO", "ITO", "ESO", "KPO"} {
		add(s, 6, 3000)
	}
	return res, report.Options{Lang: "fr", Panel: panel, Sectors: []string{"CRM", "BPO", "ITO", "ESO", "KPO"}, MinOperators: 3, Dominance: 0.85}
}

func TestComposeShowsWhatTheWorkbookShows(t *testing.T) {
	res, opts := results()
	c := Compose(res, opts, q4, "20261128T023000.000412Z-run")
	if got, want := c.Subject(), "Offshoring — synthèse des objectifs au T4 2018"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
	text := c.Text()
	for _, s := range report.Sentences(res, opts) {
		if !strings.Contains(text, s) {
			t.Errorf("the body lacks the sentence %q:\n%s", s, text)
		}
	}
	wantRows := []Row{{"Emplois directs fin 2020", "Hors trajectoire", "25 %"}, {"Emplois directs CRM fin 2020", "Secret statistique", "s"},
		{"Chiffre d'affaires à l'export 2020", "Secret statistique", "s"}, {"Emplois directs fin 2016", "Atteinte", "—"}}
	if !slices.Equal(c.Sets[0].Rows, wantRows) {
		t.Errorf("rows %q, want %q", c.Sets[0].Rows, wantRows)
	}
	// The sentence writes the probability as the table does.
	if !strings.Contains(text, "probabilité d'atteinte 25 %.") {
		t.Errorf("the sentence and the table disagree on the probability:\n%s", text)
	}
	for _, secret := range []string{"47", "44\u202f000", "51\u202f000", "80 %"} { // the CRM target's figures
		if strings.Contains(text, secret) || strings.Contains(c.HTML(), secret) {
			t.Errorf("the mail shows %q, a figure of a target the workbook hides:\n%s", secret, text)
		}
	}
	if !strings.Contains(text, "s : chiffres couverts par le secret statistique.") {
		t.Errorf("no note on the mark s:\n%s", text)
	}
	en := Compose(res, report.Options{Lang: "en", Panel: opts.Panel, Sectors: opts.Sectors, MinOperators: 3, Dominance: 0.85}, q4, "x")
	if got := en.Subject(); got != "Offshoring — summary of the targets at Q4 2018" {
		t.Errorf("English subject %q", got)
	}
	if got := en.Sets[0].Rows[0]; got.Status != "Off track" || got.Probability != "25%" {
		t.Errorf("English row %+v", got)
	}
}

// workbook writes a file to attach and returns its path and sha256.
func workbook(t *testing.T) (string, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Synthese_offshoring_2018Q4_20261128T023000.000412Z.xlsx")
	b := []byte("PK\x03\x04 not really a workbook, but bytes to carry whole \x00\xff")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return p, hex.EncodeToString(sum[:])
}

// settings point at srv.
func settings(srv *mailtest.Server) config.MailSettings {
	return config.MailSettings{To: []string{"Direction des études <etudes@industrie.gov.ma>"}, Cc: []string{"cabinet@industrie.gov.ma"},
		From: "Offshore <offshore@industrie.gov.ma>", Host: srv.Host, Port: srv.Port, Security: config.MailNone,
		Timeout: 10 * time.Second, PasswordEnv: "OFFSHORE_SMTP_PASSWORD"}
}

// TestSendToARealServer sends to aiosmtpd and reads what it received, and
// provokes the failures a night can meet: each case says what the server
// answers and what Send must say.
func TestSendToARealServer(t *testing.T) {
	res, opts := results()
	tests := []struct {
		name     string
		server   mailtest.Options
		reply    string // the server's answer to every DATA, "" for its options'
		edit     func(s *config.MailSettings, srv *mailtest.Server)
		password string
		tries    int      // Send calls, in a row
		codes    []string // what the server answered, attempt by attempt
		code     int      // the last Send's Error.Code; 0 with ok
		perm     bool
		ok       bool // the last Send succeeded
		errHas   string
	}{
		{name: "accepted", tries: 1, codes: []string{"250"}, ok: true},
		{name: "connection refused", edit: func(s *config.MailSettings, _ *mailtest.Server) { s.Port = mailtest.ClosedPort(t) },
			tries: 1, errHas: "refused"},
		{name: "451 then accepted", server: mailtest.Options{Fail: 1}, tries: 2, codes: []string{"451", "250"}, ok: true},
		{name: "451 twice", server: mailtest.Options{Fail: 5}, tries: 2, codes: []string{"451", "451"}, code: 451, errHas: "451"},
		{name: "550 is permanent", reply: "550 5.1.1 No such mailbox", tries: 1, codes: []string{"550"}, code: 550, perm: true, errHas: "No such mailbox"},
		{name: "STARTTLS and AUTH", server: mailtest.Options{TLS: "starttls", User: "offshore", Password: "s3cret"}, password: "s3cret",
			edit: func(s *config.MailSettings, srv *mailtest.Server) {
				s.Security, s.CAFile, s.User = config.MailSTARTTLS, srv.CAFile, "offshore"
			}, tries: 1, codes: []string{"250"}, ok: true},
		{name: "TLS from the first byte", server: mailtest.Options{TLS: "tls"},
			edit:  func(s *config.MailSettings, srv *mailtest.Server) { s.Security, s.CAFile = config.MailTLS, srv.CAFile },
			tries: 1, codes: []string{"250"}, ok: true},
		{name: "a certificate nobody vouches for", server: mailtest.Options{TLS: "starttls"},
			edit:  func(s *config.MailSettings, _ *mailtest.Server) { s.Security = config.MailSTARTTLS },
			tries: 1, errHas: "certificate"},
		{name: "STARTTLS required, not offered", // the password never crosses in clear
			edit: func(s *config.MailSettings, _ *mailtest.Server) { s.Security, s.User = config.MailSTARTTLS, "offshore" }, password: "s3cret",
			tries: 1, errHas: "STARTTLS"},
		{name: "wrong password", server: mailtest.Options{User: "offshore", Password: "s3cret"}, password: "guess",
			edit: func(s *config.MailSettings, _ *mailtest.Server) { s.User = "offshore" }, tries: 1, code: 535, perm: true},
		{name: "no password in the environment", server: mailtest.Options{User: "offshore", Password: "s3cret"},
			edit: func(s *config.MailSettings, _ *mailtest.Server) { s.User = "offshore" }, tries: 1, perm: true, errHas: "OFFSHORE_SMTP_PASSWORD"},
		{name: "workbook changed since written", edit: func(s *config.MailSettings, _ *mailtest.Server) {}, tries: 1, perm: true, errHas: "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.server)
			if tt.reply != "" {
				srv.Reply(t, tt.reply)
			}
			s := settings(srv)
			if tt.edit != nil {
				tt.edit(&s, srv)
			}
			c := Compose(res, opts, q4, "20261128T023000.000412Z-run")
			c.Workbook, c.WorkbookSHA256 = workbook(t)
			if tt.name == "workbook changed since written" {
				os.WriteFile(c.Workbook, []byte("edited"), 0o644)
			}
			var err error
			for range tt.tries {
				err = Send(context.Background(), s, tt.password, c, "abc.20261128T023000.000412Z-run@offshore")
			}
			if got := srv.Attempts(t); !slices.Equal(got, tt.codes) {
				t.Errorf("the server answered %v, want %v", got, tt.codes)
			}
			msgs := srv.Messages(t)
			if tt.ok {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				if len(msgs) != 1 {
					t.Fatalf("%d messages received, want 1", len(msgs))
				}
				checkReceived(t, msgs[0], c)
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Send: %v (%T), want an *Error", err, err)
			}
			if e.Code != tt.code || e.Permanent != tt.perm || Permanent(err) != tt.perm || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("Send: %v (code %d, permanent %v); want code %d, permanent %v, mentioning %q", err, e.Code, e.Permanent, tt.code, tt.perm, tt.errHas)
			}
			if len(msgs) != 0 {
				t.Errorf("%d messages received after a failure", len(msgs))
			}
		})
	}
}

// checkReceived reads the message the server received as a mail reader
// would and compares it with c.
func checkReceived(t *testing.T, m mailtest.Message, c Content) {
	t.Helper()
	if m.From != "offshore@industrie.gov.ma" || !slices.Equal(m.Rcpt, []string{"etudes@industrie.gov.ma", "cabinet@industrie.gov.ma"}) {
		t.Errorf("envelope from %q to %v; want from offshore@, to the recipient and the cc", m.From, m.Rcpt)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "Offshoring — synthèse des objectifs au T4 2018" {
		t.Errorf("subject %q, %v", subject, err)
	}
	// As Python's email package reads it (a reader that keeps the folding
	// whitespace of an unstructured header): no space before the subject.
	py := exec.Command(mailtest.Python(), "-c", "import email, email.policy, sys; "+
		"m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default); sys.stdout.write(repr(str(m['Subject'])))")
	py.Stdin = bytes.NewReader(m.Raw)
	if out, err := py.Output(); err != nil || string(out) != "'Offshoring — synthèse des objectifs au T4 2018'" {
		t.Errorf("Python's email package reads the subject as %s (%v)", out, err)
	}
	if got := msg.Header.Get("Message-Id"); got != "<abc.20261128T023000.000412Z-run@offshore>" {
		t.Errorf("Message-ID %q", got)
	}
	if got := msg.Header.Get("Cc"); !strings.Contains(got, "cabinet@industrie.gov.ma") {
		t.Errorf("Cc %q", got)
	}
	parts := map[string][]byte{}
	walk(t, msg.Header.Get("Content-Type"), msg.Body, parts)
	if got := strings.ReplaceAll(string(parts["text/plain"]), "\r\n", "\n"); got != c.Text() {
		t.Errorf("text body as received:\n%s\nwant:\n%s", got, c.Text())
	}
	if !strings.Contains(string(parts["text/html"]), "<td style=\"border-top: 1px solid #ccc\">Hors trajectoire</td>") {
		t.Errorf("HTML body without the status table:\n%s", parts["text/html"])
	}
	want, _ := os.ReadFile(c.Workbook)
	if got := parts["attachment "+filepath.Base(c.Workbook)]; !bytes.Equal(got, want) {
		t.Errorf("attachment %q: %d bytes, want the workbook's %d; parts %v", filepath.Base(c.Workbook), len(got), len(want), keys(parts))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// walk decodes the MIME parts of body into parts: text/plain and
// text/html by type, attachments as "attachment <name>".
func walk(t *testing.T, contentType string, body io.Reader, parts map[string][]byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b io.Reader = p
			switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
			case "quoted-printable":
				b = quotedprintable.NewReader(p)
			case "base64":
				b = base64Reader(p)
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "multipart/") {
				walk(t, p.Header.Get("Content-Type"), b, parts)
				continue
			}
			data, err := io.ReadAll(b)
			if err != nil {
				t.Fatal(err)
			}
			if name := p.FileName(); name != "" {
				parts["attachment "+name] = data
				continue
			}
			pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			parts[pt] = data
		}
	}
	data, _ := io.ReadAll(body)
	parts[mt] = data
}

// base64Reader decodes a base64 part (the decoder skips line breaks).
func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
