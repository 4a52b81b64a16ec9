package forecast

import (
	"math"
	"slices"
)

// outlierZ is how many robust standard deviations (1.4826 median absolute
// deviations) a value must stand from both its neighbours and its season's
// values to be an outlier: only glaring errors (a value typed in the wrong
// unit, a stray 1e6), not a good or bad quarter.
const outlierZ = 6

// findOutliers returns the indices of the values of y that are spikes:
// above (or below) both their neighbours, and far from the line between
// them and, for a seasonal period, from the same season's values a period
// or two away (so a December peak that recurs is not an outlier), each
// measured in robust standard deviations of those differences over the
// whole series, on the log scale for a positive series. The last value,
// which has no later neighbour to tell a spike from a change of level, must
// stand twice as far from the line through the two before it. Each outlier
// is replaced in y by its season's median (its neighbours' for yearly
// data), so that the fit follows the series and not the stray value.
// Values marked in skip (not observed) are neither judged nor used as
// neighbours. Series of fewer than 5 values are left alone.
func findOutliers(y []float64, period int, positive bool, skip []bool) []int {
	n := len(y)
	if n < 5 {
		return nil
	}
	z := make([]float64, n)
	for i, v := range y {
		z[i] = v
		if positive {
			z[i] = math.Log(v)
		}
	}
	// prev and next observed index before/after t, or -1.
	step := func(t, d int) int {
		for j := t + d; j >= 0 && j < n; j += d {
			if !skip[j] {
				return j
			}
		}
		return -1
	}
	var seasons []int
	if period > 1 {
		seasons = []int{-2 * period, -period, period, 2 * period}
	}
	seasonal := func(t int) (float64, bool) {
		var vs []float64
		for _, d := range seasons {
			if j := t + d; j >= 0 && j < n && !skip[j] {
				vs = append(vs, z[j])
			}
		}
		if len(vs) < 2 {
			return 0, false
		}
		return median(vs), true
	}
	r1, r2 := make([]float64, n), make([]float64, n)
	var a1, a2 []float64
	for t := range n {
		r1[t], r2[t] = math.NaN(), math.NaN()
		if skip[t] {
			continue
		}
		p, q := step(t, -1), step(t, 1)
		switch {
		case p >= 0 && q >= 0:
			w := float64(t-p) / float64(q-p)
			r1[t] = z[t] - (z[p] + w*(z[q]-z[p]))
			a1 = append(a1, math.Abs(r1[t]))
		case p >= 0 && q < 0:
			if pp := step(p, -1); pp >= 0 {
				r1[t] = z[t] - (z[p] + float64(t-p)/float64(p-pp)*(z[p]-z[pp]))
			}
		}
		if m, ok := seasonal(t); ok {
			r2[t] = z[t] - m
			a2 = append(a2, math.Abs(r2[t]))
		}
	}
	if len(a1) < 4 {
		return nil
	}
	// A floor on the scales: a series that is exactly constant or linear
	// has a zero robust scale, where any rounding would be "infinitely"
	// far; a millionth of the level is no outlier.
	var lvl float64
	for _, v := range z {
		lvl = math.Max(lvl, math.Abs(v))
	}
	floor := 1e-6 * lvl
	if positive {
		floor = 1e-6
	}
	s1 := math.Max(1.4826*median(a1), floor)
	s2 := floor
	if len(a2) >= 5 {
		s2 = math.Max(1.4826*median(a2), floor)
	}
	var out []int
	for t := range n {
		if math.IsNaN(r1[t]) {
			continue
		}
		limit := outlierZ * s1
		if q := step(t, 1); q < 0 {
			limit *= 2
		} else if p := step(t, -1); (z[t]-z[p])*(z[t]-z[q]) <= 0 {
			continue // not a spike: a step or a turn
		}
		if math.Abs(r1[t]) <= limit {
			continue
		}
		if len(a2) >= 5 && !math.IsNaN(r2[t]) && math.Abs(r2[t]) <= outlierZ*s2 {
			continue // far from its neighbours, but like its season
		}
		out = append(out, t)
	}
	// A spike is one value: two or more in a row are an episode (a level
	// that held for a while), not a stray value.
	var spikes []int
	for i, t := range out {
		if (i > 0 && out[i-1] == t-1) || (i+1 < len(out) && out[i+1] == t+1) {
			continue
		}
		spikes = append(spikes, t)
	}
	out = spikes
	for _, t := range out {
		skip[t] = true
	}
	for _, t := range out {
		m, ok := seasonal(t)
		if !ok {
			var vs []float64
			for _, d := range []int{-2, -1, 1, 2} {
				if j := t + d; j >= 0 && j < n && !skip[j] {
					vs = append(vs, z[j])
				}
			}
			if len(vs) == 0 {
				continue
			}
			m = median(vs)
		}
		if positive {
			m = math.Exp(m)
		}
		y[t] = m
	}
	return out
}

// median returns the median of v (reordering it).
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	k := len(v) / 2
	if len(v)%2 == 1 {
		return v[k]
	}
	return (v[k-1] + v[k]) / 2
}
