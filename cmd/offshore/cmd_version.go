package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/offshore-ma/offshore/pipeline"
)

// buildInfo is what `offshore version` prints.
type buildInfo struct {
	Version, Commit, Date, Go, Platform, CGO string
}

// readBuildInfo gathers the version, commit, build date, Go version and
// whether cgo was linked: the values a release build was stamped with
// (pipeline.Release, the ones its workbooks carry), then what the Go
// toolchain recorded (runtime/debug.ReadBuildInfo).
func readBuildInfo() buildInfo {
	version, commit, buildDate := pipeline.Release()
	b := buildInfo{Version: version, Commit: commit, Date: buildDate, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, CGO: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" {
			b.Version = bi.Main.Version
		}
		b.Go = bi.GoVersion
		dirty := ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value + " (commit time)"
				}
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			case "CGO_ENABLED":
				b.CGO = s.Value
			}
		}
		if b.Commit != "" && commit == "" {
			b.Commit += dirty
		}
	}
	for _, p := range []*string{&b.Version, &b.Commit, &b.Date} {
		if *p == "" || *p == "(devel)" {
			*p = "unknown (not a release build: see scripts/release.sh)"
		}
	}
	return b
}

func printVersion(w io.Writer) {
	b := readBuildInfo()
	fmt.Fprintf(w, "offshore %s\ncommit:      %s\nbuilt:       %s\ngo:          %s\nplatform:    %s\nCGO_ENABLED: %s\n",
		b.Version, b.Commit, b.Date, b.Go, b.Platform, b.CGO)
}

// cmdVersion is `offshore version`, the same as `offshore --version`.
func cmdVersion(ctx context.Context, g *globals, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parseFlagsOnly(g, fs, args); err != nil {
		return err
	}
	printVersion(g.stdout)
	return nil
}
