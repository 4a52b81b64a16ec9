package config

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the time zone database, so that schedules do not depend on the host's

	"github.com/robfig/cron/v3"
)

// ScheduleSettings drive `offshore schedule`, the cron daemon and its HTTP API.
type ScheduleSettings struct {
	// TimeZone is the IANA zone the cron specs are read in.
	TimeZone string `yaml:"time_zone"`
	// Run and Ingest are cron specs (5 fields, or 6 with seconds first, or
	// a descriptor such as @hourly) of the nightly run and of the frequent
	// ingest; an empty Ingest turns that job off.
	Run    string `yaml:"run"`
	Ingest string `yaml:"ingest"`
	// Each job runs with its own context, cancelled after its timeout.
	RunTimeout      time.Duration `yaml:"run_timeout"`
	IngestTimeout   time.Duration `yaml:"ingest_timeout"`
	ForecastTimeout time.Duration `yaml:"forecast_timeout"`
	// Grace is how long a stop (SIGTERM, SIGINT) lets running jobs finish
	// before cancelling them.
	Grace time.Duration `yaml:"grace"`
	// Listen is the HTTP address; APIToken the bearer token of /api
	// (OFFSHORE_API_TOKEN overrides it).
	Listen   string `yaml:"listen"`
	APIToken string `yaml:"api_token"`
	// UsersFile is the people who may use the HTTP server, their roles,
	// password hashes and API key hashes (`offshore user` writes it);
	// relative to the configuration's folder.
	UsersFile string `yaml:"users_file"`
	// AuditFile is where every state-changing HTTP request is recorded, a
	// JSON object a line; relative to the configuration's folder.
	AuditFile string `yaml:"audit_file"`
	// AllowedHosts are the names (host or host:port) the server answers
	// to in the Host header besides localhost, 127.0.0.1 and [::1] on the
	// port it listens on. Anything else (a DNS-rebinding page) gets 421.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// MaxConnections caps the HTTP connections open at once, well below
	// the process's file descriptor limit, so that the jobs always have
	// descriptors; more clients wait to be accepted.
	MaxConnections int `yaml:"max_connections"`
	// SessionMaxAge ends a browser session that long after its login,
	// SessionIdle one unused that long.
	SessionMaxAge time.Duration `yaml:"session_max_age"`
	SessionIdle   time.Duration `yaml:"session_idle"`
}

// Location is the schedule's time zone.
func (s ScheduleSettings) Location() (*time.Location, error) {
	return time.LoadLocation(s.TimeZone)
}

var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron reads a cron spec of the schedule: 5 fields (minute hour
// day-of-month month day-of-week), or 6 with seconds first, or a
// descriptor (@daily, @every 1h). It fails on a spec that does not parse,
// including the inputs robfig/cron's parser panics on, and on one that
// never fires (such as 0 0 30 2 *: February 30th).
func ParseCron(spec string, loc *time.Location) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("not a cron spec (%v)", r)
		}
	}()
	if s, err = cronParser.Parse(spec); err != nil {
		return nil, err
	}
	if s.Next(time.Now().In(loc)).IsZero() {
		return nil, fmt.Errorf("it never fires (no such date in the next five years)")
	}
	return s, nil
}

// Limits of the access settings.
const (
	// MinAPITokenLength is the shortest schedule.api_token (or
	// OFFSHORE_API_TOKEN) accepted: a guessable token is no lock.
	MinAPITokenLength = 32
	maxConnections    = 10000
)

// validateAccess checks the settings of who may use the HTTP server.
func (s ScheduleSettings) validateAccess(bad func(key string, val any, want string)) {
	if s.APIToken != "" && len(s.APIToken) < MinAPITokenLength {
		bad("schedule.api_token", fmt.Sprintf("%d characters long", len(s.APIToken)), fmt.Sprintf("at least %d random characters (openssl rand -hex 32), or users in schedule.users_file", MinAPITokenLength))
	}
	if s.UsersFile == "" {
		bad("schedule.users_file", `""`, "a file name such as users.yaml (it need not exist)")
	}
	if s.AuditFile == "" {
		bad("schedule.audit_file", `""`, "a file name such as audit.jsonl")
	}
	for i, h := range s.AllowedHosts {
		if h == "" || strings.ContainsAny(h, "/ ,*@") || strings.Contains(h, "://") {
			bad(fmt.Sprintf("schedule.allowed_hosts[%d]", i), fmt.Sprintf("%q", h), "a host name or host:port as browsers send it in Host, such as offshore.example.ma or 10.0.0.5:8080")
		}
	}
	if s.MaxConnections < 4 || s.MaxConnections > maxConnections {
		bad("schedule.max_connections", s.MaxConnections, fmt.Sprintf("4 to %d connections, far below the process's file descriptor limit (ulimit -n)", maxConnections))
	}
	if s.SessionMaxAge < time.Minute || s.SessionMaxAge > 30*24*time.Hour {
		bad("schedule.session_max_age", s.SessionMaxAge, "a duration from 1m to 720h, such as 12h")
	}
	if s.SessionIdle < time.Minute || s.SessionIdle > s.SessionMaxAge {
		bad("schedule.session_idle", s.SessionIdle, "a duration from 1m up to session_max_age, such as 30m")
	}
}
