package report

import (
	"fmt"
	"strings"

	"github.com/offshore-ma/offshore/pipeline/series"
)

// collectingLabels are the words of lang's quarters in collection: English
// for "en", French otherwise.
func collectingLabels(lang string) *collectingWords { return &labelsOf(lang).collecting }

// CollectingText says, in lang ("fr" or "en"), how far the returns of a
// quarter in collection have come and how many each sector still owes
// (counts of returns only, never a figure): "T1 2019 en cours de collecte :
// 37 % des déclarants attendus, 41 % des effectifs du trimestre précédent ;
// échéance le 15/05/2019", then the owed returns. The deadline is the
// quarter's end plus filingDelayDays; the owed returns are listed in the
// order of sectors.
func CollectingText(lang string, c series.Coverage, sectors []string, filingDelayDays int) (line, owed string) {
	w := collectingLabels(lang)
	pct := func(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }
	q := PeriodName(lang, c.Period)
	deadline := c.Period.End().AddDate(0, 0, filingDelayDays).Add(-1) // the last day: returns are due by its end
	line = fmt.Sprintf(w.line, q, pct(c.Operators), weightText(lang, c), deadline.Format(w.date))
	var parts []string
	for _, s := range sectors {
		if n := c.Owed[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, n))
		}
	}
	if len(parts) == 0 {
		return line, w.noneOwed
	}
	return line, fmt.Sprintf(w.owed, strings.Join(parts, ", "))
}

// weightText is c's share of the previous quarter's headcount, in lang, or
// "une part confidentielle" when it may not be published (WeightSecret).
func weightText(lang string, c series.Coverage) string {
	if c.WeightSecret {
		return collectingLabels(lang).secret
	}
	return fmt.Sprintf("%.0f %%", 100*c.Weight)
}
