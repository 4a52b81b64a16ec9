package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/daemon"
)

// scheduleOptions are the flags of `offshore schedule`.
type scheduleOptions struct {
	listen string // HTTP address; "" for schedule.listen
}

func cmdSchedule(ctx context.Context, g *globals, args []string) error {
	var o scheduleOptions
	fs := flag.NewFlagSet("schedule", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "", "HTTP address (default: schedule.listen of the configuration, 127.0.0.1:8080);\n"+
		"off loopback, /api and the page want users (offshore user add) or a token of 32+ characters (OFFSHORE_API_TOKEN)")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	return runSchedule(ctx, g, o)
}

// runSchedule runs the cron daemon and its HTTP server until ctx is
// cancelled (SIGTERM or SIGINT), then stops gracefully (schedule.grace) and
// returns nil: exit 0.
func runSchedule(ctx context.Context, g *globals, o scheduleOptions) error {
	cfg, err := g.loadWorkdir()
	if err != nil {
		return err
	}
	err = daemon.Serve(ctx, cfg, o.listen, func(url string) { fmt.Fprintf(g.stdout, "listening on %s\n", url) }, g.log)
	if errors.Is(err, daemon.ErrSetup) {
		return usageError("schedule: %v", err)
	}
	return err
}
