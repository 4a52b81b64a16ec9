package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/offshore-ma/offshore/daemon"
)

// userOptions are the arguments and flags of `offshore user`.
type userOptions struct {
	action string // add, remove, reset or list
	name   string
	role   string // "" for unchanged (reset) or viewer (add)
	apiKey bool   // a new API key rather than a password
}

// userInput is where passwords are read from: the terminal (without echo)
// or, when it is not one, the first line of standard input. Tests set it.
var userInput io.Reader = os.Stdin

func cmdUser(ctx context.Context, g *globals, args []string) error {
	var o userOptions
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	fs.StringVar(&o.role, "role", "", "viewer (reads), analyst (launches forecasts) or admin (triggers jobs, reads the audit); add's default: viewer")
	fs.BoolVar(&o.apiKey, "api-key", false, "make an API key (printed once; only its hash is kept) rather than ask a password")
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "list":
		o.action = "list"
	case fs.NArg() == 2 && (fs.Arg(0) == "add" || fs.Arg(0) == "remove" || fs.Arg(0) == "reset"):
		o.action, o.name = fs.Arg(0), fs.Arg(1)
	default:
		return usageError("user: want add NAME [--role R] [--api-key], reset NAME [--role R] [--api-key], remove NAME or list")
	}
	return runUser(ctx, g, o)
}

// runUser changes the users file of the configuration
// (schedule.users_file), which a running daemon reads again within a
// second. Passwords are never flags: they are read from userInput.
func runUser(ctx context.Context, g *globals, o userOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	path := cfg.Settings.Schedule.UsersFile
	users, err := daemon.ReadUsers(path)
	if err != nil {
		return usageError("%v", err)
	}
	if o.action == "list" {
		for _, u := range users.Users {
			var has []string
			if u.PasswordHash != "" {
				has = append(has, "password")
			}
			if u.APIKeyHash != "" {
				has = append(has, "API key")
			}
			fmt.Fprintf(g.stdout, "%-20s %-8s %s\n", u.Name, u.Role, strings.Join(has, ", "))
		}
		return nil
	}
	u := users.Find(o.name)
	var x daemon.User
	switch o.action {
	case "remove":
		if o.role != "" || o.apiKey {
			return usageError("user remove: takes no --role or --api-key")
		}
		if err := users.Remove(o.name); err != nil {
			return usageError("user remove: %v (offshore user list shows them)", err)
		}
		if err := users.Write(path); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "user %s removed from %s: their sessions and API key stop within a second\n", o.name, path)
		return nil
	case "add":
		if u != nil {
			return usageError("user add: %s is already in %s; offshore user reset %s changes their password, key or role", o.name, path, o.name)
		}
		x = daemon.User{Name: o.name, Role: daemon.Role(o.role)}
		if x.Role == "" {
			x.Role = daemon.RoleViewer
		}
	case "reset":
		if u == nil {
			return usageError("user reset: %v: no %s in %s (offshore user add %s)", daemon.ErrNoUser, o.name, path, o.name)
		}
		x = *u
		if o.role != "" {
			x.Role = daemon.Role(o.role)
		}
	}
	if err := daemon.CheckUser(x.Name, x.Role); err != nil {
		return usageError("user %s: %v", o.action, err)
	}
	var key string
	switch {
	case o.apiKey:
		var hash string
		if key, hash, err = daemon.NewAPIKey(); err != nil {
			return err
		}
		x.APIKeyHash = hash
	case o.action == "add" || o.role == "":
		pw, err := readPassword(g, o.name)
		if err != nil {
			return err
		}
		if x.PasswordHash, err = daemon.HashPassword(pw); err != nil {
			return usageError("user %s: %v", o.action, err)
		}
	}
	users.Set(x)
	if err := users.Write(path); err != nil {
		return err
	}
	what := map[string]string{"add": "added", "reset": "changed"}[o.action]
	fmt.Fprintf(g.stdout, "user %s (%s) %s in %s\n", x.Name, x.Role, what, path)
	if key != "" {
		fmt.Fprintf(g.stdout, "API key, shown this once (only its hash is kept): send it as Authorization: Bearer <key>\n%s\n", key)
	}
	return nil
}

// readPassword reads a new password for name: twice, without echo, from
// a terminal; else the first line of userInput.
func readPassword(g *globals, name string) ([]byte, error) {
	if f, ok := userInput.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(g.stderr, "Password for %s (at least %d characters): ", name, daemon.MinPasswordLength)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(g.stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(pw, again) {
			return nil, usageError("user: the two passwords differ")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(userInput).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return nil, usageError("user: no password on standard input (type it at a terminal, or pipe it: printf '%%s\\n' \"$PW\" | offshore user add %s)", name)
	}
	return []byte(pw), nil
}
