// Package runlog keeps the run records, warehouse/runs/<id>.json: one per
// run of a job (the nightly run, an ingest, a forecast), written when it
// starts and replaced when it ends, atomically.
//
// Rules kept here:
//   - a record says what the run knew (as-of, cutoff, the warehouse commit
//     it read) and did (counts, the workbook, the assessments whole); what
//     leaves the warehouse goes through Published, which masks the
//     assessments the confidentiality rule hides;
//   - a run whose process died is told by its pid and the process's start
//     time (MarkDead), never by the pid alone;
//   - the mail of a nightly workbook is kept in the record of the run that
//     wrote it (Delivery): pending while an attempt runs in a live process,
//     then sent or failed; no password is ever recorded.
package runlog
