package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/offshore-ma/offshore/config"
)

// initOptions are the flags of `offshore init`.
type initOptions struct {
	dir string // the folder to initialise; "" for --workdir
}

func cmdInit(ctx context.Context, g *globals, args []string) error {
	var o initOptions
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.StringVar(&o.dir, "dir", "", "folder to initialise (default: --workdir); files already there are kept")
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	if o.dir == "" {
		o.dir = g.workdir
	}
	written, err := runInit(o.dir)
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintln(g.stdout, "wrote", p)
	}
	fmt.Fprintf(g.stdout, "working folder ready: %s (put returns in its inbox/, then run `offshore --workdir %s run`)\n", o.dir, o.dir)
	return nil
}

// runInit is config.Init, with a configuration that does not load as a
// usage error (exit 2).
func runInit(dir string) ([]string, error) {
	written, err := config.Init(dir)
	if errors.Is(err, config.ErrInvalid) {
		return written, fmt.Errorf("%w: %v", errUsage, err)
	}
	return written, err
}
