package seriesfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/offshore-ma/offshore/forecast"
)

// manySeries makes n quarterly series of 12 to 40 quarters, one of them
// (the middle one) too short to forecast.
func manySeries(n int) []Series {
	ss := make([]Series, n)
	for i := range n {
		m := 12 + (i*7)%29
		if i == n/2 {
			m = 2
		}
		s := Series{ID: fmt.Sprintf("s%03d", i), Freq: 4, First: 2010 * 4}
		for k := range m {
			s.Values = append(s.Values, 1000+20*float64(k)+float64((i*31+k*17)%50)+40*float64((k+i)%4))
		}
		ss[i] = s
	}
	return ss
}

// TestForecastInputWorkers checks that the output is the same, byte for
// byte and in the same order, whatever the number of workers, and that a
// cancelled context stops the run with its error. (docs/forecast.md cites
// it by this name.)
func TestForecastInputWorkers(t *testing.T) {
	ss := manySeries(40)
	var outs []string
	for _, w := range []int{1, 2, 7} {
		res, err := Forecast(context.Background(), ss, Options{Horizon: 6, Workers: w}, nil)
		if err != nil {
			t.Fatalf("%d workers: %v", w, err)
		}
		var out bytes.Buffer
		if err := Write(&out, CSV, English, res); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out.String())
	}
	if n := strings.Count(outs[0], "\n"); n != 1+39*6 {
		t.Errorf("%d lines, want %d", n, 1+39*6)
	}
	for i := 1; i < len(outs); i++ {
		if outs[i] != outs[0] {
			t.Errorf("output with more workers differs from the output with one")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Forecast(ctx, ss, Options{Horizon: 6}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// TestForecastResults: one result per series in order, a series too short
// is a result with Err and no rows, and when none can be forecast the
// error is ErrNoForecast naming them.
func TestForecastResults(t *testing.T) {
	file, err := ReadFile("testdata/two.good.csv")
	if err != nil {
		t.Fatal(err)
	}
	ss := file.Series
	target := 45000.0
	res, err := Forecast(context.Background(), ss, Options{Horizon: 3, Target: &target}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Series.ID != "jobs" || res[1].Series.ID != "exports q" || res[2].Series.ID != "tiny" {
		t.Fatalf("results %+v", res)
	}
	for _, r := range res[:2] {
		if r.Err != nil || len(r.Rows) != 3 || len(r.Path) != 3 || r.Model == "" || r.Reason == "" || r.Target != &target {
			t.Errorf("%s: %+v", r.Series.ID, r)
		}
		for _, row := range r.Rows {
			if row.PMeet == nil || row.Lo80 == nil || !(*row.Lo95 <= *row.Lo80 && *row.Lo80 <= row.Point && row.Point <= *row.Hi80 && *row.Hi80 <= *row.Hi95) {
				t.Errorf("%s: row %+v", r.Series.ID, row)
			}
		}
	}
	if got := res[1].Rows[0].Period + " " + res[1].Rows[2].Period; got != "2019Q1 2019Q3" {
		t.Errorf("periods %s, want 2019Q1 2019Q3", got)
	}
	if r := res[2]; !errors.Is(r.Err, forecast.ErrTooFewPoints) || r.Rows != nil {
		t.Errorf("tiny: %v, %d rows; want ErrTooFewPoints", r.Err, len(r.Rows))
	}
	_, err = Forecast(context.Background(), ss[2:], Options{Horizon: 3}, nil)
	if !errors.Is(err, ErrNoForecast) || !strings.Contains(err.Error(), "(tiny)") {
		t.Errorf("only a short series: %v", err)
	}
	for _, h := range []int{0, -1, MaxHorizon + 1} {
		if _, err := Forecast(context.Background(), ss, Options{Horizon: h}, nil); err == nil {
			t.Errorf("horizon %d accepted", h)
		}
	}
}

// BenchmarkForecast forecasts 200 quarterly series with the automatic model
// on all cores, without reading or writing (BenchmarkForecastInput in
// cmd/offshore measures the command with both).
func BenchmarkForecast(b *testing.B) {
	ss := manySeries(200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Forecast(context.Background(), ss, Options{Horizon: 8}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// fakeModel fits a series to a flat forecast at its last value, with an
// interval of ±1, flagging its second value an outlier; a series whose last
// value is 666 forecasts NaN, and one whose last value is 7 has no interval
// (see pointOnly).
type fakeModel struct{}

type fakeFit struct{ last float64 }

func (fakeModel) Name() string { return "fake" }
func (fakeModel) Fit(y []float64, period int) (forecast.Fitted, error) {
	if len(y) < 3 {
		return nil, forecast.ErrTooFewPoints
	}
	return fakeFit{y[len(y)-1]}, nil
}
func (f fakeFit) Predict(w []float64) forecast.Dist { return forecast.Dist{} }
func (f fakeFit) Path(h int) []forecast.Dist {
	d := forecast.Dist{Mean: f.last, Scale: 1, DF: 10}
	if f.last == 666 {
		d.Mean = math.NaN()
	}
	return slices.Repeat([]forecast.Dist{d}, h)
}
func (f fakeFit) Outliers() []int { return []int{1} }

// TestForecastWarnings: gaps, outliers and missing intervals are warnings
// on every row of their series and once on the log; a forecast that is not
// finite is the series' error and ErrNonFinite, and the others stand.
func TestForecastWarnings(t *testing.T) {
	hasInterval = func(d forecast.Dist) bool { return d.Mean != 7 }
	defer func() { hasInterval = forecast.Dist.HasInterval }()
	in := "série;période;valeur;cible\n" +
		"a;T1 2016;1;4\na;T2 2016;2;\na;T4 2016;3;\na;T1 2017;4;\n" +
		"nan;2016;1;\nnan;2017;2;\nnan;2018;666;\n" +
		"short;mars 2016;1;\nshort;avril 2016;2;\nshort;mai 2016;7;\n" +
		"sparse;2010;1;\nsparse;2016;2;\nsparse;2017;3;\n"
	file, err := Read(strings.NewReader(in), "w.csv")
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	res, err := Forecast(context.Background(), file.Series, Options{Horizon: 2, Model: fakeModel{}}, log)
	if !errors.Is(err, ErrNonFinite) || errors.Is(err, ErrNoForecast) || !strings.Contains(err.Error(), "nan") {
		t.Errorf("error %v, want ErrNonFinite naming nan", err)
	}
	a, nan, short, sparse := res[0], res[1], res[2], res[3]
	want := []string{"1 missing value filled in: T3 2016", "1 outlier (far from its neighbours and its season), replaced by its neighbours' level in the fit and left out of the error measure: T2 2016"}
	if a.Err != nil || !slices.Equal(a.Warnings, want) || !slices.Equal(a.Rows[1].Warnings, want) || *a.Rows[0].PMeet != 0.5 {
		t.Errorf("a: %v %q %+v", a.Err, a.Warnings, a.Rows)
	}
	if !errors.Is(nan.Err, ErrNonFinite) || nan.Rows != nil {
		t.Errorf("nan: %v, %d rows", nan.Err, len(nan.Rows))
	}
	if r := short.Rows[0]; short.Err != nil || r.Lo80 != nil || r.Hi95 != nil || r.Period != "juin 2016" || !strings.Contains(strings.Join(short.Warnings, "|"), "no interval") {
		t.Errorf("short: %v %+v %q", short.Err, r, short.Warnings)
	}
	if !errors.Is(sparse.Err, ErrTooSparse) {
		t.Errorf("sparse: %v", sparse.Err)
	}
	var out bytes.Buffer
	if err := Write(&out, CSV, file.Style, res); err != nil || strings.Contains(out.String(), "nan;") || strings.Count(out.String(), "\n") != 5 {
		t.Errorf("%v:\n%s", err, out.String())
	}
	if n := strings.Count(logged.String(), "T3 2016"); n != 1 {
		t.Errorf("a's gap logged %d times:\n%s", n, logged.String())
	}
}
