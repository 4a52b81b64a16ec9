package daemon

import (
	"time"

	"github.com/robfig/cron/v3"
)

// clockHit is a time a schedule fires inside an hour that a clock change
// repeats or skips.
type clockHit struct {
	at                   time.Time // local wall time of the firing
	change, effect, hour string
}

// clockChangeHits finds the clock changes of loc in the years after from
// and, for each, whether s fires in the local hour it repeats (clocks go
// back: a job there runs twice) or skips (clocks go forward: it does not
// run). Morocco changes its clocks around Ramadan at 02:00–03:00 local
// time. Schedules of the @every kind do not follow the wall clock and are
// not checked.
func clockChangeHits(s cron.Schedule, loc *time.Location, from time.Time, years int) []clockHit {
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil
	}
	var out []clockHit
	end := from.AddDate(years, 0, 0)
	for t := from.Truncate(time.Hour); t.Before(end); t = t.Add(time.Hour) {
		_, before := t.In(loc).Zone()
		_, after := t.Add(time.Hour).In(loc).Zone()
		if before == after {
			continue
		}
		// the change's instant, to the minute
		at := t
		for at.Add(time.Minute).Before(t.Add(time.Hour)) {
			if _, o := at.Add(time.Minute).In(loc).Zone(); o != before {
				break
			}
			at = at.Add(time.Minute)
		}
		at = at.Add(time.Minute).Truncate(time.Minute)
		shift := time.Duration(after-before) * time.Second
		// the affected local wall times [w0, w0+|shift|), as fields in UTC
		w0 := at.Add(time.Duration(min(before, after)) * time.Second).UTC()
		if shift < 0 {
			shift = -shift
		}
		n := spec.Next(w0.Add(-time.Second))
		if n.IsZero() || !n.Before(w0.Add(shift)) {
			continue
		}
		h := clockHit{at: n, hour: w0.Format("15:04") + "–" + w0.Add(shift).Format("15:04")}
		if after < before {
			h.change, h.effect = "go back from "+w0.Add(shift).Format("15:04")+" to "+w0.Format("15:04"), "run twice"
		} else {
			h.change, h.effect = "go forward from "+w0.Format("15:04")+" to "+w0.Add(shift).Format("15:04"), "not run"
		}
		out = append(out, h)
	}
	return out
}
