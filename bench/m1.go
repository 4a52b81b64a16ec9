package bench

import (
	"encoding/csv"
	"fmt"
	"io"
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
// its seasonal period (1 yearly, 4 quarterly).
type Series struct {
	ID      string
	Period  int
	History []float64
	Future  []float64
}

// ReadM1 reads m1_history.csv and m1_future.csv from dir, series in file
// order of first appearance. A series is quarterly when its id starts with
// "Q", yearly otherwise.
func ReadM1(dir string) ([]Series, error) {
	hist, order, err := readLong(filepath.Join(dir, "m1_history.csv"))
	if err != nil {
		return nil, err
	}
	fut, _, err := readLong(filepath.Join(dir, "m1_future.csv"))
	if err != nil {
		return nil, err
	}
	out := make([]Series, 0, len(order))
	for _, id := range order {
		p := 1
		if strings.HasPrefix(id, "Q") {
			p = 4
		}
		out = append(out, Series{ID: id, Period: p, History: hist[id], Future: fut[id]})
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
	Frequency    string // "yearly" or "quarterly"
	Series       int
	SMAPE, MASE  float64
	Cov80, Cov95 float64 // % of held-out values inside the intervals
	CovSum80     float64 // % of sums of the last 4 held-out quarters inside the 80 % interval (quarterly only)
	CovSum95     float64
	// StepCov80 and StepCov95 are the coverages (%) at each step 1..horizon.
	StepCov80, StepCov95 []float64
	Failed               int // series the model could not fit
	Duration             time.Duration
	Methods              map[string]int // chosen method → number of series
}

// Run forecasts every series with model, in parallel on all CPUs, and
// scores each frequency. A series the model cannot fit is forecast by the
// last value with no interval (and counted in Failed).
func Run(model forecast.Model, all []Series) []Score {
	var out []Score
	for _, freq := range []struct {
		name   string
		period int
	}{{"yearly", 1}, {"quarterly", 4}} {
		var ss []Series
		for _, s := range all {
			if s.Period == freq.period {
				ss = append(ss, s)
			}
		}
		start := time.Now()
		type res struct {
			smape, mase, in80, in95, n float64
			sum80, sum95               float64
			step80, step95             []float64
			failed                     bool
			method                     string
		}
		results := make([]res, len(ss))
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					s := ss[i]
					h := len(s.Future)
					var r res
					fit, err := model.Fit(s.History, s.Period)
					var path []forecast.Dist
					if err != nil {
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
					scale := maseScale(s.History, s.Period)
					r.step80, r.step95 = make([]float64, h), make([]float64, h)
					for k, d := range path {
						y, f := s.Future[k], d.Mean
						if den := math.Abs(y) + math.Abs(f); den > 0 {
							r.smape += 200 * math.Abs(y-f) / den
						}
						r.mase += math.Abs(y-f) / scale
						if lo, hi := d.Interval(0.8); lo <= y && y <= hi {
							r.in80++
							r.step80[k]++
						}
						if lo, hi := d.Interval(0.95); lo <= y && y <= hi {
							r.in95++
							r.step95[k]++
						}
					}
					r.smape /= float64(h)
					r.mase /= float64(h)
					r.n = float64(h)
					results[i] = r
				}
			}()
		}
		for i := range ss {
			next <- i
		}
		close(next)
		wg.Wait()
		sc := Score{Frequency: freq.name, Series: len(ss), Duration: time.Since(start), Methods: map[string]int{}}
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
	Frequency, Method         string
	SMAPE, MASE, Cov80, Cov95 float64 // NaN when not given
}

// References are R 4.2 / forecast 8.20's figures on the same data, same
// horizons and measures (from the shared data README).
var References = []Reference{
	{"yearly", "R forecast::ets", 18.61, 3.771, 58.0, 71.7},
	{"yearly", "R forecast::auto.arima", 17.23, 3.467, 54.4, 70.4},
	{"yearly", "R forecast::thetaf", 20.17, 4.189, 50.5, 68.7},
	{"yearly", "mean of those three", 18.11, 3.711, math.NaN(), math.NaN()},
	{"yearly", "naive (last value)", 22.43, 4.893, 45.7, 61.7},
	{"yearly", "OLS linear trend", 21.33, 4.420, 35.5, 51.1},
	{"quarterly", "R forecast::ets", 17.46, 1.657, 62.9, 77.3},
	{"quarterly", "R forecast::auto.arima", 17.33, 1.695, 55.7, 72.4},
	{"quarterly", "R forecast::thetaf", 16.35, 1.702, 57.7, 74.5},
	{"quarterly", "mean of those three", 16.36, 1.570, math.NaN(), math.NaN()},
	{"quarterly", "naive (last value)", 18.38, 1.952, 63.9, 79.1},
	{"quarterly", "OLS linear trend", 18.22, 2.082, 46.4, 63.2},
}

// Table writes the scores of the named model beside the R references, as a
// Markdown table, then the methods chosen per frequency.
func Table(w io.Writer, model string, scores []Score) {
	fmt.Fprintln(w, "| frequency | method | series | sMAPE | MASE | cov80 % | cov95 % | sum cov80 % | sum cov95 % | time |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	num := func(v float64, f string) string {
		if math.IsNaN(v) {
			return ""
		}
		return fmt.Sprintf(f, v)
	}
	for _, sc := range scores {
		sum80, sum95 := "", ""
		if sc.Frequency == "quarterly" {
			sum80, sum95 = num(sc.CovSum80, "%.1f"), num(sc.CovSum95, "%.1f")
		}
		fmt.Fprintf(w, "| %s | **offshore %s** | %d | **%.2f** | **%.3f** | **%.1f** | **%.1f** | %s | %s | %s |\n",
			sc.Frequency, model, sc.Series, sc.SMAPE, sc.MASE, sc.Cov80, sc.Cov95, sum80, sum95, sc.Duration.Round(time.Millisecond))
		for _, r := range References {
			if r.Frequency == sc.Frequency {
				fmt.Fprintf(w, "| %s | %s | %d | %.2f | %.3f | %s | %s | | | |\n",
					r.Frequency, r.Method, sc.Series, r.SMAPE, r.MASE, num(r.Cov80, "%.1f"), num(r.Cov95, "%.1f"))
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
		fmt.Fprintln(w)
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
