package bench

import (
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/offshore-ma/offshore/forecast"
)

// Series is one competition series: its history, the held-out future, and
// its seasonal period (1 yearly, 4 quarterly, 12 monthly).
type Series struct {
	ID      string
	Period  int
	History []float64
	Future  []float64
}

// ReadM1 reads the yearly and quarterly series (m1_history.csv and
// m1_future.csv) and, when present, the monthly ones
// (m1_monthly_history.csv and m1_monthly_future.csv) from dir, series in
// file order of first appearance. A series is quarterly when its id starts
// with "Q", monthly when it comes from the monthly files, yearly otherwise.
func ReadM1(dir string) ([]Series, error) {
	var out []Series
	for _, f := range []struct {
		prefix  string
		monthly bool
	}{{"m1", false}, {"m1_monthly", true}} {
		hist, order, err := readLong(filepath.Join(dir, f.prefix+"_history.csv"))
		if f.monthly && errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		fut, _, err := readLong(filepath.Join(dir, f.prefix+"_future.csv"))
		if err != nil {
			return nil, err
		}
		for _, id := range order {
			p := 1
			switch {
			case f.monthly:
				p = 12
			case strings.HasPrefix(id, "Q"):
				p = 4
			}
			out = append(out, Series{ID: id, Period: p, History: hist[id], Future: fut[id]})
		}
	}
	return out, nil
}

// Half returns the series of one half of the data, "tune" or "heldout",
// split by a hash of the series id (about half of each frequency in each),
// or all of them for "all". Design choices are made on the tune half; the
// held-out half is scored only to report.
func Half(all []Series, half string) ([]Series, error) {
	if half == "all" {
		return all, nil
	}
	if half != "tune" && half != "heldout" {
		return nil, fmt.Errorf("half %q: want tune, heldout or all", half)
	}
	var out []Series
	for _, s := range all {
		h := fnv.New32a()
		h.Write([]byte(s.ID))
		if (h.Sum32()%2 == 0) == (half == "tune") {
			out = append(out, s)
		}
	}
	return out, nil
}

// readLong reads a series_id,period,value file; values are kept in file
// order within each series (the files are sorted by period).
func readLong(path string) (map[string][]float64, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		return nil, nil, fmt.Errorf("%s: header: %w", path, err)
	}
	m := map[string][]float64{}
	var order []string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		v, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: value %q: %w", path, line, rec[2], err)
		}
		if _, ok := m[rec[0]]; !ok {
			order = append(order, rec[0])
		}
		m[rec[0]] = append(m[rec[0]], v)
	}
	return m, order, nil
}

// Score is the accuracy of one model on one frequency.
type Score struct {
	Frequency    string // "yearly", "quarterly" or "monthly"
	Series       int
	SMAPE, MASE  float64
	Cov80, Cov95 float64 // % of held-out values inside the intervals
	// MSIS is the M4 competition's interval score of the 95 % interval
	// (width plus 2/0.05 times the misses), scaled like MASE.
	MSIS float64
	// Brier is the Brier score of P(meet) for one target per series, on
	// the last held-out value, set from the frequency's pooled growth (see
	// pooledGrowth); Met is the share of those targets met (%).
	Brier, Met float64
	// Negative is the number of 95 % lower bounds below zero on series
	// whose history is all positive.
	Negative int
	CovSum80 float64 // % of sums of the last 4 held-out quarters inside the 80 % interval (quarterly only)
	CovSum95 float64
	// StepCov80 and StepCov95 are the coverages (%) at each step 1..horizon.
	StepCov80, StepCov95 []float64
	Failed               int // series the model could not fit
	Duration             time.Duration
	Methods              map[string]int // chosen method → number of series
}

// Frequencies are the ones Run scores, in order.
var Frequencies = []struct {
	Name   string
	Period int
}{{"yearly", 1}, {"quarterly", 4}, {"monthly", 12}}

