// Package series turns returns (read from the warehouse by its caller; this
// package reads no file) into a panel and into quarterly and annual time
// series.
//
// Consolidation keeps, for each operator × period, the latest version received
// by the as-of instant (domain.Return.Newer decides: received_at, then file
// name, then sha256, then row); Versions numbers every version in that order.
//
// The panel (NewPanel) has one row per operator × period for every operator
// active in the period: its own return, or, for at most N periods after its
// last return, figures carried forward and flagged imputed (headcount as last
// reported; flows as in the same quarter a year earlier scaled by the
// sector's growth, else as last reported). After N periods without a return
// the operator has exited. The panel uses only the returns it is given, so a
// panel as of a date depends only on what was received by then.
//
// Aggregation (BuildPanel) sums the panel per quarter into national, sector
// (the sectors given, in the configuration's order) and, on request,
// regional series for jobs (headcount at quarter end),
// exports and investment (of the quarter, MAD) and, on request, hires, youth
// hires and disabled hires; an optional figure left blank counts as none.
// Each point carries its coverage: operators reporting, operators imputed,
// share of the headcount imputed, and the reported part of the value. A
// quarter in which no operator reported at all is a gap: NaN in every series.
// Build is BuildPanel without imputation, the national and sector series of
// domain.TargetMetrics. Forecasts use the non-response panel
// (NewNonResponsePanel), or the carried-forward one when
// warehouse.impute_in_forecasts is set.
package series
