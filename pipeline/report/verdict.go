package report

import (
	"cmp"
	"fmt"
	"math"
	"strconv"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/internal/locale"
	"github.com/offshore-ma/offshore/pipeline/assess"
)

// Sentences are the verdicts of results, one sentence per target in
// opts.Lang ("fr" when empty), written from the assessment alone so that
// they agree with the table: "Au rythme actuel, l'emploi direct atteindrait
// 118 300 postes fin 2020 (entre 107 700 et 128 900 dans 8 cas sur 10), en
// deçà de la cible de 123 000 : probabilité d'atteinte 25 %." Jobs are
// rounded to the hundred, amounts written in milliards of MAD with one
// decimal; probabilities below 1 % and above 99 % as "< 1 %" and "> 99 %".
// A target the confidentiality rule hides (opts) gets a sentence that says
// so, with no figure. They head the Synthèse sheet and the mail that
// delivers the workbook.
func Sentences(results []*assess.Result, opts Options) []string {
	return (&gate{opts: opts}).sentences(results)
}

// sentences are Sentences with w deciding what is hidden, so that the
// Synthèse asks the workbook's own gate, which remembers its answers,
// rather than a new one per target set.
func (w *gate) sentences(results []*assess.Result) []string {
	sw := sentenceLang(w.opts.Lang)
	var out []string
	for _, r := range results {
		if r == nil {
			continue
		}
		for _, a := range r.Assessments {
			out = append(out, sw.sentence(a, w.secret(r.TargetSet, &a)))
		}
	}
	return out
}

// sentenceWords are the words of the verdict sentences in one language.
type sentenceWords struct {
	lang string
	// subject names the measure: metric × kind, %s the sector ("" when national).
	jobs, exports, investment, cumulative, sector string
	unitJobs, unitAmount                          string
	projected, interval, above, below, closedMet  string
	closedMissed, reached, unknown, secret, prob  string
	noReason                                      string
	lessThan, moreThan                            string
}

var sentenceLangs = map[string]sentenceWords{
	"fr": {lang: "fr",
		jobs: "l'emploi direct", exports: "le chiffre d'affaires à l'export", investment: "l'investissement",
		cumulative: "l'investissement cumulé", sector: " de la filière %s",
		unitJobs: "postes", unitAmount: "Md MAD",
		projected:    "Au rythme actuel, %s atteindrait %s fin %s",
		interval:     " (entre %s et %s dans 8 cas sur 10)",
		above:        ", au-delà de la cible de %s : probabilité d'atteinte %s.",
		below:        ", en deçà de la cible de %s : probabilité d'atteinte %s.",
		closedMet:    "Fin %[3]s, %[1]s a atteint %[2]s, pour une cible de %[4]s : cible atteinte.",
		closedMissed: "Fin %[3]s, %[1]s a atteint %[2]s, pour une cible de %[4]s : cible non atteinte.",
		reached:      "Fin %[3]s, %[1]s atteint déjà %[2]s, au-delà de la cible de %[4]s : cible atteinte.",
		unknown:      "%s : pas de projection possible (%s).", noReason: "trop peu de trimestres observés",
		secret: "%s : chiffres couverts par le secret statistique.",
		prob:   "%s %%", lessThan: "< 1 %", moreThan: "> 99 %"},
	"en": {lang: "en",
		jobs: "direct employment", exports: "export revenue", investment: "investment",
		cumulative: "cumulative investment", sector: " in the %s sector",
		unitJobs: "jobs", unitAmount: "bn MAD",
		projected:    "At the current pace, %s would reach %s by the end of %s",
		interval:     " (between %s and %s in 8 cases out of 10)",
		above:        ", above the target of %s: probability of meeting it %s.",
		below:        ", below the target of %s: probability of meeting it %s.",
		closedMet:    "At the end of %[3]s, %[1]s reached %[2]s against a target of %[4]s: target met.",
		closedMissed: "At the end of %[3]s, %[1]s reached %[2]s against a target of %[4]s: target not met.",
		reached:      "At the end of %[3]s, %[1]s already reaches %[2]s, beyond the target of %[4]s: target met.",
		unknown:      "%s: no projection possible (%s).", noReason: "too few quarters observed",
		secret: "%s: figures withheld under statistical confidentiality.",
		prob:   "%s%%", lessThan: "< 1%", moreThan: "> 99%"},
}

