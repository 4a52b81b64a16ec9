package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/offshore-ma/offshore/configs"
	"github.com/offshore-ma/offshore/pipeline/report"
	"github.com/offshore-ma/offshore/pipeline/warehouse"
)

// Report writes the ministry workbook of o atomically to out, or to
// outbox/<prefix>-<as-of>.xlsx when out is empty, and returns its path.
func Report(ctx context.Context, cfg *configs.Config, o *Outlook, out string, now time.Time, log *slog.Logger) (string, error) {
	log = orDiscard(log)
	if out == "" {
		out = filepath.Join(cfg.Settings.Paths.Outbox, fmt.Sprintf("%s-%s.xlsx", cfg.Settings.Report.FilePrefix, o.Series.Last))
	}
	years := map[string]int{}
	for _, set := range cfg.Targets.Sets {
		years[set.ID] = set.BaselineYear
	}
	f, err := report.Ministry(o.Results, o.Series, report.Options{
		Lang: cfg.Settings.Report.Lang, GeneratedAt: now, BaselineYears: years,
		OnTrack: cfg.Settings.Forecast.OnTrack, AtRisk: cfg.Settings.Forecast.AtRisk,
	})
	if err != nil {
		return "", fmt.Errorf("building the ministry workbook: %w", err)
	}
	defer f.Close()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	err = warehouse.WriteFileAtomic(out, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
	if err != nil {
		return "", err
	}
	log.Info("report written", "file", out)
	return out, nil
}
