// Package bench measures the forecast engine on the M1 forecasting
// competition's yearly and quarterly series (Makridakis et al. 1982), as
// distributed with R's Mcomp package and stored in ../shared/data/m1: each
// series' history is forecast to the competition's horizon (6 years, 8
// quarters) and compared with the held-out values.
//
// The measures are those of the shared reference table, so that the figures
// sit side by side with R's: sMAPE (mean over series of the mean over steps
// of 200|y-f|/(|y|+|f|)), MASE (scaled by the in-sample mean absolute
// difference at the seasonal lag, 4 for quarterly data), and the share of
// held-out values inside the 80 % and 95 % prediction intervals, overall and
// at each step. Run `go run ./bench/m1` from the project root for the table,
// or `go test -bench M1 ./forecast/` for the timing. [Back] moves every
// forecast origin a few periods earlier (`--back N`), so that a change can be
// checked on other origins of the same series, not only the competition's.
package bench
