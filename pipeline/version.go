package pipeline

import (
	"runtime/debug"
	"strings"
)

// Set by the release build (scripts/release.sh) with -ldflags -X; a plain
// `go build` leaves them empty.
var (
	releaseVersion string // the release's version, v1.2.3
	releaseCommit  string // its commit
	releaseDate    string // when it was built, RFC 3339 UTC
)

// Release returns the version, commit and build date a release build was
// stamped with ("" each for any other build).
func Release() (version, commit, date string) { return releaseVersion, releaseCommit, releaseDate }

// Version is the software's version, as written into workbooks, run
// fingerprints and /metrics: a release build's stamped version, else what
// the Go toolchain recorded: the module version, or the commit (and
// "+dirty") of a build from a checkout.
func Version() string {
	if releaseVersion != "" {
		return releaseVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" && (v == "" || v == "(devel)" || strings.Contains(v, "devel")) {
		return rev[:min(12, len(rev))] + dirty
	}
	return v
}
