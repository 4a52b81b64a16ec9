package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/offshore-ma/offshore/internal/atomicfile"

	"github.com/offshore-ma/offshore/domain"
)

// Series is one synthetic quarterly series for the forecast engine: Values[k]
// is the value of quarter First+k.
type Series struct {
	ID     string
	First  domain.Period
	Values []float64
}

// seriesStream is the second PCG word of the series' source.
const seriesStream = pcgStream ^ 0x7365726965730000 // "series"

// Bounds of the synthetic series.
const (
	SeriesMinLen = 12 // quarters
	SeriesMaxLen = 40
)

// seriesLastEnd is the latest last quarter of a series; each ends 0 to 7
// quarters before it.
var seriesLastEnd = domain.NewPeriod(2024, 4)

// GenerateSeries returns n quarterly series (n >= 1), deterministic by seed,
// varied as a forecast engine meets them: 12 to 40 quarters ending between
// 2023Q1 and 2024Q4; levels from about 10 to 100,000; no trend, a steady
// one, a damped one or one that bends; quarterly seasonality in about half
// of them; autocorrelated noise of 1 % to 15 %; sometimes a level shift or
// one outlier. Every value is positive, rounded to the hundredth.
func GenerateSeries(n int, seed uint64) ([]Series, error) {
	if n < 1 {
		return nil, fmt.Errorf("synth: %d series: want 1 or more", n)
	}
	g := &gen{rng: rand.New(rand.NewPCG(seed, seriesStream))}
	width := len(strconv.Itoa(n))
	out := make([]Series, n)
	for i := range out {
		length := SeriesMinLen + g.rng.IntN(SeriesMaxLen-SeriesMinLen+1)
		end := seriesLastEnd - domain.Period(g.rng.IntN(8))
		s := Series{ID: fmt.Sprintf("S%0*d", width, i+1), First: end - domain.Period(length-1), Values: make([]float64, length)}
		level := g.uniform(2.3, 11.5) // log
		// Trend, in log per quarter.
		slope := 0.0
		damp := 1.0
		bend, slope2 := length, 0.0
		switch u := g.rng.Float64(); {
		case u < 0.25: // none
		case u < 0.6:
			slope = 0.012 + 0.02*g.rng.NormFloat64()
		case u < 0.8:
			slope, damp = 0.03+0.02*g.rng.NormFloat64(), g.uniform(0.8, 0.95)
		default:
			slope = 0.01 + 0.02*g.rng.NormFloat64()
			bend, slope2 = length/3+g.rng.IntN(max(1, length/3)), 0.01+0.03*g.rng.NormFloat64()
		}
		var seas [4]float64
		if g.chance(0.55) {
			amp := g.uniform(0.03, 0.25)
			var mean, top float64
			for q := range seas {
				seas[q] = g.rng.NormFloat64()
				mean += seas[q] / 4
			}
			for q := range seas {
				seas[q] -= mean
				top = math.Max(top, math.Abs(seas[q]))
			}
			for q := range seas {
				seas[q] *= amp / top
			}
		}
		sd, phi := g.uniform(0.01, 0.15), g.uniform(0, 0.6)
		shiftAt, shift := -1, 0.0
		if length >= 16 && g.chance(0.2) {
			shiftAt = 4 + g.rng.IntN(length-8)
			shift = g.uniform(0.1, 0.4) * float64(1-2*g.rng.IntN(2))
		}
		outlier, jump := -1, 0.0
		if g.chance(0.1) {
			outlier = g.rng.IntN(length)
			jump = g.uniform(0.2, 0.5) * float64(1-2*g.rng.IntN(2))
		}
		x, step, e := level, slope, 0.0
		for k := range length {
			if k > 0 {
				if k == bend {
					step = slope2
				}
				x += step
				step *= damp
			}
			if k == shiftAt {
				x += shift
			}
			e = phi*e + sd*g.rng.NormFloat64()
			v := x + e + seas[(s.First+domain.Period(k)).Quarter()-1]
			if k == outlier {
				v += jump
			}
			s.Values[k] = math.Max(0.01, math.Round(math.Exp(v)*100)/100)
		}
		out[i] = s
	}
	return out, nil
}

// WriteSeries writes GenerateSeries(n, seed) to path as the CSV that
// `offshore forecast --input` reads: a header series_id,period,value, then
// one row per series and quarter (2016Q1), series after series. The file is
// replaced atomically (warehouse.WriteFileAtomic).
func WriteSeries(path string, n int, seed uint64) error {
	ss, err := GenerateSeries(n, seed)
	if err != nil {
		return err
	}
	err = atomicfile.Write(path, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, 256<<10)
		w.WriteString("series_id,period,value\n")
		var buf []byte
		for _, s := range ss {
			for k, v := range s.Values {
				buf = append(buf[:0], s.ID...)
				buf = append(buf, ',')
				buf = append(buf, (s.First + domain.Period(k)).String()...)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, v, 'f', -1, 64)
				buf = append(buf, '\n')
				w.Write(buf)
			}
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}
