package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/offshore-ma/offshore/domain"
)

// labels holds every word the ministry workbook prints, in one language.
type labels struct {
	summarySheet, dataSheet, chartSheet string

	title          string
	asOf           string
	generatedAt    string
	seriesSpan     string // "%s – %s, %d opérateurs"
	dateFormat     string
	setTitle       string // "%s — situation à fin %s"
	columns        []string
	baselineHeader string // baseline column without a year
	baselineYear   string // "%s %d"
	notes          []string
	skipped        string
	noAssessment   string
	legend         string
	statusHelp     map[string]string
	thresholds     string   // "(probabilité d'atteinte %s)"
	ranges         []string // the probabilities of on track, at risk, off track: "≥ %s", "de %s à moins de %s", "< %s"
	decimalComma   bool     // 12,5 % rather than 12.5%
	probability    []string

	national string
	metric   map[domain.Metric]string
	unit     map[domain.Metric]string
	status   map[string]string
	unitMAD  string // data sheet header suffix
	unitJobs string

	period                                string
	actual, projection, lo80, hi80, cible string
	cibleYear                             string // "Cible %d": the target column of the chart table
	cibleInTitle, cibleYearInTitle        string // the target in the chart's title, without and with its year
	chartTitle                            string // "…: réalisé, projection et %s"
	xAxis, yAxis                          string

	docTitle, docLanguage string
}

var fr = labels{
	summarySheet: "Synthèse",
	dataSheet:    "Données",
	chartSheet:   "Graphique",
	title:        "Offshoring : suivi des objectifs",
	asOf:         "Données arrêtées à fin",
	generatedAt:  "Généré le",
	seriesSpan:   "Séries trimestrielles de %s à %s, %d opérateurs déclarants",
	dateFormat:   "dd/mm/yyyy hh:mm",
	setTitle:     "%s — situation à fin %s",
	columns: []string{
		"Libellé", "Filière", "Indicateur", "Unité", "", "Dernier réalisé", "Période du dernier réalisé",
		"Cible", "Horizon", "Projection à l'horizon", "Intervalle 80 % : borne basse", "Intervalle 80 % : borne haute",
		"Probabilité d'atteinte", "Statut", "Écart à la cible (réalisé − cible)", "Croissance annuelle requise", "Croissance annuelle observée", "Modèle", "Identifiant",
	},
	baselineHeader: "Référence",
	baselineYear:   "Référence %d",
	notes: []string{
		"Unités : emplois en nombre de personnes ; exportations et investissement en millions de dirhams (MMAD = MAD / 1 000 000).",
		"Emplois : effectif en fin de trimestre ; exportations : chiffre d'affaires à l'export de l'année (dernier réalisé : quatre derniers trimestres) ; investissement : cumul depuis le début de la période de l'objectif.",
		"Croissances : taux annuels composés, du dernier réalisé à la cible (requise) et sur la période observée (observée).",
	},
	skipped:      "Objectifs non évalués",
	noAssessment: "Aucun objectif n'a pu être évalué.",
	legend:       "Légende des statuts",
	statusHelp: map[string]string{
		statusMet:         "la cible est déjà atteinte par les réalisations",
		statusOnTrack:     "la cible sera probablement atteinte",
		statusAtRisk:      "l'atteinte de la cible est incertaine",
		statusOffTrack:    "la cible ne sera probablement pas atteinte",
		statusUnknown:     "le modèle n'a pas pu conclure",
		statusAchieved:    "horizon passé et observé : la cible a été atteinte (ni modèle ni probabilité ; écart = réalisé − cible)",
		statusNotAchieved: "horizon passé et observé : la cible n'a pas été atteinte (ni modèle ni probabilité ; écart = réalisé − cible)",
	},
	thresholds:   " (probabilité d'atteinte %s)",
	ranges:       []string{"≥ %s", "de %s à moins de %s", "< %s"},
	decimalComma: true,
	probability: []string{
		"Probabilité d'atteinte : probabilité que la cible soit atteinte à l'horizon selon le modèle de prévision ajusté sur les trimestres observés.",
		"Intervalle 80 % : intervalle de prévision ; selon le modèle, la valeur à l'horizon a 80 % de chances de s'y trouver.",
	},
	national: "Ensemble",
	metric: map[domain.Metric]string{
		domain.MetricJobs:       "Emplois",
		domain.MetricExports:    "Exportations",
		domain.MetricInvestment: "Investissement",
	},
	unit: map[domain.Metric]string{
		domain.MetricJobs:       "personnes",
		domain.MetricExports:    "MMAD",
		domain.MetricInvestment: "MMAD",
	},
	status: map[string]string{
		statusMet:         "Atteint",
		statusOnTrack:     "En bonne voie",
		statusAtRisk:      "À risque",
		statusOffTrack:    "Hors trajectoire",
		statusUnknown:     "Indéterminé",
		statusAchieved:    "Atteinte",
		statusNotAchieved: "Non atteinte",
	},
	unitMAD:          "MAD",
	unitJobs:         "personnes",
	period:           "Période",
	actual:           "Réalisé",
	projection:       "Projection",
	lo80:             "Borne basse 80 %",
	hi80:             "Borne haute 80 %",
	cible:            "Cible",
	cibleYear:        "Cible %d",
	cibleInTitle:     "cible",
	cibleYearInTitle: "cible %d",
	chartTitle:       "Emplois directs, ensemble des filières : réalisé, projection et %s",
	xAxis:            "Trimestre",
	yAxis:            "Emplois (personnes)",
	docTitle:         "Offshoring : suivi des objectifs",
	docLanguage:      "fr-FR",
}

