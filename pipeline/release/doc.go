// Package release decides what the official figures rest on: the as-of
// quarter and the returns behind it.
//
// An as-of (AsOf) says what the pipeline knows: a forced quarter, a date, or
// everything received so far. The as-of rule (Choose) then picks the latest
// quarter whose returns are complete enough (coverage.* settings), as each
// of the three quarters before it is; the quarters after it are "in
// collection" and not used. A quarter becomes official once (its release);
// its figures rest on the returns received by then, so that they stay as
// they were until the next release, however many late returns arrive
// (Returns).
//
// Rules kept here: the same returns received by the same cutoff give the
// same choice, whatever arrived later; the as-of never passes over a quarter
// that fails the rule; nothing here reads or writes files.
package release
