package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
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
// settings and the HTTP server on listen ("" for schedule.listen), for the
// users of schedule.users_file and the legacy API token of
// schedule.api_token or, when set, the OFFSHORE_API_TOKEN environment
// variable. ready is called with the server's URL once it listens. When
// ctx ends, the server stops taking requests and the running jobs get
// schedule.grace to finish; those still running then are cancelled and
// recorded as interrupted.
//
// It refuses to start (ErrSetup) with a token shorter than
// config.MinAPITokenLength, a users file that does not read, a listen
// address off loopback with nobody to log in, or allowed_hosts naming
// another host with nobody to log in (a proxy would open the page to all).
func Serve(ctx context.Context, cfg *config.Config, listen string, ready func(url string), log *slog.Logger) error {
	s := cfg.Settings.Schedule
	if listen != "" {
		s.Listen = listen
	}
	token := s.APIToken
	if t := os.Getenv("OFFSHORE_API_TOKEN"); t != "" {
		token = t
	}
	d, err := New(cfg, log)
	if err != nil {
		return setupError{err}
	}
	log = d.log
	handler, err := d.Handler(token)
	if err != nil {
		return setupError{err}
	}
	users, _ := d.auth.current()
	protected := token != "" || len(users.Users) > 0
	if err := CheckListen(s.Listen, protected); err != nil {
		return setupError{err}
	}
	if !protected {
		for _, h := range s.AllowedHosts {
			if host, _ := splitHost(strings.ToLower(h)); !slices.Contains(loopbackNames, host) {
				return setupError{fmt.Errorf("schedule.allowed_hosts names %q but nobody needs to log in: a proxy in front would open the page and the API to whoever reaches it; add users (offshore user add NAME --role viewer|analyst|admin) first", h)}
			}
		}
	}
	if token != "" {
		log.Warn("the API token (OFFSHORE_API_TOKEN or schedule.api_token) is accepted as an admin API key, and at /login with no name; give each person an account instead (offshore user add NAME) and remove the token")
	}
	if !protected {
		log.Warn("no users and no API token: anyone on this machine may use the page and the API as admin (add users: offshore user add NAME)")
	}
	if host, _, _ := net.SplitHostPort(s.Listen); len(s.AllowedHosts) == 0 && host != "localhost" && !isLoopbackIP(host) {
		log.Warn("listening off loopback while schedule.allowed_hosts is empty: only requests naming localhost, 127.0.0.1 or [::1] are answered; list there the names the analysts type", "listen", s.Listen)
	}
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
	defer d.audit.close()
	srv := d.httpServer(handler, defaultLimits)
	ln = limitListener(ln, s.MaxConnections)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("serving", "url", url, "users", len(users.Users), "api_token", token != "", "max_connections", s.MaxConnections, "users_file", s.UsersFile)
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

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
