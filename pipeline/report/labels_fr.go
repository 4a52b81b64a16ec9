package report

// detailLabels holds the words of the sheets built from the panel of
// returns: sectors, regions, inclusive hiring, data quality, changes and
// methodology.
type detailLabels struct {
	sectorsSheet, regionsSheet, inclusiveSheet, qualitySheet, changesSheet, methodSheet string

	sectorsTitle, regionsTitle, inclusiveTitle, qualityTitle, changesTitle, methodTitle string
	asOfLine                                                                            string // "Situation à fin %s"
	sectorCols, regionCols, inclusiveCols, inclusiveSectorCols, qualityCols             []string
	changesCols                                                                         []string
	total, secret, secretNote                                                           string // secretNote has %d (operators) and %s (dominance share)
	inclusiveBySector                                                                   string // "Recrutements %d par filière"
	missingTitle                                                                        string // "Opérateurs sans déclaration pour %s"
	noneMissing                                                                         string
	rejectionsTitle                                                                     string
	rejectionCol                                                                        []string
	noPrevious                                                                          string
	method                                                                              []string // label rows, values filled by the code
	methodModels                                                                        string
	definitions                                                                         []string
	page                                                                                string // footer: "Page &P / &N"
	exportsChartTitle, exportsAxis, sectorChartTable, sectorChartTitle                  string
	allReceived                                                                         string
	// asOfRule is the Méthodologie row on how the as-of quarter was chosen:
	// its label, then the sentence of each rule (see AsOfChoice).
	asOfRule                              string
	ruleCoverage, ruleImputed, ruleForced string
	// release follows the rule: when the as-of quarter became official and
	// the files received since, which wait for the next release.
	release string
}

