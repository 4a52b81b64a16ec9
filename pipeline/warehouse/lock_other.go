//go:build !unix

package warehouse

// offshore keeps one writer per warehouse with flock(2), which the kernel
// drops when its holder dies, and tells a run's process by /proc or kill(2):
// it runs on Linux (the supported system) and builds on other Unix systems.
// On any other system the build stops here, on purpose, with this name:
var _ = offshore_needs_Linux_or_another_Unix_system_for_flock
