// Package progress shows how far long work has gone: ingest's files, gen's
// workbooks, compaction's partitions. Progress is not logging (STYLE.md):
// on a terminal it is a bar on stderr with counts, rate and time left; with
// no terminal (cron, systemd, a pipe) it is one log line at most every
// LogEvery, so that a journal shows a long night's run advancing without
// filling up.
//
// The work reports through the Reporter its context carries (With, Start):
// the stages take no new parameter, and work run with no Reporter (tests,
// the daemon's API) reports to nothing at no cost. Reporters are safe for
// concurrent use: gen writes its workbooks from one goroutine per core.
//
// A count is what was done, not what was started: ingest adds a file once
// it is through its step in the commit order, so that a bar stopped by an
// interruption shows no more than was read (what was committed is the
// summary's to say).
package progress
