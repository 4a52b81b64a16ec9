package report

import (
	"github.com/offshore-ma/offshore/domain"
	"github.com/offshore-ma/offshore/forecast"
)

// fr is the words of the French workbook, the default.
var fr = labels{
	// The workbook.
	summarySheet:   "Synthèse",
	sectorsSheet:   "Filières",
	regionsSheet:   "Régions",
	inclusiveSheet: "Emploi inclusif",
	qualitySheet:   "Qualité des données",
	changesSheet:   "Évolution",
	methodSheet:    "Méthodologie",
	dataSheet:      "Données",
	chartSheet:     "Graphique",
	docTitle:       "Offshoring : suivi des objectifs",
	docLanguage:    "fr-FR",
	asOfLine:       "Situation à fin %s",
	page:           "Page &P / &N",
	dateFormat:     "dd/mm/yyyy hh:mm",

	// Words of several sheets.
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
	status: map[forecast.Status]string{
		statusMet:         "Atteint",
		statusOnTrack:     "En bonne voie",
		statusAtRisk:      "À risque",
		statusOffTrack:    "Hors trajectoire",
		statusUnknown:     "Indéterminé",
		statusAchieved:    "Atteinte",
		statusNotAchieved: "Non atteinte",
	},
	period:     "Période",
	total:      "Total",
	secret:     "s",
	secretNote: "s : secret statistique (chiffre établi sur moins de %d opérateurs ou dont un opérateur détient plus de %s, ou masqué pour qu'il ne puisse être déduit d'un total). – : néant (aucun opérateur).",

	// Synthèse.
	title:       "Offshoring : suivi des objectifs",
	asOf:        "Données arrêtées à fin",
	generatedAt: "Généré le",
	seriesSpan:  "Séries trimestrielles de %s à %s, %d opérateurs déclarants",
	setTitle:    "%s — situation à fin %s",
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
	statusHelp: map[forecast.Status]string{
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

	// Graphique and the charts on the Synthèse.
	actual:            "Réalisé",
	projection:        "Projection",
	lo80:              "Borne basse 80 %",
	hi80:              "Borne haute 80 %",
	cible:             "Cible",
	cibleYear:         "Cible %d",
	cibleInTitle:      "cible",
	cibleYearInTitle:  "cible %d",
	chartTitle:        "Emplois directs, ensemble des filières : réalisé, projection et %s",
	xAxis:             "Trimestre",
	yAxis:             "Emplois (personnes)",
	exportsChartTitle: "Exportations annuelles, ensemble des filières : réalisé, projection et cible %d",
	exportsAxis:       "Milliards de MAD",

	// Données.
	unitMAD:  "MAD",
	unitJobs: "personnes",

	// Filières.
	sectorsTitle: "Emplois et exportations par filière",
	sectorCols: []string{"Filière", "Opérateurs déclarants", "Emplois", "Emplois un an plus tôt", "Évolution sur un an",
		"Part des emplois", "Contribution à la hausse des emplois depuis %d", "Exportations des quatre derniers trimestres (MMAD)", "Projection des emplois à l'horizon"},
	sectorChartTable: "Emplois en fin d'année par filière",
	sectorChartTitle: "Emplois par filière (fin d'année)",

	// Régions.
	regionsTitle: "Emplois par région",
	regionCols: []string{"Région", "Opérateurs déclarants", "Emplois", "Emplois un an plus tôt", "Évolution sur un an", "Part des emplois",
		"Exportations des quatre derniers trimestres (MMAD)"},

	// Emploi inclusif.
	inclusiveTitle: "Emploi inclusif : recrutements de jeunes et de personnes en situation de handicap",
	inclusiveCols: []string{"Année", "Opérateurs déclarant leurs recrutements", "Recrutements", "dont jeunes (moins de 35 ans)",
		"Part des jeunes", "dont personnes en situation de handicap", "Part des personnes en situation de handicap"},
	inclusiveBySector: "Recrutements %d par filière",
	inclusiveSectorCols: []string{"Filière", "Opérateurs déclarant leurs recrutements", "Recrutements", "dont jeunes (moins de 35 ans)",
		"Part des jeunes", "dont personnes en situation de handicap", "Part des personnes en situation de handicap"},

	// Qualité des données.
	qualityTitle:    "Qualité des données : déclarations attendues et reçues",
	qualityCols:     []string{"Période", "Déclarations attendues", "Déclarations reçues", "dont reçues en retard", "Déclarations manquantes", "Taux de couverture", "Part de l'effectif imputé"},
	missingTitle:    "Opérateurs attendus sans déclaration pour %s",
	noneMissing:     "Aucune déclaration manquante.",
	rejectionsTitle: "Fichiers rejetés par motif",
	rejectionCol:    []string{"Motif (code)", "Fichiers rejetés"},

	// Évolution.
	changesTitle: "Évolution depuis le rapport précédent",
	changesCols: []string{"Objectif", "Projection précédente", "Projection actuelle", "Écart", "dont nouvelles déclarations",
		"dont déclarations rectifiées", "dont modèle", "Probabilité précédente",
		"Probabilité actuelle", "Statut précédent", "Statut actuel", "Unité"},
	noPrevious: "Pas de rapport précédent : ce rapport est le premier.",

	// Méthodologie.
	methodTitle: "Méthodologie",
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
	allReceived: "toutes les déclarations reçues à la date du calcul",
	asOfRule:    "Choix du trimestre",
	// %[1]s quarter, %[2]s/%[3]s required shares of operators and headcount, %[4]s/%[5]s reached, %[6]d/%[7]d reported/expected.
	ruleCoverage: "%[1]s est le dernier trimestre dont les déclarations reçues couvrent, comme pour chacun des trois trimestres qui le précèdent, au moins %[2]s des déclarants attendus (actifs le trimestre précédent) et %[3]s des effectifs du trimestre précédent : %[4]s des déclarants attendus (%[6]d sur %[7]d), %[5]s des effectifs.",
	ruleImputed:  "%[1]s : échéance de dépôt passée, %[4]s des déclarants attendus (%[6]d sur %[7]d) et %[5]s des effectifs du trimestre précédent, au moins %[2]s ; les opérateurs manquants sont reconduits (imputés).",
	ruleForced:   "%[1]s imposé par la demande (--as-of) : %[4]s des déclarants attendus (%[6]d sur %[7]d), %[5]s des effectifs du trimestre précédent.",
	release:      " Trimestre officiel depuis le %[1]s ; chiffres arrêtés au %[2]s, sur les déclarations reçues à cette date, les déclarants attendus manquants étant reconduits (imputés) ; %[3]d fichier(s) reçu(s) depuis pour ce trimestre ou les précédents entreront dans la publication suivante ou à la prochaine échéance de dépôt.",

	// The quarters in collection.
	collecting: collectingWords{
		quarter:  "T%d %d",
		date:     "02/01/2006",
		line:     "%s en cours de collecte : %s des déclarants attendus, %s des effectifs du trimestre précédent ; échéance le %s",
		secret:   "une part confidentielle",
		owed:     "déclarations encore dues par filière : %s",
		noneOwed: "aucune déclaration attendue ne manque",
		owedCols: []string{"Filière", "Déclarations encore dues"},
	},
}
