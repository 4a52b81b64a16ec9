//go:build linux

package runlog

import (
	"fmt"
	"os"
	"strings"
)

// procStart identifies process pid's incarnation: the boot it runs in and
// its start time in clock ticks since that boot (/proc/<pid>/stat field 22).
// A pid reused by another process, or a daemon that is pid 1 again after a
// container restart, has another. "" when it cannot be read.
func procStart(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:]) // fields 3 onward
	if len(f) < 20 {
		return ""
	}
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(boot)) + "/" + f[19]
}
