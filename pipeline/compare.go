package pipeline

import (
	"context"
	"log/slog"
	"time"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/runlog"
)

// compare sets o.Previous to the latest successful nightly run started
// before started, and o.Changes to the attribution of each target's change
// of projection since (assess.Attribute, replaying the assessment on what
// each step knew). The workbook's Évolution sheet shows both; an unreadable
// history is logged and leaves them empty.
func compare(ctx context.Context, cfg *config.Config, o *Outlook, started time.Time, log *slog.Logger) {
	prev, err := runlog.Last(cfg, runlog.JobRun, func(r *runlog.Record) bool { return r.Succeeded() && r.Started.Before(started) })
	if err != nil {
		orDiscard(log).Warn("previous run record unreadable; the report shows no changes", "err", err)
		return
	}
	if prev == nil {
		return
	}
	o.Previous = prev
	if o.catalog == nil {
		return
	}
	sets := make([]string, len(o.Results))
	for i, r := range o.Results {
		sets[i] = r.TargetSet
	}
	replay := func(ctx context.Context, rs []domain.Return, asOf domain.AsOf, model string) ([]*assess.Result, error) {
		m, err := forecast.ByName(model)
		if err != nil {
			return nil, err
		}
		r, err := assessReturns(ctx, cfg, rs, asOf, sets, m)
		if err != nil {
			return nil, err
		}
		return r.Results, nil
	}
	o.Changes = assess.Attribute(ctx, assess.Attribution{
		All: o.all,
		CommitOf: func(sha string) (int, bool) {
			src, ok := o.catalog.Sources[sha]
			return src.Commit, ok
		},
		PreviousResults: prev.Results, PreviousAsOf: prev.AsOf, PreviousCommit: prev.CatalogSeq,
		PreviousModel: assess.PreviousModel(prev.Results, cfg.Settings.Forecast.Model),
		Results:       o.Results, AsOf: o.AsOf, Model: cfg.Settings.Forecast.Model,
	}, replay)
}
