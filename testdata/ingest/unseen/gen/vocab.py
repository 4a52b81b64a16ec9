# -*- coding: utf-8 -*-
"""Vocabulary for the unseen corpus: wordings invented for this corpus.

Nothing here was taken from the reader under test (its code was never read).
"""

REGIONS = [
    "Tanger-Tétouan-Al Hoceïma", "L'Oriental", "Fès-Meknès", "Rabat-Salé-Kénitra",
    "Béni Mellal-Khénifra", "Casablanca-Settat", "Marrakech-Safi", "Drâa-Tafilalet",
    "Souss-Massa", "Guelmim-Oued Noun", "Laâyoune-Sakia El Hamra", "Dakhla-Oued Ed-Dahab",
]

CITIES = {
    "Casablanca": "Casablanca-Settat", "Rabat": "Rabat-Salé-Kénitra",
    "Tanger": "Tanger-Tétouan-Al Hoceïma", "Fès": "Fès-Meknès", "Oujda": "L'Oriental",
    "Agadir": "Souss-Massa", "Marrakech": "Marrakech-Safi", "Kénitra": "Rabat-Salé-Kénitra",
    "Tétouan": "Tanger-Tétouan-Al Hoceïma", "Meknès": "Fès-Meknès",
}
# where offshoring sites really cluster (weights)
CITY_WEIGHTS = [("Casablanca", 30), ("Rabat", 14), ("Fès", 8), ("Tanger", 8), ("Oujda", 6),
                ("Marrakech", 6), ("Agadir", 5), ("Kénitra", 5), ("Tétouan", 4), ("Meknès", 4)]
RARE_REGIONS = ["Béni Mellal-Khénifra", "Drâa-Tafilalet", "Guelmim-Oued Noun",
                "Laâyoune-Sakia El Hamra", "Dakhla-Oued Ed-Dahab"]


def strip_accents(s):
    import unicodedata
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")


def region_variants(canon):
    v = [canon, canon.upper(), strip_accents(canon), canon.replace("-", " - ")]
    return v


SECTOR_WORDS = {
    "CRM": ["CRM", "crm", "Relation client", "Centre d'appels", "Call centre", "CRM - Relation client",
            "Centres de relation client"],
    "BPO": ["BPO", "Bpo", "Back office", "Back-office", "Externalisation des processus métiers",
            "BPO (back office)"],
    "ITO": ["ITO", "ito", "Services informatiques", "IT outsourcing", "IT Outsourcing", "ITO - Services IT"],
    "ESO": ["ESO", "Ingénierie", "Engineering", "ESO (ingénierie)", "ingénierie"],
    "KPO": ["KPO", "Analyse de données", "Processus de connaissance", "KPO - analyse de données"],
}
SECTOR_LONG = {"CRM": "Relation client", "BPO": "Back office", "ITO": "Services informatiques",
               "ESO": "Ingénierie", "KPO": "Analyse de données"}

NAME_ROOTS = ["Atlas", "Majorelle", "Anfa", "Argane", "Zellige", "Bouregreg", "Tensift", "Oasis",
              "Cèdre", "Toubkal", "Ifrane", "Kasbah", "Menara", "Saïss", "Sebou", "Noria", "Azur",
              "Sahel", "Amane", "Nour", "Chellah", "Oudaya", "Mogador", "Volubilis", "Tafraout",
              "Massira", "Hassania", "Andalous", "Assilah", "Bab Doukkala", "Ouarzazate", "Jbel",
              "Moulouya", "Almohade", "Palmeraie", "Corniche", "Alizés", "Targa", "Darna", "Ziz",
              "Nador Bay", "Gharb", "Yasmine", "Kenz", "Najm", "Wafa", "Dalia", "Riad", "Orient", "Izdihar"]
