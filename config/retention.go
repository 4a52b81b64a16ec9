package config

import (
	"fmt"
	"net/url"
	"time"
)

// RetentionSettings are retention: how long the working folder keeps what
// accumulates night after night, applied by the nightly run and by
// `offshore prune`. The warehouse's data (catalog, raw files, Parquet
// parts) is never pruned. A number of days of 0 keeps that kind forever.
type RetentionSettings struct {
	// RunsDays and RunsKeep: a run record (nightly run, ingest that took
	// files, forecast from the CLI or the API) is removed when it is older
	// than RunsDays days and is not among the newest RunsKeep of its job.
	// A running record, and those of the latest successful nightly run and
	// of the latest workbook, are always kept.
	RunsDays int `yaml:"runs_days"`
	RunsKeep int `yaml:"runs_keep"`
	// EmptyIngestHours: the record of an ingest that took no file is
	// removed after this many hours (the daemon writes none for an empty
	// inbox; this clears those of older versions and of failures retried).
	EmptyIngestHours int `yaml:"empty_ingest_hours"`
	// AdHocDays: the fan charts of ad-hoc forecasts (warehouse/adhoc/<run>/).
	AdHocDays int `yaml:"adhoc_days"`
	// QuarantineDays: the quarantined copies of rejected files and their
	// problems reports and feedback workbooks (the warehouse keeps their
	// bytes in raw/ all the same).
	QuarantineDays int `yaml:"quarantine_days"`
	// OutboxKeep and OutboxDays: a ministry workbook in the outbox is
	// removed when a newer one supersedes it, it is older than OutboxDays
	// days and it is not among the newest OutboxKeep; the workbook of a
	// delivery still owed is kept.
	OutboxKeep int `yaml:"outbox_keep"`
	OutboxDays int `yaml:"outbox_days"`
}

// Days is n days as a duration (0: forever, returned as 0).
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func (r RetentionSettings) validate(bad func(key string, val any, want string)) {
	for _, d := range []struct {
		key string
		v   int
	}{{"retention.runs_days", r.RunsDays}, {"retention.adhoc_days", r.AdHocDays},
		{"retention.quarantine_days", r.QuarantineDays}, {"retention.outbox_days", r.OutboxDays}} {
		if d.v < 0 || d.v > 36500 {
			bad(d.key, d.v, "a number of days in 0..36500 (0 keeps forever)")
		}
	}
	if r.RunsKeep < 1 || r.RunsKeep > 1e6 {
		bad("retention.runs_keep", r.RunsKeep, "1 to 1000000 records of each job")
	}
	if r.OutboxKeep < 1 || r.OutboxKeep > 1e6 {
		bad("retention.outbox_keep", r.OutboxKeep, "1 to 1000000 workbooks")
	}
	if r.EmptyIngestHours < 0 || r.EmptyIngestHours > 24*366 {
		bad("retention.empty_ingest_hours", r.EmptyIngestHours, "0 (kept forever) to 8784 hours")
	}
}

// AlertSettings are alerts: who is told, and when, that the nightly job
// needs a person (a failed or interrupted nightly run, no successful one
// for StaleAfter, a workbook whose delivery by mail failed), and again
// when it has recovered. Each incident is told once.
type AlertSettings struct {
	// WebhookURL receives a JSON POST per alert and recovery ("": none).
	WebhookURL string `yaml:"webhook_url"`
	// Mail sends alerts by mail through report.mail's server, to its
	// recipients, when report.mail is configured.
	Mail bool `yaml:"mail"`
	// StaleAfter: no successful nightly run for this long is an alert.
	StaleAfter time.Duration `yaml:"stale_after"`
	// WebhookTimeout bounds one POST; Retries is how many more are made
	// after a failed one, waiting 1s, 2s, 4s… (at most a minute) between.
	WebhookTimeout time.Duration `yaml:"webhook_timeout"`
	Retries        int           `yaml:"retries"`
}

func (a AlertSettings) validate(bad func(key string, val any, want string)) {
	if a.WebhookURL != "" {
		u, err := url.Parse(a.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("alerts.webhook_url", fmt.Sprintf("%q", a.WebhookURL), "an http:// or https:// URL, or \"\" for none")
		}
	}
	if a.StaleAfter < time.Hour || a.StaleAfter > 30*24*time.Hour {
		bad("alerts.stale_after", a.StaleAfter, "a duration from 1h to 720h, such as 36h (more than a day between two nights)")
	}
	if a.WebhookTimeout < time.Second || a.WebhookTimeout > 5*time.Minute {
		bad("alerts.webhook_timeout", a.WebhookTimeout, "a duration from 1s to 5m, such as 10s")
	}
	if a.Retries < 0 || a.Retries > 20 {
		bad("alerts.retries", a.Retries, "0 to 20")
	}
}
