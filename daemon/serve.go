package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/offshore-ma/offshore/config"
)

// ErrSetup matches (errors.Is) Serve's error when the listen address, the
// token or the schedule settings cannot be served: a person must fix them.
var ErrSetup = errors.New("cannot serve with these settings")

// setupError is an error of the settings: its text unchanged, matching
// ErrSetup.
type setupError struct{ error }

func (setupError) Is(target error) bool { return target == ErrSetup }
func (e setupError) Unwrap() error      { return e.error }

// Serve runs the daemon until ctx ends: the cron jobs of the schedule
// settings and the HTTP server on listen ("" for schedule.listen), with the
// API token of schedule.api_token or, when set, the OFFSHORE_API_TOKEN
// environment variable. ready is called with the server's URL once it
// listens. When ctx ends, the server stops taking requests and the running
// jobs get schedule.grace to finish; those still running then are
// cancelled and recorded as interrupted.
func Serve(ctx context.Context, cfg *config.Config, listen string, ready func(url string), log *slog.Logger) error {
	s := cfg.Settings.Schedule
	if listen != "" {
		s.Listen = listen
	}
	token := s.APIToken
	if t := os.Getenv("OFFSHORE_API_TOKEN"); t != "" {
		token = t
	}
	if err := CheckListen(s.Listen, token); err != nil {
		return setupError{err}
	}
	d, err := New(cfg, log)
	if err != nil {
		return setupError{err}
	}
	log = d.log
	for _, w := range d.Warnings() {
		log.Warn(w)
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
	url := "http://" + ln.Addr().String()
	log.Info("serving", "url", url, "api_token", token != "")
	ready(url)

	select {
	case <-ctx.Done():
		log.Info("stopping: no new runs; running jobs may finish", "grace", s.Grace)
	case err := <-served:
		d.Stop(s.Grace)
		return fmt.Errorf("HTTP server: %w", err)
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("HTTP server did not stop cleanly", "err", err)
	}
	if !d.Stop(s.Grace) {
		log.Warn("stopped: jobs still running after the grace period were cancelled and recorded as interrupted")
	} else {
		log.Info("stopped")
	}
	return nil
}
