package pipeline

import (
	"context"
	"log/slog"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/pipeline/ingest"
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

// Validate reads each workbook at paths as IngestFiles would and writes nothing:
// visit gets each file's sha256 and verdict (ingest.Check).
func Validate(ctx context.Context, cfg *config.Config, paths []string, visit func(path, sha string, res ingest.Result) error) error {
	return ingest.Check(ctx, cfg, paths, visit)
}
