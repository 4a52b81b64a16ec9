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
//   - A commit writes its new files under temporary names, then its journal
//     (the files it adds and retires), syncs its files (all at once, in
//     parallel) and renames them, syncs their folders (and a new folder's
//     parent), then replaces catalog.json (temporary name, sync, rename, sync
//     of the folder), removes what it retires, and last its journal. The
//     catalog is the only truth of what is committed, but it is never
//     assumed: Open removes only a commit's provable leftovers (temporary
//     names, files a journal claims that the catalog does not name). A crash
//     at any point leaves the last committed state.
//   - A missing, empty or self-contradicting catalog over data files is
//     damage (ErrDamaged), for readers and writers alike; so is, for a
//     writer, a named file missing or changed (size of every file, sha256 of
//     every part, all recorded at commit) or a data file no commit names and
//     no journal claims. Nothing is removed then; the message names the file
//     and what to do. Verify checks every file's sha256.
//   - Files are immutable once committed; readers read the catalog once and
//     then only files it names, so they never see a half-done commit. A
//     compaction is a commit that replaces parts by an equal one; a reader
//     that finds a part gone starts again from the new catalog.
//   - The same bytes (sha256) are committed at most once.
//   - One writer at a time: Open takes an exclusive flock on the lock file,
//     waits up to Options.LockWait, then fails with ErrLocked naming the
//     holder's pid, command and start time. The kernel drops the flock of a
//     dead process, so a dead holder's lock is taken over. A lock file removed
//     by hand lets a second writer in, so each commit checks, before its
//     journal and before the catalog, that the lock file on disk is the one
//     it locked and the catalog the one it read (ErrConflict otherwise);
//     Open checks the same before it removes an unfinished commit's
//     leftovers, and temporary names carry the writer's pid, so that
//     neither writer removes or renames the other's files.
//   - Parquet files are plain columns, zstd-compressed, with the Arrow schema
//     stored, for analysts' own tools (DuckDB, pandas, Spark).
package warehouse
