package forecast_test

import (
	"fmt"

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
		a := forecast.Assess(fit, model.Name(), m, target, forecast.DefaultThresholds())
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
