package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
)

// labels holds every word the ministry workbook prints, in one language:
// fr (labels_fr.go) and en (labels_en.go). The fields are grouped by the
// sheet that prints them.
type labels struct {
	// The workbook: its sheets' names, in the workbook's order, and what
	// every sheet prints.
	summarySheet, sectorsSheet, regionsSheet, inclusiveSheet, qualitySheet string
	changesSheet, methodSheet, dataSheet, chartSheet                       string
	docTitle, docLanguage                                                  string
	asOfLine                                                               string // "Situation à fin %s"
	page                                                                   string // footer: "Page &P / &N"
	dateFormat                                                             string

	// Words of several sheets.
	national   string
	metric     map[domain.Metric]string
	unit       map[domain.Metric]string
	status     map[forecast.Status]string
	period     string
	total      string
	secret     string
	secretNote string // %d (operators) and %s (dominance share)

	// Synthèse.
	title          string
	asOf           string
	generatedAt    string
	seriesSpan     string // "%s – %s, %d opérateurs"
	setTitle       string // "%s — situation à fin %s"
	columns        []string
	baselineHeader string // baseline column without a year
	baselineYear   string // "%s %d"
	notes          []string
	skipped        string
	noAssessment   string
	legend         string
	statusHelp     map[forecast.Status]string
	thresholds     string   // "(probabilité d'atteinte %s)"
	ranges         []string // the probabilities of on track, at risk, off track: "≥ %s", "de %s à moins de %s", "< %s"
	decimalComma   bool     // 12,5 % rather than 12.5%
	probability    []string

	// Graphique (the charts' tables) and the charts drawn on the Synthèse.
	actual, projection, lo80, hi80, cible string
	cibleYear                             string // "Cible %d": the target column of the chart table
	cibleInTitle, cibleYearInTitle        string // the target in the chart's title, without and with its year
	chartTitle                            string // "…: réalisé, projection et %s"
	xAxis, yAxis                          string
	exportsChartTitle, exportsAxis        string

	// Données.
	unitMAD  string // data sheet header suffix
	unitJobs string

	// Filières.
	sectorsTitle                       string
	sectorCols                         []string
	sectorChartTable, sectorChartTitle string

	// Régions.
	regionsTitle string
	regionCols   []string

	// Emploi inclusif.
	inclusiveTitle      string
	inclusiveCols       []string
	inclusiveBySector   string // "Recrutements %d par filière"
	inclusiveSectorCols []string

	// Qualité des données.
	qualityTitle    string
	qualityCols     []string
	missingTitle    string // "Opérateurs sans déclaration pour %s"
	noneMissing     string
	rejectionsTitle string
	rejectionCol    []string

	// Évolution.
	changesTitle string
	changesCols  []string
	noPrevious   string

	// Méthodologie.
	methodTitle  string
	method       []string // label rows, values filled by the code
	methodModels string
	definitions  []string
	allReceived  string
	// asOfRule is the Méthodologie row on how the as-of quarter was chosen:
	// its label, then the sentence of each rule (see AsOfChoice).
	asOfRule                              string
	ruleCoverage, ruleImputed, ruleForced string
	// release follows the rule: when the as-of quarter became official and
	// the files received since, which wait for the next release.
	release string

	// The quarters in collection, on the Synthèse and Qualité des données
	// (and CollectingText).
	collecting collectingWords
}

// collectingWords are the words of a quarter in collection.
type collectingWords struct {
	quarter  string // "T%d %d": quarter, year
	date     string // Go layout of the deadline
	line     string // quarter, share of operators, share of headcount, deadline
	secret   string // the share of headcount when it is secret (Coverage.WeightSecret)
	owed     string // "Déclarations encore dues par filière : %s"
	noneOwed string
	owedCols []string
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
func (l *labels) statusName(st forecast.Status) string {
	if s, ok := l.status[st]; ok {
		return s
	}
	return string(st)
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
func (l *labels) thresholdText(st forecast.Status, onTrack, atRisk float64) string {
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
func secretNote(l *labels, o Options) string {
	return fmt.Sprintf(l.secretNote, o.minOperators(), fmt.Sprintf("%.0f %%", 100*o.rule().dominance))
}
