// Package pipeline orchestrates the stages: ingest → warehouse → panel and
// series → assessment → report, plus export and compaction. The CLI, the
// cron scheduler and the HTTP API are thin ways of calling these functions;
// each takes the configuration, a context checked between files, and a
// logger (nil: discard), and logs one line per finished stage.
//
// Inbox rule: files found in the configured inbox leave it only after the
// commit that holds their bytes (accepted) or after their quarantine copy and
// report are written and committed (rejected). Quarantine is idempotent: the
// same bytes land on the same name, so a rerun after a crash adds no
// duplicate. Files named on the command line are read where they are and
// never moved or removed.
//
// received_at, which orders versions and decides what an as-of knows, is the
// declaration date written in the workbook when there is one and it is not in
// the future, else the file's modification time when ingest first sees it.
// It is fixed when the file's bytes are first committed.
//
// As-of: a quarter (returns for quarters up to it received by its end plus
// forecast.filing_delay_days) or a date (returns received by the end of that
// day, for the quarters ended by then). Forecast, Report, Export and the
// panel and series all take one; each run records the as-of and cutoff it
// used in warehouse/runs.
//
// Readers (Forecast, Report, Export) take no lock: they read one catalog and
// then only the immutable files it names.
package pipeline
