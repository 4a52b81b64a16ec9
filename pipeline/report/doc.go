// Package report writes the workbooks people read: the ministry's summary of
// the target assessments (Ministry).
//
// The ministry workbook is in French by default (Options.Lang "en" for
// English) and holds these sheets, in this order; each is written by the
// file named after it, given in parentheses:
//
//   - "Synthèse" / "Summary" (sheet_synthese.go), first and active: title,
//     as-of period and generation date, then one block per target set (one
//     row per assessed target; a closed target, its horizon past and
//     observed, has its actual, its gap to the target and
//     "Atteinte"/"Non atteinte", with no projection, probability or model;
//     then the targets that could not be assessed and why), a legend of the
//     statuses, a note on units and on what the probability and the
//     intervals mean, and the charts of national jobs and exports (drawn by
//     sheet_graphique.go with their source tables);
//   - with Options.Panel (the consolidated returns): "Filières"
//     (sheet_filieres.go: jobs, growth over a year, share, contribution to
//     job growth since the baseline year, exports, projection; and a
//     stacked chart of jobs by sector), "Régions" (sheet_regions.go: jobs
//     by region, growth, share, exports), "Emploi inclusif"
//     (sheet_emploi_inclusif.go: hires, youth and disabled hires and their
//     shares, per year and per sector) and "Qualité des données"
//     (sheet_qualite_donnees.go: returns expected, received, late and
//     missing per quarter, the names of the missing operators, rejected
//     files by reason);
//   - "Évolution" / "Changes" (sheet_evolution.go): each target's
//     projection, probability and status in the previous report and now,
//     the change split into new returns, revised returns and model when
//     Options.Changes says so;
//   - "Méthodologie" / "Methodology" (sheet_methodologie.go): data vintage,
//     run id, software version, the model of each target, the
//     confidentiality rule and definitions;
//   - "Données" / "Data" (sheet_donnees.go): the quarterly series, one row
//     per period, one column per sector × metric (national first), in
//     persons and MAD;
//   - "Graphique" / "Chart" (sheet_graphique.go): the charts' source tables
//     (national jobs by quarter; national exports by year); only when the
//     main (first) set has a national jobs target.
//
// What the sheets share is in files named by role: workbook.go (Ministry:
// which sheets, in which order; the cell writer), options.go, labels.go
// (with every word in labels_fr.go and labels_en.go), styles.go, table.go
// (the sheets' titled tables), page.go (title block and print setup),
// groups.go (aggregates by sector or region), gate.go and
// confidentiality.go (the confidentiality rule), collecting.go (the
// quarters in collection).
//
// Rules it keeps:
//   - statistical confidentiality, one gate (gate.go): a figure built from
//     fewer than Options.MinOperators operators (default 3), or of which one
//     operator holds more than Options.Dominance (default 85 %), is written
//     "s", and so are the smallest other rows of its table until the hidden
//     rows cannot be recovered from the total (suppress); the same rule,
//     quarter by quarter, hides sector columns of the Données sheet, the
//     chart tables (Graphique, the sectors' chart), and the figures of a
//     target on the Synthèse and Évolution when any quarter they depend on
//     is hidden (ConfidentialTargets gives the same answer to the page and
//     the API). A cell with no operator reads "–". No operator-level figure
//     is written anywhere; operators' names appear only in the list of
//     missing returns;
//   - text that came from operators' files is written as a string value,
//     never as a formula, whatever it starts with (=, +, -, @);
//   - every sheet prints on A4 landscape, one page wide, with the title and
//     as-of in the header and page numbers in the footer;
//   - every number is a numeric cell, never text, so that the ministry can
//     compute with it; what is unknown (NaN, a nil growth rate, a quarter with
//     no return, the baseline of a cumulative target) is an empty cell,
//     never 0;
//   - number formats are Excel's built-in ones (#,##0, 0%), which Excel shows
//     with the reader's separators: 123 000 in French, 123,000 in English;
//   - on the summary sheet amounts are in millions of MAD (MMAD: MAD / 1e6,
//     unrounded; the display format rounds) and jobs in persons, with the unit
//     in a column of its own; the data sheet keeps MAD;
//   - probabilities and growth rates are stored as fractions (0.85) with a
//     percent format;
//   - the output depends only on its inputs and Options: the generation time
//     is Options.GeneratedAt (printed as its wall clock in its own location,
//     and stored in the document properties), so two builds with the same
//     options give the same bytes;
//   - the chart draws the projection from the latest actual (the projection
//     and its bounds equal the latest actual in the latest period), so that
//     the line joins the actual one.
//
// report reads assess.Result and series.Set and never changes them; it does
// no I/O: the caller saves and closes the returned *excelize.File.
package report
