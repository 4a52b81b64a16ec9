// Package report writes the workbooks people read: the ministry's summary of
// the target assessments (Ministry).
//
// The ministry workbook is in French by default (Options.Lang "en" for
// English) and holds these sheets, in this order; each is written by the
// file named after it, given in parentheses:
//
//   - "Synthèse" / "Summary" (sheet_synthese.go), first and active: title,
//     as-of period and generation date, the quarters in collection, then
//     one block per target set: one sentence per target, the verdict a
//     director reads first (Sentences, verdict.go: "Au rythme actuel,
//     l'emploi direct atteindrait 118 300 postes fin 2020 (entre 107 700 et
//     128 900 dans 8 cas sur 10), en deçà de la cible de 123 000 :
//     probabilité d'atteinte 25 %."), then the table it summarises (one row
//     per target: unit, baseline, latest actual, target, projection and its
//     80 % interval, probability, status, and the annual growth required,
//     observed since the series' first quarter and over the last four
//     quarters; a closed target, its horizon past and observed, has its
//     actual and "Atteinte"/"Non atteinte", with no projection,
//     probability or growth), then the targets that could not be assessed
//     and why; a legend of the statuses, notes on units, growth, the
//     probability and the intervals; and, on a page of their own, the
//     charts of national jobs and exports (drawn by sheet_graphique.go
//     with their source tables). What names a target beyond its label
//     (identifier, sector, indicator, model) is on the Méthodologie;
//   - with Options.Panel (the consolidated returns): "Filières"
//     (sheet_filieres.go: jobs, growth over a year, share, contribution to
//     job growth since the baseline year, exports, projection; and, on the
//     next page, a stacked chart of jobs by sector with its table),
//     "Régions" (sheet_regions.go: jobs by region, growth, share, exports),
//     "Emploi inclusif" (sheet_emploi_inclusif.go: hires, youth and
//     disabled hires and their shares, per year and per sector, with the
//     distinct operators that reported hires) and "Qualité des données"
//     (sheet_qualite_donnees.go: returns expected, received, late and
//     missing per quarter, the quarters in collection and the returns each
//     sector still owes, the names of the missing operators, rejected
//     files by reason in words);
//   - "Évolution" / "Changes" (sheet_evolution.go): the report it compares
//     with (Options.PreviousAt and PreviousRunID), one sentence per target
//     on what moved its projection (Options.Changes: new returns, revised
//     returns, model), then each target's projection, probability and
//     status in the previous report and now;
//   - "Méthodologie" / "Methodology" (sheet_methodologie.go): data vintage,
//     the rule that chose the as-of quarter, run id, software version, each
//     target's identifier, sector and indicator, its model and why it was
//     chosen (in French, from forecast's English: models.go), the
//     confidentiality rule and definitions, citing the figures of the run
//     (the rolling origins, the filing delay);
//   - "Données" / "Data" (sheet_donnees.go): the quarterly series, one row
//     per period, one column per sector × metric (national first), in
//     persons and millions of dirhams;
//   - "Graphique" / "Chart" (sheet_graphique.go): the charts' source tables
//     (national jobs by quarter; national exports by year, in millions of
//     dirhams); only when the main (first) set has a national jobs target.
//
// What the sheets share is in files named by role: workbook.go (Ministry:
// which sheets, in which order; the cell writer), options.go, labels.go
// (with every word in labels_fr.go and labels_en.go), styles.go, table.go
// (the sheets' tables), page.go (paper: title block, print setup, the
// widths and heights that make a sheet fit A4, paragraphs), models.go (the
// forecasting methods and reasons in words),
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
//   - paper first: every sheet prints on A4 at 100 %, never shrunk to fit,
//     so that no text prints under 8 pt (the headers' size; styles.go):
//     portrait for Régions, Emploi inclusif, Qualité des données,
//     Méthodologie and Graphique, landscape for the others; the columns'
//     widths add up to the page's width as LibreOffice draws them without
//     Calibri (page.go), long text is a paragraph in merged, wrapped cells
//     as tall as it needs, a block of the Synthèse is kept on one page, and
//     the Données sheet is split between sectors, its quarters and header
//     repeated on every page. The sheet's name and the as-of are in the
//     header, the page number in the footer;
//   - one convention, in the workbook's language: periods "T4 2018"
//     ("Q4 2018"), dates 31/12/2018 (2018-12-31), jobs in persons, amounts
//     in millions of dirhams (MDH, "m MAD") in the tables with the unit in
//     each table's title or column, in milliards (Md MAD, "bn MAD") in the
//     sentences and on the charts' axes; report.lang en gives all of it in
//     English;
//   - every number is a numeric cell, never text, so that the ministry can
//     compute with it; what is unknown (NaN, a nil growth rate, a quarter with
//     no return, the baseline of a cumulative target) is an empty cell,
//     never 0;
//   - number formats carry the French locale in the French workbook
//     ([$-40C]#,##0), so that any reader prints 123 000 and 12,5 %; a
//     probability prints "< 1 %" below 0.5 % and "> 99 %" above 99.5 %,
//     as the sentences do, the cell keeping its value;
//   - amounts are MAD / 1e6, unrounded (the display format rounds); the
//     charts' axes show the tables' millions in milliards;
//   - every count says what it counts: operators are distinct operators,
//     returns are quarterly returns;
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
