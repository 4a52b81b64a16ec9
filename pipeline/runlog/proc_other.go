//go:build !linux

package runlog

// procStart cannot tell a process's incarnation on this system: the pid
// alone is checked.
func procStart(int) string { return "" }