// sentence is the verdict on a, or the confidentiality notice when secret.
func (w sentenceWords) sentence(a assess.Assessment, secret bool) string {
	if secret {
		return fmt.Sprintf(w.secret, a.Label)
	}
	subject := w.jobs
	switch {
	case a.Kind == domain.KindCumulative:
		subject = w.cumulative
	case a.Metric == domain.MetricExports:
		subject = w.exports
	case a.Metric == domain.MetricInvestment:
		subject = w.investment
	}
	if a.Sector != domain.National {
		subject += fmt.Sprintf(w.sector, a.Sector)
	}
	switch {
	case a.Closed && a.Status == assess.StatusAchieved:
		return fmt.Sprintf(w.closedMet, subject, w.amount(a, a.Latest), a.Horizon, w.figure(a, a.Target))
	case a.Closed:
		return fmt.Sprintf(w.closedMissed, subject, w.amount(a, a.Latest), a.Horizon, w.figure(a, a.Target))
	case a.Reached:
		return fmt.Sprintf(w.reached, subject, w.amount(a, a.Latest), PeriodName(w.lang, a.LatestPeriod), w.figure(a, a.Target))
	case a.Status == forecast.StatusUnknown || math.IsNaN(a.Projected) || math.IsNaN(a.PMeet):
		return fmt.Sprintf(w.unknown, a.Label, cmp.Or(a.ModelReason, w.noReason))
	}
	s := fmt.Sprintf(w.projected, subject, w.amount(a, a.Projected), a.Horizon)
	if !math.IsNaN(a.Lo80) && !math.IsNaN(a.Hi80) {
		s += fmt.Sprintf(w.interval, w.figure(a, a.Lo80), w.figure(a, a.Hi80))
	}
	side := w.below
	if a.Projected >= a.Target {
		side = w.above
	}
	return s + fmt.Sprintf(side, w.figure(a, a.Target), w.probability(a.PMeet))
}

// amount is v with its unit: jobs rounded to the hundred ("118 300
// postes"), amounts in milliards of MAD with one decimal ("9,5 Md MAD").
func (w sentenceWords) amount(a assess.Assessment, v float64) string {
	if a.Metric == domain.MetricJobs {
		return w.figure(a, v) + " " + w.unitJobs
	}
	return w.figure(a, v) + " " + w.unitAmount
}

// figure is v without its unit, rounded as amount rounds it.
func (w sentenceWords) figure(a assess.Assessment, v float64) string {
	if a.Metric == domain.MetricJobs {
		return w.number(math.Round(v/100)*100, 0)
	}
	return w.number(v/1e9, 1)
}

// zero reports whether v, rounded as figure rounds it, reads as 0 (either
// sign): a change too small to show.
func (w sentenceWords) zero(a assess.Assessment, v float64) bool {
	return w.figure(a, math.Abs(v)) == w.figure(a, 0)
}

// number writes v with decimals digits after the point, grouped by
// thousands: "118 300" and "9,5" in French (a narrow no-break space, a
// comma), "118,300" and "9.5" in English.
func (w sentenceWords) number(v float64, decimals int) string {
	return locale.Number(w.lang, v, decimals) // the page's numbers too: one writer for both
}

// probability writes p as a whole percent, "< 1 %" and "> 99 %" at the ends
// where rounding would claim a certainty the model does not have.
func (w sentenceWords) probability(p float64) string {
	switch {
	case p < 0.005:
		return w.lessThan
	case p > 0.995:
		return w.moreThan
	}
	return fmt.Sprintf(w.prob, strconv.Itoa(int(math.Round(100*p))))
}

// Probability writes p in lang ("fr" when not known) as the verdict
// sentences and the workbook do: "25 %", "< 1 %", "> 99 %".
func Probability(lang string, p float64) string { return sentenceLang(lang).probability(p) }

// StatusName is st in words in lang ("fr" when not known), as the workbook
// writes it: "À risque", "At risk"; the code itself when it has none.
func StatusName(lang string, st forecast.Status) string { return labelsOf(lang).statusName(st) }

// sentenceLang are the sentence words of lang, French when not known.
func sentenceLang(lang string) sentenceWords {
	if w, ok := sentenceLangs[lang]; ok {
		return w
	}
	return sentenceLangs["fr"]
}
