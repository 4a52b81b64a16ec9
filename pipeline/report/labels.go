package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/assess"
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
	formats                                                                numFormats
	quarter                                                                string // a period: "T%d %d", quarter then year
	date, dateTime                                                         string // Go layouts: the one date format of the workbook, with and without the time

	// Words of several sheets.
	national     string
	metric       map[domain.Metric]string
	unit         map[domain.Metric]string // in tables: persons, millions of dirhams (MDH)
	unitChart    string                   // amounts on charts and in sentences: milliards of dirhams
	status       map[forecast.Status]string
	period, year string
	total        string
	secret       string
	secretNote   string // %d (operators) and %s (dominance share)
	decimalComma bool   // 12,5 % rather than 12.5%
	percentSpace string // between a number and "%"

	// Synthèse.
	title          string
	asOf           string
	generatedAt    string
	seriesSpan     string // "%s – %s, %d opérateurs"
	setTitle       string // "%s — situation à fin %s": set name, as-of
	setUnits       string // the units of the block's table, after its title
	columns        []string
	baselineHeader string // baseline column without a year
	baselineYear   string // "%s %d"
	projectedAt    string // "Projection fin %s": the block's horizon
	observedFrom   string // "Croissance annuelle depuis %s": the first quarter
	notes          []string
	skipped        string
	skipReason     map[string]string // assess.Skipped.Code → why, in words
	skipTooFew     string            // %d quarters observed, %d needed
	noAssessment   string
	legend         string
	statusHelp     map[forecast.Status]string
	thresholds     string   // "(probabilité d'atteinte %s)"
	ranges         []string // the probabilities of on track, at risk, off track: "≥ %s", "de %s à moins de %s", "< %s"
	probability    []string
	growthNote     string

	// Graphique (the charts' tables) and the charts drawn on the Synthèse.
	jobsTable, exportsTable               string // the tables' titles, with their unit
	actual, projection, lo80, hi80, cible string
	cibleYear                             string // "Cible %d": the target column of the chart table
	cibleInTitle, cibleYearInTitle        string // the target in the chart's title, without and with its year
	chartTitle                            string // "…: réalisé, projection et %s"
	xAxis, yAxis                          string
	exportsChartTitle, exportsAxis        string

	// Données.
	dataTitle string

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
	rejection       map[string]string // a rejected file's problem code → why, in words
	otherRejection  string            // %s: a code with no words

	// Évolution.
	changesTitle string
	changesCols  []string
	noPrevious   string
	compared     string // "%s, calcul %s": the date, then the run id
	comparedDate string // the same without a run id
	change       changeWords

	// Méthodologie.
	methodTitle  string
	method       []string // label rows, values filled by the code
	methodModels string
	modelLine    string // "Modèle : %s. Choix : %s."
	targetInfo   string // identifier, sector, indicator, unit, horizon
	closedModel  string // a closed target's: no model
	definitions  []string
	// origins completes the definition of the model choice: the rolling
	// origins every target's reason cites ("%d"), or originsEach when
	// they differ.
	origins, originsEach string
	allReceived          string
	// asOfRule is the Méthodologie row on how the as-of quarter was chosen:
	// its label, then the sentence of each rule (see AsOfChoice).
	asOfRule                              string
	ruleCoverage, ruleImputed, ruleForced string
	// release follows the rule: when the as-of quarter became official and
	// the files received since, which wait for the next release.
	release string
	models  methodWords

	// The quarters in collection, on the Synthèse and Qualité des données
	// (and CollectingText).
	collecting collectingWords
}

// changeWords say in one sentence what moved a target's projection since
// the previous report (Évolution).
type changeWords struct {
	up, down, same     string // "%s : projection relevée de %s (de %s à %s)"
	parts              string // the causes: new returns, revised returns, model
	noPrevious, secret string // "%s : absent du rapport précédent"
}

// collectingWords are the words of a quarter in collection.
type collectingWords struct {
	date     string // Go layout of the deadline
	line     string // quarter, share of operators, share of headcount, deadline
	secret   string // the share of headcount when it is secret (Coverage.WeightSecret)
	owed     string // "Déclarations encore dues par filière : %s"
	noneOwed string
	owedCols []string
}

// labelsOf are the words of lang: English for "en", French otherwise.
func labelsOf(lang string) *labels {
	if lang == "en" {
		return &en
	}
	return &fr
}

// periodName writes p for the reader: "T4 2018" in French, "Q4 2018" in
// English; "" for the zero period.
func (l *labels) periodName(p domain.Period) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprintf(l.quarter, p.Quarter(), p.Year())
}

// PeriodName writes p in lang ("fr" when not known) as the workbook does:
// "T4 2018", "Q4 2018"; "" for the zero period.
func PeriodName(lang string, p domain.Period) string { return labelsOf(lang).periodName(p) }

// dateText writes t's day in the workbook's one date format (its wall
// clock, in its own location).
func (l *labels) dateText(t time.Time) string { return t.Format(l.date) }

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

// seriesHeader names one column of the data sheet, with its unit.
func (l *labels) seriesHeader(sector string, metric domain.Metric) string {
	return fmt.Sprintf("%s — %s (%s)", l.sector(sector), l.metricName(metric), l.unit[metric])
}

// percent writes a probability for the reader: 0.7 is "70 %" in French and
// "70%" in English.
func (l *labels) percent(p float64) string {
	s := strconv.FormatFloat(math.Round(p*1000)/10, 'f', -1, 64)
	if l.decimalComma {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s + l.percentSpace + "%"
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

// rejectionName is why files of problem code were rejected, in words.
func (l *labels) rejectionName(code string) string {
	if s, ok := l.rejection[code]; ok {
		return s
	}
	return fmt.Sprintf(l.otherRejection, code)
}

// skipText is why a target could not be assessed, in words.
func (l *labels) skipText(code string, quarters, needed int) string {
	if code == assess.SkipTooFewQuarters {
		return fmt.Sprintf(l.skipTooFew, quarters, needed)
	}
	if s, ok := l.skipReason[code]; ok {
		return s
	}
	return l.skipReason[assess.SkipFitFailed]
}

// secretNote explains the secret mark and the néant mark with o's rule.
func secretNote(l *labels, o Options) string {
	return fmt.Sprintf(l.secretNote, o.minOperators(), l.percent(o.rule().dominance))
}
