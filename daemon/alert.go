package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/offshore-ma/offshore/internal/atomicfile"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// Alerts (alerts.* of offshore.yaml): the daemon tells a person when the
// nightly job needs one, through a webhook (a JSON POST, retried with
// backoff) and by mail (report.mail's server and recipients) when
// configured (not for a failed delivery, which the mail server is the
// cause of: the webhook only). Three kinds of incident:
//
//   - run_failed: the latest finished nightly run failed or was
//     interrupted (consecutive failures are one incident);
//   - stale: no successful nightly run for alerts.stale_after;
//   - delivery_failed: the latest workbook's delivery by mail was given up.
//
// Each incident is told once, when it opens, and its recovery once, when
// it closes. Which are open, and whether they were told, is kept in
// warehouse/alerts.json, so that a restart neither tells them again nor
// forgets a recovery. A notice no channel took (the webhook and the mail
// both down) is tried again at the next check. Checks run after each
// nightly run, after each delivery attempt, and every alertEvery.

// alertEvery is how often the daemon checks for incidents between runs.
const alertEvery = 10 * time.Minute

// Incident kinds.
const (
	incidentRunFailed      = "run_failed"
	incidentStale          = "stale"
	incidentDeliveryFailed = "delivery_failed"
)

// incident is one open incident, as warehouse/alerts.json keeps it.
type incident struct {
	Kind    string    `json:"kind"`
	Since   time.Time `json:"since"`
	Run     string    `json:"run,omitempty"` // the run that opened it
	Summary string    `json:"summary"`
	// Told: the alert reached at least one channel.
	Told   bool      `json:"told"`
	ToldAt time.Time `json:"told_at,omitzero"`
}

// alertFile is warehouse/alerts.json.
type alertFile struct {
	Open map[string]*incident `json:"open"`
	// Recovered are incidents closed whose recovery no channel took yet.
	Recovered []*incident `json:"recovered,omitempty"`
}

// alertNotice is the webhook's JSON body.
type alertNotice struct {
	// Status is "alert" or "recovered".
	Status  string    `json:"status"`
	Kind    string    `json:"kind"`
	Summary string    `json:"summary"`
	Run     string    `json:"run,omitempty"`
	Since   time.Time `json:"since"`
	At      time.Time `json:"at"`
	Host    string    `json:"host"`
	Workdir string    `json:"workdir"`
	// Text repeats it in one line, the field chat webhooks (Mattermost,
	// Slack, Rocket.Chat) show.
	Text string `json:"text"`
}

// alerter checks for incidents and tells them.
type alerter struct {
	d       *Daemon
	mu      sync.Mutex // one check at a time
	started time.Time  // the daemon's start: stale counts from it when no run ever succeeded
	backoff time.Duration
	client  *http.Client
	wake    chan struct{}
	done    chan struct{}
}

func newAlerter(d *Daemon) *alerter {
	return &alerter{d: d, started: d.now(), backoff: time.Second, wake: make(chan struct{}, 1),
		client: &http.Client{Timeout: d.cfg.Settings.Alerts.WebhookTimeout}}
}

// enabled tells whether any channel is configured.
func (a *alerter) enabled() bool {
	s := a.d.cfg.Settings
	return s.Alerts.WebhookURL != "" || (s.Alerts.Mail && s.Report.Mail.Enabled())
}

// loop checks every alertEvery and when woken, until the daemon stops.
func (a *alerter) loop() {
	defer close(a.done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-a.d.base.Done():
			return
		case <-a.wake:
		case <-timer.C:
		}
		a.check(a.d.base, a.d.now())
		timer.Reset(alertEvery)
	}
}

// poke asks the loop to check now.
func (a *alerter) poke() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// path is warehouse/alerts.json.
func (a *alerter) path() string {
	return filepath.Join(a.d.cfg.Settings.Paths.Warehouse, "alerts.json")
}

func (a *alerter) load() (*alertFile, error) {
	f := &alertFile{Open: map[string]*incident{}}
	b, err := os.ReadFile(a.path())
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("%s: %w", a.path(), err)
	}
	if f.Open == nil {
		f.Open = map[string]*incident{}
	}
	return f, nil
}

