package domain

import (
	"fmt"
	"strings"
	"time"
)

// AsOf says what the pipeline knows: the last quarter assessed and the
// instant after which received returns are ignored.
type AsOf struct {
	Period Period    // 0: the official quarter, by the as-of rule (coverage.* settings)
	Cutoff time.Time // zero: every return received so far (the rule's deadline is then measured at now)
}

// minAsOfYear is the earliest year an as-of may name.
const minAsOfYear = 1990

// ParseAsOf reads --as-of: a quarter ("2017Q4": that quarter, forced, from
// the returns received by its end plus the filing delay) or a date
// ("2017-12-31": what the nightly run would have published that night: the
// as-of rule applied to the returns received by the end of that day). Empty
// means everything known now, the quarter chosen by the as-of rule (see
// release.Choose): the latest one whose returns are complete enough.
func ParseAsOf(s string, filingDelayDays int) (AsOf, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return AsOf{}, nil
	}
	// An as-of is a moment of the returns' history: from the first
	// returns collected to a year from now (a later one would only mean
	// "everything known", and sent the series builder on for millennia).
	last := time.Now().Year() + 1
	if p, err := ParsePeriod(s); err == nil {
		if p.Year() < minAsOfYear || p.Year() > last {
			return AsOf{}, fmt.Errorf("--as-of %q: want a quarter of %d..%d", s, minAsOfYear, last)
		}
		return AsOf{Period: p, Cutoff: p.End().AddDate(0, 0, filingDelayDays)}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return AsOf{}, fmt.Errorf("--as-of %q: want a quarter such as 2017Q4 or a date such as 2017-12-31", s)
	}
	if d.Year() < minAsOfYear || d.Year() > last {
		return AsOf{}, fmt.Errorf("--as-of %q: want a date of %d..%d", s, minAsOfYear, last)
	}
	return AsOf{Cutoff: d.AddDate(0, 0, 1)}, nil
}
