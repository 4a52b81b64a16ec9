package config

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValidAndComplete(t *testing.T) {
	c, err := Default("/work")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Settings.Paths.Inbox; got != "/work/inbox" {
		t.Errorf("inbox = %q, want /work/inbox", got)
	}
	pai := c.TargetSet("pai-2016-2020")
	if pai == nil || pai.BaselineYear != 2015 || pai.Horizon != 2020 {
		t.Fatalf("pai-2016-2020 = %+v", pai)
	}
	want := map[string]float64{"jobs-2020": 60000, "exports-2020": 18e9, "investment-2016-2020": 1.5e9, "crm-jobs-2020": 15000}
	for _, tg := range pai.Targets {
		if v, ok := want[tg.ID]; !ok || v != tg.Value {
			t.Errorf("target %s value %v, want %v", tg.ID, tg.Value, v)
		}
		delete(want, tg.ID)
	}
	if len(want) != 0 {
		t.Errorf("missing targets %v", want)
	}
	if b := pai.Targets[0].Baseline; b == nil || *b != 63000 {
		t.Errorf("jobs baseline = %v, want 63000", b)
	}
	md := c.TargetSet("md-2030")
	if md == nil || md.Horizon != 2030 || md.Targets[0].Value != 270000 || md.Targets[1].Value != 40e9 {
		t.Errorf("md-2030 = %+v", md)
	}
	if len(c.Mappings.Regions) != 12 || len(c.Mappings.Sectors) != 5 {
		t.Errorf("%d regions and %d sectors, want 12 and 5", len(c.Mappings.Regions), len(c.Mappings.Sectors))
	}
}

