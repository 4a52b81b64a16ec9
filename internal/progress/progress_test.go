package progress

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLogAtMostEveryInterval(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	r := Log{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Every: 10 * time.Second, Now: clock}
	ctx := With(context.Background(), r)
	c := Start(ctx, "ingest", "files", 100)
	for range 40 { // 40 files, one a second: lines at 10, 20, 30 and 40 s
		now = now.Add(time.Second)
		c.Add(1)
	}
	c.Done()
	c.Add(5) // ignored after Done
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 4 progress lines and one end:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"done=10", "total=100", "rate=1.0/s", "left=1m30s"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("first line lacks %s: %s", want, lines[0])
		}
	}
	if !strings.Contains(lines[4], "progress ended") || !strings.Contains(lines[4], "done=40") {
		t.Errorf("last line: %s", lines[4])
	}
}

func TestLogSilentForShortWork(t *testing.T) {
	var buf bytes.Buffer
	c := Log{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Every: time.Hour}.Start("gen", "files", 3)
	c.Add(3)
	c.Done()
	if buf.Len() != 0 {
		t.Errorf("short work logged progress: %s", buf.String())
	}
}

func TestNoReporterIsNop(t *testing.T) {
	c := Start(context.Background(), "x", "files", 1)
	c.Add(1)
	c.Done()
	if _, ok := c.(nop); !ok {
		t.Errorf("got %T, want nop", c)
	}
}

func TestBarDrawsCountAndClears(t *testing.T) {
	var buf bytes.Buffer
	c := Bar{W: &buf, Throttle: time.Nanosecond}.Start("ingest", "files", 10)
	c.Add(5)
	c.Done()
	if !strings.Contains(buf.String(), "5/10") {
		t.Errorf("bar output lacks the count: %q", buf.String())
	}
}
