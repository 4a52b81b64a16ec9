// Command m1 runs the forecast engine on the M1 competition's yearly,
// quarterly and monthly series and prints its accuracy and interval coverage beside R's
// (see package bench). Run from the project root:
//
//	go run ./bench/m1 [--data ../shared/data/m1] [--model auto] [--back N] [--half tune|heldout|all] [--pool=false]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/offshore-ma/offshore/bench"
	"github.com/offshore-ma/offshore/forecast"
)

func main() {
	data := flag.String("data", "../shared/data/m1", "folder holding m1_history.csv and m1_future.csv")
	name := flag.String("model", "auto", "model name, as forecast.ByName takes")
	back := flag.Int("back", 0, "move each forecast origin this many periods back (the future keeps its length), to score other origins of the same series")
	half := flag.String("half", "all", "tune, heldout or all: the half of the series (split by a hash of their ids) to score")
	pool := flag.Bool("pool", true, "pool the intervals of each frequency's series (forecast.Pool); false: each series alone")
	flag.Parse()
	model, err := forecast.ByName(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "m1:", err)
		os.Exit(2)
	}
	all, err := bench.ReadM1(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "m1:", err)
		os.Exit(1)
	}
	all = bench.Back(all, *back)
	if all, err = bench.Half(all, *half); err != nil {
		fmt.Fprintln(os.Stderr, "m1:", err)
		os.Exit(2)
	}
	start := time.Now()
	scores := bench.Run(model, all, *pool)
	bench.Table(os.Stdout, model.Name(), scores)
	fmt.Printf("\n%d series in %s\n", len(all), time.Since(start).Round(time.Millisecond))
}