NAME_MIDS = {
    "CRM": ["Contact Center", "Call Services", "Relation Client", "Téléservices", "Customer Care",
            "Multicanal", "Phone Services", "Centre d'Appels"],
    "BPO": ["Back Office Services", "Business Process", "Gestion Externalisée", "Processing",
            "Traitement Documentaire", "Outsourcing Services"],
    "ITO": ["IT Services", "Digital", "Software Factory", "Cloud Services", "Informatique",
            "Tech Solutions", "Systèmes"],
    "ESO": ["Engineering", "Ingénierie", "Aero Design", "Études Techniques", "Automotive Engineering",
            "Bureau d'Études"],
    "KPO": ["Data Analytics", "Knowledge Services", "Research & Analytics", "Data Lab", "Insights",
            "Études & Analyses"],
}
NAME_SUFFIX = ["SARL", "SA", "SARL AU", "S.A.", "Maroc SARL", "Morocco SA", "SARL", "SA"]
TRICKY_NAMES = [("Total Call Center Maroc SARL", "CRM"), ("Ensemble Digital Services SA", "ITO"),
                ("Somme Data Analytics SARL", "KPO"), ("Sum Engineering Maroc SA", "ESO"),
                ("Cumul Back Office SARL AU", "BPO"), ("TOTAL RELATION CLIENT SA", "CRM"),
                ("Total Outsourcing Solutions SA", "BPO"), ("Ensemble Contact SARL", "CRM"),
                ("Cumul Informatique SARL", "ITO"), ("Sum Insights Morocco SARL", "KPO")]

FEDERATIONS = [
    ("Association Marocaine des Opérateurs Offshoring", "AMOO"),
    ("Fédération des Centres de Relation Client du Nord", "FCRN"),
    ("Groupement des Prestataires IT de Rabat", "GPIR"),
    ("Union des Sociétés d'Ingénierie Offshore", "USIO"),
    ("Cluster Offshoring Fès-Meknès", "COFM"),
    ("Association des Zones d'Activités Offshoring de l'Oriental", "AZAO"),
    ("Fédération Nationale de l'Externalisation", "FNE"),
    ("Réseau des Opérateurs BPO du Souss", "ROBS"),
    ("Morocco Nearshore Operators Council", "MNOC"),
    ("Club des Opérateurs Casanearshore", "COC"),
]

ADDRESSES = {
    "Casablanca": ["Casanearshore, Shore 7, 1100 Bd El Qods, Sidi Maârouf, Casablanca",
                   "Technopark, Route de Nouaceur, Casablanca", "Bd Zerktouni, Immeuble 45, Casablanca",
                   "Twin Center, Tour Ouest, Bd Zerktouni, Casablanca"],
    "Rabat": ["Technopolis, Sala Al Jadida, Rabat", "Hay Riad, Avenue Annakhil, Rabat",
              "Agdal, Avenue de France, Rabat"],
    "Fès": ["Fès Shore, Route d'Imouzzer, Fès", "Boulevard Allal El Fassi, Fès"],
    "Tanger": ["Tanger Free Zone, Gzenaya, Tanger", "Tanger Automotive City, Tanger"],
    "Oujda": ["Oujda Shore, Technopole de l'Oriental, Oujda"],
    "Marrakech": ["Zone industrielle Sidi Ghanem, Marrakech", "Avenue Mohammed VI, Marrakech"],
    "Agadir": ["Technopole d'Agadir, Agadir", "Avenue Hassan II, Agadir"],
    "Kénitra": ["Atlantic Free Zone, Kénitra"],
    "Tétouan": ["Tetouan Shore, Route de Martil, Tétouan"],
    "Meknès": ["Agropolis, Meknès", "Hamria, Avenue des FAR, Meknès"],
}

