// Package forecast projects the quarterly series of Morocco's offshoring sector
// (headcount, export revenue, investment) and says, with a probability that
// means what it says, whether a target will be met.
//
// The package has three layers:
//
//   - numerics: [OLS] fits a linear model by Householder QR with column
//     scaling and iterative refinement, accurate on the NIST StRD linear
//     least squares problems; [Dist] is the predictive distribution every
//     model returns: a location-scale Student t, or an empirical shape (the
//     automatic model's measured errors, on the log scale for a positive
//     series).
//   - models: a [Model] fits a series and returns a [Fitted], which gives the
//     predictive distribution of any linear combination of future values
//     ([Fitted.Predict]) and of each future value ([Fitted.Path]).
//     [Auto] (the default, "auto" for [ByName]) chooses per series among a
//     random walk with drift, linear and log-linear trends, damped Holt,
//     Theta, the ETS state-space family (as R's forecast::ets) and fixed
//     combinations, by rolling-origin cross-validation (AICc on series too
//     short for it), with classical seasonal adjustment when a test at the
//     seasonal lag says so and robust outlier replacement; its intervals
//     are calibrated on the cross-validation errors of the whole choice
//     procedure, and the fit says which method it chose and why
//     ([Explained]) and which values it did not take at face value
//     ([Flagged]). [Pool] sharpens the intervals of a set of series fitted
//     together with the errors of all of them; [FitWithGaps] fits a series
//     with missing periods. [LinearTrend] is the exact Student t linear
//     trend, a baseline.
//   - judgement: [Judge] turns a fitted model, a [Measure] (what the target
//     is judged on) and a target into an [Verdict]: projection, 80 % and
//     95 % intervals, the probability of meeting the target and a [Status];
//     [Reconcile] makes a total's and its parts' forecasts coherent.
//
// Rules this package keeps:
//
//   - Pure: no file, network or clock access, no logging, no global state in
//     non-test code. Callers read the warehouse and pass plain slices.
//   - Deterministic: the same input gives the same output, bit for bit on one
//     platform; the one simulation (the distribution of a sum of future
//     values) draws from a generator with a fixed seed, and optimisation
//     (Nelder-Mead as gonum/optimize's, golden-section search) starts from
//     fixed points with fixed budgets.
//   - No dependency on the rest of offshore: it never imports anything under
//     github.com/offshore-ma/offshore/pipeline (nor Excel or Arrow packages),
//     so the pipeline depends on forecast and never the other way round.
//   - Units agnostic: a series is a []float64 ordered oldest first with one
//     value per period; whether it counts jobs, MAD or anything else, and
//     whether a period is a quarter or a year, is the caller's business. The
//     seasonal period passed to [Model.Fit] is 4 for quarterly, 12 for
//     monthly and 1 for yearly data.
//   - Honest uncertainty: intervals and probabilities are measured, not
//     assumed: the automatic model scales its intervals by the errors it
//     made forecasting the series' own past from rolling origins (including
//     the noise of choosing a method), their quantiles those of the errors
//     themselves; on the M1 competition's yearly, quarterly and monthly
//     series, pooled per frequency, its 80 % and 95 % intervals hold 79–85 %
//     and 95.5–97 % of the outcomes (see docs/forecast.md and bench/). A
//     series too short for an honest interval gets none
//     ([Dist.HasInterval]). [LinearTrend]'s intervals are exact when
//     the series is a line plus independent noise, and too narrow otherwise.
//
// Errors callers act on are sentinels: [ErrTooFewPoints] and [ErrBadInput],
// always wrapped with detail, so test them with errors.Is.
package forecast