var frDetail = detailLabels{
	sectorsSheet: "Filières", regionsSheet: "Régions", inclusiveSheet: "Emploi inclusif",
	qualitySheet: "Qualité des données", changesSheet: "Évolution", methodSheet: "Méthodologie",
	sectorsTitle:   "Emplois et exportations par filière",
	regionsTitle:   "Emplois par région",
	inclusiveTitle: "Emploi inclusif : recrutements de jeunes et de personnes en situation de handicap",
	qualityTitle:   "Qualité des données : déclarations attendues et reçues",
	changesTitle:   "Évolution depuis le rapport précédent",
	methodTitle:    "Méthodologie",
	asOfLine:       "Situation à fin %s",
	sectorCols: []string{"Filière", "Opérateurs déclarants", "Emplois", "Emplois un an plus tôt", "Évolution sur un an",
		"Part des emplois", "Contribution à la hausse des emplois depuis %d", "Exportations des quatre derniers trimestres (MMAD)", "Projection des emplois à l'horizon"},
	regionCols: []string{"Région", "Opérateurs déclarants", "Emplois", "Emplois un an plus tôt", "Évolution sur un an", "Part des emplois",
		"Exportations des quatre derniers trimestres (MMAD)"},
	inclusiveCols: []string{"Année", "Opérateurs déclarant leurs recrutements", "Recrutements", "dont jeunes (moins de 35 ans)",
		"Part des jeunes", "dont personnes en situation de handicap", "Part des personnes en situation de handicap"},
	inclusiveSectorCols: []string{"Filière", "Opérateurs déclarant leurs recrutements", "Recrutements", "dont jeunes (moins de 35 ans)",
		"Part des jeunes", "dont personnes en situation de handicap", "Part des personnes en situation de handicap"},
	qualityCols: []string{"Période", "Déclarations attendues", "Déclarations reçues", "dont reçues en retard", "Déclarations manquantes", "Taux de couverture", "Part de l'effectif imputé"},
	changesCols: []string{"Objectif", "Projection précédente", "Projection actuelle", "Écart", "dont nouvelles déclarations",
		"dont déclarations rectifiées", "dont modèle", "Probabilité précédente",
		"Probabilité actuelle", "Statut précédent", "Statut actuel", "Unité"},
	total:             "Total",
	secret:            "s",
	secretNote:        "s : secret statistique (chiffre établi sur moins de %d opérateurs ou dont un opérateur détient plus de %s, ou masqué pour qu'il ne puisse être déduit d'un total). – : néant (aucun opérateur).",
	inclusiveBySector: "Recrutements %d par filière",
	missingTitle:      "Opérateurs attendus sans déclaration pour %s",
	noneMissing:       "Aucune déclaration manquante.",
	rejectionsTitle:   "Fichiers rejetés par motif",
	rejectionCol:      []string{"Motif (code)", "Fichiers rejetés"},
	noPrevious:        "Pas de rapport précédent : ce rapport est le premier.",
	method: []string{"Données arrêtées à fin", "Déclarations reçues jusqu'au", "Identifiant du calcul", "Version du logiciel",
		"Règle de confidentialité"},
	methodModels: "Modèles de prévision retenus",
	definitions: []string{
		"Une déclaration est la situation d'un opérateur pour un trimestre ; une déclaration rectificative remplace la précédente (la plus récente reçue fait foi).",
		"Emplois : effectif en fin de trimestre. Exportations : chiffre d'affaires à l'export. Investissement : investissements réalisés.",
		"Déclaration attendue : l'opérateur a déclaré pour ce trimestre ou l'un des quatre précédents. En retard : reçue plus de %d jours après la fin du trimestre.",
		"Probabilité d'atteinte et intervalles : issus du modèle de prévision ajusté sur les trimestres observés ; voir la Synthèse.",
		"Choix du modèle : pour chaque série, validation croisée sur origines glissantes (prévisions rétrospectives depuis les douze dernières origines) ; les deux meilleures méthodes sont combinées. Les scores de chaque méthode figurent ci-dessus (erreur absolue moyenne rapportée au niveau).",
		"Calibrage des intervalles : ils sont tirés de la distribution des erreurs de ces prévisions rétrospectives, par horizon. Sur les 384 séries de la compétition M1, 81 % des valeurs observées tombent dans l'intervalle à 80 % et 93 % dans celui à 95 % (méthodes de référence de R : 50 à 64 % et 69 à 79 %).",
	},
	page:              "Page &P / &N",
	exportsChartTitle: "Exportations annuelles, ensemble des filières : réalisé, projection et cible %d",
	exportsAxis:       "Milliards de MAD",
	allReceived:       "toutes les déclarations reçues à la date du calcul",
	asOfRule:          "Choix du trimestre",
	// %[1]s quarter, %[2]s/%[3]s required shares of operators and headcount, %[4]s/%[5]s reached, %[6]d/%[7]d reported/expected.
	ruleCoverage:     "%[1]s est le dernier trimestre dont les déclarations reçues couvrent, comme pour chacun des trois trimestres qui le précèdent, au moins %[2]s des déclarants attendus (actifs le trimestre précédent) et %[3]s des effectifs du trimestre précédent : %[4]s des déclarants attendus (%[6]d sur %[7]d), %[5]s des effectifs.",
	ruleImputed:      "%[1]s : échéance de dépôt passée, %[4]s des déclarants attendus (%[6]d sur %[7]d) et %[5]s des effectifs du trimestre précédent, au moins %[2]s ; les opérateurs manquants sont reconduits (imputés).",
	release:          " Trimestre officiel depuis le %[1]s ; chiffres arrêtés au %[2]s, sur les déclarations reçues à cette date, les déclarants attendus manquants étant reconduits (imputés) ; %[3]d fichier(s) reçu(s) depuis pour ce trimestre ou les précédents entreront dans la publication suivante ou à la prochaine échéance de dépôt.",
	ruleForced:       "%[1]s imposé par la demande (--as-of) : %[4]s des déclarants attendus (%[6]d sur %[7]d), %[5]s des effectifs du trimestre précédent.",
	sectorChartTable: "Emplois en fin d'année par filière",
	sectorChartTitle: "Emplois par filière (fin d'année)",
}

