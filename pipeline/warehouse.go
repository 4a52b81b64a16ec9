package pipeline

import (
	"context"
	"log/slog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Compact rewrites the warehouse's many small Parquet files into one per
// partition, atomically and with the same rows (see warehouse.Compact). With
// force false it does so only when a table holds more than
// warehouse.compact_after_files files, as the nightly run asks. It takes the
// writers' lock, waiting up to warehouse.lock_wait.
func Compact(ctx context.Context, cfg *config.Config, force bool, log *slog.Logger) (warehouse.CompactStats, error) {
	wh, err := openWriter(ctx, cfg, log)
	if err != nil {
		return warehouse.CompactStats{}, err
	}
	defer wh.Close()
	return compact(ctx, cfg, wh, force)
}

// compact is Compact through wh, open for writing.
func compact(ctx context.Context, cfg *config.Config, wh *warehouse.Warehouse, force bool) (warehouse.CompactStats, error) {
	limit := cfg.Settings.Warehouse.CompactAfter
	if !force && wh.Parts(warehouse.TableReturns) <= limit && wh.Parts(warehouse.TableProblems) <= limit {
		return warehouse.CompactStats{}, nil
	}
	return wh.Compact(ctx)
}

// openWriter opens the warehouse for writing, waiting up to
// warehouse.lock_wait for another writer to finish.
func openWriter(ctx context.Context, cfg *config.Config, log *slog.Logger) (*warehouse.Warehouse, error) {
	return warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{LockWait: cfg.Settings.Warehouse.LockWait, Logger: log})
}

// Repair rebuilds a warehouse whose catalog or files are damaged from what
// it still holds, rereading the raw workbooks (ingest.Repair).
func Repair(ctx context.Context, cfg *config.Config, log *slog.Logger) (ingest.RepairSummary, error) {
	return ingest.Repair(ctx, cfg, log)
}

// Verify checks every file of the warehouse against its catalog and changes
// nothing (warehouse.Verify); it waits up to warehouse.lock_wait for a
// writer to finish.
func Verify(ctx context.Context, cfg *config.Config, log *slog.Logger) (warehouse.VerifyReport, error) {
	return warehouse.Verify(ctx, cfg.Settings.Paths.Warehouse, cfg.Settings.Warehouse.LockWait, log)
}