// Run forecasts every series with model, in parallel on all CPUs, pools the
// intervals of each frequency's fits when pool is true (forecast.Pool: the
// series of one frequency are one set, as an analyst's file is; false: each
// series alone), and scores each frequency. A series the model cannot fit is forecast by the last value
// with no interval (and counted in Failed).
func Run(model forecast.Model, all []Series, pool bool) []Score {
	var out []Score
	for _, freq := range Frequencies {
		var ss []Series
		for _, s := range all {
			if s.Period == freq.Period {
				ss = append(ss, s)
			}
		}
		if len(ss) == 0 {
			continue
		}
		start := time.Now()
		fits := make([]forecast.Fitted, len(ss))
		parallel(len(ss), func(i int) {
			if f, err := model.Fit(ss[i].History, ss[i].Period); err == nil {
				fits[i] = f
			}
		})
		if pool {
			fits = forecast.Pool(fits)
		}
		g := pooledGrowth(ss)
		type res struct {
			smape, mase, msis, in80, in95, n float64
			sum80, sum95, brier, met         float64
			neg                              int
			step80, step95                   []float64
			failed                           bool
			method                           string
		}
		results := make([]res, len(ss))
		parallel(len(ss), func(i int) {
			s := ss[i]
			h := len(s.Future)
			var r res
			fit := fits[i]
			var path []forecast.Dist
			if fit != nil && !fit.Path(1)[0].HasInterval() {
				fit = nil // no interval: scored as not fitted
			}
			if fit == nil {
				r.failed = true
				last := s.History[len(s.History)-1]
				for range h {
					path = append(path, forecast.Dist{Mean: last, Scale: 0, DF: 1})
				}
				r.method = "failed"
			} else {
				path = fit.Path(h)
				r.method = model.Name()
				if e, ok := fit.(forecast.Explained); ok {
					r.method = methodSet(e.Method())
				}
				if h >= 4 {
					w := make([]float64, h)
					var sum float64
					for k := h - 4; k < h; k++ {
						w[k] = 1
						sum += s.Future[k]
					}
					d := fit.Predict(w)
					if lo, hi := d.Interval(0.8); lo <= sum && sum <= hi {
						r.sum80 = 1
					}
					if lo, hi := d.Interval(0.95); lo <= sum && sum <= hi {
						r.sum95 = 1
					}
				}
			}
			last := s.History[len(s.History)-1]
			target := last * math.Pow(1+g, float64(h))
			p := path[h-1].Survival(target)
			if s.Future[h-1] >= target {
				r.met = 1
			}
			r.brier = (p - r.met) * (p - r.met)
			positive := true
			for _, v := range s.History {
				positive = positive && v > 0
			}
			scale := maseScale(s.History, s.Period)
			r.step80, r.step95 = make([]float64, h), make([]float64, h)
			for k, d := range path {
				y, f := s.Future[k], d.Quantile(0.5)
				if den := math.Abs(y) + math.Abs(f); den > 0 {
					r.smape += 200 * math.Abs(y-f) / den
				}
				r.mase += math.Abs(y-f) / scale
				if lo, hi := d.Interval(0.8); lo <= y && y <= hi {
					r.in80++
					r.step80[k]++
				}
				lo, hi := d.Interval(0.95)
				if lo <= y && y <= hi {
					r.in95++
					r.step95[k]++
				}
				if positive && lo < 0 {
					r.neg++
				}
				is := hi - lo
				if y < lo {
					is += 2 / 0.05 * (lo - y)
				}
				if y > hi {
					is += 2 / 0.05 * (y - hi)
				}
				r.msis += is / scale
			}
			r.smape /= float64(h)
			r.mase /= float64(h)
			r.msis /= float64(h)
			r.n = float64(h)
			results[i] = r
		})
		sc := Score{Frequency: freq.Name, Series: len(ss), Duration: time.Since(start), Methods: map[string]int{}}
		var pts float64
		var stepN []float64
		for _, r := range results {
			for k := range r.step80 {
				if k >= len(stepN) {
					stepN = append(stepN, 0)
					sc.StepCov80 = append(sc.StepCov80, 0)
					sc.StepCov95 = append(sc.StepCov95, 0)
				}
				stepN[k]++
				sc.StepCov80[k] += r.step80[k]
				sc.StepCov95[k] += r.step95[k]
			}
			sc.SMAPE += r.smape
			sc.MASE += r.mase
			sc.MSIS += r.msis
			sc.Brier += r.brier
			sc.Met += r.met
			sc.Negative += r.neg
			sc.Cov80 += r.in80
			sc.Cov95 += r.in95
			sc.CovSum80 += r.sum80
			sc.CovSum95 += r.sum95
			pts += r.n
			if r.failed {
				sc.Failed++
			}
			sc.Methods[r.method]++
		}
		n := float64(len(ss))
		sc.SMAPE /= n
		sc.MASE /= n
		sc.MSIS /= n
		sc.Brier /= n
		sc.Met *= 100 / n
		sc.Cov80 *= 100 / pts
		sc.Cov95 *= 100 / pts
		sc.CovSum80 *= 100 / n
		sc.CovSum95 *= 100 / n
		for k := range stepN {
			sc.StepCov80[k] *= 100 / stepN[k]
			sc.StepCov95[k] *= 100 / stepN[k]
		}
		out = append(out, sc)
	}
	return out
}

