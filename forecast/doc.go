// Package forecast projects the quarterly series of Morocco's offshoring sector
// (headcount, export revenue, investment) and says, with a probability that
// means what it says, whether a target will be met.
//
// The package has three layers:
//
//   - numerics: [OLS] fits a linear model by Householder QR with column
//     scaling and iterative refinement, accurate on the NIST StRD linear
//     least squares problems; [Dist] is the location-scale Student t
//     predictive distribution every model returns.
//   - models: a [Model] fits a series and returns a [Fitted], which gives the
//     predictive distribution of any linear combination of future values
//     ([Fitted.Predict]) and of each future value ([Fitted.Path]).
//     [LinearTrend] is the first model; others plug into the same interface.
//   - judgement: [Assess] turns a fitted model, a [Measure] (what the target
//     is judged on) and a target into an [Assessment]: projection, 80 % and
//     95 % intervals, the probability of meeting the target and a [Status].
//
// Rules this package keeps:
//
//   - Pure: no file, network or clock access, no logging, no global state in
//     non-test code. Callers read the warehouse and pass plain slices.
//   - Deterministic: the same input gives the same output, bit for bit on one
//     platform; nothing here draws random numbers.
//   - No dependency on the rest of offshore: it never imports anything under
//     github.com/offshore-ma/offshore/pipeline (nor Excel or Arrow packages),
//     so the pipeline depends on forecast and never the other way round.
//   - Units agnostic: a series is a []float64 ordered oldest first with one
//     value per period; whether it counts jobs, MAD or anything else, and
//     whether a period is a quarter or a year, is the caller's business. The
//     seasonal period passed to [Model.Fit] is 4 for quarterly and 1 for
//     yearly data.
//   - Honest uncertainty: intervals and probabilities account for both the
//     noise of future values and the uncertainty of estimated parameters, and
//     tests check by simulation that an 80 % interval holds about 80 % of
//     outcomes when the model is right. When the model is wrong (real data
//     rarely follow a straight line) intervals are too narrow; see the M1
//     coverage figures in the shared reference data.
//
// Errors callers act on are sentinels: [ErrTooFewPoints] and [ErrBadInput],
// always wrapped with detail, so test them with errors.Is.
package forecast