# ---- header wordings (base, language) ----
HEAD = {
    "id": {"fr": ["ICE", "N° ICE", "Identifiant Commun de l'Entreprise (ICE)", "ICE (15 chiffres)", "Code ICE",
                  "Identifiant ICE", "ICE de l'opérateur", "N°ICE", "I.C.E"],
           "en": ["ICE", "ICE number", "Company ICE", "ICE no.", "Company identifier (ICE)"]},
    "name": {"fr": ["Raison sociale", "Dénomination", "Nom de l'opérateur", "Opérateur", "Société",
                    "Dénomination sociale", "Entreprise", "Raison Sociale de la société", "Nom de la société"],
             "en": ["Company name", "Operator", "Legal name", "Operator name", "Company"]},
    "sector": {"fr": ["Secteur", "Secteur d'activité", "Filière", "Métier", "Activité (CRM/BPO/ITO/ESO/KPO)",
                      "Segment offshoring", "Type d'activité", "Filière offshoring"],
               "en": ["Sector", "Business line", "Activity", "Segment"]},
    "region": {"fr": ["Région", "Région d'implantation", "Région administrative", "Localisation (région)",
                      "Implantation", "Région du site"],
               "en": ["Region", "Location (region)", "Site region"]},
    "city": {"fr": ["Ville du site", "Ville", "Site (ville)", "Ville d'implantation", "Localisation"],
             "en": ["City", "Site city", "Location"]},
    "period": {"fr": ["Trimestre", "Trimestre de référence", "Période", "Période de déclaration", "Trim.",
                      "Période (trimestre)", "Trimestre déclaré"],
               "en": ["Quarter", "Reporting period", "Period", "Reporting quarter"]},
    "period_date": {"fr": ["Date d'arrêté", "Arrêté au", "Fin de trimestre", "Date de fin de trimestre"],
                    "en": ["Quarter end", "Period end date", "As at"]},
    "headcount": {"fr": ["Effectif", "Effectif au {d}", "Effectif total fin de trimestre", "Nombre de salariés",
                         "Effectif salarié direct", "Effectif fin de période", "Nb employés au {d}",
                         "Effectif direct au {d}", "Effectif\nau {d}", "Effectifs (fin de trimestre)"],
                  "en": ["Headcount", "Headcount (end of quarter)", "Employees at {d}", "Headcount EOP",
                         "Number of employees", "Direct staff at quarter end"]},
    "hires": {"fr": ["Recrutements", "Recrutements du trimestre", "Nouvelles embauches", "Embauches",
                     "Nombre de recrutements", "Recrutements réalisés", "Recrutements\ndu trimestre"],
              "en": ["Hires", "New hires (quarter)", "Hires in the quarter", "Recruitments"]},
    "youth": {"fr": ["dont moins de 35 ans", "dont jeunes (<35 ans)", "Recrutements jeunes (-35 ans)",
                     "dont jeunes", "Dont âgés de moins de 35 ans", "dont - 35 ans"],
              "en": ["of which under 35", "o/w under 35", "Hires under 35", "of which youth (<35)"]},
    "disabled": {"fr": ["dont handicapés", "dont personnes en situation de handicap", "dont PSH",
                        "Recrutements personnes handicapées", "dont travailleurs handicapés"],
                 "en": ["of which disabled", "o/w disabled", "Hires with disability"]},
    "export": {"fr": ["CA export", "CA réalisé à l'export", "Chiffre d'affaires export", "Chiffre d'affaires à l'export",
                      "CA export HT", "Recettes export", "CA à l'export du trimestre", "C.A. Export"],
               "en": ["Export revenue", "Export turnover", "Export sales", "Revenue from exports"]},
    "total": {"fr": ["CA total", "Chiffre d'affaires global HT", "Chiffre d'affaires total", "CA global",
                     "CA total HT", "Chiffre d'affaires global"],
              "en": ["Total revenue", "Turnover (total)", "Total turnover", "Total sales"]},
    "invest": {"fr": ["Investissement", "Investissements réalisés", "Montant des investissements",
                      "Investissements du trimestre", "Invest. (matériel & aménagement)"],
               "en": ["Investment", "Capex", "Capital expenditure", "Investment in the quarter"]},
    # extras
    "x_no": {"fr": ["N°", "N° d'ordre", "Réf."], "en": ["No.", "#", "Ref"]},
    "x_obs": {"fr": ["Observations", "Commentaires", "Remarques"], "en": ["Comments", "Remarks"]},
    "x_addr": {"fr": ["Adresse", "Adresse du site"], "en": ["Address", "Site address"]},
    "x_fem": {"fr": ["Effectif féminin", "dont femmes", "Nombre de femmes"], "en": ["Female staff", "Women"]},
    "x_mass": {"fr": ["Masse salariale (KMAD)", "Masse salariale brute", "Frais de personnel"],
               "en": ["Payroll", "Staff costs"]},
    "x_if": {"fr": ["IF", "Identifiant fiscal", "N° IF"], "en": ["Tax ID (IF)"]},
    "x_rc": {"fr": ["RC", "N° RC", "Registre de commerce"], "en": ["Trade register"]},
    "x_cnss": {"fr": ["N° CNSS", "Affiliation CNSS"], "en": ["CNSS no."]},
    "x_zone": {"fr": ["Zone / Parc", "Parc d'activité", "Régime (zone franche / droit commun)"],
               "en": ["Park"]},
}

