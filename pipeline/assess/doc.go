// Package assess judges each target of a target set against the series: it
// builds the target's measure (what is already observed plus which future
// quarters count), fits the configured model on the series up to the as-of
// period, and turns the predictive distribution into a projection, intervals,
// a probability of meeting the target and a status.
//
// Definitions (see config/targets.yaml):
//   - jobs: headcount in the horizon year's Q4 return; "latest" is the
//     headcount of the latest quarter;
//   - exports: sum of the horizon year's four quarters; "latest" is the sum of
//     the last four quarters (annual rate);
//   - investment (cumulative): sum from the first quarter of From to the last
//     quarter of the horizon; "latest" is the sum observed so far.
//
// The distribution of a measure is that of the sum it is (four quarters of
// exports, several years of investment), from forecast.Fitted.Predict, not
// that of one quarter. Each series is fitted once per call. With the
// automatic model, Model names the method it chose, ModelChoice the
// configured model and ModelReason why.
//
// Reconciliation: the national measure and the sectors' measures are
// forecast separately, then made coherent (the sectors sum to the nation)
// by forecast.Reconcile, MinT with a diagonal covariance; Reconciliation
// names the method, or says why there is none (a sector too short to fit, a
// single sector). The quarterly Path is reconciled the same way, quarter by
// quarter, so that the sectors' paths sum to the national one; its sum over
// the measure's quarters is close to the reconciled projection but not
// exactly it (a sum's variance shares differ a little from its quarters').
//
// Closed targets: when the measure's last quarter is at or before the as-of
// and every quarter it sums is observed, the target is judged on the actual
// (Closed, Actual, Gap = Actual − Target; StatusAchieved or
// StatusNotAchieved) without fitting any model: no projection, interval,
// probability or model (MarshalJSON leaves them out). A partly observed
// horizon year enters its observed quarters in the measure as observed.
//
// Status of the others: met when a cumulative target is already passed, or when the latest actual already
// reaches a level or increase target (Reached; PMeet is then still the
// probability that the horizon's value is at or above the target);
// otherwise graded from PMeet by the thresholds.
//
// Growth required and observed are compound annual rates; observed is
// measured from the first to the latest value of the fitted span (for exports,
// first and latest four-quarter sums). They are absent for cumulative targets.
package assess
