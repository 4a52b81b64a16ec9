package pipeline

import (
	"context"
	"log/slog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/ingest"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// ErrRejected is returned (wrapped) by the commands that ingest when some
// input was rejected and quarantined: the run did its job, the exit code
// says someone should look.
var ErrRejected = ingest.ErrRejected

// IngestFiles reads the workbooks at paths (files or folders; the configured
// inbox when empty) into the warehouse, quarantining the rejected ones
// (ingest.Files). It takes the writers' lock, waiting up to
// warehouse.lock_wait, and returns ErrRejected (wrapped) when a file was
// rejected.
func IngestFiles(ctx context.Context, cfg *config.Config, paths []string, log *slog.Logger) (ingest.Summary, error) {
	wh, err := openWriter(ctx, cfg, log)
	if err != nil {
		return ingest.Summary{}, err
	}
	defer wh.Close()
	return ingest.Files(ctx, cfg, wh, paths, log)
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

// orDiscard is log, or a logger that discards when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// Validate reads each workbook at paths as Ingest would and writes nothing:
// visit gets each file's sha256 and verdict (ingest.Check).
func Validate(ctx context.Context, cfg *config.Config, paths []string, visit func(path, sha string, res ingest.Result) error) error {
	return ingest.Check(ctx, cfg, paths, visit)
}
