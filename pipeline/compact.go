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
