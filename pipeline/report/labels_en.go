package report

import (
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
)

// en is the words of the English workbook.
var en = labels{
	// The workbook.
	summarySheet:   "Summary",
	sectorsSheet:   "Sectors",
	regionsSheet:   "Regions",
	inclusiveSheet: "Inclusive hiring",
	qualitySheet:   "Data quality",
	changesSheet:   "Changes",
	methodSheet:    "Methodology",
	dataSheet:      "Data",
	chartSheet:     "Chart",
	docTitle:       "Offshoring: progress towards the targets",
	docLanguage:    "en",
	asOfLine:       "As of the end of %s",
	page:           "Page &P of &N",
	dateFormat:     "yyyy-mm-dd hh:mm",

	// Words of several sheets.
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
	status: map[forecast.Status]string{
		statusMet:         "Met",
		statusOnTrack:     "On track",
		statusAtRisk:      "At risk",
		statusOffTrack:    "Off track",
		statusUnknown:     "Undetermined",
		statusAchieved:    "Achieved",
		statusNotAchieved: "Not achieved",
	},
	period:     "Period",
	total:      "Total",
	secret:     "s",
	secretNote: "s: confidential (built from fewer than %d operators or more than %s of it held by one operator, or hidden so that it cannot be derived from a total). –: none (no operator).",

	// Synthèse.
	title:       "Offshoring: progress towards the targets",
	asOf:        "Data up to the end of",
	generatedAt: "Generated on",
	seriesSpan:  "Quarterly series from %s to %s, %d reporting operators",
	setTitle:    "%s — as of the end of %s",
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
	statusHelp: map[forecast.Status]string{
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

	// Graphique and the charts on the Synthèse.
	actual:            "Actual",
	projection:        "Projection",
	lo80:              "80 % low",
	hi80:              "80 % high",
	cible:             "Target",
	cibleYear:         "Target %d",
	cibleInTitle:      "target",
	cibleYearInTitle:  "%d target",
	chartTitle:        "Direct jobs, all sectors: actual, projection and %s",
	xAxis:             "Quarter",
	yAxis:             "Jobs (persons)",
	exportsChartTitle: "Annual exports, all sectors: actual, projection and %d target",
	exportsAxis:       "Billions of MAD",

	// Données.
	unitMAD:  "MAD",
	unitJobs: "persons",

	// Filières.
	sectorsTitle: "Jobs and exports by sector",
	sectorCols: []string{"Sector", "Reporting operators", "Jobs", "Jobs a year earlier", "Change over a year",
		"Share of jobs", "Contribution to job growth since %d", "Exports over the last four quarters (MMAD)", "Projected jobs at the horizon"},
	sectorChartTable: "Jobs at the end of each year by sector",
	sectorChartTitle: "Jobs by sector (end of year)",

	// Régions.
	regionsTitle: "Jobs by region",
	regionCols: []string{"Region", "Reporting operators", "Jobs", "Jobs a year earlier", "Change over a year", "Share of jobs",
		"Exports over the last four quarters (MMAD)"},

	// Emploi inclusif.
	inclusiveTitle: "Inclusive hiring: young people and people with disabilities",
	inclusiveCols: []string{"Year", "Operators reporting hires", "Hires", "of which young people (under 35)",
		"Share of young people", "of which people with disabilities", "Share of people with disabilities"},
	inclusiveBySector: "Hires in %d by sector",
	inclusiveSectorCols: []string{"Sector", "Operators reporting hires", "Hires", "of which young people (under 35)",
		"Share of young people", "of which people with disabilities", "Share of people with disabilities"},

	// Qualité des données.
	qualityTitle:    "Data quality: returns expected and received",
	qualityCols:     []string{"Period", "Returns expected", "Returns received", "of which late", "Returns missing", "Coverage", "Share of headcount imputed"},
	missingTitle:    "Expected operators with no return for %s",
	noneMissing:     "No return is missing.",
	rejectionsTitle: "Files rejected, by reason",
	rejectionCol:    []string{"Reason (code)", "Files rejected"},

	// Évolution.
	changesTitle: "Changes since the previous report",
	changesCols: []string{"Target", "Previous projection", "Current projection", "Change", "of which new returns",
		"of which revised returns", "of which model", "Previous probability",
		"Current probability", "Previous status", "Current status", "Unit"},
	noPrevious: "No previous report: this is the first one.",

	// Méthodologie.
	methodTitle: "Methodology",
	method: []string{"Data up to the end of", "Returns received up to", "Run identifier", "Software version",
		"Confidentiality rule"},
	methodModels: "Forecasting models used",
	definitions: []string{
		"A return is one operator's figures for one quarter; a corrected return replaces the earlier one (the latest received wins).",
		"Jobs: headcount at the end of the quarter. Exports: export revenue. Investment: investment made.",
		"Expected return: the operator filed for this quarter or one of the four before. Late: received more than %d days after the quarter's end.",
		"Probability of meeting the target and intervals: from the forecasting model fitted on the observed quarters; see the Summary.",
		"Model choice: for each series, rolling-origin cross-validation (forecasts of the series' own past from its last twelve origins); the two best methods are combined. Each method's score is shown above (mean absolute error scaled by the level).",
		"Interval calibration: intervals come from the distribution of those backtest errors, by horizon. On the 384 series of the M1 competition, 81 % of the outcomes fall inside the 80 % interval and 93 % inside the 95 % one (R's reference methods: 50 to 64 % and 69 to 79 %).",
	},
	allReceived:  "every return received by the time of the run",
	asOfRule:     "Choice of the quarter",
	ruleCoverage: "%[1]s is the latest quarter whose returns received cover, as for each of the three quarters before it, at least %[2]s of the expected operators (active the previous quarter) and %[3]s of the previous quarter's headcount: %[4]s of the expected operators (%[6]d of %[7]d), %[5]s of the headcount.",
	ruleImputed:  "%[1]s: filing deadline passed, %[4]s of the expected operators (%[6]d of %[7]d) and %[5]s of the previous quarter's headcount, at least %[2]s; the missing operators are carried forward (imputed).",
	ruleForced:   "%[1]s forced by the request (--as-of): %[4]s of the expected operators (%[6]d of %[7]d), %[5]s of the previous quarter's headcount.",
	release:      " Official since %[1]s; figures as of %[2]s, from the returns received by then, missing expected operators carried forward (imputed); %[3]d file(s) received since for this quarter or earlier ones enter the next release or the next filing deadline.",

	// The quarters in collection.
	collecting: collectingWords{
		quarter:  "Q%d %d",
		date:     "2006-01-02",
		line:     "%s in collection: %s of the expected operators, %s of the previous quarter's headcount; due by %s",
		secret:   "a confidential share",
		owed:     "returns still owed by sector: %s",
		noneOwed: "no expected return is missing",
		owedCols: []string{"Sector", "Returns still owed"},
	},
}
