package report

import (
	"slices"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/pipeline/assess"
	"github.com/offshore-ma/offshore/pipeline/series"
)

// Options shape the ministry workbook.
type Options struct {
	// Lang is the workbook's language: "fr" (the default when empty) or "en".
	Lang string
	// GeneratedAt is the time printed as the generation date (its wall clock
	// in its own location) and stored as the document's created and modified
	// times. The caller passes the run's time; it must not be zero, so that
	// the same inputs always give the same bytes.
	GeneratedAt time.Time
	// Title replaces the default title of the summary sheet and of the
	// document when not empty.
	Title string
	// BaselineYears maps a target set id to its baseline year, printed in the
	// baseline column's header ("Référence 2015"); a set missing from the map
	// gets a header without a year.
	BaselineYears map[string]int
	// OnTrack and AtRisk are the probability thresholds of the statuses
	// (the settings' forecast.on_track and forecast.at_risk); when both are set,
	// the legend states them. Zero leaves them out.
	OnTrack, AtRisk float64

	// Panel is the consolidated returns behind the series: the latest version
	// of each operator × period as of the report. It is used only for
	// aggregates; no operator-level figure is ever printed, and an aggregate
	// of fewer than MinOperators operators is hidden (with whatever else
	// would let it be derived from a total). With a Panel the workbook also
	// has the Filières, Régions, Emploi inclusif and Qualité des données
	// sheets, and the Données sheet hides confidential sector figures.
	Panel []domain.Return
	// MinOperators is the confidentiality threshold (0: DefaultMinOperators).
	MinOperators int
	// Dominance: a figure one operator holds more than this share of is
	// hidden too (0: DefaultDominance).
	Dominance float64
	// Sectors lists the sectors in the order of the sheets (mappings.yaml's
	// order); empty: those of the panel, sorted.
	Sectors []string
	// Regions lists the regions in the order of the Régions sheet (all of
	// them, so that a region with no operator shows as empty); regions found
	// in the panel and not listed follow.
	Regions []string
	// FilingDelayDays: a return received later than this after its
	// quarter's end is late.
	FilingDelayDays int
	// Rejections counts the rejected files by problem code.
	Rejections map[string]int
	// Previous holds the previous report's results and PreviousAt its time,
	// for the Évolution sheet; nil: this is the first report.
	Previous   []*assess.Result
	PreviousAt time.Time
	// PreviousRunID is the previous report's run id, for Évolution to
	// name the report it compares with.
	PreviousRunID string
	// PreviousConfidential lists the previous report's hidden assessments
	// ("set/target id"): their previous figures stay hidden on Évolution.
	PreviousConfidential []string
	// Changes splits each target's change of projection since the previous
	// report (key: set id + "/" + target id) into its causes; optional.
	Changes map[string]assess.Change
	// RunID, Version and Cutoff (the received-by instant of the data; zero:
	// everything received) are printed on the Méthodologie sheet.
	RunID, Version string
	Cutoff         time.Time
	// AsOf says how the as-of quarter was chosen, printed on the
	// Méthodologie sheet; nil: not said.
	AsOf *AsOfChoice
}

// AsOfChoice is how the as-of quarter was chosen: the rule's name (as run
// records have it: "coverage", "deadline_imputed" or "forced"), the
// quarter's coverage and the shares the rule asks for (0..1).
type AsOfChoice struct {
	Rule                    string
	Coverage                series.Coverage
	MinOperators, MinWeight float64
	MinReported             float64 // past the deadline, with imputation
	// Collecting are the quarters after the as-of with returns, not used:
	// the Synthèse and Qualité des données sheets say how far each has come
	// (CollectingText) and what each sector still owes.
	Collecting []series.Coverage
	// Released is when the as-of quarter became official (zero when
	// forced), Cutoff the receipt time the figures stop at; Later counts
	// the files received since for it and the quarters before it, left for
	// the next release.
	Released, Cutoff time.Time
	Later            int
}

// rule is the confidentiality rule of o.
func (o Options) rule() rule {
	d := o.Dominance
	if d <= 0 {
		d = DefaultDominance
	}
	return rule{min: o.minOperators(), dominance: d}
}

func (o Options) minOperators() int {
	if o.MinOperators > 0 {
		return o.MinOperators
	}
	return DefaultMinOperators
}

// sectors are opts.Sectors, or the panel's sectors sorted when none are given.
func (opts Options) sectors() []string {
	if len(opts.Sectors) > 0 {
		return opts.Sectors
	}
	var out []string
	for i := range opts.Panel {
		if !slices.Contains(out, opts.Panel[i].Sector) {
			out = append(out, opts.Panel[i].Sector)
		}
	}
	slices.Sort(out)
	return out
}
