package seriesfile_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline/seriesfile"
)

// Read a series file, forecast each series two steps with the random walk
// with drift, and write the forecasts as CSV.
func Example() {
	in := "series_id,period,value\n" +
		"jobs,2014,100\njobs,2015,110\njobs,2016,120\njobs,2017,130\n" +
		"tiny,2017Q1,5\n" // too short: left out, with a warning on the log
	file, err := seriesfile.Read(strings.NewReader(in), "jobs.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	model, _ := forecast.ByName("rw-drift")
	results, err := seriesfile.Forecast(context.Background(), file.Series, seriesfile.Options{Horizon: 2, Model: model}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Println("not forecast:", r.Series.ID)
		}
	}
	if err := seriesfile.Write(os.Stdout, seriesfile.CSV, file.Style, results); err != nil {
		fmt.Println(err)
	}
	// Output:
	// not forecast: tiny
	// series_id,period,point,lo80,hi80,lo95,hi95,model,warnings
	// jobs,2018,140,,,,,rw-drift,"too short for an honest interval: point forecast only, no interval or p_meet"
	// jobs,2019,150,,,,,rw-drift,"too short for an honest interval: point forecast only, no interval or p_meet"
}