var en = labels{
	summarySheet: "Summary",
	dataSheet:    "Data",
	chartSheet:   "Chart",
	title:        "Offshoring: progress towards the targets",
	asOf:         "Data up to the end of",
	generatedAt:  "Generated on",
	seriesSpan:   "Quarterly series from %s to %s, %d reporting operators",
	dateFormat:   "yyyy-mm-dd hh:mm",
	setTitle:     "%s — as of the end of %s",
	columns: []string{
		"Label", "Sector", "Indicator", "Unit", "", "Latest actual", "Period of the latest actual",
		"Target", "Horizon", "Projection at the horizon", "80 % interval: low", "80 % interval: high",
		"Probability of meeting the target", "Status", "Gap to the target (actual − target)", "Required annual growth", "Observed annual growth", "Model", "Identifier",
	},
	baselineHeader: "Baseline",
	baselineYear:   "Baseline %d",
	notes: []string{
		"Units: jobs in persons; exports and investment in millions of dirhams (MMAD = MAD / 1,000,000).",
		"Jobs: headcount at the end of the quarter; exports: export revenue of the year (latest actual: last four quarters); investment: cumulated since the start of the target's period.",
		"Growth: compound annual rates, from the latest actual to the target (required) and over the observed span (observed).",
	},
	skipped:      "Targets not assessed",
	noAssessment: "No target could be assessed.",
	legend:       "Status legend",
	statusHelp: map[string]string{
		statusMet:         "the target is already met by the actuals",
		statusOnTrack:     "the target will probably be met",
		statusAtRisk:      "meeting the target is uncertain",
		statusOffTrack:    "the target will probably not be met",
		statusUnknown:     "the model could not conclude",
		statusAchieved:    "horizon past and observed: the target was met (no model, no probability; gap = actual − target)",
		statusNotAchieved: "horizon past and observed: the target was not met (no model, no probability; gap = actual − target)",
	},
	thresholds: " (probability of meeting the target %s)",
	ranges:     []string{"≥ %s", "%s to under %s", "< %s"},
	probability: []string{
		"Probability of meeting the target: the probability that the target is met at the horizon under the forecasting model fitted on the observed quarters.",
		"80 % interval: a prediction interval; under the model, the value at the horizon lies in it with probability 80 %.",
	},
	national: "All sectors",
	metric: map[domain.Metric]string{
		domain.MetricJobs:       "Jobs",
		domain.MetricExports:    "Exports",
		domain.MetricInvestment: "Investment",
	},
	unit: map[domain.Metric]string{
		domain.MetricJobs:       "persons",
		domain.MetricExports:    "MMAD",
		domain.MetricInvestment: "MMAD",
	},
	status: map[string]string{
		statusMet:         "Met",
		statusOnTrack:     "On track",
		statusAtRisk:      "At risk",
		statusOffTrack:    "Off track",
		statusUnknown:     "Undetermined",
		statusAchieved:    "Achieved",
		statusNotAchieved: "Not achieved",
	},
	unitMAD:          "MAD",
	unitJobs:         "persons",
	period:           "Period",
	actual:           "Actual",
	projection:       "Projection",
	lo80:             "80 % low",
	hi80:             "80 % high",
	cible:            "Target",
	cibleYear:        "Target %d",
	cibleInTitle:     "target",
	cibleYearInTitle: "%d target",
	chartTitle:       "Direct jobs, all sectors: actual, projection and %s",
	xAxis:            "Quarter",
	yAxis:            "Jobs (persons)",
	docTitle:         "Offshoring: progress towards the targets",
	docLanguage:      "en",
}

// sector names a sector code for the reader: the national pseudo-sector in
// words, the five filières by their usual codes.
func (l *labels) sector(code string) string {
	if code == domain.National {
		return l.national
	}
	return code
}

// metricName is the metric in words, or the code itself when unknown.
func (l *labels) metricName(m domain.Metric) string {
	if s, ok := l.metric[m]; ok {
		return s
	}
	return string(m)
}

// statusName is the status in words, or the code itself when unknown.
func (l *labels) statusName(st string) string {
	if s, ok := l.status[st]; ok {
		return s
	}
	return st
}

// seriesHeader names one column of the data sheet.
func (l *labels) seriesHeader(sector string, metric domain.Metric) string {
	unit := l.unitMAD
	if metric == domain.MetricJobs {
		unit = l.unitJobs
	}
	return fmt.Sprintf("%s — %s (%s)", l.sector(sector), l.metricName(metric), unit)
}

// percent writes a probability for the reader: 0.7 is "70 %" in French and
// "70%" in English.
func (l *labels) percent(p float64) string {
	s := strconv.FormatFloat(math.Round(p*1000)/10, 'f', -1, 64)
	if l.decimalComma {
		return strings.ReplaceAll(s, ".", ",") + "\u00a0%"
	}
	return s + "%"
}

// thresholdText says which probabilities give status st, or "" when the
// thresholds are not known (zero) or st does not depend on them.
func (l *labels) thresholdText(st string, onTrack, atRisk float64) string {
	if onTrack <= 0 || atRisk <= 0 {
		return ""
	}
	var r string
	switch st {
	case statusOnTrack:
		r = fmt.Sprintf(l.ranges[0], l.percent(onTrack))
	case statusAtRisk:
		r = fmt.Sprintf(l.ranges[1], l.percent(atRisk), l.percent(onTrack))
	case statusOffTrack:
		r = fmt.Sprintf(l.ranges[2], l.percent(atRisk))
	default:
		return ""
	}
	return fmt.Sprintf(l.thresholds, r)
}

// secretNote explains the secret mark and the néant mark with o's rule.
func secretNote(d *detailLabels, o Options) string {
	return fmt.Sprintf(d.secretNote, o.minOperators(), fmt.Sprintf("%.0f %%", 100*o.rule().dominance))
}
