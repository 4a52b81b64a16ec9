package seriesfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
		if err := Write(&out, CSV, res); err != nil {
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
	ss, err := ReadFile("testdata/two.good.csv")
	if err != nil {
		t.Fatal(err)
	}
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
			if row.PMeet == nil || !(row.Lo95 <= row.Lo80 && row.Lo80 <= row.Point && row.Point <= row.Hi80 && row.Hi80 <= row.Hi95) {
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
