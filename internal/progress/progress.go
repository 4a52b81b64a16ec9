package progress

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Counter is one piece of work under way: Add counts units done, Done ends
// it (the bar is closed, a last log line written). Both may be called from
// several goroutines; calls after Done are ignored.
type Counter interface {
	Add(n int)
	Done()
}

// Reporter starts Counters: what names the work ("ingest", "gen"), unit its
// units ("files"), total how many there are (0 or less when unknown).
type Reporter interface {
	Start(what, unit string, total int) Counter
}

type ctxKey struct{}

// With returns ctx carrying r: the work run under it reports to r.
func With(ctx context.Context, r Reporter) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// Start starts a Counter of the Reporter ctx carries, or one that reports
// to nothing.
func Start(ctx context.Context, what, unit string, total int) Counter {
	if r, ok := ctx.Value(ctxKey{}).(Reporter); ok && r != nil {
		return r.Start(what, unit, total)
	}
	return nop{}
}

type nop struct{}

func (nop) Add(int) {}
func (nop) Done()   {}

// LogEvery is the shortest interval between two progress lines of a Log
// reporter.
const LogEvery = 10 * time.Second

// ForTerminal returns the Reporter for a command whose progress goes to w:
// a Bar when w is a terminal, else a Log to log.
func ForTerminal(w io.Writer, log *slog.Logger) Reporter {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return Bar{W: w}
	}
	return Log{Logger: log, Every: LogEvery}
}

// Bar draws a progress bar on W, a terminal, replaced in place and
// cleared when the work is done. It is redrawn at most every Throttle
// (100ms when 0).
type Bar struct {
	W        io.Writer
	Throttle time.Duration
}

// Start starts a bar.
func (b Bar) Start(what, unit string, total int) Counter {
	if total <= 0 {
		total = -1 // a spinner
	}
	throttle := b.Throttle
	if throttle == 0 {
		throttle = 100 * time.Millisecond
	}
	pb := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(b.W),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
	return &bar{pb: pb}
}

type bar struct {
	mu   sync.Mutex
	pb   *progressbar.ProgressBar
	done bool
}

func (b *bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.pb.Add(n)
	}
}

func (b *bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.done = true
		b.pb.Clear() // the command's summary takes the line
		b.pb.Exit()
	}
}

// Log writes progress as log lines ("progress", with what, done, total,
// rate and time left), at most one every Every, and none for work that
// ends within Every: a short command's log is unchanged.
type Log struct {
	Logger *slog.Logger
	Every  time.Duration
	// Now is the clock (time.Now when nil), for tests.
	Now func() time.Time
}

// Start starts counting.
func (l Log) Start(what, unit string, total int) Counter {
	now := l.Now
	if now == nil {
		now = time.Now
	}
	t := now()
	return &logCounter{l: l, now: now, what: what, unit: unit, total: total, start: t, last: t}
}

type logCounter struct {
	l           Log
	now         func() time.Time
	what, unit  string
	total       int
	mu          sync.Mutex
	n           int
	start, last time.Time
	logged      bool
	done        bool
}

func (c *logCounter) Add(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.n += n
	if t := c.now(); t.Sub(c.last) >= c.l.Every {
		c.last = t
		c.logged = true
		c.write(t, "progress")
	}
}

func (c *logCounter) Done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	if c.logged { // a long job says where it stopped; a short one stays silent
		c.write(c.now(), "progress ended")
	}
}

// write logs one line; under c.mu.
func (c *logCounter) write(t time.Time, msg string) {
	if c.l.Logger == nil {
		return
	}
	el := t.Sub(c.start)
	rate := 0.0
	if el > 0 {
		rate = float64(c.n) / el.Seconds()
	}
	args := []any{"work", c.what, "done", c.n, "unit", c.unit, "rate", fmt.Sprintf("%.1f/s", rate), "elapsed", el.Round(time.Second)}
	if c.total > 0 {
		args = append(args, "total", c.total)
		if rate > 0 && c.n < c.total {
			args = append(args, "left", time.Duration(float64(c.total-c.n)/rate*float64(time.Second)).Round(time.Second))
		}
	}
	c.l.Logger.Info(msg, args...)
}
