// Package assess judges each target of a target set against the series: it
// builds the target's measure (what is already observed plus which future
// quarters count), fits the configured model on the series up to the as-of
// period, and turns the predictive distribution into a projection, intervals,
// a probability of meeting the target and a status.
//
// Definitions (see configs/targets.yaml):
//   - jobs: headcount in the horizon year's Q4 return; "latest" is the
//     headcount of the latest quarter;
//   - exports: sum of the horizon year's four quarters; "latest" is the sum of
//     the last four quarters (annual rate);
//   - investment (cumulative): sum from the first quarter of From to the last
//     quarter of the horizon; "latest" is the sum observed so far.
//
// Growth required and observed are compound annual rates; observed is
// measured from the first to the latest value of the fitted span (for exports,
// first and latest four-quarter sums). They are absent for cumulative targets.
package assess
