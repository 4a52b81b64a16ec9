// Package report writes the workbooks people read: the ministry's summary of
// the target assessments (Ministry).
//
// The ministry workbook is in French by default (Options.Lang "en" for
// English) and holds these sheets, in this order:
//
//   - "Synthèse" / "Summary", first and active: title, as-of period and
//     generation date, then one block per target set (one row per assessed
//     target, then the targets that could not be assessed and why), a legend
//     of the statuses, a note on units and on what the probability and the
//     intervals mean, and the chart of national jobs;
//   - "Données" / "Data": the quarterly series, one row per period, one column
//     per sector × metric (national first), in persons and MAD;
//   - "Graphique" / "Chart": the chart's source table (actual, projection,
//     80 % bounds and target per quarter); only when the main (first) set
//     has a national jobs target, which is what the chart shows.
//
// Rules it keeps:
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
