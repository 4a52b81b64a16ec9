// Package warehouse keeps the returns: the raw archive, the Parquet tables and
// the catalog that says which of them are committed.
//
// Layout of a warehouse folder:
//
//	raw/<sha256>.xlsx                   every file ingested, accepted or rejected, byte for byte
//	returns/year=YYYY/c<seq>.parquet    accepted rows of commit <seq>, by the period's year
//	problems/c<seq>.parquet             problems found in the files of commit <seq>
//	runs/                               run records (forecasts and assessments), JSON
//	ingest-cache.tsv                    ingest's file cache (a hint: FileCache; losing it costs only time)
//	catalog.json                        the committed state
//	lock                                the writers' lock file
//
// Rules kept here:
//   - A commit writes its new files under temporary names, syncs them (all
//     at once, in parallel) and renames them, syncs their folders (and a new
//     folder's parent), then replaces catalog.json
//     (temporary name, sync, rename, sync of the folder). The catalog is the
//     only truth: a file it does not name is garbage, removed when a writer
//     opens the warehouse. A crash at any point leaves the last committed state.
//   - The catalog records each part's size; Open refuses (ErrDamaged) a
//     warehouse whose catalog is unreadable or whose named files are missing
//     or truncated, naming the file and what to do, rather than guess.
//   - Files are immutable once committed; readers read the catalog once and
//     then only files it names, so they never see a half-done commit. A
//     compaction is a commit that replaces parts by an equal one; a reader
//     that finds a part gone starts again from the new catalog.
//   - The same bytes (sha256) are committed at most once.
//   - One writer at a time: Open takes an exclusive flock on the lock file,
//     waits up to Options.LockWait, then fails with ErrLocked naming the
//     holder's pid, command and start time. The kernel drops the flock of a
//     dead process, so a dead holder's lock is taken over.
//   - Parquet files are plain columns, zstd-compressed, with the Arrow schema
//     stored, for analysts' own tools (DuckDB, pandas, Spark).
package warehouse