func (a *alerter) save(f *alertFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(a.path(), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// current finds the incidents open as of now, by kind.
func (a *alerter) current(now time.Time) (map[string]*incident, error) {
	cfg := a.d.cfg
	found := map[string]*incident{}
	finished, succeeded, err := a.d.lastRuns(runlog.JobRun)
	if err != nil {
		return nil, err
	}
	if finished != nil && (finished.Status == runlog.StatusFailed || finished.Status == runlog.StatusInterrupted) {
		found[incidentRunFailed] = &incident{Kind: incidentRunFailed, Since: finished.Finished, Run: finished.ID,
			Summary: fmt.Sprintf("the nightly run %s %s: %s", finished.ID, finished.Status, finished.Error)}
	}
	last := a.started
	if succeeded != nil {
		last = succeeded.Started
	}
	if stale := cfg.Settings.Alerts.StaleAfter; now.Sub(last) > stale {
		what := "since " + last.UTC().Format(time.RFC3339)
		if succeeded == nil {
			what = "since the service started, " + last.UTC().Format(time.RFC3339)
		}
		found[incidentStale] = &incident{Kind: incidentStale, Since: last.Add(stale),
			Summary: fmt.Sprintf("no successful nightly run %s (alerts.stale_after %s)", what, stale)}
	}
	if cfg.Settings.Report.Mail.Enabled() {
		rec, err := runlog.LastWorkbook(cfg)
		if err != nil {
			return nil, err
		}
		if rec != nil && rec.Delivery != nil && rec.Delivery.Status == runlog.DeliveryFailed && rec.Delivery.NextAttempt == nil {
			found[incidentDeliveryFailed] = &incident{Kind: incidentDeliveryFailed, Since: rec.Delivery.LastAttempt, Run: rec.ID,
				Summary: fmt.Sprintf("the workbook %s (run %s) was not delivered by mail after %d attempts: %s",
					filepath.Base(rec.Delivery.Workbook), rec.ID, rec.Delivery.Attempts, rec.Delivery.LastError)}
		}
	}
	return found, nil
}

// check compares the incidents open now with those told, tells the new
// ones and the recoveries, and saves the state. A notice that reached no
// channel is tried again at the next check.
func (a *alerter) check(ctx context.Context, now time.Time) {
	if !a.enabled() {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	log := a.d.log.With("job", "alerts")
	state, err := a.load()
	if err != nil {
		log.Error("alert state unreadable: starting afresh", "err", err)
		state = &alertFile{Open: map[string]*incident{}}
	}
	found, err := a.current(now)
	if err != nil {
		log.Error("alerts not checked: the run records cannot be read", "err", err)
		return
	}
	for _, kind := range sortedKinds(state.Open) {
		if _, still := found[kind]; !still {
			inc := state.Open[kind]
			delete(state.Open, kind)
			if inc.Told { // an incident never told needs no recovery notice
				state.Recovered = append(state.Recovered, inc)
			}
		}
	}
	for _, kind := range sortedKinds(found) {
		if _, open := state.Open[kind]; !open {
			state.Open[kind] = found[kind]
		}
	}
	if err := a.save(state); err != nil { // before telling: a crash then tells again rather than never
		log.Error("alert state not saved", "err", err)
	}
	for _, kind := range sortedKinds(state.Open) {
		inc := state.Open[kind]
		if inc.Told {
			continue
		}
		if a.tell(ctx, "alert", inc, now) {
			inc.Told, inc.ToldAt = true, now
			log.Warn("alert sent", "kind", inc.Kind, "summary", inc.Summary)
		}
	}
	var left []*incident
	for _, inc := range state.Recovered {
		if a.tell(ctx, "recovered", inc, now) {
			log.Info("recovery notice sent", "kind", inc.Kind)
		} else {
			left = append(left, inc)
		}
	}
	state.Recovered = left
	if err := a.save(state); err != nil {
		log.Error("alert state not saved", "err", err)
	}
}

func sortedKinds(m map[string]*incident) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// tell sends one notice through every channel configured and says whether
// one took it.
func (a *alerter) tell(ctx context.Context, status string, inc *incident, now time.Time) bool {
	s := a.d.cfg.Settings
	host, _ := os.Hostname()
	n := alertNotice{Status: status, Kind: inc.Kind, Summary: inc.Summary, Run: inc.Run, Since: inc.Since, At: now.UTC(), Host: host, Workdir: a.d.cfg.Dir}
	word := map[string]string{"alert": "ALERT", "recovered": "RECOVERED"}[status]
	if status == "recovered" {
		n.Summary = "recovered: " + inc.Summary
	}
	n.Text = fmt.Sprintf("offshore %s on %s: %s", word, host, n.Summary)
	told := false
	if s.Alerts.WebhookURL != "" {
		if err := a.post(ctx, n); err != nil {
			a.d.log.Error("alert webhook failed", "kind", inc.Kind, "status", status, "err", err)
		} else {
			told = true
		}
	}
	// A failed delivery is not told by mail: the mail server is what
	// failed, and a notice through it would fail too, or race the retry
	// that the daemon makes at start-up.
	if s.Alerts.Mail && s.Report.Mail.Enabled() && inc.Kind != incidentDeliveryFailed {
		subject := fmt.Sprintf("[offshore] %s: %s", word, inc.Kind)
		body := n.Text + "\n\n" + fmt.Sprintf("kind: %s\nsince: %s\nrun: %s\nworking folder: %s\n\n"+
			"The run records are in warehouse/runs; /healthz says the service's state.\n", inc.Kind, inc.Since.UTC().Format(time.RFC3339), inc.Run, a.d.cfg.Dir)
		id := fmt.Sprintf("offshore-alert-%s-%s-%d@%s", inc.Kind, status, inc.Since.Unix(), mailDomain(s.Report.Mail.From))
		if err := pipeline.SendNotice(ctx, a.d.cfg, subject, body, id); err != nil {
			a.d.log.Error("alert mail failed", "kind", inc.Kind, "status", status, "err", err)
		} else {
			told = true
		}
	}
	return told
}

// mailDomain is the domain of a From address, for Message-IDs.
func mailDomain(from string) string {
	from = strings.TrimSuffix(strings.TrimSpace(from), ">")
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return from[i+1:]
	}
	return "offshore.invalid"
}

// post sends n to the webhook, trying again after a failure
// (alerts.retries times, waiting a.backoff then doubling, at most a
// minute); a 4xx answer other than 408 and 429 is final.
func (a *alerter) post(ctx context.Context, n alertNotice) error {
	s := a.d.cfg.Settings.Alerts
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	wait := a.backoff
	var last error
	for attempt := 0; attempt <= s.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return errors.Join(last, ctx.Err())
			case <-time.After(wait):
			}
			wait = min(2*wait, time.Minute)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.WebhookURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "offshore")
		resp, err := a.client.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) { // its text holds the URL, whose path or query may be a secret
				err = ue.Err
			}
			last = err
			continue
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		last = fmt.Errorf("webhook answered %s", resp.Status)
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
			return last
		}
	}
	return last
}
