package forecast_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/offshore-ma/offshore/forecast"
)

// Example judges the target of 123,000 direct jobs at the end of 2020 from
// quarterly headcounts 2016Q1-2018Q4.
func Example() {
	jobs := []float64{ // 2016Q1 .. 2018Q4
		65200, 66900, 68100, 70300,
		71000, 73200, 74100, 76500,
		77400, 78800, 81000, 82300,
	}
	model := forecast.LinearTrend()
	fit, err := model.Fit(jobs, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Jobs at the end of 2020: the 8th quarter after 2018Q4.
	m := forecast.Measure{Weights: []float64{0, 0, 0, 0, 0, 0, 0, 1}}
	for i, target := range []float64{123000, 94800, 94000} {
		a := forecast.Judge(fit, model.Name(), m, target, forecast.DefaultThresholds())
		if i == 0 {
			fmt.Printf("%s: end 2020 %.0f, 80%% [%.0f, %.0f], 95%% [%.0f, %.0f]\n",
				a.Model, a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95)
		}
		fmt.Printf("target %.0f: P(meet) %.2f, %s\n", target, a.PMeet, a.Status)
	}

	// Growth the target requires from the last quarter (2 years left) and
	// growth observed over the last 2 years.
	fmt.Printf("growth required %.1f%%/yr, observed %.1f%%/yr\n",
		100*forecast.GrowthRate(jobs[11], 123000, 2), 100*forecast.GrowthRate(jobs[3], jobs[11], 2))
	// Output:
	// linear-trend: end 2020 94635, 80% [93935, 95335], 95% [93498, 95771]
	// target 123000: P(meet) 0.00, off_track
	// target 94800: P(meet) 0.38, at_risk
	// target 94000: P(meet) 0.88, on_track
	// growth required 22.3%/yr, observed 8.2%/yr
}

// ExampleOLS fits a straight line with an intercept and predicts a new
// point with its 95 % prediction interval.
func ExampleOLS() {
	// Hours of study (x) and exam scores (y).
	x := mat.NewDense(6, 1, []float64{1, 2, 3, 4, 5, 6})
	y := []float64{52, 55, 61, 64, 67, 73}
	fit, err := forecast.OLS(x, y, forecast.OLSOptions{Intercept: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("intercept %.3f (se %.3f), slope %.3f (se %.3f)\n", fit.Coef[0], fit.StdErr[0], fit.Coef[1], fit.StdErr[1])
	fmt.Printf("residual sd %.3f, R² %.4f\n", fit.ResidualSD, fit.R2)
	d := fit.Predict([]float64{8})
	lo, hi := d.Interval(0.95)
	fmt.Printf("at x = 8: %.2f, 95%% prediction interval [%.2f, %.2f]\n", d.Mean, lo, hi)
	// Output:
	// intercept 47.600 (se 0.904), slope 4.114 (se 0.232)
	// residual sd 0.971, R² 0.9874
	// at x = 8: 80.51, 95% prediction interval [76.40, 84.62]
}

// Example_auto judges two targets of the 2016 contracts with the automatic
// model: jobs at the end of 2020 (one future quarter) and 2020 exports (the
// sum of four future quarters, whose distribution is that of the sum, not
// of one quarter).
func Example_auto() {
	jobs := []float64{ // 2015Q1 .. 2018Q4, headcount at the end of each quarter
		62100, 62600, 63400, 64000,
		65200, 66900, 68100, 70300,
		71000, 73200, 74100, 76500,
		77400, 78800, 81000, 82300,
	}
	exports := []float64{ // bn MAD per quarter, 2015Q1 .. 2018Q4
		1.9, 2.0, 2.0, 2.2,
		2.1, 2.3, 2.2, 2.5,
		2.4, 2.5, 2.6, 2.8,
		2.7, 2.9, 2.9, 3.2,
	}
	model := forecast.Auto()
	th := forecast.DefaultThresholds()

	fit, err := model.Fit(jobs, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := fit.(forecast.Explained)
	a := forecast.Judge(fit, e.Method(), forecast.Measure{Weights: []float64{0, 0, 0, 0, 0, 0, 0, 1}}, 123000, th)
	fmt.Printf("jobs end 2020 (%s): %.0f, 80%% [%.0f, %.0f]; target 123000: P %.2f, %s\n",
		a.Model, a.Projected, a.Lo80, a.Hi80, a.PMeet, a.Status)

	fit, err = model.Fit(exports, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	e = fit.(forecast.Explained)
	a = forecast.Judge(fit, e.Method(), forecast.Measure{Weights: []float64{0, 0, 0, 0, 1, 1, 1, 1}}, 14, th)
	fmt.Printf("exports 2020 (%s): %.1f bn, 80%% [%.1f, %.1f]; target 14 bn: P %.2f, %s\n",
		a.Model, a.Projected, a.Lo80, a.Hi80, a.PMeet, a.Status)
	// Output:
	// jobs end 2020 (rw-drift 55% + ets 45%): 93111, 80% [86866, 99806]; target 123000: P 0.00, off_track
	// exports 2020 (ets 55% + rw-drift 9% + linear-trend 9% + log-linear-trend 9% + theta 9% + damped 9%): 14.2 bn, 80% [12.9, 15.5]; target 14 bn: P 0.57, at_risk
}