// parallel calls f(i) for i in [0, n) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// pooledGrowth is the growth per period the targets are set from: the
// median over the series of their mean growth per period over their
// history, (last/first)^(1/(n-1)) - 1, among series with positive ends. A
// target at the last held-out step is then last value * (1+g)^h: a plan
// that expects each series to grow like the set's typical one, met by
// about half of them.
func pooledGrowth(ss []Series) float64 {
	var gs []float64
	for _, s := range ss {
		n := len(s.History)
		if a, b := s.History[0], s.History[n-1]; n > 1 && a > 0 && b > 0 {
			gs = append(gs, math.Pow(b/a, 1/float64(n-1))-1)
		}
	}
	if len(gs) == 0 {
		return 0
	}
	sort.Float64s(gs)
	return gs[len(gs)/2]
}

var weightsRe = regexp.MustCompile(` \d+%`)

// methodSet strips the weights from a combination's name and sorts the
// methods ("theta 60% + damped 40%" → "damped+theta"), so that series
// count by the methods used.
func methodSet(name string) string {
	ms := strings.Split(weightsRe.ReplaceAllString(name, ""), " + ")
	sort.Strings(ms)
	return strings.Join(ms, "+")
}

// maseScale is the in-sample mean absolute difference at the seasonal lag
// (lag 1 for yearly series), 1 if it is 0.
func maseScale(y []float64, period int) float64 {
	var s float64
	var n int
	for t := period; t < len(y); t++ {
		s += math.Abs(y[t] - y[t-period])
		n++
	}
	if n == 0 || s == 0 {
		return 1
	}
	return s / float64(n)
}

// Reference is a row of the R figures in ../shared/data/README.md.
type Reference struct {
	Frequency, Method               string
	SMAPE, MASE, Cov80, Cov95, MSIS float64 // NaN when not given
}

// References are R 4.2 / forecast 8.20's figures on the same data, same
// horizons and measures (from the shared data README).
var References = []Reference{
	{"yearly", "R forecast::ets", 18.61, 3.771, 58.0, 71.7, nan},
	{"yearly", "R forecast::auto.arima", 17.23, 3.467, 54.4, 70.4, nan},
	{"yearly", "R forecast::thetaf", 20.17, 4.189, 50.5, 68.7, nan},
	{"yearly", "mean of those three", 18.11, 3.711, nan, nan, nan},
	{"yearly", "naive (last value)", 22.43, 4.893, 45.7, 61.7, nan},
	{"yearly", "OLS linear trend", 21.33, 4.420, 35.5, 51.1, nan},
	{"quarterly", "R forecast::ets", 17.46, 1.657, 62.9, 77.3, nan},
	{"quarterly", "R forecast::auto.arima", 17.33, 1.695, 55.7, 72.4, nan},
	{"quarterly", "R forecast::thetaf", 16.35, 1.702, 57.7, 74.5, nan},
	{"quarterly", "mean of those three", 16.36, 1.570, nan, nan, nan},
	{"quarterly", "naive (last value)", 18.38, 1.952, 63.9, 79.1, nan},
	{"quarterly", "OLS linear trend", 18.22, 2.082, 46.4, 63.2, nan},
	{"monthly", "R forecast::ets", 14.97, 1.074, 73.3, 87.6, 9.62},
	{"monthly", "R forecast::auto.arima", 15.98, 1.122, 69.4, 84.4, 11.33},
	{"monthly", "R forecast::thetaf", 16.53, 1.091, 71.7, 86.5, 9.81},
	{"monthly", "mean of those three", 14.80, 1.039, nan, nan, nan},
	{"monthly", "seasonal naive (snaive)", 17.30, 1.314, 74.2, 89.8, 10.36},
}

