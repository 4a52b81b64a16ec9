package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/pipeline/mail/mailtest"
)

// TestRunMailsTheWorkbook: `offshore run` mails its new workbook once. A
// refused attempt leaves the run's figures and workbook in place and exits
// 4, saying so; a rerun with nothing new sends nothing (the daemon, not the
// command, retries); a new workbook is sent, and the run exits 0.
func TestRunMailsTheWorkbook(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Reply(t, "451 4.3.0 Mailbox busy")
	dir := t.TempDir()
	if code, _, stderr := offshore(t, "init", "--dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	settings := filepath.Join(dir, "offshore.yaml")
	edit := func(key, value string) {
		t.Helper()
		b, err := os.ReadFile(settings)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(`(?m)^(\s+` + key + `:) .*$`)
		if !re.Match(b) {
			t.Fatalf("no %s in offshore.yaml", key)
		}
		if err := os.WriteFile(settings, re.ReplaceAll(b, []byte("${1} "+value)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("to", "[etudes@industrie.gov.ma]")
	edit("from", `"Offshore <offshore@industrie.gov.ma>"`)
	edit("host", srv.Host)
	edit("port", fmt.Sprint(srv.Port))
	edit("security", "none")
	inbox := filepath.Join(dir, "inbox")
	if code, _, stderr := offshore(t, "--workdir", dir, "gen", "--out", inbox, "--operators", "5", "--from", "2015Q1", "--to", "2017Q2"); code != exitOK {
		t.Fatal(stderr)
	}

	code, out, stderr := offshore(t, "--workdir", dir, "run", "--backfill")
	if code != exitUndelivered || !strings.Contains(out, "report: ") || !strings.Contains(out, "mail: not sent") || !strings.Contains(out, "451") ||
		!strings.Contains(stderr, "not delivered by mail") {
		t.Fatalf("run with the server refusing: exit %d, want 4\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	srv.Reply(t, "")
	if code, out, stderr := offshore(t, "--workdir", dir, "run"); code != exitOK || strings.Contains(out, "mail:") || len(srv.Attempts(t)) != 1 {
		t.Errorf("rerun with nothing new: exit %d, attempts %v\nstdout:\n%s\nstderr:\n%s", code, srv.Attempts(t), out, stderr)
	}
	edit("on_track", "0.8") // other settings: a new workbook
	code, out, stderr = offshore(t, "--workdir", dir, "run")
	if code != exitOK || !strings.Contains(out, "mail: sent to etudes@industrie.gov.ma") || len(srv.Messages(t)) != 1 {
		t.Errorf("run of a new workbook: exit %d, %d messages\nstdout:\n%s\nstderr:\n%s", code, len(srv.Messages(t)), out, stderr)
	}
}
