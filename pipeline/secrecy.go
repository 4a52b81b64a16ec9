package pipeline

import (
	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/report"
)

// secrecyOptions are the workbook options the confidentiality rule depends
// on: the consolidated returns, the rule's settings, the regions and the
// baseline years. The workbook, the run record's Confidential list (the
// page, the API, `offshore forecast`), the ad-hoc fan charts and the
// exported series all decide with them, so they agree.
func secrecyOptions(cfg *config.Config, o *Outlook) report.Options {
	return secrecyFor(cfg, o.Returns)
}

// secrecyFor is secrecyOptions for the consolidated returns rs.
func secrecyFor(cfg *config.Config, rs []domain.Return) report.Options {
	years := map[string]int{}
	for _, set := range cfg.Targets.Sets {
		years[set.ID] = set.BaselineYear
	}
	var regions []string
	for _, r := range cfg.Mappings.Regions {
		regions = append(regions, r.Name)
	}
	return report.Options{Panel: rs, BaselineYears: years, Sectors: cfg.Mappings.SectorCodes(), Regions: regions,
		MinOperators: cfg.Settings.Secrecy.MinOperators, Dominance: cfg.Settings.Secrecy.Dominance}
}

// confidential lists the targets of o the confidentiality rule hides.
func confidential(cfg *config.Config, o *Outlook) []string {
	return report.ConfidentialTargets(o.Results, secrecyOptions(cfg, o))
}

// applySecrecy sets o.Confidential and drops every observed growth whose
// span starts in a quarter the gate hides: with the published latest
// actual, the rate gives that quarter's figure back by division.
func applySecrecy(cfg *config.Config, o *Outlook) {
	o.Confidential = confidential(cfg, o)
	g := report.NewGate(secrecyOptions(cfg, o))
	// hidden reports whether the growth rate from quarter from (a flow's:
	// the year of four quarters from from) to the published latest actual
	// would give a hidden figure back by division.
	hidden := func(a *assess.Assessment, from domain.Period, flow bool) bool {
		ps := []domain.Period{from}
		if flow {
			ps = append(ps, from+1, from+2, from+3)
		}
		return g.Hidden(a.Sector, "", a.Metric, ps...)
	}
	for _, res := range o.Results {
		for i := range res.Assessments {
			a := &res.Assessments[i]
			if a.ObservedGrowth != nil && a.ObservedFrom != 0 && hidden(a, a.ObservedFrom, a.Metric == domain.MetricExports) {
				a.ObservedGrowth, a.ObservedFrom = nil, 0
			}
			if a.RecentGrowth != nil && a.RecentFrom != 0 && hidden(a, a.RecentFrom, a.Metric.IsFlow()) {
				a.RecentGrowth, a.RecentFrom = nil, 0
			}
		}
	}
}
