package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// RunSummary is the record of one nightly run, kept in warehouse/runs/.
type RunSummary struct {
	Started  time.Time        `json:"started"`
	Finished time.Time        `json:"finished"`
	AsOf     string           `json:"as_of"`
	Cutoff   *time.Time       `json:"cutoff,omitempty"`
	Ingest   IngestSummary    `json:"ingest"`
	Report   string           `json:"report"`
	Results  []*assess.Result `json:"results"`
}

// Run is the nightly job: ingest the inbox, forecast the report's target
// sets, write the ministry workbook, and record the run. A rejected input does
// not stop it: it finishes and then returns ErrRejected (wrapped).
func Run(ctx context.Context, cfg *configs.Config, log *slog.Logger) (*RunSummary, error) {
	sum := &RunSummary{Started: time.Now().UTC()}
	ing, err := Ingest(ctx, cfg, nil, log)
	sum.Ingest = ing
	if err != nil && !errors.Is(err, ErrRejected) {
		return sum, err
	}
	rejected := err
	o, err := Forecast(ctx, cfg, AsOf{}, cfg.Settings.Report.TargetSets, log)
	if err != nil {
		return sum, err
	}
	sum.AsOf, sum.Results = o.Series.Last.String(), o.Results
	if sum.Report, err = Report(ctx, cfg, o, "", sum.Started, log); err != nil {
		return sum, err
	}
	sum.Finished = time.Now().UTC()
	if err := writeRunRecord(cfg, "run", sum); err != nil {
		return sum, err
	}
	return sum, rejected
}

// writeRunRecord keeps v as warehouse/runs/<UTC time>-<kind>.json.
func writeRunRecord(cfg *configs.Config, kind string, v *RunSummary) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.json", v.Started.Format("20060102T150405.000000Z"), kind)
	return warehouse.WriteFileAtomic(filepath.Join(cfg.Settings.Paths.Warehouse, "runs", name), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