GROUPS = {
    "recr": {"fr": ["Recrutements", "Recrutements du trimestre", "Embauches"], "en": ["Hires", "New hires"]},
    "ca": {"fr": ["Chiffre d'affaires", "Chiffre d'affaires HT", "CA"], "en": ["Revenue", "Turnover"]},
    "ident": {"fr": ["Identification", "Identification de l'opérateur", "Opérateur"], "en": ["Identification"]},
    "emploi": {"fr": ["Emploi", "Effectifs et recrutements"], "en": ["Employment"]},
}
SUBHEAD = {
    "hires": {"fr": ["Total", "Nombre", "Total recrutés"], "en": ["Total", "Number"]},
    "youth": {"fr": ["dont < 35 ans", "dont jeunes", "dont moins de 35 ans"], "en": ["o/w under 35", "under 35"]},
    "disabled": {"fr": ["dont handicapés", "dont PSH", "dont en situation de handicap"], "en": ["o/w disabled", "disabled"]},
    "export": {"fr": ["Export", "À l'export", "dont export"], "en": ["Export", "Exports"]},
    "total": {"fr": ["Global", "Total", "Total HT"], "en": ["Total", "Overall"]},
    "id": {"fr": ["ICE", "N° ICE"], "en": ["ICE"]},
    "name": {"fr": ["Raison sociale", "Dénomination"], "en": ["Name"]},
    "headcount": {"fr": ["Effectif", "Effectif fin de trimestre"], "en": ["Headcount"]},
}

# units: (scale, header suffixes, title lines, tab tags)
UNIT_HEAD = {
    1: ["(MAD)", "(DH)", "(en dirhams)", "(MAD HT)", "en DH", "(Dhs)"],
    1000: ["(KMAD)", "(KDH)", "(en milliers de dirhams)", "(en milliers de DH)", "(K MAD)", "(MAD '000)", "en KDH",
           "(kMAD)"],
    1000000: ["(MAD millions)", "(MDH)", "(en millions de dirhams)", "(millions de MAD)", "(M MAD)", "en MDH"],
}
UNIT_HEAD_EN = {
    1: ["(MAD)", "(in MAD)"],
    1000: ["(MAD '000)", "(KMAD)", "(MAD thousands)", "(in thousands of MAD)"],
    1000000: ["(MAD millions)", "(MAD m)", "(in millions of MAD)"],
}
UNIT_TITLE = {
    1: ["Montants en dirhams", "Les montants sont exprimés en dirhams (MAD)", "Unité : MAD",
        "Amounts in MAD"],
    1000: ["Montants en milliers de dirhams", "(Montants exprimés en milliers de dirhams - KMAD)",
           "Unité : KMAD", "Unité monétaire : milliers de DH", "Tous les montants sont en milliers de dirhams",
           "All amounts in MAD thousands", "NB : montants en KDH, effectifs en nombre",
           "Déclaration établie en milliers de dirhams"],
    1000000: ["Montants en millions de dirhams", "Unité : millions de MAD (MDH)",
              "Les montants sont en millions de dirhams", "Figures in MAD millions",
              "Unité monétaire : MDH"],
}
UNIT_TAB = {1000: ["Déclaration KMAD", "Données KDH", "Décl KMAD", "Trim KDH"],
            1000000: ["Déclaration MDH", "Data MAD millions", "Données MDH"]}

NOTES = ["Source : déclarations des opérateurs membres", "NB : Les effectifs incluent les CDD et l'intérim direct.",
         "(*) Données provisoires, à consolider au trimestre suivant.", "Cachet et signature :",
         "Fait à {city}, le {dd}", "Signature du responsable RH", "Document à retourner avant le 30 du mois suivant le trimestre.",
         "Les recrutements jeunes concernent les moins de 35 ans à la date d'embauche.",
         "Contact : direction financière", "Note: hires include fixed-term contracts.",
         "Visa du Directeur Général"]
OBS = ["RAS", "Ouverture d'un nouveau plateau", "Données provisoires", "Déménagement prévu", "", "",
       "Nouveau client télécom", "Baisse d'activité saisonnière", "Site certifié ISO 27001", "", ""]

TOTAL_LABELS = ["TOTAL", "Total", "Total général", "TOTAL GENERAL", "Total trimestre", "Sum", "Ensemble",
                "Cumul", "Somme", "TOTAL FEDERATION", "Total des membres", "Grand total"]
SUBTOTAL_FMT = ["Sous-total {s}", "Total {s}", "S/Total {s}", "Subtotal {s}", "Total filière {s}", "Ensemble {s}"]
NULLS = ["", "-", "n/a", "néant", "N/A", "Néant", "-"]
