// Package pipeline orchestrates the stages: ingest → warehouse → series →
// assessment → report. The CLI, the cron scheduler and the HTTP API are thin
// ways of calling these functions; each takes the configuration, a context
// checked between files, and a logger (nil: discard), and logs one line per
// finished stage.
//
// Inbox rule: files found in the configured inbox leave it only after the
// commit that holds their bytes (accepted) or after their quarantine copy and
// report are written and committed (rejected). Files named on the command line
// are read where they are and never moved or removed.
package pipeline