func TestLoadFiles(t *testing.T) {
	tests := []struct {
		file    string
		wantErr []string // substrings of the error; nil: no error
	}{
		{"testdata/override.good.yaml", nil},
		{"testdata/unknown-key.bad.yaml", []string{"unknown-key.bad.yaml", `unknown key "modle"`, "line 4"}},
		{"testdata/bad-lang.bad.yaml", []string{"bad-lang.bad.yaml", "report.lang is de", "fr or en"}},
		// Issue 13: configurations that passed the loader and hurt the data.
		{"testdata/inbox-is-the-workdir.bad.yaml", []string{"paths.inbox", "holds the configuration file", "overlap"}},
		{"testdata/inbox-in-the-warehouse.bad.yaml", []string{"paths.inbox", "paths.warehouse", "overlap"}},
		{"testdata/quarantine-is-the-inbox.bad.yaml", []string{"paths.inbox", "paths.quarantine", "overlap"}},
		{"testdata/file-prefix-a-path.bad.yaml", []string{"report.file_prefix", "../../X", "plain file name"}},
		{"testdata/every-negative.bad.yaml", []string{"schedule.run", "@every -5m", "positive duration"}},
		{"testdata/every-zero.bad.yaml", []string{"schedule.run", "@every 0s", "positive duration"}},
		{"testdata/ingest-every-second.bad.yaml", []string{"schedule.ingest", "1s apart", "at most once every 10s"}},
		{"testdata/max-file-mb-overflow.bad.yaml", []string{"ingest.max_file_mb is 9999999999999", "1..4096"}},
		{"testdata/model-unknown.bad.yaml", []string{"forecast.model", "bogus", "auto"}},
		{"testdata/target-sets-empty.bad.yaml", []string{"report.target_sets is []"}},
		{"testdata/target-sets-twice.bad.yaml", []string{"report.target_sets is pai-2016-2020", "listed twice"}},
		// Issue 17: delivery by mail.
		{"testdata/mail-password-in-file.bad.yaml", []string{`unknown key "password"`, "line 7", "password_env"}},
		{"testdata/mail-incomplete.bad.yaml", []string{`report.mail.to[1] is "the minister"`, `report.mail.from is ""`, `report.mail.host is ""`,
			`report.mail.security is "ssl"`, "starttls, tls or none", `report.mail.password_env is "SMTP PASSWORD"`}},
		{"testdata/mail-cc-without-to.bad.yaml", []string{"report.mail.to is []", "report.mail.cc is set"}},
		{"testdata/mail-retries.bad.yaml", []string{"report.mail.retry_max is 1h0m0s", "report.mail.give_up_after is 0s", "report.mail.timeout is 0s"}},
		{"testdata/mail-plain-password.bad.yaml", []string{`report.mail.security is "none"`, "plain text to smtp.industrie.gov.ma"}},
		// Issue 18: access to the HTTP server.
		{"testdata/access.bad.yaml", []string{"schedule.api_token is 11 characters long", "at least 32", `schedule.allowed_hosts[0] is "http://evil.example/"`,
			"schedule.max_connections is 100000", "schedule.session_idle is 48h0m0s"}},
		{"testdata/mail-host-with-port.bad.yaml", []string{`report.mail.host is "smtp.industrie.gov.ma:587"`, "report.mail.port is 70000"}},
		// Issue 19: running it for years.
		{"testdata/retention-negative.bad.yaml", []string{"retention.runs_days is -1", "0 keeps forever", "retention.runs_keep is 0"}},
		{"testdata/alerts-webhook.bad.yaml", []string{`alerts.webhook_url is "ftp://hooks.example"`, "alerts.stale_after is 10m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := Load(tt.file, "")
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				abs, _ := filepath.Abs("testdata/incoming")
				if c.Settings.Paths.Inbox != abs {
					t.Errorf("inbox %q, want %q (relative to the file)", c.Settings.Paths.Inbox, abs)
				}
				if c.Settings.Forecast.OnTrack != 0.8 || c.Settings.Forecast.AtRisk != 0.3 {
					t.Errorf("thresholds %v/%v, want 0.8 from the file and the default 0.3", c.Settings.Forecast.OnTrack, c.Settings.Forecast.AtRisk)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestWriteDefaultsThenLoadBeside(t *testing.T) {
	dir := t.TempDir()
	written, err := WriteDefaults(dir)
	if err != nil || len(written) != 3 {
		t.Fatalf("WriteDefaults = %v, %v", written, err)
	}
	// An edited targets.yaml beside offshore.yaml replaces the embedded one.
	edited := `sets:
  - id: pai-2016-2020
    name: edited
    baseline_year: 2015
    horizon: 2020
    targets:
      - {id: jobs, metric: jobs, kind: level, sector: ALL, value: 100000}
  - id: md-2030
    name: x
    baseline_year: 2015
    horizon: 2030
    targets: []
`
	if err := os.WriteFile(filepath.Join(dir, TargetsFile), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.TargetSet("pai-2016-2020"); s.Name != "edited" || len(s.Targets) != 1 {
		t.Errorf("targets not read from the working folder: %+v", s)
	}
	if c.Sources[TargetsFile] != filepath.Join(dir, TargetsFile) {
		t.Errorf("source %q", c.Sources[TargetsFile])
	}
	// Never overwrites.
	again, err := WriteDefaults(dir)
	if err != nil || len(again) != 0 {
		t.Errorf("second WriteDefaults wrote %v, %v", again, err)
	}
}

// TestTargetsThatWouldHurtTheNight reproduces issue 13: targets with
// value .nan or .inf, a negative baseline, or a horizon of 6000 (a forecast
// running for minutes) passed the loader.
func TestTargetsThatWouldHurtTheNight(t *testing.T) {
	neg := -5.0
	for _, tt := range []struct {
		name string
		edit func(*TargetSet)
		want string
	}{
		{"nan value", func(s *TargetSet) { s.Targets[0].Value = math.NaN() }, "targets[0].value is NaN"},
		{"inf value", func(s *TargetSet) { s.Targets[0].Value = math.Inf(1) }, "targets[0].value is +Inf"},
		{"negative baseline", func(s *TargetSet) { s.Targets[0].Baseline = &neg }, "targets[0].baseline is -5"},
		{"horizon 6000", func(s *TargetSet) { s.Horizon = 6000 }, "horizon is 6000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Default("")
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(&c.Targets.Sets[0])
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate: %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateNamesKeyAndValue(t *testing.T) {
	c, err := Default("")
	if err != nil {
		t.Fatal(err)
	}
	c.Targets.Sets[0].Targets[0].Metric = "salaries"
	c.Targets.Sets[0].Targets[1].Sector = "XYZ"
	c.Settings.Forecast.TargetSet = "nope"
	c.Settings.Schedule.Run = "every night"
	err = c.Validate()
	for _, s := range []string{`schedule.run is "every night"`, "sets[0].targets[0].metric is salaries", "sets[0].targets[1].sector is XYZ", "forecast.target_set is nope"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("error %v does not contain %q", err, s)
		}
	}
}

// TestMailSettings: mail is off by default; a complete report.mail loads,
// with its CA file relative to the settings file and the usual port of its
// security mode.
func TestMailSettings(t *testing.T) {
	c, err := Default(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Settings.Report.Mail; m.Enabled() || m.Security != MailSTARTTLS || m.ServerPort() != 587 || m.PasswordEnv != "OFFSHORE_SMTP_PASSWORD" {
		t.Errorf("default report.mail = %+v: want off, starttls on 587, password from OFFSHORE_SMTP_PASSWORD", m)
	}
	c, err = Load("testdata/mail.good.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	m := c.Settings.Report.Mail
	ca, _ := filepath.Abs("testdata/certs/ministry-ca.pem")
	if !m.Enabled() || len(m.To) != 2 || len(m.Cc) != 1 || m.ServerPort() != 465 || m.CAFile != ca || m.Timeout != time.Minute {
		t.Errorf("report.mail = %+v: want 2 recipients, 1 cc, port 465 (tls), ca_file %s, the default timeout", m, ca)
	}
}
