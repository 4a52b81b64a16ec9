package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/offshore-ma/offshore/pipeline/runlog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/synth"
)

// daemon is a running `offshore schedule` child process.
type daemonProc struct {
	cmd  guardedCmd
	out  *lockedBuffer
	url  string
	done chan error
}

func startDaemon(t *testing.T, dir string) *daemonProc {
	t.Helper()
	d := &daemonProc{cmd: child(t, "--workdir", dir, "schedule", "--listen", "127.0.0.1:0"), out: &lockedBuffer{}, done: make(chan error, 1)}
	d.cmd.Env = append(os.Environ(), "OFFSHORE_API_TOKEN=e2e-token-of-at-least-32-characters-0123")
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	addr := regexp.MustCompile(`listening on (http://127\.0\.0\.1:[0-9]+)`)
	waitFor(t, "the daemon to listen", func() bool {
		m := addr.FindStringSubmatch(d.out.String())
		if m != nil {
			d.url = m[1]
		}
		return m != nil
	})
	return d
}

// stop sends SIGTERM and checks that the daemon exits 0.
func (d *daemonProc) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("after SIGTERM: %v\n%s", err, d.out.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("no exit within a minute of SIGTERM\n%s", d.out.String())
	}
}

func (d *daemonProc) api(t *testing.T, method, path, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, d.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer e2e-token-of-at-least-32-characters-0123")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
	}
	return res.StatusCode
}

func (d *daemonProc) runs(t *testing.T, job string) []runlog.Record {
	var out struct{ Runs []runlog.Record }
	d.api(t, "GET", "/api/runs?limit=1000&job="+job, "", &out)
	return out.Runs
}

// TestScheduleProcess starts `offshore schedule` as a process: it catches
// up the missed nightly run, its cron ingest takes a return dropped into
// the inbox, an ad-hoc forecast runs through the API, SIGTERM stops it
// with exit 0, and a restart does not run the nightly job again.
func TestScheduleProcess(t *testing.T) {
	cfg, _ := config.Default("")
	src := t.TempDir()
	inputs, err := synth.WriteDir(context.Background(), src, &cfg.Mappings, synth.Options{Operators: 5, From: domain.NewPeriod(2015, 1), To: domain.NewPeriod(2017, 4), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	dir := newWorkdir(t, inputs)
	yaml := filepath.Join(dir, "offshore.yaml")
	b, _ := os.ReadFile(yaml)
	s := strings.Replace(string(b), `run: "30 3 * * *"`, `run: "0 0 1 1 *"`, 1)  // yearly: missed, so caught up at start
	s = strings.Replace(s, `ingest: "0 * * * *"`, `ingest: "*/10 * * * * *"`, 1) // every 10 s, the shortest the loader allows
	if s == string(b) {
		t.Fatal("offshore.yaml's schedule lines changed; update this test")
	}
	os.WriteFile(yaml, []byte(s), 0o644)

	d := startDaemon(t, dir)
	waitFor(t, "the catch-up nightly run", func() bool {
		rs := d.runs(t, "run")
		return len(rs) == 1 && rs[0].Trigger == "catch-up" && rs[0].Status == "ok"
	})
	accepted := 0
	for _, job := range []string{"run", "ingest"} {
		for _, r := range d.runs(t, job) {
			accepted += r.Ingest.Accepted
		}
	}
	if accepted != len(inputs) {
		t.Errorf("%d returns accepted, want the %d of the inbox", accepted, len(inputs))
	}

	late, err := synth.WriteDir(context.Background(), filepath.Join(dir, "inbox"), &cfg.Mappings, synth.Options{Operators: 1, From: domain.NewPeriod(2018, 1), To: domain.NewPeriod(2018, 1), Seed: 12})
	if err != nil || len(late) != 1 {
		t.Fatal(err)
	}
	waitFor(t, "the cron ingest to take the new return", func() bool {
		for _, r := range d.runs(t, "ingest") {
			// cron, or the start-up catch-up ingest if it is still due: the ingest job either way
			if (r.Trigger == "cron" || r.Trigger == "catch-up") && r.Status == "ok" && r.Ingest.Accepted == 1 {
				return true
			}
		}
		return false
	})

	var acc struct{ ID string }
	// The inbox's returns count as received when the daemon took them
	// (now), so no as_of: the official quarter, 2017Q4 (2018Q1 has one
	// return of five).
	if code := d.api(t, "POST", "/api/forecasts", `{"metrics": ["jobs"]}`, &acc); code != http.StatusAccepted {
		t.Fatalf("POST /api/forecasts: %d", code)
	}
	var rec runlog.Record
	waitFor(t, "the ad-hoc forecast", func() bool {
		d.api(t, "GET", "/api/runs/"+acc.ID, "", &rec)
		return rec.Status != "running"
	})
	if rec.Status != "ok" || rec.AsOf.String() != "2017Q4" || len(rec.Results) != 1 || len(rec.Results[0].Assessments) == 0 {
		t.Fatalf("ad-hoc forecast: %+v", rec)
	}
	var e struct{ Error string }
	if code := d.api(t, "POST", "/api/forecasts", `{"as_of": 2017}`, &e); code != http.StatusBadRequest || !strings.Contains(e.Error, "as_of") {
		t.Errorf("bad request: %d %q", code, e.Error)
	}
	ingests := len(d.runs(t, "ingest"))
	d.stop(t)
	if !strings.Contains(d.out.String(), "stopped") {
		t.Errorf("no stop message:\n%s", d.out.String())
	}

	d = startDaemon(t, dir)
	// An hourly ingest of the now empty inbox leaves no record (retention):
	// it shows in the log.
	waitFor(t, "an ingest after the restart", func() bool {
		return len(d.runs(t, "ingest")) > ingests || regexp.MustCompile(`msg="job finished" job=ingest`).MatchString(d.out.String())
	})
	if rs := d.runs(t, "run"); len(rs) != 1 {
		t.Errorf("after a restart: %d nightly runs, want still 1", len(rs))
	}
	d.stop(t)
}
