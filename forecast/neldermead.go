package forecast

import (
	"math"
	"sort"
)

// nelderMead minimises f from x0 with the Nelder-Mead simplex method, step
// for step what gonum's optimize.Minimize does with &optimize.NelderMead{}
// (default parameters), one task, a FuncEvaluations limit of maxEval and an
// optimize.FunctionConverge{Relative: rel, Iterations: iters} converger: the
// same simplex, the same moves in the same order, the same stopping rules
// (the maxEval-th evaluation stops the search, and its point is not used),
// so the same result bit for bit (TestNelderMeadMatchesGonum). It returns
// the best vertex at the last major iteration and its value, and ok false
// where Minimize fails (f(x0) is +Inf or NaN).
//
// Minimize runs the method, the evaluations and the bookkeeping in three
// goroutines that trade every point over channels; for the five-parameter
// damped trend fitted thousands of times per run, that hand-off cost more
// than the objective itself (a third of the automatic model's CPU time).
// This loop does the same work in the caller's goroutine, without
// allocating per evaluation.
func nelderMead(f func([]float64) float64, x0 []float64, maxEval int, rel float64, iters int) (x []float64, fx float64, ok bool) {
	dim := len(x0)
	// gonum's defaults for the simplex moves (ANMS, dimension-dependent).
	const simplexSize = 0.05
	reflection := 1.0
	expansion := 1 + 2/float64(dim)
	contraction := 0.75 - 1/(2*float64(dim))
	shrink := 1 - 1/float64(dim)
	if dim == 1 {
		expansion, contraction, shrink = 2, 0.5, 0.5
	}

	evals := 0
	eval := func(p []float64) (float64, bool) {
		evals++
		return f(p), evals < maxEval
	}
	// The converger: stop after iters major iterations without a relative
	// decrease of rel.
	best, stall, first := 0.0, 0, true
	converged := func(v float64) bool {
		if math.IsInf(v, -1) {
			return true
		}
		if first {
			best, first = v, false
			return false
		}
		if iters == 0 {
			return false
		}
		maxAbs := math.Max(math.Abs(v), math.Abs(best))
		if v < best && best-v > rel*maxAbs {
			best, stall = v, 0
			return false
		}
		stall++
		return stall >= iters
	}

	mem := make([]float64, (dim+5)*dim)
	next := func() []float64 { v := mem[:dim:dim]; mem = mem[dim:]; return v }
	opt := next() // the best point at the last major iteration
	loc := next() // the point being evaluated
	centroid := next()
	reflected := next()
	vertices := make([][]float64, dim+1)
	for i := range vertices {
		vertices[i] = next()
	}
	values := make([]float64, dim+1)

	copy(loc, x0)
	f0, more := eval(loc)
	if math.IsInf(f0, 1) || math.IsNaN(f0) {
		return x0, f0, false
	}
	copy(opt, loc)
	fopt := f0
	if !more || converged(f0) {
		return opt, fopt, true
	}

	// Initial simplex: x0 and a step of simplexSize along each axis.
	copy(vertices[dim], x0)
	values[dim] = f0
	for i := range dim {
		copy(loc, x0)
		loc[i] += simplexSize
		v, more := eval(loc)
		if !more {
			return opt, fopt, true
		}
		copy(vertices[i], loc)
		values[i] = v
	}
	sorter := vertexSorter{vertices, values}
	sort.Sort(sorter)
	computeCentroid(vertices, centroid)

	// move sets loc to centroid + scale*(centroid - worst). The loops here
	// round as gonum's floats.SubTo, Scale, Add and AddScaled do, one
	// operation at a time: the float64 conversions forbid fusing a multiply
	// and an add (which some platforms would do), and calling floats for
	// five numbers cost more than the arithmetic.
	move := func(scale float64) {
		worst := vertices[dim]
		for i := range loc {
			loc[i] = float64(scale*(centroid[i]-worst[i])) + centroid[i]
		}
	}
	replaceWorst := func(p []float64, v float64) {
		if v >= values[dim] {
			panic("increase in simplex value")
		}
		copy(vertices[dim], p)
		values[dim] = v
		for i := dim - 1; i >= 0; i-- {
			if values[i] < v {
				break
			}
			vertices[i], vertices[i+1] = vertices[i+1], vertices[i]
			values[i], values[i+1] = values[i+1], values[i]
		}
		worst, down, up := vertices[dim], -1/float64(dim), 1/float64(dim)
		for i := range centroid {
			centroid[i] += float64(down * worst[i])
		}
		for i := range centroid {
			centroid[i] += float64(up * p[i])
		}
	}

	for {
		// Major iteration: the best vertex is the optimum so far.
		copy(opt, vertices[0])
		fopt = values[0]
		if converged(fopt) {
			return opt, fopt, true
		}

		move(reflection)
		copy(reflected, loc)
		fr, more := eval(loc)
		if !more {
			return opt, fopt, true
		}
		switch {
		case fr >= values[0] && fr < values[dim-1]:
			replaceWorst(loc, fr)
			continue
		case fr < values[0]:
			move(reflection * expansion)
			fe, more := eval(loc)
			if !more {
				return opt, fopt, true
			}
			if fe < fr {
				replaceWorst(loc, fe)
			} else {
				replaceWorst(reflected, fr)
			}
			continue
		}
		var fc float64
		if fr < values[dim] {
			move(reflection * contraction)
			if fc, more = eval(loc); !more {
				return opt, fopt, true
			}
			if fc <= fr {
				replaceWorst(loc, fc)
				continue
			}
		} else {
			move(-contraction)
			if fc, more = eval(loc); !more {
				return opt, fopt, true
			}
			if fc < values[dim] {
				replaceWorst(loc, fc)
				continue
			}
		}
		// Shrink towards the best vertex.
		for i := 1; i <= dim; i++ {
			for j := range loc {
				loc[j] = float64(shrink*(vertices[i][j]-vertices[0][j])) + vertices[0][j]
			}
			v, more := eval(loc)
			if !more {
				return opt, fopt, true
			}
			copy(vertices[i], loc)
			values[i] = v
		}
		sort.Sort(sorter)
		computeCentroid(vertices, centroid)
	}
}

// vertexSorter sorts simplex vertices by value, as gonum's (sort.Sort is
// not stable: the same sorter keeps ties in the same order).
type vertexSorter struct {
	vertices [][]float64
	values   []float64
}

func (s vertexSorter) Len() int           { return len(s.values) }
func (s vertexSorter) Less(i, j int) bool { return s.values[i] < s.values[j] }
func (s vertexSorter) Swap(i, j int) {
	s.values[i], s.values[j] = s.values[j], s.values[i]
	s.vertices[i], s.vertices[j] = s.vertices[j], s.vertices[i]
}

// computeCentroid sets centroid to the mean of all vertices but the last
// (the worst).
func computeCentroid(vertices [][]float64, centroid []float64) {
	dim := len(centroid)
	for i := range centroid {
		centroid[i] = 0
	}
	for i := range dim {
		for j, v := range vertices[i] {
			centroid[j] += v
		}
	}
	for i := range centroid {
		centroid[i] /= float64(dim)
	}
}
