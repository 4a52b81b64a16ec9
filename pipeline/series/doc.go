// Package series turns the returns in the warehouse into quarterly time
// series per sector and metric.
//
// Consolidation keeps, for each operator × period, the latest version received
// by the as-of instant (returns.Return.Newer decides). Aggregation sums the
// consolidated returns of each quarter into one series per sector and metric
// plus the national ("ALL") series. Metrics: jobs (headcount at quarter end),
// exports (export revenue of the quarter, MAD) and investment (investment of
// the quarter, MAD; an unreported investment counts as none).
//
// A quarter in which no operator filed at all is a gap: its value is NaN in
// every series. Gap filling (carrying an operator's last figures forward) is
// not done here yet; the assessment refuses series that end in a gap.
package series
