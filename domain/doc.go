// Package domain defines the vocabulary every stage shares: what operators
// report and what the pipeline says about it.
//
//   - Return is one operator's figures for one quarter (operator × period),
//     with the lineage of the row it was read from; a later version of the
//     same Key supersedes an earlier one (Newer).
//   - Problem is one thing wrong, or worth saying, about an input file,
//     located by file, sheet and cell, with the value found and the one
//     expected, in English and in French (Text, Error).
//   - Period is a calendar quarter, counted so that consecutive quarters
//     are consecutive integers; "2016Q1" in files and JSON, the zero
//     Period meaning none.
//   - AsOf is what the pipeline knows: the quarter assessed (0: the one
//     the as-of rule chooses) and the instant after which received returns
//     are ignored (ParseAsOf reads --as-of).
//   - Metric names a quantity series are built for and targets set on
//     (jobs a level, the others flows over the quarter); TargetKind says
//     how a target's value is read (an increase, a level, a cumulative
//     sum).
//   - National is the sector key of the whole country, every sector summed.
//
// Amounts are in Moroccan dirhams (MAD), headcounts and hires in persons,
// periods calendar quarters, times in UTC. Optional figures are pointers:
// nil means "not reported", never zero.
package domain
