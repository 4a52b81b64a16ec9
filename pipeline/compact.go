package pipeline

import (
	"context"
	"log/slog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Compact rewrites the warehouse's many small Parquet files into one per
// partition, atomically and with the same rows (see warehouse.Compact). With
// force false it does so only when a table holds more than
// warehouse.compact_after_files files, as the nightly run asks. It takes the
// writers' lock, waiting up to warehouse.lock_wait.
func Compact(ctx context.Context, cfg *config.Config, force bool, log *slog.Logger) (warehouse.CompactStats, error) {
	log = orDiscard(log)
	var sum warehouse.CompactStats
	wh, err := warehouse.Open(ctx, cfg.Settings.Paths.Warehouse, warehouse.Options{LockWait: cfg.Settings.Warehouse.LockWait, Logger: log})
	if err != nil {
		return sum, err
	}
	defer wh.Close()
	limit := cfg.Settings.Warehouse.CompactAfter
	if !force && wh.Parts(warehouse.TableReturns) <= limit && wh.Parts(warehouse.TableProblems) <= limit {
		return sum, nil
	}
	return wh.Compact(ctx)
}
