package pipeline

import (
	"runtime/debug"
	"strings"
)

// Version is the software's version as the Go toolchain recorded it: the
// module version, or the commit (and "+dirty") of a build from a checkout.
func Version() string {
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
