// Package pipeline is the orchestration: it calls the stages in order and
// keeps the records of what it did. It holds no logic of its own beyond
// deciding what to call with what; each stage is its own package
// (docs/architecture.md draws them and the rules of who may import whom):
//
//	ingest → warehouse → release → series → assess → report
//
// plus the exports (table), the ad-hoc forecasts and the run records
// (runlog). The faces (cmd/offshore, the daemon) call these functions and
// print; each takes the configuration, a context checked between files and
// batches, and a logger (nil: discard), and logs one line per finished stage.
//
// The nightly run (Run) opens the warehouse once, for writing: the ingest of
// the inbox and the compaction commit through that handle; the forecast then
// reads the returns its catalog names, after the lock is released, and the
// workbook shows only what the run computed (the assessments, the previous
// run and the attribution of the changes since).
//
// With report.mail on, Run then mails the new workbook (deliver.go), once:
// the attempt is recorded in the run's Delivery, a failure leaves the run
// ok and is returned matching ErrDelivery, and the daemon retries it
// through Redeliver while the workbook is the latest.
//
// Readers (ForecastTargets, WriteReport, Export, AdHoc) take no lock: they
// read one catalog and then only the immutable files it names. Each run
// records its as-of, cutoff and the warehouse commit it read in
// warehouse/runs (runlog).
package pipeline
