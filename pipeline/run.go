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

// RunSummary is the record of one run, kept in warehouse/runs/: the nightly
// job ("run") or an ad-hoc forecast ("forecast"). AsOf and Cutoff say what it
// knew: the quarter assessed and the instant after which received returns
// were ignored (for a run without --as-of, its start: everything received so
// far); CatalogSeq is the warehouse commit it read.
type RunSummary struct {
	Kind       string           `json:"kind"`
	Started    time.Time        `json:"started"`
	Finished   time.Time        `json:"finished"`
	AsOf       string           `json:"as_of"`
	Cutoff     *time.Time       `json:"cutoff,omitempty"`
	CatalogSeq int              `json:"catalog_seq"`
	TargetSets []string         `json:"target_sets,omitempty"`
	Ingest     IngestSummary    `json:"ingest"`
	Compact    *CompactSummary  `json:"compact,omitempty"`
	Report     string           `json:"report"`
	Results    []*assess.Result `json:"results"`
}

// setAsOf records what o knew.
func (r *RunSummary) setAsOf(o *Outlook) {
	r.AsOf = o.Series.Last.String()
	if o.AsOf.Period != 0 && o.AsOf.Period < o.Series.Last {
		r.AsOf = o.AsOf.Period.String()
	}
	c := o.AsOf.Cutoff
	if c.IsZero() {
		c = r.Started
	}
	c = c.UTC()
	r.Cutoff = &c
}

// Run is the nightly job: ingest the inbox, compact the warehouse when a
// table holds more than warehouse.compact_after_files Parquet files, forecast
// the report's target sets, write the ministry workbook, and record the run.
// A rejected input does not stop it: it finishes and then returns
// ErrRejected (wrapped).
func Run(ctx context.Context, cfg *configs.Config, log *slog.Logger) (*RunSummary, error) {
	sum := &RunSummary{Kind: "run", Started: time.Now().UTC(), TargetSets: cfg.Settings.Report.TargetSets}
	ing, err := Ingest(ctx, cfg, nil, log)
	sum.Ingest = ing
	if err != nil && !errors.Is(err, ErrRejected) {
		return sum, err
	}
	rejected := err
	cs, err := Compact(ctx, cfg, false, log)
	if err != nil {
		return sum, err
	}
	if cs.Compacted {
		sum.Compact = &cs
	}
	o, err := outlook(ctx, cfg, AsOf{}, cfg.Settings.Report.TargetSets, log)
	if err != nil {
		return sum, err
	}
	sum.CatalogSeq, sum.Results = o.CatalogSeq, o.Results
	sum.setAsOf(o)
	if sum.Report, err = Report(ctx, cfg, o, "", sum.Started, log); err != nil {
		return sum, err
	}
	sum.Finished = time.Now().UTC()
	if err := writeRunRecord(cfg, sum); err != nil {
		return sum, err
	}
	return sum, rejected
}

// writeRunRecord keeps v as warehouse/runs/<UTC time>-<kind>.json.
func writeRunRecord(cfg *configs.Config, v *RunSummary) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.json", v.Started.Format("20060102T150405.000000Z"), v.Kind)
	return warehouse.WriteFileAtomic(filepath.Join(cfg.Settings.Paths.Warehouse, "runs", name), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