var enDetail = detailLabels{
	sectorsSheet: "Sectors", regionsSheet: "Regions", inclusiveSheet: "Inclusive hiring",
	qualitySheet: "Data quality", changesSheet: "Changes", methodSheet: "Methodology",
	sectorsTitle:   "Jobs and exports by sector",
	regionsTitle:   "Jobs by region",
	inclusiveTitle: "Inclusive hiring: young people and people with disabilities",
	qualityTitle:   "Data quality: returns expected and received",
	changesTitle:   "Changes since the previous report",
	methodTitle:    "Methodology",
	asOfLine:       "As of the end of %s",
	sectorCols: []string{"Sector", "Reporting operators", "Jobs", "Jobs a year earlier", "Change over a year",
		"Share of jobs", "Contribution to job growth since %d", "Exports over the last four quarters (MMAD)", "Projected jobs at the horizon"},
	regionCols: []string{"Region", "Reporting operators", "Jobs", "Jobs a year earlier", "Change over a year", "Share of jobs",
		"Exports over the last four quarters (MMAD)"},
	inclusiveCols: []string{"Year", "Operators reporting hires", "Hires", "of which young people (under 35)",
		"Share of young people", "of which people with disabilities", "Share of people with disabilities"},
	inclusiveSectorCols: []string{"Sector", "Operators reporting hires", "Hires", "of which young people (under 35)",
		"Share of young people", "of which people with disabilities", "Share of people with disabilities"},
	qualityCols: []string{"Period", "Returns expected", "Returns received", "of which late", "Returns missing", "Coverage", "Share of headcount imputed"},
	changesCols: []string{"Target", "Previous projection", "Current projection", "Change", "of which new returns",
		"of which revised returns", "of which model", "Previous probability",
		"Current probability", "Previous status", "Current status", "Unit"},
	total:             "Total",
	secret:            "s",
	secretNote:        "s: confidential (built from fewer than %d operators or more than %s of it held by one operator, or hidden so that it cannot be derived from a total). –: none (no operator).",
	inclusiveBySector: "Hires in %d by sector",
	missingTitle:      "Expected operators with no return for %s",
	noneMissing:       "No return is missing.",
	rejectionsTitle:   "Files rejected, by reason",
	rejectionCol:      []string{"Reason (code)", "Files rejected"},
	noPrevious:        "No previous report: this is the first one.",
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
	page:              "Page &P of &N",
	exportsChartTitle: "Annual exports, all sectors: actual, projection and %d target",
	exportsAxis:       "Billions of MAD",
	allReceived:       "every return received by the time of the run",
	asOfRule:          "Choice of the quarter",
	ruleCoverage:      "%[1]s is the latest quarter whose returns received cover, as for each of the three quarters before it, at least %[2]s of the expected operators (active the previous quarter) and %[3]s of the previous quarter's headcount: %[4]s of the expected operators (%[6]d of %[7]d), %[5]s of the headcount.",
	ruleImputed:       "%[1]s: filing deadline passed, %[4]s of the expected operators (%[6]d of %[7]d) and %[5]s of the previous quarter's headcount, at least %[2]s; the missing operators are carried forward (imputed).",
	release:           " Official since %[1]s; figures as of %[2]s, from the returns received by then, missing expected operators carried forward (imputed); %[3]d file(s) received since for this quarter or earlier ones enter the next release or the next filing deadline.",
	ruleForced:        "%[1]s forced by the request (--as-of): %[4]s of the expected operators (%[6]d of %[7]d), %[5]s of the previous quarter's headcount.",
	sectorChartTable:  "Jobs at the end of each year by sector",
	sectorChartTitle:  "Jobs by sector (end of year)",
}
