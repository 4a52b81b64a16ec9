package forecast

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/optimize"
)

// TestNelderMeadMatchesGonum checks that nelderMead gives what gonum's
// optimize.Minimize with NelderMead gives, bit for bit, on the damped
// trend's objective for many series and on a few classic functions, with
// budgets that stop it by evaluations and by convergence.
func TestNelderMeadMatchesGonum(t *testing.T) {
	type problem struct {
		name string
		f    func([]float64) float64
		x0   []float64
	}
	var problems []problem
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		y := make([]float64, 6+rng.IntN(40))
		level, slope := 100.0, rng.NormFloat64()
		for t := range y {
			slope += 0.5 * rng.NormFloat64()
			level += slope + 3*rng.NormFloat64()
			y[t] = level
		}
		l0, b0 := y[0], (y[4]-y[0])/4
		obj := func(x []float64) float64 {
			a := logistic(x[0], 0.01, 0.99)
			_, _, s := holt(y, a, logistic(x[1], 0.001, a), logistic(x[2], 0.8, 0.98), l0+x[3], b0+x[4])
			return s
		}
		problems = append(problems, problem{"damped" + string(rune('A'+i%26)), obj, []float64{0, -1.5, 1, 0, 0}})
	}
	rosen := func(x []float64) float64 {
		var s float64
		for i := 0; i+1 < len(x); i++ {
			s += 100*math.Pow(x[i+1]-x[i]*x[i], 2) + math.Pow(1-x[i], 2)
		}
		return s
	}
	problems = append(problems,
		problem{"rosenbrock2", rosen, []float64{-1.2, 1}},
		problem{"rosenbrock5", rosen, []float64{-1, 1, -1, 1, -1}},
		problem{"abs1", func(x []float64) float64 { return math.Abs(x[0] - 3) }, []float64{0}},
		problem{"nan-region", func(x []float64) float64 {
			if x[0] > 0.02 {
				return math.NaN()
			}
			return (x[0]+1)*(x[0]+1) + x[1]*x[1]
		}, []float64{0, 0.5}},
		problem{"inf-start", func(x []float64) float64 { return math.Inf(1) }, []float64{0, 0}},
	)
	for _, p := range problems {
		for _, budget := range []struct {
			evals, iters int
			rel          float64
		}{{300, 20, 1e-5}, {37, 20, 1e-5}, {1000, 5, 1e-3}, {300, 0, 1e-5}} {
			res, err := optimize.Minimize(optimize.Problem{Func: p.f}, p.x0, &optimize.Settings{
				FuncEvaluations: budget.evals,
				Converger:       &optimize.FunctionConverge{Relative: budget.rel, Iterations: budget.iters},
			}, &optimize.NelderMead{})
			x, fx, ok := nelderMead(p.f, p.x0, budget.evals, budget.rel, budget.iters)
			if ok != (err == nil) {
				t.Errorf("%s %+v: ok %v, gonum's error %v", p.name, budget, ok, err)
				continue
			}
			if !ok {
				continue
			}
			same := math.Float64bits(fx) == math.Float64bits(res.F)
			for i := range x {
				same = same && math.Float64bits(x[i]) == math.Float64bits(res.X[i])
			}
			if !same {
				t.Errorf("%s %+v: got f(%v) = %v, gonum %v at %v", p.name, budget, x, fx, res.F, res.X)
			}
		}
	}
}
