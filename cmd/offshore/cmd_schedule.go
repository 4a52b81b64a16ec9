package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

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
		"off loopback, /api and the page want a token: schedule.api_token or OFFSHORE_API_TOKEN")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	return runSchedule(ctx, g, o)
}

// runSchedule runs the cron daemon and its HTTP server until ctx is
// cancelled (SIGTERM or SIGINT), then stops gracefully (schedule.grace) and
// returns nil: exit 0.
func runSchedule(ctx context.Context, g *globals, o scheduleOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	s := cfg.Settings.Schedule
	if o.listen != "" {
		s.Listen = o.listen
	}
	token := s.APIToken
	if t := os.Getenv("OFFSHORE_API_TOKEN"); t != "" {
		token = t
	}
	if err := daemon.CheckListen(s.Listen, token); err != nil {
		return usageError("schedule: %v", err)
	}
	d, err := daemon.New(cfg, g.log)
	if err != nil {
		return usageError("schedule: %v", err)
	}
	for _, w := range d.Warnings() {
		g.log.Warn(w)
	}
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return err
	}
	if err := d.Start(); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: d.Handler(token), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	g.log.Info("serving", "url", "http://"+ln.Addr().String(), "api_token", token != "")
	fmt.Fprintf(g.stdout, "listening on http://%s\n", ln.Addr())

	select {
	case <-ctx.Done():
		g.log.Info("stopping: no new runs; running jobs may finish", "grace", s.Grace)
	case err := <-served:
		d.Stop(s.Grace)
		return fmt.Errorf("HTTP server: %w", err)
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		g.log.Warn("HTTP server did not stop cleanly", "err", err)
	}
	if !d.Stop(s.Grace) {
		g.log.Warn("stopped: jobs still running after the grace period were cancelled and recorded as interrupted")
	} else {
		g.log.Info("stopped")
	}
	return nil
}