var nan = math.NaN()

// Table writes the scores of the named model beside the R references (which
// are for the whole of each frequency: compare them with --half all), as a
// Markdown table, then the methods chosen per frequency.
func Table(w io.Writer, model string, scores []Score) {
	fmt.Fprintln(w, "| frequency | method | series | sMAPE | MASE | cov80 % | cov95 % | MSIS | Brier | neg. lo95 | sum cov80 % | sum cov95 % | time |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	num := func(v float64, f string) string {
		if math.IsNaN(v) {
			return ""
		}
		return fmt.Sprintf(f, v)
	}
	for _, sc := range scores {
		sum80, sum95 := "", ""
		if sc.Frequency != "yearly" {
			sum80, sum95 = num(sc.CovSum80, "%.1f"), num(sc.CovSum95, "%.1f")
		}
		fmt.Fprintf(w, "| %s | **offshore %s** | %d | **%.2f** | **%.3f** | **%.1f** | **%.1f** | **%.2f** | %.3f | %d | %s | %s | %s |\n",
			sc.Frequency, model, sc.Series, sc.SMAPE, sc.MASE, sc.Cov80, sc.Cov95, sc.MSIS, sc.Brier, sc.Negative, sum80, sum95, sc.Duration.Round(time.Millisecond))
		for _, r := range References {
			if r.Frequency == sc.Frequency {
				fmt.Fprintf(w, "| %s | %s | | %.2f | %.3f | %s | %s | %s | | | | | |\n",
					r.Frequency, r.Method, r.SMAPE, r.MASE, num(r.Cov80, "%.1f"), num(r.Cov95, "%.1f"), num(r.MSIS, "%.2f"))
			}
		}
	}
	for _, sc := range scores {
		names := make([]string, 0, len(sc.Methods))
		for k := range sc.Methods {
			names = append(names, k)
		}
		sort.Slice(names, func(i, j int) bool {
			if sc.Methods[names[i]] != sc.Methods[names[j]] {
				return sc.Methods[names[i]] > sc.Methods[names[j]]
			}
			return names[i] < names[j]
		})
		var parts []string
		for _, k := range names {
			parts = append(parts, fmt.Sprintf("%s %d", k, sc.Methods[k]))
		}
		fmt.Fprintf(w, "\n%s, methods chosen: %s", sc.Frequency, strings.Join(parts, ", "))
		if sc.Failed > 0 {
			fmt.Fprintf(w, " (%d series not fitted)", sc.Failed)
		}
		fmt.Fprintf(w, "; targets met %.1f %%\n", sc.Met)
		step := func(v []float64) string {
			p := make([]string, len(v))
			for k, c := range v {
				p[k] = fmt.Sprintf("%.1f", c)
			}
			return strings.Join(p, " ")
		}
		fmt.Fprintf(w, "%s, coverage by step 1..%d: 80 %%: %s; 95 %%: %s\n", sc.Frequency, len(sc.StepCov80), step(sc.StepCov80), step(sc.StepCov95))
	}
}

// Back returns the series with their forecast origin moved back periods
// earlier: the last periods values of each history become the first of its
// future, and the future keeps its length (its last values are dropped). It
// measures a model on other origins of the same data, to tell a property
// of the method from one of the competition's particular last periods. A
// series whose history would keep fewer than 6 values is left out.
func Back(all []Series, periods int) []Series {
	if periods <= 0 {
		return all
	}
	var out []Series
	for _, s := range all {
		n := len(s.History) - periods
		if n < 6 {
			continue
		}
		full := append(slices.Clone(s.History), s.Future...)
		out = append(out, Series{ID: s.ID, Period: s.Period, History: full[:n], Future: full[n : n+len(s.Future)]})
	}
	return out
}
