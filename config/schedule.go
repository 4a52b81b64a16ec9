package config

import (
	"fmt"
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
